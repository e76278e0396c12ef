//! What a hand-kept Nix file names by relative path (`sopsFile = ./secrets.yaml`,
//! `imports = [ ./hardware.nix ../common ]`, `src = ./.`): found in its syntax, resolved
//! against the file's own directory, and followed through the Nix files among them, so
//! that whatever moves the file (the tree writes a hand-kept module at
//! `modules/<category>/<name>.nix`; the importer copies a flake into a crate) can carry
//! what it names along and keep the paths pointing at it.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use rnix::SyntaxKind;

/// A relative path literal of a file: where it is and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathLiteral {
    /// Its bytes in the file.
    pub range: Range<usize>,
    /// As written (`./secrets.yaml`).
    pub text: String,
    /// 1-based line and column, for messages.
    pub line: usize,
    pub column: usize,
}

/// What keeps a literal from being carried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// It names nothing: the file (relative to the root) and the literal.
    Missing { file: String, literal: PathLiteral },
    /// It leaves the root, or names the root itself.
    Outside { file: String, literal: PathLiteral },
    /// It is built with `${...}`: which file it names is known only when evaluated.
    Dynamic { file: String, literal: PathLiteral },
    /// It names a hidden file or directory (`.github/...`), which the tree does not hold.
    Hidden { file: String, literal: PathLiteral },
}

/// The relative path literals of `text`, static and interpolated (`./${name}.nix`).
/// Empty for text that does not parse.
pub fn relative_paths(text: &str) -> (Vec<PathLiteral>, Vec<PathLiteral>) {
    let parse = rnix::Root::parse(text);
    let mut fixed = Vec::new();
    let mut dynamic = Vec::new();
    if !parse.errors().is_empty() {
        return (fixed, dynamic);
    }
    for node in parse.syntax().descendants() {
        if node.kind() != SyntaxKind::NODE_PATH_REL {
            continue;
        }
        let range = node.text_range();
        let start = usize::from(range.start());
        let line = text[..start].matches('\n').count() + 1;
        let column = start - text[..start].rfind('\n').map_or(0, |i| i + 1) + 1;
        let literal = PathLiteral {
            range: start..usize::from(range.end()),
            text: node.text().to_string(),
            line,
            column,
        };
        if node.children().next().is_some() {
            dynamic.push(literal);
        } else {
            fixed.push(literal);
        }
    }
    (fixed, dynamic)
}

/// `literal`, written in `file` (relative to the root), as a path relative to the root;
/// `None` when it leaves the root.
pub fn resolve(file: &str, literal: &str) -> Option<String> {
    let dir = Path::new(file).parent().unwrap_or(Path::new(""));
    normalise(&dir.join(literal)).map(|path| path.to_string_lossy().into_owned())
}

/// A relative path without `.` and `..`; `None` when it climbs above its start (or is
/// absolute).
pub fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(part) => out.push(part),
            _ => return None,
        }
    }
    Some(out)
}

/// Everything `file` (relative to `root`, with contents `text`) reaches through relative
/// paths: the files named, every file under a directory named, and what the Nix files
/// among them name in turn; as paths relative to the root with their contents (text or
/// not: wallpapers and fonts travel too). Each literal that cannot be carried is a
/// [`Problem`].
pub fn closure(root: &Path, file: &str, text: &str) -> (Vec<(String, Vec<u8>)>, Vec<Problem>) {
    let mut carried: Vec<(String, Vec<u8>)> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut problems = Vec::new();
    let mut pending: Vec<(String, String)> = vec![(file.to_owned(), text.to_owned())];
    while let Some((from, text)) = pending.pop() {
        let (fixed, dynamic) = relative_paths(&text);
        let mut targets = Vec::new();
        for literal in dynamic {
            // Every file `../home/${host}.nix` can name is under `../home`: carried whole.
            match dynamic_target(root, &from, &literal.text) {
                Some((_, target)) => targets.push(target),
                None => problems.push(Problem::Dynamic {
                    file: from.clone(),
                    literal,
                }),
            }
        }
        for literal in fixed {
            let Some(target) = resolve(&from, &literal.text).filter(|t| !t.is_empty()) else {
                problems.push(Problem::Outside {
                    file: from.clone(),
                    literal,
                });
                continue;
            };
            if is_hidden(&target) {
                problems.push(Problem::Hidden {
                    file: from.clone(),
                    literal,
                });
                continue;
            }
            let full = root.join(&target);
            if !full.exists() {
                problems.push(Problem::Missing {
                    file: from.clone(),
                    literal,
                });
                continue;
            }
            targets.push(target);
        }
        for target in targets {
            for found in files_at(root, &target) {
                if found == file || !seen.insert(found.clone()) {
                    continue;
                }
                let Ok(contents) = std::fs::read(root.join(&found)) else {
                    continue;
                };
                if found.ends_with(".nix") {
                    if let Ok(text) = std::str::from_utf8(&contents) {
                        pending.push((found.clone(), text.to_owned()));
                    }
                }
                carried.push((found, contents));
            }
        }
    }
    carried.sort();
    (carried, problems)
}

/// The directory, relative to the root, that a path built with `${...}` in `file` names
/// its files in, when it names one there (see [`dynamic_directory`]), with the length of
/// the literal's text that names it (`../home` of `../home/${host}.nix`).
pub fn dynamic_target(root: &Path, file: &str, literal: &str) -> Option<(usize, String)> {
    let dir = dynamic_directory(literal)?;
    let target = resolve(file, dir)?;
    let carried = !target.is_empty() && !is_hidden(&target) && root.join(&target).is_dir();
    carried.then_some((dir.len(), target))
}

/// The directory a path built with `${...}` names its files in, where the literal names
/// one before the first `${` (`../home/gabriel/${host}.nix`: `../home/gabriel`); `None`
/// for `./${name}.nix`, which could name anything beside the file.
fn dynamic_directory(literal: &str) -> Option<&str> {
    let fixed = &literal[..literal.find("${")?];
    let dir = &fixed[..fixed.rfind('/')?];
    dir.split('/')
        .any(|segment| !matches!(segment, "" | "." | ".."))
        .then_some(dir)
}

/// Whether a path relative to the root has a hidden segment (`.github/x`).
fn is_hidden(target: &str) -> bool {
    target.split('/').any(|segment| segment.starts_with('.'))
}

/// `target` (relative to `root`) if it is a file, else every file under it (not
/// following links, skipping hidden entries), in a stable order.
fn files_at(root: &Path, target: &str) -> Vec<String> {
    let full = root.join(target);
    if full.is_file() {
        return vec![target.to_owned()];
    }
    let mut out = Vec::new();
    let mut stack = vec![target.to_owned()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = format!("{dir}/{name}");
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => stack.push(path),
                Ok(kind) if kind.is_file() => out.push(path),
                _ => {}
            }
        }
    }
    out.sort();
    out
}

/// `text` with each literal of `rewrites` (its range) replaced by its new text.
pub fn rewrite(text: &str, rewrites: &[(Range<usize>, String)]) -> String {
    let mut sorted: Vec<&(Range<usize>, String)> = rewrites.iter().collect();
    sorted.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, new) in sorted {
        out.push_str(&text[at..range.start]);
        out.push_str(new);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `file` (a `/`-separated path from the tree's root) as a relative Nix path literal
/// from the directory `from_dir` (`""` for the root).
pub fn relative_literal(from_dir: &str, file: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to: Vec<&str> = file.split('/').filter(|p| !p.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let up = from.len() - common;
    let rest = to[common..].join("/");
    match (up, rest.is_empty()) {
        (0, true) => "./.".to_owned(),
        (0, false) => format!("./{rest}"),
        (n, true) => format!("..{}", "/..".repeat(n - 1)),
        (n, false) => format!("{}{rest}", "../".repeat(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_found_with_their_places() {
        let text = "{ a = ./x.yaml; b = ../c; d = ./${n}.nix; e = /abs; f = \"./no\"; }";
        let (fixed, dynamic) = relative_paths(text);
        let names: Vec<&str> = fixed.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(names, ["./x.yaml", "../c"]);
        assert_eq!(dynamic.len(), 1);
        assert_eq!(&text[fixed[0].range.clone()], "./x.yaml");
        assert_eq!((fixed[0].line, fixed[0].column), (1, 7));
    }

    #[test]
    fn paths_resolve_against_the_files_directory() {
        assert_eq!(
            resolve("nix/hosts/a.nix", "./x.yaml").as_deref(),
            Some("nix/hosts/x.yaml")
        );
        assert_eq!(
            resolve("nix/hosts/a.nix", "../common").as_deref(),
            Some("nix/common")
        );
        assert_eq!(
            resolve("nix/hosts/a.nix", "./.").as_deref(),
            Some("nix/hosts")
        );
        assert_eq!(resolve("a.nix", "../x"), None);
    }

    #[test]
    fn relative_literals_climb_only_as_far_as_needed() {
        assert_eq!(
            relative_literal("modules/system", "files/nix/x.yaml"),
            "../../files/nix/x.yaml"
        );
        assert_eq!(relative_literal("", "files/x"), "./files/x");
        assert_eq!(relative_literal("files/nix", "files/nix/x"), "./x");
        assert_eq!(relative_literal("files/nix/a", "files/nix"), "..");
        assert_eq!(relative_literal("files", "files"), "./.");
    }

    #[test]
    fn rewriting_replaces_only_the_ranges() {
        assert_eq!(
            rewrite(
                "{ a = ./x; b = ./y; }",
                &[(15..18, "../z".into()), (6..9, "./q".into())]
            ),
            "{ a = ./q; b = ../z; }"
        );
    }

    /// A scratch root holding `files` (path, contents).
    fn scratch(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        for (path, contents) in files {
            let full = root.path().join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, contents).unwrap();
        }
        root
    }

    #[test]
    fn a_path_built_in_a_named_directory_carries_the_directory() {
        let root = scratch(&[
            (
                "hosts/a/default.nix",
                b"{ config, ... }: { imports = [ ../../home/${config.networking.hostName}.nix ./${x}.nix ]; }",
            ),
            ("home/a.nix", b"{ imports = [ ./shared ]; }"),
            ("home/b.nix", b"{ }"),
            ("home/shared/default.nix", b"{ }"),
        ]);
        let text = std::fs::read_to_string(root.path().join("hosts/a/default.nix")).unwrap();
        let (carried, problems) = closure(root.path(), "hosts/a/default.nix", &text);
        let names: Vec<&str> = carried.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            ["home/a.nix", "home/b.nix", "home/shared/default.nix"]
        );
        // `./${x}.nix` could name anything beside the file: not carried, and said.
        assert!(
            matches!(problems.as_slice(), [Problem::Dynamic { literal, .. }] if literal.text == "./${x}.nix"),
            "{problems:?}"
        );
        assert_eq!(dynamic_directory("../../home/${h}.nix"), Some("../../home"));
        assert_eq!(dynamic_directory("./hosts/${h}"), Some("./hosts"));
        assert_eq!(dynamic_directory("./${h}.nix"), None);
        assert_eq!(dynamic_directory("../${h}/x.nix"), None);
    }

    #[test]
    fn the_closure_follows_nix_files_and_directories() {
        let root = scratch(&[
            (
                "nix/host.nix",
                b"{ imports = [ ./common ]; sops = ./s.yaml; x = ./gone; }",
            ),
            ("nix/s.yaml", b"a: 1"),
            (
                "nix/common/default.nix",
                b"{ y = ../../../up; z = ./pic.png; w = ./.hidden; }",
            ),
            ("nix/common/pic.png", &[0xff, 0xfe, 0]),
        ]);
        let text = std::fs::read_to_string(root.path().join("nix/host.nix")).unwrap();
        let (carried, problems) = closure(root.path(), "nix/host.nix", &text);
        let names: Vec<&str> = carried.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            ["nix/common/default.nix", "nix/common/pic.png", "nix/s.yaml"]
        );
        let kinds: Vec<String> = problems
            .iter()
            .map(|p| match p {
                Problem::Missing { literal, .. } => format!("missing {}", literal.text),
                Problem::Outside { literal, .. } => format!("outside {}", literal.text),
                Problem::Dynamic { literal, .. } => format!("dynamic {}", literal.text),
                Problem::Hidden { literal, .. } => format!("hidden {}", literal.text),
            })
            .collect();
        assert_eq!(
            kinds,
            ["missing ./gone", "outside ../../../up", "hidden ./.hidden"]
        );
    }
}
