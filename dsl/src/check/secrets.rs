//! Secrets that would land in the world-readable Nix store.

use super::effective::{Effective, Origin};
use crate::diagnostic::Diagnostic;
use crate::model::{Definition, Lint, Location, User};
use crate::nix::Expr;

/// Option names that hold a secret itself, not a reference to one.
const SECRET_NAMES: &[&str] = &[
    "password",
    "initialpassword",
    "passphrase",
    "secret",
    "clientsecret",
    "token",
    "apikey",
    "privatekey",
    "psk",
];

fn is_secret_name(name: &str) -> bool {
    SECRET_NAMES.contains(&name.to_ascii_lowercase().as_str())
}

fn report(path: &[String], entity: &str, location: Location) -> Diagnostic {
    Diagnostic::error(format!(
        "`{}` on {entity} is a plaintext secret: it would be readable by every user of the machine in the Nix store",
        super::conflicts::dotted(path)
    ))
    .code(Lint::PlaintextSecret.name())
    .at(location, "defined here")
    .help(format!(
        "reference the secret by path instead, e.g. `hashedPasswordFile` with `Secret::agenix(..)`, `Secret::sops(..)` or `RuntimePath::new(..)`; {}",
        Lint::PlaintextSecret.allow_hint(entity)
    ))
}

/// Every string literal in an option named like a secret on the host.
pub(crate) fn plaintext_secrets_on_host(effective: &Effective, out: &mut Vec<Diagnostic>) {
    let host = effective.host;
    for leaf in &effective.leaves {
        let secret = leaf.path.last().is_some_and(|name| is_secret_name(name));
        if secret
            && matches!(leaf.value, Some(Expr::Str(_)))
            && !leaf.origin.allows(host, Lint::PlaintextSecret)
        {
            let entity = match leaf.origin {
                Origin::Module(module) => format!("module `{}`", module.name),
                Origin::Host => format!("host `{}`", host.name),
            };
            out.push(report(&leaf.path, &entity, leaf.location));
        }
    }
}

/// The same for a Home Manager user's own definitions.
pub(crate) fn plaintext_secrets_of_user(user: &User, out: &mut Vec<Diagnostic>) {
    if user.allowed.contains(&Lint::PlaintextSecret) {
        return;
    }
    for definition in &user.definitions {
        for (path, value) in string_leaves(definition) {
            if path.last().is_some_and(|name| is_secret_name(name)) && matches!(value, Expr::Str(_))
            {
                out.push(report(
                    &path,
                    &format!("user `{}`", user.name),
                    definition.location,
                ));
            }
        }
    }
}

fn string_leaves(definition: &Definition) -> Vec<(Vec<String>, Expr)> {
    fn walk(path: Vec<String>, value: &Expr, out: &mut Vec<(Vec<String>, Expr)>) {
        match value {
            Expr::Attrs(attrs) => {
                for (key, child) in attrs.entries() {
                    let mut child_path = path.clone();
                    child_path.push(key.clone());
                    walk(child_path, child, out);
                }
            }
            other => out.push((path, other.clone())),
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = &definition.value {
        walk(definition.path.segments(), value, &mut out);
    }
    out
}
