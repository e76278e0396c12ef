//! A synthetic fleet for benchmarks: `hosts` hosts, each importing 10 of a library of 40
//! shared modules, carrying 2 of 50 Home Manager users and 50 overrides of its own, and
//! deployed through colmena and deploy-rs (a target, two tags, one key).

use flakesmith::prelude::*;
use flakesmith::OptionPath;
use flakesmith_nixos::{networking, users};

const MODULES: usize = 40;
const USERS: usize = 50;

fn module(i: usize) -> Module {
    let mut module = Module::new(
        [Category::System, Category::Services][i % 2],
        format!("module-{i:02}"),
    )
    .describe(format!("Shared module {i}."));
    for j in 0..8 {
        module = module
            .default(Opt::<bool>::new(&["services", "bench", "enable"]), true)
            .default(
                Opt::<Vec<String>>::at(
                    OptionPath::Static(&["services", "bench"])
                        .join([format!("m{i}"), format!("list{j}")]),
                ),
                [format!("value-{j}")],
            )
            .default(
                Opt::<i64>::at(
                    OptionPath::Static(&["services", "bench"])
                        .join([format!("m{i}"), format!("number{j}")]),
                ),
                (i * j) as i64,
            );
    }
    module
}

fn accounts() -> Module {
    let mut module = Module::new(Category::System, "accounts");
    for u in 0..USERS {
        module = module.set(
            users::users::user(&format!("user{u:02}")).is_normal_user(),
            true,
        );
    }
    module
}

fn user(u: usize) -> User {
    User::new(format!("user{u:02}"), "24.05")
        .set(flakesmith_home::programs::git::enable, true)
        .set(
            flakesmith_home::programs::git::user_name,
            format!("User {u}"),
        )
        .set(
            flakesmith_home::home::packages,
            [Package::new("ripgrep"), Package::new("jq")],
        )
}

/// The flake on NixOS 24.05; every host's hardware configuration is given inline.
#[allow(dead_code)] // used by validate_throughput, not by the scale example
pub fn fleet(hosts: usize) -> Flake {
    fleet_on(hosts, "24.05")
}

/// The same fleet on another release (25.05 and later locate each definition with
/// `lib.mkDefinition`).
pub fn fleet_on(hosts: usize, release: &str) -> Flake {
    let library: Vec<Module> = (0..MODULES).map(module).collect();
    let accounts = accounts();
    let people: Vec<User> = (0..USERS).map(user).collect();
    let mut flake = Flake::new("A synthetic fleet", release)
        .deploy_with(Engine::Colmena)
        .deploy_with(Engine::DeployRs);
    for h in 0..hosts {
        let name = format!("host-{h:05}");
        let mut host = Host::new(name.clone(), System::X86_64Linux, release)
            .hardware(Hardware::nix_text(format!(
                "{{ fileSystems.\"/\".device = \"/dev/disk/by-label/{name}\"; }}\n"
            )))
            .import(accounts.clone())
            .set(networking::host_name, name.as_str());
        for m in 0..10 {
            host = host.import(library[(h * 7 + m * 3) % MODULES].clone());
        }
        for o in 0..49 {
            host = host.set(
                Opt::<String>::at(
                    OptionPath::Static(&["services", "bench", "host"])
                        .join([format!("setting{o}")]),
                ),
                format!("{name}-{o}"),
            );
        }
        host = host
            .user(people[h % USERS].clone())
            .user(people[(h + 1) % USERS].clone())
            .tag(["web", "db", "edge", "build"][h % 4])
            .tag(format!("rack{}", h % 20))
            .deploy(
                Deployment::to(format!("{name}.fleet.example.org"))
                    .ssh_user("deploy")
                    .key(DeployKey::command("token", ["pass", "show", name.as_str()])),
            );
        flake = flake.host(host);
    }
    flake
}

/// Peak resident memory of this process, from `/proc/self/status`.
#[allow(dead_code)] // used by the scale example, not by validate_throughput
pub fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
