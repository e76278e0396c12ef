//! The emitter: a checked [`Plan`] to the files of the tree, as Nix text.
//!
//! It runs only after the checker found no error, and writes exactly the plan the
//! checker checked: it never works out which modules, users or imports a host has on its
//! own. Names are valid and values representable by then.

mod deploy;
mod graph;
mod packages;

use crate::model::ModuleOptions;
use crate::model::{
    Category, Definition, Engine, Flake, Location, Module, Order, Priority, SourceLocations,
};
use crate::nix::{print_file, Attrs, Expr, Formals, Ident, NixPath};
use crate::plan::{Plan, PlannedHome, PlannedHost, PlannedModule, PlannedUser};
use crate::tree::{GeneratedFile, HostSummary, Tree, GENERATED_BY};

/// The whole tree, files sorted by path.
pub fn emit(plan: &Plan) -> Tree {
    let flake = plan.flake;
    let mut files = vec![GeneratedFile::new("flake.nix", flake_file(plan))];
    // Modules of other flakes are imported from their inputs, not written.
    for planned in plan.modules.iter().filter(|m| m.module.external.is_none()) {
        files.push(GeneratedFile::new(
            planned.module.file_path(),
            module_file(plan, planned),
        ));
    }
    for planned in &plan.hosts {
        let dir = planned.host.dir_path();
        files.push(GeneratedFile::new(
            format!("{dir}/default.nix"),
            host_file(plan, planned),
        ));
        files.push(GeneratedFile::new(
            format!("{dir}/hardware-configuration.nix"),
            hardware_file(flake, planned),
        ));
        if let Some(text) = &planned.disko {
            let host = planned.host;
            files.push(GeneratedFile::new(
                format!("{dir}/disko.nix"),
                hand_kept_file(
                    flake,
                    &format!("the disko configuration of host `{}`", host.name),
                    host.disko.as_ref(),
                    host.location,
                    text,
                ),
            ));
        }
    }
    files.extend(packages::files(plan));
    for secret in &plan.secret_files {
        files.push(GeneratedFile::new(
            secret.tree_path.clone(),
            secret.text.clone(),
        ));
    }
    for planned in &plan.users {
        files.push(GeneratedFile::new(
            planned.user.file_path(),
            user_file(plan, planned),
        ));
    }
    for planned in &plan.hosts {
        for home in &planned.homes {
            files.push(GeneratedFile::new(
                home.file_path.clone(),
                home_additions_file(plan, planned, home),
            ));
        }
    }
    let system_modules: Vec<&Module> = plan
        .modules
        .iter()
        .map(|m| m.module)
        .filter(|m| m.category == Category::System && m.external.is_none())
        .collect();
    files.push(GeneratedFile::new(
        "hosts/template/default.nix",
        host_template(flake, &system_modules),
    ));
    files.push(GeneratedFile::new(
        "hosts/template/hardware-configuration.nix",
        hardware_template(flake),
    ));
    files.push(GeneratedFile::new(
        "home/template.nix",
        user_template(flake),
    ));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Tree {
        files,
        hosts: plan.hosts.iter().map(|h| h.host.name.clone()).collect(),
        users: plan.users.iter().map(|u| u.user.name.clone()).collect(),
        fleet: plan
            .hosts
            .iter()
            .map(|h| HostSummary {
                name: h.host.name.clone(),
                target: h.host.deployment.as_ref().map(|d| d.target.clone()),
                tags: h.host.tags.iter().map(|(tag, _)| tag.clone()).collect(),
            })
            .collect(),
        engines: deploy::engines(plan)
            .into_iter()
            .map(|e| e.input().0.to_owned())
            .collect(),
        graph: graph::mermaid(plan),
    }
}

/// A value wrapped the way a person writes it at this priority.
fn wrap_priority(priority: Priority, value: Expr) -> Expr {
    let function = match priority {
        Priority::PLAIN => return value,
        Priority::DEFAULT => "lib.mkDefault",
        Priority::FORCE => "lib.mkForce",
        Priority::OPTION_DEFAULT => "lib.mkOptionDefault",
        Priority(n) => {
            return Expr::apply(Expr::known("lib.mkOverride"), [Expr::Int(n.into()), value])
        }
    };
    Expr::apply(Expr::known(function), [value])
}

fn wrap_order(order: Order, value: Expr) -> Expr {
    match order {
        Order::Normal => value,
        Order::Before => Expr::apply(Expr::known("lib.mkBefore"), [value]),
        Order::After => Expr::apply(Expr::known("lib.mkAfter"), [value]),
    }
}

/// How a file's definitions carry their Rust locations.
#[derive(Clone, Copy)]
enum Located {
    /// Not per definition (`_file` names the entity instead).
    No,
    /// `at "file:line:col" value`: the file's definitions come from several Rust files.
    Full,
    /// `at line col value`: they all come from this one Rust file, named once in `at`.
    Lines(&'static str),
}

impl Located {
    /// The form for a file whose definitions are `definitions`.
    fn of<'d>(
        style: SourceLocations,
        definitions: impl IntoIterator<Item = &'d Definition>,
    ) -> Self {
        if style == SourceLocations::Files {
            return Located::No;
        }
        let mut files = definitions.into_iter().map(|d| d.location.file);
        match files.next() {
            Some(first) if files.all(|file| file == first) => Located::Lines(first),
            _ => Located::Full,
        }
    }

    /// The `at` helper's definition, for the file's `let` (always the file's outermost
    /// one, so the text is laid out as alejandra lays it out there).
    fn binding(self) -> Option<(Ident, Expr)> {
        let function = match self {
            Located::No => return None,
            Located::Full => "file: value:\n    lib.mkDefinition {inherit file value;}".to_owned(),
            Located::Lines(file) => {
                let file = Location {
                    file,
                    line: 0,
                    column: 0,
                }
                .file_name();
                let quoted = crate::nix::double_quoted(&file);
                let open = &quoted[..quoted.len() - 1];
                format!("line: column: value:\n    lib.mkDefinition {{\n      file = {open}:${{toString line}}:${{toString column}}\";\n      inherit value;\n    }}")
            }
        };
        Some((ident("at"), Expr::Raw(function)))
    }

    fn wrap(self, location: Location, value: Expr) -> Expr {
        match self {
            Located::No => value,
            Located::Full => Expr::apply(Expr::known("at"), [string(&location.to_string()), value]),
            Located::Lines(_) => Expr::apply(
                Expr::known("at"),
                [
                    Expr::Int(location.line.into()),
                    Expr::Int(location.column.into()),
                    value,
                ],
            ),
        }
    }
}

/// The right-hand side as it appears in the file: value (raw snippets with their Rust
/// location as error context), ordering, priority, the Rust location for the module
/// system (`at ...`, when the flake uses `lib.mkDefinition`), then condition (outside:
/// the module system discharges `mkIf` before it reads a definition's file).
fn wrapped_value(definition: &Definition, located: Located) -> Option<Expr> {
    let value = definition.value.as_ref().ok()?;
    let value = with_raw_context(value, definition);
    let value = wrap_priority(definition.priority, wrap_order(definition.order, value));
    let value = located.wrap(definition.location, value);
    Some(match &definition.condition {
        Some(condition) => Expr::apply(Expr::known("lib.mkIf"), [condition.clone(), value]),
        None => value,
    })
}

/// `value` with every raw snippet wrapped in `builtins.addErrorContext`, so that an
/// evaluation error inside one (`--show-trace`) names the Rust that wrote it.
fn with_raw_context(value: &Expr, definition: &Definition) -> Expr {
    match value {
        Expr::Raw(_) => Expr::apply(
            Expr::known("builtins.addErrorContext"),
            [
                string(&format!(
                    "while evaluating the raw Nix for `{}` written at {}",
                    definition.path, definition.location
                )),
                value.clone(),
            ],
        ),
        Expr::List(items) => Expr::List(
            items
                .iter()
                .map(|item| with_raw_context(item, definition))
                .collect(),
        ),
        Expr::Attrs(attrs) => Expr::Attrs(
            attrs
                .entries()
                .iter()
                .map(|(key, item)| (key.clone(), with_raw_context(item, definition)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A module's body with what carries the Rust locations into Nix's messages: the `at`
/// helper around it (`Definitions`), or `_file` first in its attribute set (`Files`).
fn located_module(
    style: SourceLocations,
    located: Located,
    entity: Location,
    attrs: Attrs,
    bindings: Vec<(Ident, Expr)>,
) -> Expr {
    let mut bindings = bindings;
    let attrs = match style {
        SourceLocations::Definitions => {
            bindings.splice(0..0, located.binding());
            attrs
        }
        SourceLocations::Files => {
            let mut with_file = Attrs::new().with("_file", string(&entity.to_string()));
            for (key, value) in attrs.entries() {
                with_file.insert(key.clone(), value.clone());
            }
            with_file
        }
    };
    if bindings.is_empty() {
        Expr::Attrs(attrs)
    } else {
        Expr::Let(bindings, Box::new(Expr::Attrs(attrs)))
    }
}

fn ident(name: &'static str) -> Ident {
    Ident::new(name).expect("flakesmith's own identifiers are valid")
}

fn path(text: String) -> NixPath {
    NixPath::new(text).expect("names were checked before emission")
}

fn string(text: &str) -> Expr {
    Expr::string(text).expect("names were checked before emission")
}

/// `{ config, lib, pkgs, ... }: body`, the head every NixOS and Home Manager module has.
fn module_function(body: impl Into<Expr>) -> Expr {
    module_function_with(&[], body)
}

/// The same head with more arguments, such as `inputs` (the flake's inputs, passed to
/// every module through `specialArgs`).
fn module_function_with(extra: &[&'static str], body: impl Into<Expr>) -> Expr {
    let mut names = vec![ident("config"), ident("lib"), ident("pkgs")];
    names.extend(extra.iter().map(|name| ident(name)));
    let formals = Formals {
        names,
        ellipsis: true,
        bind: None,
    };
    Expr::Lambda(formals, Box::new(body.into()))
}

/// The line under every header that says how to change the file.
fn edit_hint(flake: &Flake) -> String {
    match &flake.regenerate_command {
        Some(command) => format!("Do not edit: change the Rust configuration and run `{command}`."),
        None => "Do not edit: change the Rust configuration and regenerate the tree.".to_owned(),
    }
}

fn header(flake: &Flake, what: &str, location: impl std::fmt::Display) -> Vec<String> {
    vec![
        format!("{GENERATED_BY} from {what}, defined at {location}."),
        edit_hint(flake),
    ]
}

/// Definitions as nested attribute sets, grouping repeated paths into `lib.mkMerge`.
#[derive(Default)]
struct DefinitionTree {
    values: Vec<Expr>,
    children: Vec<(String, DefinitionTree)>,
}

impl DefinitionTree {
    fn insert(&mut self, path: &[String], value: Expr) {
        let Some((first, rest)) = path.split_first() else {
            self.values.push(value);
            return;
        };
        let index = match self.children.iter().position(|(k, _)| k == first) {
            Some(index) => index,
            None => {
                self.children
                    .push((first.clone(), DefinitionTree::default()));
                self.children.len() - 1
            }
        };
        self.children[index].1.insert(rest, value);
    }

    fn add(&mut self, definitions: &[Definition], located: Located) {
        for definition in definitions {
            if let Some(value) = wrapped_value(definition, located) {
                self.insert(&definition.path.segments(), value);
            }
        }
    }

    /// A node with one value is that value; several values, or values beside nested
    /// definitions, merge with `lib.mkMerge` so that no attribute is defined twice.
    fn into_expr(self) -> Expr {
        let mut parts = self.values;
        if !self.children.is_empty() {
            let attrs: Attrs = self
                .children
                .into_iter()
                .map(|(k, v)| (k, v.into_expr()))
                .collect();
            parts.push(Expr::Attrs(attrs));
        }
        match parts.len() {
            1 => parts.pop().expect("one part"),
            _ => Expr::apply(Expr::known("lib.mkMerge"), [Expr::List(parts)]),
        }
    }

    fn into_attrs(self, leading: Attrs) -> Attrs {
        let mut attrs = leading;
        for (key, child) in self.children {
            attrs.insert(key, child.into_expr());
        }
        attrs
    }
}

fn flake_file(plan: &Plan) -> String {
    let flake = plan.flake;
    let inputs = Attrs::new()
        .with(
            "nixpkgs",
            Attrs::new().with("url", string(&flake.nixpkgs)).into(),
        )
        .with("home-manager", following_nixpkgs(&flake.home_manager));
    let mut inputs = inputs;
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
            (planned.host.name.clone(), nixos_system(planned, modules))
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
            names: vec![ident("self"), ident("nixpkgs"), ident("home-manager")],
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

/// The modules of a host's system: its directory, Home Manager and its users.
fn host_modules(plan: &Plan, planned: &PlannedHost) -> Vec<Expr> {
    let host = planned.host;
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
        .with(
            "extraSpecialArgs",
            Attrs::new().with("inputs", Expr::known("inputs")).into(),
        );
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
fn following_nixpkgs(url: &str) -> Expr {
    let follows = Attrs::new().with(
        "nixpkgs",
        Attrs::new().with("follows", string("nixpkgs")).into(),
    );
    Attrs::new()
        .with("url", string(url))
        .with("inputs", follows.into())
        .into()
}

/// `nixpkgs.lib.nixosSystem { system; specialArgs; modules; }`.
fn nixos_system(planned: &PlannedHost, modules: Expr) -> Expr {
    // Every module, generated or hand-kept, gets the flake's inputs as an argument.
    let arguments = Attrs::new()
        .with("system", string(planned.host.system.double()))
        .with(
            "specialArgs",
            Attrs::new().with("inputs", Expr::known("inputs")).into(),
        )
        .with("modules", modules);
    Expr::apply(Expr::known("nixpkgs.lib.nixosSystem"), [arguments.into()])
}

fn module_file(plan: &Plan, planned: &PlannedModule) -> String {
    let flake = plan.flake;
    let module = planned.module;
    if let Some(text) = &planned.source_text {
        return hand_kept_file(
            flake,
            &format!("hand-kept module `{}`", module.name),
            module.source.as_ref(),
            module.location,
            text,
        );
    }
    let style = flake.effective_source_locations();
    let located = Located::of(style, module.definitions.iter());
    let mut tree = DefinitionTree::default();
    tree.add(&module.definitions, located);
    let mut lines = header(flake, &format!("module `{}`", module.name), module.location);
    if !module.description.is_empty() {
        lines.push(String::new());
        lines.extend(module.description.lines().map(str::to_owned));
    }
    let imported: Vec<&Module> = planned
        .imports
        .iter()
        .map(|&i| plan.modules[i].module)
        .collect();
    let dir = module
        .file_path()
        .rsplit_once('/')
        .map(|(dir, _)| dir.to_owned())
        .unwrap_or_default();
    let mut leading = Attrs::new();
    if !imported.is_empty() {
        leading.insert(
            "imports",
            Expr::List(module_imports(imported.iter().copied(), &dir)),
        );
    }
    let body = match &module.options {
        None => located_module(
            style,
            located,
            module.location,
            tree.into_attrs(leading),
            Vec::new(),
        ),
        Some(options) => {
            module_with_options(options, leading, tree, style, located, module.location)
        }
    };
    let extra: &[&'static str] = if imported.iter().any(|m| m.external.is_some()) {
        &["inputs"]
    } else {
        &[]
    };
    print_file(&lines, &module_function_with(extra, body))
}

/// `let cfg = config.<ns>; in { options.<ns> = { ... }; config = lib.mkIf cfg.enable { ... }; }`.
fn module_with_options(
    options: &ModuleOptions,
    leading: Attrs,
    tree: DefinitionTree,
    style: SourceLocations,
    located: Located,
    location: Location,
) -> Expr {
    let enable = Expr::apply(
        Expr::known("lib.mkEnableOption"),
        [string(&options.enable_description)],
    );
    let mut declarations = Attrs::new().with("enable", enable);
    for declaration in &options.options {
        // The checker rejected declarations whose values have no Nix form.
        let expr = declaration
            .to_expr()
            .expect("option declarations were checked before emission");
        declarations.insert(declaration.name.clone(), expr);
    }
    let mut nested = Attrs::new();
    nested
        .insert_path(&options.namespace, declarations.into())
        .expect("a fresh set has room for any path");
    let config = Expr::apply(
        Expr::known("lib.mkIf"),
        [
            Expr::known("cfg.enable"),
            Expr::Attrs(tree.into_attrs(Attrs::new())),
        ],
    );
    let body = leading
        .with("options", nested.into())
        .with("config", config);
    let cfg = Expr::Select(ident("config"), options.namespace.clone());
    located_module(style, located, location, body, vec![(ident("cfg"), cfg)])
}

/// A host file's imports; `dir` is the host's directory in the tree.
fn imports(dir: &str, host_modules: &[&Module], disko: bool) -> Expr {
    let mut items = vec![Expr::Path(path("./hardware-configuration.nix".to_owned()))];
    if disko {
        items.push(Expr::known("inputs.disko.nixosModules.disko"));
        items.push(Expr::Path(path("./disko.nix".to_owned())));
    }
    items.extend(module_imports(host_modules.iter().copied(), dir));
    Expr::List(items)
}

/// Import entries for `modules`, from a file in the tree's directory `from_dir` (`""`
/// for the root): a relative path to each module file, or
/// `inputs.<input>.<attribute>` for another flake's (the checker made sure the input is
/// declared).
fn module_imports<'m>(modules: impl Iterator<Item = &'m Module>, from_dir: &str) -> Vec<Expr> {
    modules
        .map(|m| match &m.external {
            Some(external) => Expr::Select(
                ident("inputs"),
                std::iter::once(external.input.clone())
                    .chain(external.attribute.iter().cloned())
                    .collect(),
            ),
            None => Expr::Path(path(relative(from_dir, &m.file_path()))),
        })
        .collect()
}

/// `file` (a path from the tree's root) as a relative Nix path from the directory
/// `from_dir`: `./modules/x.nix` from `home` for `home/modules/x.nix`.
fn relative(from_dir: &str, file: &str) -> String {
    if from_dir.is_empty() {
        return format!("./{file}");
    }
    if let Some(rest) = file.strip_prefix(&format!("{from_dir}/")) {
        return format!("./{rest}");
    }
    let depth = from_dir.split('/').count();
    format!("{}{file}", "../".repeat(depth))
}

fn host_file(plan: &Plan, planned: &PlannedHost) -> String {
    let host = planned.host;
    let modules: Vec<&Module> = plan.imports_of(planned).map(|m| m.module).collect();
    let style = plan.flake.effective_source_locations();
    let located = Located::of(style, host.definitions.iter().chain(&planned.generated));
    let mut tree = DefinitionTree::default();
    tree.add(&host.definitions, located);
    tree.add(&planned.generated, located);
    let disko = planned.disko.is_some();
    let body =
        tree.into_attrs(Attrs::new().with("imports", imports(&host.dir_path(), &modules, disko)));
    let body = located_module(style, located, host.location, body, Vec::new());
    // The flake's overlays come to every host through `inputs.self`.
    let overlays = !plan.flake.overlay_names().is_empty();
    let extra: &[&'static str] =
        if disko || overlays || modules.iter().any(|m| m.external.is_some()) {
            &["inputs"]
        } else {
            &[]
        };
    print_file(
        &header(plan.flake, &format!("host `{}`", host.name), host.location),
        &module_function_with(extra, body),
    )
}

fn hardware_file(flake: &Flake, planned: &PlannedHost) -> String {
    let host = planned.host;
    hand_kept_file(
        flake,
        &format!("the hardware configuration of host `{}`", host.name),
        host.hardware.as_ref(),
        host.location,
        &planned.hardware,
    )
}

/// A hand-kept Nix file, copied as it is under a header saying where it came from.
fn hand_kept_file(
    flake: &Flake,
    what: &str,
    source: Option<&crate::model::NixSource>,
    fallback: crate::model::Location,
    text: &str,
) -> String {
    let from = match source {
        Some(crate::model::NixSource::File { path, .. }) => {
            format!("copied by flakesmith from {}", path.display())
        }
        _ => "written by flakesmith from the Rust configuration".to_owned(),
    };
    let location = source.map(|s| s.location()).unwrap_or(fallback);
    let lines = [
        format!("{GENERATED_BY}: {what},"),
        format!("{from}, set at {location}."),
        edit_hint(flake).replace("the Rust configuration", "that source"),
    ];
    let mut out = crate::nix::print_comment(&lines);
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn user_file(plan: &Plan, planned: &PlannedUser) -> String {
    let flake = plan.flake;
    let user = planned.user;
    let style = flake.effective_source_locations();
    let located = Located::of(
        style,
        planned.generated.iter().chain(user.definitions.iter()),
    );
    let mut tree = DefinitionTree::default();
    tree.add(&planned.generated, located);
    tree.add(&user.definitions, located);
    let imports: Vec<&Module> = planned
        .imports
        .iter()
        .map(|&i| plan.modules[i].module)
        .collect();
    let what = format!("Home Manager user `{}`", user.name);
    home_module_file(flake, &what, user.location, "home", &imports, tree, located)
}

/// What a host adds to one of its users: `hosts/<host>/home-<user>.nix`.
fn home_additions_file(plan: &Plan, host: &PlannedHost, home: &PlannedHome) -> String {
    let flake = plan.flake;
    let additions = home.additions;
    let style = flake.effective_source_locations();
    let located = Located::of(style, additions.definitions.iter());
    let mut tree = DefinitionTree::default();
    tree.add(&additions.definitions, located);
    let imports: Vec<&Module> = home
        .imports
        .iter()
        .map(|&i| plan.modules[i].module)
        .collect();
    let what = format!(
        "what host `{}` adds to Home Manager user `{}`",
        host.host.name, plan.users[home.user].user.name
    );
    let dir = host.host.dir_path();
    home_module_file(
        flake,
        &what,
        additions.location,
        &dir,
        &imports,
        tree,
        located,
    )
}

/// A Home Manager module file in the tree's directory `dir`: its imports, then its
/// definitions.
fn home_module_file(
    flake: &Flake,
    what: &str,
    location: Location,
    dir: &str,
    imports: &[&Module],
    tree: DefinitionTree,
    located: Located,
) -> String {
    let style = flake.effective_source_locations();
    let mut leading = Attrs::new();
    if !imports.is_empty() {
        leading.insert(
            "imports".to_owned(),
            Expr::List(module_imports(imports.iter().copied(), dir)),
        );
    }
    let body = located_module(
        style,
        located,
        location,
        tree.into_attrs(leading),
        Vec::new(),
    );
    let extra: &[&'static str] = if imports.iter().any(|m| m.external.is_some()) {
        &["inputs"]
    } else {
        &[]
    };
    print_file(
        &header(flake, what, location),
        &module_function_with(extra, body),
    )
}

fn template_header(
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

fn host_template(flake: &Flake, modules: &[&Module]) -> String {
    let body = Attrs::new()
        .with("imports", imports("hosts/template", modules, false))
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

fn hardware_template(flake: &Flake) -> String {
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

fn user_template(flake: &Flake) -> String {
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
