//! Other flakes: typed inputs written to `flake.nix` and passed to every module, and
//! hosts importing their modules, evaluated with stand-in input flakes (and the real
//! module system for the host, when `FLAKESMITH_NIXPKGS_LIB` names it).

use std::path::Path;

use flakesmith::prelude::*;
use flakesmith::{compile, Input, Opt, OptionPath};
use flakesmith_tests::{eval_json, nix_instantiate, nixpkgs_lib_or_say};

fn fleet() -> Flake {
    Flake::new("inputs", "24.11")
        .input(Input::github("sops-nix", "Mic92/sops-nix").follows("nixpkgs", "nixpkgs"))
        .input(Input::github("nixos-hardware", "NixOS/nixos-hardware"))
        .input(Input::url("wallpapers", "https://example.org/w.tar.gz").not_a_flake())
        .host(
            Host::new("desk", System::X86_64Linux, "24.05")
                .hardware(Hardware::nix_text("{}"))
                .import(Module::from_input("sops-nix", "nixosModules.sops"))
                .import(Module::from_input(
                    "nixos-hardware",
                    "nixosModules.framework-13-7040-amd",
                ))
                .set(
                    Opt::<String>::at(OptionPath::Owned(vec![
                        "sops".into(),
                        "defaultSopsFile".into(),
                    ])),
                    "/etc/secrets.yaml",
                )
                // A Home Manager user: only hosts with users import Home Manager.
                .set(
                    flakesmith_nixos::users::users::user("alice").is_normal_user(),
                    true,
                )
                .user(User::new("alice", "24.05")),
        )
}

#[test]
fn inputs_are_written_and_passed_to_every_module() {
    let tree = compile(&fleet(), Path::new(".")).unwrap().tree;
    let dir = tempfile::tempdir().unwrap();
    flakesmith::writer::write(dir.path(), &tree, false).unwrap();
    for file in ["flake.nix", "hosts/desk/default.nix"] {
        let parse = nix_instantiate(&["--parse", dir.path().join(file).to_str().unwrap()]);
        assert!(
            parse.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&parse.stderr)
        );
    }
    assert!(tree
        .get("modules/system/sops-nix.nixosModules.sops.nix")
        .is_none());
    // The flake's outputs, with stand-in inputs: nixosSystem returns its argument.
    let value = eval_json(&format!(
        r#"let
          flake = import {flake};
          inputs = {{
            self = {{ }};
            nixpkgs = {{ lib.nixosSystem = args: args; }};
            home-manager = {{ nixosModules.home-manager = "home-manager's module"; }};
            sops-nix = {{ nixosModules.sops = "sops-nix's module"; }};
            nixos-hardware = {{ nixosModules.framework-13-7040-amd = "a profile"; }};
            wallpapers = "a source tree";
          }};
          desk = (flake.outputs inputs).nixosConfigurations.desk;
        in {{
          inputs = flake.inputs;
          passed = builtins.attrNames desk.specialArgs.inputs;
          home = builtins.attrNames (builtins.elemAt desk.modules 2).home-manager.extraSpecialArgs.inputs;
        }}"#,
        flake = dir.path().join("flake.nix").display()
    ));
    assert_eq!(
        value["inputs"]["sops-nix"],
        serde_json::json!({"url": "github:Mic92/sops-nix", "inputs": {"nixpkgs": {"follows": "nixpkgs"}}})
    );
    assert_eq!(
        value["inputs"]["wallpapers"],
        serde_json::json!({"url": "https://example.org/w.tar.gz", "flake": false})
    );
    let all = serde_json::json!([
        "home-manager",
        "nixos-hardware",
        "nixpkgs",
        "self",
        "sops-nix",
        "wallpapers"
    ]);
    assert_eq!(value["passed"], all);
    assert_eq!(value["home"], all);

    // The host imports the modules from its `inputs` argument, with the real module
    // system: sops-nix's stand-in declares the option the host sets.
    let Some(lib) = nixpkgs_lib_or_say("modules of other flakes") else {
        return;
    };
    let value = eval_json(&format!(
        r#"let
          lib = {lib};
          inputs = {{
            sops-nix.nixosModules.sops = {{ lib, ... }}: {{
              options.sops.defaultSopsFile = lib.mkOption {{ type = lib.types.str; }};
            }};
            nixos-hardware.nixosModules.framework-13-7040-amd = {{ hardware.framework = true; }};
          }};
          system = lib.evalModules {{
            modules = [ {{ freeformType = with lib.types; attrsOf anything; }} {host} ];
            specialArgs = {{ inherit inputs; pkgs = {{ }}; }};
          }};
        in {{ inherit (system.config) sops hardware; }}"#,
        host = dir.path().join("hosts/desk/default.nix").display()
    ));
    assert_eq!(value["sops"]["defaultSopsFile"], "/etc/secrets.yaml");
    assert_eq!(value["hardware"]["framework"], true);
}

#[test]
fn mistakes_with_inputs_are_build_errors() {
    let cases: Vec<(&str, Flake, &str)> = vec![
        (
            "a module from an undeclared input",
            Flake::new("x", "24.11").host(
                Host::new("desk", System::X86_64Linux, "24.05")
                    .hardware(Hardware::nix_text("{}"))
                    .import(Module::from_input("disko", "nixosModules.disko")),
            ),
            "comes from input `disko`, which the flake does not declare",
        ),
        (
            "definitions on another flake's module",
            Flake::new("x", "24.11")
                .input(Input::github("disko", "nix-community/disko"))
                .host(
                    Host::new("desk", System::X86_64Linux, "24.05")
                        .hardware(Hardware::nix_text("{}"))
                        .import(
                            Module::from_input("disko", "nixosModules.disko")
                                .set(flakesmith_nixos::networking::host_name, "desk"),
                        ),
                ),
            "definitions made on it are written nowhere",
        ),
        (
            "a reserved input name",
            Flake::new("x", "24.11").input(Input::github("nixpkgs", "NixOS/nixpkgs")),
            "input `nixpkgs` is one flakesmith writes itself",
        ),
        (
            "following an input that does not exist",
            Flake::new("x", "24.11").input(
                Input::github("sops-nix", "Mic92/sops-nix").follows("nixpkgs-stable", "stable"),
            ),
            "follows `stable`, which is not an input of this flake",
        ),
        (
            "an input name that is not an attribute name",
            Flake::new("x", "24.11").input(Input::github("sops nix", "Mic92/sops-nix")),
            "input name `sops nix` is not valid",
        ),
    ];
    for (what, flake, expected) in cases {
        let text = match compile(&flake, Path::new(".")) {
            Ok(_) => panic!("{what}: accepted"),
            Err(rejected) => flakesmith::diagnostic::render_all(&rejected.diagnostics),
        };
        assert!(text.contains(expected), "{what}:\n{text}");
        assert!(
            text.contains("tests/tests/inputs.rs:"),
            "{what}: no Rust location:\n{text}"
        );
    }
}

/// The `home-manager` input is written where it is pinned or used, and nowhere else: a
/// flake without Home Manager neither locks it nor lists it among its inputs (which a
/// configuration may read, as in `builtins.attrNames inputs`).
#[test]
fn home_manager_is_an_input_only_where_pinned_or_used() {
    let server =
        || Host::new("server", System::X86_64Linux, "24.05").hardware(Hardware::nix_text("{}"));
    let cases = [
        (
            "no users",
            Flake::new("plain", "24.11").host(server()),
            None,
        ),
        (
            "pinned",
            Flake::new("pinned", "24.11")
                .home_manager("github:nix-community/home-manager/master")
                .host(server()),
            Some("github:nix-community/home-manager/master"),
        ),
        (
            "a module from it",
            Flake::new("module", "24.11").host(server().import(Module::from_input(
                "home-manager",
                "nixosModules.home-manager",
            ))),
            Some("github:nix-community/home-manager/release-24.11"),
        ),
        (
            "an input following it",
            Flake::new("follows", "24.11")
                .input(
                    Input::github("stylix", "danth/stylix").follows("home-manager", "home-manager"),
                )
                .host(server()),
            Some("github:nix-community/home-manager/release-24.11"),
        ),
        (
            "a user",
            Flake::new("user", "24.11").host(
                server()
                    .set(
                        flakesmith_nixos::users::users::user("alice").is_normal_user(),
                        true,
                    )
                    .user(User::new("alice", "24.05")),
            ),
            Some("github:nix-community/home-manager/release-24.11"),
        ),
    ];
    for (case, flake, expected) in cases {
        let tree = compile(&flake, Path::new(".")).unwrap().tree;
        let dir = tempfile::tempdir().unwrap();
        flakesmith::writer::write(dir.path(), &tree, false).unwrap();
        // The outputs are called with exactly the inputs the flake lists, as Nix does.
        let value = eval_json(&format!(
            r#"let
              flake = import {flake};
              stand-ins = {{
                self = {{ }};
                nixpkgs = {{ lib.nixosSystem = args: builtins.length args.modules; }};
                home-manager = {{ nixosModules.home-manager = "home-manager's module"; }};
                stylix = {{ }};
              }};
              inputs = builtins.intersectAttrs (flake.inputs // {{ self = null; }}) stand-ins;
            in {{
              home-manager = flake.inputs.home-manager.url or null;
              modules = (flake.outputs inputs).nixosConfigurations.server;
            }}"#,
            flake = dir.path().join("flake.nix").display()
        ));
        assert_eq!(
            value["home-manager"],
            serde_json::json!(expected),
            "{case}: {}",
            tree.get("flake.nix").unwrap()
        );
        assert!(value["modules"].as_u64().unwrap() >= 1, "{case}");
    }
}
