//! Special arguments: names a module function can take, given once per flake or host,
//! with values Nix can read.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Flake, SpecialArg};

/// Arguments the module system, NixOS or flakesmith pass themselves: a special argument
/// of one of these names would replace theirs.
const RESERVED: &[&str] = &[
    "config",
    "options",
    "lib",
    "pkgs",
    "modulesPath",
    "specialArgs",
    "inputs",
    "name",
    "osConfig",
    "nixosConfig",
];

pub(crate) fn special_args(flake: &Flake, parse: super::Parser, out: &mut Vec<Diagnostic>) {
    one_level("the flake", &flake.special_args, parse, out);
    for host in &flake.hosts {
        let entity = format!("host `{}`", host.name);
        one_level(&entity, &host.special_args, parse, out);
        if let Some(additions) = &host.lib_additions {
            value(&entity, additions, parse, out);
        }
    }
}

fn one_level(entity: &str, args: &[SpecialArg], parse: super::Parser, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, crate::model::Location> = BTreeMap::new();
    for arg in args {
        let name = arg.name.as_str();
        let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''));
        if !identifier {
            out.push(
                Diagnostic::new(Kind::InvalidSpecialArg, format!(
                    "special argument `{}` of {entity} is not a Nix identifier",
                    name.escape_debug()
                ))
                .at(arg.location, "given here")
                .help("a module takes it as `{ name, ... }:`: a letter or `_`, then letters, digits, `_`, `-` and `'`"),
            );
        } else if RESERVED.contains(&name) {
            out.push(
                Diagnostic::new(Kind::InvalidSpecialArg, format!(
                    "special argument `{name}` of {entity} would replace the one the module system or flakesmith passes"
                ))
                .at(arg.location, "given here")
                .help(format!("choose another name; taken: {}", RESERVED.join(", "))),
            );
        }
        if let Some(first) = seen.insert(name, arg.location) {
            out.push(
                Diagnostic::new(
                    Kind::DuplicateSpecialArg,
                    format!("special argument `{name}` is given twice on {entity}"),
                )
                .at(first, "first given here")
                .at(arg.location, "given again here"),
            );
        }
        value(entity, arg, parse, out);
    }
}

/// Whether the value of `arg` can be written: a value, and raw Nix that parses.
fn value(entity: &str, arg: &SpecialArg, parse: super::Parser, out: &mut Vec<Diagnostic>) {
    let name = arg.name.as_str();
    match &arg.value {
            Err(error) => out.push(
                Diagnostic::new(
                    Kind::UnwritableValue,
                    format!("the value of special argument `{name}` of {entity} cannot be written as Nix: {error}"),
                )
                .at(arg.location, "given here"),
            ),
            Ok(value) => {
                for snippet in super::definitions::raw_snippets(value) {
                    if let Err(error) = parse(snippet) {
                        out.push(
                            Diagnostic::new(
                                Kind::InvalidRawNix,
                                format!(
                                    "the raw Nix of special argument `{name}` of {entity} does not parse: {}",
                                    error.message
                                ),
                            )
                            .at_nix("<raw Nix>", snippet, error.line, error.column, "here")
                            .at(arg.location, "given here"),
                        );
                    }
                }
            }
    }
}
