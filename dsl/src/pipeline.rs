//! The pipeline: model → checker → emitter → validator. Writing is separate (see
//! [`crate::writer`]) so that a build script can run everything up to the files.

use std::path::{Path, PathBuf};

use crate::check::check;
use crate::diagnostic::Diagnostic;
use crate::emit::emit;
use crate::model::{Flake, Hardware, Host};
use crate::tree::Tree;
use crate::validate::{validate, validator_name};

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

/// Checks, emits and validates `flake`. Relative hardware paths resolve against
/// `base_dir`, normally the configuration crate's directory.
pub fn compile(flake: &Flake, base_dir: &Path) -> Result<Compiled, Rejected> {
    let mut diagnostics = check(flake);
    let mut inputs = Vec::new();
    let hardware: Vec<String> = flake
        .hosts
        .iter()
        .map(|host| {
            load_hardware(host, base_dir, &mut inputs, &mut diagnostics).unwrap_or_default()
        })
        .collect();
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Rejected {
            diagnostics,
            inputs,
        });
    }
    let tree = emit(flake, &hardware);
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

/// Reads and parses a host's hand-kept hardware configuration.
fn load_hardware(
    host: &Host,
    base_dir: &Path,
    inputs: &mut Vec<PathBuf>,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let hardware = host.hardware.as_ref()?;
    let entity = format!("the hardware configuration of host `{}`", host.name);
    let (text, shown_name) = match hardware {
        Hardware::File { path, location } => {
            let full = base_dir.join(path);
            inputs.push(full.clone());
            let bytes = match std::fs::read(&full) {
                Ok(bytes) => bytes,
                Err(error) => {
                    out.push(
                        Diagnostic::error(format!(
                            "cannot read {entity}, `{}`: {error}",
                            path.display()
                        ))
                        .at(*location, "hardware configuration set here")
                        .help("paths are relative to the configuration crate's directory"),
                    );
                    return None;
                }
            };
            match String::from_utf8(bytes) {
                Ok(text) => (text, path.display().to_string()),
                Err(error) => {
                    out.push(
                        Diagnostic::error(format!(
                            "{entity}, `{}`, is not UTF-8 text (invalid byte at offset {})",
                            path.display(),
                            error.utf8_error().valid_up_to()
                        ))
                        .at(*location, "hardware configuration set here"),
                    );
                    return None;
                }
            }
        }
        Hardware::Inline { text, .. } => (
            text.clone(),
            format!("<inline hardware of host `{}`>", host.name),
        ),
    };
    if let Err(error) = validate(&text) {
        out.push(
            Diagnostic::error(format!(
                "{entity} is not valid Nix ({} says: {})",
                validator_name(),
                error.message
            ))
            .at_nix(shown_name, &text, error.line, error.column, "here")
            .at(hardware.location(), "hardware configuration set here"),
        );
        return None;
    }
    Some(text)
}
