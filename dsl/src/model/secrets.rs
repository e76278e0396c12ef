use std::path::PathBuf;

use super::Location;

/// Who may read a decrypted secret file, as both secrets managers take it: `owner`,
/// `group` and `mode`; unset fields keep the manager's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileAccess {
    pub owner: Option<String>,
    pub group: Option<String>,
    /// The file mode, such as `"0400"`.
    pub mode: Option<String>,
}

impl FileAccess {
    /// The fields as the managers name them, with their values.
    pub fn fields(&self) -> [(&'static str, &Option<String>); 3] {
        [
            ("owner", &self.owner),
            ("group", &self.group),
            ("mode", &self.mode),
        ]
    }
}

/// `owner`, `group` and `mode` setters for a secret with a [`FileAccess`].
macro_rules! file_access_setters {
    ($secret:ty) => {
        impl $secret {
            /// The user that owns the decrypted file.
            pub fn owner(mut self, user: impl Into<String>) -> Self {
                self.access.owner = Some(user.into());
                self
            }

            /// The group that owns the decrypted file.
            pub fn group(mut self, group: impl Into<String>) -> Self {
                self.access.group = Some(group.into());
                self
            }

            /// The file mode, such as `"0400"`.
            pub fn mode(mut self, mode: impl Into<String>) -> Self {
                self.access.mode = Some(mode.into());
                self
            }
        }
    };
}

file_access_setters!(SopsSecret);
file_access_setters!(AgeSecret);

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
    pub access: FileAccess,
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
            access: FileAccess::default(),
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
    pub access: FileAccess,
    pub location: Location,
}

impl AgeSecret {
    #[track_caller]
    pub fn new(name: impl Into<String>, file: impl Into<PathBuf>) -> Self {
        Self {
            name: name.into(),
            file: file.into(),
            access: FileAccess::default(),
            location: Location::caller(),
        }
    }
}
