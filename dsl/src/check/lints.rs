//! Security lints: cheap, certain, and silenced per host with `.allow(...)`.

use super::effective::Effective;
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Host, Lint};
use crate::nix::Expr;

/// Services that listen on the network when enabled.
const NETWORK_SERVICES: &[&[&str]] = &[
    &["services", "openssh", "enable"],
    &["services", "nginx", "enable"],
    &["services", "httpd", "enable"],
    &["services", "caddy", "enable"],
    &["services", "postgresql", "enable"],
    &["services", "mysql", "enable"],
    &["services", "redis", "enable"],
    &["services", "samba", "enable"],
    &["services", "nfs", "server", "enable"],
    &["services", "prometheus", "enable"],
    &["services", "grafana", "enable"],
    &["services", "jellyfin", "enable"],
    &["services", "syncthing", "enable"],
    &["services", "home-assistant", "enable"],
    &["virtualisation", "docker", "enable"],
];

/// `PermitRootLogin = "yes"` with password authentication on (NixOS's default) lets
/// anyone guess root's password over the network.
pub(crate) fn root_login_with_password(
    host: &Host,
    effective: &Effective,
    out: &mut Vec<Diagnostic>,
) {
    if host.allowed.contains(&Lint::RootLoginWithPassword)
        || !effective.is_true(&["services", "openssh", "enable"])
    {
        return;
    }
    let root = ["services", "openssh", "settings", "PermitRootLogin"];
    let password = ["services", "openssh", "settings", "PasswordAuthentication"];
    let root_yes = effective.winning(&root) == Expr::string("yes").ok();
    let passwords_off = effective.winning(&password) == Some(Expr::Bool(false));
    if root_yes && !passwords_off {
        let mut diagnostic = Diagnostic::new(
            Kind::RootLoginWithPassword,
            format!(
                "host `{}` lets root log in over SSH with a password",
                host.name
            ),
        );
        for leaf in effective
            .leaves_at(&root)
            .into_iter()
            .filter(|l| l.value == Expr::string("yes").ok())
        {
            diagnostic = diagnostic.at(leaf.location, "PermitRootLogin = \"yes\" here");
        }
        out.push(diagnostic.help(format!(
            "set PermitRootLogin to \"prohibit-password\" or PasswordAuthentication to false; {}",
            Lint::RootLoginWithPassword.allow_hint(&format!("host `{}`", host.name))
        )));
    }
}

/// A disabled firewall on a host that runs network services exposes all of them.
pub(crate) fn firewall_disabled(host: &Host, effective: &Effective, out: &mut Vec<Diagnostic>) {
    let firewall = ["networking", "firewall", "enable"];
    if host.allowed.contains(&Lint::FirewallDisabled)
        || effective.winning(&firewall) != Some(Expr::Bool(false))
    {
        return;
    }
    let running: Vec<String> = NETWORK_SERVICES
        .iter()
        .filter(|path| effective.is_true(path))
        .map(|path| path[..path.len() - 1].join("."))
        .collect();
    if running.is_empty() {
        return;
    }
    let mut diagnostic = Diagnostic::new(
        Kind::FirewallDisabled,
        format!(
            "host `{}` disables its firewall while running network services: {}",
            host.name,
            running.join(", ")
        ),
    );
    for leaf in effective
        .leaves_at(&firewall)
        .into_iter()
        .filter(|l| l.value == Some(Expr::Bool(false)))
    {
        diagnostic = diagnostic.at(leaf.location, "firewall disabled here");
    }
    out.push(diagnostic.help(format!(
        "keep the firewall on and open ports with networking.firewall.allowedTCPPorts; {}",
        Lint::FirewallDisabled.allow_hint(&format!("host `{}`", host.name))
    )));
}
