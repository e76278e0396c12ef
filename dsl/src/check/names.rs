//! Single entities: the flake's release, host, user and module names (by the rules in
//! [`name_rules`](super::name_rules)), state versions, namespaces that would shadow NixOS
//! options, and each entity's definitions (by [`definitions`](super::definitions)).

use std::collections::BTreeMap;

use super::definitions::definitions;
use super::name_rules::{is_release, valid_host_name, valid_module_name, valid_user_name};
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Flake, Host, Location, Module, System, User};

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
            Diagnostic::new(
                Kind::InvalidFormatter,
                format!("the flake's formatter: {error}"),
            )
            .at(flake.location, "flake defined here"),
        );
    }
    if !is_release(&flake.release) {
        out.push(
            Diagnostic::new(Kind::InvalidRelease, format!(
                "the flake's release `{}` is not a NixOS release",
                flake.release.escape_debug()
            ))
            .at(flake.location, "flake defined here")
            .help("name a release of the form YY.MM, such as \"24.11\" (nixpkgs nixos-24.11, Home Manager release-24.11); pin other inputs with `.inputs(nixpkgs, home_manager)`"),
        );
    }
}

/// Duplicate host names, and names that differ only in case (they collide on
/// case-insensitive file systems, where `hosts/Desk` and `hosts/desk` are one directory).
pub(crate) fn host_names(flake: &Flake, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, (&str, Location, Option<Location>)> = BTreeMap::new();
    for host in &flake.hosts {
        if let Some((first_name, first, first_added)) = seen.insert(
            host.name.to_lowercase(),
            (&host.name, host.location, host.added_at),
        ) {
            if first == host.location && first_name == host.name {
                // One host value given twice: the second `.host(...)` is the mistake.
                let mut diagnostic = Diagnostic::new(
                    Kind::DuplicateHost,
                    format!("host `{}` is added to the flake twice", host.name),
                );
                diagnostic = match (first_added, host.added_at) {
                    (Some(first_added), Some(again)) if first_added != again => diagnostic
                        .at(again, "added again here")
                        .at(first_added, "added first here"),
                    // Added by one line twice (a loop, a fold over `Flake::host`, where
                    // the caller is not the configuration's): the host itself.
                    _ => diagnostic.at(host.location, "host defined here"),
                };
                out.push(diagnostic.help(
                    "add each host to the flake once: `.host(...)` twice with one host writes one directory",
                ));
                continue;
            }
            let message = if first_name == host.name {
                format!("two hosts are named `{}`", host.name)
            } else {
                format!("hosts `{first_name}` and `{}` differ only in case; their directories collide on case-insensitive file systems", host.name)
            };
            out.push(
                Diagnostic::new(Kind::DuplicateHost, message)
                    .at(first, "the first one")
                    .at(host.location, "the second one")
                    .help(
                        "host names key nixosConfigurations and hosts/<name>/: each must be unique",
                    ),
            );
        }
        if let Err(why) = valid_host_name(&host.name) {
            let help = if super::name_rules::is_reserved(&host.name) {
                "the tree ships the template for new hosts as `hosts/template/`: give this host another name"
            } else {
                "NixOS accepts letters, digits, `-` and `_`, at most 63 characters, starting and ending with a letter or digit"
            };
            out.push(
                Diagnostic::new(
                    Kind::InvalidHostName,
                    format!(
                        "host name `{}` is not valid: {why}",
                        host.name.escape_debug()
                    ),
                )
                .at(host.location, "host defined here")
                .help(help),
            );
        }
    }
}

pub(crate) fn module(module: &Module, parse: super::Parser, out: &mut Vec<Diagnostic>) {
    let entity = format!("module `{}`", module.name);
    if let Err(why) = valid_module_name(&module.name) {
        out.push(
            Diagnostic::new(
                Kind::InvalidModuleName,
                format!(
                    "module name `{}` is not valid: {why}",
                    module.name.escape_debug()
                ),
            )
            .at(module.location, "module defined here"),
        );
    }
    definitions(&entity, &module.definitions, parse, out);
    let Some(options) = &module.options else {
        return;
    };
    if options.namespace.is_empty() || options.namespace.iter().any(String::is_empty) {
        out.push(
            Diagnostic::new(
                Kind::EmptyOptionNamespace,
                format!("{entity} declares its options under an empty namespace"),
            )
            .at(module.location, "module defined here")
            .help("name a namespace such as `#[nix(namespace = \"fleet.docker\")]`"),
        );
    }
    if let Some(real) = shadowed_nixos_option(&options.namespace) {
        out.push(
            Diagnostic::new(Kind::ReservedOptionNamespace, format!(
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
                    Diagnostic::new(
                        Kind::UnwritableDeclaration,
                        format!(
                        "the {what} of option `{}` of {entity} cannot be written as Nix: {error}",
                        declaration.name
                    ),
                    )
                    .at(
                        declaration.location.unwrap_or(module.location),
                        format!("the {what} is given here"),
                    ),
                );
            }
        }
    }
}

pub(crate) fn user(user: &User, parse: super::Parser, out: &mut Vec<Diagnostic>) {
    let entity = format!("user `{}`", user.name);
    if user.name.ends_with('$') && valid_user_name(&user.name).is_ok() {
        out.push(
            Diagnostic::new(Kind::MachineAccountHomeUser, format!("Home Manager user `{}` ends with `$`, which marks a machine account", user.name))
                .at(user.location, "user defined here")
                .help("Home Manager configures people's accounts; a name with `$` also cannot name home/<name>.nix in Nix"),
        );
    }
    if let Err(why) = valid_user_name(&user.name) {
        let mut diagnostic = Diagnostic::new(
            Kind::InvalidUserName,
            format!(
                "user name `{}` is not valid: {why}",
                user.name.escape_debug()
            ),
        )
        .at(user.location, "user defined here");
        if super::name_rules::is_reserved(&user.name) {
            diagnostic = diagnostic.help(
                "the tree ships the template for new users as `home/template.nix`: give this user another name",
            );
        }
        out.push(diagnostic);
    }
    state_version(&user.state_version, &entity, user.location, out);
    definitions(&entity, &user.definitions, parse, out);
}

pub(crate) fn host(host: &Host, parse: super::Parser, out: &mut Vec<Diagnostic>) {
    let entity = format!("host `{}`", host.name);
    if let System::Other(double) = &host.system {
        if !System::KNOWN_DOUBLES.contains(&double.as_str()) {
            out.push(
                Diagnostic::new(
                    Kind::UnknownSystem,
                    format!(
                        "{entity} has an unknown system double `{}`",
                        double.escape_debug()
                    ),
                )
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
            Diagnostic::new(Kind::MissingHardware, format!("{entity} has no hardware configuration"))
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
            Diagnostic::new(Kind::InvalidStateVersion, format!(
                "{entity} has stateVersion `{}`, which is not a release of the form YY.MM",
                version.escape_debug()
            ))
            .at(location, "defined here")
            .help("use the release the machine was first installed with, such as \"24.05\"; never change it afterwards"),
        );
    }
}
