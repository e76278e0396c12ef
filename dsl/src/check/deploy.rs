//! Deployment data: tags that select hosts, targets, the engines that deploy them, and
//! the keys colmena uploads.
//!
//! A tag is what `colmena apply --on @tag` and `hosts --tag` select by, so it is a plain
//! name; a tagged host must be reachable; a key lands on the host owned by a user and a
//! group that must exist there, and is read from the deploying machine outside the flake
//! (a flake's files are copied into the world-readable Nix store).

use std::collections::BTreeMap;

use super::effective::Effective;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Deployment, Engine, Flake, Host, KeySource};

/// Whether `tag` is a plain name: a letter, then letters, digits, `-` and `_`.
pub(crate) fn valid_tag(tag: &str) -> bool {
    let mut chars = tag.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Across the fleet: engines without deployed hosts, deployed hosts without an engine,
/// two hosts with one target.
pub(crate) fn fleet(flake: &Flake, out: &mut Vec<Diagnostic>) {
    let deployed: Vec<(&Host, &Deployment)> = flake
        .hosts
        .iter()
        .filter_map(|h| h.deployment.as_ref().map(|d| (h, d)))
        .collect();
    let mut named = BTreeMap::new();
    for (engine, location) in &flake.engines {
        if named.insert(*engine, *location).is_some() {
            out.push(
                Diagnostic::new(
                    Kind::DuplicateDeployEngine,
                    format!("the flake names the engine {engine:?} twice"),
                )
                .at(*location, "named again here"),
            );
        }
    }
    if let (Some((engine, location)), true) = (flake.engines.first(), deployed.is_empty()) {
        out.push(
            Diagnostic::new(Kind::UnusedDeployEngine, format!(
                "the flake deploys with {engine:?}, but no host has a deployment: nothing is written for it"
            ))
            .at(*location, "engine named here")
            .help("give the hosts to deploy a target: `.deploy(Deployment::to(\"host.example.org\"))`"),
        );
    }
    if flake.engines.is_empty() {
        if let Some((host, deployment)) = deployed.first() {
            out.push(
                Diagnostic::new(Kind::MissingDeployEngine, format!(
                    "host `{}` has a deployment, but the flake names no engine to deploy it with",
                    host.name
                ))
                .at(deployment.location, "deployment given here")
                .help("name the engine on the flake: `.deploy_with(Engine::Colmena)` or `.deploy_with(Engine::DeployRs)`"),
            );
        }
    }
    for (host, deployment) in &deployed {
        if named.contains_key(&Engine::Colmena) && host.name == "meta" {
            out.push(
                Diagnostic::new(Kind::InvalidNodeName, "a host named `meta` cannot be a colmena node: the hive's `meta` holds its settings")
                    .at(deployment.location, "deployment given here")
                    .help("rename the host"),
            );
        }
        if named.contains_key(&Engine::DeployRs)
            && !host.name.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            out.push(
                Diagnostic::new(Kind::InvalidNodeName, format!(
                    "host `{}` cannot be a deploy-rs node: deploy-rs node names start with a letter",
                    host.name
                ))
                .at(deployment.location, "deployment given here")
                .help("rename the host"),
            );
        }
    }
    let mut targets: BTreeMap<(&str, Option<u16>), (&Host, &Deployment)> = BTreeMap::new();
    for &(host, deployment) in &deployed {
        if let Some((first, first_deployment)) =
            targets.insert((&deployment.target, deployment.port), (host, deployment))
        {
            // One host added twice is reported as that (`duplicate-host`), not as two
            // hosts deployed to one target.
            if first.name == host.name {
                continue;
            }
            let first_location = first_deployment.location;
            out.push(
                Diagnostic::new(Kind::SharedDeployTarget, format!(
                    "hosts `{}` and `{}` are both deployed to `{}`: each deployment replaces the other's system",
                    first.name, host.name, deployment.target
                ))
                .at(first_location, "the first target")
                .at(deployment.location, "the same target"),
            );
        }
    }
}

/// One host: its tags, its deployment's target and keys.
pub(crate) fn host(host: &Host, effective: &Effective, out: &mut Vec<Diagnostic>) {
    for (tag, location) in &host.tags {
        if !valid_tag(tag) {
            out.push(
                Diagnostic::new(Kind::InvalidDeployTag, format!("tag `{tag}` of host `{}` is not a plain name", host.name))
                    .at(*location, "tag given here")
                    .help("a tag starts with a letter and holds letters, digits, `-` and `_`; it is what `colmena apply --on @<tag>` selects"),
            );
        }
    }
    let Some(deployment) = &host.deployment else {
        if let Some((tag, location)) = host.tags.first() {
            out.push(
                Diagnostic::new(Kind::TagWithoutTarget, format!(
                    "host `{}` is tagged `{tag}` but has no deployment target",
                    host.name
                ))
                .at(*location, "tag given here")
                .help("a tag selects hosts to deploy: give the host a target with `.deploy(Deployment::to(\"host.example.org\"))`"),
            );
        }
        return;
    };
    let mut texts: Vec<String> = vec![deployment.target.clone()];
    texts.extend(deployment.ssh_user.clone());
    for key in &deployment.keys {
        texts.push(key.name.clone());
        texts.extend(
            [&key.dest_dir, &key.user, &key.group, &key.permissions]
                .into_iter()
                .flatten()
                .cloned(),
        );
        match &key.source {
            KeySource::File(path) => texts.push(path.display().to_string()),
            KeySource::Command(command) => texts.extend(command.iter().cloned()),
        }
    }
    if texts.iter().any(|t| t.contains('\0')) {
        out.push(
            Diagnostic::new(
                Kind::InvalidDeployTarget,
                format!(
                "the deployment of host `{}` holds a NUL character, which Nix strings cannot hold",
                host.name
            ),
            )
            .at(deployment.location, "deployment given here"),
        );
        return;
    }
    if deployment.target.is_empty() || deployment.target.chars().any(char::is_whitespace) {
        out.push(
            Diagnostic::new(
                Kind::InvalidDeployTarget,
                format!(
                    "the deployment target of host `{}`, `{}`, is not a host name or address",
                    host.name, deployment.target
                ),
            )
            .at(deployment.location, "target given here"),
        );
    }
    let mut names = BTreeMap::new();
    for key in &deployment.keys {
        let entity = format!("key `{}` of host `{}`", key.name, host.name);
        if key.name.is_empty() || key.name.contains('/') || key.name.starts_with('.') {
            out.push(
                Diagnostic::new(Kind::InvalidKeyName, format!("{entity} is not a file name"))
                    .at(key.location, "key given here")
                    .help("the key's name is the name of the file it becomes in its directory: no `/`, not starting with `.`"),
            );
        }
        if let Some(first) = names.insert(key.name.as_str(), key.location) {
            out.push(
                Diagnostic::new(
                    Kind::DuplicateKey,
                    format!("host `{}` has two keys named `{}`", host.name, key.name),
                )
                .at(first, "the first one")
                .at(key.location, "the second one"),
            );
        }
        if let Some(user) = &key.user {
            if !super::accounts::has_user(effective, user) {
                out.push(super::accounts::missing(
                    "user",
                    &entity,
                    "user",
                    user,
                    &host.name,
                    key.location,
                    "key given here",
                ));
            }
        }
        if let Some(group) = &key.group {
            if !super::accounts::has_group(effective, group) {
                out.push(super::accounts::missing(
                    "group",
                    &entity,
                    "group",
                    group,
                    &host.name,
                    key.location,
                    "key given here",
                ));
            }
        }
        if let Some(permissions) = &key.permissions {
            let octal = permissions.len() == 4
                && permissions.starts_with('0')
                && permissions.chars().all(|c| ('0'..='7').contains(&c));
            if !octal {
                out.push(
                    Diagnostic::new(
                        Kind::InvalidKeyPermissions,
                        format!(
                        "{entity} has permissions `{permissions}`, which are not four octal digits"
                    ),
                    )
                    .at(key.location, "key given here")
                    .help("write them as colmena does, such as \"0600\" or \"0640\""),
                );
            }
        }
        match &key.source {
            KeySource::File(path) if !path.is_absolute() => out.push(
                Diagnostic::new(Kind::RelativeKeyPath, format!(
                    "{entity} is read from `{}`, a relative path",
                    path.display()
                ))
                .at(key.location, "key given here")
                .help("a flake's files are copied into the world-readable Nix store, so a key is read from outside it: give the absolute path of the file on the machine you deploy from, or a command that prints the key (`DeployKey::command`)"),
            ),
            KeySource::File(path) if !path.is_file() => out.push(
                Diagnostic::new(Kind::MissingKeyFile, format!(
                    "{entity} is read from `{}`, which does not exist on this machine",
                    path.display()
                ))
                .at(key.location, "key given here")
                .help("colmena reads it when it deploys; make sure it exists on the machine you deploy from"),
            ),
            KeySource::Command(command) if command.is_empty() => out.push(
                Diagnostic::new(Kind::EmptyKeyCommand, format!("{entity} has an empty command"))
                    .at(key.location, "key given here"),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid_tag;

    #[test]
    fn tags_are_plain_names() {
        for good in ["web", "eu-west", "db_1", "A"] {
            assert!(valid_tag(good), "{good}");
        }
        for bad in ["", "1web", "@web", "web servers", "web/1", "-x"] {
            assert!(!valid_tag(bad), "{bad}");
        }
    }
}
