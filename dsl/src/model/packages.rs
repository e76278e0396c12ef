//! The flake's own packages and overlays, and which unfree packages nixpkgs may build.

use super::{Location, NixSource};
use crate::nix::Expr;
use crate::value::{IntoValue, Package, ToNix};

/// The name of the overlay that adds the flake's own packages.
pub const DEFAULT_OVERLAY: &str = "default";

/// A package the configuration builds itself: a hand-kept `callPackage` file
/// (`{ stdenv, ... }: stdenv.mkDerivation { ... }`), parsed at build time, copied to
/// `pkgs/<name>.nix`, exposed as `packages.<system>.<name>` and added to `pkgs` on every
/// host by the flake's overlay (`overlays.default`).
#[derive(Clone, Debug)]
pub struct LocalPackage {
    pub name: String,
    pub source: NixSource,
    pub location: Location,
}

impl LocalPackage {
    /// A package file relative to the configuration crate's directory, like hardware
    /// files.
    #[track_caller]
    pub fn nix_file(name: impl Into<String>, path: impl Into<std::path::PathBuf>) -> Self {
        Self {
            name: name.into(),
            source: NixSource::nix_file(path),
            location: Location::caller(),
        }
    }

    /// A package given as Nix text (for example with `include_str!`).
    #[track_caller]
    pub fn nix_text(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            source: NixSource::nix_text(text),
            location: Location::caller(),
        }
    }

    /// The package, for options that take one: `pkgs.<name>` through the overlay.
    pub fn package(&self) -> Package {
        Package::local(&self.name)
    }

    /// The file's path inside the tree.
    pub fn file_path(&self) -> String {
        format!("pkgs/{}.nix", self.name)
    }
}

/// An overlay: `overlays.<name>` of the flake, applied on every host.
#[derive(Clone, Debug)]
pub struct Overlay {
    pub name: String,
    /// Packages it adds or replaces, each `name = <value>;` in `final: prev: { ... }`.
    pub entries: Vec<OverlayEntry>,
    /// A hand-kept overlay file (`final: prev: { ... }`), copied to
    /// `overlays/<name>.nix`; such an overlay takes no entries.
    pub file: Option<NixSource>,
    pub location: Location,
}

/// One package an overlay defines.
#[derive(Clone, Debug)]
pub struct OverlayEntry {
    pub name: String,
    pub value: Result<Expr, crate::nix::ValueError>,
    /// A package of the flake's own the value names, which the flake must have.
    pub local: Option<String>,
    pub location: Location,
}

impl Overlay {
    /// An overlay whose packages are stated in Rust with [`Overlay::replace`] and
    /// [`Overlay::override_args`].
    #[track_caller]
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            entries: Vec::new(),
            file: None,
            location: Location::caller(),
        }
    }

    /// A hand-kept overlay file, for what Rust cannot state; parsed at build time.
    #[track_caller]
    pub fn nix_file(name: impl Into<String>, path: impl Into<std::path::PathBuf>) -> Self {
        Self {
            file: Some(NixSource::nix_file(path)),
            ..Self::new(name)
        }
    }

    /// `name = final.<package>;`: `name` becomes another package of the set, as in
    /// `.replace("firefox", Package::new("firefox-esr"))`.
    #[track_caller]
    pub fn replace(mut self, name: impl Into<String>, package: Package) -> Self {
        // `to_nix` checks the attribute path; the overlay names it in `final`.
        let value = package
            .to_nix()
            .and_then(|_| Expr::select(&format!("final.{}", package.attr_path())));
        let local = package.is_local().then(|| package.attr_path().to_owned());
        self.entries.push(OverlayEntry {
            name: name.into(),
            value,
            local,
            location: Location::caller(),
        });
        self
    }

    /// `name = prev.name.override { arg = value; ... };`: the package built with other
    /// arguments, as in `.override_args("mpv", [("youtubeSupport", true)])`.
    #[track_caller]
    pub fn override_args<K: Into<String>, V: IntoValue<crate::value::Untyped>>(
        mut self,
        name: impl Into<String>,
        args: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let name = name.into();
        let mut attrs = crate::nix::Attrs::new();
        let mut failed = None;
        for (key, value) in args {
            match value.into_nix() {
                Ok(expr) => {
                    attrs.insert(key.into(), expr);
                }
                Err(error) => failed = Some(error),
            }
        }
        let value = match failed {
            Some(error) => Err(error),
            None => Expr::select(&format!("prev.{name}.override"))
                .map(|function| Expr::apply(function, [Expr::Attrs(attrs)])),
        };
        self.entries.push(OverlayEntry {
            name,
            value,
            local: None,
            location: Location::caller(),
        });
        self
    }

    /// The file's path inside the tree, for a hand-kept overlay.
    pub fn file_path(&self) -> String {
        format!("overlays/{}.nix", self.name)
    }
}

/// Which unfree packages nixpkgs may build on every host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unfree {
    /// `nixpkgs.config.allowUnfree = true`.
    All,
    /// `nixpkgs.config.allowUnfreePredicate`, allowing these package names only
    /// (`lib.getName`: `steam`, `nvidia-x11`, ...).
    Only(Vec<String>),
}

impl Unfree {
    /// Only the packages named.
    pub fn only<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Self {
        Self::Only(names.into_iter().map(Into::into).collect())
    }
}
