//! Whole-flake checks, run before anything is emitted.
//!
//! The checker resolves the flake into a [`Plan`] (modules and users unique by name,
//! each host's imports and users, hand-kept texts, the definitions flakesmith adds
//! itself) and checks exactly that plan; the emitter then writes it without re-deriving
//! anything. Every check adds to one list, so a user sees every problem of a
//! configuration in one build. Messages name the entity and point at the Rust that
//! defined it. Checks that need an entity's whole configuration read its effective view
//! (`effective.rs`).

mod accounts;
mod agenix;
mod conflicts;
mod definitions;
mod deploy;
mod effective;
mod home;
mod inputs;
mod lints;
mod managed;
mod module_args;
mod name_rules;
mod names;
mod outputs;
mod package_set;
mod packages;
mod pattern;
mod releases;
mod requirements;
mod secrets;
mod sops;
mod sources;
mod special_args;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Definition, Flake, Host, Order, Priority, User};
use crate::option::OptionPath;
use crate::plan::{Plan, PlannedHome, PlannedHost, PlannedModule, PlannedUser, PACKAGE_SET_FILE};

pub use definitions::MAX_NESTING;
pub use name_rules::{is_release, valid_host_name, valid_module_name, valid_user_name};
pub use secrets::is_secret_name;

/// What the checker found: the plan, every diagnostic, and the files it read.
#[derive(Debug)]
pub struct Checked<'a> {
    /// The resolved flake. Complete only when `diagnostics` holds no error.
    pub plan: Plan<'a>,
    /// Errors and warnings, each once, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// Files the configuration read (hand-kept Nix), for `rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
}

impl Checked<'_> {
    /// The value the checker expects option `path` of host `host` to settle on, as the
    /// module system merges its definitions, when it can tell (the tests compare it with
    /// what the real module system computes).
    pub fn settled_value(&self, host: &str, path: &[&str]) -> Option<crate::nix::Expr> {
        let planned = self.plan.hosts.iter().find(|h| h.host.name == host)?;
        effective::Effective::of_host(&self.plan, planned).winning(path)
    }

    /// The value the checker expects Home Manager option `path` of user `user` on host
    /// `host` to settle on (with what the host adds to the user), when it can tell.
    pub fn settled_home_value(
        &self,
        host: &str,
        user: &str,
        path: &[&str],
    ) -> Option<crate::nix::Expr> {
        let planned_host = self.plan.hosts.iter().find(|h| h.host.name == host)?;
        let index = *planned_host
            .users
            .iter()
            .find(|&&i| self.plan.users[i].user.name == user)?;
        let home = planned_host.homes.iter().find(|home| home.user == index);
        let on_host = home.map(|home| (host, home));
        effective::Effective::of_user(&self.plan, &self.plan.users[index], on_host).winning(path)
    }
}

/// A Nix parser: [`crate::validate::validate`] normally.
pub type Parser = fn(&str) -> Result<(), crate::validate::SyntaxError>;

/// Resolves and checks the flake. Relative paths of hand-kept files resolve against
/// `base_dir`, normally the configuration crate's directory.
pub fn check<'a>(flake: &'a Flake, base_dir: &Path) -> Checked<'a> {
    check_with(flake, base_dir, crate::validate::validate)
}

/// What only a configuration crate has to check: its `Cargo.toml` (in `crate_dir`) says
/// which release line of bindings it is typed against, which must be the flake's. The
/// manifest is recorded in `inputs`.
pub fn crate_manifest(
    flake: &Flake,
    crate_dir: &Path,
    out: &mut Vec<Diagnostic>,
    inputs: &mut Vec<PathBuf>,
) {
    let manifest = crate_dir.join("Cargo.toml");
    if let Ok(text) = std::fs::read_to_string(&manifest) {
        releases::bindings_release(flake, Path::new("Cargo.toml"), &text, out);
        inputs.push(manifest);
    }
}

/// [`check`] with another parser for hand-kept Nix and raw snippets (a test that must
/// not load nixel uses rnix).
pub fn check_with<'a>(flake: &'a Flake, base_dir: &Path, parse: Parser) -> Checked<'a> {
    let mut out = Vec::new();
    let mut inputs = Vec::new();
    let plan = resolve(flake, base_dir, parse, &mut inputs, &mut out);
    names::flake(flake, &mut out);
    inputs::inputs(flake, &mut out);
    special_args::special_args(flake, parse, &mut out);
    inputs::external_modules(&plan, &mut out);
    names::host_names(flake, &mut out);
    deploy::fleet(flake, &mut out);
    for planned in plan.modules.iter().filter(|m| m.module.external.is_none()) {
        names::module(planned.module, parse, &mut out);
    }
    home::categories(&plan, parse, &mut out);
    for planned in &plan.users {
        names::user(planned.user, parse, &mut out);
    }
    let pathological = flake
        .hosts
        .iter()
        .flat_map(|h| {
            h.modules
                .iter()
                .map(|m| &m.definitions[..])
                .chain([&h.definitions[..]])
                .chain(h.users.iter().map(|u| &u.definitions[..]))
        })
        .any(definitions::too_deep);
    if !pathological {
        // Values too deep to walk safely were reported; the whole-entity checks, which
        // walk every value, would only add noise (or exhaust the stack).
        for (index, planned) in plan.users.iter().enumerate() {
            let effective = effective::Effective::of_user(&plan, planned, None);
            // The special arguments of every host the user is on.
            let special: Vec<&str> = plan
                .hosts
                .iter()
                .filter(|h| h.users.contains(&index))
                .flat_map(|h| h.host.special_args.iter().map(|a| a.name.as_str()))
                .collect();
            let unseen = planned.imports.iter().any(|&i| {
                plan.modules[i].module.source.is_some() || plan.modules[i].module.external.is_some()
            });
            module_args::unbound(
                flake,
                &effective,
                module_args::Side::Home,
                &special,
                unseen,
                &mut out,
            );
            packages::local_references(flake, &effective, &mut out);
            conflicts::conflicts(&effective, &mut out);
            conflicts::no_effect(&effective, &mut out);
            secrets::plaintext_secrets(&effective, &mut out);
        }
        // A user a host adds to is checked again there, with the additions.
        for planned in &plan.hosts {
            for home in &planned.homes {
                let user = &plan.users[home.user];
                let on_host = Some((planned.host.name.as_str(), home));
                let effective = effective::Effective::of_user(&plan, user, on_host);
                packages::local_references(flake, &effective, &mut out);
                conflicts::conflicts(&effective, &mut out);
                conflicts::no_effect(&effective, &mut out);
                secrets::plaintext_secrets(&effective, &mut out);
            }
        }
    }
    for planned in &plan.hosts {
        let host = planned.host;
        names::host(host, parse, &mut out);
        if pathological {
            continue;
        }
        let effective = effective::Effective::of_host(&plan, planned);
        let special: Vec<&str> = host.special_args.iter().map(|a| a.name.as_str()).collect();
        let unseen = plan
            .modules_of(planned)
            .any(|m| m.module.source.is_some() || m.module.external.is_some());
        module_args::unbound(
            flake,
            &effective,
            module_args::Side::NixOS,
            &special,
            unseen,
            &mut out,
        );
        packages::local_references(flake, &effective, &mut out);
        conflicts::conflicts(&effective, &mut out);
        conflicts::no_effect(&effective, &mut out);
        requirements::home_manager_users(&plan, planned, &effective, &mut out);
        requirements::desktop_without_session(&plan, planned, &effective, &mut out);
        secrets::plaintext_secrets(&effective, &mut out);
        let imports_sops = plan.modules_of(planned).any(|m| {
            m.module
                .external
                .as_ref()
                .is_some_and(|e| e.attribute == ["nixosModules", "sops"])
        });
        // Secrets may be declared in a hand-kept module, which flakesmith does not read.
        let hand_kept = plan.modules_of(planned).any(|m| m.module.source.is_some());
        sops::uses(host, imports_sops, hand_kept, &effective, &mut out);
        let imports_agenix = plan.modules_of(planned).any(|m| {
            m.module.external.as_ref().is_some_and(|e| {
                e.attribute == ["nixosModules", "age"]
                    || (e.input == "agenix" && e.attribute == ["nixosModules", "default"])
            })
        });
        agenix::uses(host, imports_agenix, hand_kept, &effective, &mut out);
        deploy::host(host, &effective, &mut out);
        lints::root_login_with_password(host, &effective, &mut out);
        lints::firewall_disabled(host, &effective, &mut out);
    }
    requirements::unused_modules(flake, &mut out);
    // A shared module's problem shows once, not once per host that imports it.
    let mut seen = std::collections::HashSet::new();
    out.retain(|d| seen.insert(d.to_string()));
    Checked {
        plan,
        diagnostics: out,
        inputs,
    }
}

/// Works out the shape of the flake: each module file and user once (two different
/// contents under one name are an error naming both), each host's imports and users,
/// the hand-kept texts, and the definitions flakesmith makes on each host's behalf.
fn resolve<'a>(
    flake: &'a Flake,
    base_dir: &Path,
    parse: Parser,
    inputs: &mut Vec<PathBuf>,
    out: &mut Vec<Diagnostic>,
) -> Plan<'a> {
    let mut plan = Plan {
        flake,
        modules: Vec::new(),
        users: Vec::new(),
        hosts: Vec::new(),
        shared_home: Vec::new(),
        packages: Vec::new(),
        overlays: Vec::new(),
        secret_files: Vec::new(),
        carried: Vec::new(),
        extra_outputs: None,
    };
    (plan.packages, plan.overlays) = packages::resolve(flake, base_dir, parse, inputs, out);
    if let Some(source) = &flake.extra_outputs {
        plan.extra_outputs = outputs::extra(
            flake,
            source,
            base_dir,
            parse,
            inputs,
            &mut plan.carried,
            out,
        );
    }
    let mut module_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut user_index: BTreeMap<&str, usize> = BTreeMap::new();
    // One module file: its index, and whether it is new (its imports still to visit).
    let mut intern_one = |module: &'a crate::model::Module,
                          plan: &mut Plan<'a>,
                          inputs: &mut Vec<PathBuf>,
                          out: &mut Vec<Diagnostic>|
     -> (usize, bool) {
        let path = module.file_path();
        if let Some(&index) = module_index.get(&path) {
            let first = plan.modules[index].module;
            if !std::ptr::eq(first, module) && !first.same_content(module) {
                plan.modules[index].clashed = true;
                out.push(
                    Diagnostic::new(Kind::DuplicateModule, format!(
                        "two different modules are both named `{}` in category `{}`",
                        module.name, module.category
                    ))
                    .at(first.location, format!("the first one, written to {path}"))
                    .at(module.location, "a different one with the same name")
                    .help("a module is one file, so one name has one content: give each variant its own name (for example with the argument in it), or build the module once and import that value everywhere"),
                );
            }
            return (index, false);
        }
        let source_text = module.source.as_ref().and_then(|source| {
            let entity = format!("hand-kept module `{}`", module.name);
            let text = sources::load(
                source,
                &entity,
                "module file named here",
                base_dir,
                parse,
                inputs,
                out,
            )?;
            Some(sources::carry(
                source,
                text,
                &entity,
                &path,
                base_dir,
                inputs,
                &mut plan.carried,
                out,
            ))
        });
        plan.modules.push(PlannedModule {
            module,
            source_text,
            imports: Vec::new(),
            clashed: false,
        });
        module_index.insert(path, plan.modules.len() - 1);
        (plan.modules.len() - 1, true)
    };
    // A module and, the first time it is seen, the modules it imports, transitively;
    // then those beside it (`Module::beside`), which every importer imports right
    // after it: all their indices, in that order.
    let mut intern_module = |root: &'a crate::model::Module,
                             plan: &mut Plan<'a>,
                             inputs: &mut Vec<PathBuf>,
                             out: &mut Vec<Diagnostic>|
     -> Vec<usize> {
        let mut indices = Vec::new();
        let mut stack = Vec::new();
        for module in root.with_beside() {
            let (index, new) = intern_one(module, plan, inputs, out);
            indices.push(index);
            if new {
                stack.push((module, index));
            }
        }
        while let Some((module, index)) = stack.pop() {
            for import in &module.imports {
                for child in import.with_beside() {
                    let (child_index, new) = intern_one(child, plan, inputs, out);
                    if !plan.modules[index].imports.contains(&child_index) {
                        plan.modules[index].imports.push(child_index);
                    }
                    if new {
                        stack.push((child, child_index));
                    }
                }
            }
        }
        indices
    };
    for host in &flake.hosts {
        let mut imports = Vec::new();
        let mut definitions_after = None;
        let mut nested = std::collections::BTreeMap::new();
        for (position, module) in host.modules.iter().enumerate() {
            if host.definitions_after == Some(position) {
                definitions_after = Some(imports.len());
            }
            let levels = host.nested.get(&position).copied();
            for index in intern_module(module, &mut plan, inputs, out) {
                if !imports.contains(&index) {
                    imports.push(index);
                    if let Some(levels) = levels {
                        nested.insert(index, levels);
                    }
                }
            }
        }
        if host.definitions_after.is_some() && definitions_after.is_none() {
            definitions_after = Some(imports.len());
        }
        let mut users = Vec::new();
        for user in &host.users {
            let index = match user_index.get(user.name.as_str()) {
                Some(&index) => {
                    let first = plan.users[index].user;
                    if !std::ptr::eq(first, user) && !first.same_content(user) {
                        out.push(
                            Diagnostic::new(Kind::DuplicateHomeUser, format!("two different Home Manager users are both named `{}`", user.name))
                                .at(first.location, "the first one")
                                .at(user.location, "a different one with the same name")
                                .help("a user is written to one file, home/<name>.nix: define the user once and add that value to each host"),
                        );
                    }
                    index
                }
                None => {
                    let mut imports = Vec::new();
                    for module in &user.imports {
                        for index in intern_module(module, &mut plan, inputs, out) {
                            if !imports.contains(&index) {
                                imports.push(index);
                            }
                        }
                    }
                    plan.users.push(PlannedUser {
                        user,
                        imports,
                        generated: generated_for_user(user),
                    });
                    user_index.insert(&user.name, plan.users.len() - 1);
                    plan.users.len() - 1
                }
            };
            if !users.contains(&index) {
                users.push(index);
            }
        }
        let mut homes: Vec<PlannedHome<'a>> = Vec::new();
        for (name, additions) in &host.homes {
            let user = user_index[name.as_str()];
            if let Some(first) = homes.iter().find(|h| h.user == user) {
                out.push(
                    Diagnostic::new(Kind::DuplicateHomeAdditions, format!(
                        "host `{}` adds to Home Manager user `{name}` twice",
                        host.name
                    ))
                    .at(first.additions.location, "the first additions")
                    .at(additions.location, "the second")
                    .help("what a host adds to a user is one file, hosts/<host>/home-<user>.nix: put everything in one `HomeAdditions`"),
                );
                continue;
            }
            let mut imports = Vec::new();
            for module in &additions.imports {
                for index in intern_module(module, &mut plan, inputs, out) {
                    if !imports.contains(&index) {
                        imports.push(index);
                    }
                }
            }
            homes.push(PlannedHome {
                user,
                additions,
                imports,
                file_path: format!("{}/home-{name}.nix", host.dir_path()),
            });
        }
        // A host's hand-kept files: read, parsed, and what they name carried along.
        let mut host_file = |source: &crate::model::NixSource, what: &str, file: &str| {
            let entity = format!("the {what} configuration of host `{}`", host.name);
            let note = format!("{what} configuration set here");
            let text = sources::load(source, &entity, &note, base_dir, parse, inputs, out)?;
            let destination = format!("{}/{file}", host.dir_path());
            Some(sources::carry(
                source,
                text,
                &entity,
                &destination,
                base_dir,
                inputs,
                &mut plan.carried,
                out,
            ))
        };
        let hardware = host
            .hardware
            .as_ref()
            .and_then(|source| host_file(source, "hardware", "hardware-configuration.nix"));
        let disko = host
            .disko
            .as_ref()
            .and_then(|source| host_file(source, "disko", "disko.nix"));
        let package_set = host
            .package_set
            .as_ref()
            .and_then(|set| host_file(&set.source, "package set", PACKAGE_SET_FILE))
            .filter(|text| package_set::check(flake, host, text, out));
        let module_definitions: Vec<&Definition> = plan
            .with_imports(&imports)
            .into_iter()
            .flat_map(|i| plan.modules[i].module.definitions.iter())
            .collect();
        let mut generated = generated_for_host(host);
        generated.extend(packages::host_definitions(flake));
        generated.extend(sops::declarations(
            host,
            &module_definitions,
            base_dir,
            &mut plan.secret_files,
            inputs,
            out,
        ));
        generated.extend(agenix::declarations(
            host,
            base_dir,
            &mut plan.secret_files,
            inputs,
            out,
        ));
        plan.hosts.push(PlannedHost {
            host,
            imports,
            users,
            homes,
            hardware: hardware.unwrap_or_default(),
            disko,
            definitions_after,
            nested,
            package_set,
            generated,
        });
    }
    for module in &flake.home_modules {
        for index in intern_module(module, &mut plan, inputs, out) {
            if !plan.shared_home.contains(&index) {
                plan.shared_home.push(index);
            }
        }
    }
    for module in &flake.modules {
        intern_module(module, &mut plan, inputs, out);
    }
    plan
}

fn generated(
    path: &'static [&'static str],
    value: &str,
    priority: Priority,
    at: crate::model::Location,
) -> Definition {
    Definition {
        path: OptionPath::Static(path),
        value: crate::nix::Expr::string(value),
        priority,
        order: Order::Normal,
        condition: None,
        merge: crate::model::Merge::Equal,
        pattern: None,
        submodules: 0,
        location: at,
    }
}

/// `system.stateVersion` from `Host::new` (a default where the host says so), and
/// `networking.hostName` from the host's name (a default, unless the host sets it itself
/// or keeps its modules' name).
fn generated_for_host(host: &Host) -> Vec<Definition> {
    let sets_host_name = host
        .definitions
        .iter()
        .any(|d| d.path.segments() == ["networking", "hostName"]);
    let state_version = if host.state_version_is_default {
        Priority::DEFAULT
    } else {
        Priority::PLAIN
    };
    let mut out = vec![generated(
        &["system", "stateVersion"],
        &host.state_version,
        state_version,
        host.location,
    )];
    if !sets_host_name && !host.keeps_host_name {
        out.push(generated(
            &["networking", "hostName"],
            &host.name,
            Priority::DEFAULT,
            host.location,
        ));
    }
    out
}

/// `home.username` and `home.homeDirectory` (unless the user sets them) and
/// `home.stateVersion` from `User::new`.
fn generated_for_user(user: &User) -> Vec<Definition> {
    let sets = |field: &str| {
        user.definitions
            .iter()
            .any(|d| d.path.segments() == ["home", field])
    };
    let mut out = Vec::new();
    if !sets("username") {
        out.push(generated(
            &["home", "username"],
            &user.name,
            Priority::PLAIN,
            user.location,
        ));
    }
    if !sets("homeDirectory") {
        out.push(generated(
            &["home", "homeDirectory"],
            &user.home_directory(),
            Priority::PLAIN,
            user.location,
        ));
    }
    out.push(generated(
        &["home", "stateVersion"],
        &user.state_version,
        Priority::PLAIN,
        user.location,
    ));
    out
}
