//! Each definition on its own: a value Nix can represent, not nested past what the
//! printer walks, raw snippets that parse, strings that match their option's pattern.

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::Definition;
use crate::nix::Expr;

/// How deep a value may nest. The printer and the checks recurse over values; a limit
/// far beyond any real configuration keeps a pathological value from exhausting the stack.
pub const MAX_NESTING: usize = 256;

/// The nesting depth of a value, computed without recursion.
pub(crate) fn nesting(expr: &crate::nix::Expr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(expr, 1usize)];
    while let Some((expr, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if depth > MAX_NESTING {
            break;
        }
        stack.extend(expr.children().into_iter().map(|child| (child, depth + 1)));
    }
    deepest
}

/// Whether any definition of the flake nests deeper than [`MAX_NESTING`]; such values
/// are reported by [`definitions`] and keep the whole-host checks from running.
pub(crate) fn too_deep(definitions: &[Definition]) -> bool {
    definitions
        .iter()
        .any(|d| matches!(&d.value, Ok(v) if nesting(v) > MAX_NESTING))
}

/// The hand-written snippets inside a value, found without recursion.
pub(super) fn raw_snippets(expr: &crate::nix::Expr) -> Vec<&str> {
    let mut found = Vec::new();
    let mut stack = vec![expr];
    while let Some(expr) = stack.pop() {
        if let crate::nix::Expr::Raw(text) = expr {
            found.push(text.as_str());
        }
        stack.extend(expr.children());
    }
    found
}

/// Every string of a value (a string, the strings of a list) must match the pattern of
/// the option's `string matching the pattern` type, as NixOS would check at evaluation.
fn matches_pattern(
    entity: &str,
    definition: &Definition,
    pattern: &str,
    value: &Expr,
    out: &mut Vec<Diagnostic>,
) {
    let Some(regex) = super::pattern::compile(pattern) else {
        return; // a pattern the translation cannot take is left to Nix
    };
    let strings: Vec<&str> = match value {
        Expr::Str(s) => vec![s.as_str()],
        Expr::List(items) => items
            .iter()
            .filter_map(|item| match item {
                Expr::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for text in strings.into_iter().filter(|t| !regex.is_match(t)) {
        out.push(
            Diagnostic::new(Kind::PatternMismatch, format!(
                "`{}` on {entity} is `{}`, which NixOS rejects: it does not match the pattern of the option's type",
                definition.path,
                text.escape_debug()
            ))
            .at(definition.location, "defined here")
            .help(format!("the option's type is a string matching {pattern}")),
        );
    }
}

/// Every definition needs a path, and a value Nix can represent.
pub(super) fn definitions(
    entity: &str,
    definitions: &[Definition],
    parse: super::Parser,
    out: &mut Vec<Diagnostic>,
) {
    for definition in definitions {
        if let Ok(value) = &definition.value {
            if nesting(value) <= MAX_NESTING {
                for snippet in raw_snippets(value) {
                    if let Err(error) = parse(snippet) {
                        out.push(
                            Diagnostic::new(
                                Kind::InvalidRawNix,
                                format!(
                                    "the raw Nix for `{}` in {entity} does not parse: {}",
                                    definition.path, error.message
                                ),
                            )
                            .at_nix("<raw Nix>", snippet, error.line, error.column, "here")
                            .at(definition.location, "defined here"),
                        );
                    }
                }
            }
        }
        if let Ok(value) = &definition.value {
            if nesting(value) > MAX_NESTING {
                out.push(
                    Diagnostic::new(Kind::NestingTooDeep, format!(
                        "the value of `{}` in {entity} nests more than {MAX_NESTING} levels deep",
                        definition.path
                    ))
                    .at(definition.location, "defined here")
                    .help("no NixOS option needs values this deep; build the value from a flatter structure"),
                );
            }
        }
        let segments = definition.path.segments();
        if segments.is_empty() {
            out.push(
                Diagnostic::new(
                    Kind::EmptyOptionPath,
                    format!("{entity} defines an option with an empty path"),
                )
                .at(definition.location, "defined here")
                .help("name the option: `Opt::untyped(&[\"services\", \"x\", \"enable\"])`, or use a binding"),
            );
        } else if segments.iter().any(String::is_empty) {
            // Shown as Nix would quote it, so the empty name is visible.
            let shown: Vec<String> = segments
                .iter()
                .map(|s| crate::nix::quote_attr_name(s))
                .collect();
            out.push(
                Diagnostic::new(
                    Kind::EmptyOptionPath,
                    format!(
                        "{entity} defines `{}`, whose path has an empty name in it",
                        shown.join(".")
                    ),
                )
                .at(definition.location, "defined here")
                .help("the name given to the option's accessor (a user, a host, a secret, ...) is empty: give it the name it stands for"),
            );
        }
        if let (Some(pattern), Ok(value)) = (definition.pattern, &definition.value) {
            matches_pattern(entity, definition, pattern, value, out);
        }
        if definition.path.segments().first().map(String::as_str) == Some("imports") {
            out.push(
                Diagnostic::new(Kind::ImportsAsOption, format!(
                    "{entity} defines `imports` as if it were an option"
                ))
                .at(definition.location, "defined here")
                .help("`imports` is not an option: a definition would replace the imports flakesmith writes (the hardware configuration and every module). Import a module with `.import(module)`, and hand-kept Nix with `.import(Module::nix_file(category, name, path))`"),
            );
        }
        if let Err(error) = &definition.value {
            out.push(
                Diagnostic::new(
                    Kind::UnwritableValue,
                    format!(
                        "the value of `{}` in {entity} cannot be written as Nix: {error}",
                        definition.path
                    ),
                )
                .at(definition.location, "defined here"),
            );
        }
    }
}
