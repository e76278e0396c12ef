//! Definitions that do not merge, and definitions that lose.

use super::effective::{Effective, Leaf};
use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Lint, Merge};
use crate::nix::{print_expr, Expr};

/// Definitions of one option at its winning priority that the module system cannot
/// merge, by the rule of the option's type: different values of a type that must agree,
/// a second definition of a `package` (even an equal one), `null` beside a value of a
/// `null or T`. Lists and concatenated strings merge; attribute sets merge key by key
/// (the effective view already split them into leaves). A value the checker cannot know
/// (a raw snippet that is not a literal, a `cfg` reference without value) is left to Nix.
pub(crate) fn conflicts(effective: &Effective, out: &mut Vec<Diagnostic>) {
    let entity = effective.entity.as_str();
    for (path, leaves) in effective.paths() {
        let Some((strongest, top)) = super::effective::strongest(&leaves) else {
            continue;
        };
        let Some((first, other, why)) = unmergeable(&top) else {
            continue;
        };
        let help = match why {
            Why::Unique => "a package option takes one definition: remove one, or make the one that should win `force` (or the other a `default`)",
            _ if first.priority == crate::model::Priority::DEFAULT => "make the one that should win a `set` (a plain definition), or remove the other",
            _ => "make the one that should win `force`, or the other a `default`",
        };
        let message = match why {
            Why::Differ => format!(
                "conflicting definitions of `{}` on {entity}, both {strongest}",
                dotted(path)
            ),
            Why::Unique => format!(
                "`{}` on {entity} is defined twice, both {strongest}, and its type (a package) takes one definition",
                dotted(path)
            ),
            Why::NullAndValue => format!(
                "`{}` on {entity} is defined both `null` and not `null`, both {strongest}",
                dotted(path)
            ),
        };
        out.push(
            Diagnostic::new(Kind::ConflictingDefinitions, message)
                .at(
                    first.location,
                    format!(
                        "{} defines {}",
                        first.origin.describe(entity),
                        short(&first.value)
                    ),
                )
                .at(
                    other.location,
                    format!(
                        "{} defines {}",
                        other.origin.describe(entity),
                        short(&other.value)
                    ),
                )
                .help(help),
        );
    }
}

/// Why two definitions do not merge.
enum Why {
    Differ,
    Unique,
    NullAndValue,
}

/// The first pair of definitions the module system would refuse to merge, if any.
fn unmergeable<'l, 'a>(top: &[&'l Leaf<'a>]) -> Option<(&'l Leaf<'a>, &'l Leaf<'a>, Why)> {
    let rule = top
        .iter()
        .map(|l| l.merge.judged())
        .find(|m| *m != Merge::Unknown)
        .unwrap_or(Merge::Unknown);
    let (rule, candidates): (Merge, Vec<&Leaf>) = match rule {
        Merge::NullOr(inner) => {
            let null = top.iter().find(|l| l.value == Some(Expr::Null));
            let value = top
                .iter()
                .find(|l| matches!(&l.value, Some(v) if *v != Expr::Null));
            if let (Some(null), Some(value)) = (null, value) {
                return Some((*null, *value, Why::NullAndValue));
            }
            (
                *inner,
                top.iter()
                    .copied()
                    .filter(|l| l.value != Some(Expr::Null))
                    .collect(),
            )
        }
        rule => (rule, top.to_vec()),
    };
    match rule {
        Merge::List | Merge::Concatenated => None,
        Merge::Unique => {
            let [a, b, ..] = candidates[..] else {
                return None;
            };
            Some((a, b, Why::Unique))
        }
        _ => {
            // Equal-or-conflicting: values that are known and are not containers (a list
            // or set reaching here merges by its own type, which the leaf cannot tell).
            let known: Vec<&Leaf> = candidates.into_iter().filter(|l| comparable(l)).collect();
            let a = *known.first()?;
            known[1..]
                .iter()
                .find(|b| b.value != a.value)
                .map(|b| (a, *b, Why::Differ))
        }
    }
}

fn comparable(leaf: &Leaf) -> bool {
    matches!(&leaf.value, Some(value) if !matches!(value, Expr::List(_) | Expr::Attrs(_) | Expr::Raw(_)))
}

/// A host definition at a weaker priority than another definition of the same option
/// never takes effect: usually a `default` meant as an override.
pub(crate) fn no_effect(effective: &Effective, out: &mut Vec<Diagnostic>) {
    let entity = effective.entity.as_str();
    if effective.allowed.contains(&Lint::NoEffect) {
        return;
    }
    for (path, leaves) in effective.paths() {
        let Some(winner) = leaves.iter().min_by_key(|l| l.priority) else {
            continue;
        };
        for leaf in &leaves {
            if leaf.origin.is_own() && leaf.priority > winner.priority {
                out.push(
                    Diagnostic::new(
                        Kind::NoEffect,
                        format!(
                            "this definition of `{}` on {entity} has no effect: {} overrides it",
                            dotted(path),
                            winner.origin.describe(entity)
                        ),
                    )
                    .at(leaf.location, format!("{} here", leaf.priority))
                    .at(winner.location, format!("{} wins", winner.priority))
                    .help(format!(
                        "use `set` or `force` to override; {}",
                        Lint::NoEffect.allow_hint(entity)
                    )),
                );
            }
        }
    }
}

pub(crate) fn dotted(path: &[String]) -> String {
    crate::option::OptionPath::Owned(path.to_vec()).to_string()
}

fn short(value: &Option<Expr>) -> String {
    match value {
        Some(expr) => {
            let text = print_expr(expr);
            if text.len() > 60 || text.contains('\n') {
                "a different value".to_owned()
            } else {
                format!("`{text}`")
            }
        }
        None => "a value".to_owned(),
    }
}
