//! The command line of a configuration crate's binary: write, check or diff the tree
//! its build script embedded.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::tree::{EmbeddedTree, Tree};
use crate::writer::{self, DifferenceKind};

const USAGE: &str = "\
Write the flake tree this configuration compiles to.

Usage: example-config [--out DIR] [--check | --diff] [--force]

Options:
  -o, --out DIR   the directory to write or compare (default: ./flake)
      --check     write nothing; exit 1 and show a unified diff if DIR differs
      --diff      write nothing; show the unified diff between DIR and the tree
      --force     overwrite generated files that were edited by hand
  -h, --help      show this help
";

#[derive(Debug, PartialEq, Eq)]
enum Mode {
    Write { force: bool },
    Check,
    Diff,
}

#[derive(Debug, PartialEq, Eq)]
struct Args {
    out: PathBuf,
    mode: Mode,
}

fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Option<Args>, lexopt::Error> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let (mut out, mut check, mut diff, mut force) = (PathBuf::from("flake"), false, false, false);
    while let Some(arg) = parser.next()? {
        match arg {
            Short('o') | Long("out") => out = parser.value()?.into(),
            Long("check") => check = true,
            Long("diff") => diff = true,
            Long("force") => force = true,
            Short('h') | Long("help") => return Ok(None),
            _ => return Err(arg.unexpected()),
        }
    }
    let mode = match (check, diff) {
        (true, true) => return Err("--check and --diff do not go together".into()),
        (true, false) => Mode::Check,
        (false, true) => Mode::Diff,
        (false, false) => Mode::Write { force },
    };
    if force && mode != (Mode::Write { force: true }) {
        return Err("--force only applies when writing".into());
    }
    Ok(Some(Args { out, mode }))
}

/// Runs the command line over an embedded tree: `fn main() -> ExitCode { flakesmith::cli::main(&FLAKESMITH_TREE) }`.
pub fn main(tree: &EmbeddedTree) -> ExitCode {
    match parse_args(std::env::args_os().skip(1)) {
        Ok(Some(args)) => run(&args, &tree.to_tree()),
        Ok(None) => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// Standard output that stops quietly when the reader goes away (`--diff | head`),
/// where `print!` would panic.
struct Stdout {
    closed: bool,
}

impl Stdout {
    fn print(&mut self, text: std::fmt::Arguments) {
        if self.closed {
            return;
        }
        if let Err(error) = std::io::stdout().lock().write_fmt(text) {
            if error.kind() != std::io::ErrorKind::BrokenPipe {
                eprintln!("error: cannot write to standard output: {error}");
            }
            self.closed = true;
        }
    }
}

fn run(args: &Args, tree: &Tree) -> ExitCode {
    let out = &args.out;
    let mut stdout = Stdout { closed: false };
    match args.mode {
        Mode::Write { force } => match writer::write(out, tree, force) {
            Ok(report) => {
                stdout.print(format_args!(
                    "flakesmith: {} {} ({}; {})\n",
                    if report.changed() {
                        "wrote"
                    } else {
                        "up to date:"
                    },
                    out.display(),
                    listing("host", &tree.hosts),
                    listing("Home Manager user", &tree.users),
                ));
                let written: std::collections::HashSet<&str> =
                    report.written.iter().map(String::as_str).collect();
                for file in &tree.files {
                    let status = if written.contains(file.path.as_str()) {
                        "written  "
                    } else {
                        "unchanged"
                    };
                    stdout.print(format_args!("  {status} {}\n", file.path));
                }
                for path in &report.removed {
                    stdout.print(format_args!("  removed   {path}\n"));
                }
                if report.changed() {
                    if let Some(host) = tree.hosts.first() {
                        stdout.print(format_args!(
                            "deploy with: nixos-rebuild switch --flake {}#{host}\n",
                            out.display()
                        ));
                    }
                }
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        Mode::Check | Mode::Diff => match writer::diff(out, tree) {
            Ok(differences) => {
                for difference in &differences {
                    stdout.print(format_args!("{}", difference.diff));
                }
                if args.mode == Mode::Diff {
                    return ExitCode::SUCCESS;
                }
                if differences.is_empty() {
                    stdout.print(format_args!(
                        "flakesmith: {} matches the configuration ({} files)\n",
                        out.display(),
                        tree.files.len()
                    ));
                    ExitCode::SUCCESS
                } else {
                    eprintln!(
                        "flakesmith: {} differs from the configuration:",
                        out.display()
                    );
                    for difference in &differences {
                        let what = match difference.kind {
                            DifferenceKind::Missing => "missing",
                            DifferenceKind::Changed => "changed",
                            DifferenceKind::Extra => "no longer generated",
                        };
                        eprintln!("  {what}: {}", difference.path);
                    }
                    eprintln!("run without --check to write the tree");
                    ExitCode::FAILURE
                }
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
    }
}

fn listing(noun: &str, names: &[String]) -> String {
    let plural = if names.len() == 1 { "" } else { "s" };
    if names.is_empty() {
        format!("no {noun}s")
    } else {
        format!("{} {noun}{plural}: {}", names.len(), names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(OsString::from)).map_err(|e| e.to_string())
    }

    #[test]
    fn arguments() {
        assert_eq!(
            parse(&[]).unwrap(),
            Some(Args {
                out: "flake".into(),
                mode: Mode::Write { force: false }
            })
        );
        assert_eq!(
            parse(&["--out", "x", "--check"]).unwrap(),
            Some(Args {
                out: "x".into(),
                mode: Mode::Check
            })
        );
        assert_eq!(
            parse(&["-o", "x", "--diff"]).unwrap().unwrap().mode,
            Mode::Diff
        );
        assert_eq!(
            parse(&["--force"]).unwrap().unwrap().mode,
            Mode::Write { force: true }
        );
        assert_eq!(parse(&["--help"]).unwrap(), None);
        assert!(parse(&["--check", "--diff"]).is_err());
        assert!(parse(&["--check", "--force"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }
}
