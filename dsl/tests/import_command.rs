//! `flakesmith import`: the command writes a whole crate or nothing, and says why not.

mod common;

use std::path::Path;

use common::{flakesmith, run, workspace};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A flake in `dir` from `(path, text)` pairs.
fn flake(dir: &Path, files: &[(&str, &str)]) {
    for (path, body) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
}

const FLAKE: &str = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./hosts/box.nix ];
    };
  };
}
"#;

#[test]
fn the_fleet_fixture_is_imported_with_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fleet-config");
    let fixture = workspace().join("tests/fixtures/import/fleet");
    let imported = flakesmith(&[
        "import",
        fixture.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let report = text(&imported.stdout);
    assert!(
        report.contains("| `hosts/laptop/default.nix` |"),
        "{report}"
    );
    assert!(report.contains("Typed: "), "{report}");
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src/main.rs",
        "config/mod.rs",
        "config/hosts/desk.rs",
        "hardware/desk.nix",
        "IMPORT.md",
    ] {
        assert!(out.join(file).is_file(), "{file} was not written");
    }
    // Only the crate: no staging directory is left beside it.
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, ["fleet-config"]);
    // A second import into the same directory is refused and changes nothing.
    let again = run(&[
        "import",
        fixture.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("is not empty; nothing was written"),
        "{}",
        text(&again.stderr)
    );
}

/// Imports the flake in `dir` into `dir/config`, which must fail: its error output, after
/// checking that nothing was written (no crate, no staging directory).
fn refused(dir: &Path) -> String {
    let out = dir.join("config");
    let refused = run(&[
        "import",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(!out.exists());
    let beside: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        !beside
            .iter()
            .any(|n| n.to_string_lossy().contains("flakesmith-import")),
        "{beside:?}"
    );
    text(&refused.stderr)
}

#[test]
fn a_flake_without_hosts_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    flake(
        dir.path(),
        &[("flake.nix", "{ outputs = { ... }: { packages = { }; }; }\n")],
    );
    let stderr = refused(dir.path());
    assert!(
        stderr.contains("flake.nix: the flake has no `nixosConfigurations`"),
        "{stderr}"
    );
}

#[test]
fn a_module_that_does_not_parse_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    flake(
        dir.path(),
        &[
            ("flake.nix", FLAKE),
            (
                "hosts/box.nix",
                "{ ... }: {\n  system.stateVersion = \"24.05\";\n  networking.hostName = ;\n}\n",
            ),
        ],
    );
    let stderr = refused(dir.path());
    assert!(
        stderr.contains("hosts/box.nix: it does not parse"),
        "{stderr}"
    );
}
