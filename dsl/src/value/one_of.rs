//! Unions: options whose type is `A or B` (`string or list of string`, `null or (signed
//! integer or string)`, `boolean or one of "auto"`).
//!
//! The bindings name each union's members with a marker type `M` and bind the option as
//! [`OneOf<M>`]. `M` states its members through the traits below (a string member, an
//! integer member, a list member and what its items are, ...), and a value converts when
//! one member takes it: `"eth0"` and `vec!["eth0", "eth1"]` both set a `string or list of
//! string` option, while `true` does not compile. A member the traits cannot say (an
//! enum, a submodule) gets its conversion from [`union_member!`](crate::union_member).
//!
//! A list whose items are of different members (`[ "/var/log" { directory = "/srv"; } ]`)
//! takes each item as [`OneOf::of`], which converts it on its own:
//! `[OneOf::of("/var/log"), OneOf::of(DirectoriesValue::new().directory("/srv"))]`.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use super::{IntoValue, NullOr, Package, RuntimePath, Secret};
use crate::nix::{Expr, ValueError};

/// A value of one of the members `M` names: as a type, what a union option holds; as a
/// value ([`OneOf::of`]), one item of a list that mixes members.
pub struct OneOf<M> {
    value: Result<Expr, ValueError>,
    members: PhantomData<fn() -> M>,
}

impl<M> OneOf<M> {
    /// A value of any member: `OneOf::of("eth0")`, `OneOf::of(443)`, for lists whose
    /// items are of different members.
    pub fn of<V: IntoValue<OneOf<M>>>(value: V) -> Self {
        Self {
            value: value.into_nix(),
            members: PhantomData,
        }
    }
}

impl<M> std::fmt::Debug for OneOf<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("OneOf").field(&self.value).finish()
    }
}

impl<M> Clone for OneOf<M> {
    fn clone(&self) -> Self {
        Self {
            value: self.value.clone(),
            members: PhantomData,
        }
    }
}

impl<M> IntoValue<OneOf<M>> for OneOf<M> {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.value
    }
}

impl<M> IntoValue<NullOr<OneOf<M>>> for OneOf<M> {
    fn into_nix(self) -> Result<Expr, ValueError> {
        self.value
    }
}

/// The union has a boolean member.
pub trait BoolMember {}
/// The union has a string member, of the Rust type `Str` (`String`, `Concatenated`).
pub trait StrMember {
    type Str;
}
/// The union has an integer member of the Rust type `Int` (`i64`, `u16`, ...).
pub trait IntMember {
    type Int;
}
/// The union has a floating point member.
pub trait FloatMember {}
/// The union has a path member: `RuntimePath` and `Secret` values.
pub trait PathMember {}
/// The union has a package member.
pub trait PackageMember {}
/// The union has a list member whose items are `Item`.
pub trait ListMember {
    type Item;
}
/// The union has an attribute set member whose values are `Item`.
pub trait AttrsMember {
    type Item;
}

macro_rules! members {
    ($($wrap:ident),*) => {$(
        impl<M: BoolMember> IntoValue<$wrap<OneOf<M>>> for bool {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<bool>::into_nix(self)
            }
        }
        impl<'a, M: StrMember> IntoValue<$wrap<OneOf<M>>> for &'a str
        where
            &'a str: IntoValue<M::Str>,
        {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<M::Str>::into_nix(self)
            }
        }
        impl<'a, M: StrMember> IntoValue<$wrap<OneOf<M>>> for &'a String
        where
            &'a String: IntoValue<M::Str>,
        {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<M::Str>::into_nix(self)
            }
        }
        impl<M: StrMember> IntoValue<$wrap<OneOf<M>>> for String
        where
            String: IntoValue<M::Str>,
        {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<M::Str>::into_nix(self)
            }
        }
        impl<M: FloatMember> IntoValue<$wrap<OneOf<M>>> for f64 {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<f64>::into_nix(self)
            }
        }
        impl<M: PathMember> IntoValue<$wrap<OneOf<M>>> for RuntimePath {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<RuntimePath>::into_nix(self)
            }
        }
        impl<M: PathMember> IntoValue<$wrap<OneOf<M>>> for Secret {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<RuntimePath>::into_nix(self)
            }
        }
        impl<M: PackageMember> IntoValue<$wrap<OneOf<M>>> for Package {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<Package>::into_nix(self)
            }
        }
        impl<M: ListMember, U: IntoValue<M::Item>> IntoValue<$wrap<OneOf<M>>> for Vec<U> {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<Vec<M::Item>>::into_nix(self)
            }
        }
        impl<M: ListMember, U: IntoValue<M::Item>, const N: usize> IntoValue<$wrap<OneOf<M>>> for [U; N] {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<Vec<M::Item>>::into_nix(self)
            }
        }
        impl<M: AttrsMember, K: Into<String>, U: IntoValue<M::Item>> IntoValue<$wrap<OneOf<M>>> for BTreeMap<K, U> {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<BTreeMap<String, M::Item>>::into_nix(self)
            }
        }
    )*};
}

/// A Rust struct written as a Nix attribute set, with a schema of its own:
/// `#[derive(NixValue)]` implements it for structs. A record sets an option whose type
/// has an attribute set member (`string or attribute set of ...`) and freeform settings;
/// its fields are typed by the struct, and Nix checks them against the option.
pub trait Record: super::ToNix {}

macro_rules! records {
    ($($wrap:ident),*) => {$(
        impl<M: AttrsMember, R: Record> IntoValue<$wrap<OneOf<M>>> for R {
            fn into_nix(self) -> Result<Expr, ValueError> {
                self.to_nix()
            }
        }
    )*};
}
records!(Plain, NullOr);

macro_rules! int_members {
    ($($t:ty),*) => {$(
        impl<M: IntMember> IntoValue<OneOf<M>> for $t
        where
            $t: IntoValue<M::Int>,
        {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<M::Int>::into_nix(self)
            }
        }
        impl<M: IntMember> IntoValue<NullOr<OneOf<M>>> for $t
        where
            $t: IntoValue<M::Int>,
        {
            fn into_nix(self) -> Result<Expr, ValueError> {
                IntoValue::<M::Int>::into_nix(self)
            }
        }
    )*};
}

type Plain<T> = T;
members!(Plain, NullOr);
int_members!(i8, i16, i32, i64, u8, u16, u32, u64);

/// A member of a union that the member traits cannot say (an enum of the bindings, a
/// submodule value): `union_member!(Members: Value)` lets `Value` set an option of type
/// `OneOf<Members>` (and `null or` it).
#[macro_export]
macro_rules! union_member {
    ($members:ty: $($value:ty),+ $(,)?) => {$(
        impl $crate::IntoValue<$crate::value::OneOf<$members>> for $value {
            #[inline]
            fn into_nix(self) -> ::core::result::Result<$crate::nix::Expr, $crate::nix::ValueError> {
                $crate::ToNix::to_nix(&self)
            }
        }
        impl $crate::IntoValue<$crate::NullOr<$crate::value::OneOf<$members>>> for $value {
            #[inline]
            fn into_nix(self) -> ::core::result::Result<$crate::nix::Expr, $crate::nix::ValueError> {
                $crate::ToNix::to_nix(&self)
            }
        }
    )+};
}

#[cfg(test)]
mod tests {
    use super::*;

    enum StrOrList {}
    impl StrMember for StrOrList {
        type Str = String;
    }
    impl ListMember for StrOrList {
        type Item = String;
    }

    enum PortOrAuto {}
    impl IntMember for PortOrAuto {
        type Int = u16;
    }
    impl StrMember for PortOrAuto {
        type Str = String;
    }

    fn accept<T, V: IntoValue<T>>(value: V) -> Result<String, ValueError> {
        value.into_nix().map(|e| crate::nix::print_expr(&e))
    }

    #[test]
    fn each_member_converts() {
        assert_eq!(accept::<OneOf<StrOrList>, _>("a").unwrap(), "\"a\"");
        assert_eq!(
            accept::<OneOf<StrOrList>, _>(["a", "b"]).unwrap(),
            "[\n  \"a\"\n  \"b\"\n]"
        );
        assert_eq!(accept::<NullOr<OneOf<StrOrList>>, _>("a").unwrap(), "\"a\"");
        assert_eq!(accept::<OneOf<PortOrAuto>, _>(443).unwrap(), "443");
        assert_eq!(accept::<OneOf<PortOrAuto>, _>("auto").unwrap(), "\"auto\"");
    }

    #[test]
    fn a_list_mixes_members_through_of() {
        let mixed = [OneOf::of(443), OneOf::of("auto")];
        assert_eq!(
            accept::<Vec<OneOf<PortOrAuto>>, _>(mixed).unwrap(),
            "[\n  443\n  \"auto\"\n]"
        );
        // A wrong item is reported where the list is set, as any value's error.
        let wrong = [OneOf::<PortOrAuto>::of(443), OneOf::of("a\0b")];
        assert!(accept::<Vec<OneOf<PortOrAuto>>, _>(wrong).is_err());
    }
}
