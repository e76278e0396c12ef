//! Special arguments: values every module of a host receives as a function argument
//! (`{ config, pkgs, host, username, ... }:`), through `specialArgs` and Home Manager's
//! `extraSpecialArgs`. Hand-kept and imported modules often take them.

use super::Location;
use crate::nix::{Expr, ValueError};
use crate::value::{IntoValue, Untyped};

/// One special argument: its name, its value, and where the Rust gave it.
#[derive(Clone, Debug)]
pub struct SpecialArg {
    pub name: String,
    pub value: Result<Expr, ValueError>,
    pub location: Location,
}

impl SpecialArg {
    #[track_caller]
    pub(crate) fn new(name: impl Into<String>, value: impl IntoValue<Untyped>) -> Self {
        Self {
            name: name.into(),
            value: value.into_nix(),
            location: Location::caller(),
        }
    }
}

/// The arguments a host's modules get: the flake's, then the host's, a host's value
/// replacing the flake's of the same name.
pub fn effective<'a>(flake: &'a [SpecialArg], host: &'a [SpecialArg]) -> Vec<&'a SpecialArg> {
    let mut out: Vec<&SpecialArg> = flake
        .iter()
        .filter(|arg| !host.iter().any(|h| h.name == arg.name))
        .collect();
    out.extend(host);
    out
}
