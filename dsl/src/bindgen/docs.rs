//! The rustdoc of a generated item: the option's Nix name, its description as rustdoc
//! Markdown, its type, default, example and declaring files, and `#[deprecated]` for
//! renamed and removed options.

use std::fmt::Write as _;

use super::json::OptionDoc;

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

#[cfg(test)]
mod tests {
    use super::*;

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
