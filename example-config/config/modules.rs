//! Shared modules. They set defaults (`lib.mkDefault`) that hosts may override, except
//! where a value is a policy every host must follow (plain definitions).

use flakesmith::nixos::services::openssh::{self, settings::PermitRootLogin};
use flakesmith::nixos::virtualisation::docker::{self, StorageDriver};
use flakesmith::nixos::{boot::loader, i18n, networking, nix, services, time, users};
use flakesmith::prelude::*;

/// systemd-boot on an EFI system partition.
pub fn boot() -> Module {
    Module::new(Category::System, "boot")
        .describe("Boot loader: systemd-boot on EFI.")
        .default(loader::systemd_boot::enable, true)
        .default(loader::efi::can_touch_efi_variables, true)
}

/// NetworkManager, the firewall, time zone and locale.
pub fn network() -> Module {
    Module::new(Category::System, "network")
        .describe("Networking, time and locale shared by every host.")
        .default(networking::networkmanager::enable, true)
        .default(networking::firewall::enable, true)
        .default(time::time_zone, "Europe/Berlin")
        .default(i18n::default_locale, "en_US.UTF-8")
}

/// System accounts, and Nix itself.
pub fn users() -> Module {
    let alice = users::users::user("alice");
    Module::new(Category::System, "users")
        .describe("System accounts and Nix settings.")
        .set(alice.is_normal_user(), true)
        .set(alice.description(), "Alice Example")
        .set(alice.extra_groups(), ["wheel", "networkmanager"])
        .set(
            alice.hashed_password_file(),
            RuntimePath::new("/run/secrets/alice-password"),
        )
        .set(
            nix::settings::experimental_features,
            ["nix-command", "flakes"],
        )
        .default(nix::settings::auto_optimise_store, true)
}

/// The SSH daemon: keys only, no root logins.
pub fn ssh() -> Module {
    Module::new(Category::Services, "ssh")
        .describe("OpenSSH with key-based logins only.")
        .default(openssh::enable, true)
        .set(openssh::settings::password_authentication, false)
        .set(openssh::settings::permit_root_login, PermitRootLogin::No)
}

/// Docker, the way every host here runs it.
pub fn docker() -> Module {
    Module::new(Category::Services, "docker")
        .describe("Docker with overlay2 storage and weekly pruning.")
        .default(docker::enable, true)
        .default(docker::storage_driver, StorageDriver::Overlay2)
        .default(docker::auto_prune::enable, true)
        .set(users::users::user("alice").extra_groups(), ["docker"])
}

/// KDE Plasma 6 with SDDM on Wayland.
pub fn kde() -> Module {
    Module::new(Category::Desktop, "kde")
        .describe("KDE Plasma 6 desktop with the SDDM display manager.")
        .default(services::xserver::enable, true)
        .default(services::display_manager::sddm::enable, true)
        .default(services::display_manager::sddm::wayland_enable, true)
        .default(services::desktop_manager::plasma6::enable, true)
}
