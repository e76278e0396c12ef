//! `flakesmith options sync`: a configuration whose `flake.lock` pins a nixpkgs gets
//! bindings made from that nixpkgs' own options, builds against them, and so can set an
//! option no shipped release line has. The pinned nixpkgs is a stand-in checkout
//! (`tests/fixtures/pinned-nixpkgs`, with the real nixpkgs lib) locked as a path input,
//! since a test machine cannot fetch one; its options are evaluated with the real Nix.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{flakesmith, run, workspace};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A configuration crate on the shipped 25.05 line whose host sets
/// `services.pinned-only`, which only the pinned nixpkgs declares.
fn configuration(dir: &Path) {
    let dsl = workspace().join("dsl");
    let manifest = format!(
        "[package]\nname = \"pinned-fleet\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [build-dependencies]\nflakesmith = {{ path = {dsl:?} }}\n\
         flakesmith-nixos-25-05 = {{ path = {:?}, features = [\"networking\", \"services\"] }}\n\n\
         [dependencies]\nflakesmith = {{ path = {dsl:?} }}\n\n[workspace]\n",
        dsl.join("bindings/nixos-25.05")
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
use flakesmith_nixos::{networking, services::pinned_only};

pub fn flake() -> Flake {
    Flake::new("pinned", "25.05").host(
        Host::new("desk", System::X86_64Linux, "25.05")
            .hardware(Hardware::nix_text("{ fileSystems.\"/\".device = \"/dev/sda1\"; }"))
            .set(networking::firewall::allowed_tcp_ports, [22])
            .set(pinned_only::enable, true)
            .set(pinned_only::port, 9090),
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

/// The stand-in nixpkgs checkout: the fixture's NixOS modules and the real lib.
fn pinned_nixpkgs(dir: &Path, lib: &str) -> PathBuf {
    let nixpkgs = dir.join("nixpkgs");
    let fixture = workspace().join("dsl/tests/fixtures/pinned-nixpkgs");
    for file in common::files_under(&fixture) {
        let target = nixpkgs.join(&file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(fixture.join(&file), target).unwrap();
    }
    std::os::unix::fs::symlink(lib, nixpkgs.join("lib")).unwrap();
    nixpkgs
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
    let nixpkgs = pinned_nixpkgs(dir.path(), &lib);
    // No shipped line knows the option the configuration sets.
    for line in ["nixos-24.11", "nixos-25.05"] {
        let services = workspace().join(format!("dsl/bindings/{line}/src/services"));
        assert!(!common::files_under(&services)
            .iter()
            .any(|f| f.to_string_lossy().contains("pinned_only")));
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
            "root": { "inputs": { "nixpkgs": "nixpkgs" } }
        },
        "root": "root",
        "version": 7
    });
    std::fs::create_dir_all(config.join("flake")).unwrap();
    std::fs::write(config.join("flake/flake.lock"), lock.to_string()).unwrap();
    let synced = flakesmith(&["options", "sync", "--config", config_arg]);
    let said = text(&synced.stdout);
    assert!(said.contains("generated 7 NixOS options"), "{said}");
    assert!(
        said.contains("now depends on flakesmith-nixos-pinned instead of flakesmith-nixos-25-05"),
        "{said}"
    );
    let manifest = std::fs::read_to_string(config.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("flakesmith-nixos-pinned = { path = \"bindings/nixos-pinned\", features = [\"networking\", \"services\"] }"),
        "{manifest}"
    );
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

    // Syncing again (after `nix flake update`, say) leaves the manifest as it is.
    flakesmith(&["options", "sync", "--config", config_arg]);
    assert_eq!(
        std::fs::read_to_string(config.join("Cargo.toml")).unwrap(),
        manifest
    );
}
