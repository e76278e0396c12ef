//! Escaping of string literals and attribute names.
//!
//! The rules follow the Nix lexer: in a double-quoted string `"`, `\` and the `$` that
//! starts `${` are escaped; in an indented string `''` becomes `'''` and `${` becomes
//! `''${`. Nothing a caller passes in can reach the evaluator as code.

/// Words the Nix lexer reserves. An attribute name spelt like one must be quoted.
pub const KEYWORDS: &[&str] = &[
    "assert", "else", "if", "in", "inherit", "let", "or", "rec", "then", "with",
];

/// Whether `name` can stand unquoted as an identifier or attribute name.
pub fn is_plain_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_');
    first_ok
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '\'' | '-'))
        && !KEYWORDS.contains(&name)
}

/// An attribute name as it must appear in source: bare when it is a plain
/// identifier, otherwise a double-quoted string.
pub fn quote_attr_name(name: &str) -> String {
    if is_plain_identifier(name) {
        name.to_owned()
    } else {
        double_quoted(name)
    }
}

/// `text` as a double-quoted Nix string literal.
pub fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Only a `$` directly before `{` can start an interpolation. `$$` is not an
            // escape in Nix, so `$${` is written as `$\${`.
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `text` reads better, and round-trips exactly, as an indented string.
///
/// Nix strips the smallest indentation of the non-blank lines from an indented string,
/// so at least one non-blank line must start without a space, or the content's own
/// indentation would be stripped too. Carriage returns and other control characters
/// (tab aside) are kept out because they are invisible and easier to read as escapes.
/// A trailing `'` would run into the closing `''`. Formatters strip trailing white space
/// and treat Unicode white space as indentation, which would change the string, so lines
/// ending in white space and non-ASCII white space stay in double quotes too.
pub(crate) fn fits_indented_string(text: &str) -> bool {
    if !text.contains('\n') || text.ends_with('\'') {
        return false;
    }
    if text
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || (c.is_whitespace() && !c.is_ascii()))
    {
        return false;
    }
    if text
        .split('\n')
        .any(|line| line.ends_with(char::is_whitespace))
    {
        return false;
    }
    text.split('\n')
        .any(|line| !line.trim_matches(' ').is_empty() && !line.starts_with(' '))
}

/// The body of one line of an indented string, escaped.
pub(crate) fn escape_indented_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let next = chars.get(i + 1).copied();
        match chars[i] {
            '\'' if next == Some('\'') => {
                out.push_str("'''");
                i += 2;
                continue;
            }
            // A lone `'` right before the `''$` that escapes `${` would read as `'''`
            // (an escaped `''`), so it takes the general escape `''\'`.
            '\'' if next == Some('$') && chars.get(i + 2) == Some(&'{') => out.push_str("''\\'"),
            '$' if next == Some('{') => out.push_str("''$"),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_identifiers() {
        for name in [
            "enable",
            "hostName",
            "x86_64",
            "_private",
            "it's",
            "home-manager",
        ] {
            assert!(is_plain_identifier(name), "{name}");
        }
        for name in [
            "", "1abc", "a.b", "a b", "if", "or", "inherit", "ü", "-x", "'x",
        ] {
            assert!(!is_plain_identifier(name), "{name}");
        }
    }

    #[test]
    fn attr_names_are_quoted_when_needed() {
        assert_eq!(quote_attr_name("enable"), "enable");
        assert_eq!(quote_attr_name("a.b"), r#""a.b""#);
        assert_eq!(quote_attr_name("with"), r#""with""#);
        assert_eq!(quote_attr_name("9p"), r#""9p""#);
        assert_eq!(quote_attr_name("${x}"), r#""\${x}""#);
    }

    #[test]
    fn double_quoted_escapes() {
        assert_eq!(double_quoted(r#"a"b"#), r#""a\"b""#);
        assert_eq!(double_quoted(r"a\b"), r#""a\\b""#);
        assert_eq!(double_quoted("${x}"), r#""\${x}""#);
        assert_eq!(double_quoted("$${x}"), r#""$\${x}""#);
        assert_eq!(double_quoted("$x $"), r#""$x $""#);
        assert_eq!(double_quoted("a\nb\tc\rd"), r#""a\nb\tc\rd""#);
        assert_eq!(double_quoted("\u{1}"), "\"\u{1}\"");
    }

    #[test]
    fn indented_string_choice() {
        assert!(fits_indented_string("a\nb\n"));
        assert!(fits_indented_string("a\n  b"));
        assert!(!fits_indented_string("  a\n  b"), "all lines indented");
        assert!(!fits_indented_string("single line"));
        assert!(!fits_indented_string("a\r\nb"));
        assert!(!fits_indented_string("a\nb'"));
        assert!(!fits_indented_string("a \nb"), "trailing space");
        assert!(!fits_indented_string("a\n   \nb"), "white-space-only line");
        assert!(!fits_indented_string("a\n\u{a0}b"), "non-ASCII white space");
    }

    #[test]
    fn indented_line_escapes() {
        assert_eq!(escape_indented_line("''"), "'''");
        assert_eq!(escape_indented_line("'''"), "''''");
        assert_eq!(escape_indented_line("${x}"), "''${x}");
        assert_eq!(escape_indented_line("$${x}"), "$''${x}");
        assert_eq!(escape_indented_line(r"\n"), r"\n");
        assert_eq!(escape_indented_line("'${x}"), "''\\'''${x}");
        assert_eq!(escape_indented_line("a'b"), "a'b");
    }
}
