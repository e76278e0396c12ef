//! Outputs flakesmith does not write, kept by hand (`Flake::extra_outputs`): joined with
//! the generated ones, evaluated through the generated flake; a name flakesmith writes
//! itself is a build error.

use flakesmith::compile;
use flakesmith::prelude::*;
use flakesmith_tests::{evaluate_flake, nixpkgs_lib_or_say, rejected_text};

const EXTRA: &str = r#"{ self, nixpkgs, ... }@inputs:
let
  hostNames = builtins.attrNames self.nixosConfigurations;
in
{
  darwinConfigurations.mac = { system = "aarch64-darwin"; };
  lib.hosts = hostNames;
}
"#;

fn host() -> Host {
    Host::new("desk", System::X86_64Linux, "24.11").hardware(Hardware::nix_text("{ }"))
}

#[test]
fn extra_outputs_join_the_generated_ones() {
    let flake = Flake::new("extra", "24.11")
        .host(host())
        .extra_outputs(NixSource::nix_text(EXTRA));
    let tree = compile(&flake, std::path::Path::new("."))
        .unwrap_or_else(|r| panic!("{}", flakesmith::diagnostic::render_all(&r.diagnostics)))
        .tree;
    let flake_nix = tree.get("flake.nix").unwrap();
    assert!(
        flake_nix.contains("(import ./outputs.nix inputs) // {"),
        "{flake_nix}"
    );
    assert!(tree.get("outputs.nix").unwrap().ends_with(EXTRA));
    let Some(lib) = nixpkgs_lib_or_say("extra outputs") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        "{ hosts = outputs.lib.hosts; mac = outputs.darwinConfigurations.mac.system; names = builtins.attrNames outputs; }",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        value,
        serde_json::json!({
            "hosts": ["desk"],
            "mac": "aarch64-darwin",
            "names": ["darwinConfigurations", "lib", "nixosConfigurations"],
        })
    );
}

#[test]
fn extra_outputs_may_not_replace_what_flakesmith_writes() {
    let text = rejected_text(&Flake::new("extra", "24.11").host(host()).extra_outputs(
        NixSource::nix_text(
            "inputs: { nixosConfigurations = { }; inherit (inputs.self) formatter; }",
        ),
    ));
    for expected in [
        "error[invalid-extra-outputs]: the flake's extra outputs define `nixosConfigurations`, which flakesmith writes itself",
        "tests/extra_outputs.rs:",
    ] {
        assert!(text.contains(expected), "`{expected}` in:\n{text}");
    }
    // `formatter` is not written without `Flake::formatter`: it is the file's to give.
    assert!(!text.contains("`formatter`"), "{text}");
    let text = rejected_text(
        &Flake::new("extra", "24.11")
            .host(host())
            .extra_outputs(NixSource::nix_text("{ packages = { }; }")),
    );
    assert!(
        text.contains("error[invalid-extra-outputs]: the flake's extra outputs are not a function of the flake's inputs"),
        "{text}"
    );
}

/// A host may import a module the flake's own outputs give (`self`, which needs no
/// declaration): the module is imported and its definitions reach the host.
#[test]
fn hosts_import_modules_of_the_flakes_own_outputs() {
    let flake = Flake::new("extra", "24.11")
        .host(host().import(Module::from_input("self", "nixosModules.motd")))
        .extra_outputs(NixSource::nix_text(
            "inputs: { nixosModules.motd = { environment.etc.motd.text = \"hello\"; }; }\n",
        ));
    let tree = compile(&flake, std::path::Path::new("."))
        .unwrap_or_else(|r| panic!("{}", flakesmith::diagnostic::render_all(&r.diagnostics)))
        .tree;
    let Some(lib) = nixpkgs_lib_or_say("a module of the flake's own outputs") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        "outputs.nixosConfigurations.desk.config.environment.etc.motd.text",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value, serde_json::json!("hello"));
}
