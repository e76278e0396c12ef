//! The resolved plan: what the checker settled, and all the emitter reads.
//!
//! The checker works out the shape of the flake once (modules and users unique by
//! name, each host's imports and Home Manager users, hand-kept texts, the definitions
//! flakesmith adds itself) and checks exactly that. The emitter writes exactly that,
//! without re-deriving any of it, so what was checked is what lands on disk.

use crate::model::{Definition, Flake, HomeAdditions, Host, LocalPackage, Module, Overlay, User};

/// A flake the checker accepted, resolved for the emitter.
#[derive(Debug)]
pub struct Plan<'a> {
    pub flake: &'a Flake,
    /// Every module file of the tree, once, in first-import order (then modules only
    /// registered with the flake).
    pub modules: Vec<PlannedModule<'a>>,
    /// Every Home Manager user file of the tree, once, in first-use order.
    pub users: Vec<PlannedUser<'a>>,
    pub hosts: Vec<PlannedHost<'a>>,
    /// The Home Manager modules every user gets (`home-manager.sharedModules`): indices
    /// into [`Plan::modules`].
    pub shared_home: Vec<usize>,
    /// The flake's own packages, with their files read and parsed.
    pub packages: Vec<PlannedPackage<'a>>,
    /// The flake's overlays besides `default`, with hand-kept files read and parsed.
    pub overlays: Vec<PlannedOverlay<'a>>,
    /// Encrypted sops files the hosts' secrets name, copied into `secrets/` as they are.
    pub secret_files: Vec<SecretFile>,
    /// What hand-kept files name by relative path, copied into `files/` under their
    /// path in the configuration crate (the hand-kept files' paths are rewritten to
    /// point there).
    pub carried: Vec<CarriedFile>,
    /// The text of [`Flake::extra_outputs`], read and parsed.
    pub extra_outputs: Option<String>,
}

/// Where in a host's directory the tree writes its own package set
/// ([`Host::package_set`](crate::model::Host::package_set)).
pub const PACKAGE_SET_FILE: &str = "package-set.nix";

/// Where the tree writes [`Flake::extra_outputs`].
pub const EXTRA_OUTPUTS_FILE: &str = "outputs.nix";

/// A file a hand-kept file names, copied into the tree as it is.
#[derive(Debug)]
pub struct CarriedFile {
    /// `files/<path in the configuration crate>`.
    pub tree_path: String,
    pub bytes: Vec<u8>,
}

/// A sops file copied into the tree: where it lands, its text, and where it came from.
#[derive(Debug)]
pub struct SecretFile {
    pub tree_path: String,
    pub text: String,
    pub source: std::path::PathBuf,
}

/// A package of the flake's own: `pkgs/<name>.nix`.
#[derive(Debug)]
pub struct PlannedPackage<'a> {
    pub package: &'a LocalPackage,
    pub text: String,
}

/// An overlay, with the text of its hand-kept file, if it is one.
#[derive(Debug)]
pub struct PlannedOverlay<'a> {
    pub overlay: &'a Overlay,
    pub text: Option<String>,
}

/// One module file.
#[derive(Debug)]
pub struct PlannedModule<'a> {
    pub module: &'a Module,
    /// The text of a hand-kept module ([`Module::nix_file`]), read and parsed.
    pub source_text: Option<String>,
    /// The modules it imports itself, in import order: indices into [`Plan::modules`].
    pub imports: Vec<usize>,
    /// Another module with this name and different content was rejected
    /// (`duplicate-module`): a host importing this one may lack what that one defines,
    /// so checks that would only repeat the mistake skip such hosts.
    pub clashed: bool,
}

/// One Home Manager user file.
#[derive(Debug)]
pub struct PlannedUser<'a> {
    pub user: &'a User,
    /// The Home Manager modules it imports, each once, in import order: indices into
    /// [`Plan::modules`].
    pub imports: Vec<usize>,
    /// Definitions flakesmith makes on the user's behalf (`home.username` and
    /// `home.homeDirectory` unless the user sets them, `home.stateVersion`), written
    /// before the user's own and checked with them.
    pub generated: Vec<Definition>,
}

/// One host as it is written and evaluated.
#[derive(Debug)]
pub struct PlannedHost<'a> {
    pub host: &'a Host,
    /// The modules it imports, each once, in import order: indices into
    /// [`Plan::modules`].
    pub imports: Vec<usize>,
    /// Its Home Manager users: indices into [`Plan::users`].
    pub users: Vec<usize>,
    /// What the host adds to some of its users.
    pub homes: Vec<PlannedHome<'a>>,
    /// `hardware-configuration.nix`, read and parsed.
    pub hardware: String,
    /// `disko.nix`, read and parsed, when the host has one.
    pub disko: Option<String>,
    /// How many of `imports` come ahead of the host's own definitions
    /// ([`Host::own_definitions_here`](crate::model::Host::own_definitions_here)); `None`:
    /// the definitions are the root module's.
    pub definitions_after: Option<usize>,
    /// Imports further down than the host file's own `imports`
    /// ([`Host::import_nested`](crate::model::Host::import_nested)): the module's index
    /// into [`Plan::modules`], and how many levels.
    pub nested: std::collections::BTreeMap<usize, usize>,
    /// `package-set.nix` ([`Host::package_set`](crate::model::Host::package_set)), read,
    /// parsed and checked, when the host has one.
    pub package_set: Option<String>,
    /// Definitions flakesmith makes on the host's behalf (`system.stateVersion` from
    /// `Host::new`, `networking.hostName` from the host's name), written after the
    /// host's own and checked with them.
    pub generated: Vec<Definition>,
}

/// What one host adds to one of its Home Manager users: a file of its own,
/// `hosts/<host>/home-<user>.nix`.
#[derive(Debug)]
pub struct PlannedHome<'a> {
    /// Index into [`Plan::users`].
    pub user: usize,
    pub additions: &'a HomeAdditions,
    /// The Home Manager modules it imports: indices into [`Plan::modules`].
    pub imports: Vec<usize>,
    /// Its path in the tree.
    pub file_path: String,
}

impl<'a> Plan<'a> {
    /// The modules a host imports itself, in import order.
    pub fn imports_of<'p>(
        &'p self,
        host: &'p PlannedHost<'a>,
    ) -> impl Iterator<Item = &'p PlannedModule<'a>> + 'p {
        host.imports.iter().map(|&i| &self.modules[i])
    }

    /// The modules `direct` names and every module they import, transitively, each once:
    /// what is in effect where `direct` is imported. Each module comes before the
    /// modules it imports.
    pub fn with_imports(&self, direct: &[usize]) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = direct.iter().rev().copied().collect();
        while let Some(index) = stack.pop() {
            if out.contains(&index) {
                continue;
            }
            out.push(index);
            stack.extend(self.modules[index].imports.iter().rev());
        }
        out
    }

    /// The modules in effect on a host: its imports and theirs.
    pub fn modules_of<'p>(
        &'p self,
        host: &'p PlannedHost<'a>,
    ) -> impl Iterator<Item = &'p PlannedModule<'a>> + 'p {
        self.with_imports(&host.imports)
            .into_iter()
            .map(|i| &self.modules[i])
    }

    /// The definitions written into the file at `path` of the tree (a module's, a
    /// host's or a user's), for pointing from a problem in the file back to the Rust.
    pub fn definitions_in(&self, path: &str) -> Vec<&'a Definition> {
        let modules = self
            .modules
            .iter()
            .filter(|m| m.module.file_path() == path)
            .flat_map(|m| m.module.definitions.iter());
        let hosts = self
            .hosts
            .iter()
            .filter(|h| format!("{}/default.nix", h.host.dir_path()) == path)
            .flat_map(|h| h.host.definitions.iter());
        let users = self
            .users
            .iter()
            .filter(|u| u.user.file_path() == path)
            .flat_map(|u| u.user.definitions.iter());
        let homes = self
            .hosts
            .iter()
            .flat_map(|h| &h.homes)
            .filter(|home| home.file_path == path)
            .flat_map(|home| home.additions.definitions.iter());
        modules.chain(hosts).chain(users).chain(homes).collect()
    }

    /// What `host` adds to the user `user` (an index into [`Plan::users`]), if anything.
    pub fn home_on<'p>(
        &'p self,
        host: &'p PlannedHost<'a>,
        user: usize,
    ) -> Option<&'p PlannedHome<'a>> {
        host.homes.iter().find(|home| home.user == user)
    }

    /// Whether `flake.nix` has a `home-manager` input: where it is pinned, or where
    /// something uses it (a host's users, a module from it, an input following it). A
    /// flake without Home Manager does not lock it, and its `inputs` do not list it.
    pub fn writes_home_manager(&self) -> bool {
        self.flake.home_manager.is_some()
            || self.hosts.iter().any(|host| !host.users.is_empty())
            || self.modules.iter().any(|planned| {
                matches!(&planned.module.external, Some(external) if external.input == "home-manager")
            })
            || self.flake.inputs.iter().any(|input| {
                input.follows.iter().any(|(_, ours)| ours == "home-manager")
            })
    }

    /// The Home Manager users of a host.
    pub fn users_of<'p>(
        &'p self,
        host: &'p PlannedHost<'a>,
    ) -> impl Iterator<Item = &'p PlannedUser<'a>> + 'p {
        host.users.iter().map(|&i| &self.users[i])
    }
}
