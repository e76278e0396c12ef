//! Property tests against the real Nix evaluator: arbitrary values, names and paths
//! mean exactly what the Rust values meant.
//!
//! Each case evaluates a batch of generated values in one `nix-instantiate` call, so
//! thousands of values take seconds. Floats: the printed literal must parse back to the
//! identical `f64` (checked in Rust, whose parser rounds correctly like Nix's `strtod`);
//! Nix's own JSON output prints six significant digits, so the evaluated float is compared
//! at that precision.

use std::collections::BTreeMap;
use std::path::Path;

use flakesmith::nix::{print_expr, Expr};
use flakesmith::prelude::*;
use flakesmith::OptionPath;
use flakesmith_nixos::users;
use flakesmith_tests::{eval_json, nix_instantiate, stub_lib};
use proptest::prelude::*;
use serde_json::Value;

/// A Rust-side value tree and its expected JSON.
#[derive(Clone, Debug)]
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Tree>),
    Set(BTreeMap<String, Tree>),
}

impl Tree {
    fn expr(&self) -> Expr {
        match self {
            Tree::Null => Expr::Null,
            Tree::Bool(b) => Expr::Bool(*b),
            Tree::Int(i) => Expr::Int(*i),
            Tree::Float(f) => Expr::float(*f).unwrap(),
            Tree::Str(s) => Expr::string(s.as_str()).unwrap(),
            Tree::List(items) => Expr::List(items.iter().map(Tree::expr).collect()),
            Tree::Set(map) => Expr::Attrs(map.iter().map(|(k, v)| (k.clone(), v.expr())).collect()),
        }
    }

    /// Whether Nix's JSON for this value means the same.
    fn matches(&self, json: &Value) -> bool {
        match (self, json) {
            (Tree::Null, Value::Null) => true,
            (Tree::Bool(a), Value::Bool(b)) => a == b,
            (Tree::Int(a), Value::Number(b)) => b.as_i64() == Some(*a),
            (Tree::Float(a), Value::Number(b)) => {
                let b = b.as_f64().unwrap();
                (a - b).abs() <= a.abs() * 1e-5 || (*a == 0.0 && b == 0.0)
            }
            (Tree::Str(a), Value::String(b)) => a == b,
            (Tree::List(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.matches(y))
            }
            (Tree::Set(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k).is_some_and(|j| v.matches(j)))
            }
            _ => false,
        }
    }
}

/// Text that stresses escaping: any Unicode but NUL, biased towards the characters with
/// meaning in Nix strings.
fn text() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "${", "$${", "''", "'''", "''${", "\\", "\"", "\n", "\t", "\r", "$", "'", "{", "}", " ",
        "  ", "\u{1}", "\u{7f}", "\u{a0}", "é", "🦀",
    ]);
    let piece = prop_oneof![
        3 => special.prop_map(str::to_owned),
        2 => "[a-z]{1,4}",
        1 => any::<char>().prop_filter("no NUL", |c| *c != '\0').prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// Names: arbitrary text, or text close enough to valid to get past the checker.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        text(),
        "[a-z_][a-z0-9_-]{0,12}",
        "[a-z]{1,3}[-_.$/]?[a-z]{0,3}"
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("finite and normal", |f| f.is_finite() && !f.is_subnormal()),
        prop::sample::select(vec![
            0.0,
            1.0,
            -1.0,
            0.1,
            1e-7,
            1.5e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE
        ]),
    ]
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        Just(Tree::Null),
        any::<bool>().prop_map(Tree::Bool),
        prop_oneof![any::<i64>(), Just(i64::MIN), Just(i64::MAX), -5i64..5].prop_map(Tree::Int),
        float().prop_map(Tree::Float),
        text().prop_map(Tree::Str),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Tree::List),
            prop::collection::btree_map(text(), inner, 0..6).prop_map(Tree::Set),
        ]
    })
}

/// Evaluates a list of expressions in one `nix-instantiate` call.
fn eval_all(exprs: Vec<Expr>) -> Vec<Value> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("values.nix");
    let text = print_expr(&Expr::List(exprs));
    std::fs::write(&path, &text).unwrap();
    let output = nix_instantiate(&["--eval", "--strict", "--json", path.to_str().unwrap()]);
    if !output.status.success() {
        let _ = std::fs::write(
            std::env::temp_dir().join("flakesmith-failing-values.nix"),
            &text,
        );
    }
    assert!(
        output.status.success(),
        "Nix rejected:\n{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    match serde_json::from_slice(&output.stdout).unwrap() {
        Value::Array(values) => values,
        other => panic!("not a list: {other}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Arbitrary value trees evaluate to themselves.
    #[test]
    fn values_round_trip_through_nix(trees in prop::collection::vec(tree(), 1..120)) {
        let values = eval_all(trees.iter().map(Tree::expr).collect());
        for (tree, json) in trees.iter().zip(&values) {
            prop_assert!(tree.matches(json), "{tree:?} evaluated to {json}");
        }
    }

    /// Float literals are exact: Rust reads back the identical `f64`.
    #[test]
    fn float_literals_are_exact(f in float()) {
        let literal = print_expr(&Expr::float(f).unwrap());
        let parsed: f64 = literal.trim_start_matches('(').trim_end_matches(')').parse().unwrap();
        prop_assert_eq!(parsed.to_bits(), f.to_bits(), "{}", literal);
    }

    /// Definitions whose paths share prefixes, in any order, never produce a duplicate
    /// attribute: the module file parses and every value lands at its own path.
    #[test]
    fn shared_prefixes_never_duplicate_attributes(
        definitions in prop::collection::vec((prop::collection::vec(prop::sample::select(vec!["a", "b", "c.d", "if"]), 1..4), any::<i32>()), 1..30)
    ) {
        let mut module = Module::new(Category::System, "paths");
        for (path, value) in &definitions {
            let path: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
            module = module.set(Opt::<i32>::at(OptionPath::Owned(path)), *value);
        }
        let flake = Flake::new("p", "24.05").host(
            Host::new("desk", System::X86_64Linux, "24.05").hardware(Hardware::nix_text("{}")).import(module),
        );
        // Conflicting scalars are the checker's business; here only the layout matters.
        let checked = flakesmith::check::check(&flake, std::path::Path::new("."));
        let tree = flakesmith::emit::emit(&checked.plan);
        let text = tree.get("modules/system/paths.nix").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("paths.nix");
        std::fs::write(&path, text).unwrap();
        let stub = stub_lib();
        let expr = format!("import {} {{ lib = import {}; config = {{}}; pkgs = {{}}; }}", path.display(), stub.display());
        eval_json(&expr);
    }

    /// Names from users never reach the evaluator as code: a host name, user name or module
    /// name is either rejected by the checker, or written so that Nix reads it back as the
    /// same literal.
    #[test]
    fn names_are_rejected_or_literal(host in name(), user in name(), module in name()) {
        let account = users::users::user(&user);
        let flake = Flake::new("names", "24.05").host(
            Host::new(host.clone(), System::X86_64Linux, "24.05")
                .hardware(Hardware::nix_text("{}"))
                .import(Module::new(Category::System, module.clone()).set(account.is_normal_user(), true))
                .user(User::new(user.clone(), "24.05")),
        );
        let Ok(compiled) = flakesmith::compile(&flake, Path::new(".")) else { return Ok(()) };
        let dir = tempfile::tempdir().unwrap();
        flakesmith::writer::write(&dir.path().join("flake"), &compiled.tree, false).unwrap();
        let stub = stub_lib();
        // The flake's outputs with stand-in inputs: `nixosSystem` returns its argument.
        let expr = format!(
            r#"let
              f = import {dir}/flake/flake.nix;
              out = f.outputs {{ self = {{ }}; nixpkgs.lib.nixosSystem = args: args; home-manager.nixosModules.home-manager = {{ }}; }};
              host = out.nixosConfigurations.${{builtins.head (builtins.attrNames out.nixosConfigurations)}};
              hostModule = import (builtins.head host.modules) {{ lib = import {stub}; config = {{ }}; pkgs = {{ }}; }};
            in {{
              hosts = builtins.attrNames out.nixosConfigurations;
              users = builtins.attrNames (builtins.elemAt host.modules 2).home-manager.users;
              imports = builtins.length hostModule.imports;
            }}"#,
            dir = dir.path().display(),
            stub = stub.display()
        );
        let value = eval_json(&expr);
        prop_assert_eq!(&value["hosts"], &serde_json::json!([host]));
        prop_assert_eq!(&value["users"], &serde_json::json!([user]));
    }
}
