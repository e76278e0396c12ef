//! The pipeline: model → checker → emitter → validator. Writing is separate (see
//! [`crate::writer`]) so that a build script can run everything up to the files.

use std::path::{Path, PathBuf};

use crate::check::check;
use crate::diagnostic::{Diagnostic, Kind};
use crate::emit::emit;
use crate::model::Flake;
use crate::tree::Tree;
use crate::validate::validate;

/// A tree that passed every check, with the warnings found on the way.
#[derive(Debug)]
pub struct Compiled {
    pub tree: Tree,
    pub warnings: Vec<Diagnostic>,
    /// Files the configuration read (hardware configurations), for `rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
}

/// A configuration that did not pass: every error and warning found.
#[derive(Debug)]
pub struct Rejected {
    pub diagnostics: Vec<Diagnostic>,
    pub inputs: Vec<PathBuf>,
}

/// Checks, emits and validates `flake`. Relative paths of hand-kept files resolve
/// against `base_dir`, normally the configuration crate's directory.
pub fn compile(flake: &Flake, base_dir: &Path) -> Result<Compiled, Rejected> {
    compile_with(flake, base_dir, false)
}

/// [`compile`] as a configuration crate's build script runs it, `crate_dir` holding the
/// crate's `Cargo.toml`: the release line of bindings the manifest names is checked
/// against the flake's release too.
pub fn compile_crate(flake: &Flake, crate_dir: &Path) -> Result<Compiled, Rejected> {
    compile_with(flake, crate_dir, true)
}

fn compile_with(flake: &Flake, base_dir: &Path, in_crate: bool) -> Result<Compiled, Rejected> {
    let checked = check(flake, base_dir);
    let mut diagnostics = checked.diagnostics;
    let mut inputs = checked.inputs;
    if in_crate {
        crate::check::crate_manifest(flake, base_dir, &mut diagnostics, &mut inputs);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Rejected {
            diagnostics,
            inputs,
        });
    }
    let tree = emit(&checked.plan);
    // Every Nix file flakesmith writes; the tree's other files (encrypted sops files,
    // and in `tree.copied` what hand-kept files name) are copied as they are.
    for file in tree.files.iter().filter(|f| f.path.ends_with(".nix")) {
        if let Err(error) = validate(&file.contents) {
            diagnostics.push(invalid_output(
                &checked.plan,
                &file.path,
                &file.contents,
                error,
            ));
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Rejected {
            diagnostics,
            inputs,
        });
    }
    Ok(Compiled {
        tree,
        warnings: diagnostics,
        inputs,
    })
}

/// A generated file that does not parse. Raw snippets are the only text flakesmith does
/// not write itself, so when the file holds any, the error names the Rust that gave them;
/// otherwise it is flakesmith's own bug.
fn invalid_output(
    plan: &crate::plan::Plan,
    path: &str,
    contents: &str,
    error: crate::validate::SyntaxError,
) -> Diagnostic {
    let raw: Vec<_> = plan
        .definitions_in(path)
        .into_iter()
        .filter(|d| matches!(&d.value, Ok(v) if contains_raw(v)))
        .collect();
    let mut diagnostic = Diagnostic::new(
        Kind::EmittedNixInvalid,
        format!(
            "the Nix written to {path} does not parse: {}",
            error.message
        ),
    )
    .at_nix(path, contents, error.line, error.column, "here");
    if raw.is_empty() {
        return diagnostic.help(
            "this is a bug in flakesmith; please report it with the configuration that triggers it",
        );
    }
    for definition in &raw {
        diagnostic = diagnostic.at(
            definition.location,
            format!("raw Nix for `{}` written into this file", definition.path),
        );
    }
    diagnostic.help("a raw snippet parses on its own but not where it stands; write it as one complete expression (parenthesise it)")
}

fn contains_raw(expr: &crate::nix::Expr) -> bool {
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        if matches!(expr, crate::nix::Expr::Raw(_)) {
            return true;
        }
        stack.extend(expr.children());
    }
    false
}
