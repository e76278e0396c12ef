//! Typed option bindings, in the shape the options.json generator produces: one module
//! per attribute-path segment, one `const` handle per option, rustdoc with the option's
//! description, Nix type, default and declaring file.
//!
//! This hand-kept set covers what the example configuration and the templates use.
//! Options under a `<name>` placeholder (`users.users.<name>`) are reached through a
//! function taking the name.

// Modules follow option paths, and some paths repeat a segment (`users.users`,
// Home Manager's `home.*` under `home`).
#![allow(clippy::module_inception)]

pub mod home;
pub mod nixos;

/// An option's `one of "a", "b"` values as a Rust enum: each variant writes its string,
/// and the enum is a value type (`ToNix`, `IntoValue`) and an option type (`NixType`).
macro_rules! option_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $(#[doc = concat!("`\"", $text, "\"`")] $variant,)*
        }

        impl $name {
            /// The Nix string of this value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)*
                }
            }
        }

        impl $crate::value::ToNix for $name {
            fn to_nix(&self) -> Result<$crate::nix::Expr, $crate::nix::ValueError> {
                $crate::nix::Expr::string(self.as_str())
            }
        }

        impl $crate::module_options::NixType for $name {
            type Value = $name;
            fn nix_type() -> $crate::nix::Expr {
                $crate::module_options::enum_type(&[$($text),*])
            }
        }

        $crate::value::value_of_itself!($name);
    };
}
pub(crate) use option_enum;
