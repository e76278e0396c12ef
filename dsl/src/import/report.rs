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
}

impl FileReport {
    pub fn count(&mut self, call: &Call) {
        match &call.raw {
            None => self.typed += 1,
            Some(reason) => self.raw.push((call.source.clone(), reason.clone())),
        }
    }

    pub fn skip(&mut self, at: String, why: String) {
        self.skipped.push((at, why));
    }

    pub fn hand_kept(&mut self, why: String) {
        self.hand_kept = Some(why);
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
        if part.hand_kept.is_some() {
            entry.hand_kept = part.hand_kept;
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

    /// Typed definitions among the typed and raw ones, in percent.
    pub fn typed_share(&self) -> f64 {
        let all = self.typed() + self.raw();
        if all == 0 {
            100.0
        } else {
            self.typed() as f64 * 100.0 / all as f64
        }
    }

    /// The report as Markdown: a table per file, then every raw and skipped definition.
    pub fn render(&self) -> String {
        let mut out = String::from("| file | typed | raw | skipped |\n|---|---:|---:|---:|\n");
        for (file, report) in &self.files {
            match &report.hand_kept {
                Some(why) => {
                    let _ = writeln!(out, "| `{file}` | kept as a hand-kept file: {why} | | |");
                }
                None => {
                    let _ = writeln!(
                        out,
                        "| `{file}` | {} | {} | {} |",
                        report.typed,
                        report.raw.len(),
                        report.skipped.len()
                    );
                }
            }
        }
        let _ = writeln!(
            out,
            "| **all** | {} | {} | {} |\n\nTyped: {:.1}% of the definitions read ({} of {}).",
            self.typed(),
            self.raw(),
            self.skipped(),
            self.typed_share(),
            self.typed(),
            self.typed() + self.raw()
        );
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
