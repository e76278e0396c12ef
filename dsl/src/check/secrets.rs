//! Secrets that would land in the world-readable Nix store.

use super::effective::Effective;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Lint, Location};
use crate::nix::Expr;

/// How option names that hold a secret itself end, lowercased without `_`, `-` and `.`
/// (so `password`, `initialPassword`, `api_key`, `GITHUB_TOKEN`, `client-secret` all
/// match). Names that hold a reference (`passwordFile`, `tokenCommand`) end otherwise.
const SECRET_ENDINGS: &[&str] = &[
    "password",
    "passphrase",
    "secret",
    "secretkey",
    "token",
    "apikey",
    "privatekey",
    "psk",
];

/// Whether an option of this name holds a secret itself (not a reference to one).
pub fn is_secret_name(name: &str) -> bool {
    let normal: String = name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    // `passwordText`, `tokenValue`, `secretString`: the secret itself, spelt out.
    let normal = SPELT_OUT
        .iter()
        .find_map(|suffix| normal.strip_suffix(suffix))
        .unwrap_or(&normal);
    // A password hash is meant to be in the configuration.
    !normal.ends_with("hashedpassword")
        && SECRET_ENDINGS.iter().any(|ending| normal.ends_with(ending))
}

/// What a name may add after a secret's own name to say it holds the secret as text
/// (longest first: `plaintext` before `text`).
const SPELT_OUT: &[&str] = &[
    "plaintext",
    "literal",
    "string",
    "value",
    "plain",
    "text",
    "raw",
];

#[cfg(test)]
#[test]
fn secret_names_however_they_are_spelt() {
    for name in [
        "password",
        "initialPassword",
        "passwordText",
        "api_key",
        "GITHUB_TOKEN",
        "tokenValue",
        "client-secret",
        "secretString",
        "wifiPskPlain",
    ] {
        assert!(is_secret_name(name), "{name}");
    }
    for name in [
        "passwordFile",
        "hashedPassword",
        "hashedPasswordText",
        "tokenCommand",
        "secretPath",
        "text",
        "value",
    ] {
        assert!(!is_secret_name(name), "{name}");
    }
}

fn report(path: &[String], entity: &str, location: Location) -> Diagnostic {
    Diagnostic::new(Kind::PlaintextSecret, format!(
        "`{}` on {entity} is a plaintext secret: it would be readable by every user of the machine in the Nix store",
        super::conflicts::dotted(path)
    ))
    .at(location, "defined here")
    .help(format!(
        "reference the secret by path instead, e.g. `hashedPasswordFile` with `Secret::agenix(..)`, `Secret::sops(..)` or `RuntimePath::new(..)`; {}",
        Lint::PlaintextSecret.allow_hint(entity)
    ))
}

/// Every string literal in an option named like a secret, on a host (its own and its
/// modules' definitions) or a Home Manager user.
pub(crate) fn plaintext_secrets(effective: &Effective, out: &mut Vec<Diagnostic>) {
    for leaf in &effective.leaves {
        let secret = leaf.path.last().is_some_and(|name| is_secret_name(name));
        if secret
            && matches!(leaf.value, Some(Expr::Str(_)))
            && !leaf.origin.allows(Lint::PlaintextSecret)
        {
            let entity = leaf.origin.describe(&effective.entity);
            out.push(report(&leaf.path, &entity, leaf.location));
        }
    }
}
