//! Typed option handles.
//!
//! An [`Opt<T>`] names one NixOS or Home Manager option and fixes, through `T`, the Rust
//! type of the values it accepts. `host.set(networking::host_name, 42)` does not compile
//! because `42` is not `Into<String>`.

use crate::nix::{Expr, ValueError};
use crate::value::{Concatenated, IntoValue, NullOr, RuntimePath};
use std::fmt;
use std::marker::PhantomData;

/// The attribute path of an option, such as `services.openssh.enable`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OptionPath {
    /// A path known at compile time, for options outside submodule collections.
    Static(&'static [&'static str]),
    /// A path built at run time, for options under `<name>` such as `users.users.alice.*`.
    Owned(Vec<String>),
}

impl OptionPath {
    pub fn segments(&self) -> Vec<String> {
        match self {
            Self::Static(s) => s.iter().map(|s| (*s).to_owned()).collect(),
            Self::Owned(v) => v.clone(),
        }
    }

    /// This path followed by more segments.
    pub fn join<I: IntoIterator<Item = S>, S: Into<String>>(&self, more: I) -> Self {
        let mut segments = self.segments();
        segments.extend(more.into_iter().map(Into::into));
        Self::Owned(segments)
    }
}

impl fmt::Display for OptionPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let segments = self.segments();
        let quoted: Vec<String> = segments
            .iter()
            .map(|s| crate::nix::quote_attr_name(s))
            .collect();
        f.write_str(&quoted.join("."))
    }
}

impl fmt::Debug for OptionPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{self}`")
    }
}

/// A typed handle on one option whose values are `T`.
pub struct Opt<T> {
    path: OptionPath,
    /// For `string matching the pattern P` types: P, a POSIX extended regular expression
    /// every string of a value must match whole (checked at build time).
    pattern: Option<&'static str>,
    /// How many submodules the option lies in (see [`Opt::in_submodules`]).
    submodules: u8,
    _value: PhantomData<fn() -> T>,
}

impl<T> Opt<T> {
    /// A handle on a fixed path. Bindings declare options as `const` items with this.
    pub const fn new(path: &'static [&'static str]) -> Self {
        Self {
            path: OptionPath::Static(path),
            pattern: None,
            submodules: 0,
            _value: PhantomData,
        }
    }

    /// A handle on a fixed path whose strings must match `pattern` (the option's type is
    /// `string matching the pattern ...`, or a list or `null or` of it).
    pub const fn new_matching(path: &'static [&'static str], pattern: &'static str) -> Self {
        Self {
            path: OptionPath::Static(path),
            pattern: Some(pattern),
            submodules: 0,
            _value: PhantomData,
        }
    }

    /// A handle on a path built at run time (entries of `attrsOf submodule` options).
    pub fn at(path: OptionPath) -> Self {
        Self {
            path,
            pattern: None,
            submodules: 0,
            _value: PhantomData,
        }
    }

    /// This handle, with strings that must match `pattern`.
    pub fn matching(mut self, pattern: &'static str) -> Self {
        self.pattern = Some(pattern);
        self
    }

    /// This handle, for an option that lies in `submodules` submodules: an entry of an
    /// `attribute set of (submodule)` (`users.users.<name>.extraGroups` lies in one), or
    /// the value of a `submodule` option (`nix.settings.substituters`). The module system
    /// evaluates each submodule's definitions as modules of their own, in the reverse of
    /// the order it found them, so lists defined in several modules concatenate the other
    /// way round there. Bindings say it for every such option; the checker's prediction
    /// of a list's value follows it.
    pub const fn in_submodules(mut self, submodules: u8) -> Self {
        self.submodules = submodules;
        self
    }

    pub fn path(&self) -> &OptionPath {
        &self.path
    }

    /// How many submodules the option lies in.
    pub fn submodules(&self) -> u8 {
        self.submodules
    }

    /// The pattern the option's strings must match, if its type has one.
    pub fn pattern(&self) -> Option<&'static str> {
        self.pattern
    }

    /// The option's value in the configuration the definition is part of: `config.<path>`
    /// in Nix. It sets any option of the same type (a `string` option's value also sets
    /// one that holds a path on the machine, and a `lines` one), so a reference that no
    /// longer fits fails
    /// at `cargo build`. A NixOS option's value is read in a host or NixOS module, a Home
    /// Manager option's in a user: `config` is the configuration where it is written.
    ///
    /// ```
    /// use flakesmith::prelude::*;
    /// let user: Opt<String> = Opt::new(&["services", "sonarr", "user"]);
    /// let owner: Opt<String> = Opt::new(&["sops", "secrets", "api-key", "owner"]);
    /// let module = Module::new(Category::Services, "sonarr-key").set(owner, user.value());
    /// # let _ = module;
    /// ```
    pub fn value(&self) -> ConfigValue<T> {
        ConfigValue {
            path: self.path.segments(),
            _value: PhantomData,
        }
    }
}

/// The value an option has in the configuration (`config.services.sonarr.user`), as a
/// value of another option: see [`Opt::value`].
pub struct ConfigValue<T> {
    path: Vec<String>,
    _value: PhantomData<fn() -> T>,
}

impl<T> ConfigValue<T> {
    fn expr(&self) -> Result<Expr, ValueError> {
        Ok(Expr::Select(
            crate::nix::Ident::new("config")?,
            self.path.clone(),
        ))
    }
}

impl<T> Clone for ConfigValue<T> {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            _value: PhantomData,
        }
    }
}

impl<T> fmt::Debug for ConfigValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "config.{}", OptionPath::Owned(self.path.clone()))
    }
}

impl<T> IntoValue<T> for ConfigValue<T> {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.expr()
    }
}

impl<T> IntoValue<NullOr<T>> for ConfigValue<T> {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.expr()
    }
}

// A string option's value names a file as well as a string does (`config.sops.secrets.x.path`
// sets `hashedPasswordFile`), and is one line of a `lines` option.
macro_rules! string_value_sets {
    ($($t:ty),*) => {$(
        impl IntoValue<$t> for ConfigValue<String> {
            fn into_nix(self) -> Result<Expr, ValueError> {
                self.expr()
            }
        }
        impl IntoValue<NullOr<$t>> for ConfigValue<String> {
            fn into_nix(self) -> Result<Expr, ValueError> {
                self.expr()
            }
        }
    )*};
}
string_value_sets!(RuntimePath, Concatenated);

// Manual impls: `T` is only a marker and need not be `Clone` itself.
impl Opt<crate::value::Untyped> {
    /// An option no binding names (a module's of your own that is not derived, another
    /// flake's without bindings), by its path segments: it takes `Raw` and any value, and
    /// Nix checks the value (`flakesmith import` writes what it cannot type this way).
    pub fn untyped<S: AsRef<str>>(segments: &[S]) -> Self {
        Self::at(OptionPath::Owned(
            segments.iter().map(|s| s.as_ref().to_owned()).collect(),
        ))
    }
}

impl<T> Clone for Opt<T> {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            pattern: self.pattern,
            submodules: self.submodules,
            _value: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Opt<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Opt({}: {})", self.path, std::any::type_name::<T>())
    }
}

/// A handle on an option NixOS sets itself (`readOnly` in options.json). It documents
/// the option and its type, but no definition can be made through it.
pub struct ReadOnly<T>(Opt<T>);

impl<T> ReadOnly<T> {
    pub const fn new(path: &'static [&'static str]) -> Self {
        Self(Opt::new(path))
    }

    /// A handle on a path built at run time.
    pub fn at(path: OptionPath) -> Self {
        Self(Opt::at(path))
    }

    pub fn path(&self) -> &OptionPath {
        self.0.path()
    }

    /// The value NixOS gives the option, as a value of another option: see [`Opt::value`].
    pub fn value(&self) -> ConfigValue<T> {
        self.0.value()
    }
}

/// The handle at the old name of an option that this release line calls by another
/// name (the previous line's bindings had it). Its documentation and its deprecation
/// note name the new option; no setter takes it, so a configuration moved to this line
/// does not compile until it uses the new name.
pub struct Renamed {
    from: OptionPath,
    to: OptionPath,
}

impl Renamed {
    pub const fn new(from: &'static [&'static str], to: &'static [&'static str]) -> Self {
        Self {
            from: OptionPath::Static(from),
            to: OptionPath::Static(to),
        }
    }

    /// The name the previous release line used.
    pub fn from(&self) -> &OptionPath {
        &self.from
    }

    /// The name this release line uses.
    pub fn to(&self) -> &OptionPath {
        &self.to
    }
}

/// Handles are passed by value or by reference alike.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an option that can be set",
    label = "expected a settable option handle `Opt<{T}>`",
    note = "`ReadOnly<_>` options are set by NixOS itself and cannot be defined in a configuration; a `Renamed` option is one this release line calls by another name, which the deprecation warning for it gives"
)]
pub trait AsOpt<T> {
    fn as_opt(&self) -> Opt<T>;
}

/// Options `set_null` takes: those whose Nix type is `null or ...`. A trait of its own, so
/// that `set_null` on any other option says that, not what `AsOpt` says.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be set to `null`: its Nix type is not `null or ...`",
    label = "`set_null` takes an option whose Nix type is `null or ...` (`Opt<NullOr<_>>`)",
    note = "an option that is not nullable is left out to keep its default; `ReadOnly<_>` options cannot be defined at all"
)]
pub trait AsNullableOpt<T> {
    fn as_nullable_opt(&self) -> Opt<NullOr<T>>;
}

impl<T> AsNullableOpt<T> for Opt<NullOr<T>> {
    fn as_nullable_opt(&self) -> Opt<NullOr<T>> {
        self.clone()
    }
}

impl<T> AsNullableOpt<T> for &Opt<NullOr<T>> {
    fn as_nullable_opt(&self) -> Opt<NullOr<T>> {
        (*self).clone()
    }
}

impl<T> AsOpt<T> for Opt<T> {
    fn as_opt(&self) -> Opt<T> {
        self.clone()
    }
}

impl<T> AsOpt<T> for &Opt<T> {
    fn as_opt(&self) -> Opt<T> {
        (*self).clone()
    }
}
