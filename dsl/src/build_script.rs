//! Running the pipeline from a configuration crate's `build.rs`, the way `prost-build`
//! runs from one: the checked tree lands in `OUT_DIR`, and the crate's binary embeds it
//! with [`include_tree!`](crate::include_tree).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostic::render_all;
use crate::model::Flake;
use crate::pipeline::compile;
use crate::tree::Tree;

/// The file in `OUT_DIR` that [`include_tree!`](crate::include_tree) includes.
pub const TREE_RS: &str = "flakesmith_tree.rs";

/// Compiles `flake` inside a build script. Errors fail the build with every diagnostic
/// on stderr; warnings become cargo warnings.
pub fn run(flake: &Flake) {
    let base = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR")
            .expect("run from a build script: CARGO_MANIFEST_DIR is unset"),
    );
    let out_dir = PathBuf::from(
        std::env::var_os("OUT_DIR").expect("run from a build script: OUT_DIR is unset"),
    );
    match compile(flake, &base) {
        Err(rejected) => {
            for input in &rejected.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            eprint!("{}", render_all(&rejected.diagnostics));
            std::process::exit(1);
        }
        Ok(compiled) => {
            for input in &compiled.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            for warning in &compiled.warnings {
                for line in warning.to_string().lines() {
                    println!("cargo:warning={line}");
                }
            }
            if let Err(error) = write_embedding(&out_dir, &compiled.tree) {
                eprintln!(
                    "flakesmith: cannot write the tree into {}: {error}",
                    out_dir.display()
                );
                std::process::exit(1);
            }
        }
    }
}

/// Writes the tree's files under `OUT_DIR/flakesmith/` and the Rust source that embeds
/// them.
pub fn write_embedding(out_dir: &Path, tree: &Tree) -> std::io::Result<()> {
    let root = out_dir.join("flakesmith");
    if root.exists() {
        std::fs::remove_dir_all(&root)?;
    }
    let mut source = String::from("/// The checked flake tree, embedded by flakesmith's build script.\nstatic FLAKESMITH_TREE: ::flakesmith::EmbeddedTree = ::flakesmith::EmbeddedTree {\n    files: &[\n");
    for file in &tree.files {
        let path = root.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("files live in directories"))?;
        std::fs::write(&path, &file.contents)?;
        let _ = writeln!(
            source,
            "        ({:?}, include_str!({:?})),",
            file.path,
            path.display().to_string()
        );
    }
    let _ = writeln!(
        source,
        "    ],\n    hosts: &{:?},\n    users: &{:?},\n}};",
        tree.hosts, tree.users
    );
    std::fs::write(out_dir.join(TREE_RS), source)
}

/// Defines `static FLAKESMITH_TREE: EmbeddedTree`, the tree the build script compiled.
#[macro_export]
macro_rules! include_tree {
    () => {
        include!(concat!(env!("OUT_DIR"), "/flakesmith_tree.rs"));
    };
}
