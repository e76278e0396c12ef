//! Special arguments: the flake's and a host's reach every module of the host (hand-kept
//! ones and Home Manager's), a host's replaces the flake's, and bad names are build
//! errors. Evaluated through the generated flake's outputs with the real module system.

use flakesmith::compile;
use flakesmith::prelude::*;
use flakesmith_tests::{evaluate_flake, nixpkgs_lib_or_say, rejected_text as rejected};

/// A hand-kept module that takes the arguments, as imported flakes' modules do.
const TAKES_ARGS: &str =
    "{ host, username, outputs, ... }: { networking.domain = \"${host}.${username}.${outputs.marker}\"; }\n";

const USER_TAKES_ARGS: &str = "{ host, ... }: { home.sessionVariables.HOST = host; }\n";

fn fleet() -> Flake {
    let user = User::new("alice", "24.11").import(Module::nix_text(
        Category::Home,
        "host-var",
        USER_TAKES_ARGS,
    ));
    let host = |name: &str| {
        Host::new(name, System::X86_64Linux, "24.11")
            .hardware(Hardware::nix_text("{ }"))
            .import(Module::nix_text(Category::System, "domain", TAKES_ARGS))
            .special_arg("host", name)
            .set(
                flakesmith_nixos::users::users::user("alice").is_normal_user(),
                true,
            )
            .user(user.clone())
    };
    Flake::new("args", "24.11")
        .special_arg("username", "alice")
        .special_arg("outputs", Raw::nix("{ marker = \"m\"; }"))
        .host(host("desk"))
        .host(host("laptop").special_arg("username", "bob"))
}

#[test]
fn special_arguments_reach_every_module() {
    let tree = match compile(&fleet(), std::path::Path::new(".")) {
        Ok(compiled) => compiled.tree,
        Err(rejected) => panic!(
            "{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    };
    let flake_nix = tree.get("flake.nix").unwrap();
    assert!(flake_nix.contains("host = \"laptop\";"), "{flake_nix}");
    assert!(flake_nix.contains("extraSpecialArgs = {"), "{flake_nix}");
    let Some(lib) = nixpkgs_lib_or_say("special arguments") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        r#"lib.genAttrs [ "desk" "laptop" ] (host: let config = outputs.nixosConfigurations.${host}.config; in {
          domain = config.networking.domain;
          home = config.home-manager.users.alice.home.sessionVariables.HOST;
        })"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        value,
        serde_json::json!({
            "desk": { "domain": "desk.alice.m", "home": "desk" },
            "laptop": { "domain": "laptop.bob.m", "home": "laptop" },
        })
    );
}

/// `Host::lib_additions`: the host's NixOS modules find the flake's helpers in `lib` beside
/// nixpkgs' own; Home Manager's modules keep Home Manager's `lib`.
#[test]
fn lib_additions_reach_nixos_modules_and_not_home_managers() {
    const READS_LIB: &str =
        "{ lib, ... }: { networking.domain = \"${lib.fleet.domain}.${lib.boolToString (lib ? mkOption)}\"; }\n";
    const HOME_READS_LIB: &str =
        "{ lib, ... }: { home.sessionVariables.HAS_FLEET = lib.boolToString (lib ? fleet); }\n";
    let user = User::new("alice", "24.11").import(Module::nix_text(
        Category::Home,
        "reads-lib",
        HOME_READS_LIB,
    ));
    let host = Host::new("desk", System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_text("{ }"))
        .import(Module::nix_text(Category::System, "reads-lib", READS_LIB))
        .lib_additions(Raw::nix("{ fleet = { domain = \"example.org\"; }; }"))
        .set(
            flakesmith_nixos::users::users::user("alice").is_normal_user(),
            true,
        )
        .user(user);
    let tree = match compile(
        &Flake::new("args", "24.11").host(host),
        std::path::Path::new("."),
    ) {
        Ok(compiled) => compiled.tree,
        Err(rejected) => panic!(
            "{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    };
    let flake_nix = tree.get("flake.nix").unwrap();
    assert!(flake_nix.contains("lib = nixpkgs.lib // {"), "{flake_nix}");
    let Some(lib) = nixpkgs_lib_or_say("lib additions") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        r#"let config = outputs.nixosConfigurations.desk.config; in {
          domain = config.networking.domain;
          home = config.home-manager.users.alice.home.sessionVariables.HAS_FLEET;
        }"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        value,
        serde_json::json!({ "domain": "example.org.true", "home": "false" })
    );
}

/// `Host::package_set`: the host's modules get the set the hand-kept file builds as
/// `pkgs` (and its `lib` with `with_its_lib`); NixOS applies no `nixpkgs.overlays` to
/// it. A host without one keeps the package set NixOS builds.
#[test]
fn a_host_package_set_is_its_pkgs() {
    const READS_PKGS: &str = "{ pkgs, lib, ... }: { nixpkgs.overlays = [ (final: prev: { marker = \"overlay\"; }) ]; networking.domain = \"${pkgs.marker}.${lib.fleet or \"nixpkgs-lib\"}\"; }\n";
    const PACKAGE_SET: &str = "{ nixpkgs, ... }: nixpkgs.legacyPackages.x86_64-linux // {\n  marker = \"own\";\n  lib = nixpkgs.lib.extend (final: prev: { fleet = \"its-lib\"; });\n}\n";
    let host = |name: &str| {
        Host::new(name, System::X86_64Linux, "24.11")
            .hardware(Hardware::nix_text("{ }"))
            .import(Module::nix_text(Category::System, "reads-pkgs", READS_PKGS))
    };
    let flake = Flake::new("sets", "24.11")
        .host(host("own").package_set(PackageSet::nix_text(PACKAGE_SET)))
        .host(host("with-lib").package_set(PackageSet::nix_text(PACKAGE_SET).with_its_lib()))
        .host(host("nixos"));
    let tree = match compile(&flake, std::path::Path::new(".")) {
        Ok(compiled) => compiled.tree,
        Err(rejected) => panic!(
            "{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    };
    let flake_nix = tree.get("flake.nix").unwrap();
    assert!(
        flake_nix.contains("pkgs = import ./hosts/own/package-set.nix inputs;"),
        "{flake_nix}"
    );
    assert!(tree.get("hosts/own/package-set.nix").is_some());
    let Some(lib) = nixpkgs_lib_or_say("package sets") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        r#"lib.genAttrs [ "own" "with-lib" "nixos" ] (host: outputs.nixosConfigurations.${host}.config.networking.domain)"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        value,
        serde_json::json!({
            "own": "own.nixpkgs-lib",
            "with-lib": "own.its-lib",
            "nixos": "overlay.nixpkgs-lib",
        })
    );
}

/// A package set that is not a function of the inputs, beside the flake's overlays,
/// packages or unfree rule (which NixOS would not apply to it), with a second `lib`, or
/// on a host colmena deploys: build errors naming the host.
#[test]
fn a_package_set_that_would_not_apply_is_rejected() {
    let host = Host::new("desk", System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_text("{ }"))
        .lib_additions(Raw::nix("{ fleet = 1; }"))
        .package_set(PackageSet::nix_text("import <nixpkgs> { }").with_its_lib());
    let text = rejected(
        &Flake::new("sets", "24.11")
            .allow_unfree(flakesmith::Unfree::All)
            .host(host),
    );
    for expected in [
        "error[invalid-package-set]: the package set of host `desk` is not a function of the flake's inputs",
        "error[invalid-package-set]: host `desk` has its own package set, to which NixOS applies none of the flake's an unfree rule (`Flake::allow_unfree`)",
        "error[invalid-package-set]: host `desk` is given two `lib`s",
    ] {
        assert!(text.contains(expected), "{text}");
    }
}

/// `Host::state_version_as_default`: a module that sets `system.stateVersion` (as an
/// imported flake's may, from an option of its own) replaces the host's; without one, the
/// host's stands.
#[test]
fn a_state_version_as_default_gives_way_to_a_module() {
    const SETS_IT: &str = "{ config, lib, ... }: { options.my.release = lib.mkOption { default = \"23.11\"; }; config.system.stateVersion = config.my.release; }\n";
    let host = |name: &str| {
        Host::new(name, System::X86_64Linux, "24.11")
            .hardware(Hardware::nix_text("{ }"))
            .state_version_as_default()
    };
    let flake = Flake::new("args", "24.11")
        .host(host("computed").import(Module::nix_text(Category::System, "release", SETS_IT)))
        .host(host("plain"));
    let tree = match compile(&flake, std::path::Path::new(".")) {
        Ok(compiled) => compiled.tree,
        Err(rejected) => panic!(
            "{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    };
    let Some(lib) = nixpkgs_lib_or_say("a state version as a default") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        r#"lib.genAttrs [ "computed" "plain" ] (host: outputs.nixosConfigurations.${host}.config.system.stateVersion)"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        value,
        serde_json::json!({ "computed": "23.11", "plain": "24.11" })
    );
}

#[test]
fn bad_special_arguments_are_build_errors() {
    let host = Host::new("desk", System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_text("{ }"))
        .special_arg("pkgs", "mine")
        .special_arg("host", "a")
        .special_arg("host", "b");
    let text = rejected(
        &Flake::new("args", "24.11")
            .special_arg("user name", "x")
            .special_arg("broken", Raw::nix("{ a = ; }"))
            .host(host),
    );
    for expected in [
        "error[invalid-special-arg]: special argument `user name` of the flake is not a Nix identifier",
        "error[invalid-special-arg]: special argument `pkgs` of host `desk` would replace",
        "error[duplicate-special-arg]: special argument `host` is given twice on host `desk`",
        "error[invalid-raw-nix]: the raw Nix of special argument `broken` of the flake does not parse",
        "tests/special_args.rs:",
    ] {
        assert!(text.contains(expected), "`{expected}` in:\n{text}");
    }
}

/// Raw Nix may name a special argument, `modulesPath` or a name of `_module.args`: the
/// module function takes each, and the value is what the module system passes.
#[test]
fn raw_nix_reads_module_arguments_by_name() {
    let module = Module::new(Category::System, "motd").set(
        flakesmith_nixos::users::motd,
        Raw::nix("\"${greeting}, ${username}\""),
    );
    let host = Host::new("desk", System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_text("{ }"))
        .import(module)
        .set(
            flakesmith_nixos::networking::domain,
            Raw::nix("let suffix = \"lan\"; in \"${username}.${suffix}\""),
        )
        .set(
            Opt::untyped(&["_module", "args", "greeting"]),
            Raw::nix("\"hello\""),
        );
    let flake = Flake::new("args", "24.11")
        .special_arg("username", "alice")
        .host(host);
    let tree = match compile(&flake, std::path::Path::new(".")) {
        Ok(compiled) => compiled.tree,
        Err(rejected) => panic!(
            "{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    };
    let host_file = tree.get("hosts/desk/default.nix").unwrap();
    assert!(host_file.contains("username,"), "{host_file}");
    assert!(!host_file.contains("suffix,"), "{host_file}");
    let module_file = tree.get("modules/system/motd.nix").unwrap();
    assert!(module_file.contains("greeting,"), "{module_file}");
    let Some(lib) = nixpkgs_lib_or_say("raw Nix reading module arguments") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        "let config = outputs.nixosConfigurations.desk.config; in { domain = config.networking.domain; motd = config.users.motd; }",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        value,
        serde_json::json!({ "domain": "alice.lan", "motd": "hello, alice" })
    );
}

/// A name nothing gives is an error at the Rust line; where a hand-kept module might
/// give it, a warning.
#[test]
fn raw_nix_naming_what_nothing_gives_is_reported() {
    let host = |hand_kept: bool| {
        let host = Host::new("desk", System::X86_64Linux, "24.11")
            .hardware(Hardware::nix_text("{ }"))
            .set(flakesmith_nixos::nixpkgs::overlays, Raw::nix("overlays"));
        if hand_kept {
            host.import(Module::nix_text(Category::System, "kept", "{ }"))
        } else {
            host
        }
    };
    let text = rejected(&Flake::new("args", "24.11").host(host(false)));
    for expected in [
        "error[unbound-variable]: raw Nix of `nixpkgs.overlays` in host `desk` names `overlays`, which nothing gives the modules of host `desk`",
        "tests/special_args.rs:",
        "`Host::special_arg(\"overlays\", ...)`",
    ] {
        assert!(text.contains(expected), "`{expected}` in:\n{text}");
    }
    let compiled = compile(
        &Flake::new("args", "24.11").host(host(true)),
        std::path::Path::new("."),
    )
    .unwrap_or_else(|r| panic!("{}", flakesmith::diagnostic::render_all(&r.diagnostics)));
    let warnings = flakesmith::diagnostic::render_all(&compiled.warnings);
    assert!(
        warnings.contains("warning[maybe-unbound-variable]: raw Nix of `nixpkgs.overlays` in host `desk` names `overlays`"),
        "{warnings}"
    );
}
