//! Whole-flake checks, run before anything is emitted.
//!
//! Every check adds to one list, so a user sees every problem of a configuration in one
//! build. Messages name the entity and point at the Rust that defined it. Checks that
//! need a host's whole configuration read its effective view (`effective.rs`).

mod conflicts;
mod effective;
mod lints;
mod names;
mod references;
mod secrets;

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::{Flake, Module, User};

pub use names::{valid_host_name, valid_module_name, valid_user_name, MAX_NESTING};
pub(crate) use references::user_string;

/// Runs every check over the flake and returns all findings, errors and warnings, each
/// once, in the order found.
pub fn check(flake: &Flake) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let modules = unique_modules(flake, &mut out);
    let users = unique_users(flake, &mut out);
    names::host_names(flake, &mut out);
    for module in &modules {
        names::module(module, &mut out);
    }
    for user in &users {
        names::user(user, &mut out);
        secrets::plaintext_secrets_of_user(user, &mut out);
    }
    let pathological = flake
        .hosts
        .iter()
        .flat_map(|h| {
            h.modules
                .iter()
                .map(|m| &m.definitions)
                .chain([&h.definitions])
                .chain(h.users.iter().map(|u| &u.definitions))
        })
        .any(|d| names::too_deep(d));
    for host in &flake.hosts {
        names::host(host, &mut out);
        if pathological {
            // Values too deep to walk safely were reported; the whole-host checks, which
            // walk every value, would only add noise (or exhaust the stack).
            continue;
        }
        let effective = effective::Effective::of(host);
        conflicts::conflicts(&effective, &mut out);
        conflicts::no_effect(&effective, &mut out);
        references::home_manager_users(&effective, &mut out);
        references::desktop_without_session(&effective, &mut out);
        secrets::plaintext_secrets_on_host(&effective, &mut out);
        lints::root_login_with_password(&effective, &mut out);
        lints::firewall_disabled(&effective, &mut out);
    }
    references::unused_modules(flake, &mut out);
    // A shared module's problem shows once, not once per host that imports it.
    let mut seen = std::collections::HashSet::new();
    out.retain(|d| seen.insert(d.to_string()));
    out
}

/// The modules of the tree, once each: those the hosts import, then those registered
/// with the flake. Two different modules that would write the same file are an error.
pub(crate) fn unique_modules<'a>(flake: &'a Flake, out: &mut Vec<Diagnostic>) -> Vec<&'a Module> {
    let mut by_path: BTreeMap<String, &Module> = BTreeMap::new();
    let mut order = Vec::new();
    for module in flake
        .hosts
        .iter()
        .flat_map(|h| &h.modules)
        .chain(&flake.modules)
    {
        let path = module.file_path();
        match by_path.get(&path) {
            None => {
                by_path.insert(path, module);
                order.push(module);
            }
            Some(first) if first.location == module.location => {}
            Some(first) => out.push(
                Diagnostic::error(format!(
                    "two different modules are both named `{}` in category `{}`",
                    module.name, module.category
                ))
                .at(first.location, format!("the first one, written to {path}"))
                .at(module.location, "the second one")
                .help("give one of them another name"),
            ),
        }
    }
    order
}

/// The Home Manager users of all hosts, once each.
pub(crate) fn unique_users<'a>(flake: &'a Flake, out: &mut Vec<Diagnostic>) -> Vec<&'a User> {
    let mut by_name: BTreeMap<&str, &User> = BTreeMap::new();
    let mut order = Vec::new();
    for user in flake.hosts.iter().flat_map(|h| &h.users) {
        match by_name.get(user.name.as_str()) {
            None => {
                by_name.insert(&user.name, user);
                order.push(user);
            }
            Some(first) if first.location == user.location => {}
            Some(first) => out.push(
                Diagnostic::error(format!("two different Home Manager users are both named `{}`", user.name))
                    .at(first.location, "the first one")
                    .at(user.location, "the second one")
                    .help("a user is written to one file, home/<name>.nix: define the user once and add it to each host"),
            ),
        }
    }
    order
}
