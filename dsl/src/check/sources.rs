//! Hand-kept Nix: hardware configurations and hand-kept modules, read and parsed before
//! anything is written.

use std::path::{Path, PathBuf};

use crate::carry::Problem;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::NixSource;
use crate::plan::CarriedFile;
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

/// Where the tree keeps what hand-kept files name by relative path.
pub(crate) const CARRIED_DIR: &str = "files";

/// `text`, the hand-kept file `source` of `entity` that the tree writes at
/// `destination`, with every relative path it names pointing at a copy of the target in
/// [`CARRIED_DIR`]; the targets (and what Nix files among them name in turn) are added
/// to `carried`. A path that names nothing, leaves the configuration crate, names a hidden
/// file or is built with `${...}` is a warning: the tree keeps it as written.
#[allow(clippy::too_many_arguments)]
pub(crate) fn carry(
    source: &NixSource,
    text: String,
    entity: &str,
    destination: &str,
    base_dir: &Path,
    inputs: &mut Vec<PathBuf>,
    carried: &mut Vec<CarriedFile>,
    out: &mut Vec<Diagnostic>,
) -> String {
    let NixSource::File { path, location } = source else {
        return text;
    };
    let (root, file) = if path.is_relative() {
        (base_dir.to_owned(), path.to_string_lossy().into_owned())
    } else {
        let parent = path.parent().unwrap_or(Path::new("/")).to_owned();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        (parent, name)
    };
    let (fixed, dynamic) = crate::carry::relative_paths(&text);
    if fixed.is_empty() && !text.contains("${") {
        return text;
    }
    let (found, problems) = crate::carry::closure(&root, &file, &text);
    for problem in problems {
        out.push(carry_problem(problem, entity).at(*location, "hand-kept file named here"));
    }
    for (target, contents) in found {
        inputs.push(root.join(&target));
        let tree_path = format!("{CARRIED_DIR}/{target}");
        if !carried.iter().any(|c| c.tree_path == tree_path) {
            carried.push(CarriedFile {
                tree_path,
                bytes: contents,
            });
        }
    }
    let from_dir = destination.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut rewrites: Vec<_> = fixed
        .into_iter()
        .filter_map(|literal| {
            let target = crate::carry::resolve(&file, &literal.text).filter(|t| !t.is_empty())?;
            root.join(&target).exists().then(|| {
                let new =
                    crate::carry::relative_literal(from_dir, &format!("{CARRIED_DIR}/{target}"));
                (literal.range, new)
            })
        })
        .collect();
    // `../home/${host}.nix`: the directory it names, carried whole, is where it leads.
    rewrites.extend(dynamic.into_iter().filter_map(|literal| {
        let (length, target) = crate::carry::dynamic_target(&root, &file, &literal.text)?;
        let new = crate::carry::relative_literal(from_dir, &format!("{CARRIED_DIR}/{target}"));
        Some((literal.range.start..literal.range.start + length, new))
    }));
    crate::carry::rewrite(&text, &rewrites)
}

fn carry_problem(problem: Problem, entity: &str) -> Diagnostic {
    match problem {
        Problem::Missing { file, literal } => Diagnostic::new(
            Kind::MissingPath,
            format!(
                "{entity} names `{}` ({file}:{}:{}), which does not exist",
                literal.text, literal.line, literal.column
            ),
        )
        .help("paths in hand-kept Nix are relative to the file they are written in; add the file, or correct the path (Nix fails where the path is used)"),
        Problem::Outside { file, literal } => Diagnostic::new(
            Kind::UncarriedPath,
            format!(
                "{entity} names `{}` ({file}:{}:{}), which is outside the configuration crate or is the crate itself, so the tree cannot carry it",
                literal.text, literal.line, literal.column
            ),
        )
        .help("move what it names into the configuration crate (beside the hand-kept file), or name a part of it"),
        Problem::Hidden { file, literal } => Diagnostic::new(
            Kind::UncarriedPath,
            format!(
                "{entity} names `{}` ({file}:{}:{}), a hidden file or directory, which the tree does not hold",
                literal.text, literal.line, literal.column
            ),
        )
        .help("move what it names to a path without a segment starting with `.`"),
        Problem::Dynamic { file, literal } => Diagnostic::new(
            Kind::DynamicPath,
            format!(
                "{entity} builds the path `{}` ({file}:{}:{}) with `${{...}}`: which file it names is known only when Nix evaluates it, and flakesmith does not carry it into the tree",
                literal.text, literal.line, literal.column
            ),
        )
        .help("name the directory that holds the files it can be before the `${...}` (`./hosts/${name}.nix`), which is carried whole, or name the files with literal paths"),
    }
}
