//! Where each option's binding is and what it takes: what `flakesmith import` reads to
//! turn a Nix definition into a typed Rust call.

use std::collections::BTreeMap;

use super::types::OptionType;

/// The binding of one option.
#[derive(Clone, Debug)]
pub struct Binding {
    /// The Rust expression of the handle below the bindings' root, with `{}` for each
    /// `<name>` of the option's path in turn (`users::users::user({}).is_normal_user()`).
    pub handle: String,
    pub option_type: OptionType,
    /// The Rust path (below the bindings' root) of the enum the option's values are, or
    /// of their items for a list or `null or`.
    pub enum_type: Option<String>,
    /// The Rust path (below the bindings' root) of the struct that writes the option's
    /// submodule values (`networking::interfaces::AddressesValue`), of its items, entries
    /// or union member: a key of [`Index::values`].
    pub value_type: Option<String>,
    pub read_only: bool,
}

/// Every option's binding, by its name (`users.users.<name>.isNormalUser`), every
/// enum's variants by its Rust path, and every submodule value struct's setters.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub options: BTreeMap<String, Binding>,
    pub enums: BTreeMap<String, Vec<(String, String)>>,
    /// By the struct's Rust path, its options by their name in the submodule
    /// (`prefixLength`), each with the setter as its handle (`prefix_length`).
    pub values: BTreeMap<String, BTreeMap<String, Binding>>,
}

impl Index {
    /// The variant of `enum_type` that writes `value`.
    pub fn variant(&self, enum_type: &str, value: &str) -> Option<&str> {
        self.enums
            .get(enum_type)?
            .iter()
            .find(|(text, _)| text == value)
            .map(|(_, variant)| variant.as_str())
    }
}

/// `module::name`, or `name` at the root.
pub(super) fn item_path(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_owned()
    } else {
        format!("{module}::{name}")
    }
}
