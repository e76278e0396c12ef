//! The machines. Each imports shared modules and overrides what it must.

use flakesmith::nixos::services::openssh::{self, settings::PermitRootLogin};
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
        .import(modules::ssh())
        .import(modules::docker())
        .import(modules::kde())
        .set(networking::host_name, "nixos-desk")
        .set(time::time_zone, "Europe/Amsterdam")
        .set(
            environment::system_packages,
            [Package::new("firefox"), Package::new("kdePackages.kate")],
        )
        .user(home::alice())
}

/// A headless server: no desktop, web ports open, root logins with keys for deploys.
pub fn nixos_server() -> Host {
    Host::new("nixos-server", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_file("hardware/nixos-server.nix"))
        .import(modules::boot())
        .import(modules::network())
        .import(modules::users())
        .import(modules::ssh())
        .import(modules::docker())
        .set(networking::host_name, "nixos-server")
        .set(networking::firewall::allowed_tcp_ports, [80, 443])
        .force(
            openssh::settings::permit_root_login,
            PermitRootLogin::ProhibitPassword,
        )
        .set(openssh::ports, [22, 2222])
        .user(home::alice())
}
