//! Packages the fleet builds itself, from `pkgs/`.

use flakesmith::LocalPackage;

/// The login greeting every workstation shows.
pub fn fleet_motd() -> LocalPackage {
    LocalPackage::nix_file("fleet-motd", "pkgs/fleet-motd.nix")
}
