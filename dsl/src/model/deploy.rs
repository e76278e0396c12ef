//! How a host is deployed: where it is reached, its tags, and the keys uploaded to it.
//!
//! One description serves the deployment engines the flake names
//! ([`Flake::deploy_with`](super::Flake::deploy_with)): colmena's `deployment` attribute
//! of each hive node, and deploy-rs's `deploy.nodes.<host>`. A host without a
//! [`Deployment`] is left out of both.

use std::path::PathBuf;

use super::Location;

/// A deployment engine whose flake outputs flakesmith writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Engine {
    /// colmena: `colmenaHive` (`colmena apply --on @tag`).
    Colmena,
    /// deploy-rs: `deploy.nodes` and its `checks` (`deploy .#host`).
    DeployRs,
}

impl Engine {
    /// The flake input that provides the engine, as flakesmith adds it.
    pub fn input(self) -> (&'static str, &'static str) {
        match self {
            Self::Colmena => ("colmena", "github:zhaofengli/colmena"),
            Self::DeployRs => ("deploy-rs", "github:serokell/deploy-rs"),
        }
    }
}

/// Where and how a host is deployed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deployment {
    /// The address SSH reaches the host at (colmena `targetHost`, deploy-rs `hostname`).
    pub target: String,
    pub port: Option<u16>,
    /// The SSH user (colmena `targetUser`, deploy-rs `sshUser`); root when unset.
    pub ssh_user: Option<String>,
    /// Build the system on the host rather than on the deploying machine (colmena
    /// `buildOnTarget`, deploy-rs `remoteBuild`).
    pub build_on_target: bool,
    /// The host may deploy itself (`colmena apply-local`).
    pub allow_local_deployment: bool,
    /// deploy-rs: roll back when the new system does not confirm it can still be reached.
    pub magic_rollback: Option<bool>,
    /// deploy-rs: roll back when activation fails.
    pub auto_rollback: Option<bool>,
    /// deploy-rs: seconds to wait for the confirmation of `magic_rollback`.
    pub confirm_timeout: Option<u32>,
    /// deploy-rs: seconds activation may take.
    pub activation_timeout: Option<u32>,
    /// colmena keys uploaded outside the Nix store.
    pub keys: Vec<DeployKey>,
    pub location: Location,
}

impl Deployment {
    /// A host reached over SSH at `target` (a name or an address).
    #[track_caller]
    pub fn to(target: impl Into<String>) -> Self {
        Self {
            target: target.into(),
            port: None,
            ssh_user: None,
            build_on_target: false,
            allow_local_deployment: false,
            magic_rollback: None,
            auto_rollback: None,
            confirm_timeout: None,
            activation_timeout: None,
            keys: Vec::new(),
            location: Location::caller(),
        }
    }

    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    pub fn ssh_user(mut self, user: impl Into<String>) -> Self {
        self.ssh_user = Some(user.into());
        self
    }

    pub fn build_on_target(mut self) -> Self {
        self.build_on_target = true;
        self
    }

    pub fn allow_local_deployment(mut self) -> Self {
        self.allow_local_deployment = true;
        self
    }

    pub fn magic_rollback(mut self, enabled: bool) -> Self {
        self.magic_rollback = Some(enabled);
        self
    }

    pub fn auto_rollback(mut self, enabled: bool) -> Self {
        self.auto_rollback = Some(enabled);
        self
    }

    pub fn confirm_timeout(mut self, seconds: u32) -> Self {
        self.confirm_timeout = Some(seconds);
        self
    }

    pub fn activation_timeout(mut self, seconds: u32) -> Self {
        self.activation_timeout = Some(seconds);
        self
    }

    pub fn key(mut self, key: DeployKey) -> Self {
        self.keys.push(key);
        self
    }
}

/// Where a key's content comes from on the deploying machine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// A file, relative to the configuration crate like hardware files; its content is
    /// read at deploy time and never enters the Nix store.
    File(PathBuf),
    /// A command whose output is the key (`["pass", "show", "wifi"]`).
    Command(Vec<String>),
}

/// When colmena uploads a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadAt {
    PreActivation,
    PostActivation,
}

impl UploadAt {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PreActivation => "pre-activation",
            Self::PostActivation => "post-activation",
        }
    }
}

/// A secret colmena uploads to the host (`deployment.keys.<name>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeployKey {
    pub name: String,
    pub source: KeySource,
    /// Where the key lands; colmena's default is `/run/keys`.
    pub dest_dir: Option<String>,
    pub user: Option<String>,
    pub group: Option<String>,
    /// Octal permissions, such as `"0640"`; colmena's default is `"0600"`.
    pub permissions: Option<String>,
    pub upload_at: Option<UploadAt>,
    pub location: Location,
}

impl DeployKey {
    /// A key read from a file of the configuration crate.
    #[track_caller]
    pub fn file(name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Self::with_source(name.into(), KeySource::File(path.into()))
    }

    /// A key produced by a command run on the deploying machine.
    #[track_caller]
    pub fn command<S: Into<String>>(
        name: impl Into<String>,
        command: impl IntoIterator<Item = S>,
    ) -> Self {
        let command = command.into_iter().map(Into::into).collect();
        Self::with_source(name.into(), KeySource::Command(command))
    }

    #[track_caller]
    fn with_source(name: String, source: KeySource) -> Self {
        Self {
            name,
            source,
            dest_dir: None,
            user: None,
            group: None,
            permissions: None,
            upload_at: None,
            location: Location::caller(),
        }
    }

    pub fn dest_dir(mut self, dir: impl Into<String>) -> Self {
        self.dest_dir = Some(dir.into());
        self
    }

    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    pub fn permissions(mut self, permissions: impl Into<String>) -> Self {
        self.permissions = Some(permissions.into());
        self
    }

    pub fn upload_at(mut self, when: UploadAt) -> Self {
        self.upload_at = Some(when);
        self
    }
}
