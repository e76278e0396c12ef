//! sops-nix secrets: declared on the host, their files present and holding their keys,
//! their owners existing there, decrypted early enough for a user's password, and used
//! only where declared.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::effective::Effective;
use super::managed::{self, secrets_used, Declared, Manager};
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Definition, Host, SopsSecret};
use crate::nix::{Attrs, Expr};
use crate::plan::SecretFile;

/// Secrets some user's `hashedPasswordFile` names, in the host's and its modules'
/// definitions: they must be decrypted before users are created.
fn password_file_secrets<'d>(
    definitions: impl Iterator<Item = &'d Definition>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for definition in definitions {
        let path = definition.path.segments();
        let is_password_file = matches!(path.as_slice(), [users, users2, _, field]
            if users == "users" && users2 == "users" && (field == "hashedPasswordFile" || field == "passwordFile"));
        if let (true, Ok(value)) = (is_password_file, &definition.value) {
            out.extend(secrets_used(value, "sops").into_iter().map(str::to_owned));
        }
    }
    out
}

/// The host's `sops.secrets.<name>` definitions, and the files they copy into the tree.
/// File and key problems are reported here, with the secret's Rust location.
pub(crate) fn declarations(
    host: &Host,
    module_definitions: &[&Definition],
    base_dir: &Path,
    files: &mut Vec<SecretFile>,
    inputs: &mut Vec<PathBuf>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Definition> {
    let password_files = password_file_secrets(
        host.definitions
            .iter()
            .chain(module_definitions.iter().copied()),
    );
    let mut definitions = Vec::new();
    for secret in &host.sops_secrets {
        let mut attrs = Attrs::new();
        if let Some(file) = &secret.file {
            if let Some(tree_path) = copy_file(secret, file, base_dir, files, inputs, out) {
                // `place` made sure the name is a path literal.
                if let Ok(path) = Expr::path(format!("../../{tree_path}")) {
                    attrs.insert("sopsFile", path);
                }
            }
        }
        managed::string_fields(
            &mut attrs,
            "sops",
            &secret.name,
            std::iter::once(("key", &secret.key)).chain(secret.access.fields()),
            secret.location,
            out,
        );
        let for_passwords = password_files.contains(&secret.name);
        match (secret.needed_for_users, for_passwords) {
            (Some(false), true) => out.push(
                Diagnostic::new(Kind::SopsSecretNotNeededForUsers, format!(
                    "sops secret `{}` on host `{}` is a user's password file but says it is not needed for users",
                    secret.name, host.name
                ))
                .at(secret.location, "secret declared here")
                .help("sops-nix decrypts it after users are created unless `neededForUsers` is true: drop `.needed_for_users(false)`"),
            ),
            (Some(true), _) | (None, true) => {
                attrs.insert("neededForUsers", true.into());
            }
            _ => {}
        }
        definitions.push(managed::declaration(
            "sops",
            &secret.name,
            attrs,
            secret.location,
        ));
    }
    definitions
}

/// Reads the secret's file, checks its key, and places it under `secrets/` once.
fn copy_file(
    secret: &SopsSecret,
    file: &Path,
    base_dir: &Path,
    files: &mut Vec<SecretFile>,
    inputs: &mut Vec<PathBuf>,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let full = base_dir.join(file);
    inputs.push(full.clone());
    let text = match std::fs::read_to_string(&full) {
        Ok(text) => text,
        Err(error) => {
            out.push(
                Diagnostic::new(
                    Kind::UnreadableSecretFile,
                    format!(
                        "cannot read the sops file of secret `{}`, `{}`: {error}",
                        secret.name,
                        file.display()
                    ),
                )
                .at(secret.location, "secret declared here")
                .help("paths are relative to the configuration crate's directory"),
            );
            return None;
        }
    };
    let key = secret.effective_key();
    let first = key.split('/').next().unwrap_or(key);
    let has_key = text.lines().any(|line| {
        line.strip_prefix(first)
            .is_some_and(|rest| rest.starts_with(':'))
            || line.trim_start().starts_with(&format!("\"{first}\""))
    });
    if !has_key {
        out.push(
            Diagnostic::new(Kind::MissingSopsKey, format!(
                "the sops file `{}` has no key `{first}` for secret `{}`",
                file.display(),
                secret.name
            ))
            .at(secret.location, "secret declared here")
            .help("sops keeps key names readable: add the key with `sops`, or name the right one with `.key(..)`"),
        );
    }
    managed::place(
        &secret.name,
        "sops",
        file,
        full,
        text,
        secret.location,
        files,
        out,
    )
}

/// sops-nix, as the shared secret checks name it.
const SOPS: Manager = Manager {
    label: "sops",
    article: "a",
    root: "sops",
    declare: ".sops_secret(SopsSecret::new(\"{name}\").file(\"secrets/<file>.yaml\"))",
    import: ".import(Module::from_input(\"sops-nix\", \"nixosModules.sops\"))",
    module: "sops-nix",
};

/// Secrets used but not declared; owners and groups that do not exist; declared secrets
/// without sops-nix's module.
pub(crate) fn uses(
    host: &Host,
    imports_sops: bool,
    hand_kept: bool,
    effective: &Effective,
    out: &mut Vec<Diagnostic>,
) {
    let declared: Vec<Declared> = host
        .sops_secrets
        .iter()
        .map(|s| Declared::new(&s.name, &s.access, s.location))
        .collect();
    managed::check(
        &SOPS,
        host,
        &declared,
        imports_sops,
        hand_kept,
        effective,
        out,
    );
}
