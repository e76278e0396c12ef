use flakesmith_nixos::virtualisation::docker::StorageDriver;
use flakesmith::prelude::*;

/// Docker.
#[derive(flakesmith::NixModule)]
#[nix(category = "services", namespace = "fleet.docker")]
pub struct Docker {
    /// The storage driver.
    #[nix(default = StorageDriver::Overlay2)]
    pub storage_driver: StorageDriver,
}

fn main() {
    let _host = Host::new("desk", System::X86_64Linux, "24.05").set(Docker::options().storage_driver, "zfs");
}
