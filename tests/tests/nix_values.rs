//! Emitted values mean what the Rust values meant: `nix-instantiate --eval --strict
//! --json` of the printed expression equals the original.

use flakesmith::nix::{print_expr, Attrs, Expr};
use flakesmith_tests::{nix_instantiate, tricky_names, tricky_strings, TRICKY_FLOATS, TRICKY_INTS};
use serde_json::Value;

/// Evaluates one printed expression with the real Nix and returns its JSON.
fn eval(expr: &Expr) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("value.nix");
    let text = print_expr(expr);
    std::fs::write(&path, &text).unwrap();
    let output = nix_instantiate(&["--eval", "--strict", "--json", path.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "Nix rejected:\n{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn strings_round_trip() {
    let strings = tricky_strings();
    let expr = Expr::List(
        strings
            .iter()
            .map(|s| Expr::string(s.as_str()).unwrap())
            .collect(),
    );
    let Value::Array(values) = eval(&expr) else {
        panic!("not a list")
    };
    assert_eq!(values.len(), strings.len());
    for (value, original) in values.iter().zip(&strings) {
        assert_eq!(
            value.as_str(),
            Some(original.as_str()),
            "string {original:?}"
        );
    }
}

#[test]
fn strings_round_trip_inside_nested_sets() {
    // Indented strings are laid out relative to their nesting depth.
    let strings = tricky_strings();
    let mut inner = Attrs::new();
    for (i, s) in strings.iter().enumerate() {
        inner.insert(format!("s{i}"), Expr::string(s.as_str()).unwrap());
    }
    let expr = Expr::Attrs(
        Attrs::new().with(
            "a",
            Attrs::new()
                .with("b", Expr::List(vec![inner.into()]))
                .into(),
        ),
    );
    let value = eval(&expr);
    let list = value["a"]["b"].as_array().unwrap();
    for (i, s) in strings.iter().enumerate() {
        assert_eq!(
            list[0][format!("s{i}")].as_str(),
            Some(s.as_str()),
            "string {s:?}"
        );
    }
}

#[test]
fn attribute_names_round_trip() {
    let names = tricky_names();
    let attrs: Attrs = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), Expr::Int(i as i64)))
        .collect();
    let Value::Object(object) = eval(&attrs.into()) else {
        panic!("not a set")
    };
    assert_eq!(object.len(), names.len());
    for (i, name) in names.iter().enumerate() {
        assert_eq!(
            object.get(name).and_then(Value::as_i64),
            Some(i as i64),
            "name {name:?}"
        );
    }
}

#[test]
fn collapsed_paths_of_tricky_names_round_trip() {
    // Each name nests a single-entry set, which the printer collapses into a dotted path.
    let names = tricky_names();
    let attrs: Attrs = names
        .iter()
        .map(|n| {
            (
                n.clone(),
                Expr::Attrs(Attrs::new().with(
                    n.clone(),
                    Expr::Attrs(Attrs::new().with("leaf", true.into())),
                )),
            )
        })
        .collect();
    let value = eval(&attrs.into());
    for name in &names {
        assert_eq!(
            value[name][name]["leaf"],
            Value::Bool(true),
            "name {name:?}"
        );
    }
}

#[test]
fn integers_round_trip() {
    let expr = Expr::List(TRICKY_INTS.iter().map(|i| Expr::Int(*i)).collect());
    let values: Vec<i64> = eval(&expr)
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(values, TRICKY_INTS);
    // Outside a list, too, where negative numbers are not parenthesised.
    for &i in TRICKY_INTS {
        assert_eq!(eval(&Expr::Int(i)).as_i64(), Some(i));
    }
}

/// Floats: the literal flakesmith prints parses back to the identical `f64` (Nix reads
/// literals with `strtod`, which rounds correctly, as Rust's parser does). Nix prints
/// floats with six significant digits, so the evaluator's answer is compared to that
/// precision.
#[test]
fn floats_round_trip() {
    let exprs: Vec<Expr> = TRICKY_FLOATS
        .iter()
        .map(|f| Expr::float(*f).unwrap())
        .collect();
    for (expr, original) in exprs.iter().zip(TRICKY_FLOATS) {
        let literal = print_expr(expr);
        let parsed: f64 = literal.trim_start_matches('-').parse().unwrap();
        assert_eq!(parsed, original.abs(), "literal {literal} for {original:e}");
    }
    let values = eval(&Expr::List(exprs));
    for (value, original) in values.as_array().unwrap().iter().zip(TRICKY_FLOATS) {
        let value = value.as_f64().unwrap();
        let tolerance = original.abs() * 1e-5;
        assert!(
            (value - original).abs() <= tolerance,
            "Nix gave {value:e} for {original:e}"
        );
    }
}

#[test]
fn values_nix_cannot_represent_are_errors() {
    use flakesmith::ToNix;
    assert!(Expr::float(f64::NAN).is_err());
    assert!(Expr::float(f64::INFINITY).is_err());
    assert!(Expr::float(f64::NEG_INFINITY).is_err());
    assert!(
        Expr::float(5e-324).is_err(),
        "subnormal floats are rejected by Nix's reader"
    );
    assert!(Expr::string("nul\0inside").is_err());
    assert!(u64::MAX.to_nix().is_err());
    assert!((i64::MAX as u64 + 1).to_nix().is_err());
}
