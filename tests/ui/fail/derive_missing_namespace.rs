/// Docker.
#[derive(flakesmith::NixModule)]
#[nix(category = "services")]
pub struct Docker {
    /// Users allowed to talk to the daemon.
    pub users: Vec<String>,
}

fn main() {}
