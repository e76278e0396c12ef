//! Reading options.json in both published shapes.
//!
//! - `nixosOptionsDoc`'s own output: an object keyed by option name, whose values hold
//!   `declarations`, `default` / `example` as `{ "_type": "literalExpression", "text" }`,
//!   `description`, `loc`, `readOnly` and `type`.
//! - The list shape option-search sites publish: `{ "options": [ { "title", "loc",
//!   "type", "default", "example", "description", "declarations", "readOnly" } ] }`,
//!   with `default` / `example` already Nix text.

use std::fmt;

use serde_json::Value;

/// One option, as the file describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionDoc {
    /// The attribute path; `<name>` and `*` stand for entries of submodule collections.
    pub loc: Vec<String>,
    /// The type description, such as `"null or (list of string)"`.
    pub type_description: String,
    /// Nix source text of the default, if any.
    pub default: Option<String>,
    /// Nix source text of the example, if any.
    pub example: Option<String>,
    /// Markdown.
    pub description: String,
    /// Declaring files, such as `nixos/modules/services/networking/ssh/sshd.nix`.
    pub declarations: Vec<String>,
    pub read_only: bool,
    /// How many submodules the option lies in (an entry of `attribute set of
    /// (submodule)`, the value of a `submodule` option): each evaluates its definitions
    /// as modules of its own, which reverses the order lists concatenate in. Known from
    /// the whole set (see [`count_submodules`]).
    pub submodules: u8,
}

impl OptionDoc {
    pub fn name(&self) -> String {
        self.loc.join(".")
    }
}

#[derive(Debug)]
pub struct ReadError(pub String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

/// Reads either shape. Options come back sorted by path.
pub fn read_options(text: &str) -> Result<Vec<OptionDoc>, ReadError> {
    let root: Value =
        serde_json::from_str(text).map_err(|e| ReadError(format!("not JSON: {e}")))?;
    let mut options = match &root {
        Value::Object(map) if map.get("options").is_some_and(Value::is_array) => {
            let list = map["options"].as_array().expect("checked above");
            list.iter()
                .enumerate()
                .map(|(i, entry)| {
                    let name = entry
                        .get("title")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    option_doc(name, entry)
                        .map_err(|e| ReadError(format!("option #{i} (`{name}`): {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?
        }
        Value::Object(map) => map
            .iter()
            .map(|(name, entry)| {
                option_doc(name, entry).map_err(|e| ReadError(format!("option `{name}`: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => {
            return Err(ReadError(
                "expected an object keyed by option name, or one with an `options` list".into(),
            ))
        }
    };
    options.sort_by(|a, b| a.loc.cmp(&b.loc));
    count_submodules(&mut options);
    Ok(options)
}

/// Sets each option's [`OptionDoc::submodules`]. A submodule's options are listed below
/// it: a prefix of an option's path is the root of a submodule when it is an option
/// itself (`nix.settings`, type `submodule`) or an entry placeholder (`users.users.<name>`,
/// `*`), and the next segment is not a placeholder (in `attribute set of attribute set
/// of (submodule)` only the innermost entry is one).
pub fn count_submodules(options: &mut [OptionDoc]) {
    let names: std::collections::HashSet<Vec<String>> =
        options.iter().map(|o| o.loc.clone()).collect();
    let placeholder = |segment: &str| segment == "<name>" || segment == "*";
    for option in options.iter_mut() {
        let loc = &option.loc;
        let roots = (1..loc.len())
            .filter(|&end| {
                let prefix = &loc[..end];
                (names.contains(prefix) || placeholder(&loc[end - 1])) && !placeholder(&loc[end])
            })
            .count();
        option.submodules = u8::try_from(roots).unwrap_or(u8::MAX);
    }
}

fn option_doc(name: &str, entry: &Value) -> Result<OptionDoc, String> {
    let object = entry.as_object().ok_or("not an object")?;
    let loc = match object.get("loc") {
        Some(Value::Array(parts)) => parts
            .iter()
            .map(|p| {
                p.as_str()
                    .map(str::to_owned)
                    .ok_or("`loc` holds a non-string")
            })
            .collect::<Result<Vec<_>, _>>()?,
        _ => name.split('.').map(str::to_owned).collect(),
    };
    if loc.is_empty() || loc.iter().any(String::is_empty) {
        return Err("empty `loc`".into());
    }
    // An entry of a collection is `<name>` in most option data; a collection may name
    // its entries otherwise (`systemd.tmpfiles.settings.<config-name>.<path>`), and is a
    // collection all the same: never a literal attribute `<config-name>`.
    let loc = loc
        .into_iter()
        .map(|segment| {
            let named_entry = segment.len() > 2
                && segment.starts_with('<')
                && segment.ends_with('>')
                && !segment[1..segment.len() - 1].contains(['<', '>', '.']);
            if named_entry {
                "<name>".to_owned()
            } else {
                segment
            }
        })
        .collect::<Vec<_>>();
    let type_description = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or("no `type`")?
        .to_owned();
    Ok(OptionDoc {
        loc,
        type_description,
        default: object.get("default").and_then(nix_text),
        example: object.get("example").and_then(nix_text),
        description: object
            .get("description")
            .and_then(text_of)
            .unwrap_or_default(),
        declarations: object
            .get("declarations")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|d| match d {
                        Value::String(s) => Some(s.clone()),
                        Value::Object(o) => {
                            o.get("name").and_then(Value::as_str).map(str::to_owned)
                        }
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        read_only: object
            .get("readOnly")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        submodules: 0,
    })
}

/// A string, or the `text` of `{ "_type": ..., "text": ... }`.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("text").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// Nix source text of a default or example; empty means none.
fn nix_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::String(_) | Value::Object(_) => text_of(value)?,
        other => other.to_string(),
    };
    let text = text.trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_submodules_an_option_lies_in() {
        let names = [
            "users.users",
            "users.users.<name>.extraGroups",
            "nix.settings",
            "nix.settings.substituters",
            "services.x.instances.<name>.<name>.<name>.hosts",
            "security.sudo.extraRules.*.commands",
            "users.users.<name>.openssh.authorizedKeys.keys",
            "boot.kernelModules",
        ];
        let list: Vec<Value> = names
            .iter()
            .map(|name| serde_json::json!({ "title": name, "loc": name.split('.').collect::<Vec<_>>(), "type": "t" }))
            .collect();
        let text = serde_json::json!({ "options": list }).to_string();
        let options = read_options(&text).unwrap();
        let counted: Vec<(String, u8)> = options.iter().map(|o| (o.name(), o.submodules)).collect();
        let expected = [
            ("boot.kernelModules", 0),
            ("nix.settings", 0),
            ("nix.settings.substituters", 1),
            ("security.sudo.extraRules.*.commands", 1),
            ("services.x.instances.<name>.<name>.<name>.hosts", 1),
            ("users.users", 0),
            ("users.users.<name>.extraGroups", 1),
            ("users.users.<name>.openssh.authorizedKeys.keys", 1),
        ];
        assert_eq!(counted, expected.map(|(n, c)| (n.to_owned(), c)));
    }

    #[test]
    fn reads_the_raw_nixos_options_doc_shape() {
        let text = r#"{
          "services.openssh.enable": {
            "declarations": ["nixos/modules/services/networking/ssh/sshd.nix"],
            "default": { "_type": "literalExpression", "text": "false" },
            "description": "Whether to enable the OpenSSH secure shell daemon.",
            "loc": ["services", "openssh", "enable"],
            "readOnly": false,
            "type": "boolean"
          },
          "system.nixos.release": {
            "declarations": [], "description": "The release.", "loc": ["system", "nixos", "release"],
            "readOnly": true, "type": "string"
          }
        }"#;
        let options = read_options(text).unwrap();
        assert_eq!(options.len(), 2);
        assert_eq!(options[0].loc, ["services", "openssh", "enable"]);
        assert_eq!(options[0].default.as_deref(), Some("false"));
        assert_eq!(
            options[0].declarations,
            ["nixos/modules/services/networking/ssh/sshd.nix"]
        );
        assert!(options[1].read_only);
        assert_eq!(options[1].default, None);
    }

    #[test]
    fn reads_the_list_shape() {
        let text = r#"{"last_update": "x", "options": [
          {"title": "programs.git.enable", "loc": ["programs","git","enable"], "type": "boolean",
           "default": "false", "example": "", "description": "Whether to enable Git.",
           "declarations": [{"name": "<home-manager/modules/programs/git.nix>", "url": "u"}], "readOnly": false}
        ]}"#;
        let options = read_options(text).unwrap();
        assert_eq!(options[0].example, None, "an empty example is none");
        assert_eq!(
            options[0].declarations,
            ["<home-manager/modules/programs/git.nix>"]
        );
    }

    #[test]
    fn entries_named_otherwise_are_entries() {
        let text = r#"{"systemd.tmpfiles.settings.<config-name>.<path>.<tmpfiles-type>.age": {
          "declarations": [], "description": "", "readOnly": false, "type": "string",
          "loc": ["systemd", "tmpfiles", "settings", "<config-name>", "<path>", "<tmpfiles-type>", "age"]
        }}"#;
        let options = read_options(text).unwrap();
        assert_eq!(
            options[0].name(),
            "systemd.tmpfiles.settings.<name>.<name>.<name>.age"
        );
        assert_eq!(options[0].submodules, 1);
    }

    #[test]
    fn reports_malformed_input() {
        assert!(read_options("[1, 2]").is_err());
        assert!(read_options("{\"a\": {\"loc\": []}}").is_err());
        assert!(read_options("not json").is_err());
    }
}
