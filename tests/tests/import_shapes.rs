//! `flakesmith import` on the shapes real flakes take, each reproduced by a minimal flake:
//! what Nix accepts is read, what cannot be typed is kept (and counted), and nothing is
//! added that the original did not have.

use std::path::Path;
use std::sync::OnceLock;

use flakesmith::import::{import, Bindings, CrateConfig, Imported};
use flakesmith::scaffold::Dependency;

fn bindings() -> &'static Bindings {
    static BINDINGS: OnceLock<Bindings> = OnceLock::new();
    BINDINGS.get_or_init(|| {
        Bindings::shipped(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../dsl/data")).unwrap()
    })
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

/// One host, `box`, whose modules are `modules` (Nix list items) and whose system is
/// given by `system` (a `nixosSystem` argument line, or empty).
fn flake(nixpkgs: &str, system: &str, modules: &str) -> String {
    format!(
        r#"{{
  inputs.nixpkgs.url = "{nixpkgs}";
  inputs.home-manager.url = "github:nix-community/home-manager";
  outputs = {{ nixpkgs, home-manager, ... }}: {{
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {{
      {system}
      modules = [ {modules} ];
    }};
  }};
}}
"#
    )
}

fn one_host(modules: &str) -> String {
    flake(
        "github:NixOS/nixpkgs/nixos-24.05",
        r#"system = "x86_64-linux";"#,
        modules,
    )
}

const HM: &str = "home-manager.nixosModules.home-manager";

/// Every Rust file of the imported crate, one after the other.
fn all_rust(imported: &Imported) -> String {
    imported
        .files
        .iter()
        .filter(|(path, _)| path.ends_with(".rs"))
        .map(|(_, text)| text.as_str())
        .collect()
}

fn host_rs(imported: &Imported) -> &str {
    &imported.files["config/hosts/box.rs"]
}

/// Item 1: a path may extend a `rec` set bound earlier in the same set, as Nix allows.
#[test]
fn a_path_extends_a_rec_set() {
    let imported = import_files(&[
        ("flake.nix", &one_host("./box.nix")),
        (
            "box.nix",
            "{ ... }: {\n  system.stateVersion = \"24.05\";\n  environment = rec { variables.A = \"a\"; };\n  environment.variables.B = \"b\";\n}\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        host_rs(&imported).contains("environment"),
        "{}",
        host_rs(&imported)
    );
}

/// Item 2: `system.stateVersion` set in a shared module the host imports; and, when no
/// file sets it, NixOS's default with a note at the host's `flake.nix` line.
#[test]
fn the_state_version_may_come_from_an_imported_module() {
    let imported = import_files(&[
        ("flake.nix", &one_host("./hosts/box")),
        (
            "hosts/box/default.nix",
            "{ ... }: {\n  imports = [ ../../modules/core ];\n  networking.firewall.enable = true;\n}\n",
        ),
        (
            "modules/core/default.nix",
            "{ ... }: { imports = [ ./system.nix ]; }\n",
        ),
        (
            "modules/core/system.nix",
            "{ lib, ... }: {\n  system.stateVersion = \"23.11\";\n}\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        host_rs(&imported).contains(r#"Host::new("box", System::X86_64Linux, "23.11")"#),
        "{}",
        host_rs(&imported)
    );

    // Set nowhere: NixOS's default, the release, is what the original evaluates to;
    // it is written, and the report says so.
    let imported = import_files(&[
        ("flake.nix", &one_host("./box.nix")),
        (
            "box.nix",
            "{ ... }: { networking.firewall.enable = true; }\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        host_rs(&imported).contains(r#"Host::new("box", System::X86_64Linux, "24.05")"#),
        "{}",
        host_rs(&imported)
    );
    let report = imported.report.render();
    assert!(
        report.contains("- `flake.nix:5`: host `box` sets no `system.stateVersion`")
            && report.contains("NixOS's default, the release 24.05, is written"),
        "{report}"
    );
}

/// Items 4 and 5: a Home Manager user applied to arguments is kept as it is (and
/// counted), not refused; one whose file opens with `let` is typed, the definitions
/// naming a binding raw with the bindings they need.
#[test]
fn home_manager_users_the_importer_cannot_type_are_kept() {
    let imported = import_files(&[
        ("flake.nix", &one_host(&format!("./box.nix {HM}"))),
        (
            "box.nix",
            "{ ... }: {\n  system.stateVersion = \"24.05\";\n  home-manager.users.me = import ./me.nix { isWSL = false; };\n  home-manager.users.you = import ./you.nix;\n}\n",
        ),
        (
            "me.nix",
            "{ isWSL }: { pkgs, ... }: {\n  home.stateVersion = \"24.05\";\n  programs.git.enable = !isWSL;\n}\n",
        ),
        (
            "you.nix",
            "{ pkgs, ... }: let editor = \"vim\"; in {\n  home.stateVersion = \"24.05\";\n  home.sessionVariables.EDITOR = editor;\n}\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let me = &imported.files["nix/me.applied.nix"];
    assert!(
        me.contains("(\n{ isWSL }: { pkgs, ... }: {") && me.ends_with(")\n{ isWSL = false; }\n"),
        "{me}"
    );
    assert!(!imported.files.contains_key("nix/you.nix"));
    let home = &imported.files["config/home.rs"];
    assert!(
        home.contains(r#"Module::nix_file(Category::Home, "me-home", "nix/me.applied.nix")"#)
            && home.contains(r#"Raw::nix("let editor = \"vim\"; in editor")"#),
        "{home}"
    );
    let report = &imported.report;
    assert!(report.files["me.nix"].hand_kept.is_some());
    assert_eq!(report.files["me.nix"].hand_kept_definitions, 2);
    let you = &report.files["you.nix"];
    assert_eq!(
        (you.hand_kept_definitions, you.raw.len()),
        (0, 1),
        "{you:?}"
    );

    // Arguments that name the module's own arguments: the definition stays as written,
    // beside the user's file, in a file that takes the same arguments.
    let imported = import_files(&[
        ("flake.nix", &one_host(&format!("./box.nix {HM}"))),
        (
            "box.nix",
            "{ isWSL, ... }: {\n  system.stateVersion = \"24.05\";\n  home-manager.users.me = import ./me.nix { inherit isWSL; };\n}\n",
        ),
        ("me.nix", "{ isWSL }: { home.stateVersion = \"24.05\"; }\n"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let kept = &imported.files["nix/box.nix"];
    assert!(
        kept.contains("{ isWSL, ... }:")
            && kept.contains("home-manager.users.me = import ./me.nix { inherit isWSL; };"),
        "{kept}"
    );
    assert!(imported.files.contains_key("nix/me.nix"));
}

/// Item 7: modules that share a file name (`hosts/<h>/services/default.nix`) get names
/// that tell them apart.
#[test]
fn modules_of_one_file_name_get_distinct_names() {
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.a = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/a ]; };
    nixosConfigurations.b = nixpkgs.lib.nixosSystem { system = "x86_64-linux"; modules = [ ./hosts/b ]; };
  };
}
"#;
    let host = |name: &str| {
        format!("{{ ... }}: {{\n  imports = [ ./services ];\n  system.stateVersion = \"24.05\";\n  networking.hostName = \"{name}\";\n}}\n")
    };
    let services = "{ ... }: { services.openssh.enable = true; }\n";
    let imported = import_files(&[
        ("flake.nix", flake),
        ("hosts/a/default.nix", &host("a")),
        ("hosts/b/default.nix", &host("b")),
        ("hosts/a/services/default.nix", services),
        ("hosts/b/services/default.nix", services),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let modules = &imported.files["config/modules.rs"];
    assert!(
        modules.contains("pub fn services() -> Module")
            && modules.contains("pub fn b_services() -> Module")
            && modules.contains(r#""b-services""#),
        "{modules}"
    );
    assert!(!modules.contains("_module_module"), "{modules}");
}

/// Items 5 and 10: a module's top-level `let` (`inherit (config.networking) hostName;`,
/// a `cfg` of options it does not declare, plain strings) goes with the definitions that
/// name it, as raw Nix that binds what it needs; the definitions that name none are
/// typed; a string it binds names attributes (`users.users.${user}`), as a special
/// argument every host gives alike does; a binding nothing names is reported.
#[test]
fn let_bindings_go_with_the_definitions_that_name_them() {
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { admin = "root-ish"; };
      modules = [ ./box.nix ];
    };
  };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        (
            "box.nix",
            "{ ... }: {\n  imports = [ ./motd.nix ./extra.nix ./users.nix ];\n  system.stateVersion = \"24.05\";\n}\n",
        ),
        (
            "motd.nix",
            "{ config, ... }: let inherit (config.networking) hostName; in {\n  users.motd = \"Welcome to ${hostName}\";\n  networking.firewall.enable = true;\n}\n",
        ),
        (
            "extra.nix",
            "{ config, lib, ... }: let cfg = config.services.openssh; in {\n  networking.firewall.allowedTCPPorts = lib.mkIf cfg.enable [ 22 ];\n}\n",
        ),
        (
            "users.nix",
            "{ admin, ... }: let\n  user = \"alice\";\n  unused = 3;\nin {\n  users.users.${user}.isNormalUser = true;\n  users.users.\"${admin}\".isNormalUser = true;\n  users.users.${user}.home = \"/home/${user}\";\n}\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    for file in ["motd.nix", "extra.nix", "users.nix"] {
        assert_eq!(imported.report.files[file].hand_kept, None, "{file}");
    }
    let rust = all_rust(&imported);
    for expected in [
        r#"Raw::nix("let inherit (config.networking) hostName; in \"Welcome to ${hostName}\"")"#,
        r#"Raw::nix("let cfg = config.services.openssh; in lib.mkIf cfg.enable [ 22 ]")"#,
        r#"users::users::user("alice").is_normal_user"#,
        r#"users::users::user("root-ish").is_normal_user"#,
        r#"Raw::nix("let user = \"alice\"; in \"/home/${user}\"")"#,
    ] {
        assert!(rust.contains(expected), "{expected}\n{rust}");
    }
    let report = imported.report.render();
    assert!(
        report.contains("`users.nix:3`: its `let` binding of `unused` is named by no definition"),
        "{report}"
    );
}

/// Item 11: what a hand-kept file names by relative path is copied into the crate at the
/// same place relative to it (the build then carries it into the tree and points the
/// paths there); what cannot be copied is noted with its line.
#[test]
fn what_hand_kept_files_name_is_copied_beside_them() {
    let imported = import_files(&[
        ("flake.nix", &one_host("./hosts/box/default.nix")),
        (
            "hosts/box/default.nix",
            "{ ... }: {\n  imports = [ ../../modules/monitoring.nix ];\n  system.stateVersion = \"24.05\";\n}\n",
        ),
        (
            "modules/monitoring.nix",
            "{ config, ... }: let cfg = config.services.grafana; in {\n  sops.defaultSopsFile = ./secrets.yaml;\n  services.grafana.provision.dashboards.path = ./dashboards;\n  services.grafana.settings = { x = ./gone.json; };\n}\n",
        ),
        ("modules/secrets.yaml", "a: ENC[...]\n"),
        ("modules/dashboards/node.json", "{}\n"),
        ("modules/dashboards/more/disk.json", "{}\n"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    for copied in [
        "nix/modules/monitoring.nix",
        "nix/modules/secrets.yaml",
        "nix/modules/dashboards/node.json",
        "nix/modules/dashboards/more/disk.json",
    ] {
        assert!(
            imported.files.contains_key(copied),
            "{copied}: {:?}",
            imported.files.keys()
        );
    }
    let report = imported.report.render();
    assert!(
        report.contains("`modules/monitoring.nix:4`: `./gone.json` names nothing in the flake"),
        "{report}"
    );
}

/// Item 11, found by evaluating the corpus: a module's definition naming a file by
/// relative path (an overlay importing `../pkgs`) stays where its paths lead, in a file
/// at the module's own place in the crate with what it names copied beside it, which the
/// typed module imports; the rest of the module is typed. An import the importer cannot
/// name (`modulesPath + ...`) is kept the same way.
#[test]
fn definitions_naming_files_by_relative_path_stay_where_they_lead() {
    let imported = import_files(&[
        ("flake.nix", &one_host("./hosts/box/default.nix")),
        (
            "hosts/box/default.nix",
            "{ modulesPath, ... }: {\n  imports = [ ../../modules/core/nixpkgs.nix (modulesPath + \"/profiles/minimal.nix\") ];\n  system.stateVersion = \"24.05\";\n}\n",
        ),
        (
            "modules/core/nixpkgs.nix",
            "{ pkgs, ... }: let local = ../../pkgs; in {\n  networking.firewall.enable = true;\n  nixpkgs.overlays = [\n    (final: prev: import local { inherit pkgs; })\n  ];\n  services.nginx = {\n    enable = true;\n    virtualHosts.docs.root = ../../www;\n  };\n}\n",
        ),
        ("pkgs/default.nix", "{ pkgs }: { }\n"),
        ("www/index.html", "<p>docs</p>\n"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let report = &imported.report.files["modules/core/nixpkgs.nix"];
    assert_eq!(report.hand_kept, None);
    // Taken at the deepest set holding the path: `enable` beside it stays typed.
    assert_eq!((report.typed, report.hand_kept_definitions), (2, 2));
    let kept = &imported.files["nix/modules/core/nixpkgs.nix"];
    assert!(
        kept.contains("{ pkgs, ... }:\n{\n  nixpkgs.overlays = let local = ../../pkgs; in ["),
        "{kept}"
    );
    assert!(
        kept.contains("  services.nginx.virtualHosts.docs.root = ../../www;\n"),
        "{kept}"
    );
    assert!(
        !kept.contains("firewall") && !kept.contains("enable"),
        "{kept}"
    );
    assert!(imported.files.contains_key("nix/www/index.html"));
    let host_kept = &imported.files["nix/hosts/box/default.nix"];
    assert!(
        host_kept.contains("imports = [\n    (modulesPath + \"/profiles/minimal.nix\")\n  ];"),
        "{host_kept}"
    );
    assert!(
        imported.files.contains_key("nix/pkgs/default.nix"),
        "{:?}",
        imported.files.keys()
    );
    let rust = all_rust(&imported);
    assert!(
        rust.contains("nixpkgs_files()")
            && rust.contains("host_box_files()")
            && rust.contains("services::nginx::enable"),
        "{rust}"
    );
}

/// Item 12: `config._module.args` in an inline module is module arguments, not an
/// option named `config`.
#[test]
fn inline_config_prefix_is_dropped() {
    let imported = import_files(&[
        (
            "flake.nix",
            &one_host(r#"./box.nix { config._module.args.currentSystemName = "box"; }"#),
        ),
        ("box.nix", "{ ... }: { system.stateVersion = \"24.05\"; }\n"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    assert!(
        rust.contains(r#"Opt::untyped(&["_module", "args", "currentSystemName"])"#)
            && !rust.contains(r#""config", "_module""#),
        "{rust}"
    );
}

/// Items 14 and 15: the host keeps the name its modules give it (flakesmith's default is
/// not added), and its system comes from `nixpkgs.hostPlatform` when `nixosSystem` has no
/// `system`.
#[test]
fn nothing_is_added_and_the_platform_is_read() {
    let imported = import_files(&[
        ("flake.nix", &flake("github:NixOS/nixpkgs/nixos-24.05", "", "./box.nix")),
        (
            "box.nix",
            "{ ... }: {\n  system.stateVersion = \"24.05\";\n  nixpkgs.hostPlatform = \"aarch64-linux\";\n}\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    assert!(
        rust.contains(r#"Host::new("box", System::Aarch64Linux, "24.05")"#)
            && rust.contains(".keep_host_name()"),
        "{rust}"
    );
    // Without either, the assumption is said.
    let imported = import_files(&[
        (
            "flake.nix",
            &flake("github:NixOS/nixpkgs/nixos-24.05", "", "./box.nix"),
        ),
        ("box.nix", "{ ... }: { system.stateVersion = \"24.05\"; }\n"),
    ])
    .unwrap();
    assert!(
        imported.report.render().contains("x86_64-linux assumed"),
        "{}",
        imported.report.render()
    );
}

/// Item 16: `nixos-unstable` is the release its lock date heads for, said in the report.
#[test]
fn an_unstable_pin_is_dated_by_its_lock() {
    let lock = r#"{
  "nodes": {
    "nixpkgs": { "locked": { "lastModified": 1739577600, "type": "github" } },
    "root": { "inputs": { "nixpkgs": "nixpkgs" } }
  },
  "root": "root",
  "version": 7
}
"#;
    let imported = import_files(&[
        (
            "flake.nix",
            &flake(
                "github:NixOS/nixpkgs/nixos-unstable",
                r#"system = "x86_64-linux";"#,
                "./box.nix",
            ),
        ),
        ("flake.lock", lock),
        ("box.nix", "{ ... }: { system.stateVersion = \"24.05\"; }\n"),
    ])
    .unwrap();
    assert!(
        imported.files["config/mod.rs"].contains(r#""25.05""#),
        "{}",
        imported.files["config/mod.rs"]
    );
    let report = imported.report.render();
    assert!(
        report.contains("locked at 2025-02 in flake.lock: release line 25.05"),
        "{report}"
    );
}

/// Items 17 and 18: outputs flakesmith does not write are carried and named in the
/// report, and a
/// hand-kept file's definitions count in the typed share.
#[test]
fn the_report_counts_and_names_everything() {
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }: {
    overlays.default = final: prev: { };
    nixosModules.base = ./base.nix;
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./box.nix ];
    };
  };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        (
            "box.nix",
            "{ lib, ... }: {\n  imports = [ ./ssh.nix ];\n  system.stateVersion = \"24.05\";\n}\n",
        ),
        (
            "ssh.nix",
            "{ lib, ... }: lib.mkIf true {\n  services.openssh.ports = [ 22 ];\n  services.openssh.enable = true;\n}\n",
        ),
        ("base.nix", "{ ... }: { }\n"),
    ])
    .unwrap();
    let report = imported.report.render();
    for output in ["overlays", "nixosModules"] {
        assert!(
            report.contains(&format!(
                "the output `{output}` is carried as it was written"
            )),
            "{report}"
        );
    }
    // Carried as written, with what they name by relative path.
    let outputs = &imported.files["nix/outputs.nix"];
    assert!(
        outputs.contains("{ self, nixpkgs, ... }:\n{\n  overlays.default = final: prev: { };\n  nixosModules.base = ./base.nix;\n}\n"),
        "{outputs}"
    );
    assert!(imported.files.contains_key("nix/base.nix"));
    assert!(imported.files["config/mod.rs"]
        .contains(r#".extra_outputs(NixSource::nix_file("nix/outputs.nix"))"#));
    assert!(imported.report.typed_share() < 100.0, "{report}");
    assert_eq!(imported.report.hand_kept(), 2, "{report}");
}

/// Outputs per system (`packages.${system}.hello`, `devShells.${system}.default`) are
/// carried like any other output: in the order they were written, with the `let` that
/// names the system, and they evaluate to what the original's did. A host given that
/// `let` by `inherit system;` is on that system.
#[test]
fn outputs_per_system_are_carried() {
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }:
    let
      system = "aarch64-linux";
      greeting = "hello";
    in
    {
      packages.${system}.hello = greeting;
      nixosConfigurations.box = nixpkgs.lib.nixosSystem {
        inherit system;
        modules = [ ./box.nix ];
      };
      devShells.${system} = { default = "shell"; };
      formatter."${system}" = "fmt";
    };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        ("box.nix", "{ ... }: { system.stateVersion = \"24.05\"; }\n"),
    ])
    .unwrap();
    let report = imported.report.render();
    for output in ["packages", "devShells", "formatter"] {
        assert!(
            report.contains(&format!(
                "the output `{output}` is carried as it was written"
            )),
            "{report}"
        );
    }
    // The host's system is the `let`'s, given by `inherit system;`.
    assert!(
        host_rs(&imported).contains(r#"Host::new("box", System::Aarch64Linux"#),
        "{}",
        host_rs(&imported)
    );
    let outputs = &imported.files["nix/outputs.nix"];
    let packages = outputs.find("packages.").expect(outputs);
    let shells = outputs.find("devShells.").expect(outputs);
    assert!(packages < shells, "{outputs}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("outputs.nix");
    std::fs::write(&file, outputs).unwrap();
    let evaluated = flakesmith_tests::eval_json(&format!(
        "let o = import {} {{ self = {{ }}; nixpkgs = {{ }}; }}; in [ o.packages.aarch64-linux.hello o.devShells.aarch64-linux.default o.formatter.aarch64-linux ]",
        file.display()
    ));
    assert_eq!(evaluated, serde_json::json!(["hello", "shell", "fmt"]));
}

/// Item 3: hosts a helper makes (`lib.genAttrs`, a `mkSystem` in another file, inline
/// modules and special arguments in it) are found by evaluating `outputs` with stand-in
/// inputs whose `nixosSystem` records its arguments.
#[test]
fn hosts_made_by_helpers_are_found_by_evaluation() {
    if flakesmith_tests::nixpkgs_lib_or_say("hosts made by helpers").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.sops-nix.url = "github:Mic92/sops-nix";
  outputs = { self, nixpkgs, ... }@inputs: let
    zone = "Europe/Paris";
    mkSystem = import ./lib/mksystem.nix { inherit nixpkgs inputs zone; };
    hosts = [ "alpha" "beta" ];
  in {
    nixosConfigurations = nixpkgs.lib.genAttrs hosts (name: mkSystem name { user = "ann"; });
    overlays.default = final: prev: { };
  };
}
"#;
    let helper = r#"{ nixpkgs, inputs, zone }: name: { user }:
nixpkgs.lib.nixosSystem {
  system = "aarch64-linux";
  specialArgs = { inherit inputs user; host = name; keys = import ../keys.nix; };
  modules = [
    ../hosts/${name}.nix
    inputs.sops-nix.nixosModules.sops
    { networking.domain = "example.org"; }
    # A helper's argument and a `let` of flake.nix, unbound where the host is written:
    # the host gets their values.
    { networking.search = [ "${name}.example.org" ]; time.timeZone = zone; }
    # An inline module's imports are the host's too, as Nix follows them.
    { imports = [ ../hosts/common.nix ]; }
  ];
}
"#;
    let host = |version: &str| format!("{{ ... }}: {{ system.stateVersion = \"{version}\"; }}\n");
    let imported = import_files(&[
        ("flake.nix", flake),
        ("lib/mksystem.nix", helper),
        // A special argument whose value is a set of data: written as that data.
        ("keys.nix", "{ ann = [ \"ssh-ed25519 AAAA ann\" ]; }\n"),
        ("hosts/alpha.nix", &host("23.11")),
        ("hosts/beta.nix", &host("24.05")),
        (
            "hosts/common.nix",
            "{ ... }: { services.openssh.enable = true; }\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let alpha = &imported.files["config/hosts/alpha.rs"];
    assert!(
        alpha.contains(r#"Host::new("alpha", System::Aarch64Linux, "23.11")"#)
            && alpha.contains(r#".special_arg("host", "alpha")"#)
            && alpha.contains(r#".special_arg("user", "ann")"#)
            && alpha.contains(
                r#".special_arg("keys", Raw::nix("{ ann = [ \"ssh-ed25519 AAAA ann\" ]; }"))"#
            )
            && alpha.contains(r#"Module::from_input("sops-nix", "nixosModules.sops")"#)
            && alpha.contains("networking::domain")
            && alpha.contains(r#""alpha.example.org""#)
            && alpha.contains(r#""Europe/Paris""#),
        "{alpha}"
    );
    // Nothing else is raw: the special argument above is the only Nix text.
    assert_eq!(alpha.matches("Raw::nix").count(), 1, "{alpha}");
    assert!(alpha.contains("modules::common()"), "{alpha}");
    assert!(imported.files["config/hosts/beta.rs"].contains(r#".special_arg("host", "beta")"#));
    assert!(
        imported
            .report
            .render()
            .contains("the output `overlays` is carried as it was written"),
        "{}",
        imported.report.render()
    );
}

/// A plaintext secret the original writes stays, allowed where it is, with a note: the
/// imported crate builds as the original did.
#[test]
fn plaintext_secrets_of_the_original_are_allowed_and_reported() {
    let imported = import_files(&[
        ("flake.nix", &one_host("./box.nix")),
        (
            "box.nix",
            "{ ... }: {\n  system.stateVersion = \"24.05\";\n  users.users.me.initialPassword = \"changeme\";\n}\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    assert!(rust.contains(".allow(Lint::PlaintextSecret)"), "{rust}");
    let report = imported.report.render();
    assert!(
        report.contains("`box.nix:3`: a plaintext secret, as in the original"),
        "{report}"
    );
}

/// A special argument bound by a `let` of `outputs` to what the inputs hold
/// (`inherit (self) outputs;`, `lib = nixpkgs.lib;`) is passed on as that Nix.
#[test]
fn special_arguments_from_lets_of_outputs_are_carried() {
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }@inputs: let
    inherit (self) outputs;
    lib = nixpkgs.lib;
  in {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit inputs outputs lib; };
      modules = [ ./box.nix ];
    };
  };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        ("box.nix", "{ ... }: { system.stateVersion = \"24.05\"; }\n"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    assert!(
        rust.contains(r#".special_arg("outputs", Raw::nix("inputs.self.outputs"))"#)
            && rust.contains(r#".special_arg("lib", Raw::nix("nixpkgs.lib"))"#),
        "{rust}"
    );
    assert!(
        !imported
            .report
            .render()
            .contains("special argument `outputs`"),
        "{}",
        imported.report.render()
    );
}

/// Item 9, for a helper's own bindings: an inline module of the helper, made with `//`,
/// that names the helper's `let`s (`shared`, `overlay`) and argument (`extra`), which the
/// regenerated host does not bind, gets what evaluated to data (a priority included, and
/// the part of the module beyond the set written at its first attribute), and what did
/// not (a function) with the helper's bindings it names: written as it was, the host
/// would not evaluate.
#[test]
fn inline_modules_naming_a_helpers_bindings_keep_their_data() {
    if flakesmith_tests::nixpkgs_lib_or_say("inline modules naming a helper's bindings").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }@inputs: let
    mkHost = import ./lib/mkhost.nix { inherit nixpkgs; };
  in {
    nixosConfigurations.box = mkHost { extra = { motd = "hello"; }; };
  };
}
"#;
    let helper = r#"{ nixpkgs }: { extra }:
let
  overlay = final: prev: { };
  shared = {
    environment.etc = { motd.text = extra.motd; };
    documentation.nixos.includeAllModules = nixpkgs.lib.mkDefault true;
    nixpkgs.overlays = [ overlay ];
  };
in
nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  modules = [
    ../hosts/box.nix
    ({ time.timeZone = "UTC"; } // shared)
  ];
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        ("lib/mkhost.nix", helper),
        (
            "hosts/box.nix",
            "{ ... }: { system.stateVersion = \"24.05\"; }\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    assert!(
        rust.contains(r#".set(nixos::environment::etc::entry("motd").text(), "hello")"#)
            && rust.contains(".default(nixos::documentation::nixos::include_all_modules, true)")
            && rust.contains(r#".set(nixos::time::time_zone, "UTC")"#)
            && !rust.contains("extra.motd"),
        "{rust}"
    );
    // What is not data (a function) but names only `let`s of the helper that read none
    // of its arguments goes with those bindings.
    assert!(
        rust.contains(
            r#".set(nixos::nixpkgs::overlays, Raw::nix("let\n  overlay = final: prev: { };\nin\n[ overlay ]"))"#
        ),
        "{rust}"
    );
}

/// Shapes of helper-made hosts found in the corpus (nmasur, dc-tec): a host module that is
/// a `rec` set (written as the data it evaluates to), Home Manager shared modules given
/// as the flake's files by the helper (kept beside the helper, with the files copied),
/// a `lib` with the flake's own additions (`Host::lib_additions`), an inline module of
/// `flake.nix` naming its `let`s (written with those bindings beside `flake.nix`), a
/// module every host imports that is not one host's own file, and a `system.stateVersion`
/// its modules compute (the release is written as a default).
#[test]
fn helper_made_hosts_keep_what_they_evaluate_to() {
    if flakesmith_tests::nixpkgs_lib_or_say("helper-made hosts").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager";
  outputs = { self, nixpkgs, home-manager, ... }@inputs: let
    overlays = import ./overlays { inherit inputs; };
    shared = [ overlays.default ];
    lib = nixpkgs.lib.recursiveUpdate { fleet.isServer = false; } nixpkgs.lib;
    mkHost = module: nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      specialArgs = { inherit lib; };
      modules = [
        home-manager.nixosModules.home-manager
        ./modules/release.nix
        module
        { nixpkgs.overlays = shared; }
        { home-manager.sharedModules = [ ./home/shared.nix ]; }
      ];
    };
  in {
    nixosConfigurations.one = mkHost (import ./hosts/one.nix);
    nixosConfigurations.two = mkHost (import ./hosts/two.nix);
  };
}
"#;
    let host = |name: &str| {
        format!(
            "rec {{\n  networking.hostName = \"{name}\";\n  environment.etc.motd.text = networking.hostName;\n}}\n"
        )
    };
    let imported = import_files(&[
        ("flake.nix", flake),
        ("overlays/default.nix", "{ inputs }: { default = final: prev: { }; }\n"),
        (
            "modules/release.nix",
            "{ config, lib, ... }: {\n  options.fleet.release = lib.mkOption { default = \"23.11\"; };\n  config.system.stateVersion = config.fleet.release;\n}\n",
        ),
        ("home/shared.nix", "{ ... }: { home.sessionVariables.SHARED = \"1\"; }\n"),
        ("hosts/one.nix", &host("one")),
        ("hosts/two.nix", &host("two")),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let one = &imported.files["config/hosts/one.rs"];
    for expected in [
        r#".set(nixos::networking::host_name, "one")"#,
        r#".set(nixos::environment::etc::entry("motd").text(), "one")"#,
        r#".lib_additions(Raw::nix("{ fleet = { isServer = false; }; }"))"#,
        ".state_version_as_default()",
        "modules::release()",
        "modules::one_flake_files()",
    ] {
        assert!(one.contains(expected), "`{expected}` in:\n{one}");
    }
    // Both inline modules' definitions naming files, beside `flake.nix`.
    let kept = &imported.files["nix/flake-one.nix"];
    assert!(
        kept.starts_with("# What the inline module of host one in flake.nix")
            && kept.contains("{ inputs, lib, ... }:")
            && kept.contains("overlays = import ./overlays { inherit inputs; };")
            && kept.contains("home-manager.sharedModules = [ ./home/shared.nix ];"),
        "{kept}"
    );
    for copied in ["nix/overlays/default.nix", "nix/home/shared.nix"] {
        assert!(imported.files.contains_key(copied), "{copied}");
    }
}

/// `[ ]` and `{ }` (a hardware file's `boot.kernelModules = [ ];`, `swapDevices = [ ];`)
/// fit every list and attribute-set option: typed as `Empty`, not left raw; inside a list
/// or a set, where one Rust array holds one type, they stay raw.
#[test]
fn empty_lists_and_sets_are_typed() {
    let imported = import_files(&[
        ("flake.nix", &one_host("./box.nix")),
        (
            "box.nix",
            "{ ... }: {\n  system.stateVersion = \"24.05\";\n  boot.kernelModules = [ ];\n  swapDevices = [ ];\n  environment.etc = { };\n  networking.hosts = { \"10.0.0.1\" = [ ]; };\n}\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    for typed in [
        "boot::kernel_modules, Empty)",
        "swap_devices, Empty)",
        "environment::etc, Empty)",
    ] {
        assert!(rust.contains(typed), "{typed} in {rust}");
    }
    assert!(
        rust.contains(r#"Raw::nix("{ \"10.0.0.1\" = [ ]; }")"#),
        "{rust}"
    );
}

/// A definition of one entry of a set of settings (`nix.settings.experimental-features`,
/// an attribute set of `nix.conf` values whose declared entries do not include it) sets
/// that option to a set holding the entry; freeform data (`JSON value`) is typed as
/// `Data`, mixed kinds each as `Data::of`. Under a priority the entry stays raw: on the
/// whole set the priority would rank every entry of the definition. Settings that
/// declare options of their own are a struct in Rust, not data: a list of them stays raw.
#[test]
fn entries_of_settings_are_typed() {
    let imported = import_files(&[
        ("flake.nix", &one_host("./box.nix")),
        (
            "box.nix",
            r#"{ lib, ... }: {
  system.stateVersion = "24.05";
  nix.settings.experimental-features = [ "nix-command" "flakes" ];
  nix.settings.warn-dirty = lib.mkDefault false;
  virtualisation.podman.defaultNetwork.settings.dns_enabled = true;
  services.automx2.settings = {
    provider = "Example";
    domains = [ "example.org" ];
    servers = [ { type = "imap"; port = 993; } ];
  };
  services.grafana.provision.datasources.settings.datasources = [
    { name = "Prometheus"; isDefault = true; }
  ];
}
"#,
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    for typed in [
        r#"nix::settings, [("experimental-features", ["nix-command", "flakes"])])"#,
        r#"settings, Data::attrs([("dns_enabled", Data::of(true))]))"#,
        r#"automx2::settings, Data::attrs([("provider", Data::of("Example")), ("domains", Data::of(["example.org"])), ("servers", Data::of([Data::attrs([("type", Data::of("imap")), ("port", Data::of(993))])]))]))"#,
    ] {
        assert!(rust.contains(typed), "{typed} in {rust}");
    }
    for raw in [
        r#"Opt::untyped(&["nix", "settings", "warn-dirty"]), Raw::nix("false"))"#,
        r#"datasources::settings::datasources, Raw::nix("#,
    ] {
        assert!(rust.contains(raw), "{raw} in {rust}");
    }
}

/// impermanence's `environment.persistence` is typed with the shipped bindings, and the
/// crate asks for their feature.
#[test]
fn impermanence_is_typed() {
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.impermanence.url = "github:nix-community/impermanence";
  outputs = { nixpkgs, impermanence, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ impermanence.nixosModules.impermanence ./box.nix ];
    };
  };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        (
            "box.nix",
            r#"{ ... }: {
  system.stateVersion = "24.05";
  environment.persistence."/persist" = {
    hideMounts = true;
    directories = [ "/var/log" "/var/lib/nixos" ];
    files = [ { file = "/etc/machine-id"; parentDirectory.mode = "0755"; } ];
    users.alice.directories = [ "Music" { directory = ".ssh"; mode = "0700"; } ];
  };
}
"#,
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    let persistence =
        r#"flakesmith_inputs::impermanence::environment::persistence::entry("/persist")"#;
    let module = "flakesmith_inputs::impermanence::environment::persistence";
    for typed in [
        format!("{persistence}.hide_mounts(), true)"),
        format!(r#"{persistence}.directories(), ["/var/log", "/var/lib/nixos"])"#),
        // A set in a `list of (submodule)` is the submodule's value struct, with a setter
        // per definition (a nested path through the nested group's struct).
        format!(
            r#"{persistence}.files(), [{module}::FilesValue::new().file("/etc/machine-id").parent_directory({module}::FilesParentDirectoryValue::new().mode("0755"))])"#
        ),
        // Items of different members of a union, each converted on its own.
        format!(
            r#"{persistence}.users_options().entry("alice").directories(), [OneOf::of("Music"), OneOf::of({module}::DirectoriesValue2::new().directory(".ssh").mode("0700"))])"#
        ),
    ] {
        assert!(rust.contains(&typed), "{typed} in {rust}");
    }
    assert!(!rust.contains("TODO(import)"), "{rust}");
    assert!(
        imported.files["Cargo.toml"].contains(r#"features = ["impermanence"]"#),
        "{}",
        imported.files["Cargo.toml"]
    );
}

/// A module argument named inside `with` is the argument, since lexical names win over
/// `with`: the definition carries it (`let inherit hostLabel; in ...`) so the regenerated
/// module takes it too, instead of `with pkgs;` giving a package of that name.
#[test]
fn module_arguments_inside_with_stay_arguments() {
    let imported = import_files(&[
        ("flake.nix", &one_host("./box.nix")),
        (
            "box.nix",
            r#"{ pkgs, lib, hostLabel, ... }: {
  system.stateVersion = "24.05";
  environment.systemPackages = with pkgs; [ git ] ++ lib.optional (hostLabel == "box") vim;
}
"#,
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    assert!(
        rust.contains(r#"Raw::nix("let inherit hostLabel; in with pkgs; [ git ]"#),
        "{rust}"
    );
}

/// A flake built with flake-parts (`mkFlake`, modules found by import-tree): its hosts are
/// found by evaluating the flake's modules; a module of `flake.nixosModules` given as a
/// file is read as that file, and one written inline in a flake-parts module is refused
/// with where it is and what to do.
#[test]
fn flake_parts_hosts_are_found_by_evaluation() {
    if flakesmith_tests::nixpkgs_lib_or_say("flake-parts").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.import-tree.url = "github:vic/import-tree";
  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } ({ config, ... }: {
    imports = [ (inputs.import-tree ./parts) ];
    systems = [ "x86_64-linux" ];
    perSystem = { pkgs, ... }: { formatter = pkgs.alejandra; };
    flake.nixosConfigurations.desk = inputs.nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./hosts/desk.nix config.flake.nixosModules.ssh ];
    };
  });
}
"#;
    let ssh_part = "{ flake.nixosModules.ssh = ./ssh.nix; }\n";
    let ssh = "{ ... }: { services.openssh.enable = true; }\n";
    let desk = "{ ... }: { system.stateVersion = \"24.05\"; time.timeZone = \"UTC\"; }\n";
    let imported = import_files(&[
        ("flake.nix", flake),
        ("parts/ssh-part.nix", ssh_part),
        ("parts/ssh.nix", ssh),
        // Left out by import-tree: a name starting with `_`.
        ("parts/_helpers.nix", "this is not a module"),
        ("hosts/desk.nix", desk),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let desk_rs = &imported.files["config/hosts/desk.rs"];
    assert!(
        desk_rs.contains(r#"Host::new("desk", System::X86_64Linux, "24.05")"#)
            && desk_rs.contains("modules::ssh()"),
        "{desk_rs}"
    );
    assert!(all_rust(&imported).contains("openssh"));

    // A module written inline in a flake-parts module is taken from the flake's own
    // outputs, which the generated flake carries whole, and counted as hand-kept.
    let inline_part =
        "_: {\n  flake.nixosModules.ssh =\n    { ... }: { services.openssh.enable = true; };\n}\n";
    let imported = import_files(&[
        ("flake.nix", flake),
        ("parts/ssh-part.nix", inline_part),
        ("hosts/desk.nix", desk),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let desk_rs = &imported.files["config/hosts/desk.rs"];
    assert!(
        desk_rs.contains(r#".import(Module::from_input("self", "nixosModules.ssh"))"#),
        "{desk_rs}"
    );
    let outputs = &imported.files["nix/outputs.nix"];
    assert!(
        outputs.contains("builtins.removeAttrs ((inputs: inputs.flake-parts.lib.mkFlake")
            && outputs.contains(r#"inputs) [ "nixosConfigurations" ]"#),
        "{outputs}"
    );
    assert!(imported.files.contains_key("nix/parts/ssh-part.nix"));
    let part = &imported.report.files["parts/ssh-part.nix"];
    assert_eq!(part.hand_kept_definitions, 1, "{part:?}");
    assert!(
        part.hand_kept
            .as_deref()
            .is_some_and(|why| why
                .contains("`flake.nixosModules.ssh` written inline in a flake-parts module")),
        "{part:?}"
    );
}

/// A helper file that makes hosts (mitchellh's shape): what its inline modules read from
/// the helper's own parameters gets what the flake passes where it calls the helper's
/// file (`overlays`, a list of functions, with the `let` of `flake.nix` it names), and
/// what they read from the parameters of the function each host calls gets its value
/// for that host, where that is data (`user` in a computed name, a file of the flake).
/// Nothing is left out.
#[test]
fn inline_modules_naming_a_helpers_parameters_get_what_the_flake_passes() {
    if flakesmith_tests::nixpkgs_lib_or_say("inline modules naming a helper's parameters").is_none()
    {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.home-manager.url = "github:nix-community/home-manager";
  outputs = { nixpkgs, ... }@inputs: let
    overlays = [ (final: prev: { }) ];
    mkSystem = import ./lib/mksystem.nix { inherit overlays nixpkgs inputs; };
  in {
    nixosConfigurations.box = mkSystem "box" { user = "alice"; wsl = true; };
  };
}
"#;
    let helper = r#"{ nixpkgs, overlays, inputs }:
name: { user, wsl ? false }:
let
  isWSL = wsl;
  userHMConfig = ../users/${user}/home.nix;
in
nixpkgs.lib.nixosSystem {
  system = "x86_64-linux";
  modules = [
    ../hosts/${name}.nix
    { nixpkgs.overlays = overlays; }
    inputs.home-manager.nixosModules.home-manager
    { home-manager.users.${user} = import userHMConfig { inherit isWSL; }; }
  ];
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        ("lib/mksystem.nix", helper),
        (
            "users/alice/home.nix",
            "{ isWSL }: { ... }: { home.sessionVariables.WSL = if isWSL then \"1\" else \"0\"; }\n",
        ),
        (
            "hosts/box.nix",
            "{ ... }: { system.stateVersion = \"24.05\"; }\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    assert!(
        rust.contains(
            r#".set(nixos::nixpkgs::overlays, Raw::nix("let\n  overlays = [ (final: prev: { }) ];\nin\noverlays"))"#
        ),
        "{rust}"
    );
    let kept = imported
        .files
        .iter()
        .find(|(path, text)| {
            path.starts_with("nix/lib/") && text.contains("home-manager.users.alice")
        })
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("{:?}", imported.files.keys().collect::<Vec<_>>()));
    assert!(
        kept.contains("isWSL = true;")
            && kept.contains("userHMConfig = ../users/alice/home.nix;")
            && kept.contains("import userHMConfig { inherit isWSL; }"),
        "{kept}"
    );
    assert!(imported.files.contains_key("nix/users/alice/home.nix"));
    let report = &imported.files["IMPORT.md"];
    assert!(!report.contains("Left out"), "{report}");
}

/// nixpkgs that is another input of the flake (`nixpkgs.follows = "unstable";`) is that
/// input: its URL names the branch, and the lock's root names it by a path of inputs
/// (`"nixpkgs": ["unstable"]`), which leads to its date.
#[test]
fn nixpkgs_following_another_input_is_that_input() {
    let flake = r#"{
  inputs.unstable.url = "github:nixos/nixpkgs/nixpkgs-unstable";
  inputs.nixpkgs.follows = "unstable";
  inputs.home-manager.url = "github:nix-community/home-manager";
  outputs = { nixpkgs, ... }: {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./box.nix ];
    };
  };
}
"#;
    let lock = r#"{
  "nodes": {
    "unstable": { "locked": { "lastModified": 1739577600, "type": "github" } },
    "root": { "inputs": { "nixpkgs": ["unstable"], "unstable": "unstable" } }
  },
  "root": "root",
  "version": 7
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        ("flake.lock", lock),
        ("box.nix", "{ ... }: { system.stateVersion = \"24.05\"; }\n"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let report = imported.report.render();
    assert!(
        report.contains(
            "nixpkgs follows `nixpkgs-unstable`, locked at 2025-02 in flake.lock: release line 25.05"
        ),
        "{report}"
    );
}

/// A helper-made host's `nixosSystem` given more than its modules, system and special
/// arguments (`pkgs`, its own package set) is said to be left out, as a host written out
/// in `flake.nix` is: flakesmith writes the call itself. The note names the host and
/// where the helper gives it.
#[test]
fn what_else_a_helper_gives_nixos_system_is_reported() {
    if flakesmith_tests::nixpkgs_lib_or_say("a helper's nixosSystem arguments").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: let
    mkHost = name: nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      pkgs = import nixpkgs { system = "x86_64-linux"; config.allowUnfree = true; };
      modules = [ ./hosts/${name}.nix ];
    };
  in {
    nixosConfigurations.box = mkHost "box";
  };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        (
            "hosts/box.nix",
            "{ ... }: { system.stateVersion = \"24.05\"; }\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let report = imported.report.render();
    assert!(
        report.contains(
            "host `box`: `pkgs` of `nixosSystem` (flakesmith writes the call itself, given at flake.nix:6)"
        ),
        "{report}"
    );
}

/// A helper that gives `nixosSystem` a package set `flake.nix` builds in a `let` of
/// `outputs` (`inherit pkgs; lib = pkgs.lib;`): the host gets that binding, with the
/// bindings it reads, as its own package set and `lib` (`Host::package_set`), and the
/// files it names are copied. A package set built inside the helper is not a binding of
/// `outputs`, and stays reported as left out (`what_else_a_helper_gives_nixos_system_is_reported`).
#[test]
fn a_package_set_from_a_let_of_outputs_is_carried() {
    if flakesmith_tests::nixpkgs_lib_or_say("a helper's package set").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { self, nixpkgs, ... }@inputs: let
    system = "x86_64-linux";
    overlays = import ./overlays.nix { inherit inputs; };
    pkgs = import nixpkgs {
      inherit overlays system;
      config.allowUnfree = true;
    };
    mkHost = name: nixpkgs.lib.nixosSystem {
      inherit pkgs system;
      lib = pkgs.lib;
      modules = [ ./hosts/${name}.nix ];
    };
  in {
    nixosConfigurations = nixpkgs.lib.genAttrs [ "one" "two" ] mkHost;
  };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        (
            "overlays.nix",
            "{ inputs }: [ (final: prev: { marker = \"own\"; }) ]\n",
        ),
        (
            "hosts/one.nix",
            "{ ... }: { system.stateVersion = \"24.05\"; }\n",
        ),
        (
            "hosts/two.nix",
            "{ ... }: { system.stateVersion = \"24.05\"; }\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    for host in ["one", "two"] {
        let rust = &imported.files[&format!("config/hosts/{host}.rs")];
        assert!(
            rust.contains(
                r#".package_set(PackageSet::nix_file("nix/package-set.nix").with_its_lib())"#
            ),
            "{rust}"
        );
    }
    let set = &imported.files["nix/package-set.nix"];
    assert!(
        set.contains("{ self, nixpkgs, ... }@inputs:\nlet\n  system = \"x86_64-linux\";\n  overlays = import ./overlays.nix { inherit inputs; };\n  pkgs = import nixpkgs {")
            && set.ends_with("in\npkgs\n")
            && !set.contains("mkHost"),
        "{set}"
    );
    assert!(imported.files.contains_key("nix/overlays.nix"));
    let report = imported.report.render();
    assert!(
        report.contains("host `one`: the package set its `nixosSystem` is given (`pkgs` and its `lib`, given at flake.nix:11) is `pkgs` as flake.nix's `outputs` binds it")
            && !report.contains("of `nixosSystem` (flakesmith writes the call itself"),
        "{report}"
    );
}

/// A package set a file of the flake builds for each system (`pkgsBySystem =
/// genAttrs systems (system: import inputs.nixpkgs { ... });` in `lib/default.nix`) and
/// gives `nixosSystem` there (`pkgs = pkgsBySystem.${system};`), where `flake.nix`
/// imports that file in a `let` of `outputs` (`lib = import ./lib inputs;`): each host
/// gets the set of its system through that binding.
#[test]
fn a_package_set_a_library_file_builds_per_system_is_carried() {
    if flakesmith_tests::nixpkgs_lib_or_say("a library file's package set").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }@inputs: let
    lib = import ./lib inputs;
  in {
    nixosConfigurations = {
      one = lib.buildNixos { system = "x86_64-linux"; module = ./hosts/one.nix; };
      two = lib.buildNixos { system = "aarch64-linux"; module = ./hosts/two.nix; };
    };
  };
}
"#;
    let library = r#"inputs:
let
  lib = inputs.nixpkgs.lib;
in
lib // rec {
  pkgsBySystem = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (
    system:
    import inputs.nixpkgs {
      inherit system;
      config.allowUnfree = true;
    }
  );
  buildNixos = { system, module }: inputs.nixpkgs.lib.nixosSystem {
    pkgs = pkgsBySystem.${system};
    modules = [ module ];
  };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        ("lib/default.nix", library),
        (
            "hosts/one.nix",
            "{ ... }: { system.stateVersion = \"24.05\"; }\n",
        ),
        (
            "hosts/two.nix",
            "{ ... }: { system.stateVersion = \"24.05\"; }\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    for (host, system) in [("one", "x86_64-linux"), ("two", "aarch64-linux")] {
        let rust = &imported.files[&format!("config/hosts/{host}.rs")];
        let file = format!("nix/package-set-lib-pkgsBySystem-{system}.nix");
        assert!(
            rust.contains(&format!(".package_set(PackageSet::nix_file(\"{file}\"))")),
            "{rust}"
        );
        let set = &imported.files[&file];
        assert!(
            set.ends_with(&format!(
                "{{ nixpkgs, ... }}@inputs:\nlet\n  lib = import ./lib inputs;\nin\nlib.pkgsBySystem.\"{system}\"\n"
            )),
            "{set}"
        );
    }
    assert!(imported.files.contains_key("nix/lib/default.nix"));
}

/// A host written in `flake.nix` that inherits its package set from a `let` of
/// `outputs` (`inherit system pkgs;`, `lib = pkgs.lib;`) gets that binding as its own
/// package set; an argument it inherits that flakesmith does not carry is said to be
/// left out (it was dropped without a word).
#[test]
fn a_written_hosts_inherited_package_set_is_carried() {
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }@inputs: let
    system = "aarch64-linux";
    pkgs = import nixpkgs { inherit system; config.allowUnfree = true; };
    extraArgs = { };
  in {
    nixosConfigurations.box = nixpkgs.lib.nixosSystem {
      inherit system pkgs extraArgs;
      lib = pkgs.lib;
      modules = [ ./box.nix ];
    };
  };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        ("box.nix", "{ ... }: { system.stateVersion = \"24.05\"; }\n"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    assert!(
        rust.contains(r#"Host::new("box", System::Aarch64Linux"#)
            && rust.contains(
                r#".package_set(PackageSet::nix_file("nix/package-set.nix").with_its_lib())"#
            ),
        "{rust}"
    );
    assert!(
        imported.files["nix/package-set.nix"].ends_with("in\npkgs\n"),
        "{}",
        imported.files["nix/package-set.nix"]
    );
    let report = imported.report.render();
    assert!(
        report.contains(
            "`extraArgs` of `nixosSystem`, inherited (flakesmith writes the call itself)"
        ) && !report.contains("`pkgs` of `nixosSystem`")
            && !report.contains("`lib` of `nixosSystem`"),
        "{report}"
    );
}

/// Hosts a builder makes that the flake's own overlay adds to its package set
/// (`nixosConfigurations = pkgs.builders.mkNixos { };`) are found by evaluation: the
/// stand-in nixpkgs applies the overlays it is given. An input URL written as a bare URI
/// (`url = github:owner/repo;`) is that string, as it is to Nix.
#[test]
fn hosts_from_an_overlays_builder_and_bare_uri_inputs() {
    let Some(_) = flakesmith_tests::nixpkgs_lib_or_say("hosts from an overlay's builder") else {
        return;
    };
    let flake = r#"{
  inputs.nixpkgs.url = github:NixOS/nixpkgs/nixos-24.05;
  inputs.nur.url = github:nix-community/NUR;
  outputs = { nixpkgs, ... }:
    let
      pkgs = import nixpkgs {
        system = "x86_64-linux";
        overlays = [
          (final: prev: {
            builders.mkNixos = { }: {
              box = nixpkgs.lib.nixosSystem {
                system = "x86_64-linux";
                modules = [ ./box.nix ];
              };
            };
          })
        ];
      };
    in { nixosConfigurations = pkgs.builders.mkNixos { }; };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        (
            "box.nix",
            "{ ... }: { system.stateVersion = \"24.05\"; networking.hostName = \"box\"; }\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(imported.files.contains_key("config/hosts/box.rs"));
    let rust = all_rust(&imported);
    assert!(rust.contains("\"github:nix-community/NUR\""), "{rust}");
    assert!(
        rust.contains(r#".set(nixos::networking::host_name, "box")"#),
        "{rust}"
    );
}

/// An entry of a collection of submodules set to `{ }` (it only has to be there) is that
/// collection given the entry's empty value struct; another option's value read through
/// `config.` is the handle's `.value()`.
#[test]
fn empty_entries_and_other_options_values_are_typed() {
    let imported = import_files(&[
        ("flake.nix", &one_host("./box.nix")),
        (
            "box.nix",
            r#"{ config, ... }: {
  system.stateVersion = "24.05";
  users.groups.media = { };
  services.sonarr.group = config.users.groups.media.name;
  environment.etc.hostname.text = config.networking.hostName;
}
"#,
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let rust = host_rs(&imported);
    for typed in [
        r#".set(nixos::users::groups, [("media", nixos::users::GroupsValue::new())])"#,
        r#".set(nixos::services::sonarr::group, nixos::users::groups::group("media").name().value())"#,
        r#".set(nixos::environment::etc::entry("hostname").text(), nixos::networking::host_name.value())"#,
    ] {
        assert!(rust.contains(typed), "{typed} in {rust}");
    }
    assert!(!rust.contains("TODO(import)"), "{rust}");
}

/// Hosts an input's flake-parts module makes (a `hosts = { ... }` option, each host's
/// module a directory of the flake it copies into the store by interpolation, each host
/// made inside `withSystem` with a per-system module argument): without the input's
/// source the error says how to name it; with `--input-source` the hosts are found, each
/// importing its own directory's module.
#[test]
fn hosts_an_inputs_flake_module_makes_are_found_with_its_source() {
    if flakesmith_tests::nixpkgs_lib_or_say("an input's flake module").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  inputs.hosts-maker.url = "github:example/hosts-maker";
  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } {
    imports = [ inputs.hosts-maker.flakeModule ];
    hosts-maker = {
      dir = ./hosts;
      hosts.desk = "aarch64-linux";
      modules = [
        ({ hostPlatform, lib, ... }: { imports = lib.optionals hostPlatform.isLinux [ ./linux.nix ]; })
      ];
    };
  };
}
"#;
    let maker_flake = "{ outputs = { self, ... }: { flakeModule = ./module.nix; }; }\n";
    let maker_module = r#"{ config, lib, inputs, withSystem, ... }:
let cfg = config.hosts-maker; in {
  options.hosts-maker = lib.mkOption { type = lib.types.attrsOf lib.types.anything; };
  config.perSystem = { system, ... }: {
    _module.args.madePkgs = import inputs.nixpkgs { inherit system; };
  };
  config.flake.nixosConfigurations = lib.mapAttrs (name: system:
    withSystem system ({ madePkgs, ... }: inputs.nixpkgs.lib.nixosSystem {
      specialArgs = { inherit inputs; hostPlatform = madePkgs.stdenv.hostPlatform; };
      modules = [
        "${cfg.dir}/${name}"
        { _file = ./.; nixpkgs.pkgs = madePkgs; networking.hostName = name; }
      ] ++ cfg.modules;
    })) cfg.hosts;
}
"#;
    let desk = "{ ... }: { system.stateVersion = \"24.05\"; time.timeZone = \"UTC\"; }\n";
    let dir = tempfile::tempdir().unwrap();
    let maker = tempfile::tempdir().unwrap();
    let linux = "{ ... }: { services.openssh.enable = true; }\n";
    for (path, text) in [
        ("flake.nix", flake),
        ("hosts/desk/default.nix", desk),
        ("linux.nix", linux),
    ] {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(maker.path().join("flake.nix"), maker_flake).unwrap();
    std::fs::write(maker.path().join("module.nix"), maker_module).unwrap();
    let config = CrateConfig {
        name: "config".into(),
        flakesmith: Dependency::Git("https://example.invalid/flakesmith".into()),
    };

    let without = flakesmith::import::flake(dir.path()).unwrap_err();
    assert!(without.contains("--input-source NAME=PATH"), "{without}");

    let sources = [("hosts-maker".to_owned(), maker.path().to_owned())];
    let spec = flakesmith::import::flake_with_sources(dir.path(), &sources)
        .unwrap_or_else(|e| panic!("{e}"));
    let imported = flakesmith::import::import_flake(dir.path(), spec, bindings(), &config)
        .unwrap_or_else(|e| panic!("{e}"));
    let desk_rs = &imported.files["config/hosts/desk.rs"];
    // On the system of the package set its modules give NixOS; its own directory's
    // module, and what the function module imports on Linux.
    assert!(
        desk_rs.contains(r#"Host::new("desk", System::Aarch64Linux, "24.05")"#)
            && desk_rs.contains("time::time_zone")
            && all_rust(&imported).contains("services::openssh::enable"),
        "{desk_rs}"
    );
    // The input's inline module: its data typed, its package set the per-system argument
    // it is, read again from the carried outputs, as is the platform given beside it.
    let argument = r#"withSystem \"aarch64-linux\" (arguments: arguments.madePkgs)"#;
    assert!(
        desk_rs.contains(r#".set(nixos::networking::host_name, "desk")"#)
            && desk_rs.contains(r#".set(nixos::nixpkgs::pkgs, Raw::nix("madePkgs"))"#)
            && desk_rs.contains(r#".special_arg("madePkgs", Raw::nix("(import ./outputs.nix"#)
            && desk_rs.contains(argument)
            && desk_rs.contains(r#".flakesmithPerSystemArgument.stdenv.hostPlatform"))"#),
        "{desk_rs}"
    );
    assert!(
        imported
            .report
            .files
            .contains_key("<hosts-maker>/module.nix"),
        "{:?}",
        imported.report.files.keys()
    );

    let unknown = flakesmith::import::flake_with_sources(
        dir.path(),
        &[("nothing-here".to_owned(), maker.path().to_owned())],
    )
    .unwrap_err();
    assert!(
        unknown.contains("the flake has no input `nothing-here`"),
        "{unknown}"
    );
}

/// A carried file naming paths from the flake's root (`"${inputs.self}/modules"`), where
/// the generated tree keeps flakesmith's own files: written as paths relative to the file,
/// which lead to the copies carried beside it, each rewrite in the report.
#[test]
fn paths_from_the_flakes_root_in_carried_files_lead_to_the_copies() {
    if flakesmith_tests::nixpkgs_lib_or_say("flake-parts").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  inputs.flake-parts.url = "github:hercules-ci/flake-parts";
  outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } {
    imports = [ ./parts/modules.nix ];
    flake.nixosConfigurations.desk = inputs.nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ ./hosts/desk.nix ];
    };
  };
}
"#;
    let part = r#"{ inputs, ... }: {
  flake.nixosModules = builtins.mapAttrs (name: _: import "${inputs.self}/modules/${name}")
    (builtins.readDir "${inputs.self}/modules");
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        ("parts/modules.nix", part),
        ("modules/ssh.nix", "{ services.openssh.enable = true; }\n"),
        (
            "hosts/desk.nix",
            "{ system.stateVersion = \"24.05\"; time.timeZone = \"UTC\"; }\n",
        ),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let carried = &imported.files["nix/parts/modules.nix"];
    assert!(
        carried.contains(r#"import (../modules + "/${name}")"#)
            && carried.contains("(builtins.readDir ../modules)"),
        "{carried}"
    );
    assert!(imported.files.contains_key("nix/modules/ssh.nix"));
    let notes: Vec<&(String, String)> = imported
        .report
        .files
        .values()
        .flat_map(|file| &file.notes)
        .collect();
    assert!(
        notes.iter().any(|(at, note)| at == "parts/modules.nix:3"
            && note.contains(r#"`"${inputs.self}/modules"` names a path from the flake's root"#)
            && note.contains("the path `../modules`")),
        "{notes:?}"
    );
}

/// A module the original reached through modules that only import is imported as far
/// down (`far`, two inline wrappers deep in the helper's list, is one level below the
/// host file's imports), and the part of a module kept as written stands beside it: the
/// module system's breadth-first order, and so the order of lists, is the original's.
#[test]
fn modules_keep_their_depth_in_the_module_order() {
    if flakesmith_tests::nixpkgs_lib_or_say("modules keep their depth").is_none() {
        return;
    }
    let flake = r#"{
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-24.05";
  outputs = { nixpkgs, ... }: let
    mkHost = name: nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [
        ./hosts/${name}.nix
        { imports = [ ./modules/near.nix ]; }
        { imports = [ { imports = [ ./modules/far.nix ]; } ]; }
      ];
    };
  in {
    nixosConfigurations = nixpkgs.lib.genAttrs [ "box" ] mkHost;
  };
}
"#;
    let imported = import_files(&[
        ("flake.nix", flake),
        (
            "hosts/box.nix",
            "{ ... }: { system.stateVersion = \"24.05\"; }\n",
        ),
        (
            "modules/near.nix",
            "{ ... }: { networking.nameservers = [ \"near\" ]; }\n",
        ),
        (
            "modules/far.nix",
            "{ ... }: {\n  networking.nameservers = [ \"far\" ];\n  services.nginx.virtualHosts.docs.root = ./www;\n}\n",
        ),
        ("modules/www/index.html", "<p>docs</p>\n"),
    ])
    .unwrap_or_else(|e| panic!("{e}"));
    let host = host_rs(&imported);
    assert!(
        host.contains("        .import(modules::near())\n")
            && host.contains("        .import_nested(modules::far(), 1)\n"),
        "{host}"
    );
    let modules = &imported.files["config/modules.rs"];
    assert!(
        modules.contains("        .beside(far_files())\n"),
        "{modules}"
    );
    assert!(!modules.contains(".import(far_files())"), "{modules}");
}
