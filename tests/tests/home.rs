//! Home Manager per host and in modules: a user's shared configuration plus what one
//! host adds (`Host::user_with`), Home Manager modules users import (`User::import`,
//! `home/modules/`) and modules every user gets (`Flake::home_module`,
//! `home-manager.sharedModules`), conflict-checked like NixOS definitions and evaluated
//! through the generated flake's outputs with the real module system and a stand-in
//! Home Manager (`tests/fixtures/inputs/home-manager`).

use std::path::Path;

use flakesmith::prelude::*;
use flakesmith::{compile, HomeAdditions, Input};
use flakesmith_home::{home, programs::git};
use flakesmith_nixos::users;
use flakesmith_tests::{evaluate_flake, nixpkgs_lib_or_say, rejected_text as rejected};

fn accounts() -> Module {
    Module::new(Category::System, "accounts")
        .set(users::users::user("alice").is_normal_user(), true)
}

fn shell() -> Module {
    Module::new(Category::Home, "shell").set(home::session_variables, [("EDITOR", "hx")])
}

fn alice() -> User {
    User::new("alice", "24.11")
        .import(shell())
        .set(git::enable, true)
        .set(git::user_email, "alice@example.org")
}

fn host(name: &str) -> Host {
    Host::new(name, System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_text("{ }"))
        .import(accounts())
}

fn fleet(laptop: Host) -> Flake {
    Flake::new("home", "24.11")
        .input(Input::github("sops-nix", "Mic92/sops-nix"))
        .home_module(
            Module::new(Category::Home, "fonts").set(home::packages, [Package::new("hello")]),
        )
        .host(host("desk").user(alice()))
        .host(laptop)
}

fn work_laptop() -> Host {
    host("laptop").user_with(
        alice(),
        HomeAdditions::new().set(git::user_email, "alice@work.example"),
    )
}

/// Alice with her personal email as a default, which a host may replace.
fn alice_by_default() -> User {
    User::new("alice", "24.11")
        .import(shell())
        .set(git::enable, true)
        .default(git::user_email, "alice@example.org")
}

#[test]
fn per_host_additions_and_home_modules_are_written_and_evaluate() {
    let laptop = host("laptop").user_with(
        alice_by_default(),
        HomeAdditions::new().set(git::user_email, "alice@work.example"),
    );
    let flake = Flake {
        hosts: vec![host("desk").user(alice_by_default()), laptop],
        ..fleet(host("unused"))
    };
    let tree = compile(&flake, Path::new(".")).unwrap().tree;
    for file in [
        "home/modules/shell.nix",
        "home/modules/fonts.nix",
        "hosts/laptop/home-alice.nix",
    ] {
        assert!(tree.get(file).is_some(), "{file} is missing");
    }
    assert!(tree.get("hosts/desk/home-alice.nix").is_none());
    let user = tree.get("home/alice.nix").unwrap();
    assert!(user.contains("./modules/shell.nix"), "{user}");
    let flake_nix = tree.get("flake.nix").unwrap();
    assert!(flake_nix.contains("sharedModules = [\n"), "{flake_nix}");
    assert!(
        flake_nix.contains("./hosts/laptop/home-alice.nix"),
        "{flake_nix}"
    );

    insta::assert_snapshot!("home_flake_nix", tree.get("flake.nix").unwrap());
    insta::assert_snapshot!("home_user", tree.get("home/alice.nix").unwrap());
    insta::assert_snapshot!(
        "home_additions",
        tree.get("hosts/laptop/home-alice.nix").unwrap()
    );
    let Some(lib) = nixpkgs_lib_or_say("Home Manager per host") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        r#"let user = host: outputs.nixosConfigurations.${host}.config.home-manager.users.alice; in
        lib.genAttrs [ "desk" "laptop" ] (host: {
          email = (user host).programs.git.userEmail;
          editor = (user host).home.sessionVariables.EDITOR;
          packages = map (p: p.name) (user host).home.packages;
        })"#,
    )
    .unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "desk": { "email": "alice@example.org", "editor": "hx", "packages": ["hello"] },
            "laptop": { "email": "alice@work.example", "editor": "hx", "packages": ["hello"] },
        })
    );
}

#[test]
fn home_mistakes_name_the_rust_line() {
    // Both the user and the laptop set the email at the same priority: Home Manager
    // would stop on it; flakesmith stops first, naming both lines.
    let text = rejected(&fleet(work_laptop()));
    assert!(
        text.contains("Home Manager user `alice` on host `laptop`")
            && text.contains("programs.git.userEmail"),
        "{text}"
    );
    assert!(text.matches("tests/tests/home.rs:").count() >= 2, "{text}");

    let text = rejected(&fleet(host("laptop").import(shell())));
    assert!(
        text.contains("host `laptop` imports Home Manager module `home/modules/shell.nix`"),
        "{text}"
    );
    assert!(text.contains("tests/tests/home.rs:"), "{text}");

    // (On a fleet of its own: a second, different `alice` would be reported first.)
    let alone = Flake::new("home", "24.11").host(host("laptop").user(alice().import(accounts())));
    let text = rejected(&alone);
    assert!(
        text.contains("imports `modules/system/accounts.nix`, which is a NixOS module"),
        "{text}"
    );

    let twice = host("laptop")
        .user_with(alice(), HomeAdditions::new())
        .user_with(alice(), HomeAdditions::new());
    let text = rejected(&fleet(twice));
    assert!(
        text.contains("host `laptop` adds to Home Manager user `alice` twice"),
        "{text}"
    );

    // Near misses: another flake's Home Manager module on a user, different settings
    // per host that do not collide.
    let laptop = host("laptop").user_with(
        alice().import(Module::from_input("sops-nix", "homeManagerModules.sops")),
        HomeAdditions::new().set(home::session_variables, [("BROWSER", "firefox")]),
    );
    let flake = Flake {
        hosts: vec![
            host("desk")
                .user(alice().import(Module::from_input("sops-nix", "homeManagerModules.sops"))),
            laptop,
        ],
        ..fleet(host("unused"))
    };
    let tree = compile(&flake, Path::new(".")).unwrap().tree;
    let user = tree.get("home/alice.nix").unwrap();
    assert!(
        user.contains("inputs.sops-nix.homeManagerModules.sops"),
        "{user}"
    );
}

#[test]
fn a_users_lists_concatenate_in_the_order_the_checker_predicts() {
    // One list of a Home Manager user, added to by a module every user gets, two
    // modules the user imports, the user, and on the laptop what the host adds and a
    // module it adds: the checker's prediction must be what Home Manager builds.
    let packages = |names: &[&str]| names.iter().map(|n| Package::new(*n)).collect::<Vec<_>>();
    let home_module = |name: &str, package: &str| {
        Module::new(Category::Home, name).set(home::packages, packages(&[package]))
    };
    let user = User::new("alice", "24.11")
        .import(home_module("shell", "ripgrep"))
        .import(home_module("tools", "fd"))
        .set(home::packages, packages(&["jq"]))
        .prepend(home::packages, packages(&["zsh"]));
    let laptop = host("laptop").user_with(
        user.clone(),
        HomeAdditions::new()
            .import(home_module("browser", "firefox"))
            .set(home::packages, packages(&["powertop"])),
    );
    let flake = Flake::new("home", "24.11")
        .home_module(home_module("fonts", "hello"))
        .host(host("desk").user(user))
        .host(laptop);
    let checked = flakesmith::check::check(&flake, Path::new("."));
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "{}",
        flakesmith::diagnostic::render_all(&checked.diagnostics)
    );
    let predicted = |host: &str| {
        let Some(flakesmith::nix::Expr::List(items)) =
            checked.settled_home_value(host, "alice", &["home", "packages"])
        else {
            panic!("no prediction for {host}");
        };
        let names: Vec<String> = items
            .iter()
            .map(|item| {
                let printed = flakesmith::nix::print_expr(item);
                printed.rsplit('.').next().unwrap().to_owned()
            })
            .collect();
        names
    };
    let predicted = serde_json::json!({ "desk": predicted("desk"), "laptop": predicted("laptop") });
    let Some(lib) = nixpkgs_lib_or_say("a Home Manager user's list order") else {
        return;
    };
    let tree = compile(&flake, Path::new(".")).unwrap().tree;
    let value = evaluate_flake(
        &lib,
        &tree,
        r#"lib.genAttrs [ "desk" "laptop" ] (host:
          map (p: p.name) outputs.nixosConfigurations.${host}.config.home-manager.users.alice.home.packages)"#,
    )
    .unwrap();
    assert_eq!(predicted, value);
}
