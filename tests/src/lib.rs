//! Helpers shared by flakesmith's integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use flakesmith::{compile, Compiled, Flake};

/// The example configuration's crate directory, where its hardware files live.
pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../example-config")
}

/// Compiles the example configuration exactly as its `build.rs` does.
pub fn compile_example() -> Compiled {
    let flake: Flake = example_config::config::flake();
    match compile(&flake, &example_dir()) {
        Ok(compiled) => compiled,
        Err(rejected) => panic!(
            "the example configuration was rejected:\n{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    }
}

/// Runs `nix-instantiate` with `args`, failing the test with a clear message when Nix
/// is not installed (`.ci/run` installs Debian's `nix-bin`).
pub fn nix_instantiate(args: &[&str]) -> std::process::Output {
    Command::new("nix-instantiate")
        .args(args)
        .env(
            "NIX_STATE_DIR",
            std::env::temp_dir().join("flakesmith-nix-state"),
        )
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run nix-instantiate ({e}); install Nix, e.g. `apt-get install nix-bin`")
        })
}

/// Strings that stress escaping: quotes, backslashes, interpolation openers in both string
/// forms, indentation, control characters and non-ASCII text.
pub fn tricky_strings() -> Vec<String> {
    [
        "",
        "plain",
        "quote \" inside",
        "back\\slash",
        "\\",
        "\\\\n",
        "${interp}",
        "$${double}",
        "$$",
        "$",
        "trailing $",
        "${",
        "$\\{",
        "''",
        "'''",
        "''${x}",
        "'",
        "ends with quote'",
        "line1\nline2",
        "  indented\n  both",
        "a\nb\n",
        "\n",
        "\n\nx",
        "x\n\n",
        "tab\there",
        "\ta\nb",
        "cr\r\nlf",
        "\u{1}\u{7f}\u{1b}[0m",
        "unicode ✓ ü 日本",
        "emoji 🦀",
        "multi\n'' \n${x}\n$${y}\n\\n\n",
        "a\n   \nb",
        "x\n  y\n",
        "a'\nb",
        "a''\nb",
        "''\n${\n",
        "a\n''",
        "\u{a0}nbsp\n\u{2028}",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// Attribute names that must be quoted, and some that must not.
pub fn tricky_names() -> Vec<String> {
    [
        "plain",
        "with-dash",
        "a.b",
        "a b",
        "",
        "if",
        "or",
        "inherit",
        "rec",
        "let",
        "in",
        "with",
        "assert",
        "then",
        "else",
        "9lives",
        "${x}",
        "\"",
        "\\",
        "ü",
        "_",
        "a'b",
        "-x",
        "'x",
        "true",
        "null",
        "__curPos",
        "a\nb",
        "$",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

pub const TRICKY_INTS: &[i64] = &[
    0,
    1,
    -1,
    42,
    -42,
    i64::MAX,
    i64::MIN,
    i64::MIN + 1,
    1 << 53,
    -(1 << 53),
];

pub const TRICKY_FLOATS: &[f64] = &[
    0.0,
    0.1,
    -0.5,
    2.5,
    1e-7,
    -1e-7,
    1.5e300,
    123456789.123,
    1.0 / 3.0,
    f64::MIN_POSITIVE,
    f64::MAX,
    f64::MIN,
    1e21,
];
