//! Rust values as Nix values.
//!
//! [`ToNix`] is implemented for the Rust types an option can hold. Conversions that can
//! fail (a NaN, a `u64` above `i64::MAX`, a string with NUL) return a [`ValueError`]
//! that the checker reports with the Rust location of the definition.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::nix::{Attrs, Expr, ValueError};

mod bounded;
mod data;
mod one_of;
mod submodule;

pub use bounded::{Between, Positive};
pub use data::{Anything, Atom, AtomOrList, Data, Format, Json, Systemd, Toml};
pub use one_of::{
    AttrsMember, BoolMember, FloatMember, IntMember, ListMember, OneOf, PackageMember, PathMember,
    Record, StrMember,
};
pub use submodule::Fields;

/// A Rust value with a Nix counterpart.
pub trait ToNix {
    fn to_nix(&self) -> Result<Expr, ValueError>;
}

impl ToNix for Expr {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        Ok(self.clone())
    }
}

impl ToNix for bool {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        Ok(Expr::Bool(*self))
    }
}

impl ToNix for String {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        Expr::string(self.as_str())
    }
}

impl ToNix for str {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        Expr::string(self)
    }
}

impl ToNix for f64 {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        Expr::float(*self)
    }
}

impl ToNix for f32 {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        Expr::float(f64::from(*self))
    }
}

macro_rules! lossless_ints {
    ($($t:ty),*) => {$(
        impl ToNix for $t {
            fn to_nix(&self) -> Result<Expr, ValueError> {
                Ok(Expr::Int(i64::from(*self)))
            }
        }
    )*};
}
lossless_ints!(i8, i16, i32, i64, u8, u16, u32);

macro_rules! checked_ints {
    ($($t:ty),*) => {$(
        impl ToNix for $t {
            fn to_nix(&self) -> Result<Expr, ValueError> {
                i64::try_from(*self)
                    .map(Expr::Int)
                    .map_err(|_| ValueError::IntegerOutOfRange(self.to_string()))
            }
        }
    )*};
}
checked_ints!(u64, usize, isize, i128, u128);

impl<T: ToNix> ToNix for Option<T> {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        match self {
            Some(value) => value.to_nix(),
            None => Ok(Expr::Null),
        }
    }
}

impl<T: ToNix> ToNix for Vec<T> {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        self.iter()
            .map(ToNix::to_nix)
            .collect::<Result<_, _>>()
            .map(Expr::List)
    }
}

impl<T: ToNix> ToNix for BTreeMap<String, T> {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        let mut attrs = Attrs::new();
        for (key, value) in self {
            crate::nix::NixString::new(key.as_str())?;
            attrs.insert(key.clone(), value.to_nix()?);
        }
        Ok(Expr::Attrs(attrs))
    }
}

impl<T: ToNix + ?Sized> ToNix for &T {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        (**self).to_nix()
    }
}

impl<T: ToNix + ?Sized> ToNix for Box<T> {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        (**self).to_nix()
    }
}

/// A value that is either Nix `null` or a `T`: the Rust side of `null or T` options.
///
/// Anything that converts to `T` converts to `NullOr<T>`, so a nullable option is set
/// the same way as any other (`.set(time::time_zone, "Europe/Berlin")`); `null` is set
/// with [`Configure::set_null`](crate::model::Configure::set_null).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum NullOr<T> {
    #[default]
    Null,
    Value(T),
}

impl<T: ToNix> ToNix for NullOr<T> {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        match self {
            NullOr::Null => Ok(Expr::Null),
            NullOr::Value(value) => value.to_nix(),
        }
    }
}

/// What an option of type `T` accepts as a value, and how it is written in Nix.
///
/// This is flakesmith's own conversion trait rather than `Into`, so that the natural
/// spellings work: `"text"` for a string option, `[22, 80]` for a list of ports,
/// `"Europe/Berlin"` for a `null or string` option, and a module's typed reference to one
/// of its own options ([`CfgRef`](crate::model::CfgRef)) wherever a value of
/// that type is wanted. Conversions are lossless; a value of the wrong type does not
/// compile.
///
/// Every value type `T` converts to `T` and to [`NullOr<T>`]. (A blanket impl for
/// `NullOr` would collide with `CfgRef`'s, so each type states both; the `NixValue`
/// derive does that for your own types.)
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a valid value for an option of type `{T}`",
    label = "expected a value of the option's type `{T}`",
    note = "the option's Rust type is `{T}`; its documentation names the Nix type it binds"
)]
pub trait IntoValue<T> {
    fn into_nix(self) -> Result<Expr, ValueError>;
}

/// `IntoValue<T>` and `IntoValue<NullOr<T>>` for a type that is its own value.
#[macro_export]
#[doc(hidden)]
macro_rules! __value_of_itself {
    ($($t:ty),* $(,)?) => {$(
        impl $crate::IntoValue<$t> for $t {
            #[inline]
            fn into_nix(self) -> ::core::result::Result<$crate::nix::Expr, $crate::nix::ValueError> {
                $crate::ToNix::to_nix(&self)
            }
        }
        impl $crate::IntoValue<$crate::NullOr<$t>> for $t {
            #[inline]
            fn into_nix(self) -> ::core::result::Result<$crate::nix::Expr, $crate::nix::ValueError> {
                $crate::ToNix::to_nix(&self)
            }
        }
    )*};
}
pub use __value_of_itself as value_of_itself;

/// A fieldless enum whose variants are Nix strings: the value (`ToNix`, `IntoValue`), its
/// option type (`types.enum` of the strings) and its merge rule. Both the bindings'
/// `option_enum!` and `#[derive(NixValue)]` on an enum expand to it, so an enum value is
/// written one way.
#[macro_export]
#[doc(hidden)]
macro_rules! __string_enum {
    ($name:ident { $($variant:ident => $text:expr),* $(,)? }) => {
        impl $crate::value::ToNix for $name {
            #[inline]
            fn to_nix(&self) -> ::core::result::Result<$crate::nix::Expr, $crate::nix::ValueError> {
                $crate::nix::Expr::string(match self {
                    $(Self::$variant => $text,)*
                })
            }
        }

        impl $crate::model::NixType for $name {
            type Value = $name;
            #[inline]
            fn nix_type() -> $crate::nix::Expr {
                $crate::model::enum_type(&[$($text),*])
            }
        }

        impl $crate::model::MergeRule for $name {
            const MERGE: $crate::model::Merge = $crate::model::Merge::Equal;
        }

        $crate::value::value_of_itself!($name);
    };
}
pub use __string_enum as string_enum;

/// An option's `one of "a", "b"` values as a Rust enum: each variant writes its string,
/// and the enum is a value type (`ToNix`, `IntoValue`) and an option type (`NixType`).
#[macro_export]
#[doc(hidden)]
macro_rules! option_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $(#[doc = concat!("`\"", $text, "\"`")] $variant,)*
        }

        impl $name {
            /// The Nix string of this value.
            #[inline]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }
        }

        $crate::value::string_enum!($name { $($variant => $text),* });
    };
}

value_of_itself!(
    bool,
    String,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f64,
    Package,
    RuntimePath
);

/// Converts to `String` and `NullOr<String>`.
macro_rules! string_like {
    ($($t:ty),*) => {$(
        impl IntoValue<String> for $t {
            fn into_nix(self) -> Result<Expr, ValueError> {
                Expr::string(&*self)
            }
        }
        impl IntoValue<NullOr<String>> for $t {
            fn into_nix(self) -> Result<Expr, ValueError> {
                Expr::string(&*self)
            }
        }
    )*};
}
string_like!(&str, &String);

/// Paths on the target machine: `"/srv/alice"` for a path option. A `RuntimePath` or
/// `Secret` is accepted only by options that take a file path (`RuntimePath`-typed,
/// which the bindings use for path types and for string options named `...File`), so a
/// secret's path can never be given where the secret itself belongs.
macro_rules! converts {
    ($($from:ty => $to:ty),* $(,)?) => {$(
        impl IntoValue<$to> for $from {
            fn into_nix(self) -> Result<Expr, ValueError> {
                self.to_nix()
            }
        }
        impl IntoValue<NullOr<$to>> for $from {
            fn into_nix(self) -> Result<Expr, ValueError> {
                self.to_nix()
            }
        }
    )*};
}
converts!(&str => RuntimePath, String => RuntimePath, &String => RuntimePath, Package => RuntimePath);

fn list<T, U: IntoValue<T>>(items: impl IntoIterator<Item = U>) -> Result<Expr, ValueError> {
    items
        .into_iter()
        .map(IntoValue::into_nix)
        .collect::<Result<_, _>>()
        .map(Expr::List)
}

fn attrs<T, K: Into<String>, U: IntoValue<T>>(
    entries: impl IntoIterator<Item = (K, U)>,
) -> Result<Expr, ValueError> {
    let mut attrs = Attrs::new();
    for (key, value) in entries {
        let key = key.into();
        crate::nix::NixString::new(key.as_str())?;
        attrs.insert(key, value.into_nix()?);
    }
    Ok(Expr::Attrs(attrs))
}

/// An empty list or attribute set, for an option of any list or attribute-set type:
/// `[]` alone leaves Rust without an element type to infer, `Empty` takes the option's.
///
/// ```
/// # use flakesmith::prelude::*;
/// # use flakesmith_nixos::{boot, swap_devices};
/// let host = Host::new("desk", System::X86_64Linux, "24.05")
///     .set(boot::initrd::kernel_modules, Empty)
///     .set(swap_devices, Empty);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Empty;

macro_rules! containers {
    ($($wrap:ident),*) => {$(
        impl<T> IntoValue<$wrap<Vec<T>>> for Empty {
            fn into_nix(self) -> Result<Expr, ValueError> {
                Ok(Expr::List(Vec::new()))
            }
        }
        impl<T> IntoValue<$wrap<BTreeMap<String, T>>> for Empty {
            fn into_nix(self) -> Result<Expr, ValueError> {
                Ok(Expr::Attrs(Attrs::new()))
            }
        }
        impl<T, U: IntoValue<T>, const N: usize> IntoValue<$wrap<Vec<T>>> for [U; N] {
            fn into_nix(self) -> Result<Expr, ValueError> {
                list(self)
            }
        }
        impl<T, U: IntoValue<T>> IntoValue<$wrap<Vec<T>>> for Vec<U> {
            fn into_nix(self) -> Result<Expr, ValueError> {
                list(self)
            }
        }
        impl<T, K: Into<String>, U: IntoValue<T>> IntoValue<$wrap<BTreeMap<String, T>>> for BTreeMap<K, U> {
            fn into_nix(self) -> Result<Expr, ValueError> {
                attrs(self)
            }
        }
        impl<T, K: Into<String>, U: IntoValue<T>, const N: usize> IntoValue<$wrap<BTreeMap<String, T>>> for [(K, U); N] {
            fn into_nix(self) -> Result<Expr, ValueError> {
                attrs(self)
            }
        }
    )*};
}

/// The identity wrapper, so one macro states the plain and the nullable conversions.
type Plain<T> = T;
containers!(Plain, NullOr);

/// The value type of options whose Nix type flakesmith does not bind more precisely:
/// unions (`string or list of string`), submodules, functions, freeform data (`JSON
/// value`, `anything`) and type descriptions the generator did not understand. Any value
/// flakesmith can write is accepted — a scalar, a list, a map, a `#[derive(NixValue)]`
/// struct, or an [`Expr`] built by hand — so the option stays usable, but the check
/// that the value fits is left to Nix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Untyped;

impl<T: ToNix> IntoValue<Untyped> for T {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.to_nix()
    }
}

impl<T: ToNix> IntoValue<NullOr<Untyped>> for T {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.to_nix()
    }
}

// A `Secret` or `RuntimePath` given to a string option that holds the secret itself
// (`password`, `hashedPassword`) would make the reference the secret: neither implements
// `IntoValue<String>`, so it does not compile, and rustc's help says which option types
// they do implement it for (`RuntimePath`: the `...File` options). No blanket impl stands
// in for the guard: one would make rustc report its unmet bounds for every wrong value
// of every string option (`42` for `networking.hostName`), twice.

/// The value type of string options whose definitions concatenate instead of
/// conflicting: `lines` (`strings concatenated with "\n"`), `commas`, and other
/// `strings concatenated with ...` types. Set it with a `&str` or `String`; a module and a
/// host may both define it, and NixOS joins the texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Concatenated;

macro_rules! concatenates {
    ($($t:ty),*) => {$(
        impl IntoValue<Concatenated> for $t {
            fn into_nix(self) -> Result<Expr, ValueError> {
                Expr::string(&*self)
            }
        }
        impl IntoValue<NullOr<Concatenated>> for $t {
            fn into_nix(self) -> Result<Expr, ValueError> {
                Expr::string(&*self)
            }
        }
    )*};
}
concatenates!(&str, &String, String);

/// Nix source written by hand: the escape hatch for an expression the bindings or the IR
/// lack. The checker parses it on its own at build time and reports a syntax error inside
/// the snippet, with the Rust location of the definition that uses it. Accepted by
/// options of any type: the check that it fits is left to Nix.
///
/// ```
/// # use flakesmith::prelude::*;
/// # use flakesmith_nixos::boot;
/// let host = Host::new("desk", System::X86_64Linux, "24.05")
///     .set(boot::kernel_packages, Raw::nix("pkgs.linuxPackages_latest"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raw(String);

impl Raw {
    pub fn nix(text: impl Into<String>) -> Self {
        Self(text.into())
    }
}

// Not `ToNix`: a raw snippet stands for a value of whatever type the option has, so it
// converts to every option type directly.
impl<T> IntoValue<T> for Raw {
    fn into_nix(self) -> Result<Expr, ValueError> {
        crate::nix::NixString::new(self.0.as_str())?;
        Ok(Expr::Raw(self.0))
    }
}

/// A package from the flake's package set: `pkgs.<attr>`.
///
/// Written as the attribute path under `pkgs` (`Package::new("firefox")`,
/// `Package::new("kdePackages.kate")`); the checker rejects paths that are not valid
/// Nix attribute names. A package of the flake's own `pkgs/` is
/// [`Package::local`] (or [`LocalPackage::package`](crate::LocalPackage::package)):
/// the checker makes sure the flake has it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Package {
    attr_path: String,
    local: bool,
}

impl Package {
    pub fn new(attr_path: impl Into<String>) -> Self {
        Self {
            attr_path: attr_path.into(),
            local: false,
        }
    }

    /// A package of the flake's own, `pkgs/<name>.nix` ([`Flake::package`](crate::Flake::package)),
    /// which the flake's overlay adds to `pkgs`. Naming one the flake does not have is a
    /// build error.
    pub fn local(name: impl Into<String>) -> Self {
        Self {
            attr_path: name.into(),
            local: true,
        }
    }

    pub fn attr_path(&self) -> &str {
        &self.attr_path
    }

    /// Whether this is a package of the flake's own ([`Package::local`]).
    pub fn is_local(&self) -> bool {
        self.local
    }
}

impl ToNix for Package {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        // Every segment a plain attribute name: `pkgs."fire fox"` would be valid Nix for
        // a package that cannot exist.
        if !self
            .attr_path
            .split('.')
            .all(crate::nix::is_plain_identifier)
        {
            return Err(ValueError::InvalidPackage(self.attr_path.clone()));
        }
        if self.local {
            return Ok(Expr::LocalPackage(self.attr_path.clone()));
        }
        Expr::select(&format!("pkgs.{}", self.attr_path))
    }
}

/// A file on the *target machine*, such as a secret that agenix or sops-nix puts at
/// `/run/agenix/alice-password`. It is emitted as a string so that nothing is copied into
/// the world-readable Nix store.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuntimePath(PathBuf);

impl RuntimePath {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self(path.into())
    }
}

impl ToNix for RuntimePath {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        Expr::string(self.0.to_string_lossy().into_owned())
    }
}

/// A secret that a secrets manager places on the machine at activation time, referenced
/// by the path it hands out. Only the reference enters the configuration; the secret
/// itself never reaches the world-readable Nix store.
///
/// It is accepted wherever a [`RuntimePath`] is, such as `hashedPasswordFile`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Secret {
    /// agenix: `config.age.secrets.<name>.path`.
    Agenix(String),
    /// sops-nix: `config.sops.secrets.<name>.path`.
    Sops(String),
}

impl Secret {
    pub fn agenix(name: impl Into<String>) -> Self {
        Self::Agenix(name.into())
    }

    pub fn sops(name: impl Into<String>) -> Self {
        Self::Sops(name.into())
    }
}

impl ToNix for Secret {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        let (manager, name) = match self {
            Self::Agenix(name) => ("age", name),
            Self::Sops(name) => ("sops", name),
        };
        crate::nix::NixString::new(name.as_str())?;
        let path = [manager, "secrets", name, "path"]
            .map(str::to_owned)
            .to_vec();
        Ok(Expr::Select(crate::nix::Ident::new("config")?, path))
    }
}

impl IntoValue<RuntimePath> for Secret {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.to_nix()
    }
}

impl IntoValue<NullOr<RuntimePath>> for Secret {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.to_nix()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_ranges() {
        assert_eq!(
            u64::MAX.to_nix(),
            Err(ValueError::IntegerOutOfRange(u64::MAX.to_string()))
        );
        assert_eq!((i64::MAX as u64).to_nix(), Ok(Expr::Int(i64::MAX)));
        assert_eq!(u32::MAX.to_nix(), Ok(Expr::Int(u32::MAX.into())));
    }

    #[test]
    fn containers_propagate_errors() {
        assert!(vec![1.0, f64::NAN].to_nix().is_err());
        let map: BTreeMap<String, String> = [("k\0".to_owned(), "v".to_owned())].into();
        assert_eq!(map.to_nix(), Err(ValueError::NulInString));
        assert_eq!(None::<bool>.to_nix(), Ok(Expr::Null));
    }

    fn accept<T, V: IntoValue<T>>(value: V) -> String {
        crate::nix::print_expr(&value.into_nix().unwrap())
    }

    #[test]
    fn natural_spellings_convert() {
        assert_eq!(accept::<String, _>("x"), "\"x\"");
        assert_eq!(accept::<Vec<u16>, _>([22, 80]), "[\n  22\n  80\n]");
        assert_eq!(accept::<Vec<String>, _>(vec!["a"]), "[\n  \"a\"\n]");
        assert_eq!(accept::<NullOr<String>, _>("tz"), "\"tz\"");
        assert_eq!(accept::<NullOr<Vec<u16>>, _>([22]), "[\n  22\n]");
        assert_eq!(
            accept::<BTreeMap<String, bool>, _>([("k", true)]),
            "{\n  k = true;\n}"
        );
        assert_eq!(NullOr::<bool>::Null.to_nix(), Ok(Expr::Null));
    }

    #[test]
    fn empty_takes_any_list_or_attribute_set() {
        assert_eq!(accept::<Vec<String>, _>(Empty), "[]");
        assert_eq!(accept::<NullOr<Vec<Package>>, _>(Empty), "[]");
        assert_eq!(accept::<BTreeMap<String, u16>, _>(Empty), "{}");
        assert_eq!(accept::<NullOr<BTreeMap<String, bool>>, _>(Empty), "{}");
    }

    #[test]
    fn secrets_are_references() {
        let print = |s: Secret| crate::nix::print_expr(&s.to_nix().unwrap());
        assert_eq!(
            print(Secret::agenix("alice-password")),
            "config.age.secrets.alice-password.path"
        );
        assert_eq!(
            print(Secret::sops("db/root")),
            "config.sops.secrets.\"db/root\".path"
        );
    }

    #[test]
    fn packages_select_from_pkgs() {
        assert_eq!(
            Package::new("kdePackages.kate").to_nix().unwrap(),
            Expr::select("pkgs.kdePackages.kate").unwrap()
        );
        assert!(Package::new("a..b").to_nix().is_err());
        assert!(Package::new("fire fox").to_nix().is_err());
        assert!(Package::new("python3Packages.if").to_nix().is_err());
        assert!(Package::new("_2048-in-terminal").to_nix().is_ok());
    }
}
