//! The rules names follow, as plain functions of the text (the scaffolding commands use
//! them before anything exists): host and user names as NixOS takes them, module names as
//! file names, releases as `YY.MM`.

/// Names the tree uses for its own files, which no host or user may take.
const RESERVED_NAMES: &[&str] = &["template"];

/// Whether the tree reserves `name` for its own files (`hosts/template/`,
/// `home/template.nix`).
pub fn is_reserved(name: &str) -> bool {
    RESERVED_NAMES.contains(&name)
}

/// NixOS's rule for `networking.hostName` (the type's pattern
/// `^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$`), plus the names the tree reserves.
pub fn valid_host_name(name: &str) -> Result<(), String> {
    not_empty_within(name, 63)?;
    only_file_name_characters(name, "")?;
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err("it starts or ends with `-` or `_`".into());
    }
    if RESERVED_NAMES.contains(&name) {
        return Err(format!(
            "`{name}` is reserved for the template the tree ships"
        ));
    }
    Ok(())
}

/// NixOS's rule for user names (`[a-z_][a-z0-9_-]*\$?`, at most 32 characters), plus the
/// names the tree reserves.
pub fn valid_user_name(name: &str) -> Result<(), String> {
    not_empty_within(name, 32)?;
    let body = name.strip_suffix('$').unwrap_or(name);
    let mut chars = body.chars();
    let first_ok = matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_');
    if !first_ok
        || !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err("NixOS accepts a lowercase letter or `_`, then lowercase letters, digits, `_` and `-`, and an optional final `$`".into());
    }
    if RESERVED_NAMES.contains(&name) {
        return Err(format!("`{name}` is reserved for home/template.nix"));
    }
    Ok(())
}

/// A module name must be a plain file name: it becomes `modules/<category>/<name>.nix`.
pub fn valid_module_name(name: &str) -> Result<(), String> {
    not_empty_within(name, 100)?;
    if name.starts_with(['.', '-']) {
        return Err("it starts with `.` or `-`".into());
    }
    only_file_name_characters(
        name,
        "; module names are file names of letters, digits, `-` and `_`",
    )
}

/// What every name must be: not empty, at most `limit` characters.
fn not_empty_within(name: &str, limit: usize) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > limit {
        return Err(format!(
            "it is {} characters long; the limit is {limit}",
            name.len()
        ));
    }
    Ok(())
}

/// Letters, digits, `-` and `_` only; `more` follows the character named.
fn only_file_name_characters(name: &str, more: &str) -> Result<(), String> {
    match name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        Some(c) => Err(format!("it contains `{}`{more}", c.escape_debug())),
        None => Ok(()),
    }
}

/// `YY.MM` with a month.
pub fn is_release(version: &str) -> bool {
    matches!(version.split_once('.'), Some((yy, mm))
        if yy.len() == 2 && mm.len() == 2
            && yy.bytes().chain(mm.bytes()).all(|b| b.is_ascii_digit())
            && (1..=12).contains(&mm.parse::<u8>().unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        for good in ["nixos-desk", "a", "srv_01", &"x".repeat(63)] {
            assert!(valid_host_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "_a",
            "a_",
            "a.b",
            "a/b",
            "..",
            &"x".repeat(64),
            "template",
            "ü",
            "a\0",
        ] {
            assert!(valid_host_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn user_names() {
        for good in ["alice", "_svc", "a-b_c9", "machine$", &"a".repeat(32)] {
            assert!(valid_user_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Alice",
            "9lives",
            "a b",
            "a/b",
            &"a".repeat(33),
            "template",
            "$",
        ] {
            assert!(valid_user_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn module_names() {
        assert!(valid_module_name("docker").is_ok());
        for bad in ["", ".hidden", "a/b", "..", "a.nix", "-x"] {
            assert!(valid_module_name(bad).is_err(), "{bad}");
        }
    }
}
