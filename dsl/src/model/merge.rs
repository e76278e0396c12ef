//! How the module system merges several definitions of one option, by type.
//!
//! The conflict check follows the same rule as `lib.evalModules` (proven against the real
//! lib in `tests/tests/merging.rs`): at the winning priority, `str`, `int`, `bool`,
//! `enum`, `float` and `path` definitions must be equal (`mergeEqualOption`); a `package`
//! may be defined once (`mergeOneOption`); `lines` and other `strings concatenated with`
//! concatenate; lists concatenate; attribute sets merge key by key; `null or T` may not
//! mix `null` with values.

use std::collections::BTreeMap;

use crate::value::{Between, Concatenated, Data, NullOr, OneOf, Package, RuntimePath, Untyped};

/// The merge rule of an option type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// Definitions must agree (`mergeEqualOption`).
    Equal,
    /// One definition only, even an equal second one is an error (`mergeOneOption`).
    Unique,
    /// Strings that concatenate (`lines`, `commas`, `strings concatenated with ...`).
    Concatenated,
    /// Lists concatenate.
    List,
    /// Attribute sets of values that merge with this rule, key by key.
    AttrsOf(&'static Merge),
    /// A submodule: attribute sets merge key by key; the rules of its options are not
    /// known here, and their values are judged as equal-or-conflicting.
    Submodule,
    /// `null or T`: all `null`, or all values merged with `T`'s rule.
    NullOr(&'static Merge),
    /// Not known (unions, freeform values): values are judged as equal-or-conflicting,
    /// which is the rule of every scalar type but `package`.
    Unknown,
    /// No binding names the path (`Opt::untyped`): judged as `Unknown`, and the path may
    /// be a namespace rather than an option, so nothing that only an option's definition
    /// may carry (`lib.mkDefinition`) is written around its value.
    Untyped,
}

impl Merge {
    /// The rule of the values one key down, when a definition's value is an attribute
    /// set split into one definition per key.
    pub(crate) fn of_child(self) -> Merge {
        match self {
            Merge::AttrsOf(inner) => *inner,
            Merge::NullOr(inner) => inner.of_child(),
            Merge::Untyped => Merge::Untyped,
            _ => Merge::Unknown,
        }
    }

    /// The rule definitions are judged by: an untyped path's is `Unknown`'s.
    pub(crate) fn judged(self) -> Merge {
        match self {
            Merge::Untyped => Merge::Unknown,
            other => other,
        }
    }
}

/// The merge rule of the option type a Rust value type binds.
pub trait MergeRule {
    const MERGE: Merge;
}

macro_rules! merge_rule {
    ($rule:expr => $($t:ty),*) => {$(
        impl MergeRule for $t {
            const MERGE: Merge = $rule;
        }
    )*};
}
merge_rule!(Merge::Equal => bool, String, i8, i16, i32, i64, u8, u16, u32, u64, f64, RuntimePath);
merge_rule!(Merge::Unique => Package);
merge_rule!(Merge::Concatenated => Concatenated);
merge_rule!(Merge::Untyped => Untyped);

impl<const MIN: i64, const MAX: i64> MergeRule for Between<MIN, MAX> {
    const MERGE: Merge = Merge::Equal;
}

impl<F> MergeRule for Data<F> {
    // Attribute sets of settings merge key by key; two different scalars at one key are
    // a conflict, as `lib.types.anything` and the formats' own types judge them.
    const MERGE: Merge = Merge::Unknown;
}

impl<M> MergeRule for OneOf<M> {
    // The members' rules differ; two definitions are judged equal-or-conflicting, the
    // rule of every scalar member.
    const MERGE: Merge = Merge::Unknown;
}

impl<T> MergeRule for Vec<T> {
    const MERGE: Merge = Merge::List;
}

impl<T: MergeRule> MergeRule for BTreeMap<String, T> {
    const MERGE: Merge = Merge::AttrsOf(&T::MERGE);
}

impl<T: MergeRule> MergeRule for NullOr<T> {
    const MERGE: Merge = Merge::NullOr(&T::MERGE);
}

impl<T: MergeRule> MergeRule for Option<T> {
    const MERGE: Merge = Merge::NullOr(&T::MERGE);
}
