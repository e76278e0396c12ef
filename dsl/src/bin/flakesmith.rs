//! `flakesmith options report FILE` and `flakesmith options generate FILE --out DIR`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use flakesmith::options::{generate, read_options, report::report, GenerateConfig};

const USAGE: &str = "\
Usage:
  flakesmith options report FILE
      what the generator makes of an options.json: counts per type kind, the type
      strings it could not type; the last line is `typed N of M options (P%)`
  flakesmith options generate FILE --out DIR [--namespace PREFIX]... [--source TEXT]
      write Rust bindings for the options in FILE (both options.json shapes) to DIR;
      --namespace limits them to options under PREFIX (repeatable), so a configuration
      compiles only the bindings it uses
";

fn main() -> ExitCode {
    match run(std::env::args_os().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn read(file: &PathBuf) -> Result<Vec<flakesmith::options::OptionDoc>, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    read_options(&text).map_err(|e| format!("{}: {e}", file.display()))
}

fn run(args: Vec<OsString>) -> Result<(), String> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut words = Vec::new();
    let (mut out, mut namespaces, mut source) = (None, Vec::new(), None);
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Value(word) => words.push(word.string().map_err(|e| format!("{e:?}"))?),
            Long("out") => out = Some(PathBuf::from(parser.value().map_err(|e| e.to_string())?)),
            Long("namespace") => namespaces.push(
                parser
                    .value()
                    .map_err(|e| e.to_string())?
                    .string()
                    .map_err(|e| format!("{e:?}"))?,
            ),
            Long("source") => {
                source = Some(
                    parser
                        .value()
                        .map_err(|e| e.to_string())?
                        .string()
                        .map_err(|e| format!("{e:?}"))?,
                )
            }
            Short('h') | Long("help") => {
                print!("{USAGE}");
                return Ok(());
            }
            other => return Err(other.unexpected().to_string()),
        }
    }
    match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["options", "report", file] => {
            println!("{}", report(&read(&PathBuf::from(file))?));
            Ok(())
        }
        ["options", "generate", file] => {
            let out = out.ok_or("generate needs --out DIR")?;
            let options = read(&PathBuf::from(file))?;
            let config = GenerateConfig {
                namespaces,
                source: source.unwrap_or_else(|| format!("From {file}.")),
            };
            let generated = generate(&options, &config);
            if out.exists() {
                std::fs::remove_dir_all(&out)
                    .map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
            }
            for (path, text) in &generated.files {
                let target = out.join(path);
                std::fs::create_dir_all(target.parent().expect("files have parents"))
                    .map_err(|e| e.to_string())?;
                std::fs::write(&target, text)
                    .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
            }
            let bytes: usize = generated.files.values().map(String::len).sum();
            println!(
                "generated {} options ({} untyped, {} unreachable list entries) in {} files, {} bytes, into {}",
                generated.generated,
                generated.untyped,
                generated.skipped,
                generated.files.len(),
                bytes,
                out.display()
            );
            Ok(())
        }
        _ => Err("expected `options report FILE` or `options generate FILE --out DIR`".into()),
    }
}
