//! Home Manager modules stay on the Home Manager side: hosts import NixOS modules,
//! users, what hosts add to users and `home-manager.sharedModules` import Home Manager
//! modules ([`Category::Home`], or another flake's `homeManagerModules.*`). A module on
//! the wrong side would evaluate its options in the wrong module system, where they do
//! not exist. Also checks the definitions hosts add to their users.

use crate::diagnostic::Diagnostic;
use crate::model::{Category, Location, Module};
use crate::plan::Plan;

pub(crate) fn categories(plan: &Plan, parse: super::Parser, out: &mut Vec<Diagnostic>) {
    for planned in &plan.hosts {
        let host = planned.host;
        for module in plan.imports_of(planned).map(|m| m.module) {
            if module.category.is_home() {
                out.push(
                    Diagnostic::error(format!(
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
            super::names::definitions(&entity, &home.additions.definitions, parse, out);
            for &i in &home.imports {
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
        for &i in &planned.imports {
            nixos_module_in_home(plan.modules[i].module, &entity, planned.user.location, out);
        }
    }
    for &i in &plan.shared_home {
        let module = plan.modules[i].module;
        nixos_module_in_home(module, "`Flake::home_module`", module.location, out);
    }
}

fn nixos_module_in_home(module: &Module, entity: &str, at: Location, out: &mut Vec<Diagnostic>) {
    if module.category == Category::Home {
        return;
    }
    out.push(
        Diagnostic::error(format!(
            "{entity} imports `{}`, which is a NixOS module, not a Home Manager module",
            module.file_path()
        ))
        .at(at, "imported for the user here")
        .at(module.location, "module defined here")
        .help("Home Manager users import modules of `Category::Home`, or another flake's `homeManagerModules.*`; import NixOS modules on the host"),
    );
}
