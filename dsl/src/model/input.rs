use super::Location;

/// Another flake the configuration uses: written to `inputs` in `flake.nix` and passed to
/// every host and Home Manager user as the `inputs` module argument, so hand-kept files
/// can use it too. Its modules are imported with [`Module::from_input`](super::Module::from_input).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    /// The name in `inputs`, such as `sops-nix`.
    pub name: String,
    /// The flake reference: `github:Mic92/sops-nix`, `git+https://...`, `path:...`, ...
    pub url: String,
    /// `flake = false`: a source tree, not a flake.
    pub is_flake: bool,
    /// `inputs.<input>.follows = "<target>"`: the input's own inputs that follow ours.
    pub follows: Vec<(String, String)>,
    pub location: Location,
}

impl Input {
    #[track_caller]
    fn new(name: impl Into<String>, url: String) -> Self {
        Self {
            name: name.into(),
            url,
            is_flake: true,
            follows: Vec::new(),
            location: Location::caller(),
        }
    }

    /// A GitHub repository, `owner/repo` (optionally `owner/repo/ref`).
    #[track_caller]
    pub fn github(name: impl Into<String>, repository: &str) -> Self {
        Self::new(name, format!("github:{repository}"))
    }

    /// A git repository by URL (`https://...`, `ssh://...`).
    #[track_caller]
    pub fn git(name: impl Into<String>, url: &str) -> Self {
        Self::new(name, format!("git+{url}"))
    }

    /// A directory on this machine.
    #[track_caller]
    pub fn path(name: impl Into<String>, path: &str) -> Self {
        Self::new(name, format!("path:{path}"))
    }

    /// A tarball by URL.
    #[track_caller]
    pub fn tarball(name: impl Into<String>, url: &str) -> Self {
        Self::new(name, url.to_owned())
    }

    /// A flake reference written out in full.
    #[track_caller]
    pub fn url(name: impl Into<String>, url: &str) -> Self {
        Self::new(name, url.to_owned())
    }

    /// `flake = false`: the input is a source tree, not a flake.
    pub fn not_a_flake(mut self) -> Self {
        self.is_flake = false;
        self
    }

    /// `inputs.<own input>.follows = "<ours>"`, as in `.follows("nixpkgs", "nixpkgs")`.
    pub fn follows(mut self, own_input: impl Into<String>, ours: impl Into<String>) -> Self {
        self.follows.push((own_input.into(), ours.into()));
        self
    }
}
