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
mod ctxt;
mod docs;
mod module;
mod value;

/// Derives `ToNix` and `IntoValue<Self>`: structs become attribute sets, enums of unit
/// variants become strings. See the crate documentation for the attributes.
#[proc_macro_derive(NixValue, attributes(nix))]
pub fn derive_nix_value(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    value::expand(&input)
        .unwrap_or_else(|error| {
            let mut out = error.into_compile_error();
            out.extend(value::fallback(&input));
            out
        })
        .into()
}

/// Derives `flakesmith::NixModule` for a struct whose fields are the module's options.
///
/// The generated module file declares `options.<namespace>.enable` (`lib.mkEnableOption`,
/// named after the first line of the struct's doc comment) and one `lib.mkOption` per
/// field, typed from the field's Rust type, described by its doc comment. Its config part,
/// written in an `impl ModuleConfig`, sits under `lib.mkIf cfg.enable`.
///
/// | attribute | where | effect |
/// |---|---|---|
/// | `#[nix(category = "...")]` | struct, required | `"system"`, `"services"` or `"desktop"`: the file goes to `modules/<category>/`; `"home"`: a Home Manager module, in `home/modules/` |
/// | `#[nix(namespace = "...")]` | struct, required | where the options live, such as `"fleet.docker"` |
/// | `#[nix(name = "...")]` | struct | the file name (default: the struct name in kebab-case) |
/// | `#[nix(rename_all = "...")]` | struct | naming convention for options (default `"camelCase"`) |
/// | `#[nix(default = expr)]` | field | the option's default, type-checked against the field |
/// | `#[nix(example = expr)]` | field | the option's example, type-checked against the field |
/// | `#[nix(rename = "...")]` | field | this option's name, exactly |
///
/// It also generates `<Name>Cfg` (typed `cfg.*` references for the config part) and
/// `<Name>Options` (typed handles hosts set). `flakesmith` re-exports this derive; its
/// documentation of `NixModule` has a tested example.
#[proc_macro_derive(NixModule, attributes(nix))]
pub fn derive_nix_module(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    module::expand(&input)
        .unwrap_or_else(|error| {
            let mut out = error.into_compile_error();
            out.extend(module::fallback(&input));
            out
        })
        .into()
}
