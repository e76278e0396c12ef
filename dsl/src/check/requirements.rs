//! What entities require of each other: Home Manager users need system accounts, desktop
//! modules a graphical session, registered modules a host or user that imports them.

use super::effective::Effective;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Category, Flake, Lint, Module, User};
use crate::nix::Expr;
use crate::plan::{Plan, PlannedHost};

/// Every Home Manager user on a host needs a normal system account there, and the
/// user's `home.username` and `home.homeDirectory` must agree with it.
pub(crate) fn home_manager_users(
    plan: &Plan,
    planned: &PlannedHost,
    effective: &Effective,
    out: &mut Vec<Diagnostic>,
) {
    let host = planned.host;
    let imports_a_clashed_module = plan.modules_of(planned).any(|m| m.clashed);
    for user in plan.users_of(planned).map(|u| u.user) {
        let name = user.name.as_str();
        // A user whose name is rejected (`Alice`, `../root`) is reported once, for that.
        if super::valid_user_name(name).is_err() {
            continue;
        }
        // The account may be in a module rejected for sharing a name with another
        // (`duplicate-module`): that mistake is reported, not its consequences.
        if imports_a_clashed_module {
            continue;
        }
        if !effective.is_true(&["users", "users", name, "isNormalUser"]) {
            out.push(
                Diagnostic::new(Kind::HomeUserWithoutSystemUser, format!(
                    "Home Manager user `{name}` is on host `{}`, which has no normal system user `{name}`",
                    host.name
                ))
                .at(user.location, "user defined here")
                .at(host.location, "host defined here")
                .help(format!(
                    "define `users.users.{name}.isNormalUser = true` in a module the host imports or on the host itself"
                )),
            );
            continue;
        }
        let system_home = match effective.winning(&["users", "users", name, "home"]) {
            Some(Expr::Str(home)) => home.as_str().to_owned(),
            _ => user.home_directory(),
        };
        for (field, expected, what) in [
            (
                "username",
                name.to_owned(),
                "the system user's name".to_owned(),
            ),
            (
                "homeDirectory",
                system_home.clone(),
                format!("users.users.{name}.home on host `{}`", host.name),
            ),
        ] {
            if let Some((value, location)) = user_string(user, field) {
                if value != expected {
                    out.push(
                        Diagnostic::new(Kind::HomeUserMismatch, format!(
                            "home.{field} of Home Manager user `{name}` is `{value}`, but {what} is `{expected}`"
                        ))
                        .at(location, format!("home.{field} set here"))
                        .help(format!("leave home.{field} unset and flakesmith sets it to `{expected}`")),
                    );
                }
            } else if field == "homeDirectory" && system_home != user.home_directory() {
                out.push(
                    Diagnostic::new(Kind::HomeUserMismatch, format!(
                        "Home Manager user `{name}` would get home.homeDirectory `{}`, but {what} is `{system_home}`",
                        user.home_directory()
                    ))
                    .at(user.location, "user defined here")
                    .help(format!("set home.homeDirectory to \"{system_home}\" on the user")),
                );
            }
        }
    }
}

/// A string the user defines at `home.<field>`, with where.
fn user_string(user: &User, field: &str) -> Option<(String, crate::model::Location)> {
    user.definitions
        .iter()
        .find_map(|d| match (d.path.segments().as_slice(), &d.value) {
            ([home, f], Ok(Expr::Str(value))) if home == "home" && f == field => {
                Some((value.as_str().to_owned(), d.location))
            }
            _ => None,
        })
}

/// Options that, when true, give a host a graphical session.
const GRAPHICAL_SESSION: &[&[&str]] = &[
    &["services", "xserver", "enable"],
    &["services", "displayManager", "sddm", "enable"],
    &["services", "xserver", "displayManager", "gdm", "enable"],
    &["services", "xserver", "displayManager", "lightdm", "enable"],
    &["services", "desktopManager", "plasma6", "enable"],
    &["services", "xserver", "desktopManager", "gnome", "enable"],
    &["programs", "sway", "enable"],
    &["programs", "hyprland", "enable"],
    &["services", "cage", "enable"],
];

/// A desktop-category module on a host with no graphical session configures nothing
/// anyone sees.
pub(crate) fn desktop_without_session(
    plan: &Plan,
    planned: &PlannedHost,
    effective: &Effective,
    out: &mut Vec<Diagnostic>,
) {
    let host = planned.host;
    if host.allowed.contains(&Lint::DesktopWithoutGraphicalSession)
        || GRAPHICAL_SESSION.iter().any(|path| effective.is_true(path))
    {
        return;
    }
    for module in plan
        .modules_of(planned)
        .map(|m| m.module)
        .filter(|m| m.category == Category::Desktop)
    {
        out.push(
            Diagnostic::new(Kind::DesktopWithoutGraphicalSession, format!(
                "desktop module `{}` is imported by host `{}`, which has no graphical session",
                module.name, host.name
            ))
            .at(module.location, "module defined here")
            .at(host.location, "host defined here")
            .help(format!(
                "enable a display manager or desktop (such as services.xserver.enable), or drop the module; {}",
                Lint::DesktopWithoutGraphicalSession.allow_hint(&format!("host `{}`", host.name))
            )),
        );
    }
}

/// Modules registered with the flake that no host imports.
pub(crate) fn unused_modules(flake: &Flake, out: &mut Vec<Diagnostic>) {
    // Every module file imported anywhere: by hosts, users, hosts' additions, the
    // flake's shared Home Manager modules, and by those modules themselves.
    let mut used_paths = std::collections::BTreeSet::new();
    let mut stack: Vec<&Module> = flake
        .hosts
        .iter()
        .flat_map(|h| {
            h.modules
                .iter()
                .chain(h.users.iter().flat_map(|u| &u.imports))
                .chain(h.homes.iter().flat_map(|(_, home)| &home.imports))
        })
        .chain(&flake.home_modules)
        .collect();
    while let Some(module) = stack.pop() {
        if used_paths.insert(module.file_path()) {
            stack.extend(&module.imports);
            stack.extend(&module.beside);
        }
    }
    for module in &flake.modules {
        let path = module.file_path();
        let used = used_paths.contains(&path);
        if !used && !module.allowed.contains(&Lint::UnusedModule) {
            out.push(
                Diagnostic::new(
                    Kind::UnusedModule,
                    format!(
                        "module `{}` is registered but no {} imports it",
                        module.name,
                        if module.category.is_home() {
                            "user"
                        } else {
                            "host"
                        }
                    ),
                )
                .at(module.location, "module defined here")
                .help(format!(
                    "import it on a host or remove it; {}",
                    Lint::UnusedModule.allow_hint(&format!("module `{}`", module.name))
                )),
            );
        }
    }
}
