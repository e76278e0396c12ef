//! Derive macros for flakesmith.
//!
//! # `#[derive(NixValue)]`
//!
//! Makes a Rust struct or enum usable as an option value: it implements
//! `flakesmith::ToNix` and `flakesmith::IntoValue<Self>`.
//!
//! - A struct with named fields becomes an attribute set; field names are camelCase by
//!   default.
//! - An enum of unit variants becomes a string, as values of `types.enum` are; variant
//!   names are kebab-case by default (`ProhibitPassword` → `"prohibit-password"`).
//!
//! | attribute | where | effect |
//! |---|---|---|
//! | `#[nix(rename_all = "...")]` | struct or enum | naming convention: `"camelCase"`, `"kebab-case"`, `"snake_case"`, `"PascalCase"`, `"SCREAMING_SNAKE_CASE"`, `"lowercase"`, `"verbatim"` |
//! | `#[nix(rename = "...")]` | field or variant | this one name, exactly |
//!
//! flakesmith re-exports the derive as `flakesmith::NixValue`; its documentation has a
//! tested example.

use proc_macro::TokenStream;
use syn::{parse_macro_input, DeriveInput};

mod attr;
mod case;
mod value;

/// Derives `ToNix` and `IntoValue<Self>`: structs become attribute sets, enums of unit
/// variants become strings. See the crate documentation for the attributes.
#[proc_macro_derive(NixValue, attributes(nix))]
pub fn derive_nix_value(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    value::expand(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
