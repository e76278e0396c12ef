//! The pipeline: model → checker → emitter → validator. Writing is separate (see
//! [`crate::writer`]) so that a build script can run everything up to the files.

use std::path::{Path, PathBuf};

use crate::check::check;
use crate::diagnostic::Diagnostic;
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
    let checked = check(flake, base_dir);
    let mut diagnostics = checked.diagnostics;
    let inputs = checked.inputs;
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Rejected {
            diagnostics,
            inputs,
        });
    }
    let tree = emit(&checked.plan);
    for file in &tree.files {
        if let Err(error) = validate(&file.contents) {
            diagnostics.push(
                Diagnostic::error(format!("flakesmith generated invalid Nix in {}: {}", file.path, error.message))
                    .at_nix(&file.path, &file.contents, error.line, error.column, "here")
                    .help("this is a bug in flakesmith; please report it with the configuration that triggers it"),
            );
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
