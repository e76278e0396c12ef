use std::fmt;

use super::declared::CfgRef;
use super::{Location, Merge, MergeRule};
use crate::nix::{Expr, ValueError};
use crate::option::{AsNullableOpt, AsOpt, Opt, OptionPath};
use crate::value::{IntoValue, NullOr};

/// A module-system priority: lower numbers win.
///
/// The named values are the ones `lib` uses: `mkOptionDefault` 1500, `mkDefault` 1000,
/// a plain definition 100, `mkForce` 50.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Priority(pub u32);

impl Priority {
    pub const OPTION_DEFAULT: Priority = Priority(1500);
    pub const DEFAULT: Priority = Priority(1000);
    pub const PLAIN: Priority = Priority(100);
    pub const FORCE: Priority = Priority(50);
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::PLAIN => write!(f, "a plain definition (priority 100)"),
            Self::DEFAULT => write!(f, "`default` (lib.mkDefault, priority 1000)"),
            Self::FORCE => write!(f, "`force` (lib.mkForce, priority 50)"),
            Self::OPTION_DEFAULT => write!(f, "lib.mkOptionDefault (priority 1500)"),
            Priority(n) => write!(f, "lib.mkOverride {n}"),
        }
    }
}

impl fmt::Debug for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Priority({})", self.0)
    }
}

/// Where a list definition goes relative to the others (`lib.mkBefore`, `lib.mkAfter`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Order {
    Before,
    #[default]
    Normal,
    After,
}

/// One definition of one option.
#[derive(Clone, Debug)]
pub struct Definition {
    pub path: OptionPath,
    /// The value, or why the Rust value has no Nix form (reported by the checker).
    pub value: Result<Expr, ValueError>,
    pub priority: Priority,
    pub order: Order,
    /// A `lib.mkIf` condition, when the definition only applies if it holds.
    pub condition: Option<Expr>,
    /// How the option's type merges several definitions.
    pub merge: Merge,
    /// A pattern every string of the value must match (`string matching the pattern`).
    pub pattern: Option<&'static str>,
    /// How many submodules the option lies in ([`Opt::in_submodules`]): the order lists
    /// concatenate in depends on it.
    pub submodules: u8,
    pub location: Location,
}

impl Definition {
    /// Whether `other` defines the same thing: path, value, priority, order and
    /// condition (not where in the Rust it was made).
    pub fn same_as(&self, other: &Definition) -> bool {
        self.path == other.path
            && self.value == other.value
            && self.priority == other.priority
            && self.order == other.order
            && self.condition == other.condition
    }
}

/// Two lists of definitions that define the same things in the same order.
pub(crate) fn same_definitions(a: &[Definition], b: &[Definition]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.same_as(b))
}

/// Setting options, shared by hosts, modules and users.
///
/// Every method records the caller's source location. `set` is a plain definition, the
/// way a host overrides a shared module's defaults; `default` is `lib.mkDefault`, the way
/// a shared module offers a value a host may replace; `force` is `lib.mkForce`.
pub trait Configure: Sized {
    #[doc(hidden)]
    fn definitions_mut(&mut self) -> &mut Vec<Definition>;

    #[doc(hidden)]
    fn allowed_mut(&mut self) -> &mut Vec<super::Lint>;

    /// Silences one check on this host, module or user: a deliberate choice the
    /// checker would otherwise warn about (or, for plaintext secrets, reject).
    fn allow(mut self, lint: super::Lint) -> Self {
        self.allowed_mut().push(lint);
        self
    }

    #[doc(hidden)]
    #[track_caller]
    fn define(
        mut self,
        path: &OptionPath,
        value: Result<Expr, ValueError>,
        priority: Priority,
        order: Order,
        merge: Merge,
    ) -> Self {
        let location = Location::caller();
        self.definitions_mut().push(Definition {
            path: path.clone(),
            value,
            priority,
            order,
            condition: None,
            merge,
            pattern: None,
            submodules: 0,
            location,
        });
        self
    }

    #[doc(hidden)]
    #[track_caller]
    fn define_option<T>(
        self,
        option: &Opt<T>,
        value: Result<Expr, ValueError>,
        priority: Priority,
        order: Order,
        merge: Merge,
    ) -> Self {
        let mut this = self.define(option.path(), value, priority, order, merge);
        if let Some(definition) = this.definitions_mut().last_mut() {
            definition.pattern = option.pattern();
            definition.submodules = option.submodules();
        }
        this
    }

    /// Defines `option` at an explicit priority (`lib.mkOverride n`).
    #[track_caller]
    fn with_priority<T: MergeRule, V: IntoValue<T>>(
        self,
        priority: u32,
        option: impl AsOpt<T>,
        value: V,
    ) -> Self {
        self.define_option(
            &option.as_opt(),
            value.into_nix(),
            Priority(priority),
            Order::Normal,
            T::MERGE,
        )
    }

    /// A plain definition (priority 100).
    #[track_caller]
    fn set<T: MergeRule, V: IntoValue<T>>(self, option: impl AsOpt<T>, value: V) -> Self {
        self.with_priority(Priority::PLAIN.0, option, value)
    }

    /// `lib.mkDefault` (priority 1000): a value others may override.
    #[track_caller]
    fn default<T: MergeRule, V: IntoValue<T>>(self, option: impl AsOpt<T>, value: V) -> Self {
        self.with_priority(Priority::DEFAULT.0, option, value)
    }

    /// `lib.mkForce` (priority 50): wins over plain definitions.
    #[track_caller]
    fn force<T: MergeRule, V: IntoValue<T>>(self, option: impl AsOpt<T>, value: V) -> Self {
        self.with_priority(Priority::FORCE.0, option, value)
    }

    /// Sets a `null or T` option to `null` (a plain definition).
    #[track_caller]
    fn set_null<T: MergeRule>(self, option: impl AsNullableOpt<T>) -> Self {
        self.define_option(
            &option.as_nullable_opt(),
            Ok(Expr::Null),
            Priority::PLAIN,
            Order::Normal,
            NullOr::<T>::MERGE,
        )
    }

    /// A plain definition that applies only when `condition` (one of the module's own
    /// boolean options) is true: `lib.mkIf cfg.<condition> value`.
    #[track_caller]
    fn set_if<T: MergeRule, V: IntoValue<T>>(
        self,
        condition: &CfgRef<bool>,
        option: impl AsOpt<T>,
        value: V,
    ) -> Self {
        let mut this = self.set(option, value);
        if let Some(definition) = this.definitions_mut().last_mut() {
            definition.condition = condition.expr().ok();
        }
        this
    }

    /// Prepends to a list option (`lib.mkBefore`).
    #[track_caller]
    fn prepend<T, V: IntoValue<Vec<T>>>(self, option: impl AsOpt<Vec<T>>, value: V) -> Self {
        self.define_option(
            &option.as_opt(),
            value.into_nix(),
            Priority::PLAIN,
            Order::Before,
            Merge::List,
        )
    }

    /// Appends to a list option (`lib.mkAfter`).
    #[track_caller]
    fn append<T, V: IntoValue<Vec<T>>>(self, option: impl AsOpt<Vec<T>>, value: V) -> Self {
        self.define_option(
            &option.as_opt(),
            value.into_nix(),
            Priority::PLAIN,
            Order::After,
            Merge::List,
        )
    }
}

/// Where an entity keeps its definitions: a plain list, or one its clones share (a module
/// or user imported by many hosts).
pub(crate) trait DefinitionStore {
    fn list_mut(&mut self) -> &mut Vec<Definition>;
}

impl DefinitionStore for Vec<Definition> {
    fn list_mut(&mut self) -> &mut Vec<Definition> {
        self
    }
}

impl DefinitionStore for std::sync::Arc<Vec<Definition>> {
    fn list_mut(&mut self) -> &mut Vec<Definition> {
        std::sync::Arc::make_mut(self)
    }
}

/// `Configure` for entities with `definitions` and `allowed` fields.
macro_rules! configure_by_fields {
    ($($entity:ty),* $(,)?) => {$(
        impl $crate::model::Configure for $entity {
            fn definitions_mut(&mut self) -> &mut Vec<$crate::model::Definition> {
                $crate::model::definition::DefinitionStore::list_mut(&mut self.definitions)
            }

            fn allowed_mut(&mut self) -> &mut Vec<$crate::model::Lint> {
                &mut self.allowed
            }
        }
    )*};
}
pub(crate) use configure_by_fields;
