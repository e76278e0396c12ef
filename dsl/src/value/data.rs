//! Freeform data in a settings format: the value type of options such as
//! `services.*.settings` (`JSON value`, `TOML value`, `attribute set of section of an INI
//! file`, `systemd option`).
//!
//! A format decides what it can hold: TOML has no `null`, an INI atom is never a list,
//! a systemd unit setting is a scalar or a list of scalars. [`Data<F>`] accepts the
//! natural Rust spellings (`true`, `8080`, `"text"`, `vec![...]`, a `BTreeMap`) and checks
//! the shape against `F` when the value is built, so a value the format cannot write is a
//! build error at the Rust line that defines it, not a failure inside the service's
//! generated config file.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use super::{IntoValue, NullOr, Package, RuntimePath, ToNix};
use crate::nix::{Attrs, Expr, ValueError};

/// What a settings format can hold.
pub trait Format {
    /// The format's name in error messages (`TOML value`).
    const NAME: &'static str;
    /// `null` at any depth.
    const NULL: bool;
    /// Lists of values; `NESTED_LISTS` also lists inside lists.
    const LISTS: bool;
    const NESTED_LISTS: bool;
    /// Attribute sets (nested tables, objects).
    const ATTRS: bool;
}

macro_rules! formats {
    ($($(#[$meta:meta])* $name:ident = $text:literal { null: $null:literal, lists: $lists:literal, nested_lists: $nested:literal, attrs: $attrs:literal })*) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {}
        impl Format for $name {
            const NAME: &'static str = $text;
            const NULL: bool = $null;
            const LISTS: bool = $lists;
            const NESTED_LISTS: bool = $nested;
            const ATTRS: bool = $attrs;
        }
    )*};
}

formats! {
    /// `JSON value` and `YAML value`: any nesting of null, booleans, numbers, strings,
    /// lists and attribute sets.
    Json = "JSON value" { null: true, lists: true, nested_lists: true, attrs: true }
    /// `TOML value`: like JSON, without `null`.
    Toml = "TOML value" { null: false, lists: true, nested_lists: true, attrs: true }
    /// An INI or `nix.conf` atom: null, a boolean, a number or a string.
    Atom = "atom (null, boolean, number or string)" { null: true, lists: false, nested_lists: false, attrs: false }
    /// An atom or a list of atoms (INI keys that repeat, comma-joined values, Nix's own
    /// `nix.conf` settings).
    AtomOrList = "atom or list of atoms" { null: true, lists: true, nested_lists: false, attrs: false }
    /// `systemd option`: a scalar or a list of scalars, one unit-file line each.
    Systemd = "systemd option" { null: true, lists: true, nested_lists: false, attrs: false }
    /// `anything`, `unspecified value`, `raw value`: every value the module system can
    /// hold.
    Anything = "anything" { null: true, lists: true, nested_lists: true, attrs: true }
}

/// A value in the settings format `F`.
pub struct Data<F> {
    value: Result<Expr, ValueError>,
    _format: PhantomData<fn() -> F>,
}

impl<F> Clone for Data<F> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            _format: PhantomData,
        }
    }
}

impl<F: Format> fmt::Debug for Data<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(F::NAME).field(&self.value).finish()
    }
}

impl<F: Format> Data<F> {
    /// Any value the format accepts: `Data::of(1)`, `Data::of("x")`, for lists that mix
    /// kinds (`vec![Data::of(1), Data::of("x")]`).
    pub fn of<V: IntoValue<Data<F>>>(value: V) -> Self {
        Self::checked(value.into_nix())
    }

    /// `null`, where the format has it.
    pub fn null() -> Self {
        Self::checked(if F::NULL {
            Ok(Expr::Null)
        } else {
            Err(ValueError::NotInFormat {
                format: F::NAME,
                what: "null",
            })
        })
    }

    /// An attribute set from `(key, value)` pairs.
    pub fn attrs<K: Into<String>, V: IntoValue<Data<F>>>(
        entries: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Self::checked(attrs_of::<F, _, _>(entries))
    }

    fn checked(value: Result<Expr, ValueError>) -> Self {
        Self {
            value,
            _format: PhantomData,
        }
    }
}

impl<F> ToNix for Data<F> {
    fn to_nix(&self) -> Result<Expr, ValueError> {
        self.value.clone()
    }
}

/// Whether a value's shape fits `F`: no list where the format has none, no list inside
/// a list where it has flat lists only, no attribute set where it has none.
fn fits<F: Format>(value: &Expr, in_list: bool) -> Result<(), ValueError> {
    let refuse = |what| {
        Err(ValueError::NotInFormat {
            format: F::NAME,
            what,
        })
    };
    match value {
        Expr::Null if !F::NULL => refuse("null"),
        Expr::List(_) if !F::LISTS => refuse("a list"),
        Expr::List(_) if in_list && !F::NESTED_LISTS => refuse("a list inside a list"),
        Expr::Attrs(_) if !F::ATTRS => refuse("an attribute set"),
        Expr::List(items) => items.iter().try_for_each(|item| fits::<F>(item, true)),
        Expr::Attrs(attrs) => attrs
            .entries()
            .iter()
            .try_for_each(|(_, item)| fits::<F>(item, false)),
        _ => Ok(()),
    }
}

fn attrs_of<F: Format, K: Into<String>, V: IntoValue<Data<F>>>(
    entries: impl IntoIterator<Item = (K, V)>,
) -> Result<Expr, ValueError> {
    let mut attrs = Attrs::new();
    for (key, value) in entries {
        let key = key.into();
        crate::nix::NixString::new(key.as_str())?;
        attrs.insert(key, value.into_nix()?);
    }
    let value = Expr::Attrs(attrs);
    fits::<F>(&value, false)?;
    Ok(value)
}

/// Scalars every format holds, as themselves (plain and inside `null or`).
macro_rules! scalars {
    ($($t:ty),* $(,)?) => {$(
        impl<F: Format> IntoValue<Data<F>> for $t {
            fn into_nix(self) -> Result<Expr, ValueError> {
                self.to_nix()
            }
        }
        impl<F: Format> IntoValue<NullOr<Data<F>>> for $t {
            fn into_nix(self) -> Result<Expr, ValueError> {
                self.to_nix()
            }
        }
    )*};
}
scalars!(
    bool,
    i8,
    i16,
    i32,
    i64,
    u8,
    u16,
    u32,
    u64,
    f64,
    String,
    &str,
    &String,
    Package,
    RuntimePath
);

impl<F: Format> IntoValue<Data<F>> for Data<F> {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.value
    }
}

impl<F: Format> IntoValue<NullOr<Data<F>>> for Data<F> {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.value
    }
}

/// A record (`#[derive(NixValue)]` struct) as settings, checked against the format.
impl<F: Format, R: super::Record> IntoValue<Data<F>> for R {
    fn into_nix(self) -> Result<Expr, ValueError> {
        let value = self.to_nix()?;
        fits::<F>(&value, false)?;
        Ok(value)
    }
}

/// Lists and maps, checked against the format.
macro_rules! data_containers {
    ($($wrap:ident),*) => {$(
        impl<F: Format, U: IntoValue<Data<F>>> IntoValue<$wrap<Data<F>>> for Vec<U> {
            fn into_nix(self) -> Result<Expr, ValueError> {
                let value = Expr::List(self.into_iter().map(IntoValue::into_nix).collect::<Result<_, _>>()?);
                fits::<F>(&value, false)?;
                Ok(value)
            }
        }
        impl<F: Format, U: IntoValue<Data<F>>, const N: usize> IntoValue<$wrap<Data<F>>> for [U; N] {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<$wrap<Data<F>>>::into_nix(Vec::from(self))
            }
        }
        impl<F: Format, K: Into<String>, U: IntoValue<Data<F>>> IntoValue<$wrap<Data<F>>> for BTreeMap<K, U> {
            fn into_nix(self) -> Result<Expr, ValueError> {
                attrs_of::<F, _, _>(self)
            }
        }
    )*};
}

type Plain<T> = T;
data_containers!(Plain, NullOr);

#[cfg(test)]
mod tests {
    use super::*;

    fn accept<T, V: IntoValue<T>>(value: V) -> Result<String, ValueError> {
        value.into_nix().map(|e| crate::nix::print_expr(&e))
    }

    #[test]
    fn json_holds_everything() {
        let value = Data::<Json>::attrs([
            ("port", Data::of(8080)),
            ("hosts", Data::of(vec![Data::of("a"), Data::of(vec![1, 2])])),
            ("proxy", Data::null()),
        ]);
        assert!(value.to_nix().is_ok());
        assert_eq!(accept::<Data<Json>, _>(true).unwrap(), "true");
    }

    #[test]
    fn formats_refuse_what_they_cannot_write() {
        assert_eq!(
            Data::<Toml>::null().to_nix(),
            Err(ValueError::NotInFormat {
                format: "TOML value",
                what: "null"
            })
        );
        assert!(accept::<Data<Atom>, _>(vec![1]).is_err());
        assert!(accept::<Data<AtomOrList>, _>(vec![1, 2]).is_ok());
        assert!(accept::<Data<AtomOrList>, _>(vec![vec![1]]).is_err());
        assert!(accept::<Data<Systemd>, _>(BTreeMap::from([("a", 1)])).is_err());
        let nested_null = Data::<Toml>::attrs([("a", Data::<Toml>::null())]);
        assert!(nested_null.to_nix().is_err());
    }

    #[test]
    fn maps_of_data_are_typed_per_key() {
        assert_eq!(
            accept::<BTreeMap<String, Data<Atom>>, _>([("a", 1)]).unwrap(),
            "{\n  a = 1;\n}"
        );
    }
}
