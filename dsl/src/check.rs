//! Whole-flake checks, run before anything is emitted.
//!
//! Each check adds to one list, so a user sees every problem of a configuration in one
//! build. Messages name the entity and point at the Rust that defined it.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::{Definition, Flake, Host, Location, Module, System, User};
use crate::nix::Expr;
use crate::option::OptionPath;

/// Names the tree uses for its own files, which no host or user may take.
const RESERVED_NAMES: &[&str] = &["template"];

/// Runs every check over the flake and returns all findings, errors and warnings.
pub fn check(flake: &Flake) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let modules = unique_modules(flake, &mut out);
    let users = unique_users(flake, &mut out);
    check_host_names(flake, &mut out);
    for module in &modules {
        check_module_name(module, &mut out);
        check_definitions(
            &format!("module `{}`", module.name),
            &module.definitions,
            &mut out,
        );
    }
    for user in &users {
        check_user(user, &mut out);
    }
    for host in &flake.hosts {
        check_host(host, &mut out);
    }
    out
}

/// The modules the hosts import, once each. Two different modules that would write the
/// same file are an error.
pub(crate) fn unique_modules<'a>(flake: &'a Flake, out: &mut Vec<Diagnostic>) -> Vec<&'a Module> {
    let mut by_path: BTreeMap<String, &Module> = BTreeMap::new();
    let mut order = Vec::new();
    for module in flake.hosts.iter().flat_map(|h| &h.modules) {
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

fn check_host_names(flake: &Flake, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, Location> = BTreeMap::new();
    for host in &flake.hosts {
        if let Some(first) = seen.insert(&host.name, host.location) {
            out.push(
                Diagnostic::error(format!("two hosts are named `{}`", host.name))
                    .at(first, "the first one")
                    .at(host.location, "the second one")
                    .help(
                        "host names key nixosConfigurations and hosts/<name>/: each must be unique",
                    ),
            );
        }
        if let Err(why) = valid_host_name(&host.name) {
            out.push(
                Diagnostic::error(format!("host name `{}` is not valid: {why}", host.name.escape_debug()))
                    .at(host.location, "host defined here")
                    .help("NixOS accepts letters, digits, `-` and `_`, at most 63 characters, not starting or ending with `-`"),
            );
        }
    }
}

/// NixOS's rule for `networking.hostName`, plus the names the tree reserves.
pub fn valid_host_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > 63 {
        return Err(format!(
            "it is {} characters long; the limit is 63",
            name.len()
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!("it contains `{}`", c.escape_debug()));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err("it starts or ends with `-`".into());
    }
    if RESERVED_NAMES.contains(&name) {
        return Err(format!(
            "`{name}` is reserved for the template the tree ships"
        ));
    }
    Ok(())
}

/// NixOS's rule for user names (`[a-z_][a-z0-9_-]*\$?`, at most 32 characters), plus the
/// names the tree reserves.
pub fn valid_user_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > 32 {
        return Err(format!(
            "it is {} characters long; the limit is 32",
            name.len()
        ));
    }
    let body = name.strip_suffix('$').unwrap_or(name);
    let mut chars = body.chars();
    let first_ok = matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_');
    if !first_ok
        || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err("NixOS accepts a lowercase letter or `_`, then lowercase letters, digits, `_` and `-`, and an optional final `$`".into());
    }
    if RESERVED_NAMES.contains(&name) {
        return Err(format!("`{name}` is reserved for home/template.nix"));
    }
    Ok(())
}

/// A module name must be a plain file name: it becomes `modules/<category>/<name>.nix`.
pub fn valid_module_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > 100 {
        return Err(format!(
            "it is {} characters long; the limit is 100",
            name.len()
        ));
    }
    if name.starts_with(['.', '-']) {
        return Err("it starts with `.` or `-`".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "it contains `{}`; module names are file names of letters, digits, `-` and `_`",
            c.escape_debug()
        ));
    }
    Ok(())
}

fn check_module_name(module: &Module, out: &mut Vec<Diagnostic>) {
    if let Err(why) = valid_module_name(&module.name) {
        out.push(
            Diagnostic::error(format!(
                "module name `{}` is not valid: {why}",
                module.name.escape_debug()
            ))
            .at(module.location, "module defined here"),
        );
    }
}

fn check_user(user: &User, out: &mut Vec<Diagnostic>) {
    if let Err(why) = valid_user_name(&user.name) {
        out.push(
            Diagnostic::error(format!(
                "user name `{}` is not valid: {why}",
                user.name.escape_debug()
            ))
            .at(user.location, "user defined here"),
        );
    }
    check_state_version(
        &user.state_version,
        &format!("user `{}`", user.name),
        user.location,
        out,
    );
    check_definitions(&format!("user `{}`", user.name), &user.definitions, out);
}

fn check_host(host: &Host, out: &mut Vec<Diagnostic>) {
    let entity = format!("host `{}`", host.name);
    if let System::Other(double) = &host.system {
        if !System::KNOWN_DOUBLES.contains(&double.as_str()) {
            out.push(
                Diagnostic::error(format!(
                    "{entity} has an unknown system double `{}`",
                    double.escape_debug()
                ))
                .at(host.location, "host defined here")
                .help(format!(
                    "NixOS runs on {}",
                    System::KNOWN_DOUBLES.join(", ")
                )),
            );
        }
    }
    check_state_version(&host.state_version, &entity, host.location, out);
    if host.hardware.is_none() {
        out.push(
            Diagnostic::error(format!("{entity} has no hardware configuration"))
                .at(host.location, "host defined here")
                .help("add `.hardware(Hardware::nix_file(\"hardware/<host>.nix\"))` with the output of `nixos-generate-config --show-hardware-config`"),
        );
    }
    check_definitions(&entity, &host.definitions, out);
    let effective: Vec<&Definition> = host
        .modules
        .iter()
        .flat_map(|m| &m.definitions)
        .chain(&host.definitions)
        .collect();
    check_conflicts(&entity, &effective, out);
    for user in &host.users {
        if !defines_system_user(&effective, &user.name) {
            out.push(
                Diagnostic::error(format!("Home Manager user `{}` is on {entity}, which has no system user `{}`", user.name, user.name))
                    .at(user.location, "user defined here")
                    .at(host.location, "host defined here")
                    .help(format!(
                        "define `users.users.{}.isNormalUser = true` in a module the host imports or on the host itself",
                        user.name
                    )),
            );
        }
    }
}

/// `system.stateVersion` and `home.stateVersion` are release numbers `YY.MM`.
fn check_state_version(version: &str, entity: &str, location: Location, out: &mut Vec<Diagnostic>) {
    let valid = matches!(version.split_once('.'), Some((yy, mm))
        if yy.len() == 2 && mm.len() == 2
            && yy.bytes().chain(mm.bytes()).all(|b| b.is_ascii_digit())
            && (1..=12).contains(&mm.parse::<u8>().unwrap_or(0)));
    if !valid {
        out.push(
            Diagnostic::error(format!("{entity} has stateVersion `{}`, which is not a release of the form YY.MM", version.escape_debug()))
                .at(location, "defined here")
                .help("use the release the machine was first installed with, such as \"24.05\"; never change it afterwards"),
        );
    }
}

fn check_definitions(entity: &str, definitions: &[Definition], out: &mut Vec<Diagnostic>) {
    for definition in definitions {
        if definition.path.segments().is_empty() {
            out.push(
                Diagnostic::error(format!("{entity} defines an option with an empty path"))
                    .at(definition.location, "defined here"),
            );
        }
        if let Err(error) = &definition.value {
            out.push(
                Diagnostic::error(format!(
                    "the value of `{}` in {entity} cannot be written as Nix: {error}",
                    definition.path
                ))
                .at(definition.location, "defined here"),
            );
        }
    }
}

/// Definitions of one option at its winning priority must merge: lists concatenate and
/// attribute sets combine, but two different scalars are a conflict Nix would report at
/// evaluation time.
fn check_conflicts(entity: &str, definitions: &[&Definition], out: &mut Vec<Diagnostic>) {
    let mut by_path: BTreeMap<&OptionPath, Vec<&Definition>> = BTreeMap::new();
    for definition in definitions {
        by_path
            .entry(&definition.path)
            .or_default()
            .push(definition);
    }
    for (path, defs) in by_path {
        let Some(winning) = defs.iter().map(|d| d.priority).min() else {
            continue;
        };
        let top: Vec<&Definition> = defs.into_iter().filter(|d| d.priority == winning).collect();
        let Some(first) = top.iter().find(|d| is_scalar(d)) else {
            continue;
        };
        for other in &top {
            if is_scalar(other) && other.value != first.value {
                out.push(
                    Diagnostic::error(format!(
                        "conflicting definitions of `{path}` on {entity}, both {winning}"
                    ))
                    .at(first.location, format!("defines {}", short_value(first)))
                    .at(other.location, format!("defines {}", short_value(other)))
                    .help("make the one that should win `force`, or the other a `default`"),
                );
            }
        }
    }
}

fn is_scalar(definition: &Definition) -> bool {
    !matches!(
        definition.value,
        Ok(Expr::List(_)) | Ok(Expr::Attrs(_)) | Err(_)
    )
}

fn short_value(definition: &Definition) -> String {
    match &definition.value {
        Ok(expr) => {
            let text = crate::nix::print_expr(expr);
            if text.len() > 60 || text.contains('\n') {
                "a different value".to_owned()
            } else {
                format!("`{text}`")
            }
        }
        Err(_) => "an invalid value".to_owned(),
    }
}

/// Whether the definitions declare `users.users.<name>` as a normal user.
fn defines_system_user(definitions: &[&Definition], name: &str) -> bool {
    definitions.iter().any(|d| {
        let segments = d.path.segments();
        match segments.as_slice() {
            [users, users2, user, field] if users == "users" && users2 == "users" && user == name => {
                field == "isNormalUser" && d.value == Ok(Expr::Bool(true))
            }
            [users, users2, user] if users == "users" && users2 == "users" && user == name => {
                matches!(&d.value, Ok(Expr::Attrs(a)) if a.get("isNormalUser") == Some(&Expr::Bool(true)))
            }
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        for good in ["nixos-desk", "a", "srv_01", &"x".repeat(63)] {
            assert!(valid_host_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "a.b",
            "a/b",
            "..",
            &"x".repeat(64),
            "template",
            "ü",
            "a\0",
        ] {
            assert!(valid_host_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn user_names() {
        for good in ["alice", "_svc", "a-b_c9", "machine$", &"a".repeat(32)] {
            assert!(valid_user_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Alice",
            "9lives",
            "a b",
            "a/b",
            &"a".repeat(33),
            "template",
            "$",
        ] {
            assert!(valid_user_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn module_names() {
        assert!(valid_module_name("docker").is_ok());
        for bad in ["", ".hidden", "a/b", "..", "a.nix", "-x"] {
            assert!(valid_module_name(bad).is_err(), "{bad}");
        }
    }
}
