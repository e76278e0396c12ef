//! Running the pipeline from a configuration crate's `build.rs`, the way `prost-build`
//! runs from one: the checked tree lands in `OUT_DIR`, and the crate's binary embeds it
//! with [`include_tree!`](crate::include_tree).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diagnostic::render_all;
use crate::model::Flake;
use crate::pipeline::compile_crate;
use crate::tree::Tree;

/// The file in `OUT_DIR` that [`include_tree!`](crate::include_tree) includes.
pub const TREE_RS: &str = "flakesmith_tree.rs";

/// Compiles `flake` inside a build script. Errors fail the build with every diagnostic
/// shown as cargo's own errors (`cargo::error`); warnings become cargo warnings.
pub fn run(flake: &Flake) {
    let base = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR")
            .expect("run from a build script: CARGO_MANIFEST_DIR is unset"),
    );
    let out_dir = PathBuf::from(
        std::env::var_os("OUT_DIR").expect("run from a build script: OUT_DIR is unset"),
    );
    match compile_crate(flake, &base) {
        Err(rejected) => {
            for input in &rejected.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            // `cargo::error` lines are what cargo shows first and alone: no "failed to
            // run custom build command" preamble, no dump of the directives above. The
            // script then exits successfully and cargo fails the build itself.
            print!("{}", as_cargo_errors(&render_all(&rejected.diagnostics)));
        }
        Ok(compiled) => {
            for input in &compiled.inputs {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            for warning in &compiled.warnings {
                print!("{}", as_cargo_warnings(&warning.to_string()));
            }
            if let Err(error) = write_embedding(&out_dir, &compiled.tree) {
                println!(
                    "cargo::error=flakesmith: cannot write the tree into {}: {error}",
                    out_dir.display()
                );
            }
        }
    }
}

/// Rendered diagnostics as `cargo::error` directives, one a line (a directive ends at
/// its line; the blank lines between diagnostics are left out, since cargo's prefix on
/// every line already sets them apart).
pub fn as_cargo_errors(rendered: &str) -> String {
    as_cargo_directives(rendered, "error")
}

/// A rendered warning as `cargo::warning` directives, one a line
/// (`warning[firewall-disabled]: ...` becomes `[firewall-disabled]: ...`).
pub fn as_cargo_warnings(rendered: &str) -> String {
    as_cargo_directives(rendered, "warning")
}

/// `cargo::<kind>=` lines, without the `<kind>` word cargo writes before each itself.
fn as_cargo_directives(rendered: &str, kind: &str) -> String {
    rendered
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let line = line
                .strip_prefix(kind)
                .map_or(line, |rest| rest.strip_prefix(": ").unwrap_or(rest));
            format!("cargo::{kind}={line}\n")
        })
        .collect()
}

/// Writes the tree's files under `OUT_DIR/flakesmith/` and the Rust source that embeds
/// them.
pub fn write_embedding(out_dir: &Path, tree: &Tree) -> std::io::Result<()> {
    let root = out_dir.join("flakesmith");
    if root.exists() {
        std::fs::remove_dir_all(&root)?;
    }
    let mut source = String::from("/// The checked flake tree, embedded by flakesmith's build script.\nstatic FLAKESMITH_TREE: ::flakesmith::EmbeddedTree = ::flakesmith::EmbeddedTree {\n    files: &[\n");
    crate::writer::write_plain(&root, tree.entries()).map_err(std::io::Error::other)?;
    for file in &tree.files {
        let _ = writeln!(
            source,
            "        ({:?}, include_str!({:?})),",
            file.path,
            root.join(&file.path).display().to_string()
        );
    }
    source.push_str("    ],\n    copied: &[\n");
    for file in &tree.copied {
        let _ = writeln!(
            source,
            "        ({:?}, include_bytes!({:?})),",
            file.path,
            root.join(&file.path).display().to_string()
        );
    }
    let _ = writeln!(
        source,
        "    ],\n    hosts: &{:?},\n    users: &{:?},\n    fleet: &[",
        tree.hosts, tree.users
    );
    for host in &tree.fleet {
        let _ = writeln!(
            source,
            "        ::flakesmith::tree::EmbeddedHost {{ name: {:?}, target: {:?}, tags: &{:?} }},",
            host.name, host.target, host.tags
        );
    }
    let _ = writeln!(
        source,
        "    ],\n    engines: &{:?},\n    graph: {:?},\n}};",
        tree.engines, tree.graph
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_become_cargo_warnings() {
        assert_eq!(
            as_cargo_warnings("warning[firewall-disabled]: host `x` has no firewall\n  --> a.rs:1:2\n"),
            "cargo::warning=[firewall-disabled]: host `x` has no firewall\ncargo::warning=  --> a.rs:1:2\n"
        );
    }

    #[test]
    fn rejected_configurations_become_cargo_errors() {
        let rendered = "error: conflicting definitions of `x`\n  --> config/hosts.rs:3:5\n\nerror: second\nflakesmith: configuration rejected: 2 errors, 0 warnings\n";
        assert_eq!(
            as_cargo_errors(rendered),
            "cargo::error=conflicting definitions of `x`\ncargo::error=  --> config/hosts.rs:3:5\ncargo::error=second\ncargo::error=flakesmith: configuration rejected: 2 errors, 0 warnings\n"
        );
    }
}
