//! The machines. Each imports shared modules and overrides what it must.

use flakesmith::prelude::*;
use flakesmith::{HomeAdditions, SopsSecret};
use flakesmith_home::home as hm;
use flakesmith_inputs::sops_nix::sops;
use flakesmith_nixos::services::openssh::settings::{self as sshd, PermitRootLogin};
use flakesmith_nixos::virtualisation::docker::StorageDriver;
use flakesmith_nixos::{environment, networking, services, time, users};

use super::{home, modules, packages};

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

/// A laptop: its disks described for disko, its hardware profile from nixos-hardware,
/// Alice's password from sops-nix, and Alice with a few laptop-only additions.
pub fn nixos_laptop() -> Host {
    Host::new("nixos-laptop", System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_file("hardware/nixos-laptop.nix"))
        .disko(NixSource::nix_file("hardware/nixos-laptop-disko.nix"))
        .import(Module::from_input(
            "nixos-hardware",
            "nixosModules.framework-13-7040-amd",
        ))
        .import(Module::from_input("sops-nix", "nixosModules.sops"))
        .import(modules::boot())
        .import(modules::network())
        .import(modules::users())
        .import(modules::kde())
        .enable(modules::Ssh {
            ports: vec![22],
            permit_root_login: PermitRootLogin::No,
            open_firewall: false,
        })
        // Decrypted with the laptop's own age key; the password file exists before
        // users are created (flakesmith infers `neededForUsers` from its use below).
        .set(sops::age::key_file, "/var/lib/sops-nix/key.txt")
        .sops_secret(SopsSecret::new("alice-password").file("secrets/nixos-laptop.yaml"))
        .set(
            users::users::user("alice").hashed_password_file(),
            Secret::sops("alice-password"),
        )
        .set(services::power_profiles_daemon::enable, true)
        .set(
            environment::system_packages,
            [packages::fleet_motd().package()],
        )
        .user_with(
            home::alice(),
            HomeAdditions::new()
                .set(hm::packages, [Package::new("powertop")])
                .set(hm::session_variables, [("BROWSER", "firefox")]),
        )
        .tag("workstations")
        .deploy(Deployment::to("laptop.lan"))
}
