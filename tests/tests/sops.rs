//! sops-nix secrets: declared on the host, checked before Nix, written and evaluated with
//! a stand-in sops-nix module that declares `sops.secrets` as sops-nix does (the real
//! module system, when `FLAKESMITH_NIXPKGS_LIB` names it).

use std::path::{Path, PathBuf};

use flakesmith::prelude::*;
use flakesmith::{compile, Input, SopsSecret};
use flakesmith_nixos::users;
use flakesmith_tests::{eval_json, nixpkgs_lib_or_say};

const SOPS_FILE: &str = "alice-password: ENC[AES256_GCM,data:abc,tag:def,type:str]\nwifi:\n    psk: ENC[AES256_GCM,data:xyz,type:str]\nsops:\n    version: 3.8.1\n";

/// sops-nix's `sops.secrets`, as far as these tests use it.
const SOPS_MODULE: &str = r#"{ lib, ... }: {
  options.sops.secrets = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule ({ name, ... }: {
      options = {
        sopsFile = lib.mkOption { type = lib.types.path; };
        key = lib.mkOption { type = lib.types.str; default = name; };
        owner = lib.mkOption { type = lib.types.str; default = "root"; };
        group = lib.mkOption { type = lib.types.str; default = "root"; };
        mode = lib.mkOption { type = lib.types.str; default = "0400"; };
        neededForUsers = lib.mkOption { type = lib.types.bool; default = false; };
        path = lib.mkOption { type = lib.types.str; default = "/run/secrets/${name}"; };
      };
    }));
    default = { };
  };
}"#;

fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("secrets")).unwrap();
    std::fs::write(dir.path().join("secrets/desk.yaml"), SOPS_FILE).unwrap();
    dir
}

fn accounts() -> Module {
    Module::new(Category::System, "accounts")
        .set(users::users::user("alice").is_normal_user(), true)
}

fn desk(secret: SopsSecret) -> Host {
    Host::new("desk", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .import(Module::from_input("sops-nix", "nixosModules.sops"))
        .import(accounts())
        .sops_secret(secret)
        .set(
            users::users::user("alice").hashed_password_file(),
            Secret::sops("alice-password"),
        )
}

fn flake(host: Host) -> Flake {
    Flake::new("sops", "24.11")
        .input(Input::github("sops-nix", "Mic92/sops-nix").follows("nixpkgs", "nixpkgs"))
        .host(host)
}

fn file(dir: &Path) -> PathBuf {
    dir.join("secrets/desk.yaml")
}

#[test]
fn a_declared_secret_is_written_and_evaluates() {
    let dir = scratch();
    let secret = SopsSecret::new("alice-password")
        .file(file(dir.path()))
        .owner("alice");
    let tree = compile(&flake(desk(secret)), dir.path()).unwrap().tree;
    assert_eq!(tree.get("secrets/desk.yaml"), Some(SOPS_FILE));
    let host = tree.get("hosts/desk/default.nix").unwrap();
    assert!(
        host.contains("sopsFile = ../../secrets/desk.yaml;"),
        "{host}"
    );
    // A password file is needed before users exist: flakesmith says so for the user.
    assert!(host.contains("neededForUsers = true;"), "{host}");

    let Some(lib) = nixpkgs_lib_or_say("sops secrets") else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    flakesmith::writer::write(out.path(), &tree, false).unwrap();
    let sops_module = out.path().join("sops-module.nix");
    std::fs::write(&sops_module, SOPS_MODULE).unwrap();
    let value = eval_json(&format!(
        r#"let
          lib = {lib};
          system = lib.evalModules {{
            modules = [ {{ freeformType = with lib.types; attrsOf anything; }} {host} ];
            specialArgs = {{ inputs.sops-nix.nixosModules.sops = import {sops}; pkgs = {{ }}; }};
          }};
          secret = system.config.sops.secrets.alice-password;
        in {{
          password = system.config.users.users.alice.hashedPasswordFile;
          inherit (secret) owner neededForUsers;
          file = builtins.baseNameOf secret.sopsFile;
        }}"#,
        host = out.path().join("hosts/desk/default.nix").display(),
        sops = sops_module.display(),
    ));
    assert_eq!(
        value,
        serde_json::json!({
            "password": "/run/secrets/alice-password",
            "owner": "alice",
            "neededForUsers": true,
            "file": "desk.yaml"
        })
    );
}

#[test]
fn secret_mistakes_name_the_rust_line() {
    let dir = scratch();
    let ok = || SopsSecret::new("alice-password").file(file(dir.path()));
    let cases: Vec<(&str, Flake, &str)> = vec![
        (
            "a secret used but not declared",
            flake(
                desk(ok())
                    .set(
                        flakesmith_nixos::services::openssh::settings::permit_root_login,
                        flakesmith_nixos::services::openssh::settings::PermitRootLogin::No,
                    )
                    .set(
                        users::users::user("alice").hashed_password_file(),
                        Secret::sops("bob-password"),
                    ),
            ),
            "uses sops secret `bob-password`, which the host does not declare",
        ),
        (
            "sops-nix's module not imported",
            flake(
                Host::new("desk", System::X86_64Linux, "24.05")
                    .hardware(Hardware::nix_text("{}"))
                    .sops_secret(ok()),
            ),
            "declares sops secrets but does not import sops-nix's module",
        ),
        (
            "an owner with no account",
            flake(desk(ok().owner("carol"))),
            "the owner of a sops secret, `carol`, is no user on host `desk`",
        ),
        (
            "a group that does not exist",
            flake(desk(ok().group("secret-readers"))),
            "the group of a sops secret, `secret-readers`, is no group on host `desk`",
        ),
        (
            "a sops file that does not exist",
            flake(desk(
                SopsSecret::new("alice-password").file(dir.path().join("secrets/nope.yaml")),
            )),
            "cannot read the sops file of secret `alice-password`",
        ),
        (
            "a key the file does not have",
            flake(desk(ok().key("bob-password"))),
            "has no key `bob-password` for secret `alice-password`",
        ),
        (
            "a password file not needed for users",
            flake(desk(ok().needed_for_users(false))),
            "is a user's password file but says it is not needed for users",
        ),
        (
            "a mode that is not octal",
            flake(desk(ok().mode("777x"))),
            "error[invalid-secret-field]: the mode of sops secret `alice-password` is `777x`, which is not three or four octal digits",
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
            text.contains("tests/tests/sops.rs:"),
            "{what}: no Rust location:\n{text}"
        );
    }
    // Near misses: root and a system group are always there; a nested key's first part.
    compile(&flake(desk(ok().owner("root").group("keys"))), dir.path()).unwrap();
    // A group made by an entry of its own, with no option set (`users.groups.x = { };`).
    let made = desk(ok().group("secret-readers")).set(
        users::groups,
        [("secret-readers", users::GroupsValue::new())],
    );
    compile(&flake(made), dir.path()).unwrap();
    for mode in ["400", "0440", "4755"] {
        compile(&flake(desk(ok().mode(mode))), dir.path()).unwrap();
    }
    let wifi = SopsSecret::new("wifi-psk")
        .file(file(dir.path()))
        .key("wifi/psk");
    compile(&flake(desk(ok()).sops_secret(wifi)), dir.path()).unwrap();
}

/// A secret's path read as another option's value (`config.sops.secrets.<name>.path`, as
/// `flakesmith import` writes it) is checked like `Secret::sops`: a secret defined through
/// sops-nix's options counts as declared, one defined nowhere is an error, and one a
/// hand-kept module may declare is left to Nix.
#[test]
fn a_secret_path_read_as_a_value_is_checked_against_the_secrets_defined() {
    use flakesmith_inputs::sops_nix::sops;
    let dir = scratch();
    let host = |name: &str| {
        Host::new("desk", System::X86_64Linux, "24.05")
            .hardware(Hardware::nix_text("{}"))
            .import(Module::from_input("sops-nix", "nixosModules.sops"))
            .import(accounts())
            .set(sops::secrets::secret("wifi").needed_for_users(), true)
            .set(
                users::users::user("alice").hashed_password_file(),
                sops::secrets::secret(name).path().value(),
            )
    };
    let tree = compile(&flake(host("wifi")), dir.path()).unwrap().tree;
    let written = tree.get("hosts/desk/default.nix").unwrap();
    assert!(
        written.contains("hashedPasswordFile = config.sops.secrets.wifi.path;"),
        "{written}"
    );
    let text = match compile(&flake(host("bob-password")), dir.path()) {
        Ok(_) => panic!("a secret defined nowhere: accepted"),
        Err(rejected) => flakesmith::diagnostic::render_all(&rejected.diagnostics),
    };
    assert!(
        text.contains("uses sops secret `bob-password`, which the host does not declare")
            && text.contains("tests/tests/sops.rs:"),
        "{text}"
    );
    let hand_kept = Module::nix_file(Category::System, "secrets", dir.path().join("secrets.nix"));
    std::fs::write(
        dir.path().join("secrets.nix"),
        "{ ... }: { sops.secrets.bob-password = { }; }\n",
    )
    .unwrap();
    compile(&flake(host("bob-password").import(hand_kept)), dir.path()).unwrap();
}
