//! agenix secrets: declared on the host with their age files present and armored, their
//! owners existing there, agenix's module imported, and used only where declared.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::effective::Effective;
use super::sops::{place, secrets_used};
use crate::diagnostic::Diagnostic;
use crate::model::{Definition, Host, Merge, Order, Priority};
use crate::nix::{Attrs, Expr};
use crate::option::OptionPath;
use crate::plan::SecretFile;

/// How an ASCII-armored age file starts.
const ARMOR: &str = "-----BEGIN AGE ENCRYPTED FILE-----";

/// The host's `age.secrets.<name>` definitions, and the files they copy into the tree.
pub(crate) fn declarations(
    host: &Host,
    base_dir: &Path,
    files: &mut Vec<SecretFile>,
    inputs: &mut Vec<PathBuf>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Definition> {
    let mut definitions = Vec::new();
    for secret in &host.age_secrets {
        let full = base_dir.join(&secret.file);
        inputs.push(full.clone());
        let text = match std::fs::read(&full) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) if text.trim_start().starts_with(ARMOR) => Some(text),
                _ => {
                    out.push(
                        Diagnostic::error(format!(
                            "the age file of secret `{}`, `{}`, is not ASCII-armored",
                            secret.name,
                            secret.file.display()
                        ))
                        .at(secret.location, "secret declared here")
                        .help("the tree holds text: encrypt it armored (`agenix -e <file> --armor`, or `age --armor`)"),
                    );
                    None
                }
            },
            Err(error) => {
                out.push(
                    Diagnostic::error(format!(
                        "cannot read the age file of secret `{}`, `{}`: {error}",
                        secret.name,
                        secret.file.display()
                    ))
                    .at(secret.location, "secret declared here")
                    .help("paths are relative to the configuration crate's directory"),
                );
                None
            }
        };
        let Some(text) = text else { continue };
        let Some(tree_path) = place(
            &secret.name,
            "age",
            &secret.file,
            full,
            text,
            secret.location,
            files,
            out,
        ) else {
            continue;
        };
        let Ok(file) = Expr::path(format!("../../{tree_path}")) else {
            continue; // `place` checked the path literal
        };
        let mut attrs = Attrs::new().with("file", file);
        for (field, value) in [
            ("owner", &secret.owner),
            ("group", &secret.group),
            ("mode", &secret.mode),
        ] {
            if let Some(value) = value {
                match Expr::string(value.as_str()) {
                    Ok(text) => {
                        attrs.insert(field, text);
                    }
                    Err(error) => out.push(
                        Diagnostic::error(format!(
                            "the {field} of age secret `{}`: {error}",
                            secret.name
                        ))
                        .at(secret.location, "secret declared here"),
                    ),
                }
            }
        }
        definitions.push(Definition {
            path: OptionPath::Owned(vec!["age".into(), "secrets".into(), secret.name.clone()]),
            value: Ok(Expr::Attrs(attrs)),
            priority: Priority::PLAIN,
            order: Order::Normal,
            condition: None,
            merge: Merge::Submodule,
            pattern: None,
            location: secret.location,
        });
    }
    definitions
}

/// Secrets used but not declared; owners and groups that do not exist; declared secrets
/// without agenix's module.
pub(crate) fn uses(
    host: &Host,
    imports_agenix: bool,
    effective: &Effective,
    out: &mut Vec<Diagnostic>,
) {
    let declared: BTreeSet<&str> = host.age_secrets.iter().map(|s| s.name.as_str()).collect();
    for leaf in &effective.leaves {
        let Some(value) = &leaf.value else { continue };
        for name in secrets_used(value, "age") {
            if !declared.contains(name) {
                out.push(
                    Diagnostic::error(format!(
                        "`{}` on host `{}` uses agenix secret `{name}`, which the host does not declare",
                        super::conflicts::dotted(&leaf.path),
                        host.name
                    ))
                    .at(leaf.location, "used here")
                    .help(format!("declare it: `.age_secret(AgeSecret::new(\"{name}\", \"secrets/{name}.age\"))` on the host")),
                );
            }
        }
    }
    if let (Some(first), false) = (host.age_secrets.first(), imports_agenix) {
        out.push(
            Diagnostic::error(format!(
                "host `{}` declares agenix secrets but does not import agenix's module",
                host.name
            ))
            .at(first.location, "secret declared here")
            .help("add the input and import its module: `.import(Module::from_input(\"agenix\", \"nixosModules.default\"))`"),
        );
    }
    for secret in &host.age_secrets {
        let mut missing = |kind: &str, name: &str| {
            out.push(
                Diagnostic::error(format!(
                    "the {kind} of agenix secret `{}`, `{name}`, is no {kind} on host `{}`",
                    secret.name, host.name
                ))
                .at(secret.location, "secret declared here")
                .help(format!(
                    "define `users.{kind}s.{name}` on the host or in a module it imports"
                )),
            )
        };
        if let Some(owner) = &secret.owner {
            if !super::accounts::has_user(effective, owner) {
                missing("user", owner);
            }
        }
        if let Some(group) = &secret.group {
            if !super::accounts::has_group(effective, group) {
                missing("group", group);
            }
        }
    }
}
