//! The options as a tree of their path segments: what the generator walks.

use std::collections::BTreeMap;

use super::json::OptionDoc;

/// A node of the option tree: the option at this path, if any, and the children.
#[derive(Default)]
pub(super) struct Node<'a> {
    pub option: Option<&'a OptionDoc>,
    /// The option this line calls by a new name, at its old path: the new path.
    pub renamed_to: Option<&'a [String]>,
    pub children: BTreeMap<String, Node<'a>>,
}

impl Node<'_> {
    /// Whether options sit below this node other than in list entries (`*`), which only
    /// a value struct reaches.
    pub(super) fn has_named_children(&self) -> bool {
        self.children.keys().any(|segment| segment != "*")
    }
}
