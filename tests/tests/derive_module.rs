//! `#[derive(NixModule)]` and `#[derive(NixValue)]`: the generated module file is
//! snapshot-tested, parses with the real Nix, and its declarations evaluate (against a
//! stand-in for nixpkgs' `lib`, see `tests/nix/stub-lib.nix`) to the expected types,
//! defaults and enum values.

use std::collections::BTreeMap;
use std::path::Path;

use flakesmith::prelude::*;
use flakesmith::{compile, NixModule, NixValue};
use flakesmith_nixos::networking;
use flakesmith_tests::{eval_json, nix_instantiate, stub_lib};
use serde_json::{json, Value};

/// How often backups run.
#[derive(NixValue, Clone, Copy)]
pub enum Schedule {
    Hourly,
    Daily,
    #[nix(rename = "weekly-on-sunday")]
    Weekly,
}

/// A directory to back up.
#[derive(NixValue, Clone)]
pub struct Source {
    /// The directory.
    pub path: String,
    /// Patterns to leave out.
    pub exclude_patterns: Vec<String>,
}

/// Backups to a remote host.
///
/// Runs as a systemd timer.
#[derive(NixModule)]
#[nix(category = "services", namespace = "fleet.backup")]
pub struct Backup {
    /// The host that receives the backups.
    pub target: String,
    /// Its SSH port.
    #[nix(default = 22)]
    pub port: u16,
    /// Scheduling niceness.
    #[nix(default = -5)]
    pub nice: i64,
    /// Upper bound on one run's size.
    #[nix(default = 10_000_000_000u64)]
    pub max_bytes: u64,
    /// Fraction of bandwidth to use.
    #[nix(default = 0.5, example = 0.9)]
    pub bandwidth_share: f64,
    /// Directories to back up by path.
    #[nix(default = ["/home", "/etc"], example = ["/srv"])]
    pub paths: Vec<String>,
    /// Snapshots to keep per interval.
    #[nix(default = [("daily", 7u32), ("weekly", 4u32)])]
    pub keep: BTreeMap<String, u32>,
    /// The remote user; `null` uses root.
    #[nix(default = "backup")]
    pub user: Option<String>,
    /// A file on the machine holding the repository password.
    pub password_file: Option<RuntimePath>,
    #[nix(default = Schedule::Daily)]
    pub schedule: Schedule,
    /// Directories with exclusions.
    pub sources: Vec<Source>,
    /// Tools the backup script needs.
    #[nix(rename = "extraPackages")]
    pub packages: Vec<Package>,
    /// Log every file.
    #[nix(default = false)]
    pub verbose: bool,
}

impl ModuleConfig for Backup {
    fn config(cfg: BackupCfg, module: Module) -> Module {
        module
            .set(networking::firewall::allowed_tcp_ports, [cfg.port.clone()])
            .set_if(&cfg.verbose, networking::firewall::enable, true)
    }
}

/// The compiled tree of a host that enables the module: (module file, host file).
fn compiled_files() -> (String, String) {
    let host = Host::new("desk", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .enable(Backup {
            target: "vault".into(),
            port: 22,
            nice: -5,
            max_bytes: 10_000_000_000,
            bandwidth_share: 0.75,
            paths: vec!["/home".into(), "/etc".into()],
            keep: [("daily".to_owned(), 7)].into(),
            user: Some("backup".into()),
            password_file: Some(RuntimePath::new("/run/secrets/backup")),
            schedule: Schedule::Weekly,
            sources: vec![Source {
                path: "/srv".into(),
                exclude_patterns: vec!["*.tmp".into()],
            }],
            packages: vec![Package::new("restic")],
            verbose: false,
        });
    let flake = Flake::new("t", "24.05").host(host);
    let compiled =
        compile(&flake, Path::new(".")).unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    let file = |path: &str| compiled.tree.get(path).unwrap().to_owned();
    (
        file("modules/services/backup.nix"),
        file("hosts/desk/default.nix"),
    )
}

fn module_file() -> String {
    compiled_files().0
}

#[test]
fn the_module_file_matches_its_snapshot() {
    let (module, host) = compiled_files();
    insta::assert_snapshot!("backup_module", module);
    insta::assert_snapshot!("host_enabling_backup", host);
}

#[test]
fn the_module_file_parses_with_nix_instantiate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.nix");
    std::fs::write(&path, module_file()).unwrap();
    let output = nix_instantiate(&["--parse", path.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Evaluates the module's declarations and config with the real Nix.
fn evaluate_module() -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.nix");
    std::fs::write(&path, module_file()).unwrap();
    let stub = stub_lib();
    let expr = format!(
        r#"let
          lib = import {stub};
          module = import {module} {{
            inherit lib;
            pkgs = {{ }};
            config.fleet.backup = {{ enable = true; port = 2222; verbose = true; }};
          }};
        in {{ inherit (module) options config; }}"#,
        stub = stub.display(),
        module = path.display()
    );
    eval_json(&expr)
}

#[test]
fn declarations_evaluate_to_the_expected_types_and_defaults() {
    let value = evaluate_module();
    let options = &value["options"]["fleet"]["backup"];
    let type_name = |name: &str| options[name]["type"]["name"].as_str().unwrap().to_owned();
    let inner = |name: &str| {
        options[name]["type"]["of"]["name"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    assert_eq!(
        options["enable"]["description"],
        "Whether to enable Backups to a remote host."
    );
    assert_eq!(options["enable"]["default"], false);
    assert_eq!(type_name("target"), "str");
    assert!(
        options["target"].get("default").is_none(),
        "a field without a default has none"
    );
    assert_eq!(
        (type_name("port"), options["port"]["default"].clone()),
        ("port".into(), json!(22))
    );
    assert_eq!(
        (type_name("nice"), options["nice"]["default"].clone()),
        ("int".into(), json!(-5))
    );
    assert_eq!(
        (
            type_name("maxBytes"),
            options["maxBytes"]["default"].clone()
        ),
        ("ints.unsigned".into(), json!(10_000_000_000u64))
    );
    assert_eq!(
        (
            type_name("bandwidthShare"),
            options["bandwidthShare"]["example"].clone()
        ),
        ("float".into(), json!(0.9))
    );
    assert_eq!(
        (type_name("paths"), inner("paths")),
        ("listOf".into(), "str".into())
    );
    assert_eq!(options["paths"]["default"], json!(["/home", "/etc"]));
    assert_eq!(options["paths"]["example"], json!(["/srv"]));
    assert_eq!(
        (type_name("keep"), inner("keep")),
        ("attrsOf".into(), "ints.u32".into())
    );
    assert_eq!(options["keep"]["default"], json!({"daily": 7, "weekly": 4}));
    assert_eq!(
        (type_name("user"), inner("user")),
        ("nullOr".into(), "str".into())
    );
    assert_eq!(options["user"]["default"], "backup");
    assert_eq!(
        (type_name("passwordFile"), inner("passwordFile")),
        ("nullOr".into(), "path".into())
    );
    assert_eq!(
        options["passwordFile"]["default"],
        Value::Null,
        "optional fields default to null"
    );
    assert_eq!(type_name("schedule"), "enum");
    assert_eq!(
        options["schedule"]["type"]["values"],
        json!(["hourly", "daily", "weekly-on-sunday"])
    );
    assert_eq!(options["schedule"]["default"], "daily");
    assert_eq!(
        (type_name("sources"), inner("sources")),
        ("listOf".into(), "submodule".into())
    );
    let source = &options["sources"]["type"]["of"]["options"];
    assert_eq!(source["excludePatterns"]["type"]["name"], "listOf");
    assert_eq!(source["path"]["description"], "The directory.");
    assert_eq!(options["sources"]["default"], json!([]));
    assert_eq!(
        (type_name("extraPackages"), inner("extraPackages")),
        ("listOf".into(), "package".into())
    );
    assert_eq!(options["verbose"]["description"], "Log every file.");
}

#[test]
fn config_sits_under_mk_if_cfg_enable_and_reads_cfg() {
    let value = evaluate_module();
    let config = &value["config"];
    assert_eq!(config["_type"], "if");
    assert_eq!(
        config["condition"], true,
        "cfg.enable from the host's config"
    );
    let content = &config["content"]["networking"]["firewall"];
    assert_eq!(
        content["allowedTCPPorts"],
        json!([2222]),
        "cfg.port read through the typed reference"
    );
    assert_eq!(
        content["enable"],
        json!({"_type": "if", "condition": true, "content": true}),
        "set_if becomes lib.mkIf cfg.verbose"
    );
}

#[test]
fn enable_writes_every_field_even_when_it_equals_the_default() {
    // A field equal to its default is still the host's choice: written as a plain
    // definition, it wins over a module's `default` and conflicts with a different plain
    // one, instead of silently losing to either.
    let (_, host) = compiled_files();
    for chosen in [
        "enable = true;",
        "target = \"vault\";",
        "bandwidthShare = 0.75;",
        "schedule = \"weekly-on-sunday\";",
        "port = 22;",
        "nice = -5;",
        "maxBytes = 10000000000;",
        "user = \"backup\";",
        "verbose = false;",
    ] {
        assert!(host.contains(chosen), "{chosen} missing:\n{host}");
    }
}
