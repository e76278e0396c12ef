//! Hand-kept Nix: hardware configurations and hand-kept modules, read and parsed before
//! anything is written.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::NixSource;
use crate::validate::validator_name;

/// Reads and parses `source`, the Nix text of `entity`; `note` labels the Rust line that
/// named it. Relative paths resolve against
/// `base_dir`; files read are added to `inputs` (for `rerun-if-changed`).
pub(crate) fn load(
    source: &NixSource,
    entity: &str,
    note: &str,
    base_dir: &Path,
    parse: super::Parser,
    inputs: &mut Vec<PathBuf>,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let (text, shown_name) = match source {
        NixSource::File { path, location } => {
            let full = base_dir.join(path);
            inputs.push(full.clone());
            let bytes = match std::fs::read(&full) {
                Ok(bytes) => bytes,
                Err(error) => {
                    out.push(
                        Diagnostic::new(
                            Kind::UnreadableSource,
                            format!("cannot read {entity}, `{}`: {error}", path.display()),
                        )
                        .at(*location, note)
                        .help("paths are relative to the configuration crate's directory"),
                    );
                    return None;
                }
            };
            match String::from_utf8(bytes) {
                Ok(text) => (text, path.display().to_string()),
                Err(error) => {
                    out.push(
                        Diagnostic::new(
                            Kind::UnreadableSource,
                            format!(
                                "{entity}, `{}`, is not UTF-8 text (invalid byte at offset {})",
                                path.display(),
                                error.utf8_error().valid_up_to()
                            ),
                        )
                        .at(*location, note),
                    );
                    return None;
                }
            }
        }
        NixSource::Inline { text, .. } => (text.clone(), format!("<inline Nix of {entity}>")),
    };
    if let Err(error) = parse(&text) {
        out.push(
            Diagnostic::new(
                Kind::InvalidNixSource,
                format!(
                    "{entity} is not valid Nix ({} says: {})",
                    validator_name(),
                    error.message
                ),
            )
            .at_nix(shown_name, &text, error.line, error.column, "here")
            .at(source.location(), note),
        );
        return None;
    }
    Some(text)
}
