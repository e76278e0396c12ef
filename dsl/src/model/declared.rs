//! Modules that declare options of their own, as `#[derive(NixModule)]` produces them.
//!
//! A struct's fields become `lib.mkOption` declarations under a namespace; the module's
//! config part sits under `lib.mkIf cfg.enable` and refers to the module's own option
//! values through typed [`CfgRef`]s; hosts set those options through typed [`Opt`]s.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use super::{Configure, Location, Merge, MergeRule, Module};
use crate::nix::{Attrs, Expr, ValueError};
use crate::option::{Opt, OptionPath};
use crate::value::{IntoValue, NullOr, Package, RuntimePath};

/// A Rust type with a Nix option type (`lib.types.*`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no Nix option type",
    label = "this field's type cannot be a NixOS option",
    note = "option fields can be bool, String, i8..i64, u8..u64, f64, Vec<T>, BTreeMap<String, T>, Option<T>, Package, RuntimePath, or a type with #[derive(NixValue)]"
)]
pub trait NixType {
    /// The type handles use for values of this type: itself, except `Option<T>`, whose
    /// options take `NullOr<T>` so that `"text"` sets a `null or string` option.
    type Value: MergeRule;

    /// The `lib.types` expression, such as `lib.types.listOf lib.types.str`.
    fn nix_type() -> Expr;

    /// The default an option of this type gets when the field names none: `[]`, `{}`
    /// or `null` for collections and optional values, nothing otherwise.
    fn implicit_default() -> Option<Expr> {
        None
    }
}

fn lib_type(name: &'static str) -> Expr {
    Expr::known(name)
}

macro_rules! scalar_types {
    ($($t:ty => $nix:literal),* $(,)?) => {$(
        impl NixType for $t {
            type Value = $t;
            fn nix_type() -> Expr {
                lib_type($nix)
            }
        }
    )*};
}
scalar_types!(
    bool => "lib.types.bool",
    String => "lib.types.str",
    i8 => "lib.types.ints.s8",
    i16 => "lib.types.ints.s16",
    i32 => "lib.types.ints.s32",
    i64 => "lib.types.int",
    u8 => "lib.types.ints.u8",
    u16 => "lib.types.port",
    u32 => "lib.types.ints.u32",
    u64 => "lib.types.ints.unsigned",
    f64 => "lib.types.float",
    Package => "lib.types.package",
    RuntimePath => "lib.types.path",
);

impl<T: NixType> NixType for Vec<T> {
    type Value = Vec<T::Value>;
    fn nix_type() -> Expr {
        Expr::apply(lib_type("lib.types.listOf"), [T::nix_type()])
    }
    fn implicit_default() -> Option<Expr> {
        Some(Expr::List(Vec::new()))
    }
}

impl<T: NixType> NixType for BTreeMap<String, T> {
    type Value = BTreeMap<String, T::Value>;
    fn nix_type() -> Expr {
        Expr::apply(lib_type("lib.types.attrsOf"), [T::nix_type()])
    }
    fn implicit_default() -> Option<Expr> {
        Some(Expr::Attrs(Attrs::new()))
    }
}

impl<T: NixType> NixType for Option<T> {
    type Value = NullOr<T::Value>;
    fn nix_type() -> Expr {
        Expr::apply(lib_type("lib.types.nullOr"), [T::nix_type()])
    }
    fn implicit_default() -> Option<Expr> {
        Some(Expr::Null)
    }
}

impl<T: NixType> NixType for NullOr<T> {
    type Value = NullOr<T::Value>;
    fn nix_type() -> Expr {
        Option::<T>::nix_type()
    }
    fn implicit_default() -> Option<Expr> {
        Some(Expr::Null)
    }
}

/// `lib.types.enum [ ... ]`, the type of a `#[derive(NixValue)]` enum.
pub fn enum_type(values: &[&str]) -> Expr {
    let values = values
        .iter()
        .map(|v| Expr::string(*v).unwrap_or(Expr::Null))
        .collect();
    Expr::apply(lib_type("lib.types.enum"), [Expr::List(values)])
}

/// `lib.types.submodule { options = { ... }; }`, the type of a `#[derive(NixValue)]` struct.
pub fn submodule_type(options: Vec<OptionDecl>) -> Expr {
    let declarations: Attrs = options
        .iter()
        .map(|d| (d.name.clone(), d.to_expr().unwrap_or(Expr::Null)))
        .collect();
    Expr::apply(
        lib_type("lib.types.submodule"),
        [Attrs::new().with("options", declarations.into()).into()],
    )
}

/// A typed reference, inside a module's config part, to the value of one of the
/// module's own options: `cfg.storageDriver`. It is accepted wherever a value of type `T`
/// is, so the config part stays typed.
pub struct CfgRef<T> {
    path: Vec<String>,
    _value: PhantomData<fn() -> T>,
}

impl<T> CfgRef<T> {
    /// A reference to `cfg.<name>`.
    pub fn new(name: &str) -> Self {
        Self {
            path: vec![name.to_owned()],
            _value: PhantomData,
        }
    }

    pub(crate) fn expr(&self) -> Result<Expr, ValueError> {
        Ok(Expr::Select(
            crate::nix::Ident::new("cfg")?,
            self.path.clone(),
        ))
    }
}

impl<T> Clone for CfgRef<T> {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            _value: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for CfgRef<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cfg.{}", self.path.join("."))
    }
}

impl<T> IntoValue<T> for CfgRef<T> {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.expr()
    }
}

impl<T> IntoValue<NullOr<T>> for CfgRef<T> {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.expr()
    }
}

impl<T> IntoValue<T> for &CfgRef<T> {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.expr()
    }
}

/// One `lib.mkOption` declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionDecl {
    /// The option's Nix name (camelCase unless renamed).
    pub name: String,
    pub nix_type: Expr,
    pub default: Option<Result<Expr, ValueError>>,
    pub example: Option<Result<Expr, ValueError>>,
    pub description: String,
    /// How the option's type merges several definitions.
    pub merge: Merge,
    /// Where the Rust declares it (the derive's field), for messages about its default or
    /// example; `None` where only the module's location is known.
    pub location: Option<Location>,
}

impl OptionDecl {
    /// A declaration of an option of Rust type `T`, with `T`'s implicit default.
    pub fn of<T: NixType>(name: &str, description: &str) -> Self {
        Self {
            name: name.to_owned(),
            nix_type: T::nix_type(),
            default: T::implicit_default().map(Ok),
            example: None,
            description: description.to_owned(),
            merge: <T::Value as MergeRule>::MERGE,
            location: None,
        }
    }

    /// Records where the Rust declares the option.
    pub fn declared_at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn default_value(mut self, value: Result<Expr, ValueError>) -> Self {
        self.default = Some(value);
        self
    }

    pub fn example_value(mut self, value: Result<Expr, ValueError>) -> Self {
        self.example = Some(value);
        self
    }

    /// `lib.mkOption { type = ...; default = ...; example = ...; description = ...; }`.
    pub(crate) fn to_expr(&self) -> Option<Expr> {
        let mut arguments = Attrs::new().with("type", self.nix_type.clone());
        if let Some(default) = &self.default {
            arguments.insert("default", default.clone().ok()?);
        }
        if let Some(example) = &self.example {
            arguments.insert("example", example.clone().ok()?);
        }
        if !self.description.is_empty() {
            arguments.insert("description", Expr::string(self.description.as_str()).ok()?);
        }
        Some(Expr::apply(Expr::known("lib.mkOption"), [arguments.into()]))
    }
}

/// The options a module declares: `options.<namespace>.{enable, ...}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleOptions {
    pub namespace: Vec<String>,
    /// What `enable` enables, for `lib.mkEnableOption`.
    pub enable_description: String,
    pub options: Vec<OptionDecl>,
}

impl ModuleOptions {
    /// The path of one of the declared options, such as `fleet.docker.users`.
    pub fn option_path(&self, name: &str) -> OptionPath {
        OptionPath::Owned(
            self.namespace
                .iter()
                .cloned()
                .chain([name.to_owned()])
                .collect(),
        )
    }
}

/// A module whose struct declares its options. Implemented by `#[derive(NixModule)]`.
pub trait NixModule: Sized {
    /// Typed references to the module's own option values, for its config part.
    type Cfg;
    /// Typed handles on the module's options, for hosts.
    type Options;

    /// The handles hosts use to set this module's options.
    fn options() -> Self::Options;

    /// The declarations, and a module with them and no config yet.
    fn declare() -> Module;

    /// The references the config part uses.
    fn cfg() -> Self::Cfg;

    /// This value's fields as definitions of the module's options.
    fn settings(&self) -> Vec<(OptionPath, Result<Expr, ValueError>)>;

    /// The `enable` handle.
    fn enable_option() -> Opt<bool>;
}

/// The config part of a [`NixModule`]: what the module does when enabled. It runs under
/// `lib.mkIf cfg.enable`.
pub trait ModuleConfig: NixModule {
    fn config(cfg: Self::Cfg, module: Module) -> Module;

    /// The complete module: declarations and config.
    fn module() -> Module {
        Self::config(Self::cfg(), Self::declare())
    }
}

/// Enables the module and sets every field of `settings` as a plain definition (used by
/// `Host::enable`). A field equal to its option's default is written too: the host chose
/// it, so it must win over (or conflict with) another definition, not quietly lose.
#[track_caller]
pub(crate) fn apply_settings<C: Configure, M: NixModule>(target: C, settings: &M) -> C {
    let declared = M::declare();
    let merge_of = |path: &OptionPath| {
        declared
            .options
            .iter()
            .flat_map(|options| options.options.iter().map(move |d| (options, d)))
            .find(|(options, d)| options.option_path(&d.name) == *path)
            .map_or(Merge::Unknown, |(_, d)| d.merge)
    };
    let mut target = target.set(M::enable_option(), true);
    for (path, value) in settings.settings() {
        let merge = merge_of(&path);
        target = target.define(
            &path,
            value,
            super::Priority::PLAIN,
            super::Order::Normal,
            merge,
        );
    }
    target
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nix::print_expr;

    #[test]
    fn rust_types_map_to_nix_types() {
        assert_eq!(print_expr(&bool::nix_type()), "lib.types.bool");
        assert_eq!(print_expr(&u16::nix_type()), "lib.types.port");
        assert_eq!(
            print_expr(&Vec::<String>::nix_type()),
            "lib.types.listOf lib.types.str"
        );
        assert_eq!(
            print_expr(&Option::<Vec<BTreeMap<String, u64>>>::nix_type()),
            "lib.types.nullOr (lib.types.listOf (lib.types.attrsOf lib.types.ints.unsigned))"
        );
        assert_eq!(Vec::<bool>::implicit_default(), Some(Expr::List(vec![])));
        assert_eq!(String::implicit_default(), None);
    }

    #[test]
    fn cfg_refs_print_as_cfg_selections() {
        let r: CfgRef<String> = CfgRef::new("storageDriver");
        assert_eq!(
            print_expr(&IntoValue::<String>::into_nix(r).unwrap()),
            "cfg.storageDriver"
        );
    }
}
