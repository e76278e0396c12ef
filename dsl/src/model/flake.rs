use super::{Engine, Host, Input, LocalPackage, Location, Module, Overlay, Unfree};

/// How generated files carry the Rust location of each definition into the messages of
/// the NixOS module system (conflicts, wrong types, `options.<x>.files`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceLocations {
    /// Every definition is a `lib.mkDefinition { file = "<rust file:line:col>"; ... }`
    /// (nixpkgs 25.05 and later): messages name the Rust line of each definition.
    Definitions,
    /// Each file is a module with `_file = "<rust file:line:col>"` of the entity that
    /// wrote it (every nixpkgs): messages name the host, module or user.
    Files,
}

/// The whole configuration: inputs and hosts.
#[derive(Clone, Debug)]
pub struct Flake {
    pub description: String,
    /// `inputs.nixpkgs.url`.
    pub nixpkgs: String,
    /// `inputs.home-manager.url` when pinned ([`Flake::home_manager`]); its nixpkgs
    /// follows the flake's. Unpinned, the release's branch is written, and only where
    /// the flake uses Home Manager ([`Flake::home_manager_url`]).
    pub home_manager: Option<String>,
    pub hosts: Vec<Host>,
    /// Other flakes, beside nixpkgs and Home Manager.
    pub inputs: Vec<Input>,
    /// The module library: modules registered with `.module(...)`. Hosts import
    /// modules directly; registering them as well lets the checker warn about modules
    /// no host uses.
    pub modules: Vec<Module>,
    /// Home Manager modules every user on every host gets (`home-manager.sharedModules`).
    pub home_modules: Vec<Module>,
    /// The NixOS release named in [`Flake::new`], `YY.MM`.
    pub release: String,
    /// `system.stateVersion` and `home.stateVersion` of the templates.
    pub template_state_version: String,
    /// The command that regenerates the tree, named in every file's header.
    pub regenerate_command: Option<String>,
    /// How Nix's messages learn the Rust locations; `None` decides by the release
    /// ([`Flake::effective_source_locations`]).
    pub source_locations: Option<SourceLocations>,
    /// The deployment engines whose outputs are written, with where each was named.
    pub engines: Vec<(Engine, Location)>,
    /// The package `nix fmt` runs (`formatter.<system>`), if any.
    pub formatter: Option<crate::value::Package>,
    /// The flake's own packages (`pkgs/<name>.nix`).
    pub packages: Vec<LocalPackage>,
    /// Overlays besides the one adding [`Flake::packages`].
    pub overlays: Vec<Overlay>,
    /// Which unfree packages nixpkgs may build, with where that was said.
    pub unfree: Option<(Unfree, Location)>,
    /// Arguments every module of every host gets ([`Flake::special_arg`]).
    pub special_args: Vec<super::SpecialArg>,
    /// Outputs flakesmith does not write, kept by hand ([`Flake::extra_outputs`]).
    pub extra_outputs: Option<super::NixSource>,
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
            home_manager: None,
            release: release.to_owned(),
            hosts: Vec::new(),
            inputs: Vec::new(),
            modules: Vec::new(),
            home_modules: Vec::new(),
            template_state_version: release.to_owned(),
            regenerate_command: None,
            source_locations: None,
            engines: Vec::new(),
            formatter: None,
            packages: Vec::new(),
            overlays: Vec::new(),
            unfree: None,
            special_args: Vec::new(),
            extra_outputs: None,
            location: Location::caller(),
        }
    }

    /// An argument every module of every host receives (`{ username, ... }:`), written
    /// into `specialArgs` and Home Manager's `extraSpecialArgs` beside `inputs`: for
    /// hand-kept modules that take it. A host's [`Host::special_arg`](super::Host::special_arg)
    /// of the same name replaces it there. The name must be a Nix identifier other than
    /// the module system's own arguments; a bad one is a build error here.
    #[track_caller]
    pub fn special_arg(
        mut self,
        name: impl Into<String>,
        value: impl crate::value::IntoValue<crate::value::Untyped>,
    ) -> Self {
        self.special_args.push(super::SpecialArg::new(name, value));
        self
    }

    /// Pins other inputs than the release defaults: [`Flake::nixpkgs`] and
    /// [`Flake::home_manager`] at once.
    pub fn inputs(self, nixpkgs: impl Into<String>, home_manager: impl Into<String>) -> Self {
        self.nixpkgs(nixpkgs).home_manager(home_manager)
    }

    /// Pins nixpkgs (`inputs.nixpkgs.url`) other than the release's `nixos-YY.MM`.
    pub fn nixpkgs(mut self, url: impl Into<String>) -> Self {
        self.nixpkgs = url.into();
        self
    }

    /// Pins Home Manager (`inputs.home-manager.url`, following the flake's nixpkgs).
    /// A pinned Home Manager is always an input of the flake, for hand-kept Nix that
    /// reads `inputs.home-manager`; an unpinned one is written only where a host has
    /// users or a module, input or follows names it.
    pub fn home_manager(mut self, url: impl Into<String>) -> Self {
        self.home_manager = Some(url.into());
        self
    }

    /// The Home Manager flake reference written: the pinned one, or the release's branch.
    pub fn home_manager_url(&self) -> String {
        self.home_manager.clone().unwrap_or_else(|| {
            format!("github:nix-community/home-manager/release-{}", self.release)
        })
    }

    /// Names the command that regenerates the tree (such as
    /// `cargo run -p my-config`) in the header of every generated file.
    pub fn regenerate_with(mut self, command: impl Into<String>) -> Self {
        self.regenerate_command = Some(command.into());
        self
    }

    /// Chooses how Nix's messages learn the Rust locations, for a flake whose pinned
    /// nixpkgs differs from its release (`Definitions` needs nixpkgs 25.05 or later).
    pub fn source_locations(mut self, style: SourceLocations) -> Self {
        self.source_locations = Some(style);
        self
    }

    /// The style in use: the chosen one, else `Definitions` from release 25.05 on (the
    /// first with `lib.mkDefinition`) and `Files` before.
    pub fn effective_source_locations(&self) -> SourceLocations {
        let release = self
            .release
            .split_once('.')
            .and_then(|(yy, mm)| Some((yy.parse::<u32>().ok()?, mm.parse::<u32>().ok()?)));
        self.source_locations.unwrap_or(match release {
            Some(version) if version >= (25, 5) => SourceLocations::Definitions,
            _ => SourceLocations::Files,
        })
    }

    /// Registers a module in the flake's library (see [`Flake::modules`]).
    pub fn module(mut self, module: Module) -> Self {
        self.modules.push(module);
        self
    }

    /// A Home Manager module every user on every host gets, through
    /// `home-manager.sharedModules`: one of [`Category::Home`](super::Category::Home)
    /// (written to `home/modules/<name>.nix`) or another flake's
    /// (`Module::from_input("nix-index-database", "hmModules.nix-index")`). Its
    /// definitions are checked with each user's for conflicts.
    pub fn home_module(mut self, module: Module) -> Self {
        self.home_modules.push(module);
        self
    }

    /// Writes the outputs of a deployment engine for every host with a
    /// [`Deployment`](super::Deployment): colmena's `colmenaHive`, deploy-rs's `deploy`
    /// and `checks`. The engine's input is added unless the flake declares one of that
    /// name.
    #[track_caller]
    pub fn deploy_with(mut self, engine: Engine) -> Self {
        self.engines.push((engine, Location::caller()));
        self
    }

    /// The formatter `nix fmt` runs on the tree: `formatter.<system>` for every system
    /// of the fleet, from nixpkgs. `Package::new("alejandra")` leaves every generated
    /// file as it is (they are alejandra's fixed points); hand-kept files copied into the
    /// tree are formatted too, so keep their sources formatted the same way.
    pub fn formatter(mut self, package: crate::value::Package) -> Self {
        self.formatter = Some(package);
        self
    }

    /// Outputs flakesmith does not write itself (`darwinConfigurations`, `devShells`,
    /// `nixosModules`, overlays of your own shape), as hand-kept Nix: a function of the
    /// flake's inputs returning them, such as
    /// `inputs: { devShells.x86_64-linux.default = ...; }`. Written to `outputs.nix`
    /// and joined with the generated outputs (`(import ./outputs.nix inputs) // { ... }`);
    /// a name flakesmith writes itself is a build error, so nothing is replaced.
    pub fn extra_outputs(mut self, source: super::NixSource) -> Self {
        self.extra_outputs = Some(source);
        self
    }

    /// A package of the flake's own: `pkgs/<name>.nix`, `packages.<system>.<name>` for
    /// every system of the fleet, and `pkgs.<name>` on every host through the flake's
    /// `overlays.default`. Options name it with [`LocalPackage::package`].
    pub fn package(mut self, package: LocalPackage) -> Self {
        self.packages.push(package);
        self
    }

    /// An overlay, written as `overlays.<name>` and applied on every host (after
    /// `overlays.default`, in the order given).
    pub fn overlay(mut self, overlay: Overlay) -> Self {
        self.overlays.push(overlay);
        self
    }

    /// Which unfree packages nixpkgs may build on every host:
    /// `Unfree::only(["steam"])` (`allowUnfreePredicate`) or `Unfree::All`.
    #[track_caller]
    pub fn allow_unfree(mut self, unfree: Unfree) -> Self {
        self.unfree = Some((unfree, Location::caller()));
        self
    }

    /// The overlays the flake writes, in the order every host applies them: `default`
    /// (its own packages) first when it has packages, then [`Flake::overlays`].
    pub fn overlay_names(&self) -> Vec<&str> {
        let own = (!self.packages.is_empty()).then_some(super::DEFAULT_OVERLAY);
        own.into_iter()
            .chain(self.overlays.iter().map(|o| o.name.as_str()))
            .collect()
    }

    /// Adds another flake to `inputs`; hosts import its modules with
    /// [`Module::from_input`].
    pub fn input(mut self, input: Input) -> Self {
        self.inputs.push(input);
        self
    }

    /// Adds a host (where it is added is kept, for a host added twice).
    #[track_caller]
    pub fn host(mut self, mut host: Host) -> Self {
        host.added_at = Some(Location::caller());
        self.hosts.push(host);
        self
    }
}
