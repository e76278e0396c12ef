//! The bindings a configuration is typed against and its flake's release agree: the
//! configuration crate's `Cargo.toml` names one release line of NixOS's and of Home
//! Manager's bindings, and a flake on another release is a build error that says which
//! to depend on (a warning where the flake is newer than every shipped line). The build
//! script checks it (`compile_crate`); `compile` alone, outside a configuration crate,
//! does not.

use flakesmith::pipeline::compile_crate;
use flakesmith::prelude::*;
use flakesmith::{DiagnosticKind, Severity};

const HARDWARE: &str = "{ fileSystems.\"/\".device = \"/dev/sda1\"; }";

fn flake(release: &str) -> Flake {
    Flake::new("release lines", release).host(
        Host::new("desk", System::X86_64Linux, release).hardware(Hardware::nix_text(HARDWARE)),
    )
}

/// What compiling `flake` in a crate whose manifest lists `dependencies` reports, as
/// (code, severity, rendered).
fn compiled_with(flake: &Flake, dependencies: &str) -> Vec<(&'static str, Severity, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("[package]\nname = \"fleet\"\nversion = \"0.1.0\"\n\n[build-dependencies]\nflakesmith = {{ path = \"../flakesmith/dsl\" }}\n{dependencies}"),
    )
    .unwrap();
    let diagnostics = match compile_crate(flake, dir.path()) {
        Ok(compiled) => compiled.warnings,
        Err(rejected) => rejected.diagnostics,
    };
    diagnostics
        .iter()
        .filter(|d| {
            matches!(
                d.kind,
                DiagnosticKind::BindingsRelease | DiagnosticKind::BindingsOlderThanRelease
            )
        })
        .map(|d| (d.code(), d.severity, d.to_string()))
        .collect()
}

#[test]
fn matching_release_lines_say_nothing() {
    let found = compiled_with(
        &flake("25.05"),
        "flakesmith-nixos-25-05 = { path = \"x\", features = [\"users\"] }\nflakesmith-home-25-05 = { path = \"y\" }\n",
    );
    assert!(found.is_empty(), "{found:?}");
    // A release between two lines takes the later one.
    let found = compiled_with(
        &flake("24.05"),
        "flakesmith-nixos-24-11 = { path = \"x\" }\n",
    );
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn another_release_line_is_an_error_that_names_the_right_one() {
    let found = compiled_with(
        &flake("25.05"),
        "flakesmith-nixos-24-11 = { path = \"x\", features = [\"users\"] }\nflakesmith-home-25-05 = { path = \"y\" }\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    let (code, severity, text) = &found[0];
    assert_eq!((*code, *severity), ("bindings-release", Severity::Error));
    assert!(text.contains("the flake is on NixOS 25.05, but its NixOS options are typed against the 24.11 bindings"), "{text}");
    assert!(text.contains("Cargo.toml:7"), "the manifest's line: {text}");
    assert!(
        text.contains("tests/tests/releases.rs:"),
        "the flake's Rust line: {text}"
    );
    assert!(
        text.contains("depend on `flakesmith-nixos-25-05` instead of `flakesmith-nixos-24-11`"),
        "{text}"
    );
    // A renamed dependency is read by its package, and Home Manager's lines alike.
    let found = compiled_with(
        &flake("24.11"),
        "hm = { package = \"flakesmith-home-26-05\", path = \"y\" }\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .2
            .contains("depend on `flakesmith-home-24-11` instead of `flakesmith-home-26-05`"),
        "{}",
        found[0].2
    );
}

#[test]
fn a_release_newer_than_every_line_is_warned_about_with_the_newest() {
    let found = compiled_with(
        &flake("26.05"),
        "flakesmith-nixos-25-05 = { path = \"x\" }\nflakesmith-home-26-05 = { path = \"y\" }\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    let (code, severity, text) = &found[0];
    assert_eq!(
        (*code, *severity),
        ("bindings-older-than-release", Severity::Warning)
    );
    assert!(
        text.contains("newer than the NixOS bindings it is typed against (25.05"),
        "{text}"
    );
    // With an older line than the newest, it is an error naming the newest.
    let found = compiled_with(
        &flake("26.05"),
        "flakesmith-nixos-24-11 = { path = \"x\" }\n",
    );
    assert_eq!(found[0].1, Severity::Error, "{found:?}");
    assert!(
        found[0]
            .2
            .contains("depend on `flakesmith-nixos-25-05`, the newest"),
        "{}",
        found[0].2
    );
}
