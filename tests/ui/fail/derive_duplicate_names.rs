use flakesmith::{NixModule, NixValue};

/// Two fields that would declare one option, and a key given twice.
#[derive(NixModule)]
#[nix(category = "services", namespace = "fleet.web")]
pub struct Web {
    #[nix(rename = "port")]
    pub listen: u16,
    pub port: Vec<u16>,
    #[nix(rename = "a", rename = "b")]
    pub name: String,
}

/// Two fields written to one attribute, and two variants written alike.
#[derive(NixValue)]
pub struct Mount {
    #[nix(rename = "device")]
    pub source: String,
    pub device: String,
}

#[derive(NixValue)]
pub enum Mode {
    #[nix(rename = "fast")]
    Quick,
    Fast,
}

fn main() {}
