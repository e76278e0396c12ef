//! `flakesmith new`: a configuration crate made outside this workspace builds, writes a
//! tree Nix parses, takes a new host with one line, and shows a mistake as flakesmith's
//! diagnostics first.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::flakesmith;

/// `cargo <args>` in the new crate, with the target directory that every test building a
/// crate outside the workspace shares (one build of flakesmith for all of them; the
/// workspace's own is locked by the test run itself).
fn cargo(dir: &Path, args: &[&str]) -> Output {
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/nested");
    Command::new(env!("CARGO"))
        .args(args)
        .arg("--offline")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_new_configuration_builds_writes_a_tree_and_grows() {
    let dir = tempfile::tempdir().unwrap();
    let crate_dir = dir.path().join("my-fleet");
    let created = flakesmith(&[
        "new",
        crate_dir.to_str().unwrap(),
        "--host",
        "desk",
        "--user",
        "alice",
    ]);
    assert!(text(&created.stdout).contains("cargo run"));

    // `cargo run` writes the tree, and every file parses with the real Nix.
    let run = cargo(&crate_dir, &["run", "-q"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let tree = crate_dir.join("flake");
    for file in [
        "flake.nix",
        "hosts/desk/default.nix",
        "home/alice.nix",
        "modules/system/base.nix",
    ] {
        let parse = Command::new("nix-instantiate")
            .args(["--parse", tree.join(file).to_str().unwrap()])
            .env(
                "NIX_STATE_DIR",
                std::env::temp_dir().join("flakesmith-nix-state"),
            )
            .output()
            .expect("nix-instantiate (apt-get install nix-bin)");
        assert!(parse.status.success(), "{file}: {}", text(&parse.stderr));
    }

    // A new host: one file written, one line to add.
    let added = flakesmith(&[
        "new",
        "host",
        "laptop",
        "--config",
        crate_dir.to_str().unwrap(),
    ]);
    let line = text(&added.stdout).lines().last().unwrap().to_owned();
    assert_eq!(line.trim(), ".host(include!(\"hosts/laptop.rs\"))");
    let mod_rs = crate_dir.join("config/mod.rs");
    let config = std::fs::read_to_string(&mod_rs).unwrap();
    let config = config.replace(
        ".host(include!(\"hosts/desk.rs\"))",
        &format!(".host(include!(\"hosts/desk.rs\"))\n{line}"),
    );
    std::fs::write(&mod_rs, config).unwrap();
    let run = cargo(&crate_dir, &["run", "-q"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(tree.join("hosts/laptop/default.nix").is_file());

    // A mistake: the build shows flakesmith's diagnostic first, not cargo's preamble.
    let host = crate_dir.join("config/hosts/laptop.rs");
    let source = std::fs::read_to_string(&host).unwrap();
    std::fs::write(
        &host,
        source.replace(
            ".import(crate::config::modules::base())",
            ".import(crate::config::modules::base())\n        .set(flakesmith_nixos::time::time_zone, \"UTC\")\n        .set(flakesmith_nixos::time::time_zone, \"CET\")",
        ),
    )
    .unwrap();
    // `time` is a namespace the new crate does not compile yet: rustc names its feature.
    let build = cargo(&crate_dir, &["build", "-q"]);
    assert!(!build.status.success());
    let stderr = text(&build.stderr);
    assert!(
        stderr.contains("the item is gated behind the `time` feature"),
        "{stderr}"
    );
    let manifest = crate_dir.join("Cargo.toml");
    let toml = std::fs::read_to_string(&manifest).unwrap();
    assert!(
        toml.contains("features = [\"boot\", \"nix\", \"users\"]"),
        "{toml}"
    );
    std::fs::write(
        &manifest,
        toml.replace("\"nix\", \"users\"]", "\"nix\", \"time\", \"users\"]"),
    )
    .unwrap();
    let build = cargo(&crate_dir, &["build", "-q"]);
    assert!(!build.status.success());
    let stderr = text(&build.stderr);
    let first_error = stderr.lines().find(|l| l.starts_with("error")).unwrap();
    assert!(
        first_error.contains("conflicting definitions of `time.timeZone` on host `laptop`"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("failed to run custom build command"),
        "{stderr}"
    );
    assert!(stderr.contains("config/hosts/laptop.rs:"), "{stderr}");
}

#[test]
fn new_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("keep.txt"), "mine").unwrap();
    let output = common::run(&["new", dir.path().to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("is not empty"));
    let output = common::run(&[
        "new",
        "host",
        "Bad.Name",
        "--config",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert!(
        text(&output.stderr).contains("host name `Bad.Name`"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing was written"
    );
}
