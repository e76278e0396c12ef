//! The flake outputs of the deployment engines: colmena's `colmenaHive` and deploy-rs's
//! `deploy` and `checks`, for the hosts that have a [`Deployment`].
//!
//! Both read each host's system from the same place: the hive's node imports the host's
//! module list (`hostModules.<host>`), the list `nixosConfigurations.<host>` is built
//! from, and deploy-rs activates `self.nixosConfigurations.<host>` itself. So a host
//! deployed by either engine is the system `nixos-rebuild --flake .#<host>` builds.

use crate::model::{Deployment, Engine, Host, KeySource};
use crate::nix::{Attrs, Expr};
use crate::plan::Plan;

use super::string;

/// The name of the `let` binding that holds each host's module list.
pub(super) const HOST_MODULES: &str = "hostModules";

/// The engines the flake writes outputs for: named on the flake, with a deployed host.
pub(super) fn engines(plan: &Plan) -> Vec<Engine> {
    let mut engines: Vec<Engine> = plan.flake.engines.iter().map(|(e, _)| *e).collect();
    engines.sort();
    engines.dedup();
    if deployed(plan).next().is_none() {
        engines.clear();
    }
    engines
}

fn deployed<'p>(plan: &'p Plan) -> impl Iterator<Item = (&'p Host, &'p Deployment)> + 'p {
    plan.hosts
        .iter()
        .filter_map(|p| p.host.deployment.as_ref().map(|d| (p.host, d)))
}

/// `hostModules.<host>`.
pub(super) fn host_modules(host: &Host) -> Expr {
    Expr::Select(super::ident(HOST_MODULES), vec![host.name.clone()])
}

fn strings<'s>(items: impl IntoIterator<Item = &'s String>) -> Expr {
    Expr::List(items.into_iter().map(|s| string(s)).collect())
}

fn import_nixpkgs(system: &str) -> Expr {
    Expr::apply(
        Expr::known("import"),
        [
            Expr::known("nixpkgs"),
            Attrs::new().with("system", string(system)).into(),
        ],
    )
}

/// `colmenaHive = inputs.colmena.lib.makeHive { meta = ...; <host> = ...; }`.
pub(super) fn colmena_hive(plan: &Plan) -> Expr {
    let hosts: Vec<(&Host, &Deployment)> = deployed(plan).collect();
    let default_system = hosts[0].0.system.double();
    let node_nixpkgs: Attrs = hosts
        .iter()
        .filter(|(host, _)| host.system.double() != default_system)
        .map(|(host, _)| (host.name.clone(), import_nixpkgs(host.system.double())))
        .collect();
    let mut meta = Attrs::new().with("nixpkgs", import_nixpkgs(default_system));
    if !node_nixpkgs.is_empty() {
        meta.insert("nodeNixpkgs", node_nixpkgs.into());
    }
    meta.insert(
        "specialArgs",
        Attrs::new().with("inputs", Expr::known("inputs")).into(),
    );
    // Colmena's per-node arguments: each host's, the flake's and `inputs` included.
    let node_args: Attrs = hosts
        .iter()
        .filter(|(host, _)| {
            !host.special_args.is_empty()
                || host.lib_additions.is_some()
                || !plan.flake.special_args.is_empty()
        })
        .map(|(host, _)| (host.name.clone(), super::special_args(plan, host)))
        .collect();
    if !node_args.is_empty() {
        meta.insert("nodeSpecialArgs", node_args.into());
    }
    let nodes = hosts.into_iter().map(|(host, deployment)| {
        let node = Attrs::new()
            .with("imports", host_modules(host))
            .with("deployment", colmena_deployment(host, deployment).into())
            // What `nixpkgs.lib.nixosSystem` sets for a flake-built system, so the
            // hive builds the same one.
            .with(
                "nixpkgs",
                Attrs::new()
                    .with(
                        "flake",
                        Attrs::new()
                            .with("source", Expr::known("nixpkgs.outPath"))
                            .into(),
                    )
                    .into(),
            );
        (host.name.clone(), node.into())
    });
    let hive: Attrs = std::iter::once(("meta".to_owned(), meta.into()))
        .chain(nodes)
        .collect();
    Expr::apply(Expr::known("inputs.colmena.lib.makeHive"), [hive.into()])
}

fn colmena_deployment(host: &Host, deployment: &Deployment) -> Attrs {
    let mut attrs = Attrs::new().with("targetHost", string(&deployment.target));
    if let Some(port) = deployment.port {
        attrs.insert("targetPort", Expr::Int(port.into()));
    }
    if let Some(user) = &deployment.ssh_user {
        attrs.insert("targetUser", string(user));
    }
    if deployment.build_on_target {
        attrs.insert("buildOnTarget", true.into());
    }
    if deployment.allow_local_deployment {
        attrs.insert("allowLocalDeployment", true.into());
    }
    if !host.tags.is_empty() {
        attrs.insert("tags", strings(host.tags.iter().map(|(tag, _)| tag)));
    }
    if !deployment.keys.is_empty() {
        let keys: Attrs = deployment
            .keys
            .iter()
            .map(|key| {
                let mut attrs = match &key.source {
                    KeySource::File(path) => {
                        Attrs::new().with("keyFile", string(&path.display().to_string()))
                    }
                    KeySource::Command(command) => {
                        Attrs::new().with("keyCommand", strings(command))
                    }
                };
                for (name, value) in [
                    ("destDir", &key.dest_dir),
                    ("user", &key.user),
                    ("group", &key.group),
                    ("permissions", &key.permissions),
                ] {
                    if let Some(value) = value {
                        attrs.insert(name, string(value));
                    }
                }
                if let Some(when) = key.upload_at {
                    attrs.insert("uploadAt", string(when.as_str()));
                }
                (key.name.clone(), attrs.into())
            })
            .collect();
        attrs.insert("keys", keys.into());
    }
    attrs
}

/// `deploy = { nodes.<host> = { hostname; profiles.system = ...; ... }; }`.
pub(super) fn deploy_nodes(plan: &Plan) -> Expr {
    let nodes: Attrs = deployed(plan)
        .map(|(host, deployment)| (host.name.clone(), deploy_node(host, deployment).into()))
        .collect();
    Attrs::new().with("nodes", nodes.into()).into()
}

fn deploy_node(host: &Host, deployment: &Deployment) -> Attrs {
    let mut node = Attrs::new().with("hostname", string(&deployment.target));
    if let Some(user) = &deployment.ssh_user {
        node.insert("sshUser", string(user));
    }
    if let Some(port) = deployment.port {
        node.insert(
            "sshOpts",
            Expr::List(vec![string("-p"), string(&port.to_string())]),
        );
    }
    if deployment.build_on_target {
        node.insert("remoteBuild", true.into());
    }
    for (name, value) in [
        ("magicRollback", deployment.magic_rollback),
        ("autoRollback", deployment.auto_rollback),
    ] {
        if let Some(value) = value {
            node.insert(name, value.into());
        }
    }
    for (name, value) in [
        ("confirmTimeout", deployment.confirm_timeout),
        ("activationTimeout", deployment.activation_timeout),
    ] {
        if let Some(value) = value {
            node.insert(name, Expr::Int(value.into()));
        }
    }
    let activate = Expr::Select(
        super::ident("inputs"),
        [
            "deploy-rs",
            "lib",
            host.system.double(),
            "activate",
            "nixos",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    let system = Expr::Select(
        super::ident("self"),
        vec!["nixosConfigurations".to_owned(), host.name.clone()],
    );
    let profile = Attrs::new()
        .with("user", string("root"))
        .with("path", Expr::apply(activate, [system]));
    node.insert(
        "profiles",
        Attrs::new().with("system", profile.into()).into(),
    );
    node
}

/// `checks`: deploy-rs's own checks of the `deploy` output, for every system it
/// supports.
pub(super) fn deploy_checks() -> Expr {
    Expr::apply(
        Expr::known("builtins.mapAttrs"),
        [
            Expr::Raw("system: deployLib: deployLib.deployChecks self.deploy".to_owned()),
            Expr::known("inputs.deploy-rs.lib"),
        ],
    )
}
