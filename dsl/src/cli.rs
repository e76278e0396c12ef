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
       example-config hosts [--tag TAG] [--out DIR]
       example-config graph

Commands:
  hosts           list the hosts with their deployment targets and tags, and the
                  commands that deploy them (--tag: only the hosts with that tag)
  graph           print the fleet as a Mermaid diagram (hosts, modules, users)

Options:
  -o, --out DIR   the directory to write or compare (default: ./flake)
      --check     write nothing; exit 1 and show a unified diff if DIR differs
      --diff      write nothing; show the unified diff between DIR and the tree
      --force     overwrite generated files that were edited by hand
      --tag TAG   with `hosts`: only the hosts tagged TAG
  -h, --help      show this help
";

#[derive(Debug, PartialEq, Eq)]
enum Mode {
    Write { force: bool },
    Check,
    Diff,
    Hosts { tag: Option<String> },
    Graph,
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
    let (mut command, mut tag): (Option<String>, Option<String>) = (None, None);
    while let Some(arg) = parser.next()? {
        match arg {
            Short('o') | Long("out") => out = parser.value()?.into(),
            Long("check") => check = true,
            Long("diff") => diff = true,
            Long("force") => force = true,
            Long("tag") => tag = Some(parser.value()?.string()?),
            Short('h') | Long("help") => return Ok(None),
            Value(value) if command.is_none() => {
                let value = value.string()?;
                if value != "hosts" && value != "graph" {
                    return Err(format!("unknown command `{value}`").into());
                }
                command = Some(value);
            }
            _ => return Err(arg.unexpected()),
        }
    }
    if let Some(command) = command {
        if check || diff || force {
            return Err(format!(
                "`{command}` writes nothing: --check, --diff and --force do not apply"
            )
            .into());
        }
        return Ok(Some(Args {
            out,
            mode: match command.as_str() {
                "hosts" => Mode::Hosts { tag },
                _ if tag.is_some() => return Err("--tag goes with `hosts`".into()),
                _ => Mode::Graph,
            },
        }));
    }
    if tag.is_some() {
        return Err("--tag goes with `hosts`".into());
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
        Mode::Hosts { ref tag } => match hosts(tree, tag.as_deref(), out) {
            Ok(text) => {
                stdout.print(format_args!("{text}"));
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        Mode::Graph => {
            stdout.print(format_args!("{}", tree.graph));
            ExitCode::SUCCESS
        }
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

/// The hosts (those tagged `tag`, or all) with their targets and tags, and the commands
/// that deploy them with the flake's engines from the flake directory `out`.
fn hosts(tree: &Tree, tag: Option<&str>, out: &std::path::Path) -> Result<String, String> {
    let selected: Vec<&crate::tree::HostSummary> = tree
        .fleet
        .iter()
        .filter(|h| tag.is_none_or(|tag| h.tags.iter().any(|t| t == tag)))
        .collect();
    if selected.is_empty() {
        let mut known: Vec<&str> = tree
            .fleet
            .iter()
            .flat_map(|h| h.tags.iter().map(String::as_str))
            .collect();
        known.sort_unstable();
        known.dedup();
        return Err(match tag {
            Some(tag) if known.is_empty() => format!("no host is tagged `{tag}`; no host has tags"),
            Some(tag) => format!(
                "no host is tagged `{tag}`; the tags are: {}",
                known.join(", ")
            ),
            None => "the flake has no hosts".to_owned(),
        });
    }
    let width = selected.iter().map(|h| h.name.len()).max().unwrap_or(0);
    let target_width = selected
        .iter()
        .map(|h| h.target.as_deref().map_or("(not deployed)".len(), str::len))
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for host in &selected {
        let tags: Vec<String> = host.tags.iter().map(|t| format!("@{t}")).collect();
        let target = host.target.as_deref().unwrap_or("(not deployed)");
        text.push_str(
            format!(
                "{:width$}  {target:target_width$}  {}",
                host.name,
                tags.join(" ")
            )
            .trim_end(),
        );
        text.push('\n');
    }
    let deployed: Vec<&str> = selected
        .iter()
        .filter(|h| h.target.is_some())
        .map(|h| h.name.as_str())
        .collect();
    let dir = out.display();
    if deployed.is_empty() || tree.engines.is_empty() {
        text.push_str(&format!(
            "deploy on each host with: nixos-rebuild switch --flake {dir}#<host>\n"
        ));
        return Ok(text);
    }
    text.push_str("deploy them with:\n");
    for engine in &tree.engines {
        match engine.as_str() {
            "colmena" => {
                let on = match tag {
                    Some(tag) => format!("@{tag}"),
                    None => deployed.join(","),
                };
                text.push_str(&format!("  (cd {dir} && colmena apply --on {on})\n"));
            }
            _ => {
                for host in &deployed {
                    text.push_str(&format!("  deploy {dir}#{host}\n"));
                }
            }
        }
    }
    Ok(text)
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
        assert_eq!(
            parse(&["hosts", "--tag", "web"]).unwrap().unwrap().mode,
            Mode::Hosts {
                tag: Some("web".into())
            }
        );
        assert_eq!(parse(&["graph"]).unwrap().unwrap().mode, Mode::Graph);
        assert!(parse(&["graph", "--tag", "web"]).is_err());
        assert!(parse(&["hosts", "--check"]).is_err());
        assert!(parse(&["--tag", "web"]).is_err());
        assert!(parse(&["deploy"]).is_err());
    }

    fn fleet() -> Tree {
        let host = |name: &str, target: Option<&str>, tags: &[&str]| crate::tree::HostSummary {
            name: name.into(),
            target: target.map(Into::into),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        };
        Tree {
            fleet: vec![
                host("web1", Some("web1.example.org"), &["web", "eu"]),
                host("pi", Some("10.0.0.7"), &["edge"]),
                host("laptop", None, &[]),
            ],
            engines: vec!["colmena".into(), "deploy-rs".into()],
            ..Tree::default()
        }
    }

    #[test]
    fn hosts_lists_targets_tags_and_commands() {
        let all = hosts(&fleet(), None, std::path::Path::new("flake")).unwrap();
        assert_eq!(
            all,
            "web1    web1.example.org  @web @eu\n\
             pi      10.0.0.7          @edge\n\
             laptop  (not deployed)\n\
             deploy them with:\n  (cd flake && colmena apply --on web1,pi)\n  deploy flake#web1\n  deploy flake#pi\n"
        );
        let web = hosts(&fleet(), Some("web"), std::path::Path::new("flake")).unwrap();
        assert!(
            web.starts_with("web1  web1.example.org  @web @eu\n"),
            "{web}"
        );
        assert!(web.contains("colmena apply --on @web"), "{web}");
        assert!(!web.contains("pi"), "{web}");
        assert_eq!(
            hosts(&fleet(), Some("db"), std::path::Path::new("flake")).unwrap_err(),
            "no host is tagged `db`; the tags are: edge, eu, web"
        );
    }
}
