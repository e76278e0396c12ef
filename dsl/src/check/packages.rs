//! The flake's own packages and overlays: their names, their hand-kept files (read and
//! parsed like hardware files), the definitions that apply them on every host
//! (`nixpkgs.overlays`, the unfree rule), and references to packages of the flake's own
//! that it does not have.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::effective::Effective;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Definition, Flake, Location, Merge, Order, Priority, Unfree};
use crate::nix::{is_plain_identifier, Expr, Ident};
use crate::option::OptionPath;
use crate::plan::{PlannedOverlay, PlannedPackage};

use crate::model::DEFAULT_OVERLAY;

/// Checks the packages and overlays and reads their hand-kept files.
pub(crate) fn resolve<'a>(
    flake: &'a Flake,
    base_dir: &Path,
    parse: super::Parser,
    inputs: &mut Vec<PathBuf>,
    out: &mut Vec<Diagnostic>,
) -> (Vec<PlannedPackage<'a>>, Vec<PlannedOverlay<'a>>) {
    let mut packages = Vec::new();
    let mut seen: BTreeMap<&str, Location> = BTreeMap::new();
    for package in &flake.packages {
        let entity = format!("package `{}`", package.name);
        if !is_plain_identifier(&package.name) {
            out.push(
                Diagnostic::new(Kind::InvalidPackageName, format!(
                    "package name `{}` is not valid: it must be one Nix attribute name (letters, digits, `-`, `_`, `'`, not starting with a digit)",
                    package.name.escape_debug()
                ))
                .at(package.location, "package defined here"),
            );
            continue;
        }
        if let Some(first) = seen.insert(&package.name, package.location) {
            out.push(
                Diagnostic::new(
                    Kind::DuplicatePackage,
                    format!("two packages are named `{}`", package.name),
                )
                .at(first, "the first one")
                .at(package.location, "the second")
                .help("a package is one file, pkgs/<name>.nix: give each its own name"),
            );
            continue;
        }
        let text = super::sources::load(
            &package.source,
            &entity,
            "package file named here",
            base_dir,
            parse,
            inputs,
            out,
        );
        if let Some(text) = text {
            packages.push(PlannedPackage { package, text });
        }
    }
    let mut overlays = Vec::new();
    let mut seen: BTreeMap<&str, Location> = BTreeMap::new();
    for overlay in &flake.overlays {
        if !is_plain_identifier(&overlay.name) || overlay.name == DEFAULT_OVERLAY {
            out.push(
                Diagnostic::new(Kind::InvalidOverlayName, format!(
                    "overlay name `{}` is not valid: it must be one Nix attribute name, and not `{DEFAULT_OVERLAY}` (the overlay of the flake's own packages)",
                    overlay.name.escape_debug()
                ))
                .at(overlay.location, "overlay defined here"),
            );
            continue;
        }
        if let Some(first) = seen.insert(&overlay.name, overlay.location) {
            out.push(
                Diagnostic::new(
                    Kind::DuplicateOverlay,
                    format!("two overlays are named `{}`", overlay.name),
                )
                .at(first, "the first one")
                .at(overlay.location, "the second"),
            );
            continue;
        }
        let mut names: BTreeMap<&str, Location> = BTreeMap::new();
        for entry in &overlay.entries {
            if !is_plain_identifier(&entry.name) {
                out.push(
                    Diagnostic::new(
                        Kind::InvalidOverlayEntry,
                        format!(
                            "overlay `{}` defines `{}`, which is not a package name",
                            overlay.name,
                            entry.name.escape_debug()
                        ),
                    )
                    .at(entry.location, "defined here"),
                );
            }
            if let Some(first) = names.insert(&entry.name, entry.location) {
                out.push(
                    Diagnostic::new(
                        Kind::DuplicateOverlayEntry,
                        format!(
                            "overlay `{}` defines package `{}` twice",
                            overlay.name, entry.name
                        ),
                    )
                    .at(first, "the first definition")
                    .at(entry.location, "the second"),
                );
            }
            if let Err(error) = &entry.value {
                out.push(
                    Diagnostic::new(
                        Kind::UnwritablePackage,
                        format!(
                            "overlay `{}`: package `{}` has no Nix form: {error}",
                            overlay.name, entry.name
                        ),
                    )
                    .at(entry.location, "defined here"),
                );
            }
            if let Some(local) = &entry.local {
                local_reference(flake, local, entry.location, out);
            }
        }
        let text = match &overlay.file {
            None => None,
            Some(source) => {
                if let Some(entry) = overlay.entries.first() {
                    out.push(
                        Diagnostic::new(Kind::PackagesInHandKeptOverlay, format!(
                            "overlay `{}` is a hand-kept file, so packages stated in Rust would be written nowhere",
                            overlay.name
                        ))
                        .at(entry.location, "package stated here")
                        .help("state them in the file, or in an `Overlay::new` of their own"),
                    );
                }
                let entity = format!("overlay `{}`", overlay.name);
                let text = super::sources::load(
                    source,
                    &entity,
                    "overlay file named here",
                    base_dir,
                    parse,
                    inputs,
                    out,
                );
                if text.is_none() {
                    continue;
                }
                text
            }
        };
        overlays.push(PlannedOverlay { overlay, text });
    }
    (packages, overlays)
}

/// What every host gets from the flake's packages settings: `nixpkgs.overlays` (the
/// flake's overlays, through `inputs.self`) and the unfree rule.
pub(crate) fn host_definitions(flake: &Flake) -> Vec<Definition> {
    let mut out = Vec::new();
    let overlays = flake.overlay_names();
    if !overlays.is_empty() {
        let list = overlays
            .iter()
            .map(|name| Expr::select(&format!("inputs.self.overlays.{name}")))
            .collect::<Result<Vec<_>, _>>()
            .map(Expr::List);
        out.push(definition(
            &["nixpkgs", "overlays"],
            list,
            Merge::List,
            flake
                .overlays
                .first()
                .map_or(flake.location, |o| o.location),
        ));
    }
    if let Some((unfree, location)) = &flake.unfree {
        match unfree {
            Unfree::All => out.push(definition(
                &["nixpkgs", "config", "allowUnfree"],
                Ok(Expr::Bool(true)),
                Merge::Equal,
                *location,
            )),
            Unfree::Only(names) => {
                let names = names
                    .iter()
                    .map(|n| Expr::string(n.as_str()))
                    .collect::<Result<Vec<_>, _>>();
                let pkg = Ident::new("pkg").expect("a plain identifier");
                let predicate = names.map(|names| {
                    let name_of = Expr::apply(
                        Expr::Select(Ident::new("lib").expect("plain"), vec!["getName".into()]),
                        [Expr::Select(pkg.clone(), Vec::new())],
                    );
                    Expr::Function(
                        pkg.clone(),
                        Box::new(Expr::apply(
                            Expr::Select(
                                Ident::new("builtins").expect("plain"),
                                vec!["elem".into()],
                            ),
                            [name_of, Expr::List(names)],
                        )),
                    )
                });
                out.push(definition(
                    &["nixpkgs", "config", "allowUnfreePredicate"],
                    predicate,
                    Merge::Unique,
                    *location,
                ));
            }
        }
    }
    out
}

fn definition(
    path: &'static [&'static str],
    value: Result<Expr, crate::nix::ValueError>,
    merge: Merge,
    location: Location,
) -> Definition {
    Definition {
        path: OptionPath::Static(path),
        value,
        priority: Priority::PLAIN,
        order: Order::Normal,
        condition: None,
        merge,
        pattern: None,
        submodules: 0,
        location,
    }
}

/// Every package of the flake's own that `effective` names exists.
pub(crate) fn local_references(flake: &Flake, effective: &Effective, out: &mut Vec<Diagnostic>) {
    for leaf in &effective.leaves {
        let Some(value) = &leaf.value else { continue };
        let mut names = Vec::new();
        local_packages_in(value, &mut names);
        for name in names {
            local_reference(flake, name, leaf.location, out);
        }
    }
}

fn local_reference(flake: &Flake, name: &str, at: Location, out: &mut Vec<Diagnostic>) {
    if flake.packages.iter().any(|p| p.name == name) {
        return;
    }
    out.push(
        Diagnostic::new(Kind::UnknownPackage, format!(
            "package `{name}` is not one of the flake's own packages"
        ))
        .at(at, "named here")
        .help(format!(
            "add it to the flake: `.package(LocalPackage::nix_file(\"{name}\", \"pkgs/{name}.nix\"))`, or name a nixpkgs package with `Package::new`"
        )),
    );
}

fn local_packages_in<'e>(expr: &'e Expr, out: &mut Vec<&'e str>) {
    match expr {
        Expr::LocalPackage(name) => out.push(name),
        Expr::List(items) => items.iter().for_each(|e| local_packages_in(e, out)),
        Expr::Attrs(attrs) => attrs
            .entries()
            .iter()
            .for_each(|(_, e)| local_packages_in(e, out)),
        Expr::Apply(function, args) => {
            local_packages_in(function, out);
            args.iter().for_each(|e| local_packages_in(e, out));
        }
        Expr::Lambda(_, body) | Expr::Function(_, body) => local_packages_in(body, out),
        Expr::Let(bindings, body) => {
            bindings.iter().for_each(|(_, e)| local_packages_in(e, out));
            local_packages_in(body, out);
        }
        Expr::Update(left, right) => {
            local_packages_in(left, out);
            local_packages_in(right, out);
        }
        _ => {}
    }
}
