//! Which users and groups exist on a host: those its effective definitions create
//! (`users.users.<name>`, `users.groups.<name>`), and those NixOS always has. Secrets'
//! owners and deployment keys' owners must be among them.

use super::effective::Effective;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::Location;

/// Groups every NixOS system has.
const SYSTEM_GROUPS: &[&str] = &["root", "wheel", "users", "keys", "nogroup"];

/// Whether a definition makes the entry `prefix`: one of its options, or the entry
/// itself (`users.groups.media = { };` creates the group).
fn defines(effective: &Effective, prefix: [&str; 3]) -> bool {
    effective
        .leaves
        .iter()
        .any(|l| l.path.len() >= 3 && l.path[..3] == prefix)
}

/// Whether the host has the user `name`.
pub(crate) fn has_user(effective: &Effective, name: &str) -> bool {
    name == "root" || defines(effective, ["users", "users", name])
}

/// Whether the host has the group `name`.
pub(crate) fn has_group(effective: &Effective, name: &str) -> bool {
    SYSTEM_GROUPS.contains(&name) || defines(effective, ["users", "groups", name])
}

/// `the <role> of <entity>, `<name>`, is no <kind> on host `<host>``: an owner (user or
/// group) that the host does not have, at the Rust location that named it.
pub(crate) fn missing(
    role: &str,
    entity: &str,
    kind: &str,
    name: &str,
    host: &str,
    location: Location,
    label: &str,
) -> Diagnostic {
    Diagnostic::new(
        Kind::UnknownAccount,
        format!("the {role} of {entity}, `{name}`, is no {kind} on host `{host}`"),
    )
    .at(location, label.to_owned())
    .help(format!(
        "define `users.{kind}s.{name}` on the host or in a module it imports"
    ))
}
