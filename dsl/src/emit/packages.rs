//! The flake's own packages and overlays: `pkgs/<name>.nix` and `overlays/<name>.nix`
//! (hand-kept files, copied), and the `packages` and `overlays` outputs.

use crate::model::DEFAULT_OVERLAY;
use crate::nix::{Attrs, Expr, Ident};
use crate::plan::Plan;
use crate::tree::GeneratedFile;

/// The hand-kept files of packages and overlays.
pub(super) fn files(plan: &Plan) -> Vec<GeneratedFile> {
    let flake = plan.flake;
    let packages = plan.packages.iter().map(|planned| {
        let package = planned.package;
        GeneratedFile::new(
            package.file_path(),
            super::hand_kept_file(
                flake,
                &format!("package `{}`", package.name),
                Some(&package.source),
                package.location,
                &planned.text,
            ),
        )
    });
    let overlays = plan.overlays.iter().filter_map(|planned| {
        let overlay = planned.overlay;
        let text = planned.text.as_ref()?;
        Some(GeneratedFile::new(
            overlay.file_path(),
            super::hand_kept_file(
                flake,
                &format!("overlay `{}`", overlay.name),
                overlay.file.as_ref(),
                overlay.location,
                text,
            ),
        ))
    });
    packages.chain(overlays).collect()
}

/// `packages.<system>.<name>` for every system of the fleet and every package of the
/// flake's own, and `overlays`; added to `outputs`.
pub(super) fn outputs(plan: &Plan, systems: &[&str], outputs: &mut Attrs) {
    if !plan.packages.is_empty() {
        let per_system: Attrs = systems
            .iter()
            .map(|system| {
                let packages: Attrs = plan
                    .packages
                    .iter()
                    .map(|planned| {
                        let pkgs = vec!["legacyPackages".to_owned(), (*system).to_owned()];
                        let value = call_package("nixpkgs", pkgs, &planned.package.file_path());
                        (planned.package.name.clone(), value)
                    })
                    .collect();
                ((*system).to_owned(), packages.into())
            })
            .collect();
        outputs.insert("packages".to_owned(), per_system.into());
    }
    let mut overlays = Attrs::new();
    if !plan.packages.is_empty() {
        let own: Attrs = plan
            .packages
            .iter()
            .map(|planned| {
                let value = call_package("final", Vec::new(), &planned.package.file_path());
                (planned.package.name.clone(), value)
            })
            .collect();
        overlays.insert(DEFAULT_OVERLAY.to_owned(), overlay_function(own.into()));
    }
    for planned in &plan.overlays {
        let overlay = planned.overlay;
        let value = match &planned.text {
            Some(_) => Expr::import(super::path(format!("./{}", overlay.file_path()))),
            None => {
                let entries: Attrs = overlay
                    .entries
                    .iter()
                    .map(|entry| {
                        let value = entry
                            .value
                            .clone()
                            .expect("overlay entries were checked before emission");
                        (entry.name.clone(), value)
                    })
                    .collect();
                overlay_function(entries.into())
            }
        };
        overlays.insert(overlay.name.clone(), value);
    }
    if !overlays.is_empty() {
        outputs.insert("overlays".to_owned(), overlays.into());
    }
}

/// `<var>.<path>.callPackage ./<file> { }`: `var.path` is a package set.
fn call_package(var: &'static str, mut path: Vec<String>, file: &str) -> Expr {
    path.push("callPackage".to_owned());
    Expr::apply(
        Expr::Select(ident(var), path),
        [
            Expr::Path(super::path(format!("./{file}"))),
            Expr::Attrs(Attrs::new()),
        ],
    )
}

/// `final: prev: <body>`.
fn overlay_function(body: Expr) -> Expr {
    Expr::Function(
        ident("final"),
        Box::new(Expr::Function(ident("prev"), Box::new(body))),
    )
}

fn ident(name: &'static str) -> Ident {
    Ident::new(name).expect("flakesmith's own identifiers are valid")
}
