//! Integers within bounds: `integer between A and B (both inclusive)` and `positive
//! integer, meaning >0`.
//!
//! No Rust integer type has these ranges, so the bound is checked when the value is
//! built: `nice = 25` on an option of type `integer between -20 and 19` is a build error
//! at the Rust line, as NixOS would reject it at evaluation.

use super::{IntoValue, NullOr, ToNix};
use crate::nix::{Expr, ValueError};

/// An integer from `MIN` to `MAX`, both inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Between<const MIN: i64, const MAX: i64>;

/// A positive integer (`> 0`).
pub type Positive = Between<1, { i64::MAX }>;

fn within<const MIN: i64, const MAX: i64>(value: Expr, text: String) -> Result<Expr, ValueError> {
    match value {
        Expr::Int(n) if (MIN..=MAX).contains(&n) => Ok(value),
        _ => Err(ValueError::OutOfBounds {
            value: text,
            min: MIN,
            max: MAX,
        }),
    }
}

macro_rules! bounded {
    ($($t:ty),*) => {$(
        impl<const MIN: i64, const MAX: i64> IntoValue<Between<MIN, MAX>> for $t {
            fn into_nix(self) -> Result<Expr, ValueError> {
                within::<MIN, MAX>(self.to_nix()?, self.to_string())
            }
        }
        impl<const MIN: i64, const MAX: i64> IntoValue<NullOr<Between<MIN, MAX>>> for $t {
            fn into_nix(self) -> Result<Expr, ValueError> {
                within::<MIN, MAX>(self.to_nix()?, self.to_string())
            }
        }
    )*};
}
bounded!(i8, i16, i32, i64, u8, u16, u32, u64);

#[cfg(test)]
mod tests {
    use super::*;

    fn accept<T, V: IntoValue<T>>(value: V) -> Result<Expr, ValueError> {
        value.into_nix()
    }

    #[test]
    fn bounds_are_inclusive() {
        assert_eq!(accept::<Between<-20, 19>, _>(-20), Ok(Expr::Int(-20)));
        assert_eq!(accept::<Between<-20, 19>, _>(19), Ok(Expr::Int(19)));
        assert_eq!(
            accept::<Between<-20, 19>, _>(25),
            Err(ValueError::OutOfBounds {
                value: "25".into(),
                min: -20,
                max: 19
            })
        );
        assert!(accept::<Positive, _>(0).is_err());
        assert!(accept::<NullOr<Positive>, _>(1).is_ok());
    }
}
