//! A host's own package set ([`Host::package_set`]): a function of the flake's inputs,
//! given to `nixosSystem` as `pkgs`. NixOS applies no `nixpkgs.overlays` or
//! `nixpkgs.config` to a set given that way, so what the flake states for every host's
//! packages (its overlays, packages and unfree rule) would silently not apply: an error.

use rnix::ast;

use super::outputs::unparen;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Engine, Flake, Host};

/// Whether the package set of `host`, whose text is `text`, may be written; each
/// reason it may not is added to `out`.
pub(super) fn check(flake: &Flake, host: &Host, text: &str, out: &mut Vec<Diagnostic>) -> bool {
    let Some(set) = &host.package_set else {
        return true;
    };
    let at = set.source.location();
    let note = "package set given here";
    let before = out.len();
    let root = rnix::Root::parse(text).tree().expr();
    if !matches!(root.map(unparen), Some(ast::Expr::Lambda(_))) {
        out.push(
            Diagnostic::new(
                Kind::InvalidPackageSet,
                format!("the package set of host `{}` is not a function of the flake's inputs", host.name),
            )
            .at(at, note)
            .help("write the file as `inputs: import inputs.nixpkgs { system = \"x86_64-linux\"; ... }` (or `{ nixpkgs, ... }@inputs: ...`)"),
        );
    }
    let mut flake_wide = Vec::new();
    if !flake.overlays.is_empty() {
        flake_wide.push("overlays (`Flake::overlay`)");
    }
    if !flake.packages.is_empty() {
        flake_wide.push("packages (`Flake::package`)");
    }
    if flake.unfree.is_some() {
        flake_wide.push("an unfree rule (`Flake::allow_unfree`)");
    }
    if !flake_wide.is_empty() {
        out.push(
            Diagnostic::new(
                Kind::InvalidPackageSet,
                format!(
                    "host `{}` has its own package set, to which NixOS applies none of the flake's {}",
                    host.name,
                    flake_wide.join(", ")
                ),
            )
            .at(at, note)
            .at(flake.location, "the flake that states them for every host")
            .help("build the package set with them (`import inputs.nixpkgs { overlays = [ inputs.self.overlays.default ]; config.allowUnfree = true; ... }`), or leave the host the package set NixOS builds"),
        );
    }
    if set.its_lib {
        if let Some(additions) = &host.lib_additions {
            out.push(
                Diagnostic::new(
                    Kind::InvalidPackageSet,
                    format!("host `{}` is given two `lib`s: its package set's and nixpkgs' with additions", host.name),
                )
                .at(at, "the package set's `lib` (`with_its_lib`) given here")
                .at(additions.location, "`lib_additions` given here")
                .help("keep one: add what `lib_additions` holds in the package set's overlays, or drop `with_its_lib`"),
            );
        }
    }
    let colmena = flake
        .engines
        .iter()
        .any(|(engine, _)| *engine == Engine::Colmena);
    if colmena && host.deployment.is_some() {
        out.push(
            Diagnostic::new(
                Kind::InvalidPackageSet,
                format!("host `{}` has its own package set and is deployed with colmena, which builds hosts with the hive's nixpkgs", host.name),
            )
            .at(at, note)
            .help("deploy the host with deploy-rs or `nixos-rebuild --flake`, which build the flake's own `nixosConfigurations`"),
        );
    }
    out.len() == before
}
