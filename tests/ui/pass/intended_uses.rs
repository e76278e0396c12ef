//! Every intended way of writing a configuration compiles.

use std::collections::BTreeMap;
use std::path::Path;

use flakesmith_home::{home, programs};
use flakesmith_nixos::services::openssh::{self, settings::PermitRootLogin};
use flakesmith_nixos::{environment, networking, time, users};
use flakesmith::prelude::*;
use flakesmith::{NixModule, NixValue};

#[derive(NixValue, Clone, Copy)]
pub enum Level {
    Low,
    High,
}

#[derive(NixValue, Clone)]
pub struct Peer {
    pub address: String,
    pub port: u16,
}

/// A VPN.
#[derive(NixModule)]
#[nix(category = "services", namespace = "fleet.vpn", name = "vpn", rename_all = "camelCase")]
pub struct Vpn {
    /// Peers.
    pub peers: Vec<Peer>,
    /// Level.
    #[nix(default = Level::Low, example = Level::High)]
    pub level: Level,
    /// Optional MTU.
    #[nix(default = 1420u32)]
    pub mtu: Option<u32>,
    /// Extra settings.
    pub extra: BTreeMap<String, String>,
    /// Log.
    #[nix(default = false, rename = "logEverything")]
    pub log: bool,
}

impl ModuleConfig for Vpn {
    fn config(cfg: VpnCfg, module: Module) -> Module {
        module
            .set(networking::firewall::allowed_tcp_ports, [51820])
            .set_if(&cfg.log, networking::firewall::enable, true)
    }
}

fn main() {
    let shared = Module::new(Category::System, "base")
        .default(time::time_zone, "Europe/Berlin")
        .set(users::users::user("alice").is_normal_user(), true)
        .set(users::users::user("alice").extra_groups(), vec!["wheel".to_owned()])
        .prepend(environment::system_packages, [Package::new("git")]);
    let host = Host::new("desk", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .import(shared)
        .enable(Vpn {
            peers: vec![Peer { address: "10.0.0.1".into(), port: 51820 }],
            level: Level::High,
            mtu: None,
            extra: BTreeMap::new(),
            log: true,
        })
        .force(Vpn::options().level, Level::Low)
        .with_priority(60, Vpn::options().mtu, 1500u32)
        .set_null(time::time_zone)
        .set(networking::host_name, "desk")
        .force(openssh::settings::permit_root_login, PermitRootLogin::No)
        .with_priority(900, openssh::ports, [22, 2222])
        .append(environment::system_packages, vec![Package::new("htop")])
        .user(
            User::new("alice", "24.05")
                .set(programs::git::enable, true)
                .set(programs::git::user_name, "Alice")
                .set(home::packages, [Package::new("ripgrep")])
                .set(home::session_variables, [("EDITOR", "vi")]),
        );
    let flake = Flake::new("intended uses", "24.05").host(host);
    let compiled = flakesmith::compile(&flake, Path::new(".")).expect("the configuration is valid");
    assert!(compiled.tree.get("modules/services/vpn.nix").is_some());
}
