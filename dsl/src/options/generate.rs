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

use super::json::OptionDoc;
use super::rust_types::{pattern_of, TypeDefs};

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
}

/// A node of the option tree: the option at this path, if any, and the children.
#[derive(Default)]
pub(super) struct Node<'a> {
    pub option: Option<&'a OptionDoc>,
    pub children: BTreeMap<String, Node<'a>>,
}

impl Node<'_> {
    /// Whether options sit below this node other than in list entries (`*`), which only
    /// a value struct reaches.
    fn has_named_children(&self) -> bool {
        self.children.keys().any(|segment| segment != "*")
    }
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
    let mut root_text = header(config);
    root_text.push_str(FILE_ATTRIBUTES);
    // Options at the top level (`uninstall`, `lib`) are items of the root module.
    write_items(&root, &[], &mut root_text, 0, &mut out.checked);
    for (segment, child) in &root.children {
        write_module_file(
            segment,
            child,
            std::slice::from_ref(segment),
            "",
            &mut root_text,
            config,
            &mut out,
        );
    }
    out.files.insert("mod.rs".to_owned(), root_text);
    out
}

fn header(config: &GenerateConfig) -> String {
    format!("//! Generated by `flakesmith options generate`. Do not edit: regenerate instead.\n//! {}\n\n", config.source)
}

/// The attributes and imports at the top of every generated file.
const FILE_ATTRIBUTES: &str = concat!(
    // Generated items, documented with upstream prose: clippy's style lints (doc list
    // indentation, long first paragraphs) are about hand-written code.
    "#![allow(non_upper_case_globals, unused_imports, clippy::all)]\n",
    // Upstream descriptions are prose written for the NixOS manual, not for rustdoc.
    "#![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]\n\n",
    "use ::flakesmith::option::{Opt, OptionPath, ReadOnly};\n",
    "use ::flakesmith::value::{Anything, Atom, AtomOrList, Between, Concatenated, Data, Json, NullOr, OneOf, Package, Positive, RuntimePath, Systemd, Toml, Untyped};\n",
    "use std::collections::BTreeMap;\n\n",
);

/// Namespaces at depth one and two get files of their own; deeper ones are inline.
const FILE_DEPTH: usize = 2;

fn write_module_file(
    segment: &str,
    node: &Node,
    path: &[String],
    dir: &str,
    parent: &mut String,
    config: &GenerateConfig,
    out: &mut Generated,
) {
    let module = module_name(segment);
    // rustfmt would reflow the generated layout and make regeneration look like a
    // change; the parent module says not to (an inner `#![rustfmt::skip]` is unstable).
    let _ = writeln!(parent, "#[rustfmt::skip]\npub mod {module};");
    let own_dir = format!("{dir}{}/", module.trim_start_matches("r#"));
    let mut text = header(config);
    text.push_str(FILE_ATTRIBUTES);
    let has_file_children = path.len() < FILE_DEPTH;
    write_items(node, path, &mut text, 0, &mut out.checked);
    let mut names = Names::default();
    for (child_segment, child, child_path) in submodules(node, path) {
        if has_file_children {
            write_module_file(
                child_segment,
                child,
                &child_path,
                &own_dir,
                &mut text,
                config,
                out,
            );
        } else {
            let name = names.unique(module_name(child_segment));
            write_inline_module(&name, child, &child_path, &mut text, 0, &mut out.checked);
        }
    }
    let file = if has_file_children {
        format!("{own_dir}mod.rs")
    } else {
        format!("{dir}{}.rs", module.trim_start_matches("r#"))
    };
    out.files.insert(file, text);
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
                && (child.has_named_children() || child.option.is_none())
        })
        .map(move |(segment, child)| {
            (
                segment,
                child,
                path.iter().cloned().chain([segment.clone()]).collect(),
            )
        })
}

fn write_inline_module(
    name: &str,
    node: &Node,
    path: &[String],
    out: &mut String,
    depth: usize,
    checked: &mut BTreeSet<String>,
) {
    let pad = "    ".repeat(depth);
    let _ = writeln!(out, "{pad}pub mod {name} {{\n{pad}    use super::*;\n");
    write_items(node, path, out, depth + 1, checked);
    let mut names = Names::default();
    for (child_segment, child, child_path) in submodules(node, path) {
        write_inline_module(
            &names.unique(module_name(child_segment)),
            child,
            &child_path,
            out,
            depth + 1,
            checked,
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
    depth: usize,
    checked: &mut BTreeSet<String>,
) {
    let pad = "    ".repeat(depth);
    let mut names = Names::default();
    let mut defs = TypeDefs::new(&pad);
    for (segment, child) in &node.children {
        let Some(option) = child.option else { continue };
        let name = names.unique(value_name(segment));
        let typed = defs.option_type(option, child);
        if typed.checked && !option.read_only {
            defs.checked.insert(option.name());
        }
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
            "{pad}/// `{}.<name>`: the entry `entry_name`.\n{pad}pub fn {function}(entry_name: &str) -> {struct_name} {{\n{pad}    {struct_name} {{ path: OptionPath::Static(&[{prefix}]).join([entry_name]) }}\n{pad}}}\n",
            path.join(".")
        );
        write_entry_struct(&struct_name, entry, out, &pad, &mut defs);
    }
    out.push_str(&defs.text);
    checked.append(&mut defs.checked);
}

/// The struct for one entry of a `<name>` collection, with a method per child option and
/// an accessor per nested group.
fn write_entry_struct(
    struct_name: &str,
    node: &Node,
    out: &mut String,
    pad: &str,
    defs: &mut TypeDefs,
) {
    let _ = writeln!(out, "{pad}/// The options of one entry.\n{pad}#[derive(Clone, Debug)]\n{pad}pub struct {struct_name} {{\n{pad}    path: OptionPath,\n{pad}}}\n");
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
            let _ = writeln!(out, "{pad}    /// An entry of this collection.\n{pad}    pub fn {function}(&self, entry_name: &str) -> {child_struct} {{\n{pad}        {child_struct} {{ path: self.path.join([entry_name]) }}\n{pad}    }}\n");
            nested.push((child_struct, child));
            continue;
        }
        if let Some(option) = child.option {
            let name = names.unique(value_name(segment));
            let typed = defs.option_type(option, child);
            if typed.checked && !option.read_only {
                defs.checked.insert(option.name());
            }
            let ty = typed.rust;
            write_doc(option, out, &format!("{pad}    "));
            let handle = if option.read_only { "ReadOnly" } else { "Opt" };
            let method = match (option.read_only, pattern_of(option)) {
                (true, _) => format!("ReadOnly::at(self.path.join([{segment:?}]))"),
                (false, Some(pattern)) => {
                    format!("Opt::at(self.path.join([{segment:?}])).matching({pattern:?})")
                }
                (false, None) => format!("Opt::at(self.path.join([{segment:?}]))"),
            };
            let _ = writeln!(out, "{pad}    pub fn {name}(&self) -> {handle}<{ty}> {{\n{pad}        {method}\n{pad}    }}\n");
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
            let _ = writeln!(out, "{pad}    /// The options under `{segment}`.\n{pad}    pub fn {accessor}(&self) -> {child_struct} {{\n{pad}        {child_struct} {{ path: self.path.join([{segment:?}]) }}\n{pad}    }}\n");
            nested.push((child_struct, child));
        }
    }
    let _ = writeln!(out, "{pad}}}\n");
    for (child_struct, child) in nested {
        write_entry_struct(&child_struct, child, out, pad, defs);
    }
}

fn path_literal(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("{s:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn write_doc(option: &OptionDoc, out: &mut String, pad: &str) {
    // The Nix name first: what the option is called in NixOS's manual and messages.
    let mut doc = format!("`{}`\n\n", option.name().replace('`', "'"));
    doc.push_str(markdown(&option.description).trim_end());
    doc.push_str(&format!(
        "\n\nNix type: `{}`.",
        option.type_description.replace('`', "'").replace('\n', " ")
    ));
    if option.read_only {
        doc.push_str(" Read-only: NixOS sets it.");
    }
    for (label, text) in [("Default", &option.default), ("Example", &option.example)] {
        if let Some(text) = text {
            if text.contains('\n') || text.contains('`') {
                doc.push_str(&format!("\n\n{label}:\n\n```nix\n{text}\n```"));
            } else {
                doc.push_str(&format!(" {label}: `{text}`."));
            }
        }
    }
    if !option.declarations.is_empty() {
        let files: Vec<String> = option
            .declarations
            .iter()
            .map(|d| format!("`{d}`"))
            .collect();
        doc.push_str(&format!("\n\nDeclared in {}.", files.join(", ")));
    }
    for line in doc.trim().lines() {
        if line.is_empty() {
            let _ = writeln!(out, "{pad}///");
        } else {
            let _ = writeln!(out, "{pad}/// {line}");
        }
    }
    if let Some(replacement) = deprecation(&option.description) {
        let _ = writeln!(out, "{pad}#[deprecated(note = {replacement:?})]");
    }
}

/// Renamed and removed options say so in their description.
fn deprecation(description: &str) -> Option<String> {
    let text = markdown(description);
    let first = text.lines().next().unwrap_or("").trim();
    if first.starts_with("Alias of ") {
        let target = first
            .trim_start_matches("Alias of ")
            .trim_end_matches('.')
            .replace('`', "");
        return Some(format!("renamed: use `{target}`"));
    }
    if text.contains("has been removed") || text.contains("has been renamed") {
        return Some(first.replace('`', "").to_owned());
    }
    None
}

/// nixpkgs' Markdown as rustdoc Markdown: `{option}`x`` and friends become code spans,
/// `:::` admonitions become bold labels, and angle brackets outside code are escaped so
/// rustdoc does not read them as HTML.
pub fn markdown(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(kind) = trimmed.strip_prefix(":::") {
            let kind = kind
                .trim()
                .trim_start_matches('{')
                .trim_end_matches('}')
                .trim_start_matches('.');
            if !kind.is_empty() {
                let mut label = kind.to_owned();
                label[..1].make_ascii_uppercase();
                out.push_str(&format!("**{label}:**\n"));
            }
            continue;
        }
        out.push_str(&strip_roles(line));
        out.push('\n');
    }
    escape_line(&out)
}

/// `{option}`foo`` → `` `foo` ``.
fn strip_roles(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find("}`") {
            Some(end)
                if after[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && end > 0 =>
            {
                out.push_str(&rest[..start]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(&rest[..start + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes (over the whole text, since links wrap lines) what rustdoc would misread outside code spans: `<name>` (HTML to rustdoc;
/// `<https://...>` autolinks stay) and `[text]` that is not a Markdown link (an
/// intra-doc link to rustdoc).
fn escape_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut in_code = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => {
                let rest: String = chars[i + 1..].iter().collect();
                match rest.find('>') {
                    Some(end) if rest.starts_with("http") && !rest[..end].contains(' ') => {
                        out.push('<');
                        out.push_str(&rest[..=end]);
                        i += end + 2;
                        continue;
                    }
                    _ => out.push_str("&lt;"),
                }
            }
            '>' if !in_code => out.push_str("&gt;"),
            '[' if !in_code => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|p| p + i + 1);
                let is_link = close
                    .is_some_and(|close| matches!(chars.get(close + 1), Some('(') | Some('[')));
                out.push_str(if is_link { "[" } else { "\\[" });
            }
            ']' if !in_code => {
                let is_link = matches!(chars.get(i + 1), Some('(') | Some('['));
                let opened_link = out.rfind('[').is_some_and(|p| !out[..p].ends_with('\\'));
                out.push_str(if is_link && opened_link {
                    "]"
                } else if out.contains("\\[") && !is_link {
                    "\\]"
                } else {
                    "]"
                });
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Identifiers already used in one scope, so sanitised names stay unique.
#[derive(Default)]
pub(super) struct Names {
    used: Vec<String>,
}

impl Names {
    /// `name`, or `name_2`, `name_3`, ... (`Name2` for type and variant names).
    pub(super) fn unique(&mut self, name: String) -> String {
        let pascal = name.starts_with(|c: char| c.is_ascii_uppercase());
        let mut candidate = name.clone();
        let mut n = 2;
        while self.used.contains(&candidate) {
            let base = name.trim_start_matches("r#");
            candidate = if pascal {
                format!("{base}{n}")
            } else {
                format!("{base}_{n}")
            };
            n += 1;
        }
        self.used.push(candidate.clone());
        candidate
    }

    /// Replaces the name just taken by `preferred` when that is still free.
    fn rename_last(&mut self, taken: &str, preferred: String) -> String {
        if self.used.contains(&preferred) {
            return taken.to_owned();
        }
        if let Some(last) = self.used.iter_mut().rev().find(|n| *n == taken) {
            *last = preferred.clone();
        }
        preferred
    }
}

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Words of an option segment: `allowedTCPPorts` → allowed, tcp, ports; `systemd-boot` →
/// systemd, boot.
fn words(segment: &str) -> Vec<String> {
    let chars: Vec<char> = segment.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && !current.is_empty()
            && (prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit())
                || next.is_some_and(|n| n.is_ascii_lowercase())
                    && prev.is_some_and(|p| p.is_ascii_uppercase()));
        if boundary {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

fn snake_case(segment: &str) -> String {
    let joined = words(segment).join("_");
    let joined = if joined.is_empty() {
        "option".to_owned()
    } else {
        joined
    };
    if joined.starts_with(|c: char| c.is_ascii_digit()) || segment.starts_with('_') {
        format!("_{joined}")
    } else {
        joined
    }
}

fn identifier(name: String) -> String {
    match name.as_str() {
        "self" | "super" | "crate" | "Self" => format!("{name}_"),
        _ if KEYWORDS.contains(&name.as_str()) => format!("r#{name}"),
        _ => name,
    }
}

pub(super) fn value_name(segment: &str) -> String {
    identifier(snake_case(segment))
}

fn module_name(segment: &str) -> String {
    identifier(snake_case(segment))
}

/// `users` → `user`: the function that picks one entry of a collection.
fn entry_function_name(collection: &str) -> String {
    let snake = snake_case(collection);
    match snake.strip_suffix('s') {
        Some(singular) if !singular.is_empty() && !singular.ends_with('s') => {
            identifier(singular.to_owned())
        }
        _ => "entry".to_owned(),
    }
}

pub fn pascal_case(segment: &str) -> String {
    let name: String = words(segment)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|f| f.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

pub(super) fn variant_name(value: &str) -> String {
    let name = pascal_case(value);
    if name == "V" {
        let spelled: String = value
            .chars()
            .map(|c| match c {
                '+' => "Plus".to_owned(),
                '-' => "Minus".to_owned(),
                other => format!("U{:X}", other as u32),
            })
            .collect();
        if spelled.is_empty() {
            "Empty".to_owned()
        } else {
            spelled
        }
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(value_name("allowedTCPPorts"), "allowed_tcp_ports");
        assert_eq!(value_name("PermitRootLogin"), "permit_root_login");
        assert_eq!(value_name("systemd-boot"), "systemd_boot");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("9p"), "_9p");
        assert_eq!(value_name("_module"), "_module");
        assert_eq!(value_name("enableZshIntegration"), "enable_zsh_integration");
        assert_eq!(value_name("i3"), "i3");
        assert_eq!(pascal_case("storageDriver"), "StorageDriver");
        assert_eq!(variant_name("prohibit-password"), "ProhibitPassword");
        assert_eq!(variant_name("flipped-90"), "Flipped90");
        assert_eq!(variant_name("90"), "V90");
        assert_eq!(variant_name("+time"), "Time");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(entry_function_name("users"), "user");
        assert_eq!(entry_function_name("matchBlocks"), "match_block");
        assert_eq!(entry_function_name("settings"), "setting");
        assert_eq!(entry_function_name("address"), "entry");
    }

    #[test]
    fn markdown_roles_and_brackets() {
        assert_eq!(
            markdown("See {option}`services.x` and <name>.").trim(),
            "See `services.x` and &lt;name&gt;."
        );
        assert_eq!(markdown("`<name>` stays").trim(), "`<name>` stays");
        assert_eq!(
            markdown("See <https://example.org/x>.").trim(),
            "See <https://example.org/x>."
        );
        assert_eq!(
            markdown("the [colors] section").trim(),
            "the \\[colors\\] section"
        );
        assert_eq!(
            markdown("a [link](https://x) here").trim(),
            "a [link](https://x) here"
        );
        assert_eq!(markdown("::: {.note}\nText\n:::").trim(), "**Note:**\nText");
    }

    #[test]
    fn deprecations_name_the_replacement() {
        assert_eq!(
            deprecation("Alias of {option}`home.pointerCursor.name`."),
            Some("renamed: use `home.pointerCursor.name`".to_owned())
        );
        assert_eq!(deprecation("Whether to enable Git."), None);
    }
}
