//! Compiles the typed configuration in `config/` into the checked flake tree.
//!
//! `config/` is a module of this build script, so rust-analyzer completes and documents
//! every option in it. A problem fails `cargo build` with every diagnostic at once.

#[path = "config/mod.rs"]
mod config;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=config");
    flakesmith::build_script::run(&config::flake());
}
