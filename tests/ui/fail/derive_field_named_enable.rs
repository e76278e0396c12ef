use flakesmith::prelude::*;
use flakesmith::{NixModule, NixValue};
use flakesmith_nixos::services::nginx;

/// A web server whose `enable` field clashes with the one the derive declares; the
/// code using the module is right and must add no error of its own.
#[derive(NixModule)]
#[nix(category = "services", namespace = "fleet.web")]
pub struct Web {
    /// Whether to serve.
    pub enable: bool,
    /// Where the site lives.
    #[nix(default = "/var/www")]
    pub root: String,
}

impl ModuleConfig for Web {
    fn config(cfg: WebCfg, module: Module) -> Module {
        let _ = cfg.root;
        module.set(nginx::enable, true)
    }
}

/// Two variants written alike; the code converting the value is right.
#[derive(NixValue)]
pub enum Mode {
    #[nix(rename = "fast")]
    Quick,
    Fast,
}

fn main() {
    let host = Host::new("web", System::X86_64Linux, "25.05").enable(Web {
        enable: true,
        root: "/srv".into(),
    });
    let _ = (host, flakesmith::ToNix::to_nix(&Mode::Quick));
}
