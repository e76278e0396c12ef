//! `flake.nix`: the inputs, each host's `nixosSystem` with Home Manager and its users,
//! the deployment engines' outputs, packages, overlays and the formatter.

use super::{
    deploy, header, home_special_args, ident, module_imports, packages, path, special_args, string,
};
use crate::model::Engine;
use crate::nix::{print_file, Attrs, Expr, Formals};
use crate::plan::{Plan, PlannedHost};
pub(super) fn flake_file(plan: &Plan) -> String {
    let flake = plan.flake;
    let mut inputs = Attrs::new().with(
        "nixpkgs",
        Attrs::new().with("url", string(&flake.nixpkgs)).into(),
    );
    let home_manager = plan.writes_home_manager();
    if home_manager {
        inputs.insert("home-manager", following_nixpkgs(&flake.home_manager_url()));
    }
    for input in &flake.inputs {
        let mut attrs = Attrs::new().with("url", string(&input.url));
        if !input.is_flake {
            attrs.insert("flake", false.into());
        }
        for (own, ours) in &input.follows {
            attrs
                .insert_path(
                    &["inputs".to_owned(), own.clone(), "follows".to_owned()],
                    string(ours),
                )
                .expect("follows were checked to be unique");
        }
        inputs.insert(input.name.clone(), attrs.into());
    }
    // disko's module, for hosts whose disks it describes.
    let uses_disko = plan.hosts.iter().any(|h| h.disko.is_some());
    if uses_disko && !flake.inputs.iter().any(|input| input.name == "disko") {
        inputs.insert("disko", following_nixpkgs("github:nix-community/disko"));
    }
    let engines = deploy::engines(plan);
    for engine in &engines {
        let (name, url) = engine.input();
        if !flake.inputs.iter().any(|input| input.name == name) {
            inputs.insert(name, following_nixpkgs(url));
        }
    }
    // With a deployment engine, each host's module list is bound once and shared by
    // `nixosConfigurations` and the engine, so both build the same system.
    let shared = !engines.is_empty();
    let configurations: Attrs = plan
        .hosts
        .iter()
        .map(|planned| {
            let modules = if shared {
                deploy::host_modules(planned.host)
            } else {
                Expr::List(host_modules(plan, planned))
            };
            (
                planned.host.name.clone(),
                nixos_system(planned, special_args(plan, planned.host), modules),
            )
        })
        .collect();
    let mut outputs = Attrs::new().with("nixosConfigurations", configurations.into());
    if engines.contains(&Engine::Colmena) {
        outputs.insert("colmenaHive", deploy::colmena_hive(plan));
    }
    if engines.contains(&Engine::DeployRs) {
        outputs.insert("deploy", deploy::deploy_nodes(plan));
        outputs.insert("checks", deploy::deploy_checks());
    }
    let mut systems: Vec<&str> = plan.hosts.iter().map(|h| h.host.system.double()).collect();
    systems.sort_unstable();
    systems.dedup();
    packages::outputs(plan, &systems, &mut outputs);
    if let Some(formatter) = &flake.formatter {
        let per_system: Attrs = systems
            .iter()
            .map(|system| {
                let mut path = vec!["legacyPackages".to_owned(), (*system).to_owned()];
                path.extend(formatter.attr_path().split('.').map(str::to_owned));
                ((*system).to_owned(), Expr::Select(ident("nixpkgs"), path))
            })
            .collect();
        outputs.insert("formatter", per_system.into());
    }
    let mut outputs: Expr = outputs.into();
    // Outputs kept by hand come first, so that nothing flakesmith writes is replaced
    // (the checker made sure they name none of them).
    if plan.extra_outputs.is_some() {
        let extra = Expr::apply(
            Expr::known("import"),
            [
                Expr::Path(path(format!("./{}", crate::plan::EXTRA_OUTPUTS_FILE))),
                Expr::known("inputs"),
            ],
        );
        outputs = Expr::Update(Box::new(extra), Box::new(outputs));
    }
    if shared {
        let lists: Attrs = plan
            .hosts
            .iter()
            .map(|planned| {
                (
                    planned.host.name.clone(),
                    Expr::List(host_modules(plan, planned)),
                )
            })
            .collect();
        outputs = Expr::Let(
            vec![(ident(deploy::HOST_MODULES), lists.into())],
            Box::new(outputs),
        );
    }
    let outputs = Expr::Lambda(
        Formals {
            names: [
                Some("self"),
                Some("nixpkgs"),
                home_manager.then_some("home-manager"),
            ]
            .into_iter()
            .flatten()
            .map(ident)
            .collect(),
            ellipsis: true,
            bind: Some(ident("inputs")),
        },
        Box::new(outputs),
    );
    let body = Attrs::new()
        .with("description", string(&flake.description))
        .with("inputs", inputs.into())
        .with("outputs", outputs);
    let mut lines = header(flake, "the flake", flake.location);
    lines.push(String::new());
    lines.push("Deploy a host with `nixos-rebuild switch --flake .#<host>`.".to_owned());
    if engines.contains(&Engine::Colmena) {
        lines.push(
            "Deploy the fleet with `colmena apply` (`--on @<tag>` selects by tag).".to_owned(),
        );
    }
    if engines.contains(&Engine::DeployRs) {
        lines.push("Deploy a host with deploy-rs: `deploy .#<host>`.".to_owned());
    }
    print_file(&lines, &body.into())
}

/// The modules of a host's system: its directory, and Home Manager with its users when
/// it has any (a host without users does not evaluate Home Manager at all).
pub(super) fn host_modules(plan: &Plan, planned: &PlannedHost) -> Vec<Expr> {
    let host = planned.host;
    if planned.users.is_empty() {
        return vec![Expr::Path(path(format!("./{}", host.dir_path())))];
    }
    let users: Attrs = planned
        .users
        .iter()
        .map(|&index| {
            let user = plan.users[index].user;
            let file = Expr::Path(path(format!("./{}", user.file_path())));
            // A host's additions are a module of their own beside the user's file.
            let value = match plan.home_on(planned, index) {
                None => Expr::import(path(format!("./{}", user.file_path()))),
                Some(home) => Attrs::new()
                    .with(
                        "imports",
                        Expr::List(vec![
                            file,
                            Expr::Path(path(format!("./{}", home.file_path))),
                        ]),
                    )
                    .into(),
            };
            (user.name.clone(), value)
        })
        .collect();
    let mut settings = Attrs::new()
        .with("useGlobalPkgs", true.into())
        .with("useUserPackages", true.into())
        .with("extraSpecialArgs", home_special_args(plan, host));
    if !plan.shared_home.is_empty() {
        let shared = plan.shared_home.iter().map(|&i| plan.modules[i].module);
        settings.insert(
            "sharedModules".to_owned(),
            Expr::List(module_imports(shared, "")),
        );
    }
    let home_manager =
        Attrs::new().with("home-manager", settings.with("users", users.into()).into());
    vec![
        Expr::Path(path(format!("./{}", host.dir_path()))),
        Expr::known("home-manager.nixosModules.home-manager"),
        home_manager.into(),
    ]
}

/// An input flakesmith adds itself: `{ url = ...; inputs.nixpkgs.follows = "nixpkgs"; }`.
pub(super) fn following_nixpkgs(url: &str) -> Expr {
    let follows = Attrs::new().with(
        "nixpkgs",
        Attrs::new().with("follows", string("nixpkgs")).into(),
    );
    Attrs::new()
        .with("url", string(url))
        .with("inputs", follows.into())
        .into()
}

/// `nixpkgs.lib.nixosSystem { system; specialArgs; modules; }`, and the host's own
/// package set where it has one: `pkgs = import ./hosts/<host>/package-set.nix inputs;`,
/// bound once in a `let` where its `lib` is given too.
pub(super) fn nixos_system(planned: &PlannedHost, special_args: Expr, modules: Expr) -> Expr {
    let host = planned.host;
    let mut arguments = Attrs::new().with("system", string(host.system.double()));
    let package_set = planned.package_set.as_ref().and(host.package_set.as_ref());
    let import_set = || {
        Expr::apply(
            Expr::known("import"),
            [
                Expr::Path(path(format!(
                    "./{}/{}",
                    host.dir_path(),
                    crate::plan::PACKAGE_SET_FILE
                ))),
                Expr::known("inputs"),
            ],
        )
    };
    match package_set {
        Some(set) if set.its_lib => {
            arguments.insert("pkgs", Expr::known("pkgs"));
            arguments.insert("lib", Expr::known("pkgs.lib"));
        }
        Some(_) => {
            arguments.insert("pkgs", import_set());
        }
        None => {}
    }
    // Every module, generated or hand-kept, gets the flake's inputs as an argument.
    let arguments = arguments
        .with("specialArgs", special_args)
        .with("modules", modules);
    let call = Expr::apply(Expr::known("nixpkgs.lib.nixosSystem"), [arguments.into()]);
    match package_set {
        Some(set) if set.its_lib => Expr::Let(vec![(ident("pkgs"), import_set())], Box::new(call)),
        _ => call,
    }
}
