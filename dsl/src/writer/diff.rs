//! What `--check` and `--diff` report: how the tree on disk differs from the wanted one,
//! as unified diffs, including stale generated files found by their header when the
//! manifest is gone.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

use super::{
    io_error, read_manifest, read_optional, through_symlink, WriteError, GENERATED_MARKER,
};
use crate::tree::Tree;

/// How a file on disk differs from the wanted tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DifferenceKind {
    /// A generated file is absent.
    Missing,
    /// A generated file's contents differ (a hand edit, or a stale tree).
    Changed,
    /// A file flakesmith generated and no longer generates.
    Extra,
}

/// One difference, with a unified diff from what is on disk to what is wanted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub kind: DifferenceKind,
    pub path: String,
    pub diff: String,
}

/// Compares `out` with the wanted tree without writing anything.
pub fn diff(out: &Path, tree: &Tree) -> Result<Vec<Difference>, WriteError> {
    let out = &through_symlink(out)?;
    let mut differences = Vec::new();
    let mut push = |kind, path: &str, diff| {
        differences.push(Difference {
            kind,
            path: path.to_owned(),
            diff,
        })
    };
    for (path, contents) in tree.entries() {
        // A copied file that is not text is compared, not shown.
        let text = std::str::from_utf8(contents).map_or_else(
            |_| format!("(binary file, {} bytes)\n", contents.len()),
            str::to_owned,
        );
        match read_optional(&out.join(path))? {
            None => push(
                DifferenceKind::Missing,
                path,
                unified("", &text, "/dev/null", path),
            ),
            Some(bytes) if bytes == contents => {}
            Some(bytes) => {
                let old = std::str::from_utf8(&bytes).map_or_else(
                    |_| format!("(binary file, {} bytes)\n", bytes.len()),
                    str::to_owned,
                );
                push(
                    DifferenceKind::Changed,
                    path,
                    unified(&old, &text, path, path),
                );
            }
        }
    }
    let wanted: BTreeSet<&str> = tree.entries().map(|(path, _)| path).collect();
    let mut extra: BTreeSet<String> = read_manifest(out)?.into_keys().collect();
    find_generated_files(out, Path::new(""), &mut extra)?;
    for path in extra.iter().filter(|p| !wanted.contains(p.as_str())) {
        if let Some(bytes) = read_optional(&out.join(path))? {
            push(
                DifferenceKind::Extra,
                path,
                unified(&String::from_utf8_lossy(&bytes), "", path, "/dev/null"),
            );
        }
    }
    Ok(differences)
}

/// Finds `.nix` files carrying flakesmith's header, so a stale generated file is found
/// even when the manifest is gone.
fn find_generated_files(
    out: &Path,
    relative: &Path,
    found: &mut BTreeSet<String>,
) -> Result<(), WriteError> {
    let dir = out.join(relative);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(&dir)(e)),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = relative.join(&name);
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            find_generated_files(out, &rel, found)?;
        } else if file_type.is_file() && name.ends_with(".nix") {
            let starts_generated = fs::read(entry.path())
                .map(|bytes| bytes.starts_with(GENERATED_MARKER.as_bytes()))
                .unwrap_or(false);
            if starts_generated {
                found.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(())
}

fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let old_header = if old_name == "/dev/null" {
        old_name.to_owned()
    } else {
        format!("a/{old_name}")
    };
    let new_header = if new_name == "/dev/null" {
        new_name.to_owned()
    } else {
        format!("b/{new_name}")
    };
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&old_header, &new_header)
        .to_string()
}
