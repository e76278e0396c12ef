//! A configuration with many mistakes gets every one reported at once, rustc style, each
//! pointing at the Rust that made it, and no tree.

use std::path::Path;

use flakesmith::diagnostic::render_all;
use flakesmith::prelude::*;
use flakesmith::{compile, Diagnostic};
use flakesmith_nixos::{networking, services::openssh, users};

const HARDWARE: &str = "{ fileSystems.\"/\".device = \"/dev/sda1\"; }";

fn system_user(name: &str) -> Module {
    let user = users::users::user(name);
    Module::new(Category::System, "users").set(user.is_normal_user(), true)
}

fn diagnostics(flake: &Flake) -> Vec<Diagnostic> {
    match compile(flake, Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Ok(compiled) => compiled.warnings,
        Err(rejected) => rejected.diagnostics,
    }
}

#[test]
fn every_mistake_is_reported_with_its_rust_location() {
    let alice = User::new("alice", "24.05");
    let ssh = Module::new(Category::Services, "ssh").set(openssh::enable, true);
    let flake = Flake::new("broken", "24.05")
        .host(
            Host::new("desk", System::X86_64Linux, "24.05")
                .hardware(Hardware::nix_text(HARDWARE))
                .import(ssh.clone())
                .set(networking::host_name, "desk")
                .set(networking::host_name, "desk2")
                .set(openssh::ports, [22])
                .user(alice),
        )
        .host(
            Host::new("desk", System::X86_64Linux, "24.05").hardware(Hardware::nix_text(HARDWARE)),
        )
        .host(
            Host::new("bad.name", System::Other("x86_64-windows".into()), "24.5")
                .hardware(Hardware::nix_file("no/such/file.nix")),
        )
        .host(
            Host::new("nan-host", System::Aarch64Linux, "24.05")
                .hardware(Hardware::nix_text("{\n  boot.loader = ;\n}\n"))
                .import(system_user("alice"))
                .user(User::new("Bob", "24.05"))
                .set(
                    flakesmith::Opt::<f64>::new(&["services", "x", "ratio"]),
                    f64::NAN,
                )
                .set(
                    flakesmith::Opt::<u64>::new(&["services", "x", "big"]),
                    u64::MAX,
                )
                .set(networking::host_name, "nan\0host"),
        );
    let diagnostics = diagnostics(&flake);
    assert!(diagnostics.iter().all(Diagnostic::is_error));
    insta::assert_snapshot!(render_all(&diagnostics));
}

#[test]
fn a_near_miss_passes() {
    // The same shapes, each within the rules: equal priorities agree, lists merge, the
    // user has a system account, names and versions are valid.
    let flake = Flake::new("fine", "24.05").host(
        Host::new("desk", System::Other("aarch64-linux".into()), "24.11")
            .hardware(Hardware::nix_text(HARDWARE))
            .import(system_user("alice"))
            .import(
                Module::new(Category::Services, "ssh")
                    .set(openssh::ports, [22])
                    .default(networking::host_name, "x"),
            )
            .set(openssh::ports, [2222])
            .set(networking::host_name, "desk")
            .set(networking::host_name, "desk")
            .user(User::new("alice", "24.05")),
    );
    let diagnostics = diagnostics(&flake);
    assert!(diagnostics.is_empty(), "{}", render_all(&diagnostics));
}
