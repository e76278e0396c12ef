//! The value types the bindings generate for options beyond scalars: submodule values
//! (`attribute set of (submodule)`, `list of (submodule)`), unions (`OneOf`) and freeform
//! settings in a format (`Data<F>`). What flakesmith writes from them must evaluate with
//! the real module system against declarations of the same types as nixpkgs'; a value the
//! type cannot hold is a build error at the Rust line.
//!
//! Needs the real nixpkgs lib (`FLAKESMITH_NIXPKGS_LIB`, set by `.ci/run`) for the
//! module-system half; without it the test says so on standard error.

use std::path::Path;

use flakesmith::compile;
use flakesmith::prelude::*;
use flakesmith::value::{Data, Toml};
use flakesmith_nixos::networking::interfaces;
use flakesmith_nixos::services::nginx::virtual_hosts;
use flakesmith_nixos::services::{plikd, xserver};
use flakesmith_nixos::systemd::{services, tmpfiles};
use flakesmith_nixos::{environment, file_systems, networking, FileSystemsValue};
use flakesmith_tests::{evaluate_host, nixpkgs_lib_or_say};

const THIS_FILE: &str = "tests/tests/typed_values.rs:";

/// The options the host sets, declared with the types nixpkgs gives them. systemd's
/// `unitOption` and `formats.toml` live outside `lib`: their accepted values, spelled
/// with `lib.types` (TOML values are JSON values without null).
const DECLARATIONS: &str = r#"{ lib, ... }: with lib.types; let
  unitValue = oneOf [ bool int str path package ];
  tomlValue = oneOf [ bool int float str (attrsOf tomlValue) (listOf tomlValue) ];
in {
  freeformType = attrsOf anything;
  options.networking.hostName = lib.mkOption { type = str; };
  options.fileSystems = lib.mkOption {
    type = attrsOf (submodule {
      options = {
        device = lib.mkOption { type = nullOr nonEmptyStr; default = null; };
        fsType = lib.mkOption { type = nonEmptyStr; default = "auto"; };
        options = lib.mkOption { type = nonEmptyListOf nonEmptyStr; default = [ "defaults" ]; };
      };
    });
  };
  options.networking.interfaces = lib.mkOption {
    type = attrsOf (submodule {
      options.ipv4.addresses = lib.mkOption {
        type = listOf (submodule {
          options = {
            address = lib.mkOption { type = str; };
            prefixLength = lib.mkOption { type = addCheck int (n: n >= 0 && n <= 32); };
          };
        });
        default = [ ];
      };
    });
  };
  options.services.xserver.xrandrHeads = lib.mkOption {
    type = listOf (coercedTo str (output: { inherit output; }) (submodule {
      options.output = lib.mkOption { type = str; };
      options.primary = lib.mkOption { type = bool; default = false; };
    }));
    default = [ ];
  };
  options.systemd.tmpfiles.settings = lib.mkOption {
    type = attrsOf (attrsOf (attrsOf (submodule {
      options.mode = lib.mkOption { type = str; default = "-"; };
    })));
    default = { };
  };
  options.environment.etc = lib.mkOption {
    type = attrsOf (submodule {
      options.text = lib.mkOption { type = nullOr lines; default = null; };
    });
    default = { };
  };
  options.environment.variables = lib.mkOption {
    type = attrsOf (oneOf [ (listOf (oneOf [ int str path ])) int str path ]);
    default = { };
  };
  options.systemd.services = lib.mkOption {
    type = attrsOf (submodule {
      options.serviceConfig = lib.mkOption { type = attrsOf (either unitValue (listOf unitValue)); default = { }; };
    });
  };
  options.services.plikd.settings = lib.mkOption { type = attrsOf tomlValue; };
}"#;

fn host() -> Host {
    Host::new("h", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .set(
            file_systems,
            [(
                "/",
                FileSystemsValue::new()
                    .device("/dev/disk/by-label/root")
                    .fs_type("ext4")
                    .options(["noatime"]),
            )],
        )
        .set(
            interfaces::interface("eth0").ipv4().addresses(),
            [interfaces::AddressesValue::new()
                .address("10.0.0.2")
                .prefix_length(24)],
        )
        // A list whose items are of different members of the union.
        .set(
            xserver::xrandr_heads,
            [
                OneOf::of("HDMI-0"),
                OneOf::of(
                    xserver::XrandrHeadsValue::new()
                        .output("DP-1")
                        .primary(true),
                ),
            ],
        )
        // Entries of a collection that names them otherwise than `<name>` in the option
        // data (`settings.<config-name>.<path>.<tmpfiles-type>`).
        .set(
            tmpfiles::settings::setting("srv-git")
                .entry("/srv/git")
                .entry("d")
                .mode(),
            "0755",
        )
        // Another option's value.
        .set(
            environment::etc::entry("hostname").text(),
            networking::host_name.value(),
        )
        .set(environment::variables, [("EDITOR", "nvim")])
        .set(environment::variables, [("XDG_DATA_DIRS", ["/a", "/b"])])
        .set(
            services::service("demo").service_config(),
            [
                ("Restart", Data::of("always")),
                ("RestartSec", Data::of(5)),
                ("ExecStartPre", Data::of(vec!["/bin/a", "/bin/b"])),
            ],
        )
        .set(
            plikd::settings,
            Data::<Toml>::attrs([("ListenPort", Data::of(8080)), ("Debug", Data::of(false))]),
        )
}

#[test]
fn typed_values_evaluate_with_the_real_module_system() {
    let flake = Flake::new("typed", "24.05").host(host());
    let compiled = compile(&flake, Path::new("."));
    if let Err(rejected) = &compiled {
        panic!(
            "{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        );
    }
    let Some(lib) = nixpkgs_lib_or_say("typed values") else {
        return;
    };
    let printed = evaluate_host(
        &lib,
        &flake,
        "h",
        &[DECLARATIONS],
        "builtins.toJSON { fs = config.fileSystems; addresses = config.networking.interfaces.eth0.ipv4.addresses; heads = config.services.xserver.xrandrHeads; hostname = config.environment.etc.hostname.text; tmpfiles = config.systemd.tmpfiles.settings; variables = config.environment.variables; unit = config.systemd.services.demo.serviceConfig; plik = config.services.plikd.settings; }",
        true,
    )
    .unwrap_or_else(|error| panic!("Nix rejected what flakesmith accepted:\n{error}"));
    let quoted: String = serde_json::from_str(&printed).unwrap();
    let value: serde_json::Value = serde_json::from_str(&quoted).unwrap();
    assert_eq!(
        value["fs"]["/"],
        serde_json::json!({"device": "/dev/disk/by-label/root", "fsType": "ext4", "options": ["noatime"]})
    );
    assert_eq!(
        value["addresses"],
        serde_json::json!([{"address": "10.0.0.2", "prefixLength": 24}])
    );
    assert_eq!(
        value["heads"],
        serde_json::json!([{"output": "HDMI-0", "primary": false}, {"output": "DP-1", "primary": true}])
    );
    assert_eq!(value["hostname"], serde_json::json!("h"));
    assert_eq!(
        value["tmpfiles"],
        serde_json::json!({"srv-git": {"/srv/git": {"d": {"mode": "0755"}}}})
    );
    assert_eq!(
        value["variables"],
        serde_json::json!({"EDITOR": "nvim", "XDG_DATA_DIRS": ["/a", "/b"]})
    );
    assert_eq!(
        value["unit"],
        serde_json::json!({"Restart": "always", "RestartSec": 5, "ExecStartPre": ["/bin/a", "/bin/b"]})
    );
    assert_eq!(
        value["plik"],
        serde_json::json!({"ListenPort": 8080, "Debug": false})
    );
}

/// A value its type cannot hold is an error at the line that set it, not a broken file.
#[test]
fn values_the_type_cannot_hold_are_build_errors_with_the_rust_line() {
    let host = Host::new("h", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        // TOML has no null.
        .set(
            plikd::settings,
            Data::<Toml>::attrs([("Proxy", Data::<Toml>::null())]),
        )
        // A unit setting is a scalar or a flat list.
        .set(
            services::service("demo").service_config(),
            [("Environment", Data::of(vec![vec!["A=1"]]))],
        )
        // `integer between 300 and 399`.
        .set(virtual_hosts::virtual_host("a").redirect_code(), 200)
        // One option set twice in one value.
        .set(
            file_systems,
            [("/", FileSystemsValue::new().fs_type("ext4").fs_type("xfs"))],
        );
    let flake = Flake::new("typed", "24.05").host(host);
    let Err(rejected) = compile(&flake, Path::new(".")) else {
        panic!("accepted");
    };
    let text = flakesmith::diagnostic::render_all(&rejected.diagnostics);
    for expected in [
        "a TOML value cannot hold null",
        "a systemd option cannot hold a list inside a list",
        "`fsType` is set twice in one value",
        "200 is out of bounds: the option takes integers from 300 to 399",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
    assert_eq!(
        text.matches(THIS_FILE).count(),
        4,
        "each error names its Rust line:\n{text}"
    );
}

/// The near miss: the same options with values their types hold.
#[test]
fn the_same_options_with_fitting_values_build() {
    let host = Host::new("h", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .set(plikd::settings, Data::<Toml>::attrs([("Proxy", "")]))
        .set(virtual_hosts::virtual_host("a").redirect_code(), 301)
        .set(
            services::service("demo").service_config(),
            [("Environment", Data::of(vec!["A=1"]))],
        )
        .set(
            file_systems,
            [("/", FileSystemsValue::new().fs_type("ext4"))],
        );
    let flake = Flake::new("typed", "24.05").host(host);
    if let Err(rejected) = compile(&flake, Path::new(".")) {
        panic!(
            "{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        );
    }
}
