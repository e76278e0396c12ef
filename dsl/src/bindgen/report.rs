//! What the generator makes of an options file: counts per type kind, and the type
//! strings it could not type, most frequent first.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::generate::{generate, GenerateConfig};
use super::json::OptionDoc;
use super::types::{parse_type, OptionType};

/// The report's text. Its last two lines are exactly `typed N of M options (P%)` (type
/// strings the parser understood) and `checked N of M options (P%)`: options a
/// configuration can set one by one through a binding whose Rust type rejects a wrong
/// value (not read-only, not inside a list of submodules, no `Untyped` in the type).
pub fn report(options: &[OptionDoc]) -> String {
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut untyped: BTreeMap<String, usize> = BTreeMap::new();
    let mut unchecked: BTreeMap<String, usize> = BTreeMap::new();
    // Checked is what the bindings make of each option, so the report asks the generator.
    let bound = generate(options, &GenerateConfig::default());
    let mut typed = 0;
    let mut checked = 0;
    for option in options {
        let parsed = parse_type(&option.type_description);
        *kinds.entry(parsed.kind()).or_default() += 1;
        if bound.checked.contains(&option.name()) {
            checked += 1;
        } else {
            *unchecked
                .entry(unchecked_reason(option, &parsed))
                .or_default() += 1;
        }
        if parsed.is_typed() {
            typed += 1;
        } else {
            *untyped
                .entry(option.type_description.replace('\n', " "))
                .or_default() += 1;
        }
    }
    let mut out = String::from("options by type kind:\n");
    let mut by_count: Vec<_> = kinds.into_iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (kind, count) in by_count {
        let _ = writeln!(out, "  {count:>6}  {kind}");
    }
    if !untyped.is_empty() {
        out.push_str("type strings not understood (bound as untyped values):\n");
        let mut by_count: Vec<_> = untyped.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (description, count) in by_count {
            let shown: String = description.chars().take(160).collect();
            let _ = writeln!(out, "  {count:>6}  {shown}");
        }
    }
    if !unchecked.is_empty() {
        out.push_str("options not checked, by reason:\n");
        let mut by_count: Vec<_> = unchecked.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (reason, count) in by_count {
            let _ = writeln!(out, "  {count:>6}  {reason}");
        }
    }
    let total = options.len();
    let percent = |n: usize| {
        if total == 0 {
            100.0
        } else {
            n as f64 * 100.0 / total as f64
        }
    };
    let _ = writeln!(
        out,
        "typed {typed} of {total} options ({:.1}%)",
        percent(typed)
    );
    let _ = write!(
        out,
        "checked {checked} of {total} options ({:.1}%)",
        percent(checked)
    );
    out
}

/// Why the bindings leave an option unchecked: its type, or where it sits.
fn unchecked_reason(option: &OptionDoc, parsed: &OptionType) -> String {
    if option.read_only {
        return "read-only".into();
    }
    match untyped_part(parsed) {
        Some(part) => format!("untyped: {part}"),
        None if super::rust_types::pattern_of(option).is_some() => {
            "a pattern inside a submodule value".into()
        }
        None => "below a list the bindings do not type as a list of submodules".into(),
    }
}

/// The first part of a type the bindings cannot type.
fn untyped_part(t: &OptionType) -> Option<String> {
    match t {
        OptionType::Unknown(phrase) => Some(format!("unknown `{phrase}`")),
        OptionType::Function(_) => Some("function".into()),
        OptionType::Submodule => Some("submodule with no options in the data".into()),
        OptionType::NumberBetween => Some("number within bounds (left to Nix)".into()),
        OptionType::NullOr(inner) | OptionType::ListOf(inner) | OptionType::AttrsOf(inner) => {
            untyped_part(inner)
        }
        OptionType::Union(members) => members.iter().find_map(untyped_part),
        _ => None,
    }
}
