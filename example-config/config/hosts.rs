//! The machines. Each imports shared modules and overrides what it must.

use flakesmith::nixos::services::openssh::settings::{self as sshd, PermitRootLogin};
use flakesmith::nixos::virtualisation::docker::StorageDriver;
use flakesmith::nixos::{environment, networking, time};
use flakesmith::prelude::*;

use super::{home, modules};

/// The desktop: KDE, Docker, and Alice's Home Manager configuration.
pub fn nixos_desk() -> Host {
    Host::new("nixos-desk", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_file("hardware/nixos-desk.nix"))
        .import(modules::boot())
        .import(modules::network())
        .import(modules::users())
        .import(modules::kde())
        .enable(modules::Ssh {
            ports: vec![22],
            permit_root_login: PermitRootLogin::No,
            open_firewall: false,
        })
        .enable(modules::Docker {
            users: vec!["alice".into()],
            storage_driver: StorageDriver::Overlay2,
            auto_prune: true,
        })
        .set(networking::host_name, "nixos-desk")
        .set(time::time_zone, "Europe/Amsterdam")
        .set(
            environment::system_packages,
            [Package::new("firefox"), Package::new("kdePackages.kate")],
        )
        .user(home::alice())
        .tag("workstations")
        // The desk deploys itself too (`colmena apply-local`).
        .deploy(Deployment::to("desk.lan").allow_local_deployment())
}

/// A headless server: no desktop, web ports open, root logins with keys for deploys.
pub fn nixos_server() -> Host {
    Host::new("nixos-server", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_file("hardware/nixos-server.nix"))
        .import(modules::boot())
        .import(modules::network())
        .import(modules::users())
        .enable(modules::Ssh {
            ports: vec![22, 2222],
            permit_root_login: PermitRootLogin::No,
            open_firewall: true,
        })
        .enable(modules::Docker {
            users: vec![],
            storage_driver: StorageDriver::Zfs,
            auto_prune: true,
        })
        .set(networking::host_name, "nixos-server")
        .set(networking::firewall::allowed_tcp_ports, [80, 443])
        // Deploy tooling logs in as root with a key: override the module's "no".
        .force(sshd::permit_root_login, PermitRootLogin::ProhibitPassword)
        .user(home::alice())
        .tag("servers")
        .deploy(Deployment::to("server.example.org").build_on_target())
}
