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
        Err(rejected) => panic!("the example configuration was rejected:\n{}", flakesmith::diagnostic::render_all(&rejected.diagnostics)),
    }
}

/// Runs `nix-instantiate` with `args`, failing the test with a clear message when Nix
/// is not installed (`.ci/run` installs Debian's `nix-bin`).
pub fn nix_instantiate(args: &[&str]) -> std::process::Output {
    Command::new("nix-instantiate")
        .args(args)
        .env("NIX_STATE_DIR", std::env::temp_dir().join("flakesmith-nix-state"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run nix-instantiate ({e}); install Nix, e.g. `apt-get install nix-bin`"))
}
