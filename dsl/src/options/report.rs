//! What the generator makes of an options file: counts per type kind, and the type
//! strings it could not type, most frequent first.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::json::OptionDoc;
use super::types::parse_type;

/// The report's text. Its last line is exactly `typed N of M options (P%)`.
pub fn report(options: &[OptionDoc]) -> String {
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut untyped: BTreeMap<String, usize> = BTreeMap::new();
    let mut typed = 0;
    for option in options {
        let parsed = parse_type(&option.type_description);
        *kinds.entry(parsed.kind()).or_default() += 1;
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
    let total = options.len();
    let percent = if total == 0 {
        100.0
    } else {
        typed as f64 * 100.0 / total as f64
    };
    let _ = write!(out, "typed {typed} of {total} options ({percent:.1}%)");
    out
}
