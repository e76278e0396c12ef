//! The emitter: a checked [`Plan`] to the files of the tree, as Nix text.
//!
//! It runs only after the checker found no error, and writes exactly the plan the
//! checker checked: it never works out which modules, users or imports a host has on its
//! own. Names are valid and values representable by then.
//!
//! This module writes the module, host and hand-kept files; `definitions` how a
//! definition is written, `flake_file` the flake, `home` the Home Manager files,
//! `packages` the packages and overlays, `deploy` the deployment engines' outputs,
//! `graph` the fleet picture and `templates` the templates.

mod definitions;
mod deploy;
mod flake_file;
mod graph;
mod home;
mod packages;
mod templates;

use definitions::{located_module, DefinitionTree, Located};
use flake_file::flake_file;
use home::{home_additions_file, user_file};
use templates::{hardware_template, host_template, user_template};

use crate::model::{Category, Flake, Location, Module, ModuleOptions, SourceLocations};
use crate::nix::{print_file, Attrs, Expr, Formals, Ident, NixPath};
use crate::plan::{Plan, PlannedHost, PlannedModule};
use crate::tree::{CopiedFile, GeneratedFile, HostSummary, Tree, GENERATED_BY};

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
        if let (Some(text), Some(set)) = (&planned.package_set, &planned.host.package_set) {
            files.push(GeneratedFile::new(
                format!("{dir}/{}", crate::plan::PACKAGE_SET_FILE),
                hand_kept_file(
                    flake,
                    &format!("the package set of host `{}`", planned.host.name),
                    Some(&set.source),
                    planned.host.location,
                    text,
                ),
            ));
        }
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
    if let Some(text) = &plan.extra_outputs {
        files.push(GeneratedFile::new(
            crate::plan::EXTRA_OUTPUTS_FILE,
            hand_kept_file(
                plan.flake,
                "the flake's extra outputs",
                plan.flake.extra_outputs.as_ref(),
                plan.flake.location,
                text,
            ),
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
    // What hand-kept files name, as it is (their paths were pointed here).
    let mut copied: Vec<CopiedFile> = plan
        .carried
        .iter()
        .map(|carried| CopiedFile {
            path: carried.tree_path.clone(),
            bytes: carried.bytes.clone(),
        })
        .collect();
    copied.sort_by(|a, b| a.path.cmp(&b.path));
    Tree {
        files,
        copied,
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

/// A module file: `header` over `{ config, lib, pkgs, <extra>, ... }: body`, taking
/// too every name a raw snippet in `body` reads that nothing in the file binds (a
/// special argument such as `username`, `modulesPath`, a name of `_module.args`): the
/// module system passes those by name only to a function that asks for them.
fn module_function_file(header: &[String], extra: &[&'static str], body: Expr) -> String {
    let text = print_file(header, &module_function_with(extra, body.clone()));
    let free = crate::nix::free_variables(&text);
    if free.is_empty() {
        return text;
    }
    let Expr::Lambda(mut formals, body) = module_function_with(extra, body) else {
        unreachable!("module_function_with makes a function");
    };
    formals.names.extend(
        free.into_iter()
            .filter_map(|name| crate::nix::Ident::new(name).ok()),
    );
    print_file(header, &Expr::Lambda(formals, body))
}

/// The arguments every NixOS module of `host` gets: [`home_special_args`], and `lib`
/// with the host's additions ([`Host::lib_additions`](crate::model::Host::lib_additions)).
fn special_args(plan: &Plan, host: &crate::model::Host) -> Expr {
    let mut args = special_arg_set(plan, host);
    if let Some(Ok(additions)) = host.lib_additions.as_ref().map(|a| &a.value) {
        args.insert(
            "lib".to_owned(),
            Expr::Update(
                Box::new(Expr::known("nixpkgs.lib")),
                Box::new(additions.clone()),
            ),
        );
    }
    args.into()
}

/// The arguments every Home Manager module of `host` gets: the flake's `inputs`, then the
/// flake's and the host's special arguments (Home Manager's modules keep its own `lib`).
fn home_special_args(plan: &Plan, host: &crate::model::Host) -> Expr {
    special_arg_set(plan, host).into()
}

fn special_arg_set(plan: &Plan, host: &crate::model::Host) -> Attrs {
    let mut args = Attrs::new().with("inputs", Expr::known("inputs"));
    for arg in crate::model::special_arg::effective(&plan.flake.special_args, &host.special_args) {
        if let Ok(value) = &arg.value {
            args.insert(arg.name.clone(), value.clone());
        }
    }
    args
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
    module_function_file(&lines, extra, body)
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

/// A host file's imports; `dir` is the host's directory in the tree. With
/// `definitions` (the host's own, and how many modules come ahead of them), those are a
/// module of the list, followed by the hardware configuration.
fn imports(
    dir: &str,
    host_modules: &[(&Module, usize)],
    disko: bool,
    definitions: Option<(Expr, usize)>,
) -> Expr {
    let mut own = vec![Expr::Path(path("./hardware-configuration.nix".to_owned()))];
    if disko {
        own.push(Expr::known("inputs.disko.nixosModules.disko"));
        own.push(Expr::Path(path("./disko.nix".to_owned())));
    }
    let ahead = definitions
        .as_ref()
        .map_or(0, |(_, n)| *n)
        .min(host_modules.len());
    let nested = |modules: &[(&Module, usize)]| -> Vec<Expr> {
        modules
            .iter()
            .map(|&(module, levels)| {
                let entry = module_imports(std::iter::once(module), dir)
                    .pop()
                    .expect("one entry per module");
                nested_import(entry, levels)
            })
            .collect()
    };
    let mut items = nested(&host_modules[..ahead]);
    items.extend(definitions.map(|(module, _)| module));
    items.extend(own);
    items.extend(nested(&host_modules[ahead..]));
    Expr::List(items)
}

/// `entry` `levels` levels down: `{ imports = [ entry ]; }` for one
/// ([`Host::import_nested`](crate::model::Host::import_nested)).
fn nested_import(entry: Expr, levels: usize) -> Expr {
    (0..levels).fold(entry, |inner, _| {
        Attrs::new().with("imports", Expr::List(vec![inner])).into()
    })
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
    let nested: Vec<(&Module, usize)> = planned
        .imports
        .iter()
        .zip(&modules)
        .map(|(index, &module)| (module, planned.nested.get(index).copied().unwrap_or(0)))
        .collect();
    let style = plan.flake.effective_source_locations();
    let located = Located::of(style, host.definitions.iter().chain(&planned.generated));
    let mut tree = DefinitionTree::default();
    tree.add(&host.definitions, located);
    tree.add(&planned.generated, located);
    let disko = planned.disko.is_some();
    let dir = host.dir_path();
    let body = match planned.definitions_after {
        None => tree.into_attrs(Attrs::new().with("imports", imports(&dir, &nested, disko, None))),
        // The definitions as a module of the list, where the Rust put them.
        Some(ahead) => {
            let mut definitions = tree.into_attrs(Attrs::new());
            if style == crate::model::SourceLocations::Files {
                let mut with_file = Attrs::new().with("_file", string(&host.location.to_string()));
                for (key, value) in definitions.entries() {
                    with_file.insert(key.clone(), value.clone());
                }
                definitions = with_file;
            }
            let definitions = Some((Expr::Attrs(definitions), ahead));
            Attrs::new().with("imports", imports(&dir, &nested, disko, definitions))
        }
    };
    let body = located_module(style, located, host.location, body, Vec::new());
    // The flake's overlays come to every host through `inputs.self`.
    let overlays = !plan.flake.overlay_names().is_empty();
    let extra: &[&'static str] =
        if disko || overlays || modules.iter().any(|m| m.external.is_some()) {
            &["inputs"]
        } else {
            &[]
        };
    module_function_file(
        &header(plan.flake, &format!("host `{}`", host.name), host.location),
        extra,
        body,
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
