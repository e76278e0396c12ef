//! The generated tree: relative paths and their contents.

/// One file of the tree. `path` is relative, `/`-separated, and never leaves the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

impl GeneratedFile {
    pub fn new(path: impl Into<String>, contents: String) -> Self {
        Self {
            path: path.into(),
            contents,
        }
    }
}

/// Everything one run produces, files sorted by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    pub files: Vec<GeneratedFile>,
    pub hosts: Vec<String>,
    pub users: Vec<String>,
    /// Each host's deployment target and tags, for `hosts [--tag TAG]`.
    pub fleet: Vec<HostSummary>,
    /// The deployment engines the flake writes outputs for (`colmena`, `deploy-rs`).
    pub engines: Vec<String>,
    /// The fleet as a Mermaid diagram, for `graph`.
    pub graph: String,
}

/// What the command line says of a host.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostSummary {
    pub name: String,
    pub target: Option<String>,
    pub tags: Vec<String>,
}

/// A [`HostSummary`] in the binary's static data.
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedHost {
    pub name: &'static str,
    pub target: Option<&'static str>,
    pub tags: &'static [&'static str],
}

impl Tree {
    pub fn get(&self, path: &str) -> Option<&str> {
        self.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.contents.as_str())
    }
}

/// A tree compiled into a binary by `build.rs` (see [`crate::build_script`]).
#[derive(Clone, Copy, Debug)]
pub struct EmbeddedTree {
    pub files: &'static [(&'static str, &'static str)],
    pub hosts: &'static [&'static str],
    pub users: &'static [&'static str],
    pub fleet: &'static [EmbeddedHost],
    pub engines: &'static [&'static str],
    pub graph: &'static str,
}

impl EmbeddedTree {
    pub fn to_tree(&self) -> Tree {
        Tree {
            files: self
                .files
                .iter()
                .map(|(p, c)| GeneratedFile::new(*p, (*c).to_owned()))
                .collect(),
            hosts: self.hosts.iter().map(|h| (*h).to_owned()).collect(),
            users: self.users.iter().map(|u| (*u).to_owned()).collect(),
            fleet: self
                .fleet
                .iter()
                .map(|h| HostSummary {
                    name: h.name.to_owned(),
                    target: h.target.map(str::to_owned),
                    tags: h.tags.iter().map(|t| (*t).to_owned()).collect(),
                })
                .collect(),
            engines: self.engines.iter().map(|e| (*e).to_owned()).collect(),
            graph: self.graph.to_owned(),
        }
    }
}

/// Whether `path` is a safe relative path inside the tree: no absolute paths, no `..`,
/// no empty or hidden segments, no NUL.
pub fn is_contained(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\0')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|segment| !segment.is_empty() && !segment.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment() {
        assert!(is_contained("hosts/nixos-desk/default.nix"));
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a//b",
            ".hidden",
            "a/.x",
            "a\\b",
            "a\0",
        ] {
            assert!(!is_contained(bad), "{bad}");
        }
    }
}
