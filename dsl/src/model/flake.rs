use super::{Host, Location, Module};

/// The whole configuration: inputs and hosts.
#[derive(Clone, Debug)]
pub struct Flake {
    pub description: String,
    /// `inputs.nixpkgs.url`.
    pub nixpkgs: String,
    /// `inputs.home-manager.url`; its nixpkgs follows the flake's.
    pub home_manager: String,
    pub hosts: Vec<Host>,
    /// The module library: modules registered with `.module(...)`. Hosts import
    /// modules directly; registering them as well lets the checker warn about modules
    /// no host uses.
    pub modules: Vec<Module>,
    /// The NixOS release named in [`Flake::new`], `YY.MM`.
    pub release: String,
    /// `system.stateVersion` and `home.stateVersion` of the templates.
    pub template_state_version: String,
    /// The command that regenerates the tree, named in every file's header.
    pub regenerate_command: Option<String>,
    pub location: Location,
}

impl Flake {
    /// A flake on the given NixOS release, such as `"24.05"`: nixpkgs `nixos-24.05` and
    /// Home Manager `release-24.05`. A release not of the form `YY.MM` is a build error.
    #[track_caller]
    pub fn new(description: impl Into<String>, release: &str) -> Self {
        Self {
            description: description.into(),
            nixpkgs: format!("github:NixOS/nixpkgs/nixos-{release}"),
            home_manager: format!("github:nix-community/home-manager/release-{release}"),
            release: release.to_owned(),
            hosts: Vec::new(),
            modules: Vec::new(),
            template_state_version: release.to_owned(),
            regenerate_command: None,
            location: Location::caller(),
        }
    }

    /// Pins other inputs than the release defaults.
    pub fn inputs(mut self, nixpkgs: impl Into<String>, home_manager: impl Into<String>) -> Self {
        self.nixpkgs = nixpkgs.into();
        self.home_manager = home_manager.into();
        self
    }

    /// Names the command that regenerates the tree (such as
    /// `cargo run -p my-config`) in the header of every generated file.
    pub fn regenerate_with(mut self, command: impl Into<String>) -> Self {
        self.regenerate_command = Some(command.into());
        self
    }

    /// Registers a module in the flake's library (see [`Flake::modules`]).
    pub fn module(mut self, module: Module) -> Self {
        self.modules.push(module);
        self
    }

    pub fn host(mut self, host: Host) -> Self {
        self.hosts.push(host);
        self
    }
}
