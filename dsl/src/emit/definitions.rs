//! How definitions are written: priorities and orders as a person writes them
//! (`lib.mkDefault`, `lib.mkBefore`), Rust locations carried into the module system, and
//! definitions nested into attribute sets.

use super::{ident, string};
use crate::model::{Definition, Location, Order, Priority, SourceLocations};
use crate::nix::{Attrs, Expr, Ident};
/// A value wrapped the way a person writes it at this priority.
pub(super) fn wrap_priority(priority: Priority, value: Expr) -> Expr {
    let function = match priority {
        Priority::PLAIN => return value,
        Priority::DEFAULT => "lib.mkDefault",
        Priority::FORCE => "lib.mkForce",
        Priority::OPTION_DEFAULT => "lib.mkOptionDefault",
        Priority(n) => {
            return Expr::apply(Expr::known("lib.mkOverride"), [Expr::Int(n.into()), value])
        }
    };
    Expr::apply(Expr::known(function), [value])
}

pub(super) fn wrap_order(order: Order, value: Expr) -> Expr {
    match order {
        Order::Normal => value,
        Order::Before => Expr::apply(Expr::known("lib.mkBefore"), [value]),
        Order::After => Expr::apply(Expr::known("lib.mkAfter"), [value]),
    }
}

/// How a file's definitions carry their Rust locations.
#[derive(Clone, Copy)]
pub(super) enum Located {
    /// Not per definition (`_file` names the entity instead).
    No,
    /// `at "file:line:col" value`: the file's definitions come from several Rust files.
    Full,
    /// `at line col value`: they all come from this one Rust file, named once in `at`.
    Lines(&'static str),
}

impl Located {
    /// The form for a file whose definitions are `definitions`.
    pub(super) fn of<'d>(
        style: SourceLocations,
        definitions: impl IntoIterator<Item = &'d Definition>,
    ) -> Self {
        if style == SourceLocations::Files {
            return Located::No;
        }
        let mut files = definitions.into_iter().map(|d| d.location.file);
        match files.next() {
            Some(first) if files.all(|file| file == first) => Located::Lines(first),
            _ => Located::Full,
        }
    }

    /// The `at` helper's definition, for the file's `let` (always the file's outermost
    /// one, so the text is laid out as alejandra lays it out there).
    pub(super) fn binding(self) -> Option<(Ident, Expr)> {
        let function = match self {
            Located::No => return None,
            Located::Full => "file: value:\n    lib.mkDefinition {inherit file value;}".to_owned(),
            Located::Lines(file) => {
                let file = Location {
                    file,
                    line: 0,
                    column: 0,
                }
                .file_name();
                let quoted = crate::nix::double_quoted(&file);
                let open = &quoted[..quoted.len() - 1];
                format!("line: column: value:\n    lib.mkDefinition {{\n      file = {open}:${{toString line}}:${{toString column}}\";\n      inherit value;\n    }}")
            }
        };
        Some((ident("at"), Expr::Raw(function)))
    }

    pub(super) fn wrap(self, location: Location, value: Expr) -> Expr {
        match self {
            Located::No => value,
            Located::Full => Expr::apply(Expr::known("at"), [string(&location.to_string()), value]),
            Located::Lines(_) => Expr::apply(
                Expr::known("at"),
                [
                    Expr::Int(location.line.into()),
                    Expr::Int(location.column.into()),
                    value,
                ],
            ),
        }
    }
}

/// The right-hand side as it appears in the file: value (raw snippets with their Rust
/// location as error context), ordering, priority, the Rust location for the module
/// system (`at ...`, when the flake uses `lib.mkDefinition`), then condition (outside:
/// the module system discharges `mkIf` before it reads a definition's file).
///
/// `lib.mkDefinition` is honoured only where the module system merges an option's
/// definitions, after it has discharged `mkIf` and `mkMerge` (`mergeDefinitions` in
/// `lib/modules.nix`); anywhere else it is an attribute set with `file` and `value`. So the
/// location goes only around definitions known to be of an option and known not to be
/// a property themselves: not around a raw snippet (it may be `lib.mkIf c { ... }`), nor
/// around an attribute set. An attribute set on an untyped path may be a namespace (such
/// as `services.xserver`, whose options are its keys), and one of a typed option may be
/// the definition of a submodule (`sops.secrets.<name>`, and `nix.settings`, whose 25.05
/// type `open submodule of ...` binds as a map): `mergeDefinitions` keeps a
/// `lib.mkDefinition` as it is, and `submoduleWith` reads each definition as exactly
/// `{ file, value }`, so the extra `_type` fails the evaluation. Submodule values (a
/// struct, `null or` one) are left alone for the same reason.
pub(super) fn wrapped_value(definition: &Definition, located: Located) -> Option<Expr> {
    use crate::model::Merge;
    let value = definition.value.as_ref().ok()?;
    let submodule = matches!(
        definition.merge,
        Merge::Submodule | Merge::NullOr(Merge::Submodule)
    );
    let carries_location = match value {
        Expr::Raw(_) | Expr::Attrs(_) => false,
        _ => !submodule,
    };
    let value = with_raw_context(value, definition);
    let value = wrap_priority(definition.priority, wrap_order(definition.order, value));
    let value = if carries_location {
        located.wrap(definition.location, value)
    } else {
        value
    };
    Some(match &definition.condition {
        Some(condition) => Expr::apply(Expr::known("lib.mkIf"), [condition.clone(), value]),
        None => value,
    })
}

/// `value` with every raw snippet wrapped in `builtins.addErrorContext`, so that an
/// evaluation error inside one (`--show-trace`) names the Rust that wrote it.
pub(super) fn with_raw_context(value: &Expr, definition: &Definition) -> Expr {
    match value {
        Expr::Raw(_) => Expr::apply(
            Expr::known("builtins.addErrorContext"),
            [
                string(&format!(
                    "while evaluating the raw Nix for `{}` written at {}",
                    definition.path, definition.location
                )),
                value.clone(),
            ],
        ),
        Expr::List(items) => Expr::List(
            items
                .iter()
                .map(|item| with_raw_context(item, definition))
                .collect(),
        ),
        Expr::Attrs(attrs) => Expr::Attrs(
            attrs
                .entries()
                .iter()
                .map(|(key, item)| (key.clone(), with_raw_context(item, definition)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A module's body with what carries the Rust locations into Nix's messages: the `at`
/// helper around it (`Definitions`), or `_file` first in its attribute set (`Files`).
pub(super) fn located_module(
    style: SourceLocations,
    located: Located,
    entity: Location,
    attrs: Attrs,
    bindings: Vec<(Ident, Expr)>,
) -> Expr {
    let mut bindings = bindings;
    let attrs = match style {
        SourceLocations::Definitions => {
            bindings.splice(0..0, located.binding());
            attrs
        }
        SourceLocations::Files => {
            let mut with_file = Attrs::new().with("_file", string(&entity.to_string()));
            for (key, value) in attrs.entries() {
                with_file.insert(key.clone(), value.clone());
            }
            with_file
        }
    };
    if bindings.is_empty() {
        Expr::Attrs(attrs)
    } else {
        Expr::Let(bindings, Box::new(Expr::Attrs(attrs)))
    }
}

/// Definitions as nested attribute sets, grouping repeated paths into `lib.mkMerge`.
#[derive(Default)]
pub(super) struct DefinitionTree {
    values: Vec<Expr>,
    children: Vec<(String, DefinitionTree)>,
}

impl DefinitionTree {
    pub(super) fn insert(&mut self, path: &[String], value: Expr) {
        let Some((first, rest)) = path.split_first() else {
            self.values.push(value);
            return;
        };
        let index = match self.children.iter().position(|(k, _)| k == first) {
            Some(index) => index,
            None => {
                self.children
                    .push((first.clone(), DefinitionTree::default()));
                self.children.len() - 1
            }
        };
        self.children[index].1.insert(rest, value);
    }

    pub(super) fn add(&mut self, definitions: &[Definition], located: Located) {
        for definition in definitions {
            if let Some(value) = wrapped_value(definition, located) {
                self.insert(&definition.path.segments(), value);
            }
        }
    }

    /// A node with one value is that value; several values, or values beside nested
    /// definitions, merge with `lib.mkMerge` so that no attribute is defined twice.
    pub(super) fn into_expr(self) -> Expr {
        let mut parts = self.values;
        if !self.children.is_empty() {
            let attrs: Attrs = self
                .children
                .into_iter()
                .map(|(k, v)| (k, v.into_expr()))
                .collect();
            parts.push(Expr::Attrs(attrs));
        }
        match parts.len() {
            1 => parts.pop().expect("one part"),
            _ => Expr::apply(Expr::known("lib.mkMerge"), [Expr::List(parts)]),
        }
    }

    pub(super) fn into_attrs(self, leading: Attrs) -> Attrs {
        let mut attrs = leading;
        for (key, child) in self.children {
            attrs.insert(key, child.into_expr());
        }
        attrs
    }
}
