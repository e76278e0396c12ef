use std::path::PathBuf;

use super::Location;

/// A secret sops-nix decrypts on the machine: `sops.secrets.<name>` on the host. It is
/// used through [`Secret::sops`](crate::Secret::sops) (its path), never as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SopsSecret {
    pub name: String,
    /// The encrypted file (relative to the configuration crate), copied into the tree's
    /// `secrets/`; without it, sops-nix's `defaultSopsFile`.
    pub file: Option<PathBuf>,
    /// The key inside the file (sops-nix's default: the secret's name; `a/b` is nested).
    pub key: Option<String>,
    pub owner: Option<String>,
    pub group: Option<String>,
    pub mode: Option<String>,
    /// Decrypted before users are created: needed by a user's password file. `None`
    /// lets flakesmith set it when the secret is a password file.
    pub needed_for_users: Option<bool>,
    pub location: Location,
}

impl SopsSecret {
    #[track_caller]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            file: None,
            key: None,
            owner: None,
            group: None,
            mode: None,
            needed_for_users: None,
            location: Location::caller(),
        }
    }

    /// The encrypted sops file (YAML or JSON), relative to the configuration crate.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    pub fn owner(mut self, user: impl Into<String>) -> Self {
        self.owner = Some(user.into());
        self
    }

    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// The file mode, such as `"0400"`.
    pub fn mode(mut self, mode: impl Into<String>) -> Self {
        self.mode = Some(mode.into());
        self
    }

    pub fn needed_for_users(mut self, needed: bool) -> Self {
        self.needed_for_users = Some(needed);
        self
    }

    /// The key looked up in the file.
    pub fn effective_key(&self) -> &str {
        self.key.as_deref().unwrap_or(&self.name)
    }
}

/// A secret agenix decrypts on the machine: `age.secrets.<name>` on the host, from an
/// age-encrypted file. It is used through [`Secret::agenix`](crate::Secret::agenix) (its
/// path), never as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgeSecret {
    pub name: String,
    /// The encrypted file (relative to the configuration crate), copied into the tree's
    /// `secrets/`. It must be ASCII-armored (`age --armor`, agenix's `-a`): the tree
    /// holds text.
    pub file: PathBuf,
    pub owner: Option<String>,
    pub group: Option<String>,
    pub mode: Option<String>,
    pub location: Location,
}

impl AgeSecret {
    #[track_caller]
    pub fn new(name: impl Into<String>, file: impl Into<PathBuf>) -> Self {
        Self {
            name: name.into(),
            file: file.into(),
            owner: None,
            group: None,
            mode: None,
            location: Location::caller(),
        }
    }

    pub fn owner(mut self, user: impl Into<String>) -> Self {
        self.owner = Some(user.into());
        self
    }

    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// The file mode, such as `"0400"`.
    pub fn mode(mut self, mode: impl Into<String>) -> Self {
        self.mode = Some(mode.into());
        self
    }
}
