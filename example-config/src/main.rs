//! Writes the flake tree that `build.rs` compiled and checked.
//!
//! `cargo run -p example-config` writes it to `./flake`; `--out DIR` elsewhere;
//! `--check` and `--diff` compare without writing.

flakesmith::include_tree!();

fn main() -> std::process::ExitCode {
    flakesmith::cli::main(&FLAKESMITH_TREE)
}
