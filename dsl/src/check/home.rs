//! Module imports stay on their side: hosts and NixOS modules import NixOS modules;
//! users, what hosts add to users, `home-manager.sharedModules` and Home Manager modules
//! import Home Manager modules ([`Category::Home`], or another flake's
//! `homeManagerModules.*`). A module on the wrong side would evaluate its options in the
//! wrong module system, where they do not exist. Modules flakesmith does not write
//! (hand-kept, another flake's) cannot be given imports. Also checks the definitions
//! hosts add to their users.

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Category, Location, Module};
use crate::plan::Plan;

pub(crate) fn categories(plan: &Plan, parse: super::Parser, out: &mut Vec<Diagnostic>) {
    for planned in &plan.hosts {
        let host = planned.host;
        for module in plan.modules_of(planned).map(|m| m.module) {
            if module.category.is_home() {
                out.push(
                    Diagnostic::new(Kind::HomeModuleOnHost, format!(
                        "host `{}` imports Home Manager module `{}`",
                        host.name,
                        module.file_path()
                    ))
                    .at(host.location, "host defined here")
                    .at(module.location, "module defined here")
                    .help("a Home Manager module configures users: import it on a user with `User::import`, on a user on this host with `HomeAdditions::import`, or for every user with `Flake::home_module`"),
                );
            }
        }
        for home in &planned.homes {
            let user = &plan.users[home.user].user.name;
            let entity = format!(
                "what host `{}` adds to Home Manager user `{user}`",
                host.name
            );
            super::definitions::definitions(&entity, &home.additions.definitions, parse, out);
            for i in plan.with_imports(&home.imports) {
                nixos_module_in_home(
                    plan.modules[i].module,
                    &entity,
                    home.additions.location,
                    out,
                );
            }
        }
    }
    for planned in &plan.users {
        let entity = format!("Home Manager user `{}`", planned.user.name);
        for i in plan.with_imports(&planned.imports) {
            nixos_module_in_home(plan.modules[i].module, &entity, planned.user.location, out);
        }
    }
    for &i in &plan.shared_home {
        let module = plan.modules[i].module;
        nixos_module_in_home(module, "`Flake::home_module`", module.location, out);
    }
    // A module imports modules of its own side only, and only a module flakesmith
    // writes can import: a hand-kept file or another flake's module is not written.
    for planned in &plan.modules {
        let module = planned.module;
        if let (Some(imported), true) = (
            module.imports.first(),
            module.source.is_some() || module.external.is_some(),
        ) {
            out.push(
                Diagnostic::new(Kind::ImportsOnForeignModule, format!(
                    "module `{}` is not written by flakesmith, so the modules it is given to import would be imported nowhere",
                    module.file_path()
                ))
                .at(module.location, "module defined here")
                .at(imported.location, "imported module defined here")
                .help("import them where the module is imported (on the host or user), or in the hand-kept file itself"),
            );
        }
        for &i in &planned.imports {
            let imported = plan.modules[i].module;
            if imported.category.is_home() != module.category.is_home() {
                let side = |m: &Module| {
                    if m.category.is_home() {
                        "a Home Manager module"
                    } else {
                        "a NixOS module"
                    }
                };
                out.push(
                    Diagnostic::new(Kind::ImportAcrossKinds, format!(
                        "module `{}` is {} but imports `{}`, which is {}",
                        module.file_path(),
                        side(module),
                        imported.file_path(),
                        side(imported)
                    ))
                    .at(module.location, "module defined here")
                    .at(imported.location, "imported module defined here")
                    .help("NixOS modules import NixOS modules and Home Manager modules import Home Manager modules: import the other on the host or on the user instead"),
                );
            }
        }
    }
}

fn nixos_module_in_home(module: &Module, entity: &str, at: Location, out: &mut Vec<Diagnostic>) {
    if module.category == Category::Home {
        return;
    }
    out.push(
        Diagnostic::new(Kind::NixosModuleInHome, format!(
            "{entity} imports `{}`, which is a NixOS module, not a Home Manager module",
            module.file_path()
        ))
        .at(at, "imported for the user here")
        .at(module.location, "module defined here")
        .help("Home Manager users import modules of `Category::Home`, or another flake's `homeManagerModules.*`; import NixOS modules on the host"),
    );
}
