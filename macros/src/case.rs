//! Renaming Rust identifiers to the spellings Nix options use.

/// A naming convention for `rename_all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `storageDriver`: NixOS's convention for option names.
    Camel,
    /// `storage-driver`: common for enum values (`"prohibit-password"`).
    Kebab,
    /// `storage_driver`
    Snake,
    /// `StorageDriver`
    Pascal,
    /// `STORAGE_DRIVER`
    ScreamingSnake,
    /// `storagedriver`
    Lower,
    /// The Rust name unchanged.
    Verbatim,
}

impl Case {
    pub const NAMES: &'static str = "\"camelCase\", \"kebab-case\", \"snake_case\", \"PascalCase\", \"SCREAMING_SNAKE_CASE\", \"lowercase\", \"verbatim\"";

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "camelCase" => Self::Camel,
            "kebab-case" => Self::Kebab,
            "snake_case" => Self::Snake,
            "PascalCase" => Self::Pascal,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "lowercase" => Self::Lower,
            "verbatim" => Self::Verbatim,
            _ => return None,
        })
    }

    /// Applies the convention to a Rust identifier (snake_case field or PascalCase variant).
    pub fn apply(self, ident: &str) -> String {
        let ident = ident.strip_prefix("r#").unwrap_or(ident);
        if self == Self::Verbatim {
            return ident.to_owned();
        }
        let words = words(ident);
        match self {
            Self::Camel => words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == 0 {
                        w.to_lowercase()
                    } else {
                        capitalise(w)
                    }
                })
                .collect(),
            Self::Pascal => words.iter().map(|w| capitalise(w)).collect(),
            Self::Kebab => lower_join(&words, "-"),
            Self::Snake => lower_join(&words, "_"),
            Self::ScreamingSnake => lower_join(&words, "_").to_uppercase(),
            Self::Lower => lower_join(&words, ""),
            Self::Verbatim => unreachable!("handled above"),
        }
    }
}

fn lower_join(words: &[String], separator: &str) -> String {
    words
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(separator)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// Splits `storage_driver` or `StorageDriver` into words. Digits stay with the word
/// before them, so `Overlay2` is one word.
fn words(ident: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in ident.chars() {
        if c == '_' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        } else if c.is_uppercase() && !current.is_empty() {
            words.push(std::mem::take(&mut current));
            current.push(c);
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions() {
        assert_eq!(Case::Camel.apply("storage_driver"), "storageDriver");
        assert_eq!(Case::Camel.apply("enable"), "enable");
        assert_eq!(Case::Kebab.apply("ProhibitPassword"), "prohibit-password");
        assert_eq!(Case::Kebab.apply("Overlay2"), "overlay2");
        assert_eq!(Case::Snake.apply("StorageDriver"), "storage_driver");
        assert_eq!(
            Case::Pascal.apply("password_authentication"),
            "PasswordAuthentication"
        );
        assert_eq!(Case::ScreamingSnake.apply("max_jobs"), "MAX_JOBS");
        assert_eq!(Case::Lower.apply("FooBar"), "foobar");
        assert_eq!(Case::Camel.apply("r#type"), "type");
    }
}
