//! `flakesmith new`: the files of a new configuration crate, and of a new host or user in
//! one. Pure text generation; the `flakesmith` command writes the files.
//!
//! A new crate's hosts and users live in files of their own (`config/hosts/<name>.rs`,
//! `config/home/<name>.rs`) that hold one expression each, so adding one is a new file and
//! one `include!` line: `.host(include!("hosts/laptop.rs"))`.

use std::collections::BTreeMap;

use crate::check::{valid_host_name, valid_user_name};

/// Where the new crate finds flakesmith.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dependency {
    /// A checkout on this machine: the path of its `dsl/` crate.
    Path(String),
    /// A git repository.
    Git(String),
}

impl Dependency {
    fn toml(&self) -> String {
        match self {
            Dependency::Path(path) => format!("{{ path = {path:?} }}"),
            Dependency::Git(url) => format!("{{ git = {url:?} }}"),
        }
    }
}

/// What `flakesmith new DIR` asks for.
#[derive(Clone, Debug)]
pub struct NewConfig {
    /// The crate's name (from the directory's name).
    pub crate_name: String,
    pub host: String,
    /// A Nix system double, such as `x86_64-linux`.
    pub system: String,
    /// A NixOS release `YY.MM`: the flake's inputs and the host's `stateVersion`.
    pub release: String,
    /// A Home Manager user with a normal account on the host, if any.
    pub user: Option<String>,
    pub flakesmith: Dependency,
}

/// The files of a new configuration crate, by relative path.
pub fn new_crate(config: &NewConfig) -> Result<BTreeMap<String, String>, String> {
    valid_host_name(&config.host).map_err(|why| format!("host name `{}`: {why}", config.host))?;
    if let Some(user) = &config.user {
        valid_user_name(user).map_err(|why| format!("user name `{user}`: {why}"))?;
    }
    release(&config.release)?;
    let system = system_variant(&config.system)?;
    let mut files = crate_skeleton(&config.crate_name, &config.flakesmith);
    files.insert(
        "config/mod.rs".to_owned(),
        format!(
            "//! The fleet: every host, and the modules they share. Each host and Home Manager\n\
             //! user is a file of its own under `hosts/` and `home/`, holding one expression.\n\n\
             pub mod modules;\n\nuse flakesmith::prelude::*;\n\n\
             /// The whole configuration, on NixOS {release}.\n\
             pub fn flake() -> Flake {{\n    Flake::new(\"NixOS machines\", \"{release}\")\n        .regenerate_with(\"cargo run\")\n        .host(include!(\"hosts/{host}.rs\"))\n}}\n",
            release = config.release,
            host = config.host,
        ),
    );
    files.insert(
        "config/modules.rs".to_owned(),
        modules_rs(config.user.as_deref()),
    );
    files.insert(
        format!("config/hosts/{}.rs", config.host),
        host_rs(
            &config.host,
            &system,
            &config.release,
            config.user.as_deref(),
        ),
    );
    files.insert(
        format!("hardware/{}.nix", config.host),
        hardware_nix(&config.host, &config.system),
    );
    if let Some(user) = &config.user {
        files.insert(
            format!("config/home/{user}.rs"),
            user_rs(user, &config.release),
        );
    }
    Ok(files)
}

/// The files every configuration crate has: `Cargo.toml`, `build.rs` (which compiles
/// `config/`), `src/main.rs` (which writes the tree) and `.gitignore`.
pub(crate) fn crate_skeleton(name: &str, flakesmith: &Dependency) -> BTreeMap<String, String> {
    let dependency = flakesmith.toml();
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        format!(
            "[package]\nname = {name:?}\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             # The configuration is compiled into the flake tree by build.rs; the binary writes it.\n\
             [dependencies]\nflakesmith = {dependency}\n\n[build-dependencies]\nflakesmith = {dependency}\n\n\
             # A crate of its own, even when created inside another workspace.\n[workspace]\n"
        ),
    );
    files.insert("build.rs".to_owned(), BUILD_RS.to_owned());
    files.insert("src/main.rs".to_owned(), MAIN_RS.to_owned());
    files.insert(".gitignore".to_owned(), "/target\n".to_owned());
    files
}

/// The files of a new host in an existing configuration, and the line to add.
pub fn new_host(
    name: &str,
    system: &str,
    release: &str,
) -> Result<(BTreeMap<String, String>, String), String> {
    valid_host_name(name).map_err(|why| format!("host name `{name}`: {why}"))?;
    self::release(release)?;
    let variant = system_variant(system)?;
    let files = BTreeMap::from([
        (
            format!("config/hosts/{name}.rs"),
            host_rs(name, &variant, release, None),
        ),
        (format!("hardware/{name}.nix"), hardware_nix(name, system)),
    ]);
    let line = format!("        .host(include!(\"hosts/{name}.rs\"))");
    Ok((files, line))
}

/// The file of a new Home Manager user, and the lines to add: its account in
/// `config/modules.rs` and the user on each host that carries it.
pub fn new_user(
    name: &str,
    release: &str,
) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    valid_user_name(name).map_err(|why| format!("user name `{name}`: {why}"))?;
    self::release(release)?;
    let files = BTreeMap::from([(format!("config/home/{name}.rs"), user_rs(name, release))]);
    let lines = vec![
        format!("        .set(users::users::user(\"{name}\").is_normal_user(), true)"),
        format!("        .user(include!(\"../home/{name}.rs\"))"),
    ];
    Ok((files, lines))
}

fn release(release: &str) -> Result<(), String> {
    if crate::check::is_release(release) {
        Ok(())
    } else {
        Err(format!(
            "release `{release}` is not of the form YY.MM, such as 24.11"
        ))
    }
}

fn system_variant(system: &str) -> Result<String, String> {
    Ok(match system {
        "x86_64-linux" => "System::X86_64Linux".to_owned(),
        "aarch64-linux" => "System::Aarch64Linux".to_owned(),
        "i686-linux" => "System::I686Linux".to_owned(),
        "riscv64-linux" => "System::Riscv64Linux".to_owned(),
        other if crate::model::System::KNOWN_DOUBLES.contains(&other) => {
            format!("System::Other({other:?}.into())")
        }
        other => {
            return Err(format!(
                "system `{other}` is not one NixOS runs on ({})",
                crate::model::System::KNOWN_DOUBLES.join(", ")
            ))
        }
    })
}

const BUILD_RS: &str = "\
//! Compiles the typed configuration in `config/` into the checked flake tree. A mistake
//! fails `cargo build` with every diagnostic at once.

#[path = \"config/mod.rs\"]
mod config;

fn main() {
    println!(\"cargo:rerun-if-changed=build.rs\");
    println!(\"cargo:rerun-if-changed=config\");
    println!(\"cargo:rerun-if-changed=hardware\");
    flakesmith::build_script::run(&config::flake());
}
";

const MAIN_RS: &str = "\
//! Writes the flake tree that `build.rs` compiled and checked: `cargo run` writes
//! `./flake`, `--out DIR` elsewhere, `--check` and `--diff` compare without writing.

flakesmith::include_tree!();

fn main() -> std::process::ExitCode {
    flakesmith::cli::main(&FLAKESMITH_TREE)
}
";

fn modules_rs(user: Option<&str>) -> String {
    let account = user
        .map(|user| {
            format!(
                "\n        .set(users::users::user(\"{user}\").is_normal_user(), true)\n        .set(users::users::user(\"{user}\").extra_groups(), [\"wheel\"])"
            )
        })
        .unwrap_or_default();
    let users_import = if user.is_some() { ", users" } else { "" };
    format!(
        "//! Modules every host shares. A module sets defaults (`default`, `lib.mkDefault`) that\n\
         //! hosts may override with `set`.\n\n\
         use flakesmith::nixos::{{boot::loader, nix{users_import}}};\n\
         use flakesmith::prelude::*;\n\n\
         /// The boot loader, Nix itself and the accounts of people.\n\
         pub fn base() -> Module {{\n    Module::new(Category::System, \"base\")\n        .describe(\"Boot loader, Nix settings and accounts shared by every host.\")\n        .default(loader::systemd_boot::enable, true)\n        .default(loader::efi::can_touch_efi_variables, true)\n        .set(nix::settings, [(\"experimental-features\", vec![\"nix-command\", \"flakes\"])]){account}\n}}\n"
    )
}

fn host_rs(name: &str, system: &str, release: &str, user: Option<&str>) -> String {
    let user = user
        .map(|user| format!("\n        .user(include!(\"../home/{user}.rs\"))"))
        .unwrap_or_default();
    format!(
        "// Host `{name}`: one expression, included by `config/mod.rs` with\n\
         // `.host(include!(\"hosts/{name}.rs\"))`.\n\
         {{\n    use flakesmith::prelude::*;\n\n    Host::new(\"{name}\", {system}, \"{release}\")\n        .hardware(Hardware::nix_file(\"hardware/{name}.nix\"))\n        .import(crate::config::modules::base()){user}\n}}\n"
    )
}

fn user_rs(name: &str, release: &str) -> String {
    format!(
        "// Home Manager user `{name}`: one expression, added to a host with\n\
         // `.user(include!(\"../home/{name}.rs\"))`. The user needs a normal account on that host\n\
         // (`config/modules.rs` gives one).\n\
         {{\n    use flakesmith::home::programs;\n    use flakesmith::prelude::*;\n\n    User::new(\"{name}\", \"{release}\")\n        .set(programs::home_manager::enable, true)\n}}\n"
    )
}

fn hardware_nix(name: &str, system: &str) -> String {
    format!(
        "# The hardware configuration of `{name}`. Replace this file with the output of\n\
         # `nixos-generate-config --show-hardware-config` on the machine.\n\
         {{lib, ...}}: {{\n  fileSystems.\"/\" = {{\n    device = \"/dev/disk/by-label/nixos\";\n    fsType = \"ext4\";\n  }};\n  fileSystems.\"/boot\" = {{\n    device = \"/dev/disk/by-label/boot\";\n    fsType = \"vfat\";\n  }};\n  nixpkgs.hostPlatform = lib.mkDefault \"{system}\";\n}}\n"
    )
}
