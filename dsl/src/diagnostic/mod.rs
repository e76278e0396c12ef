//! Diagnostics, rendered the way rustc renders its own. Each has a [`Kind`] with a stable
//! code (`error[duplicate-host]`); the message says what is wrong in this configuration.

mod explain;
mod kind;

use std::fmt;

pub use kind::Kind;

use crate::model::Location;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place a diagnostic points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Label {
    /// A definition or entity in the user's Rust source.
    Rust { location: Location, note: String },
    /// A spot in a Nix file, shown with its line and a caret.
    Nix {
        file: String,
        line: usize,
        column: usize,
        source_line: String,
        note: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub kind: Kind,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic of `kind`, at the kind's severity.
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            severity: kind.severity(),
            message: message.into(),
            labels: Vec::new(),
            help: None,
        }
    }

    /// The kind's stable code.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Points at Rust source, with a note saying what is there.
    pub fn at(mut self, location: Location, note: impl Into<String>) -> Self {
        self.labels.push(Label::Rust {
            location,
            note: note.into(),
        });
        self
    }

    /// Points at a spot in Nix text (1-based line and column).
    pub fn at_nix(
        mut self,
        file: impl Into<String>,
        text: &str,
        line: usize,
        column: usize,
        note: impl Into<String>,
    ) -> Self {
        let source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .to_owned();
        self.labels.push(Label::Nix {
            file: file.into(),
            line,
            column,
            source_line,
            note: note.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{severity}[{}]: {}", self.code(), self.message)?;
        for label in &self.labels {
            match label {
                Label::Rust { location, note } => {
                    writeln!(f, "  --> {location}")?;
                    if !note.is_empty() {
                        writeln!(f, "   = note: {note}")?;
                    }
                }
                Label::Nix {
                    file,
                    line,
                    column,
                    source_line,
                    note,
                } => {
                    let gutter = line.to_string().len();
                    let pad = " ".repeat(gutter);
                    writeln!(f, "  --> {file}:{line}:{column}")?;
                    writeln!(f, " {pad} |")?;
                    writeln!(f, " {line} | {source_line}")?;
                    // Columns count characters; tabs keep their width so the caret lines up.
                    let lead: String = source_line
                        .chars()
                        .take(column.saturating_sub(1))
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    writeln!(f, " {pad} | {lead}^ {note}")?;
                }
            }
        }
        if let Some(help) = &self.help {
            writeln!(f, "   = help: {help}")?;
        }
        Ok(())
    }
}

/// Renders a list of diagnostics with a closing count line, like cargo does.
pub fn render_all(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&diagnostic.to_string());
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors > 0 {
        out.push_str(&format!(
            "flakesmith: configuration rejected: {}, {}\n",
            plural(errors, "error"),
            plural(warnings, "warning")
        ));
        // As rustc's `--explain`: the codes shown, each once, in the order they came.
        let mut codes: Vec<&str> = Vec::new();
        for diagnostic in diagnostics {
            if !codes.contains(&diagnostic.kind.code()) {
                codes.push(diagnostic.kind.code());
            }
        }
        out.push_str(&format!(
            "For more about a code, run `flakesmith explain CODE` (here: {}).\n",
            codes.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_rust_and_nix_labels() {
        let location = Location {
            file: "config/hosts.rs",
            line: 12,
            column: 5,
        };
        let diagnostic = Diagnostic::new(Kind::InvalidNixSource, "bad thing")
            .at(location, "defined here")
            .at_nix("hw.nix", "{\n  a = ;\n}\n", 2, 7, "unexpected `;`")
            .help("fix it");
        assert_eq!(
            diagnostic.to_string(),
            "error[invalid-nix-source]: bad thing\n  --> config/hosts.rs:12:5\n   = note: defined here\n  --> hw.nix:2:7\n   |\n 2 |   a = ;\n   |       ^ unexpected `;`\n   = help: fix it\n"
        );
    }
}
