//! Errors only Nix can find name the Rust location in Nix's own message: the generated
//! definitions carry it (`lib.mkDefinition`, or `_file` before nixpkgs 25.05), raw
//! snippets carry it as error context. Evaluated with the real module system.

use std::path::Path;

use flakesmith::prelude::*;
use flakesmith::{OptionPath, SourceLocations, Untyped};
use flakesmith_tests::{evaluate_host, nixpkgs_lib_or_say, set_str_elsewhere};

const DECLARATIONS: &str = r#"{ lib, ... }: {
  freeformType = with lib.types; attrsOf anything;
  options.t = with lib.types; {
    list = lib.mkOption { type = listOf str; };
    str = lib.mkOption { type = str; };
    int = lib.mkOption { type = int; };
    raw = lib.mkOption { type = int; };
  };
}"#;

/// A module as nixpkgs writes them: a definition of its own, and an assertion whose
/// message names where the option was defined (`options.<x>.files`).
const UPSTREAM: &str = r#"{ config, options, lib, ... }: {
  options.assertions = lib.mkOption { type = lib.types.listOf lib.types.unspecified; default = [ ]; };
  config.t.str = "from upstream";
  config.assertions = [ {
    assertion = config.t.int > 0;
    message = "t.int must be positive; it is defined in ${lib.showFiles options.t.int.files}";
  } ];
}"#;

/// What NixOS does with failed assertions (nixos/modules/misc/assertions.nix), on top of
/// the real lib's evaluation.
const CHECK_ASSERTIONS: &str = r#"let failed = builtins.filter (a: !a.assertion) config.assertions; in
  if failed != [ ] then throw "Failed assertions:\n${builtins.concatStringsSep "\n" (map (a: "- ${a.message}") failed)}"
  else "ok""#;

fn opt<T>(name: &'static str) -> Opt<T> {
    Opt::at(OptionPath::Owned(vec!["t".into(), name.into()]))
}

fn host() -> Host {
    Host::new("h", System::X86_64Linux, "25.05").hardware(Hardware::nix_text("{}"))
}

/// The Rust location `flakesmith` recorded for the host's last definition.
fn last_location(host: &Host) -> String {
    host.definitions.last().unwrap().location.to_string()
}

/// Nix's error for `expr` on the host, which must fail.
fn nix_error(lib: &str, flake: &Flake, expr: &str, show_trace: bool) -> String {
    match evaluate_host(lib, flake, "h", &[DECLARATIONS, UPSTREAM], expr, show_trace) {
        Ok(value) => panic!("Nix evaluated it to {value}"),
        Err(error) => error,
    }
}

#[test]
fn nix_errors_name_the_rust_location() {
    let Some(lib) = nixpkgs_lib_or_say("Nix's messages") else {
        return;
    };
    let flake = |host: Host| Flake::new("errors", "25.05").host(host);

    // A value of the wrong shape for an `Untyped` option: the module system's type error.
    let wrong = host().set(opt::<Untyped>("list"), flakesmith::nix::Expr::Int(1));
    let at = last_location(&wrong);
    let error = nix_error(&lib, &flake(wrong), "config.t.list", false);
    assert!(
        error.contains("is not of type") && error.contains(&at),
        "{at}:\n{error}"
    );

    // A conflict with a definition an upstream module makes.
    let conflicting = host().set(opt::<String>("str"), "ours");
    let at = last_location(&conflicting);
    let error = nix_error(&lib, &flake(conflicting), "config.t.str", false);
    assert!(
        error.contains("conflicting definition values") && error.contains(&at),
        "{at}:\n{error}"
    );

    // A raw snippet that throws: the context names it (Nix shows context with --show-trace).
    let throwing = host().set(opt::<i64>("raw"), Raw::nix("throw \"no value yet\""));
    let at = last_location(&throwing);
    let error = nix_error(&lib, &flake(throwing), "config.t.raw", true);
    assert!(
        error.contains("no value yet") && error.contains(&at),
        "{at}:\n{error}"
    );

    // A failing assertion whose message names where the option was defined.
    let asserted = host().set(opt::<i64>("int"), 0);
    let at = last_location(&asserted);
    let error = nix_error(&lib, &flake(asserted), CHECK_ASSERTIONS, false);
    assert!(
        error.contains("must be positive") && error.contains(&at),
        "{at}:\n{error}"
    );

    // Before nixpkgs 25.05 there is no `lib.mkDefinition`: the host's file names the
    // host's own Rust location instead.
    let old = host().set(opt::<String>("str"), "ours");
    let host_at = old.location.to_string();
    let flake_24 = Flake::new("errors", "24.05").host(old.clone());
    assert_eq!(
        flake_24.effective_source_locations(),
        SourceLocations::Files
    );
    let error = nix_error(&lib, &flake_24, "config.t.str", false);
    assert!(error.contains(&host_at), "{host_at}:\n{error}");
    // Chosen explicitly, for a flake that pins a newer nixpkgs than its release says.
    let chosen = Flake::new("errors", "24.05")
        .source_locations(SourceLocations::Definitions)
        .host(old);
    assert!(compile(&chosen)
        .get("hosts/h/default.nix")
        .unwrap()
        .contains("at = line: column: value:\n    lib.mkDefinition {"));

    // Definitions from two Rust files name each file in full.
    let two_files = set_str_elsewhere(host(), "elsewhere").set(opt::<String>("str"), "here");
    let (first, second) = (
        two_files.definitions[0].location.to_string(),
        last_location(&two_files),
    );
    let error = nix_error(
        &lib,
        &Flake::new("errors", "25.05").host(two_files),
        "config.t.str",
        false,
    );
    assert!(
        error.contains(&first) && error.contains(&second),
        "{first} {second}:\n{error}"
    );
}

fn compile(flake: &Flake) -> flakesmith::Tree {
    flakesmith::compile(flake, Path::new(".")).unwrap().tree
}

#[test]
fn located_files_stay_small() {
    // The `at` helper costs a line and a column per definition, not four lines.
    let host = host()
        .set(opt::<String>("str"), "x")
        .default(opt::<i64>("int"), 1);
    let at = |i: usize| {
        let location = host.definitions[i].location;
        format!("at {} {}", location.line, location.column)
    };
    let (str_at, int_at) = (at(0), at(1));
    let tree = compile(&Flake::new("errors", "25.05").host(host));
    let file = tree.get("hosts/h/default.nix").unwrap();
    // All from this file: named once, then line and column per definition.
    assert!(
        file.contains("  at = line: column: value:\n    lib.mkDefinition {\n      file = \"tests/tests/nix_errors.rs:${toString line}:${toString column}\";\n      inherit value;\n    };\n"),
        "{file}"
    );
    assert!(file.contains(&format!("str = {str_at} \"x\";")), "{file}");
    assert!(
        file.contains(&format!("int = {int_at} (lib.mkDefault 1);")),
        "{file}"
    );
}

/// `lib.mkDefinition` is honoured only at an option, after `mkIf` and `mkMerge` are
/// discharged: a raw snippet that is itself `lib.mkIf`, and an attribute set on an
/// untyped path that is a namespace, are written without it, and evaluate.
#[test]
fn namespace_level_and_conditional_raw_values_evaluate() {
    let Some(lib) = nixpkgs_lib_or_say("namespace-level definitions") else {
        return;
    };
    let mut settings = flakesmith::nix::Attrs::new();
    settings.insert("int", flakesmith::nix::Expr::Int(3));
    let h = host()
        .set(
            Opt::<Untyped>::untyped(&["t"]),
            Raw::nix("lib.mkIf true { str = \"conditional\"; }"),
        )
        .set(
            Opt::<Untyped>::untyped(&["t"]),
            flakesmith::nix::Expr::Attrs(settings),
        )
        .set(
            opt::<Vec<String>>("list"),
            Raw::nix("lib.mkMerge [ [ \"a\" ] [ \"b\" ] ]"),
        );
    let flake = Flake::new("namespaces", "25.05").host(h);
    let value = evaluate_host(
        &lib,
        &flake,
        "h",
        &[DECLARATIONS],
        "[ config.t.str config.t.int config.t.list ]",
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value.trim(), r#"[ "conditional" 3 [ "a" "b" ] ]"#);
}
