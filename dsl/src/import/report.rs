//! What the import did, per file: definitions typed, raw (each with its `file:line` and
//! reason) and skipped (with why), and files kept as they are.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::convert::Call;

/// One file's share.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    pub typed: usize,
    /// `file:line` and reason of each raw definition.
    pub raw: Vec<(String, String)>,
    /// `file:line` and why of each definition left out.
    pub skipped: Vec<(String, String)>,
    /// Why the file stays a hand-kept file, when it does.
    pub hand_kept: Option<String>,
    /// How many definitions a hand-kept file makes (counted as syntax): in the share's
    /// denominator, since they are the flake's definitions too.
    pub hand_kept_definitions: usize,
    /// `file:line` and text of what the reader should know (an assumed system, an output
    /// of the flake carried as it is).
    pub notes: Vec<(String, String)>,
}

impl FileReport {
    pub fn count(&mut self, call: &Call) {
        match &call.raw {
            None => self.typed += 1,
            Some(reason) => self.raw.push((call.source.clone(), reason.clone())),
        }
        if call.plaintext_secret {
            self.note(
                call.source.clone(),
                "a plaintext secret, as in the original: allowed where it is defined (`.allow(Lint::PlaintextSecret)`); move it to a secret manager (`Secret::sops`, `Secret::agenix`) and drop the allowance".to_owned(),
            );
        }
    }

    pub fn skip(&mut self, at: String, why: String) {
        self.skipped.push((at, why));
    }

    pub fn hand_kept(&mut self, why: String, definitions: usize) {
        self.hand_kept = Some(why);
        self.hand_kept_definitions = definitions;
    }

    /// Adds a note; the same words at the same place are said once.
    pub fn note(&mut self, at: String, text: String) {
        if !self.notes.iter().any(|(a, t)| *a == at && *t == text) {
            self.notes.push((at, text));
        }
    }
}

/// The whole import's report, by file.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub files: BTreeMap<String, FileReport>,
}

impl Report {
    pub fn add(&mut self, file: &str, part: FileReport) {
        let entry = self.files.entry(file.to_owned()).or_default();
        entry.typed += part.typed;
        entry.raw.extend(part.raw);
        entry.skipped.extend(part.skipped);
        for (at, text) in part.notes {
            entry.note(at, text);
        }
        if part.hand_kept.is_some() {
            entry.hand_kept = part.hand_kept;
            entry.hand_kept_definitions = part.hand_kept_definitions;
        } else {
            // Definitions kept beside a typed module (those naming files by path).
            entry.hand_kept_definitions += part.hand_kept_definitions;
        }
    }

    pub fn typed(&self) -> usize {
        self.files.values().map(|f| f.typed).sum()
    }

    pub fn raw(&self) -> usize {
        self.files.values().map(|f| f.raw.len()).sum()
    }

    pub fn skipped(&self) -> usize {
        self.files.values().map(|f| f.skipped.len()).sum()
    }

    /// Definitions in files kept as they are.
    pub fn hand_kept(&self) -> usize {
        self.files.values().map(|f| f.hand_kept_definitions).sum()
    }

    /// Every definition of the flake the importer read: typed, raw and hand-kept.
    pub fn definitions(&self) -> usize {
        self.typed() + self.raw() + self.hand_kept()
    }

    /// Typed definitions among all the flake's definitions (typed, raw and hand-kept),
    /// in percent.
    pub fn typed_share(&self) -> f64 {
        let all = self.definitions();
        if all == 0 {
            100.0
        } else {
            self.typed() as f64 * 100.0 / all as f64
        }
    }

    /// The report as Markdown: a table per file, then every raw and skipped definition.
    pub fn render(&self) -> String {
        let mut out = String::from(
            "| file | typed | raw | hand-kept | skipped |\n|---|---:|---:|---:|---:|\n",
        );
        let mut kept = Vec::new();
        for (file, report) in &self.files {
            let _ = writeln!(
                out,
                "| `{file}` | {} | {} | {} | {} |",
                report.typed,
                report.raw.len(),
                report.hand_kept_definitions,
                report.skipped.len()
            );
            if let Some(why) = &report.hand_kept {
                kept.push((file, why));
            }
        }
        let _ = writeln!(
            out,
            "| **all** | {} | {} | {} | {} |\n\nTyped: {:.1}% of the flake's definitions ({} of {}; hand-kept files counted).",
            self.typed(),
            self.raw(),
            self.hand_kept(),
            self.skipped(),
            self.typed_share(),
            self.typed(),
            self.definitions()
        );
        if !kept.is_empty() {
            out.push_str("\nKept as hand-kept files (copied, parsed, imported as they are):\n\n");
            for (file, why) in kept {
                let _ = writeln!(out, "- `{file}`: {why}");
            }
        }
        let notes: Vec<_> = self.files.values().flat_map(|f| &f.notes).collect();
        if !notes.is_empty() {
            out.push_str("\nNotes:\n\n");
            for (at, text) in notes {
                let _ = writeln!(out, "- `{at}`: {text}");
            }
        }
        let raw: Vec<_> = self.files.values().flat_map(|f| &f.raw).collect();
        if !raw.is_empty() {
            out.push_str(
                "\nRaw definitions (`Raw::nix`, marked `// TODO(import)` in the Rust):\n\n",
            );
            for (at, reason) in raw {
                let _ = writeln!(out, "- `{at}`: {reason}");
            }
        }
        let skipped: Vec<_> = self.files.values().flat_map(|f| &f.skipped).collect();
        if !skipped.is_empty() {
            out.push_str("\nLeft out:\n\n");
            for (at, why) in skipped {
                let _ = writeln!(out, "- `{at}`: {why}");
            }
        }
        out
    }
}
