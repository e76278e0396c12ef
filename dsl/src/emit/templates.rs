//! The templates the tree ships for people who add a host or a user by hand: each says
//! in its header what to do, and a copy is the person's own file.

use super::{imports, module_function, string};
use crate::model::{Flake, Module};
use crate::nix::{print_file, Attrs, Expr};
pub(super) fn template_header(
    flake: &Flake,
    what: &str,
    with_flakesmith: &str,
    steps: &[&str],
) -> Vec<String> {
    let rewritten_by = match &flake.regenerate_command {
        Some(command) => format!("`{command}`"),
        None => "flakesmith".to_owned(),
    };
    // Not the generated-file marker: a copy made by following these steps is the user's
    // own file, and must not look like a stale generated one to `--check`.
    let mut lines = vec![
        format!("A template for a new {what}, kept up to date by flakesmith."),
        format!("Do not edit this copy: {rewritten_by} rewrites it."),
        format!("With flakesmith, {with_flakesmith}. By hand:"),
    ];
    lines.extend(steps.iter().map(|s| format!("  {s}")));
    lines
}

pub(super) fn host_template(flake: &Flake, modules: &[&Module]) -> String {
    let modules: Vec<(&Module, usize)> = modules.iter().map(|&m| (m, 0)).collect();
    let body = Attrs::new()
        .with("imports", imports("hosts/template", &modules, false, None))
        .with(
            "networking",
            Attrs::new().with("hostName", string("new-host")).into(),
        )
        .with(
            "system",
            Attrs::new()
                .with("stateVersion", string(&flake.template_state_version))
                .into(),
        );
    let lines = template_header(
        flake,
        "host",
        "add a `Host` to the Rust configuration",
        &[
            "1. copy hosts/template/ to hosts/<name>/;",
            "2. replace hardware-configuration.nix with `nixos-generate-config --show-hardware-config`;",
            "3. set networking.hostName and system.stateVersion;",
            "4. add nixosConfigurations.<name> to flake.nix, like the other hosts.",
        ],
    );
    print_file(&lines, &module_function(body))
}

pub(super) fn hardware_template(flake: &Flake) -> String {
    let root = Attrs::new()
        .with("device", string("/dev/disk/by-label/nixos"))
        .with("fsType", string("ext4"));
    let boot = Attrs::new()
        .with("device", string("/dev/disk/by-label/boot"))
        .with("fsType", string("vfat"));
    let body = Attrs::new()
        .with(
            "boot",
            Attrs::new()
                .with(
                    "initrd",
                    Attrs::new()
                        .with("availableKernelModules", Expr::List(vec![]))
                        .into(),
                )
                .into(),
        )
        .with(
            "fileSystems",
            Attrs::new()
                .with("/", root.into())
                .with("/boot", boot.into())
                .into(),
        )
        .with(
            "nixpkgs",
            Attrs::new()
                .with(
                    "hostPlatform",
                    Expr::apply(Expr::known("lib.mkDefault"), [string("x86_64-linux")]),
                )
                .into(),
        );
    let lines = template_header(
        flake,
        "host's hardware configuration",
        "give the `Host` a `Hardware::nix_file`",
        &[
            "copy this file next to hosts/<name>/default.nix and replace its contents with",
            "`nixos-generate-config --show-hardware-config`.",
        ],
    );
    print_file(&lines, &module_function(body))
}

pub(super) fn user_template(flake: &Flake) -> String {
    let body = Attrs::new().with(
        "home",
        Attrs::new()
            .with("username", string("new-user"))
            .with("homeDirectory", string("/home/new-user"))
            .with("stateVersion", string(&flake.template_state_version))
            .into(),
    );
    let body = body.with(
        "programs",
        Attrs::new()
            .with(
                "home-manager",
                Attrs::new().with("enable", true.into()).into(),
            )
            .into(),
    );
    let lines = template_header(
        flake,
        "Home Manager user",
        "add a `User` to the hosts in the Rust configuration",
        &[
            "1. copy home/template.nix to home/<name>.nix and set home.username and home.homeDirectory;",
            "2. give the user a system account, users.users.<name>.isNormalUser = true;",
            "3. add `home-manager.users.<name> = import ./home/<name>.nix;` to each host in flake.nix.",
        ],
    );
    print_file(&lines, &module_function(body))
}
