/// SSH.
#[derive(flakesmith::NixModule)]
#[nix(category = "services", namespace = "fleet.ssh")]
pub struct Ssh {
    /// The port.
    #[nix(default = "22")]
    pub port: u16,
}

fn main() {}
