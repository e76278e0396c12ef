//! What sops-nix and agenix secrets share: a secret used by its path
//! (`config.<root>.secrets.<name>.path`) must be declared on the host, the manager's
//! module must be imported where secrets are declared, a secret's owner and group must
//! exist there; its encrypted file is placed under the tree's `secrets/` once, and its
//! string settings are written only when Nix can hold them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::effective::Effective;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Definition, FileAccess, Host, Location, Merge, Order, Priority};
use crate::nix::{Attrs, Expr};
use crate::option::OptionPath;
use crate::plan::SecretFile;

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

impl<'s> Declared<'s> {
    pub(crate) fn new(name: &'s str, access: &'s FileAccess, location: Location) -> Self {
        Self {
            name,
            owner: access.owner.as_deref(),
            group: access.group.as_deref(),
            location,
        }
    }
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

/// Secrets used but not declared (judged only where no hand-kept module, `hand_kept`,
/// could declare them); declared secrets without the manager's module; owners and groups
/// that do not exist on the host.
pub(crate) fn check(
    manager: &Manager,
    host: &Host,
    declared: &[Declared],
    imports_module: bool,
    hand_kept: bool,
    effective: &Effective,
    out: &mut Vec<Diagnostic>,
) {
    // Declared through the host's API, or defined as options (`sops.secrets.<name>.*`,
    // as `flakesmith import` writes them).
    let mut names: BTreeSet<&str> = declared.iter().map(|s| s.name).collect();
    let mut whole_set = false;
    for leaf in &effective.leaves {
        match leaf.path.as_slice() {
            [root, secrets, name, ..] if root == manager.root && secrets == "secrets" => {
                names.insert(name);
            }
            [root] if root == manager.root => whole_set = true,
            [root, secrets] if root == manager.root && secrets == "secrets" => whole_set = true,
            _ => {}
        }
    }
    // A hand-kept module or a set written whole in raw Nix may declare the secret: what
    // flakesmith cannot read, it does not judge.
    let judged = !hand_kept && !whole_set;
    for leaf in &effective.leaves {
        let Some(value) = &leaf.value else { continue };
        for name in secrets_used(value, manager.root) {
            if judged && !names.contains(name) {
                out.push(
                    Diagnostic::new(Kind::UndeclaredSecret, format!(
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
            Diagnostic::new(
                Kind::SecretManagerNotImported,
                format!(
                    "host `{}` declares {} secrets but does not import {}'s module",
                    host.name, manager.label, manager.module
                ),
            )
            .at(first.location, "secret declared here")
            .help(format!(
                "add the input and import its module: `{}`",
                manager.import
            )),
        );
    }
    for secret in declared {
        let entity = format!("{} {} secret", manager.article, manager.label);
        let mut missing = |role: &str, name: &str, kind: &str| {
            out.push(super::accounts::missing(
                role,
                &entity,
                kind,
                name,
                &host.name,
                secret.location,
                "secret declared here",
            ));
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

/// Places an encrypted file under the tree's `secrets/` once, and returns its path
/// there; two different files of one name, or a name Nix cannot write as a path literal,
/// are errors at the secret's Rust location.
#[allow(clippy::too_many_arguments)]
pub(crate) fn place(
    secret: &str,
    kind: &str,
    file: &Path,
    full: PathBuf,
    text: String,
    location: Location,
    files: &mut Vec<SecretFile>,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let name = file.file_name()?.to_string_lossy().into_owned();
    let tree_path = format!("secrets/{name}");
    if crate::nix::NixPath::new(format!("../../{tree_path}")).is_err() {
        out.push(
            Diagnostic::new(
                Kind::InvalidSecretFileName,
                format!(
                "the {kind} file name `{name}` of secret `{secret}` cannot be a Nix path literal"
            ),
            )
            .at(location, "secret declared here")
            .help("name it with letters, digits, `.`, `_`, `-` and `+`"),
        );
        return None;
    }
    match files.iter().find(|f| f.tree_path == tree_path) {
        Some(existing) if existing.source != full => out.push(
            Diagnostic::new(
                Kind::SecretFileCollision,
                format!("two different {kind} files would both be `{tree_path}` in the tree"),
            )
            .at(location, "secret declared here")
            .help("give the files different names"),
        ),
        Some(_) => {}
        None => files.push(SecretFile {
            tree_path: tree_path.clone(),
            text,
            source: full,
        }),
    }
    Some(tree_path)
}

/// Writes a secret's optional string settings (`owner`, `group`, `mode`, ...) into its
/// attribute set; a value Nix cannot hold is an error at the secret's Rust location, never
/// a silent `null`.
/// The definition that declares a secret: `<root>.secrets.<name> = { ... };`.
pub(crate) fn declaration(root: &str, name: &str, attrs: Attrs, location: Location) -> Definition {
    Definition {
        path: OptionPath::Owned(vec![root.into(), "secrets".into(), name.to_owned()]),
        value: Ok(Expr::Attrs(attrs)),
        priority: Priority::PLAIN,
        order: Order::Normal,
        condition: None,
        merge: Merge::Submodule,
        pattern: None,
        submodules: 0,
        location,
    }
}

pub(crate) fn string_fields<'f>(
    attrs: &mut Attrs,
    label: &str,
    secret: &str,
    fields: impl IntoIterator<Item = (&'f str, &'f Option<String>)>,
    location: Location,
    out: &mut Vec<Diagnostic>,
) {
    for (field, value) in fields {
        let Some(value) = value else { continue };
        // Both managers chmod the decrypted file to it (sops-nix reads it as octal), and
        // Nix evaluation accepts any string: a bad mode would fail only on the machine.
        if field == "mode" && !is_file_mode(value) {
            out.push(
                Diagnostic::new(
                    Kind::InvalidSecretField,
                    format!(
                        "the mode of {label} secret `{secret}` is `{value}`, which is not three or four octal digits"
                    ),
                )
                .at(location, "secret declared here")
                .help("write it as an octal file mode, such as \"0400\" or \"0440\""),
            );
            continue;
        }
        match Expr::string(value.as_str()) {
            Ok(text) => {
                attrs.insert(field, text);
            }
            Err(error) => out.push(
                Diagnostic::new(
                    Kind::InvalidSecretField,
                    format!("the {field} of {label} secret `{secret}`: {error}"),
                )
                .at(location, "secret declared here"),
            ),
        }
    }
}

/// Three or four octal digits: `400`, `0440`.
fn is_file_mode(mode: &str) -> bool {
    matches!(mode.len(), 3 | 4) && mode.chars().all(|c| ('0'..='7').contains(&c))
}
