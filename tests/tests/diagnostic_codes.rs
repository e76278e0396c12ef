//! The guide's table of diagnostic codes is the list of kinds: one row per kind, in
//! order, with its code, severity and summary, so the docs cannot drift from the checks.

use flakesmith::{DiagnosticKind, Severity};

#[test]
fn the_guide_lists_every_diagnostic_code() {
    let readme = include_str!("../../dsl/guide/diagnostics.md");
    let rows: Vec<&str> = readme
        .lines()
        .skip_while(|line| !line.starts_with("<!-- diagnostic codes"))
        .skip(3)
        .take_while(|line| line.starts_with('|'))
        .collect();
    let expected: Vec<String> = DiagnosticKind::ALL
        .iter()
        .map(|kind| {
            let severity = match kind.severity() {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            format!("| `{}` | {severity} | {} |", kind.code(), kind.summary())
        })
        .collect();
    assert_eq!(rows, expected, "the guide's diagnostic codes table");
}
