//! Each whole-flake check: a configuration that trips it, with a snapshot of the exact
//! diagnostic text, and a near miss that is within the rules and gets no diagnostic at
//! all, so the check is shown to be exact rather than broad.

use std::path::Path;

use flakesmith::diagnostic::render_all;
use flakesmith::diagnostic::Kind;
use flakesmith::prelude::*;
use flakesmith::{compile, Diagnostic, NixModule};
use flakesmith_home::home;
use flakesmith_nixos::services::openssh::{self, settings::PermitRootLogin};
use flakesmith_nixos::{networking, services, users};

const HARDWARE: &str = "{ fileSystems.\"/\".device = \"/dev/sda1\"; }";

/// The system account every test host has.
fn accounts() -> Module {
    Module::new(Category::System, "users").set(users::users::user("alice").is_normal_user(), true)
}

/// `#[track_caller]`, so each host's location is the test line that made it.
#[track_caller]
fn host(name: &str) -> Host {
    Host::new(name, System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text(HARDWARE))
        .import(accounts())
}

#[track_caller]
fn alice() -> User {
    User::new("alice", "24.05")
}

fn flake(hosts: Vec<Host>) -> Flake {
    hosts
        .into_iter()
        .fold(Flake::new("checks", "24.05"), Flake::host)
}

fn diagnostics(flake: &Flake) -> Vec<Diagnostic> {
    match compile(flake, Path::new(".")) {
        Ok(compiled) => compiled.warnings,
        Err(rejected) => rejected.diagnostics,
    }
}

/// Asserts the failing configuration's diagnostics match the snapshot `name` and the
/// near miss has none.
fn case(name: &str, failing: Flake, near_miss: Flake) {
    let found = diagnostics(&failing);
    assert!(
        !found.is_empty(),
        "{name}: the failing configuration passed"
    );
    insta::assert_snapshot!(name, render_all(&found));
    let near = diagnostics(&near_miss);
    assert!(
        near.is_empty(),
        "{name}: the near miss was flagged:\n{}",
        render_all(&near)
    );
}

#[test]
fn conflicting_scalars_at_the_same_priority() {
    let a = || Module::new(Category::System, "a").set(networking::host_name, "one");
    let b = Module::new(Category::System, "b").set(networking::host_name, "two");
    let b_default = Module::new(Category::System, "b").default(networking::host_name, "two");
    case(
        "conflict",
        flake(vec![host("desk").import(a()).import(b)]),
        flake(vec![host("desk").import(a()).import(b_default)]),
    );
}

#[test]
fn lists_and_attribute_sets_merge() {
    let ports = |name: &str, port: u16| {
        Module::new(Category::System, name).set(networking::firewall::allowed_tcp_ports, [port])
    };
    let settings = |name: &str, key: &str| {
        Module::new(Category::System, name).set(
            flakesmith::Opt::<std::collections::BTreeMap<String, bool>>::new(&[
                "services", "x", "settings",
            ]),
            [(key, true)],
        )
    };
    let clash = settings("c", "same").set(
        flakesmith::Opt::<bool>::new(&["services", "x", "settings", "same"]),
        false,
    );
    case(
        "conflict_inside_attribute_sets",
        flake(vec![host("desk").import(clash)]),
        flake(vec![host("desk")
            .import(ports("a", 22))
            .import(ports("b", 80))
            .import(settings("c", "one"))
            .import(settings("d", "two"))]),
    );
}

/// SSH with a root-login policy the host chooses.
#[derive(NixModule)]
#[nix(category = "services", namespace = "fleet.ssh")]
pub struct Ssh {
    /// Root logins.
    #[nix(default = PermitRootLogin::No)]
    pub root: PermitRootLogin,
}

impl ModuleConfig for Ssh {
    fn config(cfg: SshCfg, module: Module) -> Module {
        module.set(openssh::settings::permit_root_login, cfg.root)
    }
}

#[test]
fn conflicts_see_through_module_options() {
    let host_choice = |root| {
        host("desk")
            .enable(Ssh { root })
            .set(openssh::settings::permit_root_login, PermitRootLogin::No)
    };
    case(
        "conflict_through_cfg",
        flake(vec![host_choice(PermitRootLogin::ProhibitPassword)]),
        // The module resolves to the same value; and a disabled module defines nothing.
        flake(vec![
            host_choice(PermitRootLogin::No),
            host("srv")
                .disable::<Ssh>()
                .set(openssh::settings::permit_root_login, PermitRootLogin::Yes)
                .set(openssh::settings::password_authentication, false),
        ]),
    );
}

#[test]
fn host_definitions_that_have_no_effect() {
    let module = || Module::new(Category::Services, "ssh").set(openssh::ports, [22]);
    let module_default = Module::new(Category::Services, "ssh").default(openssh::ports, [22]);
    case(
        "no_effect",
        flake(vec![host("desk")
            .import(module())
            .default(openssh::ports, [2222])]),
        flake(vec![host("desk")
            .import(module_default)
            .set(openssh::ports, [2222])]),
    );
}

#[test]
fn home_manager_user_without_system_user() {
    let bare =
        Host::new("desk", System::X86_64Linux, "24.05").hardware(Hardware::nix_text(HARDWARE));
    case(
        "home_manager_user_without_system_user",
        flake(vec![bare.user(alice())]),
        flake(vec![host("desk").user(alice())]),
    );
}

#[test]
fn duplicate_and_colliding_host_names() {
    case(
        "duplicate_hosts",
        flake(vec![host("desk"), host("desk"), host("Srv"), host("srv")]),
        flake(vec![host("desk"), host("desk-2")]),
    );
}

#[test]
fn two_users_with_one_name() {
    // Identity is the name: the same content built twice is one user; a different
    // content under the same name (a per-host variant) would silently lose one of them.
    case(
        "duplicate_users",
        flake(vec![
            host("desk").user(alice()),
            host("srv").user(alice().set(flakesmith_home::programs::git::enable, true)),
        ]),
        flake(vec![host("desk").user(alice()), host("srv").user(alice())]),
    );
}

#[test]
fn registered_modules_no_host_uses() {
    let kde = || Module::new(Category::Desktop, "kde").set(services::xserver::enable, true);
    case(
        "unused_module",
        flake(vec![host("desk")]).module(kde()),
        flake(vec![host("desk").import(kde())])
            .module(kde())
            .module(Module::new(Category::System, "spare").allow(Lint::UnusedModule)),
    );
}

#[test]
fn home_username_and_directory_agree_with_the_system_user() {
    let elsewhere = || host("desk").set(users::users::user("alice").home(), "/srv/alice");
    let bob = alice().set(home::username, "bob");
    case(
        "home_user_mismatch",
        flake(vec![
            host("desk").user(bob.clone()),
            host("srv")
                .set(users::users::user("alice").home(), "/srv/alice")
                .user(bob),
        ]),
        flake(vec![elsewhere().user(
            alice()
                .set(home::username, "alice")
                .set(home::home_directory, "/srv/alice"),
        )]),
    );
}

#[test]
fn desktop_module_without_graphical_session() {
    let fonts = || {
        Module::new(Category::Desktop, "fonts").set(
            flakesmith::Opt::<bool>::new(&["fonts", "enableDefaultPackages"]),
            true,
        )
    };
    case(
        "desktop_without_graphical_session",
        flake(vec![host("srv").import(fonts())]),
        flake(vec![
            host("desk")
                .import(fonts())
                .set(services::xserver::enable, true),
            host("srv")
                .import(fonts())
                .allow(Lint::DesktopWithoutGraphicalSession),
        ]),
    );
}

#[test]
fn names_nixos_rejects_or_that_break_the_tree() {
    let long = "x".repeat(63);
    case(
        "invalid_names",
        flake(vec![
            host("-desk"),
            host(&"x".repeat(64)),
            host("template"),
            host("a/b").import(Module::new(Category::System, "../escape")),
            host("ok").user(User::new("Root", "24.05")),
        ]),
        flake(vec![
            host(&long),
            host("a_b").import(Module::new(Category::System, "x-y_1")),
        ]),
    );
}

#[test]
fn unknown_systems_and_bad_state_versions() {
    case(
        "system_and_state_version",
        flake(vec![
            Host::new("desk", System::Other("x86_64-darwin".into()), "24.13")
                .hardware(Hardware::nix_text(HARDWARE)),
            host("srv").user(User::new("alice", "2405")),
        ]),
        flake(vec![Host::new(
            "desk",
            System::Other("aarch64-linux".into()),
            "24.11",
        )
        .hardware(Hardware::nix_text(HARDWARE))]),
    );
}

#[test]
fn plaintext_secrets() {
    let alice_user = users::users::user("alice");
    case(
        "plaintext_secret",
        flake(vec![
            host("desk").set(alice_user.password(), "hunter2"),
            host("srv").import(Module::new(Category::System, "wifi").set(
                flakesmith::Opt::<String>::new(&[
                    "networking",
                    "wireless",
                    "networks",
                    "home",
                    "psk",
                ]),
                "secret",
            )),
        ]),
        flake(vec![
            // A path to the secret, not the secret (a declared manager secret, such as
            // `Secret::sops`, is the same kind of value: `sops.rs`, `agenix.rs`).
            host("desk").set(
                alice_user.hashed_password_file(),
                RuntimePath::new("/run/keys/alice-password"),
            ),
            host("srv")
                .set(alice_user.initial_password(), "changeme")
                .allow(Lint::PlaintextSecret),
        ]),
    );
}

#[test]
fn root_login_with_password_authentication() {
    let ssh = || {
        host("desk")
            .set(openssh::enable, true)
            .set(openssh::settings::permit_root_login, PermitRootLogin::Yes)
    };
    case(
        "root_login_with_password",
        flake(vec![ssh()]),
        flake(vec![
            ssh().set(openssh::settings::password_authentication, false)
        ]),
    );
}

#[test]
fn firewall_disabled_with_network_services() {
    let open = || host("desk").set(networking::firewall::enable, false);
    case(
        "firewall_disabled",
        flake(vec![open().set(openssh::enable, true)]),
        flake(vec![
            open(),
            host("srv")
                .set(networking::firewall::enable, false)
                .set(openssh::enable, true)
                .allow(Lint::FirewallDisabled),
        ]),
    );
}

#[test]
fn warnings_do_not_stop_the_build() {
    let flake = flake(vec![host("desk")
        .set(networking::firewall::enable, false)
        .set(openssh::enable, true)]);
    let compiled = compile(&flake, Path::new(".")).expect("warnings alone do not reject");
    assert_eq!(compiled.warnings.len(), 1);
    assert_eq!(compiled.warnings[0].kind, Kind::FirewallDisabled);
}
