use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use super::declared::ModuleOptions;
use super::{Definition, Location, NixSource};

/// Where a shared module lives in the tree: `modules/<category>/<name>.nix` for NixOS
/// modules, `home/modules/<name>.nix` for Home Manager modules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Core system configuration: boot, network, users.
    System,
    /// Services: SSH, Docker.
    Services,
    /// Desktop environments: KDE.
    Desktop,
    /// A Home Manager module: users import it ([`User::import`](super::User::import)),
    /// or every user gets it ([`Flake::home_module`](super::Flake::home_module)); hosts
    /// cannot.
    Home,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::System,
        Category::Services,
        Category::Desktop,
        Category::Home,
    ];

    pub fn dir_name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Services => "services",
            Self::Desktop => "desktop",
            Self::Home => "home",
        }
    }

    /// Whether modules of this category are Home Manager modules (else NixOS modules).
    pub fn is_home(self) -> bool {
        self == Self::Home
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.dir_name())
    }
}

/// A shared module: a file under `modules/` that hosts import.
///
/// A module's identity is its file, `modules/<category>/<name>.nix`: every host that
/// imports a module of that name gets that one file. Cloning is cheap (the definitions
/// are shared), so a fleet holds each module once however many hosts import it.
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub category: Category,
    /// One paragraph that lands in the file's header.
    pub description: String,
    pub definitions: Arc<Vec<Definition>>,
    /// Checks silenced here with `.allow(...)`.
    pub allowed: Vec<super::Lint>,
    /// Options the module declares (`#[derive(NixModule)]`); its definitions then sit
    /// under `lib.mkIf cfg.enable`.
    pub options: Option<Arc<ModuleOptions>>,
    /// A hand-kept Nix module ([`Module::nix_file`]): parsed at build time and copied.
    pub source: Option<NixSource>,
    /// A module another flake provides ([`Module::from_input`]): imported, not written.
    pub external: Option<External>,
    /// Modules this one imports, in import order ([`Module::import`]).
    pub imports: Vec<Module>,
    /// Modules imported right after this one wherever it is imported
    /// ([`Module::beside`]).
    pub beside: Vec<Module>,
    pub location: Location,
}

impl Module {
    /// A module `modules/<category>/<name>.nix`.
    #[track_caller]
    pub fn new(category: Category, name: impl Into<String>) -> Self {
        Self::at(category, name.into(), None, Location::caller())
    }

    fn at(
        category: Category,
        name: String,
        options: Option<ModuleOptions>,
        location: Location,
    ) -> Self {
        Self {
            name,
            category,
            description: String::new(),
            definitions: Arc::new(Vec::new()),
            allowed: Vec::new(),
            options: options.map(Arc::new),
            source: None,
            external: None,
            imports: Vec::new(),
            beside: Vec::new(),
            location,
        }
    }

    /// A module that declares `options`, defined at `location` (the derive uses the
    /// struct's own location).
    pub fn with_options(
        category: Category,
        name: impl Into<String>,
        options: ModuleOptions,
        location: Location,
    ) -> Self {
        Self::at(category, name.into(), Some(options), location)
    }

    /// A hand-kept NixOS module file (relative to the configuration crate, like hardware
    /// files), imported like any other module: parsed at build time, copied to
    /// `modules/<category>/<name>.nix`. This is the typed way to import Nix that the
    /// bindings cannot express; the checker does not see inside it.
    #[track_caller]
    pub fn nix_file(category: Category, name: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        Self::hand_kept(category, name.into(), NixSource::nix_file(path))
    }

    /// A module another flake provides, such as sops-nix's
    /// `Module::from_input("sops-nix", "nixosModules.sops")`: hosts that import it get
    /// `inputs.sops-nix.nixosModules.sops` in their `imports`. The input must be declared
    /// with [`Flake::input`](super::Flake::input), except `self`: the flake's own outputs,
    /// where [`Flake::extra_outputs`](super::Flake::extra_outputs) gives modules
    /// (`Module::from_input("self", "nixosModules.ssh")`). An attribute under
    /// `homeManagerModules`, `homeModules` or `hmModules` is a Home Manager module, which users import
    /// instead ([`Category::Home`]).
    #[track_caller]
    pub fn from_input(input: impl Into<String>, attribute: &str) -> Self {
        let input = input.into();
        let location = Location::caller();
        let first = attribute.split('.').next().unwrap_or_default();
        let category = if matches!(first, "homeManagerModules" | "homeModules" | "hmModules") {
            Category::Home
        } else {
            Category::System
        };
        let mut module = Self::at(category, format!("{input}.{attribute}"), None, location);
        module.external = Some(External {
            input,
            attribute: attribute.split('.').map(str::to_owned).collect(),
        });
        module
    }

    /// A hand-kept NixOS module given as text (for example with `include_str!`).
    #[track_caller]
    pub fn nix_text(category: Category, name: impl Into<String>, text: impl Into<String>) -> Self {
        Self::hand_kept(category, name.into(), NixSource::nix_text(text))
    }

    fn hand_kept(category: Category, name: String, source: NixSource) -> Self {
        let mut module = Self::at(category, name, None, source.location());
        module.source = Some(source);
        module
    }

    /// Whether `other` writes the same file as this one: same name, category,
    /// description, declarations, hand-kept source and definitions (where in the Rust
    /// each definition was made does not matter; what it defines does).
    pub fn same_content(&self, other: &Module) -> bool {
        self.name == other.name
            && self.category == other.category
            && self.description == other.description
            && self.allowed == other.allowed
            && self.options == other.options
            && self.source.as_ref().map(NixSource::content)
                == other.source.as_ref().map(NixSource::content)
            && self.external == other.external
            && same_modules(&self.imports, &other.imports)
            && same_modules(&self.beside, &other.beside)
            && super::definition::same_definitions(&self.definitions, &other.definitions)
    }

    /// Imports another module wherever this one is imported: a module of your own (of
    /// the same side, NixOS or Home Manager) or another flake's, as in a shared
    /// `secrets` module that brings `Module::from_input("sops-nix", "nixosModules.sops")`
    /// with it. Written to this module's `imports`; the checker sees the imported
    /// module's definitions wherever this one is in effect.
    pub fn import(mut self, module: Module) -> Self {
        self.imports.push(module);
        self
    }

    /// Imports `module` right after this one, wherever this one is imported: the two
    /// stand side by side in the importer's `imports`, where [`Module::import`] would
    /// put `module` one level down, in this module's own `imports`. The module system
    /// takes modules level by level and joins the definitions of a list in that order,
    /// so a part of a module kept in another file (a hand-kept file holding what the
    /// bindings cannot type) gives its list items where the module itself would.
    /// `flakesmith import` writes this for the part of a file it keeps as written.
    pub fn beside(mut self, module: Module) -> Self {
        self.beside.push(module);
        self
    }

    /// This module, then those beside it (and beside them), in the order imported.
    pub fn with_beside(&self) -> Vec<&Module> {
        let mut all = vec![self];
        for module in &self.beside {
            all.extend(module.with_beside());
        }
        all
    }

    /// A sentence or two saying what the module is for; written into the file's header.
    pub fn describe(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// The file's path inside the tree (for a module of another flake, which is not
    /// written, the place it is imported from).
    pub fn file_path(&self) -> String {
        match &self.external {
            Some(external) => format!("inputs.{}.{}", external.input, external.attribute.join(".")),
            None if self.category.is_home() => format!("home/modules/{}.nix", self.name),
            None => format!("modules/{}/{}.nix", self.category, self.name),
        }
    }
}

/// Two lists of modules that write the same files, in the same order.
pub(crate) fn same_modules(a: &[Module], b: &[Module]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.same_content(b))
}

/// Where a module of another flake is: `inputs.<input>.<attribute path>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct External {
    pub input: String,
    pub attribute: Vec<String>,
}
