//! Reading an existing flake: `flake.nix` (inputs, `nixosConfigurations` and each host's
//! modules) and each module file it reaches (imports, definitions, a `cfg`-guarded body).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rnix::ast::{self, HasEntry};
use rowan::ast::AstNode;

use super::syntax::{dotted, entries, read, unparen, Entry, Source, Value};

/// A module a host or module imports.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Import {
    /// A file of the flake, relative to the flake's directory (`hosts/desk/default.nix`).
    File(String),
    /// Another flake's module: the input and the attribute (`nixosModules.sops`).
    Input { input: String, attribute: String },
}

/// One input of the flake.
#[derive(Clone, Debug)]
pub struct InputSpec {
    pub name: String,
    pub url: String,
    /// `inputs.<own>.follows = "<ours>"`.
    pub follows: Vec<(String, String)>,
    /// `<name>.follows = "<other>"`: this input is another of the flake's.
    pub same_as: Option<String>,
    pub flake: bool,
    /// The input's own source, where the user named it (`--input-source NAME=PATH`): the
    /// evaluation runs its real `outputs` instead of a stand-in's (a flake module that
    /// makes the hosts, say).
    pub source: Option<PathBuf>,
}

/// One host of `nixosConfigurations`.
#[derive(Clone, Debug)]
pub struct HostSpec {
    pub name: String,
    /// The `system` argument of `nixosSystem`, when it has one.
    pub system: Option<String>,
    pub imports: Vec<Import>,
    /// Imports the original reached through modules that only import, further down
    /// than the host file's own imports: position in `imports`, and how many levels.
    pub nested: std::collections::BTreeMap<usize, usize>,
    /// Modules written inline (in `flake.nix`, or in a helper it calls), as the file
    /// they are written in and their entries.
    pub inline: Vec<(String, Vec<Entry>)>,
    /// What the importer left out, with why (`specialArgs` it cannot carry).
    pub skipped: Vec<String>,
    /// `specialArgs` other than `inputs`: each name and its value.
    pub special_args: Vec<(String, SpecialValue)>,
    pub line: usize,
    /// Modules of the flake's flake-parts collections written inline in a flake-parts
    /// module, which the host imports from the carried outputs
    /// (`inputs.self.nixosModules.<name>`): the file each is written in and its
    /// attribute (`flake.nixosModules.<name>`).
    pub carried: Vec<(String, String)>,
    /// The package set `nixosSystem` is given (`pkgs`), where the importer can carry it.
    pub package_set: Option<PackageSetSpec>,
}

/// A host's own package set: a `let` binding of `flake.nix`'s `outputs`, as a file of
/// its own.
#[derive(Clone, Debug)]
pub struct PackageSetSpec {
    /// The binding's name (`pkgs`).
    pub binding: String,
    /// The file: a function of the flake's inputs returning the set.
    pub text: String,
    /// Whether the host's `lib` is the set's (`inherit (pkgs) lib;`).
    pub its_lib: bool,
    /// Where the call gives it, for the report (`outputs/os.nix:18`).
    pub given_at: String,
}

/// The value of a special argument, as the generated flake can write it.
#[derive(Clone, Debug, PartialEq)]
pub enum SpecialValue {
    /// A literal (string, number, boolean, list or set of them).
    Literal(Value),
    /// Nix that names only what the generated flake binds too (`inputs.self`,
    /// `self.outputs`, an input).
    Nix(String),
    /// `lib`: nixpkgs' lib with these additions (a set, as Nix).
    LibAdditions(String),
}

/// What `flake.nix` says.
#[derive(Clone, Debug)]
pub struct FlakeSpec {
    pub description: String,
    pub inputs: Vec<InputSpec>,
    pub hosts: Vec<HostSpec>,
    /// Outputs other than `nixosConfigurations` (`overlays`, `packages`,
    /// `darwinConfigurations`, ...): their names and lines in `flake.nix`.
    pub other_outputs: Vec<(String, usize)>,
    /// Why the hosts could not be read as syntax, when they could not (a helper makes
    /// them): [`super::flake`] then finds them by evaluation.
    pub hosts_unread: Option<String>,
}

/// A module file, read.
#[derive(Clone, Debug, Default)]
pub struct ModuleFile {
    pub imports: Vec<Import>,
    pub definitions: Vec<Entry>,
    /// The definitions inside `config = lib.mkIf cfg.enable { ... }`.
    pub guarded_definitions: Vec<Entry>,
    /// `options.*` entries: the options the module declares.
    pub options: Vec<Entry>,
    /// The namespace `cfg` stands for (`let cfg = config.fleet.ssh; in`).
    pub namespace: Option<Vec<String>>,
    /// Why the file stays a hand-kept file, when it must.
    pub hand_kept: Option<String>,
    /// What the report should say about the file beyond its definitions: line, words.
    pub notes: Vec<(usize, String)>,
    /// The bindings of its top-level `let`, in the file's order (`cfg` left out where
    /// the module declares options: the emitter binds it).
    lets: Vec<LetBinding>,
    /// What of its `imports` is neither a file of the flake nor another flake's module
    /// (`modulesPath + "/profiles/qemu-guest.nix"`, `++ builtins.attrValues ...`).
    pub kept_imports: Vec<KeptImport>,
    /// Its function's argument as written (`{ config, pkgs, ... }`), when it is one.
    pub arguments: Option<String>,
}

/// One binding of a module's top-level `let` (`user = "alice";`, `inherit (lib) mkIf;`):
/// the names it binds and its text, carried into the definitions that name them.
#[derive(Clone, Debug, Default)]
pub struct LetBinding {
    names: Vec<String>,
    text: String,
    line: usize,
}

/// Reads `flake.nix` in `dir`.
pub fn flake(dir: &Path) -> Result<FlakeSpec, String> {
    let path = dir.join("flake.nix");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let source = Source::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let ast::Expr::AttrSet(root) = unparen(source.root.clone()) else {
        return Err(format!(
            "{}: the flake is not an attribute set",
            path.display()
        ));
    };
    let mut description = String::from("NixOS machines");
    let mut inputs = Vec::new();
    let mut outputs = None;
    for entry in root.attrpath_values() {
        let Some(name) = entry.attrpath().as_ref().and_then(super::syntax::attrpath) else {
            continue;
        };
        let Some(value) = entry.value() else { continue };
        match name.first().map(String::as_str) {
            Some("description") => {
                if let Value::Str(text) = read(&source, value) {
                    description = text;
                }
            }
            Some("inputs") => read_inputs(&source, &name[1..], value, &mut inputs),
            Some("outputs") => outputs = Some(value),
            _ => {}
        }
    }
    let outputs =
        outputs.ok_or_else(|| format!("{}: the flake has no `outputs`", path.display()))?;
    let inputs = merge_inputs(inputs);
    // Hosts a helper makes are not syntax the reader follows: `super::flake` evaluates.
    let (hosts, other_outputs, hosts_unread) = match read_outputs(&source, outputs, dir) {
        Ok((hosts, others)) => (hosts, others, None),
        Err(why) => (
            Vec::new(),
            Vec::new(),
            Some(format!("{}: {why}", path.display())),
        ),
    };
    Ok(FlakeSpec {
        description,
        inputs,
        hosts,
        other_outputs,
        hosts_unread,
    })
}

/// `inputs.x.url = "..."`, `inputs.x = { url = ...; inputs.nixpkgs.follows = ...; }`,
/// `inputs = { ... }`: one partial input per entry, merged by name afterwards.
fn read_inputs(source: &Source, path: &[String], value: ast::Expr, out: &mut Vec<InputSpec>) {
    let flatten = |path: Vec<String>, value: Value, out: &mut Vec<InputSpec>| {
        let mut input = InputSpec {
            name: path[0].clone(),
            url: String::new(),
            follows: Vec::new(),
            same_as: None,
            flake: true,
            source: None,
        };
        let mut leaves = Vec::new();
        leaves_of(path[1..].to_vec(), value, &mut leaves);
        for (rest, leaf) in leaves {
            match (
                rest.iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice(),
                leaf,
            ) {
                (["url"], Value::Str(url)) => input.url = url,
                (["follows"], Value::Str(other)) => input.same_as = Some(other),
                (["flake"], Value::Bool(flake)) => input.flake = flake,
                (["inputs", own, "follows"], Value::Str(ours)) => {
                    input.follows.push(((*own).to_owned(), ours))
                }
                _ => {}
            }
        }
        out.push(input);
    };
    let value = read(source, value);
    if path.is_empty() {
        if let Value::Attrs(entries) = value {
            for entry in entries {
                flatten(entry.path, entry.value, out);
            }
        }
    } else {
        flatten(path.to_vec(), value, out);
    }
}

fn leaves_of(path: Vec<String>, value: Value, out: &mut Vec<(Vec<String>, Value)>) {
    match value {
        Value::Attrs(entries) => {
            for entry in entries {
                let mut inner = path.clone();
                inner.extend(entry.path);
                leaves_of(inner, entry.value, out);
            }
        }
        other => out.push((path, other)),
    }
}

fn merge_inputs(parts: Vec<InputSpec>) -> Vec<InputSpec> {
    let mut merged: Vec<InputSpec> = Vec::new();
    for part in parts {
        match merged.iter_mut().find(|i| i.name == part.name) {
            Some(input) => {
                if !part.url.is_empty() {
                    input.url = part.url;
                }
                input.flake &= part.flake;
                input.follows.extend(part.follows);
                input.same_as = part.same_as.or(input.same_as.take());
            }
            None => merged.push(part),
        }
    }
    // An input that is another (`nixpkgs.follows = "unstable";`) has that one's source.
    for i in 0..merged.len() {
        let source = merged[i].same_as.as_ref().and_then(|other| {
            merged
                .iter()
                .find(|m| m.name == *other && !m.url.is_empty())
                .map(|m| m.url.clone())
        });
        if let (Some(url), true) = (source, merged[i].url.is_empty()) {
            merged[i].url = url;
        }
    }
    merged
}

/// The hosts of `outputs` (`nixosConfigurations.<name> = <x>.lib.nixosSystem { ... }`),
/// and the names and lines of its other outputs.
#[allow(clippy::type_complexity)]
fn read_outputs(
    source: &Source,
    outputs: ast::Expr,
    dir: &Path,
) -> Result<(Vec<HostSpec>, Vec<(String, usize)>), String> {
    let ast::Expr::Lambda(lambda) = unparen(outputs) else {
        return Err("`outputs` is not a function".into());
    };
    let mut inputs_named = vec!["inputs".to_owned()];
    if let Some(ast::Param::Pattern(pattern)) = lambda.param() {
        for entry in pattern.pat_entries() {
            if let Some(ident) = entry.ident().and_then(|i| i.ident_token()) {
                inputs_named.push(ident.text().to_owned());
            }
        }
        if let Some(bind) = pattern
            .pat_bind()
            .and_then(|b| b.ident())
            .and_then(|i| i.ident_token())
        {
            inputs_named.push(bind.text().to_owned());
        }
    }
    let mut body = unparen(lambda.body().ok_or("`outputs` has no body")?);
    // `let system = "x86_64-linux"; in { ... }`: plain strings the hosts may name; and
    // `inherit (self) outputs;`, `lib = nixpkgs.lib;`: names for what the inputs hold,
    // which special arguments may pass on.
    let mut strings = BTreeMap::new();
    let mut selects = BTreeMap::new();
    if let ast::Expr::LetIn(let_in) = body.clone() {
        for entry in let_in.attrpath_values() {
            if let (Some(name), Some(value)) = (
                entry.attrpath().as_ref().and_then(super::syntax::attrpath),
                entry.value(),
            ) {
                if name.len() != 1 {
                    continue;
                }
                match read(source, value.clone()) {
                    Value::Str(text) => {
                        strings.insert(name[0].clone(), text);
                    }
                    _ => {
                        if let Some(path) = dotted(&unparen(value)) {
                            if let Some(nix) = in_flake_scope(&path, &inputs_named) {
                                selects.insert(name[0].clone(), nix);
                            }
                        }
                    }
                }
            }
        }
        for inherit in let_in.inherits() {
            let Some(from) = inherit
                .from()
                .and_then(|f| f.expr())
                .and_then(|e| dotted(&unparen(e)))
            else {
                continue;
            };
            for attr in inherit.attrs() {
                if let Some(name) = super::syntax::attr_name(&attr) {
                    let mut path = from.clone();
                    path.push(name.clone());
                    if let Some(nix) = in_flake_scope(&path, &inputs_named) {
                        selects.insert(name, nix);
                    }
                }
            }
        }
        body = unparen(let_in.body().ok_or("`let` without a body")?);
    }
    let ast::Expr::AttrSet(set) = body else {
        return Err("`outputs` does not return an attribute set".into());
    };
    let mut hosts = Vec::new();
    let mut others: Vec<(String, usize)> = Vec::new();
    let mut found = false;
    for entry in set.attrpath_values() {
        // An output's own name is static even where what follows is computed
        // (`packages.${system}.default`).
        let first = entry
            .attrpath()
            .and_then(|p| p.attrs().next())
            .as_ref()
            .and_then(super::syntax::attr_name);
        let Some(first) = first else {
            others.push(("${...}".to_owned(), source.line_of(entry.syntax())));
            continue;
        };
        if first != "nixosConfigurations" {
            if !others.iter().any(|(name, _)| *name == first) {
                others.push((first, source.line_of(entry.syntax())));
            }
            continue;
        }
        let Some(path) = entry.attrpath().as_ref().and_then(super::syntax::attrpath) else {
            return Err(format!(
                "{}: a host of `nixosConfigurations` is named by a computed name",
                source.line_of(entry.syntax())
            ));
        };
        found = true;
        let Some(value) = entry.value() else { continue };
        let named: Vec<(String, ast::Expr, usize)> = match (path.len(), unparen(value)) {
            (2, value) => vec![(path[1].clone(), value, source.line_of(entry.syntax()))],
            (1, ast::Expr::AttrSet(hosts)) => hosts
                .attrpath_values()
                .filter_map(|host| {
                    let name = host.attrpath().as_ref().and_then(super::syntax::attrpath)?;
                    let value = host.value()?;
                    (name.len() == 1).then(|| (name[0].clone(), value, source.line_of(host.syntax())))
                })
                .collect(),
            _ => return Err("`nixosConfigurations` is neither an attribute set of hosts nor `nixosConfigurations.<host> = ...`".into()),
        };
        for (name, value, line) in named {
            hosts.push(read_host(
                source,
                &name,
                value,
                line,
                &inputs_named,
                &Lets {
                    strings: &strings,
                    selects: &selects,
                },
                dir,
            )?);
        }
    }
    for inherit in set.inherits() {
        for attr in inherit.attrs() {
            if let Some(name) = super::syntax::attr_name(&attr) {
                others.push((name, source.line_of(inherit.syntax())));
            }
        }
    }
    if !found {
        return Err("the flake has no `nixosConfigurations`: there is no host to import".into());
    }
    Ok((hosts, others))
}

/// What the `let` around `outputs`' attribute set binds that hosts may name.
struct Lets<'l> {
    /// Plain strings (`system = "x86_64-linux"`).
    strings: &'l BTreeMap<String, String>,
    /// Names for what the inputs hold, as the generated flake writes them.
    selects: &'l BTreeMap<String, String>,
}

fn read_host(
    source: &Source,
    name: &str,
    value: ast::Expr,
    line: usize,
    inputs_named: &[String],
    lets: &Lets,
    dir: &Path,
) -> Result<HostSpec, String> {
    let where_ = format!("host `{name}` (flake.nix:{line})");
    let ast::Expr::Apply(apply) = unparen(value) else {
        return Err(format!("{where_} is not a call of `nixosSystem`"));
    };
    let function = apply.lambda().as_ref().and_then(dotted);
    if function.as_ref().and_then(|f| f.last()).map(String::as_str) != Some("nixosSystem") {
        return Err(format!("{where_} is not a call of `nixosSystem`"));
    }
    let Some(ast::Expr::AttrSet(arguments)) = apply.argument().map(unparen) else {
        return Err(format!(
            "{where_}: `nixosSystem` is not given an attribute set"
        ));
    };
    let mut host = HostSpec {
        name: name.to_owned(),
        system: None,
        imports: Vec::new(),
        nested: std::collections::BTreeMap::new(),
        inline: Vec::new(),
        skipped: Vec::new(),
        special_args: Vec::new(),
        carried: Vec::new(),
        package_set: None,
        line,
    };
    // What the call inherits from the `let`s of `outputs`: `system` (a string), `pkgs` (a
    // package set, carried); anything else is said to be left out.
    let mut package_set: Option<String> = None;
    let mut lib_given = false;
    for inherit in arguments.inherits() {
        for attr in inherit.attrs() {
            let Some(argument) = super::syntax::attr_name(&attr) else {
                continue;
            };
            match (argument.as_str(), inherit.from().is_none()) {
                ("system", true) => host.system = lets.strings.get("system").cloned(),
                ("pkgs", true) => package_set = Some("pkgs".to_owned()),
                ("lib", _) => lib_given = true,
                _ => host.skipped.push(format!(
                    "`{argument}` of `nixosSystem`, inherited (flakesmith writes the call itself)"
                )),
            }
        }
    }
    for entry in arguments.attrpath_values() {
        let key = entry.attrpath().as_ref().and_then(super::syntax::attrpath);
        let value = entry.value().map(unparen);
        match (key.as_deref(), value) {
            (Some([key]), Some(ast::Expr::Ident(ident))) if key == "pkgs" => {
                package_set = Some(ident.syntax().text().to_string());
            }
            (Some([key]), _) if key == "lib" => lib_given = true,
            _ => {}
        }
    }
    // The call's `argument = <value>;`, where it has one.
    let written = |argument: &str| {
        arguments.attrpath_values().find(|entry| {
            entry
                .attrpath()
                .as_ref()
                .and_then(super::syntax::attrpath)
                .as_deref()
                == Some(&[argument.to_owned()])
        })
    };
    // `lib = pkgs.lib;` (or `inherit (pkgs) lib;`) beside a carried set is the set's.
    let its_lib = |set: &str| {
        let as_select = written("lib")
            .and_then(|entry| entry.value())
            .is_some_and(|v| dotted(&unparen(v)) == Some(vec![set.to_owned(), "lib".to_owned()]));
        let as_inherit = arguments.inherits().any(|inherit| {
            inherit
                .from()
                .and_then(|f| f.expr())
                .is_some_and(|f| f.syntax().text() == set)
                && inherit
                    .attrs()
                    .any(|a| super::syntax::attr_name(&a).as_deref() == Some("lib"))
        });
        as_select || as_inherit
    };
    match package_set
        .and_then(|set| super::outputs::package_set_named(dir, &set).map(|text| (set, text)))
    {
        Some((set, text)) => {
            let its_lib = its_lib(&set);
            if lib_given && !its_lib {
                host.skipped
                    .push("`lib` of `nixosSystem` (flakesmith writes the call itself)".to_owned());
            }
            host.package_set = Some(PackageSetSpec {
                binding: set,
                text,
                its_lib,
                given_at: format!("flake.nix:{line}"),
            });
        }
        None => {
            for argument in ["pkgs", "lib"] {
                let given = written(argument).is_some()
                    || arguments.inherits().any(|inherit| {
                        inherit
                            .attrs()
                            .any(|a| super::syntax::attr_name(&a).as_deref() == Some(argument))
                    });
                if given {
                    host.skipped.push(format!(
                        "`{argument}` of `nixosSystem` (flakesmith writes the call itself)"
                    ));
                }
            }
        }
    }
    for entry in arguments.attrpath_values() {
        let Some(key) = entry.attrpath().as_ref().and_then(super::syntax::attrpath) else {
            continue;
        };
        let Some(value) = entry.value() else { continue };
        match key.join(".").as_str() {
            "system" => match read(source, value.clone()) {
                Value::Str(system) => host.system = Some(system),
                _ => match dotted(&unparen(value))
                    .and_then(|n| lets.strings.get(&n.join(".")).cloned())
                {
                    Some(system) => host.system = Some(system),
                    None => {
                        return Err(format!(
                            "{where_}: `system` is not a string the importer can read"
                        ))
                    }
                },
            },
            "specialArgs" => {
                let (args, skipped) = special_args(source, value, inputs_named, lets);
                host.special_args = args;
                host.skipped.extend(skipped);
            }
            "modules" => {
                let ast::Expr::List(list) = unparen(value) else {
                    return Err(format!("{where_}: `modules` is not a list"));
                };
                for item in list.items() {
                    match unparen(item.clone()) {
                        ast::Expr::AttrSet(set) => match entries(source, &set) {
                            // `config.x` in a module is `x`, as in a module file.
                            Ok(found) => host.inline.push(("flake.nix".to_owned(), found.into_iter().map(without_config).collect())),
                            Err(reason) => return Err(format!("{where_}: an inline module cannot be read: {reason}")),
                        },
                        other => match import_of(&other, Path::new(""), inputs_named, dir) {
                            Some(import) => host.imports.push(import),
                            None => {
                                return Err(format!(
                                    "{where_}: the module `{}` (flake.nix:{}) is neither a file, another flake's module nor an attribute set",
                                    item.syntax().text(),
                                    source.line_of(item.syntax())
                                ))
                            }
                        },
                    }
                }
            }
            // Read above.
            "pkgs" | "lib" => {}
            _ => host.skipped.push(format!(
                "`{}` of `nixosSystem` (flakesmith writes the call itself)",
                key.join(".")
            )),
        }
    }
    Ok(host)
}

/// `specialArgs = { host = "desk"; inherit self inputs username; }`: each argument the
/// generated flake can give (`inputs` it gives itself), and what it cannot, with why.
fn special_args(
    source: &Source,
    value: ast::Expr,
    inputs_named: &[String],
    lets: &Lets,
) -> (Vec<(String, SpecialValue)>, Vec<String>) {
    let (strings, selects) = (lets.strings, lets.selects);
    let (mut args, mut skipped) = (Vec::new(), Vec::new());
    let ast::Expr::AttrSet(set) = unparen(value.clone()) else {
        skipped.push(format!(
            "specialArgs `{}` is not an attribute set the importer can read: give the arguments with `Host::special_arg`",
            value.syntax().text()
        ));
        return (args, skipped);
    };
    // What the generated flake's `outputs` binds: its inputs, `inputs` and `self`.
    let bound = |name: &str| {
        matches!(name, "inputs" | "self" | "nixpkgs" | "home-manager")
            || inputs_named.iter().any(|i| i == name)
    };
    for inherit in set.inherits() {
        let from = inherit
            .from()
            .and_then(|f| f.expr())
            .and_then(|e| dotted(&unparen(e)));
        for attr in inherit.attrs() {
            let Some(name) = super::syntax::attr_name(&attr) else {
                continue;
            };
            let value = match (&from, name.as_str()) {
                (None, "inputs") => continue,
                (None, "self") => Some(SpecialValue::Nix("inputs.self".into())),
                (None, other) if strings.contains_key(other) => {
                    Some(SpecialValue::Literal(Value::Str(strings[other].clone())))
                }
                (None, other) if selects.contains_key(other) => {
                    Some(SpecialValue::Nix(selects[other].clone()))
                }
                (None, other) if bound(other) => Some(SpecialValue::Nix(format!("inputs.{other}"))),
                (Some(from), _) if bound(&from[0]) => {
                    Some(SpecialValue::Nix(format!("{}.{name}", from.join("."))))
                }
                _ => None,
            };
            match value {
                Some(value) => args.push((name, value)),
                None => skipped.push(format!(
                    "special argument `{name}` (flake.nix:{}) takes a value bound in flake.nix that the importer cannot read; give it with `Host::special_arg`",
                    source.line_of(inherit.syntax())
                )),
            }
        }
    }
    for entry in set.attrpath_values() {
        let (Some(path), Some(expr)) = (
            entry.attrpath().as_ref().and_then(super::syntax::attrpath),
            entry.value(),
        ) else {
            continue;
        };
        let name = path.join(".");
        let value = read(source, expr.clone());
        let text = expr.syntax().text().to_string();
        let value = match value {
            Value::Raw { .. } => match dotted(&unparen(expr)) {
                Some(head) if path.len() == 1 && bound(&head[0]) => {
                    Some(SpecialValue::Nix(text.clone()))
                }
                Some(head)
                    if path.len() == 1 && head.len() == 1 && strings.contains_key(&head[0]) =>
                {
                    Some(SpecialValue::Literal(Value::Str(strings[&head[0]].clone())))
                }
                _ => None,
            },
            Value::Path(_) | Value::Package(_) | Value::Priority(..) => None,
            scalar @ (Value::Str(_) | Value::Bool(_) | Value::Int(_)) if path.len() == 1 => {
                Some(SpecialValue::Literal(scalar))
            }
            // Lists and sets of literals stand on their own as Nix.
            _ if path.len() == 1 => Some(SpecialValue::Nix(text.clone())),
            _ => None,
        };
        match value {
            Some(value) => args.push((name, value)),
            None => skipped.push(format!(
                "special argument `{name} = {text}` (flake.nix:{}) is not a literal or a name of the flake's inputs; give it with `Host::special_arg`",
                source.line_of(entry.syntax())
            )),
        }
    }
    (args, skipped)
}

/// A module reference: a path (relative to `from`, the importing file's directory within
/// the flake) or another flake's module.
fn import_of(expr: &ast::Expr, from: &Path, inputs_named: &[String], dir: &Path) -> Option<Import> {
    match unparen(expr.clone()) {
        ast::Expr::PathRel(path) => {
            let text = path.syntax().text().to_string();
            let mut joined = normalise(&from.join(&text))?;
            if dir.join(&joined).is_dir() {
                joined = joined.join("default.nix");
            }
            Some(Import::File(joined.to_string_lossy().into_owned()))
        }
        other => {
            let name = dotted(&other)?;
            match name.as_slice() {
                [inputs, input, rest @ ..] if inputs == "inputs" && !rest.is_empty() => {
                    Some(Import::Input {
                        input: input.clone(),
                        attribute: rest.join("."),
                    })
                }
                [input, rest @ ..] if inputs_named.contains(input) && !rest.is_empty() => {
                    Some(Import::Input {
                        input: input.clone(),
                        attribute: rest.join("."),
                    })
                }
                _ => None,
            }
        }
    }
}

pub(super) use crate::carry::normalise;

/// The `lastModified` dates (Unix seconds) `flake.lock` records for the flake's own
/// inputs, by input name; empty without a lock.
pub fn locked_dates(dir: &Path) -> BTreeMap<String, i64> {
    let Ok(text) = std::fs::read_to_string(dir.join("flake.lock")) else {
        return BTreeMap::new();
    };
    let Ok(lock) = serde_json::from_str::<serde_json::Value>(&text) else {
        return BTreeMap::new();
    };
    let nodes = &lock["nodes"];
    let root = lock["root"].as_str().unwrap_or("root");
    let Some(inputs) = nodes[root]["inputs"].as_object() else {
        return BTreeMap::new();
    };
    inputs
        .iter()
        .filter_map(|(name, node)| {
            let node = locked_node(nodes, root, node, 0)?;
            let date = nodes[node.as_str()]["locked"]["lastModified"].as_i64()?;
            Some((name.clone(), date))
        })
        .collect()
}

/// The lock's node an input reference names: a node's name, or a path of inputs from
/// the root where the input follows another (`"nixpkgs": ["unstable"]`).
fn locked_node(
    nodes: &serde_json::Value,
    root: &str,
    reference: &serde_json::Value,
    depth: usize,
) -> Option<String> {
    if let Some(name) = reference.as_str() {
        return Some(name.to_owned());
    }
    if depth > 16 {
        return None;
    }
    let mut node = root.to_owned();
    for step in reference.as_array()? {
        let next = &nodes[node.as_str()]["inputs"][step.as_str()?];
        node = locked_node(nodes, root, next, depth + 1)?;
    }
    Some(node)
}

/// An item (or a whole list) of a module's `imports` the importer keeps as written.
#[derive(Clone, Debug)]
pub struct KeptImport {
    pub line: usize,
    pub text: String,
    /// Whether the text is a list concatenated to the others (`++ expr`), not an item.
    pub list: bool,
}

/// The operands of `a ++ b ++ c`, parentheses dropped; `expr` itself when it is not a
/// concatenation.
fn concatenated(expr: ast::Expr, out: &mut Vec<ast::Expr>) {
    match unparen(expr) {
        ast::Expr::BinOp(op) if op.operator() == Some(ast::BinOpKind::Concat) => {
            if let (Some(lhs), Some(rhs)) = (op.lhs(), op.rhs()) {
                concatenated(lhs, out);
                concatenated(rhs, out);
            }
        }
        other => out.push(other),
    }
}

/// What a module file of the flake can name beyond itself.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// The flake's inputs, as `outputs`' arguments name them.
    pub inputs_named: Vec<String>,
    /// Special arguments every host gives as the same string (`user = "alice"`): a
    /// module's `users.users.${user}` names that attribute on every host.
    pub constants: BTreeMap<String, String>,
}

/// The special arguments every host of the flake gives, each as one and the same string.
pub fn shared_constants(hosts: &[HostSpec]) -> BTreeMap<String, String> {
    let Some((first, rest)) = hosts.split_first() else {
        return BTreeMap::new();
    };
    first
        .special_args
        .iter()
        .filter_map(|(name, value)| match value {
            SpecialValue::Literal(Value::Str(text)) => Some((name.clone(), text.clone())),
            _ => None,
        })
        .filter(|(name, text)| {
            rest.iter().all(|host| {
                host.special_args.iter().any(|(n, v)| {
                    n == name && matches!(v, SpecialValue::Literal(Value::Str(t)) if t == text)
                })
            })
        })
        .collect()
}

/// Reads the module file at `file` (relative to the flake directory `dir`).
pub fn module(dir: &Path, file: &str, scope: &Scope) -> Result<ModuleFile, String> {
    let inputs_named = scope.inputs_named.as_slice();
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {file}: {e}"))?;
    // Paths from the flake's root, read as the paths relative to the file they are, so
    // they lead to the copies the regenerated tree carries (lines stay as they were).
    let (text, rewritten) = super::self_rooted_paths(dir, file, &text);
    let mut source = Source::parse(&text).map_err(|e| format!("{file}: {e}"))?;
    source.constants = scope.constants.clone();
    let from = Path::new(file).parent().unwrap_or(Path::new("")).to_owned();
    let mut module = ModuleFile::default();
    for (line, was, now) in rewritten {
        module
            .notes
            .push((line, super::self_rooted_note(&was, &now)));
    }
    let mut body = unparen(source.root.clone());
    let mut argument_names = Vec::new();
    if let ast::Expr::Lambda(lambda) = body.clone() {
        if let Some(ast::Param::Pattern(pattern)) = lambda.param() {
            argument_names = pattern
                .pat_entries()
                .filter_map(|entry| entry.ident()?.ident_token())
                .map(|token| token.text().to_owned())
                .collect();
        }
        if !matches!(lambda.param(), Some(ast::Param::Pattern(_))) {
            module.hand_kept = Some(
                "the module is a function of one argument, not of `{ config, lib, pkgs, ... }`"
                    .into(),
            );
            return Ok(module);
        }
        module.arguments = lambda
            .param()
            .map(|param| param.syntax().text().to_string());
        body = unparen(lambda.body().ok_or("a function without a body")?);
    }
    let mut lets = Vec::new();
    // `let cfg = config.fleet.ssh;`: the namespace of the options the module declares.
    let mut cfg_namespace = None;
    if let ast::Expr::LetIn(let_in) = body.clone() {
        for inherit in let_in.inherits() {
            for attr in inherit.attrs() {
                if let Some(name) = super::syntax::attr_name(&attr) {
                    source.constants.remove(&name);
                }
            }
            lets.push(LetBinding {
                names: inherit
                    .attrs()
                    .filter_map(|attr| super::syntax::attr_name(&attr))
                    .collect(),
                text: inherit.syntax().text().to_string(),
                line: source.line_of(inherit.syntax()),
            });
        }
        for entry in let_in.attrpath_values() {
            let name = entry.attrpath().as_ref().and_then(super::syntax::attrpath);
            let Some([name]) = name.as_deref() else {
                module.hand_kept = Some(format!(
                    "its `let` binds a dotted or computed name (line {})",
                    source.line_of(entry.syntax())
                ));
                return Ok(module);
            };
            let value = entry
                .value()
                .as_ref()
                .and_then(|v| dotted(&unparen(v.clone())));
            if let Some(path) = value.filter(|p| name == "cfg" && p.len() > 1 && p[0] == "config") {
                cfg_namespace = Some(path[1..].to_vec());
            }
            // A `let` shadows a special argument of the same name; a string it binds
            // names attributes as the argument would.
            source.constants.remove(name);
            if let Some(Value::Str(text)) = entry.value().map(|v| read(&source, v)) {
                source.constants.insert(name.clone(), text);
            }
            lets.push(LetBinding {
                names: vec![name.clone()],
                text: entry.syntax().text().to_string(),
                line: source.line_of(entry.syntax()),
            });
        }
        lets.sort_by_key(|binding| binding.line);
        body = unparen(let_in.body().ok_or("`let` without a body")?);
    }
    let ast::Expr::AttrSet(set) = body else {
        module.hand_kept = Some("its body is not an attribute set of definitions".into());
        return Ok(module);
    };
    let found = match entries(&source, &set) {
        Ok(found) => found,
        Err(reason) => {
            module.hand_kept = Some(format!(
                "its definitions cannot be read one by one: {reason}"
            ));
            return Ok(module);
        }
    };
    for entry in found {
        match entry.path.first().map(String::as_str) {
            Some("imports") if entry.path.len() == 1 => {
                let Some(expr) = expr_at(&set, &entry.path) else {
                    module.hand_kept =
                        Some(format!("its `imports` (line {}) has no value", entry.line));
                    return Ok(module);
                };
                // `[ ./a.nix ] ++ (builtins.attrValues outputs.nixosModules)`: the list
                // literals are read item by item, the rest is kept as written.
                let mut operands = Vec::new();
                concatenated(expr, &mut operands);
                for operand in operands {
                    let ast::Expr::List(list) = operand else {
                        module.kept_imports.push(KeptImport {
                            line: source.line_of(operand.syntax()),
                            text: operand.syntax().text().to_string(),
                            list: true,
                        });
                        continue;
                    };
                    for item in list.items() {
                        match import_of(&item, &from, inputs_named, dir) {
                            Some(import) => module.imports.push(import),
                            // `(modulesPath + "/profiles/qemu-guest.nix")`: kept as
                            // written, in a file the typed module imports.
                            None => module.kept_imports.push(KeptImport {
                                line: source.line_of(item.syntax()),
                                text: item.syntax().text().to_string(),
                                list: false,
                            }),
                        }
                    }
                }
            }
            Some("options") => module.options.push(entry),
            Some("config") if entry.path.len() == 1 => match config_body(&source, &set, &entry) {
                Some((true, inner)) => module.guarded_definitions.extend(inner),
                Some((false, inner)) => module.definitions.extend(inner),
                None => module.definitions.push(entry),
            },
            Some("config") => module.definitions.push(without_config(entry)),
            _ => module.definitions.push(entry),
        }
    }
    if !module.options.is_empty() {
        // A module declaring options gets `cfg` from the emitter, bound to its namespace.
        if let Some(namespace) = cfg_namespace {
            module.namespace = Some(namespace);
            lets.retain(|binding| binding.names != ["cfg"]);
        }
        if let Some(entry) = module.options.iter().find(|e| names_any(&e.text, &lets)) {
            module.hand_kept = Some(format!(
                "its declaration of `{}` (line {}) names a `let` of the file",
                entry.path.join("."),
                entry.line
            ));
            return Ok(module);
        }
    }
    carry_lets(&mut module, lets);
    carry_arguments_under_with(&mut module, &argument_names);
    Ok(module)
}

/// A module argument named inside `with` (`with pkgs; [ ... ] ++ lib.optionals
/// (currentSystemName == "vm") [ ... ]`) is the argument where the module takes it, since
/// lexical names win over `with`; written into a module that does not take it, the name
/// would come from the `with`'s set instead (or be unbound). Each definition naming one
/// there carries it (`let inherit currentSystemName; in ...`), so the regenerated module
/// takes it as its original did.
fn carry_arguments_under_with(module: &mut ModuleFile, arguments: &[String]) {
    fn carry(entry: &mut Entry, arguments: &[String]) {
        if let Value::Attrs(children) = &mut entry.value {
            for child in children {
                carry(child, arguments);
            }
            return;
        }
        let under_with = crate::nix::names_under_with(&entry.text);
        let named: Vec<&str> = arguments
            .iter()
            .filter(|name| !matches!(name.as_str(), "config" | "lib" | "pkgs"))
            .filter(|name| under_with.contains(*name))
            .map(String::as_str)
            .collect();
        if named.is_empty() {
            return;
        }
        let text = format!("let inherit {}; in {}", named.join(" "), entry.text);
        entry.value = Value::Raw {
            text: text.clone(),
            reason: "it names an argument of its module inside `with`",
        };
        entry.text = text;
    }
    for entry in module
        .definitions
        .iter_mut()
        .chain(module.guarded_definitions.iter_mut())
    {
        carry(entry, arguments);
    }
}

/// Whether `text` names one of the names `lets` bind. Every identifier counts, whatever
/// scope it is in (names inside `with` cannot be told apart without evaluating): a
/// definition carrying a `let` it does not need still evaluates the same.
fn names_any(text: &str, lets: &[LetBinding]) -> bool {
    let identifiers = identifiers(text);
    lets.iter()
        .any(|binding| binding.names.iter().any(|name| identifiers.contains(name)))
}

fn identifiers(text: &str) -> std::collections::BTreeSet<String> {
    rnix::Root::parse(text)
        .syntax()
        .descendants_with_tokens()
        .filter_map(|element| element.into_token())
        .filter(|token| token.kind() == rnix::SyntaxKind::TOKEN_IDENT)
        .map(|token| token.text().to_owned())
        .collect()
}

/// Each definition naming a binding of the module's `let` becomes raw Nix that carries
/// the bindings it needs (`let user = "alice"; in "/home/${user}"`), so it evaluates as it
/// did where it was; the definitions that name none stay as they are, to be typed. A
/// binding no definition needs is reported, not silently left out.
fn carry_lets(module: &mut ModuleFile, lets: Vec<LetBinding>) {
    if lets.is_empty() {
        return;
    }
    let mut used = vec![false; lets.len()];
    for entry in module
        .definitions
        .iter_mut()
        .chain(module.guarded_definitions.iter_mut())
    {
        carry_into(entry, &lets, &mut used);
    }
    for (binding, used) in lets.iter().zip(used) {
        if !used {
            module.notes.push((
                binding.line,
                format!(
                    "its `let` binding of `{}` is named by no definition, so the regenerated module leaves it out",
                    binding.names.join("`, `")
                ),
            ));
        }
    }
    module.lets = lets;
}

fn carry_into(entry: &mut Entry, lets: &[LetBinding], used: &mut [bool]) {
    if let Value::Attrs(children) = &mut entry.value {
        for child in children {
            carry_into(child, lets, used);
        }
        return;
    }
    let needed = needed_lets(&entry.text, lets);
    if !needed.contains(&true) {
        return;
    }
    for (used, needed) in used.iter_mut().zip(&needed) {
        *used |= needed;
    }
    entry.value = Value::Raw {
        text: with_lets(&entry.text, lets, &needed),
        reason: "it names a `let` of its file",
    };
}

/// Which of `lets` `text` needs: those it names, and those they name in turn.
fn needed_lets(text: &str, lets: &[LetBinding]) -> Vec<bool> {
    let mut needed = vec![false; lets.len()];
    let mut names = identifiers(text);
    loop {
        let mut grew = false;
        for (i, binding) in lets.iter().enumerate() {
            if !needed[i] && binding.names.iter().any(|n| names.contains(n)) {
                needed[i] = true;
                names.extend(identifiers(&binding.text));
                grew = true;
            }
        }
        if !grew {
            return needed;
        }
    }
}

/// `text` inside a `let` of the `needed` bindings, in the file's order; `text` itself
/// when it needs none.
fn with_lets(text: &str, lets: &[LetBinding], needed: &[bool]) -> String {
    if !needed.contains(&true) {
        return text.to_owned();
    }
    let bindings: Vec<&str> = lets
        .iter()
        .zip(needed)
        .filter(|(_, needed)| **needed)
        .map(|(binding, _)| binding.text.trim_end_matches(';'))
        .collect();
    let one_line = format!("let {}; in ", bindings.join("; "));
    if one_line.len() <= 80 && !one_line.contains('\n') {
        return one_line + text;
    }
    let mut out = String::from("let\n");
    for binding in bindings {
        out.push_str("  ");
        out.push_str(binding);
        out.push_str(";\n");
    }
    out.push_str("in\n");
    out.push_str(text);
    out
}

/// The Nix text of a top-level definition as it evaluates where it was written: its
/// value, with the `let` bindings of the file it needs.
pub fn definition_text(module: &ModuleFile, entry: &Entry) -> String {
    with_lets_needed(&entry.text, &module.lets)
}

/// `text` inside a `let` of the file's bindings it needs.
pub fn with_lets_needed(text: &str, module_lets: &[LetBinding]) -> String {
    with_lets(text, module_lets, &needed_lets(text, module_lets))
}

impl ModuleFile {
    /// `text` inside a `let` of the bindings of the file's `let` it needs.
    pub fn in_lets(&self, text: &str) -> String {
        with_lets_needed(text, &self.lets)
    }

    /// [`ModuleFile::in_lets`] in parentheses when it adds a `let`, for a place that
    /// takes a list item or an operand.
    pub fn in_lets_parenthesised(&self, text: &str) -> String {
        let bound = self.in_lets(text);
        if bound == text {
            bound
        } else {
            format!("({bound})")
        }
    }
}

/// The first relative path literal a definition names, directly or through the `let`
/// bindings it needs, with its line in the file.
fn relative_path_of(module: &ModuleFile, entry: &Entry) -> Option<(usize, String)> {
    relative_path_in(entry, &module.lets)
}

fn relative_path_in(entry: &Entry, lets: &[LetBinding]) -> Option<(usize, String)> {
    let (fixed, dynamic) = crate::carry::relative_paths(&entry.text);
    if let Some(literal) = fixed.into_iter().chain(dynamic).next() {
        return Some((entry.line + literal.line - 1, literal.text));
    }
    let needed = needed_lets(&entry.text, lets);
    lets.iter()
        .zip(needed)
        .filter(|(_, needed)| *needed)
        .find_map(|(binding, _)| {
            // A binding alone does not parse; in a set (on its first line) it does.
            let (fixed, dynamic) = crate::carry::relative_paths(&format!("{{ {} }}", binding.text));
            let literal = fixed.into_iter().chain(dynamic).next()?;
            Some((binding.line + literal.line - 1, literal.text))
        })
}

/// Takes out of the module's plain definitions those that name files by relative path
/// (`sopsFile = ../secrets.yaml;`), with their whole paths: these evaluate as written
/// only from the file's own directory, so the importer keeps them in a file there,
/// beside what they name, and types the rest. Each is taken at the deepest attribute
/// set that holds it (`home-manager.users.me.imports`, not all of `home-manager`).
pub fn take_path_definitions(module: &mut ModuleFile) -> Vec<Entry> {
    let mut taken = Vec::new();
    let definitions = std::mem::take(&mut module.definitions);
    for entry in definitions {
        if let Some(rest) = take_paths(entry, &[], &module.lets, &mut taken) {
            module.definitions.push(rest);
        }
    }
    taken
}

/// `entry` without what it names by relative path (pushed onto `taken`); `None` when
/// nothing is left.
fn take_paths(
    mut entry: Entry,
    prefix: &[String],
    lets: &[LetBinding],
    taken: &mut Vec<Entry>,
) -> Option<Entry> {
    if relative_path_in(&entry, lets).is_none() {
        return Some(entry);
    }
    let mut path = prefix.to_vec();
    path.extend(entry.path.iter().cloned());
    if let Value::Attrs(children) = &mut entry.value {
        let before = taken.len();
        let rest: Vec<Entry> = std::mem::take(children)
            .into_iter()
            .filter_map(|child| take_paths(child, &path, lets, taken))
            .collect();
        if taken.len() > before {
            if rest.is_empty() {
                return None;
            }
            // The set's text is what is left of it, for whatever reads it whole.
            let items: Vec<String> = rest
                .iter()
                .map(|child| {
                    let name: Vec<String> = child
                        .path
                        .iter()
                        .map(|segment| crate::nix::quote_attr_name(segment))
                        .collect();
                    format!("{} = {};", name.join("."), child.text.trim_end())
                })
                .collect();
            entry.text = format!("{{ {} }}", items.join(" "));
            *children = rest;
            return Some(entry);
        }
        // Nothing below names it on its own (an `inherit`, say): the set goes whole.
        *children = rest;
    }
    entry.path = path;
    taken.push(entry);
    None
}

/// Why a module (not a host's own file) must be kept as it is because a definition
/// names a file by relative path (`import ../../pkgs`, `./secrets.yaml`): the path
/// leads there only from where the file is, and a typed module is written elsewhere;
/// kept, the build carries what it names. (`home-manager.users.<name> = import ./x.nix`
/// is how the importer finds users, not a path it writes.)
pub fn names_relative_path(module: &ModuleFile) -> Option<String> {
    let (entry, (line, literal)) = module
        .guarded_definitions
        .iter()
        .chain(&module.options)
        .find_map(|entry| Some((entry, relative_path_of(module, entry)?)))?;
    Some(format!(
        "its definition of `{}` (line {line}) names `{literal}` by relative path, which leads there only from where the file is",
        entry.path.join("."),
    ))
}

/// `config.x = v` as `x = v`: in a module, `config` holds the definitions.
fn without_config(mut entry: Entry) -> Entry {
    if entry.path.len() > 1 && entry.path[0] == "config" {
        entry.path.remove(0);
    }
    entry
}

/// The value expression of the top-level entry with `path`.
fn expr_at(set: &ast::AttrSet, path: &[String]) -> Option<ast::Expr> {
    set.attrpath_values()
        .find(|e| {
            e.attrpath()
                .as_ref()
                .and_then(super::syntax::attrpath)
                .as_deref()
                == Some(path)
        })?
        .value()
}

/// `config = { ... }` or `config = lib.mkIf cfg.enable { ... }`: whether guarded, and the
/// entries inside.
fn config_body(source: &Source, set: &ast::AttrSet, entry: &Entry) -> Option<(bool, Vec<Entry>)> {
    match unparen(expr_at(set, &entry.path)?) {
        ast::Expr::AttrSet(inner) => Some((false, entries(source, &inner).ok()?)),
        ast::Expr::Apply(apply) => {
            let ast::Expr::Apply(head) = unparen(apply.lambda()?) else {
                return None;
            };
            let function = dotted(&head.lambda()?)?;
            let condition = dotted(&unparen(head.argument()?))?;
            let is_mk_if = matches!(
                function
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .as_slice(),
                ["lib", "mkIf"] | ["mkIf"]
            );
            if !is_mk_if || condition != ["cfg", "enable"] {
                return None;
            }
            let ast::Expr::AttrSet(inner) = unparen(apply.argument()?) else {
                return None;
            };
            Some((true, entries(source, &inner).ok()?))
        }
        _ => None,
    }
}

/// `path` (a select from a name `outputs` binds, such as `self.outputs` or
/// `nixpkgs.lib`) as the generated flake's `outputs` can write it, where only `inputs`,
/// `self`, `nixpkgs` and `home-manager` are bound; `None` for a path from anything else.
fn in_flake_scope(path: &[String], inputs_named: &[String]) -> Option<String> {
    let (head, rest) = path.split_first()?;
    let head = match head.as_str() {
        "inputs" | "nixpkgs" | "home-manager" => head.clone(),
        "self" => "inputs.self".to_owned(),
        other if inputs_named.iter().any(|i| i == other) => format!("inputs.{other}"),
        _ => return None,
    };
    Some(
        std::iter::once(head)
            .chain(rest.iter().map(|part| crate::nix::quote_attr_name(part)))
            .collect::<Vec<_>>()
            .join("."),
    )
}
