//! The imported configuration as the files of a crate: `config/mod.rs` (the flake),
//! `config/hosts/<host>.rs` (one expression each, as `flakesmith new` writes them),
//! `config/modules.rs`, `config/home.rs`, the copied Nix files, and `IMPORT.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::convert::{rust_string, Call};
use super::report::Report;
use super::{FlakeOut, ModuleRef};
use crate::releases::Line;
use crate::scaffold::{self, Dependency};

/// The Rust function name for an entity's name (`nixos-desk` → `nixos_desk`), named as
/// the bindings name option items.
pub fn function_name(name: &str) -> String {
    crate::bindgen::naming::value_name(name)
}

/// Every file of the crate, by relative path.
pub fn crate_files(
    flake: &FlakeOut,
    report: &Report,
    crate_name: &str,
    dependency: &Dependency,
    lines: (&'static Line, &'static Line),
) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    files.insert("config/mod.rs".into(), config_mod(flake));
    files.insert("config/modules.rs".into(), modules_rs(flake));
    files.insert("config/home.rs".into(), home_rs(flake));
    for host in &flake.hosts {
        files.insert(
            format!("config/hosts/{}.rs", host.name),
            host_rs(host, &flake.modules),
        );
    }
    let bindings = scaffold::bindings_used(files.values().map(String::as_str));
    files.extend(scaffold::crate_skeleton(
        crate_name, dependency, &bindings, lines,
    ));
    for (path, text) in &flake.copied {
        files.insert(path.clone(), text.clone());
    }
    files.insert(
        "IMPORT.md".into(),
        format!(
            "# What `flakesmith import` made of the flake\n\nEvery definition the importer could \
             type is a typed call; the others are `Raw::nix` with the exact Nix text, next to a \
             `// TODO(import)` comment that says why. Give them a type where you can.\n\n{}",
            report.render()
        ),
    );
    files
}

fn config_mod(flake: &FlakeOut) -> String {
    let mut out = String::from(
        "//! The fleet, imported by `flakesmith import`. Each host is a file of its own under\n\
         //! `hosts/`; `IMPORT.md` says what was typed and what stays raw Nix.\n\n\
         pub mod home;\npub mod modules;\n\nuse flakesmith::prelude::*;\n\n\
         /// The whole configuration.\npub fn flake() -> Flake {\n",
    );
    let _ = writeln!(
        out,
        "    Flake::new({}, {})",
        rust_string(&flake.description),
        rust_string(&flake.release)
    );
    // Home Manager is pinned only where the original has it as an input: a pinned one
    // is always written, an unpinned one only where something uses it.
    match (&flake.nixpkgs, &flake.home_manager) {
        (Some(nixpkgs), Some(home_manager)) => {
            let _ = writeln!(
                out,
                "        .inputs({}, {})",
                rust_string(nixpkgs),
                rust_string(home_manager)
            );
        }
        (Some(nixpkgs), None) => {
            let _ = writeln!(out, "        .nixpkgs({})", rust_string(nixpkgs));
        }
        (None, Some(home_manager)) => {
            let _ = writeln!(out, "        .home_manager({})", rust_string(home_manager));
        }
        (None, None) => {}
    }
    out.push_str("        .regenerate_with(\"cargo run\")\n");
    for input in &flake.inputs {
        let _ = write!(
            out,
            "        .input(Input::url({}, {})",
            rust_string(&input.name),
            rust_string(&input.url)
        );
        for (own, ours) in &input.follows {
            let _ = write!(out, ".follows({}, {})", rust_string(own), rust_string(ours));
        }
        if !input.flake {
            out.push_str(".not_a_flake()");
        }
        out.push_str(")\n");
    }
    if let Some(path) = &flake.extra_outputs {
        let _ = writeln!(
            out,
            "        .extra_outputs(NixSource::nix_file({}))",
            rust_string(path)
        );
    }
    for host in &flake.hosts {
        let _ = writeln!(out, "        .host(include!(\"hosts/{}.rs\"))", host.name);
    }
    out.push_str("}\n");
    out
}

/// The `use` lines for the bindings `code` names (`nixos::...`, `hm::...`).
fn binding_uses(code: &str, indent: &str) -> String {
    let mut out = String::new();
    if code.contains("nixos::") {
        let _ = writeln!(out, "{indent}use flakesmith_nixos as nixos;");
    }
    if code.contains("hm::") {
        let _ = writeln!(out, "{indent}use flakesmith_home as hm;");
    }
    out
}

fn modules_rs(flake: &FlakeOut) -> String {
    let mut out = String::from(
        "//! The flake's shared modules, one function each.\n\n#![allow(dead_code)]\n",
    );
    if !flake.modules.is_empty() {
        out.push_str("\nuse flakesmith::prelude::*;\n");
    }
    for module in &flake.modules {
        out.push('\n');
        if let Some(derived) = &module.derived {
            derived_module(&mut out, module, derived);
            continue;
        }
        match &module.hand_kept {
            Some(path) => {
                let _ = writeln!(
                    out,
                    "/// From `{}`, kept as a hand-kept Nix file (see IMPORT.md for why).\npub fn {}() -> Module {{\n    Module::nix_file(Category::{}, {}, {})",
                    module.file,
                    module.function,
                    module.category,
                    rust_string(&module.name),
                    rust_string(path)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "/// From `{}`.\npub fn {}() -> Module {{\n    Module::new(Category::{}, {})",
                    module.file,
                    module.function,
                    module.category,
                    rust_string(&module.name)
                );
            }
        }
        allow_plaintext_secrets(&mut out, &module.calls, "        ");
        for import in &module.imports {
            let _ = writeln!(out, "        .import({})", module_ref(import, ""));
        }
        if let Some(beside) = &module.beside {
            let _ = writeln!(out, "        .beside({})", module_ref(beside, ""));
        }
        write_calls(&mut out, &module.calls, "        ");
        out.push_str("}\n");
    }
    let mut uses = binding_uses(&out, "");
    match (
        flake.modules.iter().any(|m| m.derived.is_some()),
        out.contains("NixValue)]"),
    ) {
        (true, true) => uses.push_str("use flakesmith::{NixModule, NixValue};\n"),
        (true, false) => uses.push_str("use flakesmith::NixModule;\n"),
        _ => {}
    }
    out.replacen(
        "use flakesmith::prelude::*;\n",
        &format!("use flakesmith::prelude::*;\n{uses}"),
        1,
    )
}

/// A module that declares options: the derived struct, its `config`, and a function
/// that returns the module for other modules to import.
fn derived_module(out: &mut String, module: &super::ModuleOut, derived: &super::derive::Derived) {
    out.push_str(&derived.struct_text(&module.file, module.category, &module.name));
    let mut body = String::new();
    allow_plaintext_secrets(&mut body, &module.calls, "            ");
    for import in &module.imports {
        let _ = writeln!(body, "            .import({})", module_ref(import, ""));
    }
    if let Some(beside) = &module.beside {
        let _ = writeln!(body, "            .beside({})", module_ref(beside, ""));
    }
    write_calls(&mut body, &module.calls, "            ");
    let cfg = if body.contains("cfg.") { "cfg" } else { "_cfg" };
    let _ = write!(
        out,
        "\nimpl ModuleConfig for {name} {{\n    fn config({cfg}: {name}Cfg, module: Module) -> Module {{\n        module\n{body}    }}\n}}\n\n/// The module `{name}` declares, for modules that import it.\npub fn {function}() -> Module {{\n    {name}::module()\n}}\n",
        name = derived.struct_name,
        function = module.function,
    );
}

fn home_rs(flake: &FlakeOut) -> String {
    let mut out = String::from(
        "//! The flake's Home Manager users, one function each.\n\n#![allow(dead_code, unused_imports)]\n\nuse flakesmith::prelude::*;\n\nuse super::modules;\n",
    );
    for user in &flake.users {
        let _ = writeln!(
            out,
            "\n/// From `{}`.\npub fn {}() -> User {{\n    User::new({}, {})",
            user.file,
            user.function,
            rust_string(&user.name),
            rust_string(&user.state_version)
        );
        if let Some(path) = &user.hand_kept {
            let _ = writeln!(
                out,
                "        // Kept as a hand-kept Nix file (see IMPORT.md for why).\n        .import(Module::nix_file(Category::Home, {}, {}))",
                rust_string(&format!("{}-home", user.name)),
                rust_string(path)
            );
        }
        allow_plaintext_secrets(&mut out, &user.calls, "        ");
        for import in &user.imports {
            let _ = writeln!(out, "        .import({})", module_ref(import, "modules::"));
        }
        write_calls(&mut out, &user.calls, "        ");
        out.push_str("}\n");
    }
    let uses = binding_uses(&out, "");
    out.replacen(
        "use flakesmith::prelude::*;\n",
        &format!("use flakesmith::prelude::*;\n{uses}"),
        1,
    )
}

fn host_rs(host: &super::HostOut, modules: &[super::ModuleOut]) -> String {
    let mut out = format!(
        "// Host `{}`: one expression, included by `config/mod.rs`.\n{{\n    use flakesmith::prelude::*;\n\n    Host::new({}, {}, {})\n",
        host.name,
        rust_string(&host.name),
        system(&host.system),
        rust_string(&host.state_version)
    );
    // The flake never had flakesmith's `networking.hostName` default.
    out.push_str("        .keep_host_name()\n");
    if host.state_version_default {
        out.push_str("        .state_version_as_default()\n");
    }
    let additions: Vec<super::convert::Call> = host
        .users
        .iter()
        .flat_map(|(_, calls)| calls.iter().cloned())
        .chain(host.calls.iter().cloned())
        .collect();
    allow_plaintext_secrets(&mut out, &additions, "        ");
    for (name, value) in &host.special_args {
        let value = match value {
            super::read::SpecialValue::Literal(super::syntax::Value::Str(text)) => {
                rust_string(text)
            }
            super::read::SpecialValue::Literal(super::syntax::Value::Bool(on)) => on.to_string(),
            super::read::SpecialValue::Literal(super::syntax::Value::Int(n)) => format!("{n}i64"),
            super::read::SpecialValue::Literal(_) => unreachable!("only scalars are literals"),
            super::read::SpecialValue::Nix(text) => format!("Raw::nix({})", rust_string(text)),
            super::read::SpecialValue::LibAdditions(text) => {
                let _ = writeln!(
                    out,
                    "        .lib_additions(Raw::nix({}))",
                    rust_string(text)
                );
                continue;
            }
        };
        let _ = writeln!(out, "        .special_arg({}, {value})", rust_string(name));
    }
    if let Some((path, its_lib)) = &host.package_set {
        let lib = if *its_lib { ".with_its_lib()" } else { "" };
        let _ = writeln!(
            out,
            "        .package_set(PackageSet::nix_file({}){lib})",
            rust_string(path)
        );
    }
    match &host.hardware {
        Some(path) => {
            let _ = writeln!(out, "        .hardware(Hardware::nix_file({}))", rust_string(path));
        }
        None => out.push_str(
            "        // The flake has no hardware configuration file for this host.\n        .hardware(Hardware::nix_text(\"{ }\"))\n",
        ),
    }
    let derived = |function: &str| {
        modules
            .iter()
            .find(|m| m.function == function)
            .and_then(|m| m.derived.as_ref())
    };
    let mut settled = Vec::new();
    for (position, import) in host.imports.iter().enumerate() {
        if host.definitions_after == Some(position) {
            out.push_str("        .own_definitions_here()\n");
        }
        let nested = host.nested.get(&position).copied();
        match (import, nested) {
            (ModuleRef::Own(function), _) if derived(function).is_some() => {
                let module = derived(function).expect("checked");
                if let Some(levels) = nested {
                    // Imported where it stood first; `enable` then finds it imported.
                    let _ = writeln!(
                        out,
                        "        .import_nested(modules::{}::module(), {levels})",
                        module.struct_name
                    );
                }
                out.push_str(&derived_import(module, host.settings.get(function)));
                settled.push(function.clone());
            }
            (other, Some(levels)) => {
                let _ = writeln!(
                    out,
                    "        .import_nested({}, {levels})",
                    module_ref(other, "modules::")
                );
            }
            (other, None) => {
                let _ = writeln!(out, "        .import({})", module_ref(other, "modules::"));
            }
        }
    }
    if host.definitions_after == Some(host.imports.len()) {
        out.push_str("        .own_definitions_here()\n");
    }
    // Modules the host sets but imports through another module.
    for (function, settings) in &host.settings {
        if let (false, Some(module)) = (settled.contains(function), derived(function)) {
            out.push_str(&derived_import(module, Some(settings)));
        }
    }
    write_calls(&mut out, &host.calls, "        ");
    for (user, additions) in &host.users {
        if additions.is_empty() {
            let _ = writeln!(out, "        .user(home::{user}())");
        } else {
            let _ = writeln!(out, "        .user_with(\n            home::{user}(),\n            flakesmith::HomeAdditions::new()");
            write_calls(&mut out, additions, "                ");
            out.push_str("        )\n");
        }
    }
    out.push_str("}\n");
    let uses = binding_uses(&out, "    ");
    out.replacen(
        "    use flakesmith::prelude::*;\n",
        &format!("    use flakesmith::prelude::*;\n{uses}"),
        1,
    )
}

/// How a host imports a derived module: enabled with every field (its own value or the
/// declared default), disabled, or only imported.
fn derived_import(module: &super::derive::Derived, settings: Option<&super::Settings>) -> String {
    let name = &module.struct_name;
    match settings.and_then(|s| s.enable) {
        Some(true) => {
            let settings = settings.expect("enabled");
            let mut out = format!("        .enable(modules::{name} {{\n");
            for field in &module.fields {
                let value = settings.fields.get(&field.rust).cloned().or_else(|| {
                    let enum_name = field.enum_name.as_ref().map(|e| format!("modules::{e}"));
                    field
                        .ty
                        .literal(field.default.as_ref()?, enum_name.as_deref(), true)
                });
                let value =
                    value.expect("a field without a default is set by every host that enables it");
                let _ = writeln!(out, "            {}: {value},", field.rust);
            }
            out.push_str("        })\n");
            out
        }
        Some(false) => format!("        .disable::<modules::{name}>()\n"),
        None => format!("        .import(modules::{name}::module())\n"),
    }
}

/// `prefix`: how the file reaches `config/modules.rs` (`modules::`, or nothing inside it).
fn module_ref(import: &ModuleRef, prefix: &str) -> String {
    match import {
        ModuleRef::Own(function) => format!("{prefix}{function}()"),
        ModuleRef::Input { input, attribute } => format!(
            "Module::from_input({}, {})",
            rust_string(input),
            rust_string(attribute)
        ),
    }
}

fn write_calls(out: &mut String, calls: &[Call], indent: &str) {
    for call in calls {
        for comment in &call.comments {
            for line in comment.lines() {
                let line = line
                    .trim_start_matches('#')
                    .trim_start_matches("/*")
                    .trim_end_matches("*/")
                    .trim();
                let _ = writeln!(out, "{indent}// {line}");
            }
        }
        if let Some(reason) = &call.raw {
            let _ = writeln!(out, "{indent}// TODO(import): {reason} ({})", call.source);
        }
        let _ = writeln!(out, "{indent}{}", call.code);
    }
}

fn system(double: &str) -> String {
    match double {
        "x86_64-linux" => "System::X86_64Linux".into(),
        "aarch64-linux" => "System::Aarch64Linux".into(),
        "i686-linux" => "System::I686Linux".into(),
        "riscv64-linux" => "System::Riscv64Linux".into(),
        other => format!("System::Other({}.into())", rust_string(other)),
    }
}

/// `.allow(Lint::PlaintextSecret)` where the original defines a plaintext secret, which
/// flakesmith rejects unless allowed (the report says so, to move it to a secret manager).
fn allow_plaintext_secrets(out: &mut String, calls: &[super::convert::Call], indent: &str) {
    if calls.iter().any(|call| call.plaintext_secret) {
        let _ = writeln!(
            out,
            "{indent}// A plaintext secret, as in the original (see IMPORT.md).\n{indent}.allow(Lint::PlaintextSecret)"
        );
    }
}
