//! Deploying the fleet: colmena's hive and deploy-rs's nodes, written from the hosts'
//! typed deployment data, and the checks on that data.
//!
//! The outputs are evaluated with stand-in inputs (a `makeHive` that returns what it is
//! given, a deploy-rs `lib` that names what it would activate) and, where types matter,
//! the real nixpkgs lib (`FLAKESMITH_NIXPKGS_LIB`, set by `.ci/run`): each node's
//! `deployment` is checked against colmena's option types with `lib.evalModules`, and
//! each deploy-rs node against deploy-rs's documented schema
//! (`tests/fixtures/deploy-rs-node-schema.json`).

use std::path::Path;

use flakesmith::prelude::*;
use flakesmith::{compile, Tree};
use flakesmith_nixos::users;
use flakesmith_tests::{nix_instantiate, nixpkgs_lib_or_say, rejected_text as rejected};

const THIS_FILE: &str = "tests/tests/deploy.rs:";

fn host(name: &str, system: System) -> Host {
    Host::new(name, system, "24.05").hardware(Hardware::nix_text("{}"))
}

fn fleet() -> Flake {
    Flake::new("fleet", "24.11")
        .deploy_with(Engine::Colmena)
        .deploy_with(Engine::DeployRs)
        .host(
            host("web1", System::X86_64Linux)
                .tag("web")
                .tag("eu-west")
                .set(users::users::user("acme").is_system_user(), true)
                .set(users::users::user("acme").group(), "acme")
                .set(users::groups::group("acme").gid(), 990)
                .deploy(
                    Deployment::to("web1.example.org")
                        .ssh_user("deploy")
                        .port(2222)
                        .magic_rollback(true)
                        .confirm_timeout(60)
                        .key(
                            DeployKey::command("acme-token", ["pass", "show", "acme"])
                                .user("acme")
                                .group("acme")
                                .permissions("0640")
                                .upload_at(UploadAt::PostActivation),
                        ),
                ),
        )
        .host(
            host("pi", System::Aarch64Linux)
                .tag("edge")
                .deploy(Deployment::to("10.0.0.7").build_on_target()),
        )
        .host(host("laptop", System::X86_64Linux))
}

#[track_caller]
fn accepted(flake: &Flake) -> Tree {
    match compile(flake, Path::new(".")) {
        Ok(compiled) => compiled.tree,
        Err(rejected) => panic!(
            "rejected:\n{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    }
}

/// colmena's `deployment` options, with the types colmena declares them with.
const COLMENA_DEPLOYMENT: &str = r#"{ lib, ... }: with lib.types; {
  options.deployment = {
    targetHost = lib.mkOption { type = nullOr str; default = null; };
    targetPort = lib.mkOption { type = nullOr port; default = null; };
    targetUser = lib.mkOption { type = nullOr str; default = "root"; };
    buildOnTarget = lib.mkOption { type = bool; default = false; };
    allowLocalDeployment = lib.mkOption { type = bool; default = false; };
    tags = lib.mkOption { type = listOf str; default = [ ]; };
    keys = lib.mkOption {
      default = { };
      type = attrsOf (submodule {
        options = {
          text = lib.mkOption { type = nullOr str; default = null; };
          keyFile = lib.mkOption { type = nullOr str; default = null; };
          keyCommand = lib.mkOption { type = nullOr (listOf str); default = null; };
          destDir = lib.mkOption { type = str; default = "/run/keys"; };
          user = lib.mkOption { type = str; default = "root"; };
          group = lib.mkOption { type = str; default = "root"; };
          permissions = lib.mkOption { type = str; default = "0600"; };
          uploadAt = lib.mkOption { type = enum [ "pre-activation" "post-activation" ]; default = "pre-activation"; };
        };
      });
    };
  };
}"#;

/// Evaluates the written flake's outputs with stand-in inputs and returns the JSON of
/// what the test looks at.
fn evaluate(tree: &Tree, lib: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    flakesmith::writer::write(dir.path(), tree, false).unwrap();
    std::fs::create_dir(dir.path().join("stub-nixpkgs")).unwrap();
    std::fs::write(
        dir.path().join("stub-nixpkgs/default.nix"),
        "{ system, ... }: { inherit system; }",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("colmena-deployment.nix"),
        COLMENA_DEPLOYMENT,
    )
    .unwrap();
    let program = format!(
        r#"let
  lib = {lib};
  flake = import {dir}/flake.nix;
  inputs = {{
    self = outputs;
    nixpkgs = {{ outPath = {dir}/stub-nixpkgs; lib.nixosSystem = arguments: arguments; }};
    home-manager = {{ nixosModules.home-manager = "home-manager-module"; }};
    colmena = {{ lib.makeHive = hive: hive; }};
    deploy-rs = {{
      lib = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (system: {{
        activate.nixos = configuration: "activate ${{system}} ${{configuration.system}}";
        deployChecks = deploy: "deploy-rs checks on ${{system}} of ${{toString (builtins.attrNames deploy.nodes)}}";
      }});
    }};
  }};
  outputs = flake.outputs inputs;
  shape = m: if builtins.isPath m then toString m else if builtins.isString m then m else builtins.attrNames m;
  hive = outputs.colmenaHive;
  nodes = builtins.removeAttrs hive [ "meta" ];
  deployment = node: (lib.evalModules {{ modules = [ {dir}/colmena-deployment.nix {{ deployment = node.deployment; }} ]; }}).config.deployment;
in builtins.toJSON {{
  configurations = builtins.attrNames outputs.nixosConfigurations;
  sameModules = lib.mapAttrs (name: node: map shape node.imports == map shape outputs.nixosConfigurations.${{name}}.modules) nodes;
  flakeSource = lib.mapAttrs (name: node: node.nixpkgs.flake.source == inputs.nixpkgs.outPath) nodes;
  deployment = lib.mapAttrs (name: deployment) nodes;
  meta = {{ default = hive.meta.nixpkgs.system; nodes = lib.mapAttrs (n: p: p.system) hive.meta.nodeNixpkgs; specialArgs = builtins.attrNames hive.meta.specialArgs; }};
  deploy = outputs.deploy;
  checks = outputs.checks;
}}"#,
        dir = dir.path().display()
    );
    let output = nix_instantiate(&["--eval", "--strict", "--show-trace", "-E", &program]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let quoted: String = serde_json::from_slice(&output.stdout).unwrap();
    serde_json::from_str(&quoted).unwrap()
}

/// Checks one object against a part of the schema fixture: required fields present,
/// every field known, of its type.
fn conforms(value: &serde_json::Value, schema: &serde_json::Value, what: &str) {
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object"));
    for required in schema["required"].as_array().unwrap() {
        let required = required.as_str().unwrap();
        assert!(object.contains_key(required), "{what} lacks `{required}`");
    }
    for (field, field_value) in object {
        let expected = schema["fields"][field]
            .as_str()
            .unwrap_or_else(|| panic!("{what} has `{field}`, which deploy-rs does not know"));
        let fits = match expected {
            "string" => field_value.is_string(),
            "boolean" => field_value.is_boolean(),
            "integer" => field_value.is_i64(),
            "object" => field_value.is_object(),
            "array of string" => field_value
                .as_array()
                .is_some_and(|items| items.iter().all(serde_json::Value::is_string)),
            other => panic!("unknown type `{other}` in the fixture"),
        };
        assert!(fits, "{what}: `{field}` is {field_value}, not {expected}");
    }
}

#[test]
fn the_hive_and_the_deploy_nodes_are_the_hosts_systems() {
    let tree = accepted(&fleet());
    let flake_nix = tree.get("flake.nix").unwrap();
    // Both engines' inputs, following the flake's nixpkgs; each host's modules bound once.
    for expected in [
        "colmena = {",
        "url = \"github:zhaofengli/colmena\";",
        "deploy-rs = {",
        "url = \"github:serokell/deploy-rs\";",
        "hostModules = {",
        "modules = hostModules.web1;",
        "imports = hostModules.web1;",
    ] {
        assert!(
            flake_nix.contains(expected),
            "{expected} missing:\n{flake_nix}"
        );
    }
    let Some(lib) = nixpkgs_lib_or_say("deployment outputs") else {
        return;
    };
    let value = evaluate(&tree, &lib);
    assert_eq!(
        value["configurations"],
        serde_json::json!(["laptop", "pi", "web1"])
    );
    // Only deployed hosts are nodes; each imports exactly its configuration's modules.
    assert_eq!(
        value["sameModules"],
        serde_json::json!({"pi": true, "web1": true})
    );
    assert_eq!(
        value["flakeSource"],
        serde_json::json!({"pi": true, "web1": true})
    );
    assert_eq!(
        value["meta"],
        serde_json::json!({"default": "x86_64-linux", "nodes": {"pi": "aarch64-linux"}, "specialArgs": ["inputs"]})
    );
    let web1 = &value["deployment"]["web1"];
    assert_eq!(web1["targetHost"], "web1.example.org");
    assert_eq!(web1["targetPort"], 2222);
    assert_eq!(web1["targetUser"], "deploy");
    assert_eq!(web1["tags"], serde_json::json!(["web", "eu-west"]));
    assert_eq!(
        web1["keys"]["acme-token"],
        serde_json::json!({
            "text": null, "keyFile": null, "keyCommand": ["pass", "show", "acme"],
            "destDir": "/run/keys", "user": "acme", "group": "acme",
            "permissions": "0640", "uploadAt": "post-activation"
        })
    );
    let pi = &value["deployment"]["pi"];
    assert_eq!(pi["buildOnTarget"], true);
    assert_eq!(pi["targetUser"], "root", "colmena's default stays");
    // deploy-rs: every node fits the documented schema, and activates its host's system.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/deploy-rs-node-schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let nodes = value["deploy"]["nodes"].as_object().unwrap();
    assert_eq!(nodes.keys().collect::<Vec<_>>(), ["pi", "web1"]);
    for (name, node) in nodes {
        conforms(node, &schema["node"], &format!("node {name}"));
        for (profile_name, profile) in node["profiles"].as_object().unwrap() {
            conforms(
                profile,
                &schema["profile"],
                &format!("profile {name}.{profile_name}"),
            );
        }
    }
    assert_eq!(
        value["deploy"]["nodes"]["web1"],
        serde_json::json!({
            "hostname": "web1.example.org", "sshUser": "deploy", "sshOpts": ["-p", "2222"],
            "magicRollback": true, "confirmTimeout": 60,
            "profiles": {"system": {"user": "root", "path": "activate x86_64-linux x86_64-linux"}}
        })
    );
    assert_eq!(
        value["deploy"]["nodes"]["pi"]["profiles"]["system"]["path"],
        "activate aarch64-linux aarch64-linux"
    );
    assert_eq!(value["deploy"]["nodes"]["pi"]["remoteBuild"], true);
    assert_eq!(
        value["checks"]["x86_64-linux"],
        "deploy-rs checks on x86_64-linux of pi web1"
    );
}

#[test]
fn without_an_engine_or_a_deployed_host_nothing_is_added() {
    let plain = Flake::new("plain", "24.11").host(host("desk", System::X86_64Linux));
    let tree = accepted(&plain);
    let flake_nix = tree.get("flake.nix").unwrap();
    for absent in ["colmena", "deploy-rs", "hostModules", "deploy ="] {
        assert!(!flake_nix.contains(absent), "{absent} in:\n{flake_nix}");
    }
}

#[test]
fn deployment_mistakes_are_errors_at_their_rust_lines() {
    let flake = Flake::new("fleet", "24.11")
        .deploy_with(Engine::Colmena)
        .host(
            host("web1", System::X86_64Linux).tag("web servers").deploy(
                Deployment::to("web1.example.org")
                    .key(DeployKey::file("tls", "keys/tls.pem"))
                    .key(DeployKey::command("token", ["cat", "/k"]).user("nginx"))
                    .key(DeployKey::command("db", ["cat", "/d"]).group("postgres"))
                    .key(DeployKey::command("perm", ["cat", "/p"]).permissions("640")),
            ),
        )
        .host(host("web2", System::X86_64Linux).tag("web"));
    let text = rejected(&flake);
    for expected in [
        "tag `web servers` of host `web1` is not a plain name",
        "host `web2` is tagged `web` but has no deployment target",
        "key `tls` of host `web1` is read from `keys/tls.pem`, a relative path",
        "the user of key `token` of host `web1`, `nginx`, is no user on host `web1`",
        "the group of key `db` of host `web1`, `postgres`, is no group on host `web1`",
        "key `perm` of host `web1` has permissions `640`, which are not four octal digits",
    ] {
        assert!(text.contains(expected), "{expected} missing in:\n{text}");
    }
    assert!(
        text.matches(THIS_FILE).count() >= 6,
        "each error names its Rust line:\n{text}"
    );
}

#[test]
fn a_deployment_needs_an_engine_and_targets_are_not_shared() {
    let flake = Flake::new("fleet", "24.11")
        .host(host("a", System::X86_64Linux).deploy(Deployment::to("10.0.0.1")));
    let text = rejected(&flake);
    assert!(
        text.contains("error[missing-deploy-engine]: host `a`"),
        "{text}"
    );
    let names = Flake::new("fleet", "24.11")
        .deploy_with(Engine::Colmena)
        .deploy_with(Engine::DeployRs)
        .host(host("meta", System::X86_64Linux).deploy(Deployment::to("10.0.0.2")))
        .host(host("1st", System::X86_64Linux).deploy(Deployment::to("10.0.0.3")));
    let text = rejected(&names);
    for expected in [
        "error[invalid-node-name]: a host named `meta`",
        "error[invalid-node-name]: host `1st`",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing in:
{text}"
        );
    }
    let shared = Flake::new("fleet", "24.11")
        .deploy_with(Engine::DeployRs)
        .host(host("a", System::X86_64Linux).deploy(Deployment::to("10.0.0.1")))
        .host(host("b", System::X86_64Linux).deploy(Deployment::to("10.0.0.1")));
    let compiled = compile(&shared, Path::new(".")).expect("a shared target is a warning");
    let kinds: Vec<_> = compiled.warnings.iter().map(|w| w.kind).collect();
    assert_eq!(kinds, [flakesmith::DiagnosticKind::SharedDeployTarget]);
}

/// The near miss: the same keys with owners that exist and an absolute file.
#[test]
fn the_same_keys_with_existing_owners_build() {
    let flake = Flake::new("fleet", "24.11")
        .deploy_with(Engine::Colmena)
        .host(
            host("web1", System::X86_64Linux)
                .tag("web")
                .set(users::users::user("nginx").is_system_user(), true)
                .set(users::users::user("nginx").group(), "nginx")
                .set(users::groups::group("nginx").gid(), 991)
                .deploy(
                    Deployment::to("web1.example.org")
                        .key(
                            DeployKey::command("token", ["cat", "/k"])
                                .user("nginx")
                                .group("nginx"),
                        )
                        .key(DeployKey::command("perm", ["cat", "/p"]).permissions("0640")),
                ),
        );
    accepted(&flake);
}

/// First installs: a hand-kept disko configuration is copied next to the host's files
/// and imported with disko's module, for `nixos-anywhere --flake .#<host>`.
#[test]
fn a_disko_configuration_is_copied_and_imported() {
    let disks = "{ disko.devices.disk.main = { device = \"/dev/sda\"; type = \"disk\"; }; }\n";
    let flake = Flake::new("fleet", "24.11")
        .host(host("web1", System::X86_64Linux).disko(NixSource::nix_text(disks)));
    let tree = accepted(&flake);
    let copied = tree.get("hosts/web1/disko.nix").unwrap();
    assert!(copied.ends_with(disks), "{copied}");
    let host_file = tree.get("hosts/web1/default.nix").unwrap();
    for expected in ["inputs.disko.nixosModules.disko", "./disko.nix", "inputs,"] {
        assert!(
            host_file.contains(expected),
            "{expected} missing:\n{host_file}"
        );
    }
    let flake_nix = tree.get("flake.nix").unwrap();
    assert!(
        flake_nix.contains("url = \"github:nix-community/disko\";"),
        "{flake_nix}"
    );
    for file in [
        "flake.nix",
        "hosts/web1/default.nix",
        "hosts/web1/disko.nix",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file.nix");
        std::fs::write(&path, tree.get(file).unwrap()).unwrap();
        let output = nix_instantiate(&["--parse", path.to_str().unwrap()]);
        assert!(output.status.success(), "{file} does not parse");
    }
    let broken = Flake::new("fleet", "24.11").host(
        host("web1", System::X86_64Linux).disko(NixSource::nix_text("{ disko.devices = ; }")),
    );
    let text = rejected(&broken);
    assert!(
        text.contains("the disko configuration of host `web1`") && text.contains(THIS_FILE),
        "{text}"
    );
}
