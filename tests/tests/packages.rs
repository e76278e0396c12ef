//! The flake's own packages and overlays: `pkgs/<name>.nix` as `packages.<system>.<name>`
//! and through `overlays.default`, typed overlays, the unfree rule, evaluated through the
//! generated flake's outputs with the real module system; and the mistakes flakesmith
//! stops at build time.

use std::path::Path;

use flakesmith::prelude::*;
use flakesmith::{compile, LocalPackage, Overlay, Unfree};
use flakesmith_nixos::environment;
use flakesmith_tests::{evaluate_flake, nixpkgs_lib_or_say, rejected_text as rejected};

const MOTD: &str =
    "{ writeShellScriptBin }:\nwriteShellScriptBin \"fleet-motd\" ''\n  echo welcome\n''\n";

fn motd() -> LocalPackage {
    LocalPackage::nix_text("fleet-motd", MOTD)
}

fn fleet(host: Host) -> Flake {
    Flake::new("packages", "24.11")
        .package(motd())
        .overlay(
            Overlay::new("pins")
                .replace("editor", Package::new("hello"))
                .override_args("hello", [("withGreeting", true)]),
        )
        .allow_unfree(Unfree::only(["steam"]))
        .host(host)
}

fn desk() -> Host {
    Host::new("desk", System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_text("{ }"))
        .set(
            environment::system_packages,
            [motd().package(), Package::new("editor")],
        )
}

#[test]
fn own_packages_and_overlays_are_written_and_evaluate() {
    let tree = compile(&fleet(desk()), Path::new(".")).unwrap().tree;
    assert!(tree.get("pkgs/fleet-motd.nix").unwrap().ends_with(MOTD));
    insta::assert_snapshot!("packages_flake_nix", tree.get("flake.nix").unwrap());
    insta::assert_snapshot!("packages_host", tree.get("hosts/desk/default.nix").unwrap());
    let Some(lib) = nixpkgs_lib_or_say("packages and overlays") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        r#"let config = outputs.nixosConfigurations.desk.config; unfree = config.nixpkgs.config.allowUnfreePredicate; in {
          installed = map (p: p.name) config.environment.systemPackages;
          overridden = (outputs.nixosConfigurations.desk._module.args.pkgs.hello).overridden;
          steam = unfree { name = "steam-1.0"; };
          vscode = unfree { name = "vscode-1.95"; };
          output = outputs.packages.x86_64-linux.fleet-motd.name;
        }"#,
    )
    .unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "installed": ["fleet-motd", "hello"],
            "overridden": { "withGreeting": true },
            "steam": true,
            "vscode": false,
            "output": "fleet-motd",
        })
    );
}

#[test]
fn package_mistakes_name_the_rust_line() {
    let cases: Vec<(&str, Flake, &str)> = vec![
        (
            "a package of the flake's own it does not have",
            fleet(desk().set(environment::system_packages, [Package::local("fleet-motd-2")])),
            "package `fleet-motd-2` is not one of the flake's own packages",
        ),
        (
            "an overlay naming a package of the flake's own it does not have",
            fleet(desk()).overlay(Overlay::new("more").replace("motd", Package::local("nope"))),
            "package `nope` is not one of the flake's own packages",
        ),
        (
            "an overlay named like the flake's own",
            fleet(desk()).overlay(Overlay::new("default")),
            "overlay name `default` is not valid",
        ),
        (
            "a package file that does not exist",
            fleet(desk()).package(LocalPackage::nix_file("gone", "pkgs/gone.nix")),
            "cannot read package `gone`",
        ),
        (
            "a package file that does not parse",
            fleet(desk()).package(LocalPackage::nix_text("broken", "{ stdenv }: stdenv.mkDerivation {")),
            "package `broken`",
        ),
        (
            "two packages of one name",
            fleet(desk()).package(motd()),
            "two packages are named `fleet-motd`",
        ),
        (
            "a hand-kept overlay with packages stated in Rust",
            fleet(desk()).overlay(
                Overlay::nix_file("hand", "overlays/hand.nix").replace("x", Package::new("hello")),
            ),
            "overlay `hand` is a hand-kept file, so packages stated in Rust would be written nowhere",
        ),
    ];
    for (what, flake, expected) in cases {
        let text = rejected(&flake);
        assert!(text.contains(expected), "{what}:\n{text}");
        assert!(
            text.contains("tests/tests/packages.rs:"),
            "{what}: no Rust location:\n{text}"
        );
    }
    // The near miss: the package named by its handle, and a nixpkgs package by name.
    compile(
        &fleet(desk().set(environment::system_packages, [Package::new("fleet-motd-2")])),
        Path::new("."),
    )
    .unwrap();
}
