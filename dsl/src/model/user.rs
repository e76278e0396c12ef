use std::sync::Arc;

use super::{Definition, Location, Module};

/// A Home Manager user: `home/<name>.nix`, wired into each host that lists the user.
///
/// The system account (`users.users.<name>`) is defined separately, usually in a shared
/// `users` module; the checker makes sure every host that carries a Home Manager user
/// also has that user's system account.
///
/// A user's identity is its name: one user is one file. Cloning is cheap (the
/// definitions are shared).
#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    /// `home.stateVersion`.
    pub state_version: String,
    pub definitions: Arc<Vec<Definition>>,
    /// Home Manager modules the user imports, in import order.
    pub imports: Vec<Module>,
    /// Checks silenced here with `.allow(...)`.
    pub allowed: Vec<super::Lint>,
    pub location: Location,
}

impl User {
    /// A Home Manager user whose `home.stateVersion` is `state_version` (for example
    /// `"24.05"`: the release whose defaults the user's configuration started from).
    #[track_caller]
    pub fn new(name: impl Into<String>, state_version: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            state_version: state_version.into(),
            definitions: Arc::new(Vec::new()),
            imports: Vec::new(),
            allowed: Vec::new(),
            location: Location::caller(),
        }
    }

    /// Imports a Home Manager module: one of [`Category::Home`](super::Category::Home)
    /// (written to `home/modules/<name>.nix`, shared by every user that imports it) or
    /// another flake's (`Module::from_input("sops-nix", "homeManagerModules.sops")`).
    pub fn import(mut self, module: Module) -> Self {
        self.imports.push(module);
        self
    }

    /// Whether `other` writes the same file as this one (definition locations aside).
    pub fn same_content(&self, other: &User) -> bool {
        self.name == other.name
            && self.state_version == other.state_version
            && self.allowed == other.allowed
            && super::module::same_modules(&self.imports, &other.imports)
            && super::definition::same_definitions(&self.definitions, &other.definitions)
    }

    pub fn file_path(&self) -> String {
        format!("home/{}.nix", self.name)
    }

    /// `home.homeDirectory` as NixOS sets it for a normal user.
    pub fn home_directory(&self) -> String {
        format!("/home/{}", self.name)
    }
}

/// What one host adds to a Home Manager user ([`Host::user_with`](super::Host::user_with)):
/// definitions and Home Manager modules that apply to the user on that host only.
#[derive(Clone, Debug)]
pub struct HomeAdditions {
    pub definitions: Vec<Definition>,
    /// Home Manager modules imported for the user on this host only.
    pub imports: Vec<Module>,
    /// Checks silenced here with `.allow(...)`.
    pub allowed: Vec<super::Lint>,
    pub location: Location,
}

impl HomeAdditions {
    #[track_caller]
    pub fn new() -> Self {
        Self {
            definitions: Vec::new(),
            imports: Vec::new(),
            allowed: Vec::new(),
            location: Location::caller(),
        }
    }

    /// Imports a Home Manager module for the user on this host only.
    pub fn import(mut self, module: Module) -> Self {
        self.imports.push(module);
        self
    }
}

impl Default for HomeAdditions {
    #[track_caller]
    fn default() -> Self {
        Self::new()
    }
}
