//! What sops-nix and agenix secrets share: a secret used by its path
//! (`config.<root>.secrets.<name>.path`) must be declared on the host, the manager's
//! module must be imported where secrets are declared, and a secret's owner and group
//! must exist there.

use std::collections::BTreeSet;

use super::effective::Effective;
use crate::diagnostic::Diagnostic;
use crate::model::{Host, Location};
use crate::nix::Expr;

/// One secrets manager, as its checks name it.
pub(crate) struct Manager {
    /// `sops`, `agenix`: in messages.
    pub label: &'static str,
    /// `a`, `an`: before the label.
    pub article: &'static str,
    /// The attribute under `config`: `sops`, `age`.
    pub root: &'static str,
    /// How to declare the secret `{name}` on the host.
    pub declare: &'static str,
    /// How to import the manager's module.
    pub import: &'static str,
    /// The manager's name in prose: `sops-nix`, `agenix`.
    pub module: &'static str,
}

/// One declared secret: its name, owner, group and Rust location.
pub(crate) struct Declared<'s> {
    pub name: &'s str,
    pub owner: Option<&'s str>,
    pub group: Option<&'s str>,
    pub location: Location,
}

/// The secrets of `root` a value uses by path: `config.<root>.secrets.<name>.path`.
pub(crate) fn secrets_used<'e>(value: &'e Expr, root: &str) -> Vec<&'e str> {
    let mut found = Vec::new();
    let mut stack = vec![value];
    while let Some(expr) = stack.pop() {
        if let Expr::Select(var, path) = expr {
            if let [manager, secrets, name, leaf] = path.as_slice() {
                if var.as_str() == "config"
                    && manager == root
                    && secrets == "secrets"
                    && leaf == "path"
                {
                    found.push(name.as_str());
                }
            }
        }
        stack.extend(expr.children());
    }
    found
}

/// Secrets used but not declared; declared secrets without the manager's module; owners
/// and groups that do not exist on the host.
pub(crate) fn check(
    manager: &Manager,
    host: &Host,
    declared: &[Declared],
    imports_module: bool,
    effective: &Effective,
    out: &mut Vec<Diagnostic>,
) {
    let names: BTreeSet<&str> = declared.iter().map(|s| s.name).collect();
    for leaf in &effective.leaves {
        let Some(value) = &leaf.value else { continue };
        for name in secrets_used(value, manager.root) {
            if !names.contains(name) {
                out.push(
                    Diagnostic::error(format!(
                        "`{}` on host `{}` uses {} secret `{name}`, which the host does not declare",
                        super::conflicts::dotted(&leaf.path),
                        host.name,
                        manager.label
                    ))
                    .at(leaf.location, "used here")
                    .help(format!(
                        "declare it: `{}` on the host",
                        manager.declare.replace("{name}", name)
                    )),
                );
            }
        }
    }
    if let (Some(first), false) = (declared.first(), imports_module) {
        out.push(
            Diagnostic::error(format!(
                "host `{}` declares {} secrets but does not import {}'s module",
                host.name, manager.label, manager.module
            ))
            .at(first.location, "secret declared here")
            .help(format!(
                "add the input and import its module: `{}`",
                manager.import
            )),
        );
    }
    for secret in declared {
        let mut missing = |what: &str, name: &str, kind: &str| {
            out.push(
                Diagnostic::error(format!(
                    "the {what} of {} {} secret, `{name}`, is no {kind} on host `{}`",
                    manager.article, manager.label, host.name
                ))
                .at(secret.location, "secret declared here")
                .help(format!(
                    "define `users.{kind}s.{name}` on the host or in a module it imports"
                )),
            );
        };
        if let Some(owner) = secret.owner {
            if !super::accounts::has_user(effective, owner) {
                missing("owner", owner, "user");
            }
        }
        if let Some(group) = secret.group {
            if !super::accounts::has_group(effective, group) {
                missing("group", group, "group");
            }
        }
    }
}
