//! What a host's configuration actually defines: the definitions of its own and of the
//! modules it imports, with modules that declare options and are not enabled left out,
//! `cfg.*` references replaced by the values the host gives them (or their defaults),
//! and attribute-set values flattened into one definition per leaf.
//!
//! The checks that need the whole host (conflicts, references, secrets, lints) read
//! this instead of re-deriving it.

use std::collections::BTreeMap;

use crate::model::{Definition, Host, Lint, Location, Module, Order, Priority};
use crate::nix::Expr;

/// Where a definition was made.
#[derive(Clone, Copy)]
pub(crate) enum Origin<'a> {
    Module(&'a Module),
    Host,
}

impl Origin<'_> {
    pub(crate) fn allows(&self, host: &Host, lint: Lint) -> bool {
        match self {
            Origin::Module(module) => module.allowed.contains(&lint),
            Origin::Host => host.allowed.contains(&lint),
        }
    }

    pub(crate) fn describe(&self, host: &Host) -> String {
        match self {
            Origin::Module(module) => format!("module `{}`", module.name),
            Origin::Host => format!("host `{}`", host.name),
        }
    }
}

/// One definition of one leaf option path, as it applies to the host.
pub(crate) struct Leaf<'a> {
    pub path: Vec<String>,
    /// The value with `cfg.*` resolved; `None` when it depends on something the checker
    /// cannot know (an unset option without default, a function of `config`).
    pub value: Option<Expr>,
    pub priority: Priority,
    pub order: Order,
    pub location: Location,
    pub origin: Origin<'a>,
}

/// A host's applicable definitions, one per leaf.
pub(crate) struct Effective<'a> {
    pub host: &'a Host,
    pub leaves: Vec<Leaf<'a>>,
    /// Leaf indices by path, in definition order.
    by_path: BTreeMap<Vec<String>, Vec<usize>>,
}

impl<'a> Effective<'a> {
    pub(crate) fn of(host: &'a Host) -> Self {
        let modules = host.unique_modules();
        let raw: Vec<(&Definition, Origin)> = modules
            .iter()
            .flat_map(|m| m.definitions.iter().map(move |d| (d, Origin::Module(m))))
            .chain(host.definitions.iter().map(|d| (d, Origin::Host)))
            .collect();

        let mut leaves = Vec::new();
        for (definition, origin) in &raw {
            let cfg = match origin {
                Origin::Module(module) if module.options.is_some() => {
                    match module_cfg(module, &raw) {
                        Some(cfg) => Some(cfg),
                        None => continue, // not enabled on this host: its config does not apply
                    }
                }
                _ => None,
            };
            let resolve = |expr: &Expr| match &cfg {
                Some(cfg) => substitute(expr, cfg),
                None => Some(expr.clone()),
            };
            if let Some(condition) = &definition.condition {
                if resolve(condition) != Some(Expr::Bool(true)) {
                    continue; // false, or not known to be true: not a definition we can judge
                }
            }
            let value = definition.value.as_ref().ok().and_then(resolve);
            let mut flat = Vec::new();
            flatten(definition.path.segments(), value, &mut flat);
            for (path, value) in flat {
                leaves.push(Leaf {
                    path,
                    value,
                    priority: definition.priority,
                    order: definition.order,
                    location: definition.location,
                    origin: *origin,
                });
            }
        }
        let mut by_path: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
        for (index, leaf) in leaves.iter().enumerate() {
            by_path.entry(leaf.path.clone()).or_default().push(index);
        }
        Effective {
            host,
            leaves,
            by_path,
        }
    }

    /// The leaves of one path, in definition order.
    pub(crate) fn leaves_at(&self, path: &[&str]) -> Vec<&Leaf<'a>> {
        let key: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        self.by_path
            .get(&key)
            .map(|ix| ix.iter().map(|i| &self.leaves[*i]).collect())
            .unwrap_or_default()
    }

    /// Every path with its leaves.
    pub(crate) fn paths(&self) -> impl Iterator<Item = (&Vec<String>, Vec<&Leaf<'a>>)> {
        self.by_path
            .iter()
            .map(|(path, ix)| (path, ix.iter().map(|i| &self.leaves[*i]).collect()))
    }

    /// The value the module system would settle on for `path`, when the checker can tell.
    pub(crate) fn winning(&self, path: &[&str]) -> Option<Expr> {
        winning_value(&self.leaves_at(path))
    }

    /// Whether `path` is known to end up `true`.
    pub(crate) fn is_true(&self, path: &[&str]) -> bool {
        self.winning(path) == Some(Expr::Bool(true))
    }
}

/// The value a set of definitions of one option settles on: the strongest priority wins,
/// lists at that priority concatenate in `mkBefore`/normal/`mkAfter` order.
pub(crate) fn winning_value(leaves: &[&Leaf]) -> Option<Expr> {
    let strongest = leaves.iter().map(|l| l.priority).min()?;
    let top: Vec<&&Leaf> = leaves.iter().filter(|l| l.priority == strongest).collect();
    if top.iter().all(|l| matches!(l.value, Some(Expr::List(_)))) && top.len() > 1 {
        let mut items = Vec::new();
        for order in [Order::Before, Order::Normal, Order::After] {
            for leaf in top.iter().filter(|l| l.order == order) {
                if let Some(Expr::List(list)) = &leaf.value {
                    items.extend(list.iter().cloned());
                }
            }
        }
        return Some(Expr::List(items));
    }
    top.first().and_then(|l| l.value.clone())
}

/// The values of a module's own options on this host, or `None` when the module is not
/// enabled there.
fn module_cfg(module: &Module, raw: &[(&Definition, Origin)]) -> Option<BTreeMap<String, Expr>> {
    let options = module.options.as_ref()?;
    let value_of = |name: &str| -> Option<Expr> {
        let path = options.option_path(name);
        let leaves: Vec<Leaf> = raw
            .iter()
            .filter(|(d, _)| d.path == path && d.condition.is_none())
            .map(|(d, origin)| Leaf {
                path: Vec::new(),
                value: d.value.clone().ok(),
                priority: d.priority,
                order: d.order,
                location: d.location,
                origin: *origin,
            })
            .collect();
        winning_value(&leaves.iter().collect::<Vec<_>>())
    };
    if value_of("enable") != Some(Expr::Bool(true)) {
        return None;
    }
    let mut cfg = BTreeMap::new();
    cfg.insert("enable".to_owned(), Expr::Bool(true));
    for declaration in &options.options {
        let value = value_of(&declaration.name)
            .or_else(|| declaration.default.clone().and_then(Result::ok));
        if let Some(value) = value {
            cfg.insert(declaration.name.clone(), value);
        }
    }
    Some(cfg)
}

/// `expr` with every `cfg.<name>` replaced; `None` if one of them is unknown.
fn substitute(expr: &Expr, cfg: &BTreeMap<String, Expr>) -> Option<Expr> {
    Some(match expr {
        Expr::Select(var, path) if var.as_str() == "cfg" => {
            let [name] = path.as_slice() else { return None };
            cfg.get(name)?.clone()
        }
        Expr::List(items) => Expr::List(
            items
                .iter()
                .map(|i| substitute(i, cfg))
                .collect::<Option<_>>()?,
        ),
        Expr::Attrs(attrs) => {
            let mut out = crate::nix::Attrs::new();
            for (key, value) in attrs.entries() {
                out.insert(key.clone(), substitute(value, cfg)?);
            }
            Expr::Attrs(out)
        }
        other => other.clone(),
    })
}

/// Splits an attribute-set value into one value per leaf path, the way the module
/// system merges them key by key.
fn flatten(path: Vec<String>, value: Option<Expr>, out: &mut Vec<(Vec<String>, Option<Expr>)>) {
    match value {
        Some(Expr::Attrs(attrs)) if !attrs.is_empty() => {
            for (key, child) in attrs.entries() {
                let mut child_path = path.clone();
                child_path.push(key.clone());
                flatten(child_path, Some(child.clone()), out);
            }
        }
        other => out.push((path, other)),
    }
}
