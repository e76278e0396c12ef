//! Rust names for option path segments: snake_case items, PascalCase types and
//! variants, keywords escaped, and names kept unique within one scope.

use heck::{ToSnakeCase, ToUpperCamelCase};

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
    pub(super) fn rename_last(&mut self, taken: &str, preferred: String) -> String {
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

/// `allowedTCPPorts` → `allowed_tcp_ports`, `systemd-boot` → `systemd_boot`: heck's word
/// rules, the same the derive macros use to go the other way.
fn snake_case(segment: &str) -> String {
    let joined = segment.to_snake_case();
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

/// The Rust item name for a Nix name (`allowedTCPPorts` → `allowed_tcp_ports`), keywords
/// escaped; `flakesmith import` names functions and fields with it too.
pub(crate) fn value_name(segment: &str) -> String {
    identifier(snake_case(segment))
}

pub(super) fn module_name(segment: &str) -> String {
    identifier(snake_case(segment))
}

/// `users` → `user`: the function that picks one entry of a collection.
pub(super) fn entry_function_name(collection: &str) -> String {
    let snake = snake_case(collection);
    match snake.strip_suffix('s') {
        Some(singular) if !singular.is_empty() && !singular.ends_with('s') => {
            identifier(singular.to_owned())
        }
        _ => "entry".to_owned(),
    }
}

pub fn pascal_case(segment: &str) -> String {
    let name = segment.to_upper_camel_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    }
}

pub(crate) fn variant_name(value: &str) -> String {
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
}
