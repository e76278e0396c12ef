//! `flakesmith options json` / `options generate --lib ... --module ...`: bindings for the
//! options a module set declares, made without a flake tree, evaluated with the real
//! module system (`FLAKESMITH_NIXPKGS_LIB`, set by `.ci/run`).

use std::process::Command;

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
    let Some(lib) = std::env::var_os("FLAKESMITH_NIXPKGS_LIB") else {
        eprintln!("options json: NOT checked: no nixpkgs lib (set FLAKESMITH_NIXPKGS_LIB)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("web.nix");
    std::fs::write(&module, MODULE).unwrap();
    let out = dir.path().join("bindings");
    let output = Command::new(env!("CARGO_BIN_EXE_flakesmith"))
        .args(["options", "generate", "--lib"])
        .arg(&lib)
        .arg("--module")
        .arg(&module)
        .arg("--out")
        .arg(&out)
        .env(
            "NIX_STATE_DIR",
            std::env::temp_dir().join("flakesmith-nix-state"),
        )
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
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
