//! `flakesmith new`: the files of a new configuration crate, and of a new host or user in
//! one. Pure text generation; the `flakesmith` command writes the files.
//!
//! A new crate's hosts and users live in files of their own (`config/hosts/<name>.rs`,
//! `config/home/<name>.rs`) that hold one expression each, so adding one is a new file and
//! one `include!` line: `.host(include!("hosts/laptop.rs"))`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::check::{valid_host_name, valid_user_name};
use crate::releases::{self, Line};

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

    /// A bindings crate from the same place (`dsl/bindings/<dir>` of a checkout; cargo
    /// finds it by its package name in a git repository), with `features` (quoted,
    /// comma-separated).
    fn bindings_toml(&self, dir: &str, features: &str) -> String {
        match self {
            Dependency::Path(path) => {
                let path = format!("{}/bindings/{dir}", path.trim_end_matches('/'));
                format!("{{ path = {path:?}, features = [{features}] }}")
            }
            Dependency::Git(url) => format!("{{ git = {url:?}, features = [{features}] }}"),
        }
    }
}

/// The bindings crates a configuration uses, each with the features of the namespaces
/// it names.
pub type BindingsUsed = BTreeMap<&'static str, BTreeSet<String>>;

/// The package and the directory under `dsl/bindings/` of the bindings crate
/// `bindings_crate` names (`flakesmith-nixos` and `flakesmith-home` as the release
/// `lines`, `flakesmith-inputs` as it is).
fn package_and_dir(
    bindings_crate: &'static str,
    (nixos, home): (&'static Line, &'static Line),
) -> (&'static str, &'static str) {
    match bindings_crate {
        "flakesmith-nixos" => (nixos.package, nixos.dir),
        "flakesmith-home" => (home.package, home.dir),
        _ => (bindings_crate, "inputs"),
    }
}

/// Namespaces whose entries are behind a feature per first letter (what the generator
/// does for a namespace of over 400 entries; `bindings_features_exist` in the tests
/// checks this list against the shipped crates' features).
const LETTER_FEATURES: &[(&str, &str)] = &[("flakesmith-nixos", "services")];

/// The bindings crates and features that Rust `code` names: `nixos::services::openssh`
/// (the importer's and `flakesmith new`'s alias of `flakesmith_nixos`) needs
/// `flakesmith-nixos` with `services-o`, `hm::programs::git` `flakesmith-home` with
/// `programs`, `flakesmith_inputs::sops_nix` `flakesmith-inputs` with `sops-nix`.
pub fn bindings_used<'t>(code: impl IntoIterator<Item = &'t str>) -> BindingsUsed {
    let pattern = regex_lite::Regex::new(
        r"\b(nixos|flakesmith_nixos|hm|flakesmith_home|flakesmith_inputs)::(r#)?([a-z0-9_]+)(?:::(r#)?([a-z0-9_]+))?",
    )
    .expect("a valid pattern");
    let mut used = BindingsUsed::new();
    for text in code {
        for found in pattern.captures_iter(text) {
            let bindings_crate = match &found[1] {
                "nixos" | "flakesmith_nixos" => "flakesmith-nixos",
                "hm" | "flakesmith_home" => "flakesmith-home",
                _ => "flakesmith-inputs",
            };
            let namespace = &found[3];
            let features = used.entry(bindings_crate).or_default();
            let namespace_feature = crate::bindgen::feature_name(namespace);
            features.insert(namespace_feature.clone());
            let by_letter = LETTER_FEATURES.contains(&(bindings_crate, namespace));
            if let (true, Some(entry)) = (by_letter, found.get(5)) {
                if let Some(letter) = entry.as_str().chars().find(char::is_ascii_alphanumeric) {
                    features.insert(format!("{namespace_feature}-{letter}"));
                }
            }
        }
    }
    used
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
    let mut files = BTreeMap::new();
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
    let bindings = bindings_used(files.values().map(String::as_str));
    files.extend(crate_skeleton(
        &config.crate_name,
        &config.flakesmith,
        &bindings,
        (
            releases::line_or_newest(releases::NIXOS, &config.release),
            releases::line_or_newest(releases::HOME, &config.release),
        ),
    ));
    Ok(files)
}

/// The files every configuration crate has: `Cargo.toml`, `build.rs` (which compiles
/// `config/`), `src/main.rs` (which writes the tree) and `.gitignore`. The bindings
/// crates are build dependencies with the features of the namespaces `bindings` names.
pub(crate) fn crate_skeleton(
    name: &str,
    flakesmith: &Dependency,
    bindings: &BindingsUsed,
    (nixos, home): (&'static Line, &'static Line),
) -> BTreeMap<String, String> {
    let dependency = flakesmith.toml();
    let mut build_dependencies = format!("flakesmith = {dependency}\n");
    for (bindings_crate, features) in bindings {
        let (package, dir) = package_and_dir(bindings_crate, (nixos, home));
        let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
        let _ = writeln!(
            build_dependencies,
            "{package} = {}",
            flakesmith.bindings_toml(dir, &features.join(", "))
        );
    }
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        format!(
            "[package]\nname = {name:?}\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             # The configuration is compiled into the flake tree by build.rs; the binary writes it.\n\
             [dependencies]\nflakesmith = {dependency}\n\n\
             # The option bindings: a feature per namespace the configuration uses (a namespace\n\
             # that is off is a compile error naming its feature).\n\
             [build-dependencies]\n{build_dependencies}\n\
             # A crate of its own, even when created inside another workspace.\n[workspace]\n\n\
             # The edit loop (change a value, `cargo build`) is mostly linking the build script\n\
             # and the binary, and debug information most of the link. The configuration runs\n\
             # in the build script, which cargo builds without it anyway.\n\
             [profile.dev]\ndebug = false\n"
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
        format!("        .set(nixos::users::users::user(\"{name}\").is_normal_user(), true)"),
        format!("        .user(include!(\"../home/{name}.rs\"))"),
    ];
    Ok((files, lines))
}

/// The `[build-dependencies]` lines a configuration's `Cargo.toml` lacks for the bindings
/// `used` names: a crate it does not depend on yet, from where its `flakesmith` comes.
/// (A feature missing from a crate it has is rustc's to name.)
pub fn missing_bindings(cargo_toml: &str, used: &BindingsUsed, release: &str) -> Vec<String> {
    let nixos = releases::line_or_newest(releases::NIXOS, release);
    let home = releases::line_or_newest(releases::HOME, release);
    let flakesmith = cargo_toml
        .lines()
        .find_map(|line| line.trim().strip_prefix("flakesmith = "))
        .and_then(|value| {
            let quoted = |key: &str| {
                let rest = &value[value.find(key)? + key.len()..];
                let rest = rest
                    .trim_start()
                    .strip_prefix('=')?
                    .trim_start()
                    .strip_prefix('"')?;
                Some(rest[..rest.find('"')?].to_owned())
            };
            quoted("path")
                .map(Dependency::Path)
                .or_else(|| quoted("git").map(Dependency::Git))
        });
    used.iter()
        .filter(|(bindings_crate, _)| {
            // Any release line of it counts: which one is the checker's to judge.
            !cargo_toml
                .lines()
                .any(|line| line.trim_start().starts_with(*bindings_crate))
        })
        .map(|(bindings_crate, features)| {
            let (package, dir) = package_and_dir(bindings_crate, (nixos, home));
            let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
            let place = flakesmith.as_ref().map_or_else(
                || {
                    format!(
                        "{{ version = \"0.1\", features = [{}] }}",
                        features.join(", ")
                    )
                },
                |dependency| dependency.bindings_toml(dir, &features.join(", ")),
            );
            format!("{package} = {place}")
        })
        .collect()
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
                "\n        .set(nixos::users::users::user(\"{user}\").is_normal_user(), true)\n        .set(nixos::users::users::user(\"{user}\").extra_groups(), [\"wheel\"])"
            )
        })
        .unwrap_or_default();
    format!(
        "//! Modules every host shares. A module sets defaults (`default`, `lib.mkDefault`) that\n\
         //! hosts may override with `set`.\n\n\
         use flakesmith_nixos as nixos;\n\
         use flakesmith::prelude::*;\n\n\
         /// The boot loader, Nix itself and the accounts of people.\n\
         pub fn base() -> Module {{\n    Module::new(Category::System, \"base\")\n        .describe(\"Boot loader, Nix settings and accounts shared by every host.\")\n        .default(nixos::boot::loader::systemd_boot::enable, true)\n        .default(nixos::boot::loader::efi::can_touch_efi_variables, true)\n        .set(nixos::nix::settings, [(\"experimental-features\", vec![\"nix-command\", \"flakes\"])]){account}\n}}\n"
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
         {{\n    use flakesmith::prelude::*;\n    use flakesmith_home as hm;\n\n    User::new(\"{name}\", \"{release}\")\n        .set(hm::programs::home_manager::enable, true)\n}}\n"
    )
}

fn hardware_nix(name: &str, system: &str) -> String {
    format!(
        "# The hardware configuration of `{name}`. Replace this file with the output of\n\
         # `nixos-generate-config --show-hardware-config` on the machine.\n\
         {{lib, ...}}: {{\n  fileSystems.\"/\" = {{\n    device = \"/dev/disk/by-label/nixos\";\n    fsType = \"ext4\";\n  }};\n  fileSystems.\"/boot\" = {{\n    device = \"/dev/disk/by-label/boot\";\n    fsType = \"vfat\";\n  }};\n  nixpkgs.hostPlatform = lib.mkDefault \"{system}\";\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bindings_a_configuration_names_are_its_features() {
        let used = bindings_used([
            "use flakesmith_nixos as nixos;\n.set(nixos::services::openssh::enable, true)\n\
             .set(nixos::services::_3proxy::enable, true)\n.set(nixos::power_management::enable, true)\n\
             .set(nixos::_module::args, Raw::nix(\"{ }\"))",
            "use flakesmith_home as hm;\n.set(hm::programs::git::enable, true)",
            ".set(flakesmith_inputs::sops_nix::sops::age::key_file, \"k\")",
        ]);
        let features = |name: &str| used[name].iter().cloned().collect::<Vec<_>>().join(" ");
        assert_eq!(
            features("flakesmith-nixos"),
            "module power-management services services-3 services-o"
        );
        assert_eq!(features("flakesmith-home"), "programs");
        assert_eq!(features("flakesmith-inputs"), "sops-nix");
    }

    #[test]
    fn missing_bindings_come_from_where_flakesmith_comes_from() {
        let used = bindings_used(["hm::programs::git::enable", "nixos::users::users"]);
        let toml = "[build-dependencies]\nflakesmith = { path = \"/src/flakesmith/dsl\" }\nflakesmith-nixos-25-05 = { path = \"/src/flakesmith/dsl/bindings/nixos-25.05\", features = [\"users\"] }\n";
        assert_eq!(
            missing_bindings(toml, &used, "25.05"),
            ["flakesmith-home-25-05 = { path = \"/src/flakesmith/dsl/bindings/home-25.05\", features = [\"programs\"] }"]
        );
        let git = "flakesmith = { git = \"https://example.invalid/flakesmith\" }\n";
        assert_eq!(
            missing_bindings(git, &bindings_used(["hm::home::packages"]), "24.05"),
            ["flakesmith-home-24-11 = { git = \"https://example.invalid/flakesmith\", features = [\"home\"] }"]
        );
    }

    /// What the scan assumes of the shipped crates: the namespaces it gives letter
    /// features are the ones the generator split by letter.
    #[test]
    fn bindings_features_exist() {
        for (bindings_crate, namespace) in LETTER_FEATURES {
            assert_eq!(*bindings_crate, "flakesmith-nixos");
            for line in releases::NIXOS {
                let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("bindings")
                    .join(line.dir)
                    .join("Cargo.toml");
                let text = std::fs::read_to_string(manifest).unwrap();
                assert!(
                    text.contains(&format!("{namespace}-o = [\"{namespace}\"]")),
                    "{} has no letter features for {namespace}",
                    line.package
                );
            }
        }
    }
}
