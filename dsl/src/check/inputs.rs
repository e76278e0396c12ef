//! Other flakes: their names and follows, and the modules hosts import from them.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::Flake;
use crate::plan::Plan;

/// Names the flake's own inputs and outputs take.
const RESERVED: &[&str] = &["self", "nixpkgs", "home-manager", "inputs"];

pub(crate) fn inputs(flake: &Flake, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, crate::model::Location> = BTreeMap::new();
    for input in &flake.inputs {
        let name = input.name.as_str();
        let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            out.push(
                Diagnostic::new(Kind::InvalidInputName, format!("input name `{}` is not valid", name.escape_debug()))
                    .at(input.location, "input defined here")
                    .help("an input's name is a plain attribute name: a letter, then letters, digits, `-` and `_`"),
            );
        } else if RESERVED.contains(&name) {
            out.push(
                Diagnostic::new(Kind::ReservedInputName, format!("input `{name}` is one flakesmith writes itself"))
                    .at(input.location, "input defined here")
                    .help("pin nixpkgs and Home Manager with `Flake::inputs(nixpkgs, home_manager)`; `self` and `inputs` are taken"),
            );
        }
        if let Some(first) = seen.insert(name, input.location) {
            out.push(
                Diagnostic::new(
                    Kind::DuplicateInput,
                    format!("two inputs are named `{name}`"),
                )
                .at(first, "the first one")
                .at(input.location, "the second one"),
            );
        }
        if input.url.trim().is_empty() {
            out.push(
                Diagnostic::new(
                    Kind::EmptyFlakeReference,
                    format!("input `{name}` has an empty flake reference"),
                )
                .at(input.location, "input defined here"),
            );
        }
    }
    for input in &flake.inputs {
        for (own, ours) in &input.follows {
            let known = ours == "nixpkgs"
                || ours == "home-manager"
                || flake.inputs.iter().any(|i| &i.name == ours);
            if !known {
                out.push(
                    Diagnostic::new(
                        Kind::UnknownFollows,
                        format!(
                            "input `{}` follows `{ours}`, which is not an input of this flake",
                            input.name
                        ),
                    )
                    .at(input.location, "input defined here")
                    .help(format!(
                        "declare `{ours}` with `Flake::input`, or follow `nixpkgs`"
                    )),
                );
            }
            if input.follows.iter().filter(|(o, _)| o == own).count() > 1 {
                out.push(
                    Diagnostic::new(
                        Kind::DuplicateFollows,
                        format!(
                            "input `{}` says twice what its input `{own}` follows",
                            input.name
                        ),
                    )
                    .at(input.location, "input defined here"),
                );
            }
        }
    }
}

/// A module imported from another flake needs that input, and carries no definitions of
/// its own (they would not be written anywhere).
pub(crate) fn external_modules(plan: &Plan, out: &mut Vec<Diagnostic>) {
    for planned in &plan.modules {
        let module = planned.module;
        let Some(external) = &module.external else {
            continue;
        };
        // The generated flake always has nixpkgs and Home Manager (`Flake::inputs`), and
        // every flake is its own input `self` (its outputs kept by hand hold modules too).
        let always = matches!(external.input.as_str(), "nixpkgs" | "home-manager" | "self");
        if !always && !plan.flake.inputs.iter().any(|i| i.name == external.input) {
            out.push(
                Diagnostic::new(
                    Kind::UndeclaredInput,
                    format!(
                        "module `{}` comes from input `{}`, which the flake does not declare",
                        module.file_path(),
                        external.input
                    ),
                )
                .at(module.location, "module imported here")
                .help(format!(
                    "add the input: `.input(Input::github(\"{}\", \"owner/repo\"))` on the `Flake`",
                    external.input
                )),
            );
        }
        if let Some(definition) = module.definitions.first() {
            out.push(
                Diagnostic::new(
                    Kind::DefinitionOnForeignModule,
                    format!(
                    "module `{}` is another flake's: definitions made on it are written nowhere",
                    module.file_path()
                ),
                )
                .at(definition.location, "definition made here")
                .help("set the options it declares on the host, or in a module of your own"),
            );
        }
    }
}
