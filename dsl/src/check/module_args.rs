//! Names a raw snippet takes from its module's arguments. The emitter makes every such
//! name an argument of the module function (`{ config, lib, pkgs, username, ... }:`);
//! the module system then looks it up among NixOS's own arguments, the special
//! arguments and `_module.args`. A name none of them gives is unbound when the option is
//! evaluated: an error when flakesmith sees every module of the host, a warning when a
//! hand-kept module or another flake's, which it cannot read, might define it.

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::Flake;
use crate::nix::Expr;

use super::effective::{Effective, Origin};

/// What NixOS and the module system pass every NixOS module.
const NIXOS_ARGS: &[&str] = &[
    "config",
    "options",
    "lib",
    "pkgs",
    "modulesPath",
    "specialArgs",
    "utils",
    "baseModules",
    "extraModules",
    "noUserModules",
    "extendModules",
    "moduleType",
    "name",
    "inputs",
];

/// What Home Manager passes its modules (as a NixOS module it adds the system's
/// configuration).
const HOME_ARGS: &[&str] = &[
    "config",
    "options",
    "lib",
    "pkgs",
    "modulesPath",
    "specialArgs",
    "osConfig",
    "nixosConfig",
    "name",
    "inputs",
];

/// Which side the effective view is of.
pub(crate) enum Side {
    NixOS,
    Home,
}

/// Reports each name a raw snippet of `effective` reads that nothing gives.
/// `special` are the special arguments of the host (or of the hosts a user is on);
/// `unseen` says whether a module flakesmith cannot read is in effect.
pub(crate) fn unbound(
    flake: &Flake,
    effective: &Effective,
    side: Side,
    special: &[&str],
    unseen: bool,
    out: &mut Vec<Diagnostic>,
) {
    let standard = match side {
        Side::NixOS => NIXOS_ARGS,
        Side::Home => HOME_ARGS,
    };
    let mut given: Vec<String> = standard.iter().map(|s| (*s).to_owned()).collect();
    given.extend(special.iter().map(|s| (*s).to_owned()));
    given.extend(flake.special_args.iter().map(|a| a.name.clone()));
    given.extend(module_args_defined(effective));
    for leaf in &effective.leaves {
        let Some(value) = &leaf.value else { continue };
        let mut bound: Vec<String> = Vec::new();
        // A module with options binds `cfg` around its definitions.
        if let Origin::Module(module) = &leaf.origin {
            if module.options.is_some() {
                bound.push("cfg".to_owned());
            }
        }
        let mut snippets = Vec::new();
        raw_snippets(value, &mut bound, &mut snippets);
        for (text, around) in snippets {
            for name in crate::nix::free_variables(text) {
                if given.contains(&name) || around.contains(&name) {
                    continue;
                }
                out.push(diagnostic(
                    effective,
                    &leaf.origin,
                    &leaf.path,
                    &name,
                    unseen,
                    leaf.location,
                ));
            }
        }
    }
}

fn diagnostic(
    effective: &Effective,
    origin: &Origin,
    path: &[String],
    name: &str,
    unseen: bool,
    at: crate::model::Location,
) -> Diagnostic {
    let entity = &effective.entity;
    let place = origin.describe(entity);
    let option = path.join(".");
    let help = format!(
        "give it to the modules with `Host::special_arg(\"{name}\", ...)` (or `Flake::special_arg` for every host), or define `_module.args.{name}`"
    );
    if unseen {
        Diagnostic::new(
            Kind::MaybeUnboundVariable,
            format!(
                "raw Nix of `{option}` in {place} names `{name}`, which no special argument or `_module.args` definition flakesmith sees gives {entity}; a hand-kept module or another flake's may"
            ),
        )
        .at(at, "named here")
        .help(help)
    } else {
        Diagnostic::new(
            Kind::UnboundVariable,
            format!(
                "raw Nix of `{option}` in {place} names `{name}`, which nothing gives the modules of {entity}: Nix would stop at \"attribute '{name}' missing\""
            ),
        )
        .at(at, "named here")
        .help(help)
    }
}

/// The names the effective definitions give `_module.args`.
fn module_args_defined(effective: &Effective) -> Vec<String> {
    let mut out = Vec::new();
    for leaf in &effective.leaves {
        match leaf.path.as_slice() {
            [m, a, name, ..] if m == "_module" && a == "args" => out.push(name.clone()),
            [m, a] if m == "_module" && a == "args" => {
                if let Some(Expr::Attrs(attrs)) = &leaf.value {
                    out.extend(attrs.entries().iter().map(|(key, _)| key.clone()));
                }
            }
            _ => {}
        }
    }
    out
}

/// Each raw snippet inside `expr`, with the names the typed expression around it binds
/// (`final: prev: ...`, `let`).
fn raw_snippets<'e>(
    expr: &'e Expr,
    bound: &mut Vec<String>,
    out: &mut Vec<(&'e str, Vec<String>)>,
) {
    match expr {
        Expr::Raw(text) => out.push((text, bound.clone())),
        Expr::Function(ident, body) => {
            bound.push(ident.as_str().to_owned());
            raw_snippets(body, bound, out);
            bound.pop();
        }
        Expr::Lambda(formals, body) => {
            let n = formals.names.len() + usize::from(formals.bind.is_some());
            bound.extend(formals.names.iter().map(|i| i.as_str().to_owned()));
            bound.extend(formals.bind.iter().map(|i| i.as_str().to_owned()));
            raw_snippets(body, bound, out);
            bound.truncate(bound.len() - n);
        }
        Expr::Let(bindings, body) => {
            bound.extend(bindings.iter().map(|(ident, _)| ident.as_str().to_owned()));
            for (_, value) in bindings {
                raw_snippets(value, bound, out);
            }
            raw_snippets(body, bound, out);
            bound.truncate(bound.len() - bindings.len());
        }
        other => {
            for child in other.children() {
                raw_snippets(child, bound, out);
            }
        }
    }
}
