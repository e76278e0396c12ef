use std::fmt;

use super::{Configure, Definition, Location};
use crate::module_options::ModuleOptions;

/// Where a shared module lives in the tree: `modules/<category>/<name>.nix`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Core system configuration: boot, network, users.
    System,
    /// Services: SSH, Docker.
    Services,
    /// Desktop environments: KDE.
    Desktop,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::System, Category::Services, Category::Desktop];

    pub fn dir_name(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Services => "services",
            Self::Desktop => "desktop",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.dir_name())
    }
}

/// A shared module: a file under `modules/` that hosts import.
#[derive(Clone, Debug)]
pub struct Module {
    pub name: String,
    pub category: Category,
    /// One paragraph that lands in the file's header.
    pub description: String,
    pub definitions: Vec<Definition>,
    /// Checks silenced here with `.allow(...)`.
    pub allowed: Vec<super::Lint>,
    /// Options the module declares (`#[derive(NixModule)]`); its definitions then sit
    /// under `lib.mkIf cfg.enable`.
    pub options: Option<ModuleOptions>,
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
            definitions: Vec::new(),
            allowed: Vec::new(),
            options,
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

    /// A sentence or two saying what the module is for; written into the file's header.
    pub fn describe(mut self, description: impl Into<String>) -> Self {
        self.description = description.into();
        self
    }

    /// The file's path inside the tree.
    pub fn file_path(&self) -> String {
        format!("modules/{}/{}.nix", self.category, self.name)
    }
}

impl Configure for Module {
    fn definitions_mut(&mut self) -> &mut Vec<Definition> {
        &mut self.definitions
    }

    fn allowed_mut(&mut self) -> &mut Vec<super::Lint> {
        &mut self.allowed
    }
}
