//! Shared modules. They set defaults (`lib.mkDefault`) that hosts may override, except
//! where a value is a policy every host must follow (plain definitions).

use flakesmith::prelude::*;
use flakesmith::NixModule;
use flakesmith_nixos::services::openssh::{self, settings::PermitRootLogin};
use flakesmith_nixos::virtualisation::docker::{self, StorageDriver};
use flakesmith_nixos::{boot::loader, i18n, networking, nix, services, time, users};

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
        // A host whose secrets manager places the file elsewhere replaces it.
        .default(
            alice.hashed_password_file(),
            RuntimePath::new("/run/secrets/alice-password"),
        )
        // `experimental-features` is freeform in NixOS's `nix.settings`: set through the map.
        .set(
            nix::settings,
            [("experimental-features", vec!["nix-command", "flakes"])],
        )
        .default(nix::settings::auto_optimise_store, true)
}

/// The SSH daemon, hardened the same way on every host.
#[derive(NixModule)]
#[nix(category = "services", namespace = "fleet.ssh")]
pub struct Ssh {
    /// Ports the daemon listens on.
    #[nix(default = [22])]
    pub ports: Vec<u16>,
    /// Whether root may log in, and how.
    #[nix(default = PermitRootLogin::No)]
    pub permit_root_login: PermitRootLogin,
    /// Whether the firewall opens the SSH ports.
    #[nix(default = true)]
    pub open_firewall: bool,
}

impl ModuleConfig for Ssh {
    fn config(cfg: SshCfg, module: Module) -> Module {
        module
            .set(openssh::enable, true)
            .set(openssh::ports, cfg.ports)
            .set(openssh::open_firewall, cfg.open_firewall)
            .set(openssh::settings::permit_root_login, cfg.permit_root_login)
            .set(openssh::settings::password_authentication, false)
    }
}

/// Docker, the way every host here runs it.
#[derive(NixModule)]
#[nix(category = "services", namespace = "fleet.docker")]
pub struct Docker {
    /// Users allowed to talk to the daemon (members of the `docker` group).
    pub users: Vec<String>,
    /// The storage driver.
    #[nix(default = StorageDriver::Overlay2)]
    pub storage_driver: StorageDriver,
    /// Whether to prune unused images and containers weekly.
    #[nix(default = true, example = false)]
    pub auto_prune: bool,
}

impl ModuleConfig for Docker {
    fn config(cfg: DockerCfg, module: Module) -> Module {
        module
            .set(docker::enable, true)
            .set(docker::storage_driver, cfg.storage_driver)
            .set(docker::auto_prune::enable, cfg.auto_prune)
            .set(users::groups::group("docker").members(), cfg.users)
    }
}

/// KDE Plasma 6 with SDDM on Wayland.
pub fn kde() -> Module {
    Module::new(Category::Desktop, "kde")
        .describe("KDE Plasma 6 desktop with the SDDM display manager.")
        .default(services::xserver::enable, true)
        .default(services::display_manager::sddm::enable, true)
        .default(services::display_manager::sddm::wayland::enable, true)
        .default(services::desktop_manager::plasma6::enable, true)
}
