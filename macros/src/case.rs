//! Renaming Rust identifiers to the spellings Nix options use. The word rules are
//! heck's, which the bindings generator also uses to name Nix options in Rust, so a name
//! goes back and forth the same way.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

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
        match self {
            Self::Camel => ident.to_lower_camel_case(),
            Self::Pascal => ident.to_upper_camel_case(),
            Self::Kebab => ident.to_kebab_case(),
            Self::Snake => ident.to_snake_case(),
            Self::ScreamingSnake => ident.to_shouty_snake_case(),
            Self::Lower => ident.to_snake_case().replace('_', ""),
            Self::Verbatim => unreachable!("handled above"),
        }
    }
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
        // An acronym is one word, as the bindings generator reads `allowedTCPPorts`.
        assert_eq!(Case::Kebab.apply("HTTPServer"), "http-server");
    }
}
