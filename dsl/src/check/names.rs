//! Names and values of single entities: hosts, users, modules and their definitions.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::{Definition, Flake, Host, Location, Module, System, User};
use crate::nix::Expr;

/// Names the tree uses for its own files, which no host or user may take.
const RESERVED_NAMES: &[&str] = &["template"];

/// NixOS's rule for `networking.hostName` (the type's pattern
/// `^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$`), plus the names the tree reserves.
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
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err("it starts or ends with `-` or `_`".into());
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

/// Every NixOS option path, one a line (from the nixos-unstable manual of 2024-12).
const NIXOS_OPTION_NAMES: &str = include_str!("../../data/nixos-option-names.txt");

/// A NixOS option that a namespace would collide with: one at the namespace, below it
/// (the module would declare it again), or above it (the namespace would sit inside a
/// NixOS option). `<name>` and `*` in NixOS's paths match any segment.
fn shadowed_nixos_option(namespace: &[String]) -> Option<&'static str> {
    NIXOS_OPTION_NAMES
        .lines()
        .filter(|line| !line.starts_with('#'))
        .find(|real| {
            let real: Vec<&str> = real.split('.').collect();
            real.iter()
                .zip(namespace)
                .all(|(r, n)| *r == n || *r == "<name>" || *r == "*")
        })
}

/// The release a flake names in `Flake::new` picks its nixpkgs and Home Manager
/// branches, so it must be one.
pub(crate) fn flake(flake: &Flake, out: &mut Vec<Diagnostic>) {
    if let Some(Err(error)) = flake.formatter.as_ref().map(crate::value::ToNix::to_nix) {
        out.push(
            Diagnostic::error(format!("the flake's formatter: {error}"))
                .at(flake.location, "flake defined here"),
        );
    }
    if !is_release(&flake.release) {
        out.push(
            Diagnostic::error(format!(
                "the flake's release `{}` is not a NixOS release",
                flake.release.escape_debug()
            ))
            .at(flake.location, "flake defined here")
            .help("name a release of the form YY.MM, such as \"24.11\" (nixpkgs nixos-24.11, Home Manager release-24.11); pin other inputs with `.inputs(nixpkgs, home_manager)`"),
        );
    }
}

/// `YY.MM` with a month.
pub fn is_release(version: &str) -> bool {
    matches!(version.split_once('.'), Some((yy, mm))
        if yy.len() == 2 && mm.len() == 2
            && yy.bytes().chain(mm.bytes()).all(|b| b.is_ascii_digit())
            && (1..=12).contains(&mm.parse::<u8>().unwrap_or(0)))
}

/// Duplicate host names, and names that differ only in case (they collide on
/// case-insensitive file systems, where `hosts/Desk` and `hosts/desk` are one directory).
pub(crate) fn host_names(flake: &Flake, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, (&str, Location)> = BTreeMap::new();
    for host in &flake.hosts {
        if let Some((first_name, first)) =
            seen.insert(host.name.to_lowercase(), (&host.name, host.location))
        {
            if first == host.location && first_name == host.name {
                // One host value given twice: one place to point at, and a different fix.
                out.push(
                    Diagnostic::error(format!(
                        "host `{}` is added to the flake twice",
                        host.name
                    ))
                    .at(host.location, "host defined here")
                    .help("add each host to the flake once: `.host(...)` twice with one host writes one directory"),
                );
                continue;
            }
            let message = if first_name == host.name {
                format!("two hosts are named `{}`", host.name)
            } else {
                format!("hosts `{first_name}` and `{}` differ only in case; their directories collide on case-insensitive file systems", host.name)
            };
            out.push(
                Diagnostic::error(message)
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
                    .help("NixOS accepts letters, digits, `-` and `_`, at most 63 characters, starting and ending with a letter or digit"),
            );
        }
    }
}

pub(crate) fn module(module: &Module, parse: super::Parser, out: &mut Vec<Diagnostic>) {
    let entity = format!("module `{}`", module.name);
    if let Err(why) = valid_module_name(&module.name) {
        out.push(
            Diagnostic::error(format!(
                "module name `{}` is not valid: {why}",
                module.name.escape_debug()
            ))
            .at(module.location, "module defined here"),
        );
    }
    definitions(&entity, &module.definitions, parse, out);
    let Some(options) = &module.options else {
        return;
    };
    if options.namespace.is_empty() || options.namespace.iter().any(String::is_empty) {
        out.push(
            Diagnostic::error(format!(
                "{entity} declares its options under an empty namespace"
            ))
            .at(module.location, "module defined here")
            .help("name a namespace such as `#[nix(namespace = \"fleet.docker\")]`"),
        );
    }
    if let Some(real) = shadowed_nixos_option(&options.namespace) {
        out.push(
            Diagnostic::error(format!(
                "{entity} declares its options under `{}`, where NixOS declares `{real}` itself",
                options.namespace.join(".")
            ))
            .at(module.location, "module defined here")
            .help("a module's own options need a namespace of their own, such as `#[nix(namespace = \"fleet.ssh\")]`; to set NixOS's options, set them in the module's config"),
        );
    }
    for declaration in &options.options {
        for (what, value) in [
            ("default", &declaration.default),
            ("example", &declaration.example),
        ] {
            if let Some(Err(error)) = value {
                out.push(
                    Diagnostic::error(format!(
                        "the {what} of option `{}` of {entity} cannot be written as Nix: {error}",
                        declaration.name
                    ))
                    .at(module.location, "module defined here"),
                );
            }
        }
    }
}

pub(crate) fn user(user: &User, parse: super::Parser, out: &mut Vec<Diagnostic>) {
    let entity = format!("user `{}`", user.name);
    if user.name.ends_with('$') && valid_user_name(&user.name).is_ok() {
        out.push(
            Diagnostic::error(format!("Home Manager user `{}` ends with `$`, which marks a machine account", user.name))
                .at(user.location, "user defined here")
                .help("Home Manager configures people's accounts; a name with `$` also cannot name home/<name>.nix in Nix"),
        );
    }
    if let Err(why) = valid_user_name(&user.name) {
        out.push(
            Diagnostic::error(format!(
                "user name `{}` is not valid: {why}",
                user.name.escape_debug()
            ))
            .at(user.location, "user defined here"),
        );
    }
    state_version(&user.state_version, &entity, user.location, out);
    definitions(&entity, &user.definitions, parse, out);
}

pub(crate) fn host(host: &Host, parse: super::Parser, out: &mut Vec<Diagnostic>) {
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
    state_version(&host.state_version, &entity, host.location, out);
    if host.hardware.is_none() {
        out.push(
            Diagnostic::error(format!("{entity} has no hardware configuration"))
                .at(host.location, "host defined here")
                .help("add `.hardware(Hardware::nix_file(\"hardware/<host>.nix\"))` with the output of `nixos-generate-config --show-hardware-config`"),
        );
    }
    definitions(&entity, &host.definitions, parse, out);
}

/// `system.stateVersion` and `home.stateVersion` are release numbers `YY.MM`.
fn state_version(version: &str, entity: &str, location: Location, out: &mut Vec<Diagnostic>) {
    if !is_release(version) {
        out.push(
            Diagnostic::error(format!(
                "{entity} has stateVersion `{}`, which is not a release of the form YY.MM",
                version.escape_debug()
            ))
            .at(location, "defined here")
            .help("use the release the machine was first installed with, such as \"24.05\"; never change it afterwards"),
        );
    }
}

/// How deep a value may nest. The printer and the checks recurse over values; a limit
/// far beyond any real configuration keeps a pathological value from exhausting the stack.
pub const MAX_NESTING: usize = 256;

/// The nesting depth of a value, computed without recursion.
pub(crate) fn nesting(expr: &crate::nix::Expr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(expr, 1usize)];
    while let Some((expr, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if depth > MAX_NESTING {
            break;
        }
        stack.extend(expr.children().into_iter().map(|child| (child, depth + 1)));
    }
    deepest
}

/// Whether any definition of the flake nests deeper than [`MAX_NESTING`]; such values
/// are reported by [`definitions`] and keep the whole-host checks from running.
pub(crate) fn too_deep(definitions: &[Definition]) -> bool {
    definitions
        .iter()
        .any(|d| matches!(&d.value, Ok(v) if nesting(v) > MAX_NESTING))
}

/// The hand-written snippets inside a value, found without recursion.
fn raw_snippets(expr: &crate::nix::Expr) -> Vec<&str> {
    let mut found = Vec::new();
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        if let crate::nix::Expr::Raw(text) = expr {
            found.push(text.as_str());
        }
        stack.extend(expr.children());
    }
    found
}

/// Every string of a value (a string, the strings of a list) must match the pattern of
/// the option's `string matching the pattern` type, as NixOS would check at evaluation.
fn matches_pattern(
    entity: &str,
    definition: &Definition,
    pattern: &str,
    value: &Expr,
    out: &mut Vec<Diagnostic>,
) {
    let Some(regex) = super::pattern::compile(pattern) else {
        return; // a pattern the translation cannot take is left to Nix
    };
    let strings: Vec<&str> = match value {
        Expr::Str(s) => vec![s.as_str()],
        Expr::List(items) => items
            .iter()
            .filter_map(|item| match item {
                Expr::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for text in strings.into_iter().filter(|t| !regex.is_match(t)) {
        out.push(
            Diagnostic::error(format!(
                "`{}` on {entity} is `{}`, which NixOS rejects: it does not match the pattern of the option's type",
                definition.path,
                text.escape_debug()
            ))
            .at(definition.location, "defined here")
            .help(format!("the option's type is a string matching {pattern}")),
        );
    }
}

/// Every definition needs a path, and a value Nix can represent.
pub(super) fn definitions(
    entity: &str,
    definitions: &[Definition],
    parse: super::Parser,
    out: &mut Vec<Diagnostic>,
) {
    for definition in definitions {
        if let Ok(value) = &definition.value {
            if nesting(value) <= MAX_NESTING {
                for snippet in raw_snippets(value) {
                    if let Err(error) = parse(snippet) {
                        out.push(
                            Diagnostic::error(format!(
                                "the raw Nix for `{}` in {entity} does not parse: {}",
                                definition.path, error.message
                            ))
                            .at_nix("<raw Nix>", snippet, error.line, error.column, "here")
                            .at(definition.location, "defined here"),
                        );
                    }
                }
            }
        }
        if let Ok(value) = &definition.value {
            if nesting(value) > MAX_NESTING {
                out.push(
                    Diagnostic::error(format!(
                        "the value of `{}` in {entity} nests more than {MAX_NESTING} levels deep",
                        definition.path
                    ))
                    .at(definition.location, "defined here")
                    .help("no NixOS option needs values this deep; build the value from a flatter structure"),
                );
            }
        }
        if definition.path.segments().iter().any(String::is_empty)
            || definition.path.segments().is_empty()
        {
            out.push(
                Diagnostic::error(format!(
                    "{entity} defines an option with an empty path or path segment"
                ))
                .at(definition.location, "defined here"),
            );
        }
        if let (Some(pattern), Ok(value)) = (definition.pattern, &definition.value) {
            matches_pattern(entity, definition, pattern, value, out);
        }
        if definition.path.segments().first().map(String::as_str) == Some("imports") {
            out.push(
                Diagnostic::error(format!(
                    "{entity} defines `imports` as if it were an option"
                ))
                .at(definition.location, "defined here")
                .help("`imports` is not an option: a definition would replace the imports flakesmith writes (the hardware configuration and every module). Import a module with `.import(module)`, and hand-kept Nix with `.import(Module::nix_file(category, name, path))`"),
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
            "_a",
            "a_",
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
