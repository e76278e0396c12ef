//! `string matching the pattern ...` types, checked at build time.
//!
//! NixOS checks such options with `builtins.match`, a POSIX extended regular expression
//! that must match the whole string. The pattern is translated to the syntax of
//! `regex-lite` (bracket expressions differ: a backslash is literal inside them, and a
//! `[` that does not open a class name is too); a pattern the translation cannot take is
//! left to Nix, which still checks it at evaluation.

use regex_lite::Regex;

/// A compiled pattern, or `None` when the translation cannot take it.
pub(crate) fn compile(posix: &str) -> Option<Regex> {
    Regex::new(&format!("^(?:{})$", translate(posix)?)).ok()
}

fn translate(posix: &str) -> Option<String> {
    let chars: Vec<char> = posix.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            out.push(*chars.get(i + 1)?);
            i += 2;
            continue;
        }
        if c != '[' {
            out.push(c);
            i += 1;
            continue;
        }
        // A bracket expression: `[`, an optional `^`, a `]` taken literally when first,
        // then members up to the closing `]`.
        out.push('[');
        i += 1;
        if chars.get(i) == Some(&'^') {
            out.push('^');
            i += 1;
        }
        if chars.get(i) == Some(&']') {
            out.push_str("\\]");
            i += 1;
        }
        loop {
            let c = *chars.get(i)?;
            match c {
                ']' => {
                    out.push(']');
                    i += 1;
                    break;
                }
                '[' if chars.get(i + 1) == Some(&':') => {
                    let end = (i + 2..chars.len().saturating_sub(1))
                        .find(|&j| chars[j] == ':' && chars[j + 1] == ']')?;
                    out.extend(&chars[i..end + 2]);
                    i = end + 2;
                }
                '\\' | '[' | '&' | '~' => {
                    out.push('\\');
                    out.push(c);
                    i += 1;
                }
                _ => {
                    out.push(c);
                    i += 1;
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The patterns the bindings generator writes for nixpkgs' `addCheck` descriptions.
    #[test]
    fn the_generators_check_patterns_mean_what_nixpkgs_checks() {
        let non_empty = compile("(.|[[:space:]])+").unwrap();
        assert!(non_empty.is_match("a") && non_empty.is_match("\n"));
        assert!(!non_empty.is_match(""));
        let mount_point = compile("/|(.|[[:space:]])*[^/]").unwrap();
        for ok in ["/", "/home", "a"] {
            assert!(mount_point.is_match(ok), "{ok}");
        }
        for wrong in ["", "/home/", "//"] {
            assert!(!mount_point.is_match(wrong), "{wrong}");
        }
    }

    fn matches(pattern: &str, text: &str) -> bool {
        compile(pattern).expect(pattern).is_match(text)
    }

    #[test]
    fn nixos_patterns() {
        let host = "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
        assert!(matches(host, "nixos-desk"));
        assert!(matches(host, ""));
        assert!(!matches(host, "web.example.org"));
        assert!(!matches(host, "-a"));
        let unit = "[a-zA-Z0-9@%:_.\\-]+[.](service|socket|device|mount|automount|swap|target|path|timer|scope|slice)";
        assert!(matches(unit, "network-online.target"));
        assert!(matches(unit, "dev-disk-by\\x2dlabel-root.device"));
        assert!(!matches(unit, "network-online"));
        assert!(matches("[[:digit:]]{2}:[[:digit:]]{2}", "04:30"));
        assert!(!matches("[[:digit:]]{2}:[[:digit:]]{2}", "4:30"));
        assert!(matches("[^[:space:]]{1,64}", "abc"));
        assert!(!matches("[^[:space:]]{1,64}", "a b"));
    }
}
