//! Generating Rust bindings from options.json.
//!
//! One item per option, in modules that follow the option path:
//! `programs.git.userName` becomes `programs::git::user_name: Opt<NullOr<String>>`.
//! Options under a `<name>` placeholder are reached through a function named after the
//! collection (`users::users::user("alice").is_normal_user()`). Every item carries
//! rustdoc: the description (Markdown, with nixpkgs' `{option}`-style roles turned into
//! code spans), the Nix type, the default, the example and the declaring file.
//!
//! The output is split into files: each top-level namespace and each namespace below it
//! is its own file, so no file grows large enough to slow an IDE down.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::docs::write_doc;
use super::index::{item_path, Binding, Index};
use super::json::OptionDoc;
use super::naming::{entry_function_name, module_name, pascal_case, value_name, Names};
use super::option_tree::Node;
use super::renames::Rename;
use super::rust_types::{pattern_of, rust_shaped, TypeDefs, Typed};
use super::types::parse_type;

/// What to generate.
#[derive(Clone, Debug, Default)]
pub struct GenerateConfig {
    /// Only options under these dotted prefixes (all when empty): generate only what a
    /// configuration uses, and compile only that.
    pub namespaces: Vec<String>,
    /// A line for the top of every file, saying where the options came from.
    pub source: String,
    /// A link to each option's entry on a public option search, `{name}` standing for
    /// the option's dotted name (the NixOS data's descriptions are shortened; the link
    /// leads to the whole text).
    pub search_url: Option<String>,
    /// Generate a bindings crate's `src/`: the root is `lib.rs` (crate documentation from
    /// the crate's `README.md`, no source pages in rustdoc), and each top-level namespace
    /// is behind a Cargo feature of its name (the entries of a namespace with very many,
    /// such as NixOS's `services`, behind a feature per first letter), so that a
    /// configuration compiles only what it uses; rustc names the feature of a namespace
    /// that is not turned on. The features are listed in [`Generated::features`] for the
    /// crate's `Cargo.toml`.
    pub features: bool,
    /// Options of the previous release line that this one calls by another name
    /// ([`renames`](super::renames())): each gets a `Renamed` handle at its old path,
    /// deprecated with the new name, through which nothing can be set.
    pub renamed: Vec<Rename>,
}

/// Options NixOS sets itself, for data that does not say which options are read-only
/// (the NixOS manual's HTML does not): reviewed against nixpkgs' declarations
/// (`readOnly = true`), and `system.build.*`, the outputs NixOS's modules compute.
const KNOWN_READ_ONLY: &[&str] = &[
    "system.nixos.release",
    "system.nixos.codeName",
    "networking.fqdn",
    "networking.fqdnOrHostName",
];

fn known_read_only(name: &str) -> bool {
    KNOWN_READ_ONLY.contains(&name) || name.starts_with("system.build.")
}

/// The generated files, by path relative to the output directory (`mod.rs` is the root).
#[derive(Debug, Default)]
pub struct Generated {
    pub files: BTreeMap<String, String>,
    /// Options selected for generation.
    pub generated: usize,
    /// The options a configuration can set one by one through a binding whose Rust
    /// type rejects a wrong value (at compile time, or at build time with the Rust
    /// location): what the report counts as checked.
    pub checked: BTreeSet<String>,
    /// Where each option's binding is, for `flakesmith import`.
    pub index: Index,
    /// With [`GenerateConfig::features`]: each Cargo feature and the features it turns
    /// on (a letter of a large namespace turns on the namespace).
    pub features: BTreeMap<String, Vec<String>>,
}

/// No generated file is larger than this: a namespace whose file would be gets a
/// directory, with a file per namespace below it.
pub const MAX_FILE_BYTES: usize = 1_000_000;

/// A namespace with more entries than this has a feature per first letter of its
/// entries rather than one feature (NixOS's `services` has over a thousand; one feature
/// each would pass crates.io's limit of 300 features per crate).
const LETTER_FEATURES_ABOVE: usize = 400;

/// The Cargo feature that gates the namespace `module` (`power_management` →
/// `power-management`; `_module`, the module system's own, → `module`: a feature name
/// starts with a letter or digit).
pub fn feature_name(module: &str) -> String {
    module
        .trim_start_matches("r#")
        .trim_start_matches('_')
        .replace('_', "-")
}

pub fn generate(options: &[OptionDoc], config: &GenerateConfig) -> Generated {
    let options: Vec<OptionDoc> = options
        .iter()
        .map(|option| {
            let mut option = option.clone();
            option.read_only |= known_read_only(&option.name());
            if let Some(url) = &config.search_url {
                // `<name>` in a URL: percent-encoded, or the Markdown escaping of angle
                // brackets would break the link.
                let name = option.name().replace('<', "%3C").replace('>', "%3E");
                let link = url.replace("{name}", &name);
                option.description = format!(
                    "{}\n\n[The whole description, on the option search.]({link})",
                    option.description.trim_end()
                );
            }
            option
        })
        .collect();
    let mut root = Node::default();
    let mut out = Generated::default();
    for option in &options {
        let name = option.name();
        let selected = config.namespaces.is_empty()
            || config
                .namespaces
                .iter()
                .any(|ns| name == *ns || name.starts_with(&format!("{ns}.")));
        if !selected {
            continue;
        }
        // Options below `*` (entries of lists of submodules) are in the tree too: they
        // become the setters of the list's value struct.
        let mut node = &mut root;
        for segment in &option.loc {
            node = node.children.entry(segment.clone()).or_default();
        }
        node.option = Some(option);
        out.generated += 1;
    }
    for rename in &config.renamed {
        let mut node = &mut root;
        for segment in &rename.from {
            node = node.children.entry(segment.clone()).or_default();
        }
        // An old name the new line still declares is not renamed.
        if node.option.is_none() && node.children.is_empty() {
            node.renamed_to = Some(&rename.to);
        }
    }
    let mut root_text = if config.features {
        // Included by `lib.rs`: no inner attributes or inner doc comments here.
        let mut text = header(config).replace("//!", "//");
        text.push_str(FILE_IMPORTS);
        text
    } else {
        let mut text = header(config);
        text.push_str(FILE_ATTRIBUTES);
        text.push_str(FILE_IMPORTS);
        text
    };
    // Options at the top level (`uninstall`, `lib`) are items of the root module.
    let at = Place {
        module: "",
        depth: 0,
    };
    write_items(
        &root,
        &[],
        &mut root_text,
        at,
        &mut out.checked,
        &mut out.index,
    );
    // Every top-level name is a module, an option's own too (its entry function, if any).
    for (segment, child) in &root.children {
        let path = std::slice::from_ref(segment);
        let gate = config.features.then(|| {
            let feature = feature_name(&module_name(segment));
            out.features.insert(feature.clone(), Vec::new());
            feature
        });
        write_module_file(
            segment,
            child,
            path,
            ("", ""),
            &mut root_text,
            (config, gate.as_deref()),
            &mut out,
        );
    }
    if config.features {
        out.files.insert("root.rs".to_owned(), root_text);
        let mut lib = header(config);
        lib.push_str(CRATE_ROOT);
        out.files.insert("lib.rs".to_owned(), lib);
    } else {
        out.files.insert("mod.rs".to_owned(), root_text);
    }
    name_new_handles(&mut out);
    out
}

/// A renamed option's note names the new option's handle, known once every file is
/// written: [`write_renamed`] leaves a marker for it.
fn name_new_handles(out: &mut Generated) {
    for text in out.files.values_mut() {
        while let Some(start) = text.find(NEW_HANDLE_MARK) {
            let rest = &text[start + NEW_HANDLE_MARK.len()..];
            let end = rest.find('\u{1}').expect("a marker ends");
            let name = &rest[..end];
            let handle = out
                .index
                .options
                .get(name)
                .map_or_else(|| name.to_owned(), |b| b.handle.clone());
            text.replace_range(start..start + NEW_HANDLE_MARK.len() + end + 1, &handle);
        }
    }
}

const NEW_HANDLE_MARK: &str = "\u{1}new handle:";

/// The root of a bindings crate, `lib.rs`: its documentation is its README, rustdoc
/// writes no source pages (megabytes of generated Rust nobody reads as HTML), and the
/// root's items are included from `root.rs`. rustfmt formats a crate's root whatever it
/// says (an inner `rustfmt::skip` is unstable) but not what it includes, so `lib.rs` is
/// written as rustfmt would write it and the items stay as generated. Being items of
/// the root, a namespace that is off is reported with its feature's name.
const CRATE_ROOT: &str = concat!(
    "#![doc = include_str!(\"../README.md\")]\n",
    "#![doc(html_no_source)]\n",
    "#![allow(non_upper_case_globals, unused_imports, clippy::all)]\n",
    "#![allow(\n    rustdoc::bare_urls,\n    rustdoc::broken_intra_doc_links,\n    rustdoc::invalid_html_tags\n)]\n\n",
    "include!(\"root.rs\");\n",
);

fn header(config: &GenerateConfig) -> String {
    // `@generated` on the first line: what review tools, linguist and (with
    // `format_generated_files = false`) rustfmt look for.
    format!("//! @generated by `flakesmith options generate`. Do not edit: regenerate instead.\n//! {}\n\n", config.source)
}

/// The attributes and imports at the top of every generated file.
const FILE_ATTRIBUTES: &str = concat!(
    // Generated items, documented with upstream prose: clippy's style lints (doc list
    // indentation, long first paragraphs) are about hand-written code.
    "#![allow(non_upper_case_globals, unused_imports, clippy::all)]\n",
    // Upstream descriptions are prose written for the NixOS manual, not for rustdoc.
    "#![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]\n\n",
);

/// The imports every generated file's items use.
const FILE_IMPORTS: &str = concat!(
    "use ::flakesmith::option::{Opt, OptionPath, ReadOnly};\n",
    "use ::flakesmith::value::{Anything, Atom, AtomOrList, Between, Concatenated, Data, Json, NullOr, OneOf, Package, Positive, RuntimePath, Systemd, Toml, Untyped};\n",
    "use std::collections::BTreeMap;\n\n",
);

/// Namespaces at depth one and two get files of their own; deeper ones are inline.
const FILE_DEPTH: usize = 2;

/// Writes the namespace `path` as a file of its own, declared in `parent` (behind the
/// Cargo feature `gate`, if any). Namespaces below it are files too near the root, or
/// when its file would pass [`MAX_FILE_BYTES`]; inline modules otherwise.
fn write_module_file(
    segment: &str,
    node: &Node,
    path: &[String],
    (dir, parent_module): (&str, &str),
    parent: &mut String,
    (config, gate): (&GenerateConfig, Option<&str>),
    out: &mut Generated,
) {
    let module = module_name(segment);
    if let Some(feature) = gate {
        let _ = writeln!(parent, "#[cfg(feature = {feature:?})]");
    }
    // rustfmt would reflow the generated layout and make regeneration look like a
    // change; the parent module says not to (an inner `#![rustfmt::skip]` is unstable).
    let _ = writeln!(parent, "#[rustfmt::skip]");
    if config.features && path.len() == 1 && module == "lib" {
        // The namespace `lib` of a crate's root would be read as the root, `lib.rs`.
        let _ = writeln!(parent, "#[path = \"lib/mod.rs\"]");
    }
    let _ = writeln!(parent, "pub mod {module};");
    let near_root = path.len() < FILE_DEPTH;
    let (file, text) = match module_text(
        node,
        path,
        (dir, parent_module),
        near_root,
        config,
        gate,
        out,
    ) {
        (file, text) if text.len() <= MAX_FILE_BYTES || near_root => (file, text),
        // Too large inline: the namespaces below get files. What the first attempt
        // recorded (checked options, the index) is recorded again the same way.
        _ => module_text(node, path, (dir, parent_module), true, config, gate, out),
    };
    out.files.insert(file, text);
}

/// The file of one namespace and its text, namespaces below it inline or as files.
fn module_text(
    node: &Node,
    path: &[String],
    (dir, parent_module): (&str, &str),
    has_file_children: bool,
    config: &GenerateConfig,
    gate: Option<&str>,
    out: &mut Generated,
) -> (String, String) {
    let module = module_name(path.last().map_or("", String::as_str));
    let own_dir = format!("{dir}{}/", module.trim_start_matches("r#"));
    let mut text = header(config);
    text.push_str(FILE_ATTRIBUTES);
    text.push_str(FILE_IMPORTS);
    let rust_module = item_path(parent_module, &module);
    // The entries of a very large namespace each sit behind the feature of their first
    // letter (only at the top level, where features are).
    let children: Vec<_> = submodules(node, path).collect();
    let by_letter = gate.filter(|_| path.len() == 1 && children.len() > LETTER_FEATURES_ABOVE);
    let at = Place {
        module: &rust_module,
        depth: 0,
    };
    write_items(node, path, &mut text, at, &mut out.checked, &mut out.index);
    let mut names = Names::default();
    for (child_segment, child, child_path) in children {
        if has_file_children {
            let child_gate = by_letter.map(|feature| {
                // `_3proxy` → `3`: the first letter or digit of the name.
                let letter = child_segment
                    .chars()
                    .find(char::is_ascii_alphanumeric)
                    .map_or('_', |c| c.to_ascii_lowercase());
                let letter_feature = format!("{feature}-{letter}");
                out.features
                    .insert(letter_feature.clone(), vec![feature.to_owned()]);
                letter_feature
            });
            write_module_file(
                child_segment,
                child,
                &child_path,
                (&own_dir, &rust_module),
                &mut text,
                (config, child_gate.as_deref()),
                out,
            );
        } else {
            let name = names.unique(module_name(child_segment));
            write_inline_module(
                &name,
                child,
                &child_path,
                &mut text,
                at,
                (&mut out.checked, &mut out.index),
            );
        }
    }
    let file = if has_file_children {
        format!("{own_dir}mod.rs")
    } else {
        format!("{dir}{}.rs", module.trim_start_matches("r#"))
    };
    (file, text)
}

/// The children of `node` that become modules (namespaces with options below them, not
/// leaf options and not `<name>` collections), with their paths.
fn submodules<'n, 'a>(
    node: &'n Node<'a>,
    path: &[String],
) -> impl Iterator<Item = (&'n String, &'n Node<'a>, Vec<String>)> {
    let path = path.to_vec();
    node.children
        .iter()
        .filter(|(segment, child)| {
            *segment != "<name>"
                && *segment != "*"
                && (child.has_named_children()
                    || (child.option.is_none() && child.renamed_to.is_none()))
        })
        .map(move |(segment, child)| {
            (
                segment,
                child,
                path.iter().cloned().chain([segment.clone()]).collect(),
            )
        })
}

/// Where items are written: the Rust module (below the bindings' root) and the depth of
/// inline modules within its file.
#[derive(Clone, Copy)]
struct Place<'m> {
    module: &'m str,
    depth: usize,
}

fn write_inline_module(
    name: &str,
    node: &Node,
    path: &[String],
    out: &mut String,
    parent: Place,
    (checked, index): (&mut BTreeSet<String>, &mut Index),
) {
    let pad = "    ".repeat(parent.depth);
    let _ = writeln!(out, "{pad}pub mod {name} {{\n{pad}    use super::*;\n");
    let rust_module = item_path(parent.module, name);
    let at = Place {
        module: &rust_module,
        depth: parent.depth + 1,
    };
    write_items(node, path, out, at, checked, index);
    let mut names = Names::default();
    for (child_segment, child, child_path) in submodules(node, path) {
        write_inline_module(
            &names.unique(module_name(child_segment)),
            child,
            &child_path,
            out,
            at,
            (&mut *checked, &mut *index),
        );
    }
    let _ = writeln!(out, "{pad}}}\n");
}

/// The constants of a module: one per leaf option child, plus an entry function when
/// the module is a `<name>` collection.
fn write_items(
    node: &Node,
    path: &[String],
    out: &mut String,
    at: Place,
    checked: &mut BTreeSet<String>,
    index: &mut Index,
) {
    let pad = "    ".repeat(at.depth);
    let mut entries = Entries {
        module: at.module,
        bindings: Vec::new(),
    };
    let mut names = Names::default();
    let mut defs = TypeDefs::new(&pad);
    for (segment, child) in &node.children {
        if let Some(to) = child.renamed_to {
            let name = names.unique(value_name(segment));
            write_renamed(&name, &path_with(path, segment), to, out, &pad);
            continue;
        }
        let Some(option) = child.option else { continue };
        let name = names.unique(value_name(segment));
        let typed = defs.option_type(option, child);
        if typed.checked && !option.read_only {
            defs.checked.insert(option.name());
        }
        entries.record(option, item_path(at.module, &name), &typed);
        let ty = typed.rust;
        write_doc(option, out, &pad);
        let literal = path_literal(&option.loc);
        let handle = if option.read_only { "ReadOnly" } else { "Opt" };
        let constructor = match pattern_of(option) {
            Some(pattern) if !option.read_only => {
                format!("new_matching(&[{literal}], {pattern:?})")
            }
            _ => format!("new(&[{literal}])"),
        };
        let constructor = format!("{constructor}{}", in_submodules(option));
        let _ = writeln!(
            out,
            "{pad}pub const {name}: {handle}<{ty}> = {handle}::{constructor};\n"
        );
    }
    if let Some(entry) = node.children.get("<name>") {
        let collection = path.last().map(String::as_str).unwrap_or("entry");
        let function = names.unique(entry_function_name(collection));
        let struct_name = format!("{}Entry", pascal_case(collection));
        let prefix = path_literal(path);
        let _ = writeln!(
            out,
            // `entry_name`, not `name`: an option constant called `name` in the same module
            // would be read as a pattern there.
            "{pad}/// `{}.<name>`: the entry `entry_name`.\n{pad}#[inline]\n{pad}pub fn {function}(entry_name: &str) -> {struct_name} {{\n{pad}    {struct_name} {{ path: OptionPath::Static(&[{prefix}]).join([entry_name]) }}\n{pad}}}\n",
            path.join(".")
        );
        let handle = format!("{}({{}})", item_path(at.module, &function));
        write_entry_struct(
            &struct_name,
            entry,
            out,
            &pad,
            &mut defs,
            (&handle, &mut entries),
        );
    }
    out.push_str(&defs.text);
    checked.append(&mut defs.checked);
    entries.into_index(&defs, index);
}

/// The handle at the old path of a renamed option: documented and deprecated with the
/// new name (the handle's, once known: see [`name_new_handles`]), of a type that no
/// setter takes, so a configuration moved to this line does not compile until it uses
/// the new name.
fn write_renamed(name: &str, from: &[String], to: &[String], out: &mut String, pad: &str) {
    let (from_name, to_name) = (from.join("."), to.join("."));
    let handle = format!("{NEW_HANDLE_MARK}{to_name}\u{1}");
    let _ = writeln!(
        out,
        "{pad}/// `{from_name}` of the previous release line: this one calls it `{to_name}`\n\
         {pad}/// (`{handle}`).\n\
         {pad}///\n\
         {pad}/// Nothing can be set through this handle; set the new option instead.\n\
         {pad}#[deprecated(note = \"renamed: this release line calls it `{to_name}`; set `{handle}`\")]\n\
         {pad}pub const {name}: ::flakesmith::option::Renamed = ::flakesmith::option::Renamed::new(&[{}], &[{}]);\n",
        path_literal(from),
        path_literal(to),
    );
}

fn path_with(path: &[String], segment: &str) -> Vec<String> {
    path.iter().cloned().chain([segment.to_owned()]).collect()
}

/// How a handle says that its option lies in submodules (nothing for a read-only one,
/// which is never defined): the checker orders the option's list definitions by it.
fn in_submodules(option: &OptionDoc) -> String {
    match option.submodules {
        0 => String::new(),
        _ if option.read_only => String::new(),
        n => format!(".in_submodules({n})"),
    }
}

/// The bindings one module's items add to the index; its enums are known once the
/// module's types are all written.
struct Entries<'m> {
    module: &'m str,
    bindings: Vec<(String, Binding, Option<String>)>,
}

impl Entries<'_> {
    fn record(&mut self, option: &OptionDoc, handle: String, typed: &Typed) {
        let binding = Binding {
            handle,
            option_type: rust_shaped(parse_type(&option.type_description), &typed.rust),
            enum_type: None,
            value_type: None,
            read_only: option.read_only,
        };
        let named = typed.rust.value_named().map(str::to_owned);
        self.bindings.push((option.name(), binding, named));
    }

    fn into_index(self, defs: &TypeDefs, index: &mut Index) {
        for (name, variants) in &defs.enums {
            index
                .enums
                .insert(item_path(self.module, name), variants.clone());
        }
        let named_types = |binding: &mut Binding, named: Option<&str>| {
            let (enum_type, value_type) = named_types(defs, named);
            binding.enum_type = enum_type.map(|name| item_path(self.module, name));
            binding.value_type = value_type.map(|name| item_path(self.module, name));
        };
        for (name, fields) in &defs.structs {
            let setters = fields
                .iter()
                .map(|field| {
                    let mut binding = Binding {
                        handle: field.setter.clone(),
                        option_type: field.option_type.clone(),
                        enum_type: None,
                        value_type: None,
                        read_only: false,
                    };
                    named_types(&mut binding, field.named.as_deref());
                    (field.nix.clone(), binding)
                })
                .collect();
            index.values.insert(item_path(self.module, name), setters);
        }
        for (name, mut binding, named) in self.bindings {
            named_types(&mut binding, named.as_deref());
            index.options.insert(name, binding);
        }
    }
}

/// The enum and the submodule value struct (names in `defs`' module) that a type the
/// bindings named writes values of: itself, or a union marker's members.
fn named_types<'d>(
    defs: &'d TypeDefs,
    named: Option<&'d str>,
) -> (Option<&'d str>, Option<&'d str>) {
    let Some(named) = named else {
        return (None, None);
    };
    let members = match defs.unions.get(named) {
        Some(members) => members.iter().map(String::as_str).collect(),
        None => vec![named],
    };
    let enum_type = members.iter().find(|m| defs.enums.contains_key(**m));
    let value_type = members.iter().find(|m| defs.structs.contains_key(**m));
    (enum_type.copied(), value_type.copied())
}

/// The struct for one entry of a `<name>` collection, with a method per child option and
/// an accessor per nested group.
fn write_entry_struct(
    struct_name: &str,
    node: &Node,
    out: &mut String,
    pad: &str,
    defs: &mut TypeDefs,
    (handle, entries): (&str, &mut Entries),
) {
    let _ = writeln!(out, "{pad}/// The options of one entry.\n{pad}#[derive(Clone)]\n{pad}pub struct {struct_name} {{\n{pad}    path: OptionPath,\n{pad}}}\n");
    let _ = writeln!(out, "{pad}impl {struct_name} {{");
    let mut names = Names::default();
    let mut nested = Vec::new();
    for (segment, child) in &node.children {
        if segment == "*" {
            continue;
        }
        if segment == "<name>" {
            let function = names.unique(entry_function_name(segment));
            let child_struct = format!("{struct_name}Entry");
            let _ = writeln!(out, "{pad}    /// An entry of this collection.\n{pad}    #[inline]\n{pad}    pub fn {function}(&self, entry_name: &str) -> {child_struct} {{\n{pad}        {child_struct} {{ path: self.path.join([entry_name]) }}\n{pad}    }}\n");
            nested.push((child_struct, child, format!("{handle}.{function}({{}})")));
            continue;
        }
        if let Some(option) = child.option {
            let name = names.unique(value_name(segment));
            let typed = defs.option_type(option, child);
            if typed.checked && !option.read_only {
                defs.checked.insert(option.name());
            }
            entries.record(option, format!("{handle}.{name}()"), &typed);
            let ty = typed.rust;
            write_doc(option, out, &format!("{pad}    "));
            let handle = if option.read_only { "ReadOnly" } else { "Opt" };
            let method = match (option.read_only, pattern_of(option)) {
                (true, _) => format!("ReadOnly::at(self.path.join([{segment:?}]))"),
                (false, Some(pattern)) => format!(
                    "Opt::at(self.path.join([{segment:?}])).matching({pattern:?}){}",
                    in_submodules(option)
                ),
                (false, None) => format!(
                    "Opt::at(self.path.join([{segment:?}])){}",
                    in_submodules(option)
                ),
            };
            let _ = writeln!(out, "{pad}    #[inline]\n{pad}    pub fn {name}(&self) -> {handle}<{ty}> {{\n{pad}        {method}\n{pad}    }}\n");
        }
        if child.has_named_children() {
            let accessor = names.unique(format!(
                "{}_options",
                value_name(segment).trim_start_matches("r#")
            ));
            let accessor = if child.option.is_none() {
                names.rename_last(&accessor, value_name(segment))
            } else {
                accessor
            };
            let child_struct = format!("{struct_name}{}", pascal_case(segment));
            let _ = writeln!(out, "{pad}    /// The options under `{segment}`.\n{pad}    #[inline]\n{pad}    pub fn {accessor}(&self) -> {child_struct} {{\n{pad}        {child_struct} {{ path: self.path.join([{segment:?}]) }}\n{pad}    }}\n");
            nested.push((child_struct, child, format!("{handle}.{accessor}()")));
        }
    }
    let _ = writeln!(out, "{pad}}}\n");
    for (child_struct, child, child_handle) in nested {
        write_entry_struct(
            &child_struct,
            child,
            out,
            pad,
            defs,
            (&child_handle, &mut *entries),
        );
    }
}

fn path_literal(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
