use std::collections::HashMap;

/// Docker.
#[derive(flakesmith::NixModule)]
#[nix(category = "services", namespace = "fleet.docker")]
pub struct Docker {
    /// Daemon settings.
    pub settings: HashMap<String, String>,
}

fn main() {}
