//! The conflict check and the checker's model of definition order, proven against the
//! real module system: for every merge kind, a configuration flakesmith accepts must
//! evaluate with nixpkgs' own `lib.evalModules` (to the value flakesmith predicted, where
//! it predicts one), and a configuration flakesmith rejects must be rejected by Nix too.
//!
//! Needs the real nixpkgs lib (`FLAKESMITH_NIXPKGS_LIB`, set by `.ci/run`); without it
//! each test says on standard error that the module-system half was not checked.

use std::collections::BTreeMap;
use std::path::Path;

use flakesmith::check::check;
use flakesmith::nix::print_expr;
use flakesmith::prelude::*;
use flakesmith::{Concatenated, Untyped};
use flakesmith_nixos::{nix, security, users};
use flakesmith_tests::{evaluate_host, nixpkgs_lib_or_say};

/// The options the cases define, declared with the real types; everything else the
/// generated files set (host name, state version) lands in a freeform set.
const DECLARATIONS: &str = r#"{ lib, ... }: {
  freeformType = with lib.types; attrsOf anything;
  options.t = with lib.types; {
    str = lib.mkOption { type = str; };
    int = lib.mkOption { type = int; };
    package = lib.mkOption { type = package; };
    lines = lib.mkOption { type = lines; };
    list = lib.mkOption { type = listOf str; };
    attrs = lib.mkOption { type = attrsOf int; };
    sub = lib.mkOption { type = submodule { options = { a = lib.mkOption { type = str; }; b = lib.mkOption { type = int; }; }; }; };
    nullable = lib.mkOption { type = nullOr str; };
  };
  # As NixOS declares them (`users-groups.nix`, `nix.nix`, `sudo.nix`): a list inside
  # `attrsOf submodule`, inside a `submodule` option, and a `listOf submodule`.
  options.users.users = with lib.types; lib.mkOption {
    type = attrsOf (submodule { options.extraGroups = lib.mkOption { type = listOf str; default = [ ]; }; });
  };
  options.nix.settings = with lib.types; lib.mkOption {
    type = submodule { freeformType = attrsOf anything; options.substituters = lib.mkOption { type = listOf str; default = [ ]; }; };
  };
  options.security.sudo.extraRules = with lib.types; lib.mkOption {
    type = listOf (submodule { options = {
      users = lib.mkOption { type = listOf str; default = [ ]; };
      commands = lib.mkOption { type = listOf str; default = [ ]; };
    }; });
    default = [ ];
  };
}"#;

fn opt<T>(name: &'static str) -> Opt<T> {
    Opt::at(flakesmith::OptionPath::Owned(vec!["t".into(), name.into()]))
}

fn module(name: &str) -> Module {
    Module::new(Category::System, name)
}

fn flake(host: Host) -> Flake {
    Flake::new("merging", "24.05").host(host)
}

fn host() -> Host {
    Host::new("h", System::X86_64Linux, "24.05").hardware(Hardware::nix_text("{}"))
}

/// What Nix makes of option `t.<name>` of the host (or of the option at `<name>` when it
/// has dots): its value as JSON, or the error.
fn evaluate(lib: &str, flake: &Flake, name: &str) -> Result<serde_json::Value, String> {
    let option = if name.contains('.') {
        name.to_owned()
    } else {
        format!("t.{name}")
    };
    let expr = format!(
        "let value = config.{option}; in builtins.toJSON (if value ? outPath then value.name else value)"
    );
    let printed = evaluate_host(lib, flake, "h", &[DECLARATIONS], &expr, false)?;
    let quoted: String = serde_json::from_str(&printed).unwrap();
    Ok(serde_json::from_str(&quoted).unwrap())
}

/// Evaluates a printed flakesmith value to JSON with plain Nix.
fn as_json(value: &flakesmith::nix::Expr) -> serde_json::Value {
    flakesmith_tests::eval_json(&print_expr(value))
}

/// flakesmith accepts `flake`, and Nix evaluates `t.<name>` (to the predicted value when
/// flakesmith predicts one).
fn accepted(lib: &str, what: &str, flake: Flake, name: &str) -> serde_json::Value {
    let checked = check(&flake, Path::new("."));
    let errors: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(ToString::to_string)
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: flakesmith rejected it:\n{errors:#?}"
    );
    let path: Vec<&str> = if name.contains('.') {
        name.split('.').collect()
    } else {
        vec!["t", name]
    };
    let predicted = checked.settled_value("h", &path);
    let value = evaluate(lib, &flake, name)
        .unwrap_or_else(|e| panic!("{what}: flakesmith accepted it, Nix did not:\n{e}"));
    if let Some(predicted) = predicted {
        if !matches!(predicted, flakesmith::nix::Expr::Select(..)) {
            assert_eq!(
                as_json(&predicted),
                value,
                "{what}: flakesmith predicted another value"
            );
        }
    }
    value
}

/// flakesmith rejects `flake` with an error containing `word`, and Nix rejects it too.
fn rejected(lib: &str, what: &str, flake: Flake, name: &str, word: &str) {
    let checked = check(&flake, Path::new("."));
    let text = flakesmith::diagnostic::render_all(&checked.diagnostics);
    assert!(
        checked.diagnostics.iter().any(|d| d.is_error()) && text.contains(word),
        "{what}: flakesmith did not reject it with `{word}`:\n{text}"
    );
    assert!(
        text.contains("tests/tests/merging.rs:"),
        "{what}: no Rust location:\n{text}"
    );
    if let Ok(value) = evaluate(lib, &flake, name) {
        panic!("{what}: flakesmith rejected it, but Nix evaluated it to {value}");
    }
}

#[test]
fn every_merge_kind_agrees_with_the_real_module_system() {
    let Some(lib) = nixpkgs_lib_or_say("merge rules") else {
        return;
    };
    let lib = lib.as_str();

    // Strings, integers: equal definitions merge, different ones conflict, a stronger
    // priority wins.
    accepted(
        lib,
        "equal strings",
        flake(
            host()
                .import(module("a").set(opt::<String>("str"), "x"))
                .set(opt::<String>("str"), "x"),
        ),
        "str",
    );
    accepted(
        lib,
        "a string beside an equal raw literal",
        flake(
            host()
                .import(module("a").set(opt::<String>("str"), "x"))
                .set(opt::<String>("str"), Raw::nix("\"x\"")),
        ),
        "str",
    );
    rejected(
        lib,
        "different strings",
        flake(
            host()
                .import(module("a").set(opt::<String>("str"), "x"))
                .set(opt::<String>("str"), "y"),
        ),
        "str",
        "conflicting definitions",
    );
    assert_eq!(
        accepted(
            lib,
            "force over plain",
            flake(
                host()
                    .import(module("a").set(opt::<i64>("int"), 1))
                    .force(opt::<i64>("int"), 2),
            ),
            "int",
        ),
        serde_json::json!(2)
    );
    rejected(
        lib,
        "two defaults that differ",
        flake(
            host()
                .import(module("a").default(opt::<i64>("int"), 1))
                .import(module("b").default(opt::<i64>("int"), 2)),
        ),
        "int",
        "conflicting definitions",
    );

    // Packages take one definition, even an equal second one.
    accepted(
        lib,
        "one package, one weaker default",
        flake(
            host()
                .import(module("a").default(opt::<Package>("package"), Package::new("hello")))
                .set(opt::<Package>("package"), Package::new("hello")),
        ),
        "package",
    );
    rejected(
        lib,
        "the same package twice",
        flake(
            host()
                .import(module("a").set(opt::<Package>("package"), Package::new("hello")))
                .set(opt::<Package>("package"), Package::new("hello")),
        ),
        "package",
        "takes one definition",
    );

    // `lines` concatenates.
    let lines = accepted(
        lib,
        "lines from a module and the host",
        flake(
            host()
                .import(module("a").set(opt::<Concatenated>("lines"), "from the module"))
                .set(opt::<Concatenated>("lines"), "from the host"),
        ),
        "lines",
    );
    let lines = lines.as_str().unwrap();
    assert!(
        lines.contains("from the module") && lines.contains("from the host"),
        "{lines}"
    );

    // Attribute sets merge key by key; one key defined twice follows its value's type.
    accepted(
        lib,
        "different keys",
        flake(
            host()
                .import(module("a").set(opt::<BTreeMap<String, i64>>("attrs"), [("x", 1)]))
                .set(opt::<BTreeMap<String, i64>>("attrs"), [("y", 2)]),
        ),
        "attrs",
    );
    rejected(
        lib,
        "one key, two values",
        flake(
            host()
                .import(module("a").set(opt::<BTreeMap<String, i64>>("attrs"), [("x", 1)]))
                .set(opt::<BTreeMap<String, i64>>("attrs"), [("x", 2)]),
        ),
        "attrs",
        "conflicting definitions",
    );

    // Submodules merge option by option.
    let sub = |key: &str, value: flakesmith::nix::Expr| {
        let mut attrs = flakesmith::nix::Attrs::new();
        attrs.insert(key, value);
        flakesmith::nix::Expr::Attrs(attrs)
    };
    let a = || sub("a", flakesmith::nix::Expr::string("text").unwrap());
    assert_eq!(
        accepted(
            lib,
            "a submodule's options from two places",
            flake(
                host()
                    .import(module("a").set(opt::<Untyped>("sub"), a()))
                    .set(
                        opt::<Untyped>("sub"),
                        sub("b", flakesmith::nix::Expr::Int(3))
                    ),
            ),
            "sub",
        ),
        serde_json::json!({"a": "text", "b": 3})
    );
    rejected(
        lib,
        "a submodule option with two values",
        flake(
            host()
                .import(module("a").set(opt::<Untyped>("sub"), a()))
                .set(
                    opt::<Untyped>("sub"),
                    sub("a", flakesmith::nix::Expr::string("other").unwrap()),
                ),
        ),
        "sub",
        "conflicting definitions",
    );

    // `null or T` does not mix null and values.
    rejected(
        lib,
        "null beside a value",
        flake(
            host()
                .import(module("a").set_null(opt::<NullOr<String>>("nullable")))
                .set(opt::<NullOr<String>>("nullable"), "x"),
        ),
        "nullable",
        "both `null` and not `null`",
    );
}

#[test]
fn list_order_is_the_module_systems() {
    // Three modules and the host add to one list at one priority, some with mkBefore and
    // mkAfter: the checker's predicted order must be the order Nix builds.
    let Some(lib) = nixpkgs_lib_or_say("list order") else {
        return;
    };
    let list = || opt::<Vec<String>>("list");
    let flake = flake(
        host()
            .import(module("first").set(list(), ["first"]))
            .import(
                module("second")
                    .set(list(), ["second"])
                    .append(list(), ["second-after"]),
            )
            .import(
                module("third")
                    .prepend(list(), ["third-before"])
                    .set(list(), ["third"]),
            )
            .set(list(), ["host"])
            .append(list(), ["host-after"])
            .prepend(list(), ["host-before"]),
    );
    let value = accepted(
        &lib,
        "a list from three modules and the host",
        flake,
        "list",
    );
    // Written out, so a change in either model shows as a readable difference.
    assert_eq!(
        value,
        serde_json::json!([
            "third-before",
            "host-before",
            "third",
            "second",
            "first",
            "host",
            "second-after",
            "host-after"
        ])
    );
}

/// `Host::own_definitions_here`: the host's own definitions sit among its imports where
/// the Rust puts them, so its list items come after those of the modules imported after
/// that point and before those imported ahead of it (as a host file listed after shared
/// modules in `nixosSystem`'s `modules` has them), by the checker's model and by Nix.
#[test]
fn own_definitions_among_the_imports_keep_their_place() {
    let Some(lib) = nixpkgs_lib_or_say("own definitions among the imports") else {
        return;
    };
    let list = || opt::<Vec<String>>("list");
    let flake = flake(
        host()
            .import(module("shared").set(list(), ["shared"]))
            .import(
                module("common")
                    .import(module("nested").set(list(), ["nested"]))
                    .set(list(), ["common"]),
            )
            .own_definitions_here()
            .import(module("desktop").set(list(), ["desktop"]))
            .set(list(), ["host"]),
    );
    let value = accepted(
        &lib,
        "the host's definitions among its imports",
        flake,
        "list",
    );
    assert_eq!(
        value,
        serde_json::json!(["nested", "desktop", "host", "common", "shared"])
    );
}

/// `Module::beside`: a module (here the part of `tools` kept apart) imported beside
/// another stands at that one's level of the module system's breadth-first order, not
/// one level down as its import would: its list items come where the module's would.
#[test]
fn a_module_beside_another_gives_its_list_items_at_that_ones_level() {
    let Some(lib) = nixpkgs_lib_or_say("modules beside another") else {
        return;
    };
    let list = || opt::<Vec<String>>("list");
    let kept = || module("tools-kept").set(list(), ["kept"]);
    let with = |tools: Module| {
        flake(
            host()
                .import(tools)
                .import(
                    module("desktop")
                        .import(module("deep").set(list(), ["deep"]))
                        .set(list(), ["desktop"]),
                )
                .set(list(), ["host"]),
        )
    };
    let tools = || module("tools").set(list(), ["tools"]);
    let beside = accepted(
        &lib,
        "a kept part beside its module",
        with(tools().beside(kept())),
        "list",
    );
    assert_eq!(
        beside,
        serde_json::json!(["deep", "desktop", "kept", "tools", "host"])
    );
    // Imported by the module, the kept part is a level further down, after `desktop`.
    let imported = accepted(
        &lib,
        "a kept part the module imports",
        with(tools().import(kept())),
        "list",
    );
    assert_eq!(
        imported,
        serde_json::json!(["deep", "kept", "desktop", "tools", "host"])
    );
}

/// `Host::import_nested`: a module imported two levels further down comes after the
/// modules of the levels above it, by the checker's model and by Nix, as it did when the
/// original reached it through modules that only import.
#[test]
fn a_module_imported_nested_gives_its_list_items_from_its_level() {
    let Some(lib) = nixpkgs_lib_or_say("modules imported nested") else {
        return;
    };
    let list = || opt::<Vec<String>>("list");
    let with = |import: fn(Host, Module) -> Host| {
        let host = import(host(), module("shared").set(list(), ["shared"]));
        flake(
            host.import(
                module("desktop")
                    .import(module("deep").set(list(), ["deep"]))
                    .set(list(), ["desktop"]),
            )
            .set(list(), ["host"]),
        )
    };
    let nested = accepted(
        &lib,
        "a module two levels down",
        with(|h, m| h.import_nested(m, 2)),
        "list",
    );
    assert_eq!(
        nested,
        serde_json::json!(["shared", "deep", "desktop", "host"])
    );
    let direct = accepted(
        &lib,
        "the same module imported directly",
        with(Host::import),
        "list",
    );
    assert_eq!(
        direct,
        serde_json::json!(["deep", "desktop", "shared", "host"])
    );
}

/// Three modules and the host add to one list, with the modules imported `net`,
/// `wheel` (which imports `base`), `kde`. At the top level the module system takes the
/// modules breadth first, the last of the deepest level first, and the host's own last;
/// inside a submodule it is the other way round.
fn lists_from_three_modules_and_the_host<T>(
    option: impl Fn() -> Opt<Vec<T>>,
    value: impl Fn(&str) -> Vec<T>,
) -> Flake
where
    Vec<T>: flakesmith::IntoValue<Vec<T>> + flakesmith::MergeRule,
{
    flake(
        host()
            .import(module("net").set(option(), value("net")))
            .import(
                module("wheel")
                    .import(module("base").set(option(), value("nested")))
                    .set(option(), value("wheel"))
                    .set(option(), value("networkmanager")),
            )
            .import(module("kde").set(option(), value("kde")))
            .set(option(), value("host"))
            .prepend(option(), value("host-before")),
    )
}

#[test]
fn list_order_inside_submodules_is_the_module_systems() {
    let Some(lib) = nixpkgs_lib_or_say("list order inside submodules") else {
        return;
    };
    let strings = |s: &str| vec![s.to_owned()];
    let top_level = || opt::<Vec<String>>("list");
    assert_eq!(
        accepted(
            &lib,
            "a top-level list",
            lists_from_three_modules_and_the_host(top_level, strings),
            "list",
        ),
        serde_json::json!([
            "host-before",
            "nested",
            "kde",
            "wheel",
            "networkmanager",
            "net",
            "host"
        ])
    );

    // The real bindings say where their options lie.
    let extra_groups = || users::users::user("alice").extra_groups();
    assert_eq!(extra_groups().submodules(), 1);
    assert_eq!(
        accepted(
            &lib,
            "a list inside `attrsOf submodule`",
            lists_from_three_modules_and_the_host(extra_groups, strings),
            "users.users.alice.extraGroups",
        ),
        serde_json::json!([
            "host-before",
            "host",
            "net",
            "wheel",
            "networkmanager",
            "kde",
            "nested"
        ])
    );

    let substituters = || nix::settings::substituters;
    assert_eq!(substituters().submodules(), 1);
    assert_eq!(
        accepted(
            &lib,
            "a list inside a `submodule` option",
            lists_from_three_modules_and_the_host(substituters, strings),
            "nix.settings.substituters",
        ),
        serde_json::json!([
            "host-before",
            "host",
            "net",
            "wheel",
            "networkmanager",
            "kde",
            "nested"
        ])
    );

    // A `listOf submodule`: its entries concatenate as any list does; each entry is a
    // submodule of one definition, whose own lists keep their order.
    let rule = |user: &str| {
        vec![security::sudo::ExtraRulesValue::new()
            .users([user, "also"])
            .commands(["ALL"])]
    };
    let rules = accepted(
        &lib,
        "a `listOf submodule`",
        lists_from_three_modules_and_the_host(|| security::sudo::extra_rules, rule),
        "security.sudo.extraRules",
    );
    let users: Vec<&serde_json::Value> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|rule| &rule["users"])
        .collect();
    assert_eq!(
        serde_json::json!(users),
        serde_json::json!([
            ["host-before", "also"],
            ["nested", "also"],
            ["kde", "also"],
            ["wheel", "also"],
            ["networkmanager", "also"],
            ["net", "also"],
            ["host", "also"]
        ])
    );
}
