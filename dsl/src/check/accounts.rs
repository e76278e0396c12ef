//! Which users and groups exist on a host: those its effective definitions create
//! (`users.users.<name>`, `users.groups.<name>`), and those NixOS always has. Secrets'
//! owners and deployment keys' owners must be among them.

use super::effective::Effective;

/// Groups every NixOS system has.
const SYSTEM_GROUPS: &[&str] = &["root", "wheel", "users", "keys", "nogroup"];

fn defines(effective: &Effective, prefix: [&str; 3]) -> bool {
    effective
        .leaves
        .iter()
        .any(|l| l.path.len() > 3 && l.path[..3] == prefix)
}

/// Whether the host has the user `name`.
pub(crate) fn has_user(effective: &Effective, name: &str) -> bool {
    name == "root" || defines(effective, ["users", "users", name])
}

/// Whether the host has the group `name`.
pub(crate) fn has_group(effective: &Effective, name: &str) -> bool {
    SYSTEM_GROUPS.contains(&name) || defines(effective, ["users", "groups", name])
}
