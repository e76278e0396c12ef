use std::path::PathBuf;

use super::declared::{apply_settings, ModuleConfig};
use super::{
    AgeSecret, Configure, Definition, Deployment, HomeAdditions, Location, Module, SopsSecret, User,
};

/// The platform a host runs, as a Nix system double.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum System {
    X86_64Linux,
    Aarch64Linux,
    I686Linux,
    Riscv64Linux,
    /// Any other double; the checker accepts only the Linux doubles nixpkgs supports.
    Other(String),
}

impl System {
    /// Linux doubles nixpkgs can build NixOS for.
    pub const KNOWN_DOUBLES: &'static [&'static str] = &[
        "x86_64-linux",
        "aarch64-linux",
        "i686-linux",
        "riscv64-linux",
        "armv6l-linux",
        "armv7l-linux",
        "powerpc64le-linux",
        "loongarch64-linux",
    ];

    pub fn double(&self) -> &str {
        match self {
            Self::X86_64Linux => "x86_64-linux",
            Self::Aarch64Linux => "aarch64-linux",
            Self::I686Linux => "i686-linux",
            Self::Riscv64Linux => "riscv64-linux",
            Self::Other(double) => double,
        }
    }
}

/// Nix kept by hand: a host's `hardware-configuration.nix` (usually the output of
/// `nixos-generate-config`) or a hand-kept module ([`Module::nix_file`]). It is parsed
/// at build time and copied into the tree as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NixSource {
    /// A file, relative to the configuration crate's directory.
    File { path: PathBuf, location: Location },
    /// Nix text given in Rust, for example with `include_str!`.
    Inline { text: String, location: Location },
}

/// A host's own package set ([`Host::package_set`]): hand-kept Nix, and whether the
/// host's `lib` is that set's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageSet {
    pub source: NixSource,
    /// Whether `nixosSystem` is also given the set's `lib` ([`PackageSet::with_its_lib`]).
    pub its_lib: bool,
}

impl PackageSet {
    /// The package set a hand-kept file (relative to the configuration crate) builds.
    #[track_caller]
    pub fn nix_file(path: impl Into<PathBuf>) -> Self {
        Self {
            source: NixSource::nix_file(path),
            its_lib: false,
        }
    }

    /// The package set Nix text given in Rust builds.
    #[track_caller]
    pub fn nix_text(text: impl Into<String>) -> Self {
        Self {
            source: NixSource::nix_text(text),
            its_lib: false,
        }
    }

    /// Gives `nixosSystem` the set's own `lib` as well (`lib = pkgs.lib;`): for a set
    /// whose overlays extend `lib`, so the host's modules find those additions. A host
    /// with [`Host::lib_additions`] beside this is a build error (two `lib`s).
    pub fn with_its_lib(mut self) -> Self {
        self.its_lib = true;
        self
    }
}

/// A host's hardware configuration: [`NixSource`] under the name people look for.
pub type Hardware = NixSource;

impl NixSource {
    #[track_caller]
    pub fn nix_file(path: impl Into<PathBuf>) -> Self {
        Self::File {
            path: path.into(),
            location: Location::caller(),
        }
    }

    #[track_caller]
    pub fn nix_text(text: impl Into<String>) -> Self {
        Self::Inline {
            text: text.into(),
            location: Location::caller(),
        }
    }

    pub fn location(&self) -> Location {
        match self {
            Self::File { location, .. } | Self::Inline { location, .. } => *location,
        }
    }

    /// What the source is, apart from where in the Rust it was named.
    pub(crate) fn content(&self) -> (Option<&std::path::Path>, Option<&str>) {
        match self {
            Self::File { path, .. } => (Some(path), None),
            Self::Inline { text, .. } => (None, Some(text)),
        }
    }
}

/// One machine: `hosts/<name>/` and `nixosConfigurations.<name>`.
#[derive(Clone, Debug)]
pub struct Host {
    pub name: String,
    pub system: System,
    pub hardware: Option<Hardware>,
    /// A hand-kept disko configuration (`disko.devices`), for first installs with
    /// nixos-anywhere: copied to `hosts/<host>/disko.nix` and imported with disko's
    /// module.
    pub disko: Option<NixSource>,
    /// Shared modules, in import order.
    pub modules: Vec<Module>,
    /// The host's own definitions: its overrides of module defaults.
    pub definitions: Vec<Definition>,
    /// Checks silenced here with `.allow(...)`.
    pub allowed: Vec<super::Lint>,
    /// Home Manager users on this host.
    pub users: Vec<User>,
    /// What this host adds to its Home Manager users, by user name
    /// ([`Host::user_with`]).
    pub homes: Vec<(String, HomeAdditions)>,
    /// Secrets sops-nix decrypts on this host.
    pub sops_secrets: Vec<SopsSecret>,
    /// Secrets agenix decrypts on this host.
    pub age_secrets: Vec<AgeSecret>,
    /// Where and how the host is deployed, for the engines the flake names.
    pub deployment: Option<Deployment>,
    /// Tags that select groups of hosts (`colmena apply --on @web`), with where each was
    /// given.
    pub tags: Vec<(String, Location)>,
    /// `system.stateVersion`.
    pub state_version: String,
    /// Arguments this host's modules get ([`Host::special_arg`]).
    pub special_args: Vec<super::SpecialArg>,
    /// What the host's NixOS modules find in `lib` beside nixpkgs' own
    /// ([`Host::lib_additions`]).
    pub lib_additions: Option<super::SpecialArg>,
    /// The package set the host's modules get as `pkgs`, built by hand-kept Nix
    /// ([`Host::package_set`]).
    pub package_set: Option<PackageSet>,
    /// How many of `modules` come ahead of the host's own definitions
    /// ([`Host::own_definitions_here`]); `None`: all of them.
    pub definitions_after: Option<usize>,
    /// Modules imported further down ([`Host::import_nested`]): position in `modules`,
    /// and how many levels.
    pub nested: std::collections::BTreeMap<usize, usize>,
    /// Whether flakesmith leaves `networking.hostName` to the host's modules
    /// ([`Host::keep_host_name`]).
    pub keeps_host_name: bool,
    /// Whether `state_version` is written as a default the host's modules may replace
    /// ([`Host::state_version_as_default`]).
    pub state_version_is_default: bool,
    /// Where [`Flake::host`](super::Flake::host) added it (`None` before it is added).
    pub added_at: Option<Location>,
    pub location: Location,
}

impl Host {
    /// A host named `name` (also its `networking.hostName` unless overridden), running
    /// `system`, whose `system.stateVersion` is `state_version`.
    #[track_caller]
    pub fn new(name: impl Into<String>, system: System, state_version: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            system,
            hardware: None,
            disko: None,
            modules: Vec::new(),
            definitions: Vec::new(),
            allowed: Vec::new(),
            users: Vec::new(),
            homes: Vec::new(),
            sops_secrets: Vec::new(),
            age_secrets: Vec::new(),
            deployment: None,
            tags: Vec::new(),
            state_version: state_version.into(),
            keeps_host_name: false,
            state_version_is_default: false,
            special_args: Vec::new(),
            lib_additions: None,
            package_set: None,
            definitions_after: None,
            nested: std::collections::BTreeMap::new(),
            added_at: None,
            location: Location::caller(),
        }
    }

    /// An argument this host's modules (and its Home Manager users' modules) receive,
    /// such as `host = "desktop"`; replaces the flake's
    /// [`Flake::special_arg`](super::Flake::special_arg) of the same name on this host.
    #[track_caller]
    pub fn special_arg(
        mut self,
        name: impl Into<String>,
        value: impl crate::value::IntoValue<crate::value::Untyped>,
    ) -> Self {
        self.special_args.push(super::SpecialArg::new(name, value));
        self
    }

    /// Writes the `system.stateVersion` given to [`Host::new`] as a default
    /// (`lib.mkDefault`), which a module of the host that sets it replaces: for hosts whose
    /// modules compute it (`system.stateVersion = config.my.stateVersion;`).
    /// `flakesmith import` writes this where it cannot read the host's value.
    pub fn state_version_as_default(mut self) -> Self {
        self.state_version_is_default = true;
        self
    }

    /// Attributes this host's NixOS modules find in `lib` beside nixpkgs' own: a flake's
    /// own helpers (`lib.my.isLinux`), as flakes give them with `specialArgs.lib =
    /// nixpkgs.lib.recursiveUpdate ...`. Written as `specialArgs.lib = nixpkgs.lib //
    /// VALUE`; Home Manager's modules keep Home Manager's `lib`. `VALUE` is an attribute
    /// set, such as `Raw::nix("{ my.isLinux = true; }")`.
    #[track_caller]
    pub fn lib_additions(
        mut self,
        value: impl crate::value::IntoValue<crate::value::Untyped>,
    ) -> Self {
        self.lib_additions = Some(super::SpecialArg::new("lib", value));
        self
    }

    /// The package set this host's modules get as `pkgs`, instead of the one NixOS
    /// builds from `nixpkgs.overlays` and `nixpkgs.config`: hand-kept Nix that is a
    /// function of the flake's inputs returning a package set, such as
    /// `inputs: import inputs.nixpkgs { system = "x86_64-linux"; config.allowUnfree =
    /// true; overlays = [ (import ./overlay.nix) ]; }`. Written as `nixosSystem`'s `pkgs`
    /// (from `hosts/<host>/package-set.nix`; what the file names by relative path is
    /// copied beside it). NixOS applies no `nixpkgs.overlays` or `nixpkgs.config` to such
    /// a set, so a flake's [`Flake::overlay`](super::Flake::overlay),
    /// [`Flake::package`](super::Flake::package) or
    /// [`Flake::allow_unfree`](super::Flake::allow_unfree) beside it is a build error.
    /// `flakesmith import` writes this for a host whose `nixosSystem` is given `pkgs`.
    pub fn package_set(mut self, package_set: PackageSet) -> Self {
        self.package_set = Some(package_set);
        self
    }

    /// Leaves `networking.hostName` to the host's modules: flakesmith writes no
    /// `lib.mkDefault "<name>"` for it, so the host keeps what its modules set, or NixOS's
    /// own default (`nixos`) when none does. `flakesmith import` writes this, since the
    /// flake it reads never had flakesmith's default.
    pub fn keep_host_name(mut self) -> Self {
        self.keeps_host_name = true;
        self
    }

    pub fn hardware(mut self, hardware: Hardware) -> Self {
        self.hardware = Some(hardware);
        self
    }

    /// Imports a shared module.
    /// The host's disks, as a hand-kept disko configuration (a module setting
    /// `disko.devices`), parsed at build like hardware files. The flake gains the `disko`
    /// input (unless it declares one) and the host imports its module.
    pub fn disko(mut self, source: NixSource) -> Self {
        self.disko = Some(source);
        self
    }

    pub fn import(mut self, module: Module) -> Self {
        self.modules.push(module);
        self
    }

    /// Imports `module` `levels` levels further down than [`Host::import`] does,
    /// through modules that only import (`imports = [ { imports = [ ./m.nix ]; } ]` for
    /// one level). The module system takes modules level by level, breadth first, and
    /// joins a list's definitions in that order, so this keeps a module's list items
    /// where they stood when it came to the host through such modules (a flake
    /// framework's option, a function importing by platform). `flakesmith import`
    /// writes this where the original reached a module that way; `levels` 0 is
    /// [`Host::import`]. Modules beside it ([`Module::beside`]) are nested with it.
    pub fn import_nested(mut self, module: Module, levels: usize) -> Self {
        if levels > 0 {
            self.nested.insert(self.modules.len(), levels);
        }
        self.modules.push(module);
        self
    }

    /// Puts the host's own definitions here among its imports: the modules imported
    /// before this call come ahead of them, as modules listed before a host's file in
    /// `nixosSystem`'s `modules` do, and the hardware configuration (and disko's) right
    /// after them, as a host file's first imports are. Without it, the host's definitions
    /// are its root module's. It matters for lists: the module system joins a list's
    /// definitions in reverse import order, so a host's own
    /// `environment.systemPackages` items otherwise come after every imported module's,
    /// and here they come after those of the modules imported later only.
    /// `flakesmith import` writes this where the host's file is not first in its module
    /// list. Called twice, the last call stands.
    pub fn own_definitions_here(mut self) -> Self {
        self.definitions_after = Some(self.modules.len());
        self
    }

    /// Imports a module that declares its own options, enables it, and sets its options
    /// to the fields of `settings`.
    #[track_caller]
    pub fn enable<M: ModuleConfig>(self, settings: M) -> Self {
        apply_settings(self.import(M::module()), &settings)
    }

    /// Imports a module that declares its own options and sets its `enable` to false,
    /// so the host can still set its options but the module does nothing.
    #[track_caller]
    pub fn disable<M: ModuleConfig>(self) -> Self {
        self.import(M::module()).set(M::enable_option(), false)
    }

    /// Declares a secret sops-nix decrypts here (`sops.secrets.<name>`); use its path with
    /// `Secret::sops(name)`. The host must import sops-nix's module.
    pub fn sops_secret(mut self, secret: SopsSecret) -> Self {
        self.sops_secrets.push(secret);
        self
    }

    /// Adds a Home Manager user.
    /// Where and how the host is deployed (see [`Flake::deploy_with`](super::Flake::deploy_with)).
    pub fn deploy(mut self, deployment: Deployment) -> Self {
        self.deployment = Some(deployment);
        self
    }

    /// A tag that selects this host among others (`colmena apply --on @web`,
    /// `example-config hosts --tag web`).
    #[track_caller]
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push((tag.into(), Location::caller()));
        self
    }

    /// Declares an agenix secret on the host (`age.secrets.<name>`): its file is copied
    /// into the tree, and the host must import agenix's module.
    pub fn age_secret(mut self, secret: AgeSecret) -> Self {
        self.age_secrets.push(secret);
        self
    }

    /// A Home Manager user on this host, with the configuration it has everywhere.
    pub fn user(mut self, user: User) -> Self {
        self.users.push(user);
        self
    }

    /// A Home Manager user on this host, plus what only this host gives the user (a
    /// laptop's user differs from the desktop's): written to
    /// `hosts/<host>/home-<user>.nix`, imported beside `home/<user>.nix`, and checked
    /// with the user's own definitions for conflicts.
    pub fn user_with(mut self, user: User, additions: HomeAdditions) -> Self {
        self.homes.push((user.name.clone(), additions));
        self.users.push(user);
        self
    }

    pub fn dir_path(&self) -> String {
        format!("hosts/{}", self.name)
    }
}
