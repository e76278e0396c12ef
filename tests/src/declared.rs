//! A stand-in NixOS (or Home Manager) made from its own `options.json`: every option
//! the release declares, declared again as a Nix module, so that real configurations
//! evaluate with the real module system: `config.services.xserver.enable` reads its
//! default, lists concatenate, `lines` join, submodules (`users.users.<name>`) are
//! submodules, priorities and `mkIf` behave as in NixOS. What the stand-in cannot know
//! is loose: option types other than lists, attribute sets and lines accept any value
//! (two different definitions of one still conflict), and a default is kept only when
//! its text is closed over what a module sees (`config`, `pkgs`, `lib`, `name`).

use std::collections::BTreeMap;

use rowan::ast::AstNode;

/// One level of the option tree: options and namespaces by name.
#[derive(Default)]
struct Level {
    entries: BTreeMap<String, Entry>,
}

#[derive(Default)]
struct Entry {
    /// The option declared here, if any: its type description and default text.
    option: Option<(String, Option<String>)>,
    /// What is declared below: namespaces, or a submodule's options (under `<name>` or
    /// `*` for attribute sets and lists of submodules).
    below: Level,
}

/// The Nix module declaring every option of `options_json`: NixOS's own `options.json`
/// (an object by option name, defaults as `literalExpression`) or the list shape of the
/// option search's data (`{ "options": [ { "loc", "type", "default" } ] }`). The text is
/// a function of `loose` (the type of what the stand-in does not know) and `others`
/// (names of top-level options to declare loosely, for modules the stand-in has not
/// got: `stylix.enable`); it returns a module.
pub fn declarations(options_json: &serde_json::Value) -> String {
    let mut root = Level::default();
    for (path, kind, default) in entries(options_json) {
        if path.first().is_some_and(|p| p == "_module") || path.is_empty() {
            continue;
        }
        let default = default.filter(|text| closed(text));
        let mut level = &mut root;
        let (last, init) = path.split_last().expect("not empty");
        for segment in init {
            level = &mut level.entries.entry(segment.clone()).or_default().below;
        }
        level.entries.entry(last.clone()).or_default().option = Some((kind, default));
    }
    let mut out = String::from(
        "loose: others: { config, lib, pkgs, ... }: {\n  options = lib.genAttrs others (_: lib.mkOption { type = loose; }) // ",
    );
    level(&root, 2, &mut out);
    out.push_str(";\n}\n");
    out
}

/// Each option's path, type description and default text, from either shape.
fn entries(json: &serde_json::Value) -> Vec<(Vec<String>, String, Option<String>)> {
    if let Some(list) = json["options"].as_array() {
        return list
            .iter()
            .map(|o| {
                let path = o["loc"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect();
                let kind = o["type"].as_str().unwrap_or("").to_owned();
                (path, kind, o["default"].as_str().map(str::to_owned))
            })
            .collect();
    }
    json.as_object()
        .into_iter()
        .flatten()
        .map(|(name, o)| {
            let default = o["default"]
                .get("text")
                .and_then(|t| t.as_str())
                .filter(|_| o["default"]["_type"] == "literalExpression")
                .map(str::to_owned);
            (
                split(name),
                o["type"].as_str().unwrap_or("").to_owned(),
                default,
            )
        })
        .collect()
}

/// Top-level names `options_json` declares (namespaces and options).
pub fn top_level(options_json: &serde_json::Value) -> std::collections::BTreeSet<String> {
    entries(options_json)
        .into_iter()
        .filter_map(|(path, _, _)| path.into_iter().next())
        .collect()
}

/// `a.b."c.d".<name>` → `a`, `b`, `c.d`, `<name>`.
pub fn split(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in name.chars() {
        match c {
            '"' => quoted = !quoted,
            '.' if !quoted => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    out.push(current);
    out
}

fn is_wildcard(segment: &str) -> bool {
    segment == "*" || (segment.starts_with('<') && segment.ends_with('>'))
}

fn level(level: &Level, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    out.push_str("{\n");
    for (name, entry) in &level.entries {
        if is_wildcard(name) {
            continue;
        }
        out.push_str(&format!("{pad}  {} = ", attr(name)));
        match &entry.option {
            Some((kind, default)) => {
                option(kind, default.as_deref(), &entry.below, indent + 2, out)
            }
            None => self::level(&entry.below, indent + 2, out),
        }
        out.push_str(";\n");
    }
    out.push_str(&pad);
    out.push('}');
}

fn option(kind: &str, default: Option<&str>, below: &Level, indent: usize, out: &mut String) {
    out.push_str("lib.mkOption { type = ");
    let wildcard = below
        .entries
        .iter()
        .find(|(name, _)| is_wildcard(name))
        .map(|(name, entry)| (name.as_str(), entry));
    let nullable = kind.starts_with("null or ");
    if nullable {
        out.push_str("lib.types.nullOr (");
    }
    match wildcard {
        Some((name, entry)) => {
            out.push_str(if name == "*" {
                "lib.types.listOf ("
            } else {
                "lib.types.attrsOf ("
            });
            submodule(&entry.below, indent, out);
            out.push(')');
        }
        None if !below.entries.is_empty() => submodule(below, indent, out),
        None if kind.contains("strings concatenated with \"\\n\"") => {
            out.push_str("lib.types.lines")
        }
        None => out.push_str("loose"),
    }
    if nullable {
        out.push(')');
    }
    out.push(';');
    if let Some(default) = default {
        out.push_str(&format!(" default = {default};"));
    }
    out.push_str(" }");
}

fn submodule(options: &Level, indent: usize, out: &mut String) {
    out.push_str(
        "lib.types.submodule ({ name, config, ... }: { freeformType = lib.types.attrsOf loose; options = ",
    );
    level(options, indent, out);
    out.push_str("; })");
}

fn attr(name: &str) -> String {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-'".contains(c));
    if plain
        && ![
            "if", "then", "else", "let", "in", "with", "rec", "inherit", "assert", "or",
        ]
        .contains(&name)
    {
        name.to_owned()
    } else {
        serde_json::Value::String(name.to_owned())
            .to_string()
            .replace("${", "\\${")
    }
}

/// Whether a default's text parses and names no variable but those a declaration sees.
fn closed(text: &str) -> bool {
    const SEEN: &[&str] = &[
        "true", "false", "null", "config", "pkgs", "lib", "name", "builtins", "toString",
    ];
    let parse = rnix::Root::parse(text);
    if !parse.errors().is_empty() {
        return false;
    }
    let root = parse.tree();
    for node in root.syntax().descendants() {
        use rnix::SyntaxKind as K;
        match node.kind() {
            K::NODE_WITH | K::NODE_LAMBDA | K::NODE_LET_IN | K::NODE_LEGACY_LET => return false,
            K::NODE_IDENT => {
                let parent = node.parent().map(|p| p.kind());
                let is_reference = !matches!(parent, Some(K::NODE_ATTRPATH));
                if is_reference && !SEEN.contains(&node.text().to_string().as_str()) {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_kept_only_when_closed() {
        assert!(closed("false"));
        assert!(closed("{ }"));
        assert!(closed("config.services.nginx.enable"));
        assert!(closed("pkgs.hello"));
        assert!(closed("\"/var/lib/${name}\""));
        assert!(!closed("cfg.package"));
        assert!(!closed("with pkgs; [ hello ]"));
        assert!(!closed("x: x"));
        assert!(!closed("{ inherit foo; }"));
        assert!(!closed("[ ..."));
    }

    #[test]
    fn submodules_and_quoted_names() {
        let json = serde_json::json!({
            "users.users": { "type": "attribute set of (submodule)", "default": { "_type": "literalExpression", "text": "{ }" } },
            "users.users.<name>.home": { "type": "string", "default": { "_type": "literalExpression", "text": "\"/var/empty\"" } },
            "boot.kernel.sysctl.\"net.ipv4.ip_forward\"": { "type": "boolean" },
            "networking.extraHosts": { "type": "strings concatenated with \"\\n\"" },
        });
        let text = declarations(&json);
        assert!(
            text.contains("\"net.ipv4.ip_forward\" = lib.mkOption"),
            "{text}"
        );
        assert!(
            text.contains("users = lib.mkOption { type = lib.types.attrsOf (lib.types.submodule"),
            "{text}"
        );
        assert!(
            text.contains("home = lib.mkOption { type = loose; default = \"/var/empty\"; }"),
            "{text}"
        );
        assert!(
            text.contains("extraHosts = lib.mkOption { type = lib.types.lines; }"),
            "{text}"
        );
    }
}
