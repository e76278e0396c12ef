//! What the `flakesmith` command's tests share: running it, and reading what it wrote.

// Each test file uses a part of this.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace's root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// Runs `flakesmith` with `args` in the workspace's root (Nix keeps its state in the
/// temporary directory), without judging the outcome.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_flakesmith"))
        .args(args)
        .current_dir(workspace())
        .env(
            "NIX_STATE_DIR",
            std::env::temp_dir().join("flakesmith-nix-state"),
        )
        .output()
        .unwrap()
}

/// Runs `flakesmith` with `args`, failing the test with its error output unless it
/// succeeds.
pub fn flakesmith(args: &[&str]) -> Output {
    let output = run(args);
    assert!(
        output.status.success(),
        "flakesmith {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Every file below `dir`, as paths relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_owned());
            }
        }
    }
    out.sort();
    out
}
