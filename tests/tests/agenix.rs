//! agenix secrets: declared on the host, checked before Nix, written and evaluated with a
//! stand-in agenix module that declares `age.secrets` as agenix does (the real module
//! system, when `FLAKESMITH_NIXPKGS_LIB` names it).

use std::path::{Path, PathBuf};

use flakesmith::prelude::*;
use flakesmith::{compile, Input};
use flakesmith_nixos::users;
use flakesmith_tests::{eval_json, nixpkgs_lib_or_say};

const AGE_FILE: &str = "-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBhYmMK\n-----END AGE ENCRYPTED FILE-----\n";

/// agenix's `age.secrets`, as far as these tests use it.
const AGE_MODULE: &str = r#"{ lib, ... }: {
  options.age.secrets = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
      options = {
        file = lib.mkOption { type = lib.types.path; };
        owner = lib.mkOption { type = lib.types.str; default = "0"; };
        group = lib.mkOption { type = lib.types.str; default = "0"; };
        mode = lib.mkOption { type = lib.types.str; default = "0400"; };
        path = lib.mkOption { type = lib.types.str; default = "/run/agenix/${name}"; };
      };
    }));
    default = { };
  };
}"#;

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("secrets")).unwrap();
    std::fs::write(dir.path().join("secrets/alice-password.age"), AGE_FILE).unwrap();
    std::fs::write(
        dir.path().join("secrets/binary.age"),
        [0x61, 0x67, 0xff, 0x00],
    )
    .unwrap();
    dir
}

fn file(dir: &Path) -> PathBuf {
    dir.join("secrets/alice-password.age")
}

fn desk(secret: AgeSecret) -> Host {
    Host::new("desk", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .import(Module::from_input("agenix", "nixosModules.default"))
        .set(users::users::user("alice").is_normal_user(), true)
        .age_secret(secret)
        .set(
            users::users::user("alice").hashed_password_file(),
            Secret::agenix("alice-password"),
        )
}

fn flake(host: Host) -> Flake {
    Flake::new("agenix", "24.11")
        .input(Input::github("agenix", "ryantm/agenix").follows("nixpkgs", "nixpkgs"))
        .host(host)
}

#[test]
fn a_declared_secret_is_written_and_evaluates() {
    let dir = scratch();
    let secret = AgeSecret::new("alice-password", file(dir.path())).owner("alice");
    let tree = compile(&flake(desk(secret)), dir.path()).unwrap().tree;
    assert_eq!(tree.get("secrets/alice-password.age"), Some(AGE_FILE));
    let host = tree.get("hosts/desk/default.nix").unwrap();
    assert!(
        host.contains("file = ../../secrets/alice-password.age;"),
        "{host}"
    );
    assert!(
        host.contains("inputs.agenix.nixosModules.default"),
        "{host}"
    );

    let Some(lib) = nixpkgs_lib_or_say("agenix secrets") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    flakesmith::writer::write(out.path(), &tree, false).unwrap();
    let age_module = out.path().join("age-module.nix");
    std::fs::write(&age_module, AGE_MODULE).unwrap();
    let value = eval_json(&format!(
        r#"let
          lib = {lib};
          system = lib.evalModules {{
            modules = [ {{ freeformType = with lib.types; attrsOf anything; }} {host} ];
            specialArgs = {{ inputs.agenix.nixosModules.default = import {age}; pkgs = {{ }}; }};
          }};
          secret = system.config.age.secrets.alice-password;
        in {{
          password = system.config.users.users.alice.hashedPasswordFile;
          inherit (secret) owner mode;
          file = builtins.baseNameOf secret.file;
        }}"#,
        host = out.path().join("hosts/desk/default.nix").display(),
        age = age_module.display(),
    ));
    assert_eq!(
        value,
        serde_json::json!({
            "password": "/run/agenix/alice-password",
            "owner": "alice",
            "mode": "0400",
            "file": "alice-password.age"
        })
    );
}

#[test]
fn secret_mistakes_name_the_rust_line() {
    let dir = scratch();
    let ok = || AgeSecret::new("alice-password", file(dir.path()));
    let cases: Vec<(&str, Flake, &str)> = vec![
        (
            "a secret used but not declared",
            flake(desk(ok()).set(
                users::users::user("alice").hashed_password_file(),
                Secret::agenix("bob-password"),
            )),
            "uses agenix secret `bob-password`, which the host does not declare",
        ),
        (
            "agenix's module not imported",
            flake(
                Host::new("desk", System::X86_64Linux, "24.05")
                    .hardware(Hardware::nix_text("{}"))
                    .age_secret(ok()),
            ),
            "declares agenix secrets but does not import agenix's module",
        ),
        (
            "an owner with no account",
            flake(desk(ok().owner("carol"))),
            "the owner of an agenix secret, `carol`, is no user on host `desk`",
        ),
        (
            "a group that does not exist",
            flake(desk(ok().group("secret-readers"))),
            "the group of an agenix secret, `secret-readers`, is no group on host `desk`",
        ),
        (
            "an age file that does not exist",
            flake(desk(AgeSecret::new(
                "alice-password",
                dir.path().join("secrets/nope.age"),
            ))),
            "cannot read the age file of secret `alice-password`",
        ),
        (
            "a binary age file",
            flake(desk(AgeSecret::new(
                "alice-password",
                dir.path().join("secrets/binary.age"),
            ))),
            "is not ASCII-armored",
        ),
        (
            "a mode that is not octal",
            flake(desk(ok().mode("777x"))),
            "error[invalid-secret-field]: the mode of age secret `alice-password` is `777x`, which is not three or four octal digits",
        ),
        (
            "a mode of too many digits",
            flake(desk(ok().mode("00400"))),
            "is `00400`, which is not three or four octal digits",
        ),
    ];
    for (what, flake, expected) in cases {
        let text = match compile(&flake, dir.path()) {
            Ok(_) => panic!("{what}: accepted"),
            Err(rejected) => flakesmith::diagnostic::render_all(&rejected.diagnostics),
        };
        assert!(text.contains(expected), "{what}:\n{text}");
        assert!(
            text.contains("tests/tests/agenix.rs:"),
            "{what}: no Rust location:\n{text}"
        );
    }
    // Near misses: root and a system group are always there; the module by its own name.
    compile(&flake(desk(ok().owner("root").group("keys"))), dir.path()).unwrap();
    for mode in ["400", "0440", "4755"] {
        compile(&flake(desk(ok().mode(mode))), dir.path()).unwrap();
    }
    let by_name = Host::new("desk", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .import(Module::from_input("agenix", "nixosModules.age"))
        .age_secret(ok());
    compile(&flake(by_name), dir.path()).unwrap();
}
