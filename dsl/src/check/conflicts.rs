//! Definitions that do not merge, and definitions that lose.

use super::effective::{Effective, Leaf};
use crate::diagnostic::Diagnostic;
use crate::model::Lint;
use crate::nix::{print_expr, Expr};

/// Two definitions of one option at its winning priority with different scalar values
/// are a conflict Nix would report at evaluation time. Lists concatenate and attribute
/// sets merge key by key (the effective view already split them into leaves), so those
/// are not conflicts.
pub(crate) fn conflicts(effective: &Effective, out: &mut Vec<Diagnostic>) {
    let entity = effective.entity.as_str();
    for (path, leaves) in effective.paths() {
        let Some(strongest) = leaves.iter().map(|l| l.priority).min() else {
            continue;
        };
        let top: Vec<&&Leaf> = leaves.iter().filter(|l| l.priority == strongest).collect();
        let scalars: Vec<&&&Leaf> = top.iter().filter(|l| is_scalar(l)).collect();
        let Some(first) = scalars.first() else {
            continue;
        };
        for other in &scalars[1..] {
            if other.value != first.value {
                out.push(
                    Diagnostic::error(format!(
                        "conflicting definitions of `{}` on {entity}, both {strongest}",
                        dotted(path),
                    ))
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
                    .help("make the one that should win `force`, or the other a `default`"),
                );
            }
        }
    }
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
                    Diagnostic::warning(format!(
                        "this definition of `{}` on {entity} has no effect: {} overrides it",
                        dotted(path),
                        winner.origin.describe(entity)
                    ))
                    .code(Lint::NoEffect.name())
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

fn is_scalar(leaf: &Leaf) -> bool {
    matches!(&leaf.value, Some(value) if !matches!(value, Expr::List(_) | Expr::Attrs(_)))
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
