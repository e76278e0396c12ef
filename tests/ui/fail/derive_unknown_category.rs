/// Docker.
#[derive(flakesmith::NixModule)]
#[nix(category = "server", namespace = "fleet.docker")]
pub struct Docker {
    /// Users allowed to talk to the daemon.
    pub users: Vec<String>,
}

fn main() {}
