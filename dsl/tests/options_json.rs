//! `flakesmith options json` / `options generate --lib ... --module ...`: bindings for the
//! options a module set declares, made without a flake tree, evaluated with the real
//! module system (`FLAKESMITH_NIXPKGS_LIB`, set by `.ci/run`).

mod common;

use common::flakesmith;

const MODULE: &str = r#"{ lib, ... }: {
  options.fleet.web = {
    enable = lib.mkEnableOption "the fleet's web server";
    port = lib.mkOption { type = lib.types.port; default = 80; description = "The port."; };
    greeting = lib.mkOption { type = lib.types.lines; default = ""; description = "Text."; };
    level = lib.mkOption { type = lib.types.enum [ "info" "debug" ]; default = "info"; description = "Log level."; };
    sites = lib.mkOption {
      type = lib.types.attrsOf (lib.types.submodule {
        options.root = lib.mkOption { type = lib.types.str; description = "Root."; };
      });
      default = { };
      description = "Sites.";
    };
  };
}
"#;

#[test]
fn bindings_come_straight_from_modules() {
    let Some(lib) = std::env::var("FLAKESMITH_NIXPKGS_LIB").ok() else {
        eprintln!("options json: NOT checked: no nixpkgs lib (set FLAKESMITH_NIXPKGS_LIB)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("web.nix");
    std::fs::write(&module, MODULE).unwrap();
    let out = dir.path().join("bindings");
    flakesmith(&[
        "options",
        "generate",
        "--lib",
        &lib,
        "--module",
        module.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let web = std::fs::read_to_string(out.join("fleet/web.rs")).unwrap();
    for item in [
        "pub const enable: Opt<bool>",
        "pub const port: Opt<u16>",
        "pub const greeting: Opt<Concatenated>",
        "pub const level: Opt<Level>",
        "pub fn site(entry_name: &str) -> SitesEntry",
        "pub fn root(&self) -> Opt<String>",
        "`fleet.web.port`",
    ] {
        assert!(web.contains(item), "{item} missing:\n{web}");
    }
    assert!(!web.contains("_module"), "{web}");
}
