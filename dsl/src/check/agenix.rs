//! agenix secrets: declared on the host with their age files present and armored, their
//! owners existing there, agenix's module imported, and used only where declared.

use std::path::{Path, PathBuf};

use super::effective::Effective;
use super::managed::{self, Declared, Manager};
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Definition, Host};
use crate::nix::{Attrs, Expr};
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
                        Diagnostic::new(Kind::AgeFileNotArmored, format!(
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
                    Diagnostic::new(
                        Kind::UnreadableSecretFile,
                        format!(
                            "cannot read the age file of secret `{}`, `{}`: {error}",
                            secret.name,
                            secret.file.display()
                        ),
                    )
                    .at(secret.location, "secret declared here")
                    .help("paths are relative to the configuration crate's directory"),
                );
                None
            }
        };
        let Some(text) = text else { continue };
        let Some(tree_path) = managed::place(
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
            continue; // `managed::place` checked the path literal
        };
        let mut attrs = Attrs::new().with("file", file);
        managed::string_fields(
            &mut attrs,
            "age",
            &secret.name,
            secret.access.fields(),
            secret.location,
            out,
        );
        definitions.push(managed::declaration(
            "age",
            &secret.name,
            attrs,
            secret.location,
        ));
    }
    definitions
}

/// agenix, as the shared secret checks name it.
const AGENIX: Manager = Manager {
    label: "agenix",
    article: "an",
    root: "age",
    declare: ".age_secret(AgeSecret::new(\"{name}\", \"secrets/{name}.age\"))",
    import: ".import(Module::from_input(\"agenix\", \"nixosModules.default\"))",
    module: "agenix",
};

/// Secrets used but not declared; owners and groups that do not exist; declared secrets
/// without agenix's module.
pub(crate) fn uses(
    host: &Host,
    imports_agenix: bool,
    hand_kept: bool,
    effective: &Effective,
    out: &mut Vec<Diagnostic>,
) {
    let declared: Vec<Declared> = host
        .age_secrets
        .iter()
        .map(|s| Declared::new(&s.name, &s.access, s.location))
        .collect();
    managed::check(
        &AGENIX,
        host,
        &declared,
        imports_agenix,
        hand_kept,
        effective,
        out,
    );
}
