/// Docker.
#[derive(flakesmith::NixModule)]
#[nix(category = "services", namespace = "fleet.docker")]
pub struct Docker {
    /// Users allowed to talk to the daemon.
    #[nix(colour = "blue")]
    pub users: Vec<String>,
}

fn main() {}
