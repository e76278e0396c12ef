//! `flakesmith import` on a fixture shaped like a real fleet (`tests/fixtures/import/fleet`:
//! three hosts, fifteen shared modules (one declaring options), sops-nix, disko,
//! nixos-hardware, a Home Manager user who differs per host, `with pkgs;` lists, priorities, interpolations, `config.`
//! references, comments). The crate it writes is committed beside it
//! (`fleet.imported/`), compiled into this test, and its tree is evaluated against the
//! original flake with the real module system and the same stand-ins.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use flakesmith::import::{import, Bindings, CrateConfig, Imported};
use flakesmith::scaffold::Dependency;

#[rustfmt::skip]
#[allow(clippy::all, dead_code, unused_imports)]
#[path = "../fixtures/import/fleet.imported/config/mod.rs"]
mod fleet_config;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/import")
}

fn bindings() -> &'static Bindings {
    static BINDINGS: OnceLock<Bindings> = OnceLock::new();
    BINDINGS.get_or_init(|| {
        Bindings::shipped(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../dsl/data")).unwrap()
    })
}

fn import_fleet() -> Imported {
    let config = CrateConfig {
        name: "fleet-config".into(),
        // The committed crate sits four levels below the checkout.
        flakesmith: Dependency::Path("../../../../dsl".into()),
    };
    import(&fixtures().join("fleet"), bindings(), &config).unwrap()
}

fn files_under(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(relative, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    out
}

/// The committed crate is exactly what the importer writes today
/// (`FLAKESMITH_BLESS_IMPORT=1` rewrites it; read the diff before committing it).
#[test]
fn the_committed_crate_is_what_the_importer_writes() {
    let imported = import_fleet();
    let dir = fixtures().join("fleet.imported");
    if std::env::var_os("FLAKESMITH_BLESS_IMPORT").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        flakesmith::writer::write_plain(
            &dir,
            imported.files.iter().map(|(p, t)| (p.as_str(), t.as_str())),
        )
        .unwrap();
    }
    let committed = files_under(&dir);
    assert_eq!(
        committed.keys().collect::<Vec<_>>(),
        imported.files.keys().collect::<Vec<_>>(),
        "the files of the imported crate"
    );
    for (path, text) in &imported.files {
        assert_eq!(
            &committed[path], text,
            "{path} differs from what the importer writes"
        );
    }
}

/// At least three quarters of the definitions come out typed; the figure is printed.
#[test]
fn most_definitions_come_out_typed() {
    let report = import_fleet().report;
    eprintln!(
        "fleet: {} typed, {} raw, {} left out: {:.1}% typed",
        report.typed(),
        report.raw(),
        report.skipped(),
        report.typed_share()
    );
    assert!(report.typed_share() >= 75.0, "{}", report.render());
    // Every raw definition says where it was and why.
    for file in report.files.values() {
        for (at, reason) in &file.raw {
            assert!(at.contains(".nix:") && !reason.is_empty(), "{at}: {reason}");
        }
    }
}

/// The namespaces the fixture defines, each host's configuration made comparable:
/// functions as a word, packages by name.
const COMPARED: &str = r#"
  let
    clean = v:
      if builtins.isFunction v then "<function>"
      else if builtins.isAttrs v then
        (if (v.type or null) == "derivation" then "package " + v.name else builtins.mapAttrs (_: clean) v)
      else if builtins.isList v then map clean v
      else v;
    namespaces = [
      "boot" "console" "disko" "environment" "fileSystems" "fleet" "fonts" "hardware" "i18n"
      "networking" "nix" "nixpkgs" "powerManagement" "programs" "security" "services" "sops"
      "system" "time" "users" "virtualisation" "zramSwap"
    ];
    pick = config: builtins.intersectAttrs (lib.genAttrs namespaces (_: null)) config
      // lib.optionalAttrs (config ? home-manager) {
        home-manager = { inherit (config.home-manager) useGlobalPkgs useUserPackages users; };
      };
  in
    builtins.mapAttrs (_: host: clean (pick host.config)) outputs.nixosConfigurations
"#;

#[test]
fn the_imported_fleet_evaluates_to_the_same_configuration() {
    let Some(lib) = flakesmith_tests::nixpkgs_lib_or_say("import round trip") else {
        return;
    };
    let flake = fleet_config::flake();
    let tree = match flakesmith::compile(&flake, &fixtures().join("fleet.imported")) {
        Ok(compiled) => compiled.tree,
        Err(rejected) => panic!(
            "the imported crate was rejected:\n{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    };
    let original = flakesmith_tests::evaluate_fleet_dir(&lib, &fixtures().join("fleet"), COMPARED)
        .unwrap_or_else(|e| panic!("the original flake does not evaluate:\n{e}"));
    let regenerated = flakesmith_tests::evaluate_fleet(&lib, &tree, COMPARED)
        .unwrap_or_else(|e| panic!("the regenerated flake does not evaluate:\n{e}"));
    let hosts = original.as_object().unwrap();
    assert_eq!(hosts.len(), 3, "{original}");
    for (host, config) in hosts {
        let mut differences = Vec::new();
        diff(host, config, &regenerated[host], &mut differences);
        assert!(
            differences.is_empty(),
            "host `{host}` differs after the round trip:\n{}",
            differences.join("\n")
        );
    }
    assert_eq!(original, regenerated);
}

/// The option paths where two evaluated configurations differ.
fn diff(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    match (a, b) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let null = serde_json::Value::Null;
                diff(
                    &format!("{path}.{key}"),
                    a.get(key).unwrap_or(&null),
                    b.get(key).unwrap_or(&null),
                    out,
                );
            }
        }
        _ if a != b => out.push(format!("{path}: {a} (original) vs {b} (imported)")),
        _ => {}
    }
}

/// Imports a flake written from `(path, text)` pairs.
fn import_files(files: &[(&str, &str)]) -> Result<Imported, String> {
    let dir = tempfile::tempdir().unwrap();
    for (path, body) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    let config = CrateConfig {
        name: "config".into(),
        flakesmith: Dependency::Git("https://example.invalid/flakesmith".into()),
    };
    import(dir.path(), bindings(), &config)
}

const ONE_HOST: &str = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, home-manager, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./box.nix home-manager.nixosModules.home-manager ];
    };
  };
}
"#;

/// A Home Manager user the host gives no file of its own (written as a function, or only
/// added to) stays the host's NixOS definitions, as written, and the report says so with
/// the place; what the importer cannot place at all is an error that says where and why.
#[test]
fn definitions_the_importer_cannot_place_are_errors_with_their_place() {
    for (body, written) in [
        (
            "home-manager.users.bob = { pkgs, ... }: { home.stateVersion = \"24.05\"; };",
            r#"Opt::untyped(&["home-manager", "users", "bob"])"#,
        ),
        (
            "home-manager.users.bob.programs.git.enable = true;",
            r#"Opt::untyped(&["home-manager", "users", "bob", "programs", "git", "enable"])"#,
        ),
    ] {
        let imported = import_files(&[
            ("flake.nix", ONE_HOST),
            (
                "box.nix",
                &format!("{{ ... }}: {{\n  system.stateVersion = \"24.05\";\n  {body}\n}}\n"),
            ),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let report = &imported.files["IMPORT.md"];
        assert!(
            report.contains("`box.nix:3`: Home Manager user `bob` has no file of its own"),
            "{report}"
        );
        let host = &imported.files["config/hosts/box.rs"];
        assert!(
            host.contains(written)
                && host
                    .contains(r#"Module::from_input("home-manager", "nixosModules.home-manager")"#),
            "{host}"
        );
    }

    // Nix refuses an attribute defined twice when it parses the file; rnix lets it
    // through, so the importer checks it as Nix does.
    let twice = import_files(&[
        ("flake.nix", ONE_HOST),
        (
            "box.nix",
            "{ ... }: {\n  system.stateVersion = \"24.05\";\n  users.users.bob = import ./bob.nix;\n  users.users.bob.uid = 1000;\n}\n",
        ),
    ]);
    let error = twice.err().expect("an attribute defined twice is refused");
    assert!(
        error.contains(
            "box.nix: it does not parse: attribute `users.users.bob` is defined at line 3 and again at line 4"
        ),
        "{error}"
    );
}

/// A module whose body is not a set of definitions is kept as it is, and the report
/// says why; a definition naming a `let` of its file carries the bindings it needs as
/// raw Nix; a definition flakesmith cannot type is raw with its reason.
#[test]
fn what_cannot_be_typed_is_kept_and_reported() {
    let imported = import_files(&[
        ("flake.nix", ONE_HOST),
        (
            "box.nix",
            "{ lib, ... }: {\n  imports = [ ./tuned.nix ./gated.nix ];\n  system.stateVersion = \"24.05\";\n  networking.hostName = \"box-${lib.version}\";\n}\n",
        ),
        (
            "tuned.nix",
            "{ ... }: let size = 4096; in {\n  boot.kernel.sysctl.\"vm.min_free_kbytes\" = size;\n}\n",
        ),
        (
            "gated.nix",
            "{ lib, ... }: lib.mkIf false {\n  networking.firewall.enable = false;\n}\n",
        ),
    ])
    .unwrap();
    let gated = &imported.report.files["gated.nix"];
    assert!(
        gated
            .hand_kept
            .as_deref()
            .is_some_and(|why| why.contains("not an attribute set of definitions")),
        "{gated:?}"
    );
    assert_eq!(
        imported.files["nix/gated.nix"],
        "{ lib, ... }: lib.mkIf false {\n  networking.firewall.enable = false;\n}\n"
    );
    let tuned = &imported.report.files["tuned.nix"];
    assert_eq!(tuned.hand_kept, None, "{tuned:?}");
    assert_eq!(tuned.raw.len(), 1, "{tuned:?}");
    assert!(tuned.raw[0].1.contains("`let`"), "{tuned:?}");
    let tuned_rust: String = imported
        .files
        .iter()
        .filter(|(path, text)| path.ends_with(".rs") && text.contains("min_free_kbytes"))
        .map(|(_, text)| text.as_str())
        .collect();
    assert!(
        tuned_rust.contains(r#"Raw::nix("let size = 4096; in size")"#),
        "{tuned_rust}"
    );
    let host = &imported.report.files["box.nix"];
    assert_eq!(host.raw.len(), 1, "{host:?}");
    assert_eq!(host.raw[0].0, "box.nix:4");
    assert!(host.raw[0].1.contains("interpolates"), "{host:?}");
    let rust = &imported.files["config/hosts/box.rs"];
    assert!(
        rust.contains("// TODO(import): the string interpolates `${...}` (box.nix:4)")
            && rust.contains(r#"Raw::nix("\"box-${lib.version}\"")"#),
        "{rust}"
    );
}

/// The guide shows the fleet's report as the importer makes it.
#[test]
fn the_guide_shows_the_fleet_report() {
    let readme = include_str!("../../dsl/guide/importing.md");
    let shown: Vec<&str> = readme
        .lines()
        .skip_while(|line| !line.starts_with("<!-- import report"))
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .collect();
    let report = import_fleet().report.render();
    let table: Vec<&str> = report
        .lines()
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert_eq!(shown, table);
    let typed = report
        .lines()
        .find(|line| line.starts_with("Typed:"))
        .unwrap();
    assert!(readme.contains(typed), "the import chapter lacks `{typed}`");
}
