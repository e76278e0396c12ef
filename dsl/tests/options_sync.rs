//! `flakesmith options sync`: a configuration whose `flake.lock` pins a nixpkgs and a
//! Home Manager gets bindings made from their own options, builds against them, and so
//! can set options no shipped release line has. The pins are stand-in checkouts
//! (`tests/fixtures/pinned-nixpkgs` with the real nixpkgs lib, and
//! `tests/fixtures/pinned-home-manager`) locked as path inputs, since a test machine
//! cannot fetch them; their options are evaluated with the real Nix.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{flakesmith, run, workspace};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A configuration crate on the shipped 25.05 lines whose host sets
/// `services.pinned-only` and `sops.pinnedOnly` and whose user sets
/// `programs.pinned-tool`, which only the pinned nixpkgs, sops-nix and Home Manager
/// declare.
fn configuration(dir: &Path) {
    let dsl = workspace().join("dsl");
    let manifest = format!(
        "[package]\nname = \"pinned-fleet\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [build-dependencies]\nflakesmith = {{ path = {dsl:?} }}\n\
         flakesmith-nixos-25-05 = {{ path = {:?}, features = [\"networking\", \"services\", \"users\"] }}\n\
         flakesmith-home-25-05 = {{ path = {:?}, features = [\"programs\"] }}\n\
         flakesmith-inputs = {{ path = {:?}, features = [\"sops-nix\"] }}\n\n\
         [dependencies]\nflakesmith = {{ path = {dsl:?} }}\n\n[workspace]\n",
        dsl.join("bindings/nixos-25.05"),
        dsl.join("bindings/home-25.05"),
        dsl.join("bindings/inputs")
    );
    let files = [
        ("Cargo.toml", manifest),
        (
            "build.rs",
            "#[path = \"config/mod.rs\"]\nmod config;\n\nfn main() {\n    println!(\"cargo:rerun-if-changed=config\");\n    flakesmith::build_script::run(&config::flake());\n}\n".to_owned(),
        ),
        (
            "src/main.rs",
            "flakesmith::include_tree!();\n\nfn main() -> std::process::ExitCode {\n    flakesmith::cli::main(&FLAKESMITH_TREE)\n}\n".to_owned(),
        ),
        (
            "config/mod.rs",
            r#"use flakesmith::prelude::*;
use flakesmith_home::programs::pinned_tool::{self, Theme};
use flakesmith_inputs::sops_nix::sops;
use flakesmith_nixos::{networking, services::pinned_only, users};

pub fn flake() -> Flake {
    Flake::new("pinned", "25.05")
        .input(Input::github("sops-nix", "Mic92/sops-nix").follows("nixpkgs", "nixpkgs"))
        .host(
        Host::new("desk", System::X86_64Linux, "25.05")
            .hardware(Hardware::nix_text("{ fileSystems.\"/\".device = \"/dev/sda1\"; }"))
            .import(Module::from_input("sops-nix", "nixosModules.sops"))
            .set(sops::pinned_only, true)
            .set(networking::firewall::allowed_tcp_ports, [22])
            .set(users::users::user("alice").is_normal_user(), true)
            .set(pinned_only::enable, true)
            .set(pinned_only::port, 9090)
            .user(
                User::new("alice", "25.05")
                    .set(pinned_tool::enable, true)
                    .set(pinned_tool::theme, Theme::Dark),
            ),
    )
}
"#
            .to_owned(),
        ),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// A copy of the fixture `name` in `dir`: a stand-in checkout.
fn checkout(dir: &Path, name: &str) -> PathBuf {
    let copy = dir.join(name);
    let fixture = workspace().join("dsl/tests/fixtures").join(name);
    for file in common::files_under(&fixture) {
        let target = copy.join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(&file), target).unwrap();
    }
    copy
}

#[test]
fn bindings_from_the_pinned_nixpkgs_are_generated_built_and_used() {
    let Some(lib) = std::env::var("FLAKESMITH_NIXPKGS_LIB").ok() else {
        eprintln!("options sync: NOT checked: no nixpkgs lib (set FLAKESMITH_NIXPKGS_LIB)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("pinned-fleet");
    configuration(&config);
    let nixpkgs = checkout(dir.path(), "pinned-nixpkgs");
    std::os::unix::fs::symlink(&lib, nixpkgs.join("lib")).unwrap();
    let home_manager = checkout(dir.path(), "pinned-home-manager");
    let sops_nix = checkout(dir.path(), "pinned-sops-nix");
    // No shipped line knows the options the configuration sets.
    for (line, name) in [
        ("nixos-24.11/src/services", "pinned_only"),
        ("nixos-25.05/src/services", "pinned_only"),
        ("home-24.11/src/programs", "pinned_tool"),
        ("home-25.05/src/programs", "pinned_tool"),
        ("home-26.05/src/programs", "pinned_tool"),
        ("inputs/src/sops_nix", "pinned_only"),
    ] {
        let dir = workspace().join("dsl/bindings").join(line);
        assert!(!common::files_under(&dir)
            .iter()
            .any(|f| f.to_string_lossy().contains(name)));
    }

    // Without a lock, it says what it needs.
    let config_arg = config.to_str().unwrap();
    let missing = run(&["options", "sync", "--config", config_arg]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        text(&missing.stderr).contains("has no flake.lock"),
        "{}",
        text(&missing.stderr)
    );

    // The generated tree's lock pins nixpkgs as a path input.
    let lock = serde_json::json!({
        "nodes": {
            "nixpkgs": { "locked": { "type": "path", "path": nixpkgs, "narHash": "sha256-AAAA" }, "original": { "type": "path", "path": nixpkgs } },
            "home-manager": { "inputs": { "nixpkgs": ["nixpkgs"] }, "locked": { "type": "path", "path": home_manager, "narHash": "sha256-BBBB" }, "original": { "type": "path", "path": home_manager } },
            "sops-nix": { "inputs": { "nixpkgs": ["nixpkgs"] }, "locked": { "type": "path", "path": sops_nix, "narHash": "sha256-CCCC" }, "original": { "type": "path", "path": sops_nix } },
            "root": { "inputs": { "nixpkgs": "nixpkgs", "home-manager": "home-manager", "sops-nix": "sops-nix" } }
        },
        "root": "root",
        "version": 7
    });
    std::fs::create_dir_all(config.join("flake")).unwrap();
    std::fs::write(config.join("flake/flake.lock"), lock.to_string()).unwrap();
    let synced = flakesmith(&["options", "sync", "--config", config_arg]);
    let said = text(&synced.stdout);
    for line in [
        "generated 10 NixOS options",
        "Cargo.toml now depends on flakesmith-nixos-pinned instead of flakesmith-nixos-25-05",
        "generated 5 Home Manager options",
        "Cargo.toml now depends on flakesmith-home-pinned instead of flakesmith-home-25-05",
        "generated 7 options of sops-nix",
        "Cargo.toml now depends on flakesmith-inputs-pinned instead of flakesmith-inputs",
    ] {
        assert!(said.contains(line), "{line}:\n{said}");
    }
    let manifest = std::fs::read_to_string(config.join("Cargo.toml")).unwrap();
    for line in [
        "flakesmith-nixos-pinned = { path = \"bindings/nixos-pinned\", features = [\"networking\", \"services\", \"users\"] }",
        "flakesmith-home-pinned = { path = \"bindings/home-pinned\", features = [\"programs\"] }",
        "flakesmith-inputs-pinned = { path = \"bindings/inputs-pinned\", features = [\"sops-nix\"] }",
    ] {
        assert!(manifest.contains(line), "{line}:\n{manifest}");
    }
    let pinned = config.join("bindings/nixos-pinned");
    let pinned_only = std::fs::read_to_string(pinned.join("src/services/pinned_only.rs")).unwrap();
    assert!(
        pinned_only.contains("pub const port: Opt<u16>") && pinned_only.contains("@generated"),
        "{pinned_only}"
    );

    // The configuration builds against the pinned bindings and writes its tree.
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/nested");
    let built = Command::new(env!("CARGO"))
        .args(["run", "-q", "--offline"])
        .current_dir(&config)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", text(&built.stderr));
    let host = std::fs::read_to_string(config.join("flake/hosts/desk/default.nix")).unwrap();
    assert!(
        host.contains("pinned-only") && host.contains("9090"),
        "{host}"
    );
    assert!(host.contains("sops.pinnedOnly = at 13 14 true"), "{host}");
    // The synced module's declarations name its files within the input.
    let sops_dir = config.join("bindings/inputs-pinned/src/sops_nix");
    let sops_bindings: String = common::files_under(&sops_dir)
        .iter()
        .map(|file| std::fs::read_to_string(sops_dir.join(file)).unwrap())
        .collect();
    assert!(
        sops_bindings.contains("Declared in `modules/sops`."),
        "{sops_bindings}"
    );
    let alice = std::fs::read_to_string(config.join("flake/home/alice.nix")).unwrap();
    assert!(
        alice.contains("pinned-tool") && alice.contains("\"dark\""),
        "{alice}"
    );

    // Syncing again (after `nix flake update`, say) leaves the manifest as it is.
    flakesmith(&["options", "sync", "--config", config_arg]);
    assert_eq!(
        std::fs::read_to_string(config.join("Cargo.toml")).unwrap(),
        manifest
    );
}
