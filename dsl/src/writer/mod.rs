//! The writer: puts a [`Tree`] on disk, atomically, touching only files it owns.
//!
//! The output directory keeps a manifest (`.flakesmith-manifest`) of the files flakesmith
//! wrote there and a hash of each. A run:
//! 1. refuses when a file it did not write stands where it wants to write, or when a file
//!    it wrote was edited by hand since (unless forced);
//! 2. does nothing at all when the tree on disk is already the wanted one;
//! 3. otherwise builds the complete new directory beside the old one (foreign files and
//!    unchanged files are hard links, so their contents and modification times stay), and
//!    swaps the two directories in one `renameat2(RENAME_EXCHANGE)`.
//!
//! A crash at any point leaves either the old directory or the new one in place, plus at
//! most a stray `.<name>.flakesmith-*` sibling that the next run removes. Files are not
//! `fsync`ed: the guarantee is against the process dying, not the machine losing power
//! (a tree is cheap to regenerate, and syncing 2,000 files costs more than generating
//! them).
//!
//! `exchange` does the swap; `diff` compares a directory with the tree without writing
//! (`--check`, `--diff`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs;
use std::hash::Hasher;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::tree::{is_contained, Tree};

mod diff;
mod exchange;

pub use diff::{diff, Difference, DifferenceKind};
use exchange::swap_into_place;

/// The manifest's file name inside the output directory.
pub const MANIFEST: &str = ".flakesmith-manifest";
const MANIFEST_HEADER: &str =
    "# Files flakesmith generated in this directory, with a hash of each. Do not edit.";
pub use crate::tree::GENERATED_MARKER;

/// Writes `files` (relative paths and their text) under `dir`, creating directories as
/// needed: a plain write, for what is not a flake tree (bindings, a new configuration
/// crate, the build script's copy in `OUT_DIR`), where [`write`]'s staging and manifest
/// have no part.
pub fn write_plain<'f, B: AsRef<[u8]>>(
    dir: &Path,
    files: impl IntoIterator<Item = (&'f str, B)>,
) -> Result<(), String> {
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&target, text.as_ref())
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    }
    Ok(())
}

/// Why a tree was not written. Nothing on disk changed.
#[derive(Debug)]
pub enum WriteError {
    /// The output path exists and is not a directory.
    NotADirectory(PathBuf),
    /// The output path has no parent or name to stage beside (`/`, `.`, `..`).
    UnnamedOutput(PathBuf),
    /// A generated path is not a plain relative path inside the tree.
    UnsafePath(String),
    /// Files flakesmith did not write stand where it wants to write.
    ForeignFiles(Vec<String>),
    /// Files flakesmith wrote were changed by hand since; `--force` overwrites them.
    HandEdited(Vec<String>),
    Io {
        path: PathBuf,
        error: io::Error,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotADirectory(path) => write!(f, "output path {} exists and is not a directory", path.display()),
            Self::UnnamedOutput(path) => write!(f, "output path {} must name a directory (not `/`, `.` or `..`)", path.display()),
            Self::UnsafePath(path) => write!(f, "refusing to write `{}`: it is not a plain path inside the output directory", path.escape_debug()),
            Self::ForeignFiles(paths) => write!(
                f,
                "refusing to overwrite files flakesmith did not generate: {}\nmove them away, or write to another directory with --out",
                paths.join(", ")
            ),
            Self::HandEdited(paths) => write!(
                f,
                "generated files were edited by hand since flakesmith wrote them: {}\nmove the edits into the Rust configuration, or rerun with --force to overwrite them",
                paths.join(", ")
            ),
            Self::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |error| WriteError::Io {
        path: path.to_owned(),
        error,
    }
}

/// What a successful write did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: Vec<String>,
    /// Files flakesmith had generated and no longer does.
    pub removed: Vec<String>,
    pub unchanged: usize,
}

impl WriteReport {
    pub fn changed(&self) -> bool {
        !self.written.is_empty() || !self.removed.is_empty()
    }
}

fn hash(contents: &[u8]) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(contents);
    hasher.finish()
}

type Manifest = BTreeMap<String, u64>;

fn manifest_text(tree: &Tree) -> String {
    let mut text = format!("{MANIFEST_HEADER}\n");
    let mut entries: Vec<_> = tree
        .entries()
        .map(|(path, bytes)| (path, hash(bytes)))
        .collect();
    entries.sort();
    for (path, hash) in entries {
        text.push_str(&format!("{hash:016x} {path}\n"));
    }
    text
}

fn read_manifest(out: &Path) -> Result<Manifest, WriteError> {
    let path = out.join(MANIFEST);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Manifest::new()),
        Err(e) => return Err(io_error(&path)(e)),
    };
    let mut manifest = Manifest::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let parsed = line
            .split_once(' ')
            .and_then(|(h, p)| Some((u64::from_str_radix(h, 16).ok()?, p)));
        match parsed {
            // A path that is not contained is ignored: the manifest must never make
            // flakesmith touch anything outside the tree.
            Some((hash, path)) if is_contained(path) => {
                manifest.insert(path.to_owned(), hash);
            }
            _ => {}
        }
    }
    Ok(manifest)
}

/// Reads a file, `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, WriteError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(path)(e)),
    }
}

/// The state of the output directory relative to the wanted tree.
struct Plan {
    exists: bool,
    old_manifest: Manifest,
    /// Paths whose contents already match.
    unchanged: BTreeSet<String>,
    written: Vec<String>,
    removed: Vec<String>,
    manifest_current: bool,
}

fn plan(out: &Path, tree: &Tree, force: bool) -> Result<Plan, WriteError> {
    if let Some((bad, _)) = tree.entries().find(|(path, _)| !is_contained(path)) {
        return Err(WriteError::UnsafePath(bad.to_owned()));
    }
    let exists = match fs::metadata(out) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => return Err(WriteError::NotADirectory(out.to_owned())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(io_error(out)(e)),
    };
    let old_manifest = if exists {
        read_manifest(out)?
    } else {
        Manifest::new()
    };
    let mut plan = Plan {
        exists,
        unchanged: BTreeSet::new(),
        written: Vec::new(),
        removed: Vec::new(),
        manifest_current: false,
        old_manifest,
    };
    let (mut foreign, mut edited) = (Vec::new(), Vec::new());
    for (file_path, contents) in tree.entries() {
        let path = out.join(file_path);
        let on_disk = if exists { read_optional(&path)? } else { None };
        match (on_disk, plan.old_manifest.get(file_path)) {
            (None, _) => plan.written.push(file_path.to_owned()),
            (Some(bytes), _) if bytes == contents => {
                plan.unchanged.insert(file_path.to_owned());
            }
            (Some(_), None) => foreign.push(file_path.to_owned()),
            (Some(bytes), Some(&recorded)) => {
                if hash(&bytes) != recorded && !force {
                    edited.push(file_path.to_owned());
                }
                plan.written.push(file_path.to_owned());
            }
        }
    }
    let wanted: BTreeSet<&str> = tree.entries().map(|(path, _)| path).collect();
    for (path, &recorded) in &plan.old_manifest {
        if wanted.contains(path.as_str()) {
            continue;
        }
        if let Some(bytes) = read_optional(&out.join(path))? {
            if hash(&bytes) != recorded && !force {
                edited.push(path.clone());
            }
            plan.removed.push(path.clone());
        }
    }
    if !foreign.is_empty() {
        return Err(WriteError::ForeignFiles(foreign));
    }
    if !edited.is_empty() {
        return Err(WriteError::HandEdited(edited));
    }
    if exists {
        let manifest_path = out.join(MANIFEST);
        plan.manifest_current =
            read_optional(&manifest_path)?.as_deref() == Some(manifest_text(tree).as_bytes());
    }
    Ok(plan)
}

/// Writes `tree` into `out`. With `force`, hand-edited generated files are overwritten;
/// files flakesmith did not generate are never touched.
pub fn write(out: &Path, tree: &Tree, force: bool) -> Result<WriteReport, WriteError> {
    let out = &through_symlink(out)?;
    let plan = plan(out, tree, force)?;
    let report = WriteReport {
        written: plan.written.clone(),
        removed: plan.removed.clone(),
        unchanged: plan.unchanged.len(),
    };
    // What an interrupted run left beside the directory goes first, even when the tree
    // itself is already up to date.
    let (parent, name) = sibling_parts(out)?;
    remove_stale_siblings(&parent, &name)?;
    if !report.changed() && plan.manifest_current {
        return Ok(report);
    }
    let staging = parent.join(format!(".{name}.flakesmith-staging-{}", std::process::id()));
    let result = stage(out, &staging, tree, &plan)
        .and_then(|()| swap_into_place(&staging, out, plan.exists));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result.map(|()| report)
}

/// The directory a symlinked output path points at (`/etc/nixos` often is a link into a
/// repository): the tree is written there, and the link stays a link.
fn through_symlink(out: &Path) -> Result<PathBuf, WriteError> {
    match fs::symlink_metadata(out) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(out) {
            Ok(target) => Ok(target),
            // A dangling link: write where it points, creating that directory.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let link = fs::read_link(out).map_err(io_error(out))?;
                Ok(out.parent().map_or(link.clone(), |p| p.join(&link)))
            }
            Err(e) => Err(io_error(out)(e)),
        },
        _ => Ok(out.to_owned()),
    }
}

fn sibling_parts(out: &Path) -> Result<(PathBuf, String), WriteError> {
    let name = out.file_name().and_then(|n| n.to_str()).map(str::to_owned);
    let parent = out.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    match (parent, name) {
        (Some(parent), Some(name)) => Ok((parent.to_owned(), name)),
        _ => Err(WriteError::UnnamedOutput(out.to_owned())),
    }
}

/// Removes what an interrupted earlier run left beside the output directory.
fn remove_stale_siblings(parent: &Path, name: &str) -> Result<(), WriteError> {
    let prefix = format!(".{name}.flakesmith-");
    let entries = match fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(parent)(e)),
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let path = entry.path();
            fs::remove_dir_all(&path).map_err(io_error(&path))?;
        }
    }
    Ok(())
}

/// Builds the complete new directory at `staging`.
fn stage(out: &Path, staging: &Path, tree: &Tree, plan: &Plan) -> Result<(), WriteError> {
    fs::create_dir(staging).map_err(io_error(staging))?;
    if plan.exists {
        // The new directory takes the old one's permissions (a private 0700 stays so).
        let permissions = fs::metadata(out).map_err(io_error(out))?.permissions();
        fs::set_permissions(staging, permissions).map_err(io_error(staging))?;
        carry_foreign_entries(out, staging, Path::new(""), &plan.old_manifest)?;
    }
    // Each directory is created once: on a slow disk a redundant `mkdir` costs as much
    // as writing a file.
    let mut created = std::collections::HashSet::new();
    for (path, contents) in tree.entries() {
        let target = staging.join(path);
        if let Some(dir) = target.parent() {
            if created.insert(dir.to_owned()) {
                fs::create_dir_all(dir).map_err(io_error(dir))?;
            }
        }
        if plan.unchanged.contains(path) {
            link_or_copy(&out.join(path), &target)?;
        } else {
            write_file(&target, contents)?;
        }
    }
    write_file(&staging.join(MANIFEST), manifest_text(tree).as_bytes())?;
    Ok(())
}

/// Links every entry of `out` that flakesmith does not own into `staging`.
fn carry_foreign_entries(
    out: &Path,
    staging: &Path,
    relative: &Path,
    owned: &Manifest,
) -> Result<(), WriteError> {
    let dir = out.join(relative);
    let entries: Vec<_> = fs::read_dir(&dir)
        .map_err(io_error(&dir))?
        .collect::<Result<_, _>>()
        .map_err(io_error(&dir))?;
    if entries.is_empty() && !relative.as_os_str().is_empty() {
        let target = staging.join(relative);
        fs::create_dir_all(&target).map_err(io_error(&target))?;
    }
    for entry in entries {
        let rel = relative.join(entry.file_name());
        let rel_text = rel.to_string_lossy().replace('\\', "/");
        if rel_text == MANIFEST || owned.contains_key(&rel_text) {
            continue;
        }
        let source = entry.path();
        let file_type = entry.file_type().map_err(io_error(&source))?;
        let target = staging.join(&rel);
        if file_type.is_dir() {
            carry_foreign_entries(out, staging, &rel, owned)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        if file_type.is_symlink() {
            let link = fs::read_link(&source).map_err(io_error(&source))?;
            symlink(&link, &target).map_err(io_error(&target))?;
        } else {
            link_or_copy(&source, &target)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(link: &Path, target: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(link, target)
}

#[cfg(not(unix))]
fn symlink(link: &Path, target: &Path) -> io::Result<()> {
    fs::copy(link, target).map(|_| ())
}

/// A hard link keeps the file's inode, so contents and modification time stay; a copy
/// is the fallback where links are not possible.
fn link_or_copy(source: &Path, target: &Path) -> Result<(), WriteError> {
    if fs::hard_link(source, target).is_ok() {
        return Ok(());
    }
    fs::copy(source, target)
        .map(|_| ())
        .map_err(io_error(source))
}

fn write_file(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    let mut file = fs::File::create(path).map_err(io_error(path))?;
    file.write_all(contents).map_err(io_error(path))
}
