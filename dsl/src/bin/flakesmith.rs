//! `flakesmith new DIR` (a configuration crate, a host, a user), `flakesmith import`,
//! `flakesmith explain CODE`, `flakesmith options report FILE` and `flakesmith options
//! generate FILE --out DIR`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use flakesmith::bindgen::{generate, read_options, report::report, GenerateConfig};
use flakesmith::scaffold::{new_crate, new_host, new_user, Dependency, NewConfig};

/// Each command's help: the words that name it, its synopsis and one-line summary for
/// `flakesmith --help`, and its whole text for `flakesmith <command> --help`.
const COMMANDS: &[(&[&str], &str, &str, &str)] = &[
    (
        &["new"],
        "new DIR",
        "make a configuration crate",
        "\
Usage: flakesmith new DIR [--host NAME] [--system DOUBLE] [--release YY.MM] [--user NAME]
                          [--flakesmith-git URL]

Make a configuration crate in DIR (which must not exist or be empty): one host (default
`nixos`, x86_64-linux, the newest release shipped), its hardware file, a shared module, and a Home Manager user
with --user. It depends on this flakesmith checkout by path, or on --flakesmith-git URL.
`cd DIR && cargo run` writes its flake tree.

Also: `flakesmith new host NAME`, `flakesmith new user NAME` (see their --help).
",
    ),
    (
        &["new", "host"],
        "new host NAME",
        "add a host to a configuration crate",
        "\
Usage: flakesmith new host NAME [--config DIR] [--system DOUBLE] [--release YY.MM]

Add config/hosts/NAME.rs and hardware/NAME.nix to the configuration crate DIR (default:
the current directory) and print the line that adds the host.
",
    ),
    (
        &["new", "user"],
        "new user NAME",
        "add a Home Manager user to a configuration crate",
        "\
Usage: flakesmith new user NAME [--config DIR] [--release YY.MM]

Add config/home/NAME.rs and print the lines that give it an account and a host.
",
    ),
    (
        &["import"],
        "import FLAKE_DIR --out DIR",
        "write a configuration crate from an existing flake",
        "\
Usage: flakesmith import FLAKE_DIR --out CONFIG_DIR [--flakesmith-git URL] [--lib PATH]
                         [--input-source NAME=PATH]...

Write a configuration crate from an existing flake, read as syntax (hosts a helper makes
are found by evaluating `outputs` with stand-in inputs and the nixpkgs lib at --lib PATH,
else FLAKESMITH_NIXPKGS_LIB, else <nixpkgs/lib>; an input named with --input-source is
evaluated from its source at PATH instead, as a flake module that makes the hosts must
be): its hosts, modules and Home Manager
users, each definition a typed call where a binding takes its value and `Raw::nix`
(marked `// TODO(import)`) where not; the other outputs carried as written. Prints a
report of what was typed, raw, kept and left out (also in IMPORT.md).
",
    ),
    (
        &["explain"],
        "explain CODE",
        "what a diagnostic code means and what to do",
        "\
Usage: flakesmith explain CODE

What the diagnostic code CODE means and what to do about it: the code a build error or
warning shows in brackets (`error[duplicate-host]` is `flakesmith explain duplicate-host`).
Every code is listed in the guide's diagnostics chapter (`flakesmith::guide::diagnostics`).
",
    ),
    (
        &["options", "report"],
        "options report FILE",
        "what the bindings generator makes of an options.json",
        "\
Usage: flakesmith options report FILE

What the generator makes of an options.json: counts per type kind, the type strings it
could not type; the last line is `typed N of M options (P%)`.
",
    ),
    (
        &["options", "json"],
        "options json",
        "write the options.json of a module set, evaluated with Nix",
        "\
Usage: flakesmith options json (--nixpkgs PATH | --lib PATH) [--module FILE]... [--out FILE]

Write the options.json of a module set, evaluated with the real Nix (nix-instantiate):
--nixpkgs PATH takes NixOS's modules and lib from a nixpkgs checkout (such as the one your
flake pins), --lib PATH evaluates only the --module files (another flake's NixOS module,
say) with that lib; standard output without --out.
",
    ),
    (
        &["options", "sync"],
        "options sync",
        "bindings typed against the nixpkgs your flake.lock pins",
        "\
Usage: flakesmith options sync [--config DIR] [--lock FILE] [--nixpkgs PATH]
                               [--home-manager PATH] [--input NAME=ATTR]...

Generate the NixOS option bindings of exactly the nixpkgs the configuration pins, into
the configuration crate DIR (default: the current directory) as bindings/nixos-pinned/
(the library `flakesmith_nixos`, like every shipped release line, so no code changes),
and point DIR/Cargo.toml at it, keeping the features it names. The nixpkgs comes from
--nixpkgs PATH, else from the `nixpkgs` input of --lock FILE (default: DIR/flake/flake.lock,
then DIR/flake.lock), fetched by Nix as `nix flake metadata` would; its options are
evaluated with the real Nix (nix-instantiate). A configuration that uses Home Manager
bindings gets bindings/home-pinned/ (`flakesmith_home`) the same way, from the
`home-manager` input or --home-manager PATH. Other flakes' NixOS modules it binds (the
features of its `flakesmith-inputs` dependency: sops-nix, agenix, disko, impermanence), and those named
with --input NAME=ATTR (the input NAME's module at ATTR of its outputs, such as
`--input my-modules=nixosModules.default`), are evaluated from their locked inputs on top
of the pinned NixOS into bindings/inputs-pinned/ (`flakesmith_inputs`, a module and a
feature per input). Run it again after `nix flake update`.
",
    ),
    (
        &["options", "generate"],
        "options generate FILE --out DIR",
        "write Rust bindings for an options.json",
        "\
Usage: flakesmith options generate (FILE | --nixpkgs PATH | --lib PATH --module FILE...)
                                   --out DIR [--namespace PREFIX]... [--source TEXT]
                                   [--search-url URL] [--crate] [--renamed-from FILE]

Write Rust bindings for the options in FILE (both options.json shapes) to DIR;
--namespace limits them to options under PREFIX (repeatable), so a configuration compiles
only the bindings it uses; --search-url links each option's rustdoc to URL with {name}
replaced by the option's name. --crate writes a bindings crate's src/ (DIR), its root
lib.rs, each top-level namespace behind a Cargo feature; the [features] table for its
Cargo.toml is printed. --renamed-from FILE, the previous release line's options: each
namespace renamed since gets handles at its old names, deprecated with the new ones,
through which nothing can be set (the renames found are printed).
",
    ),
];

/// `flakesmith --help`: the commands, a line each.
fn overview() -> String {
    let mut out = String::from(
        "flakesmith: typed NixOS configuration in Rust\n\nUsage: flakesmith <command> [options]\n\nCommands:\n",
    );
    let width = COMMANDS
        .iter()
        .map(|(_, synopsis, _, _)| synopsis.len())
        .max()
        .unwrap_or(0);
    for (_, synopsis, summary, _) in COMMANDS {
        out.push_str(&format!("  {synopsis:width$}  {summary}\n"));
    }
    out.push_str("\nRun `flakesmith <command> --help` for a command's options.\n");
    out
}

/// The help for the command `words` name (its longest known prefix), or the overview
/// for no words; `None` when the first word is no command.
fn help_for(words: &[String]) -> Option<String> {
    if words.is_empty() {
        return Some(overview());
    }
    let named =
        |names: &[&str]| names.len() <= words.len() && names.iter().zip(words).all(|(a, b)| a == b);
    let best = COMMANDS
        .iter()
        .filter(|(names, _, _, _)| named(names))
        .max_by_key(|(names, _, _, _)| names.len());
    match best {
        Some((_, _, _, text)) => Some((*text).to_owned()),
        // `flakesmith options --help`: every options command.
        None if words[0] == "options" => Some(
            COMMANDS
                .iter()
                .filter(|(names, _, _, _)| names[0] == "options")
                .map(|(_, _, _, text)| *text)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        None => None,
    }
}

/// Why the command stopped: a command line it cannot read (exit code 2, as usage errors
/// conventionally are) or a failure doing what was asked (exit code 1).
enum Failure {
    Usage(String),
    Failed(String),
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Failed(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure::Failed(message.to_owned())
    }
}

/// A command line that cannot be read.
fn usage(error: impl ToString) -> Failure {
    Failure::Usage(error.to_string())
}

/// Flags that take a value, kept by name.
const VALUE_FLAGS: &[&str] = &[
    "lock",
    "home-manager",
    "host",
    "system",
    "release",
    "user",
    "flakesmith-git",
    "config",
    "search-url",
    "renamed-from",
    "nixpkgs",
    "lib",
];

fn main() -> ExitCode {
    // The usage is one `--help` away; the error is what the user came for.
    let help_line = "For the commands and their options, run `flakesmith --help`.";
    match run(std::env::args_os().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}\n\n{help_line}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("error: {message}\n\n{help_line}");
            ExitCode::from(1)
        }
    }
}

fn read(file: &PathBuf) -> Result<Vec<flakesmith::bindgen::OptionDoc>, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    read_options(&text).map_err(|e| format!("{}: {e}", file.display()))
}

fn run(args: Vec<OsString>) -> Result<(), Failure> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut words = Vec::new();
    let (mut out, mut namespaces, mut source) = (None, Vec::new(), None);
    let mut flags: std::collections::BTreeMap<&'static str, String> = Default::default();
    let mut modules: Vec<PathBuf> = Vec::new();
    let mut input_modules: Vec<(String, String)> = Vec::new();
    let mut input_sources: Vec<(String, PathBuf)> = Vec::new();
    let mut help = false;
    let mut crate_layout = false;
    while let Some(arg) = parser.next().map_err(usage)? {
        match arg {
            Value(word) => words.push(word.string().map_err(|e| usage(format!("{e:?}")))?),
            Long("out") => out = Some(PathBuf::from(parser.value().map_err(usage)?)),
            Long("namespace") => namespaces.push(
                parser
                    .value()
                    .map_err(usage)?
                    .string()
                    .map_err(|e| usage(format!("{e:?}")))?,
            ),
            Long("source") => {
                source = Some(
                    parser
                        .value()
                        .map_err(usage)?
                        .string()
                        .map_err(|e| usage(format!("{e:?}")))?,
                )
            }
            Long("module") => modules.push(PathBuf::from(parser.value().map_err(usage)?)),
            Long("input") => {
                let value = parser
                    .value()
                    .map_err(usage)?
                    .string()
                    .map_err(|e| usage(format!("{e:?}")))?;
                let (name, attr) = value.split_once('=').ok_or_else(|| {
                    usage(format!(
                        "--input takes NAME=ATTR (`--input my-modules=nixosModules.default`), not `{value}`"
                    ))
                })?;
                input_modules.push((name.to_owned(), attr.to_owned()));
            }
            Long("input-source") => {
                let value = parser
                    .value()
                    .map_err(usage)?
                    .string()
                    .map_err(|e| usage(format!("{e:?}")))?;
                let (name, path) = value.split_once('=').ok_or_else(|| {
                    usage(format!(
                        "--input-source takes NAME=PATH (`--input-source lite-config=../lite-config`), not `{value}`"
                    ))
                })?;
                input_sources.push((name.to_owned(), PathBuf::from(path)));
            }
            Long(flag) if VALUE_FLAGS.contains(&flag) => {
                let flag = VALUE_FLAGS
                    .iter()
                    .copied()
                    .find(|f| *f == flag)
                    .expect("checked above");
                let value = parser
                    .value()
                    .map_err(usage)?
                    .string()
                    .map_err(|e| usage(format!("{e:?}")))?;
                flags.insert(flag, value);
            }
            Short('h') | Long("help") => help = true,
            Long("crate") => crate_layout = true,
            other => return Err(usage(other.unexpected())),
        }
    }
    if help {
        return match help_for(&words) {
            Some(text) => {
                print!("{text}");
                Ok(())
            }
            None => Err(usage(format!("there is no command `{}`", words[0]))),
        };
    }
    match words
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["explain", code] => match flakesmith::DiagnosticKind::from_code(code) {
            Some(kind) => {
                print!("{}", kind.explain());
                Ok(())
            }
            None => Err(usage(format!(
                "there is no diagnostic code `{code}`; a code is what a diagnostic shows in \
                 brackets, such as `duplicate-host` in `error[duplicate-host]`"
            ))),
        },
        ["options", "report", file] => {
            println!("{}", report(&read(&PathBuf::from(file))?));
            Ok(())
        }
        ["options", "json"] => {
            let json = evaluate_options(&flags, &modules)?;
            match out {
                Some(out) => std::fs::write(&out, json)
                    .map_err(|e| format!("cannot write {}: {e}", out.display()))?,
                None => println!("{json}"),
            }
            Ok(())
        }
        ["options", "sync"] => sync(&flags, &input_modules),
        ["options", "generate", rest @ ..] if rest.len() <= 1 => {
            let out = out.ok_or_else(|| usage("`options generate` needs --out DIR"))?;
            let (options, file) = match rest {
                [file] => (read(&PathBuf::from(file))?, (*file).to_owned()),
                _ => {
                    let json = evaluate_options(&flags, &modules)?;
                    let options = read_options(&json).map_err(|e| e.to_string())?;
                    (options, "the evaluated modules".to_owned())
                }
            };
            let config = GenerateConfig {
                namespaces,
                source: source.unwrap_or_else(|| format!("From {file}.")),
                search_url: flags.get("search-url").cloned(),
                features: crate_layout,
                renamed: match flags.get("renamed-from") {
                    Some(previous) => {
                        flakesmith::bindgen::renames(&read(&PathBuf::from(previous))?, &options)
                    }
                    None => Vec::new(),
                },
            };
            let generated = generate(&options, &config);
            if out.exists() {
                std::fs::remove_dir_all(&out)
                    .map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
            }
            flakesmith::writer::write_plain(
                &out,
                generated.files.iter().map(|(p, t)| (p.as_str(), t.as_str())),
            )?;
            let bytes: usize = generated.files.values().map(String::len).sum();
            println!(
                "generated {} options ({} checked) in {} files, {} bytes, into {}",
                generated.generated,
                generated.checked.len(),
                generated.files.len(),
                bytes,
                out.display()
            );
            for rename in &config.renamed {
                println!(
                    "renamed since the previous line: {} -> {}",
                    rename.from.join("."),
                    rename.to.join(".")
                );
            }
            if crate_layout {
                print!("{}", features_table(&generated.features));
            }
            Ok(())
        }
        ["new", "host", name] => {
            let dir = PathBuf::from(flags.get("config").map_or(".", String::as_str));
            let (files, line) = new_host(
                name,
                flags.get("system").map_or("x86_64-linux", String::as_str),
                flags.get("release").map_or(flakesmith::releases::newest(), String::as_str),
            )?;
            write_new(&dir, &files)?;
            println!("add the host to the flake in {}:\n{line}", dir.join("config/mod.rs").display());
            Ok(())
        }
        ["new", "user", name] => {
            let dir = PathBuf::from(flags.get("config").map_or(".", String::as_str));
            let release = flags.get("release").map_or(flakesmith::releases::newest(), String::as_str);
            let (files, lines) = new_user(name, release)?;
            write_new(&dir, &files)?;
            println!(
                "give the user an account in a module the hosts import ({}):\n{}\nand add the user to each host that carries it (config/hosts/<host>.rs):\n{}",
                dir.join("config/modules.rs").display(),
                lines[0],
                lines[1]
            );
            // A crate made without a user has no Home Manager bindings yet.
            let manifest = dir.join("Cargo.toml");
            let used = flakesmith::scaffold::bindings_used(files.values().map(String::as_str));
            if let Ok(text) = std::fs::read_to_string(&manifest) {
                let missing = flakesmith::scaffold::missing_bindings(&text, &used, release);
                if !missing.is_empty() {
                    println!(
                        "and add to [build-dependencies] in {}:\n{}",
                        manifest.display(),
                        missing.join("\n")
                    );
                }
            }
            Ok(())
        }
        ["new", dir] => {
            let dir = PathBuf::from(dir);
            if std::fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_some()) {
                return Err(format!("{} exists and is not empty", dir.display()).into());
            }
            let crate_name = crate_name(&dir);
            let flakesmith = dependency(&flags);
            let config = NewConfig {
                crate_name,
                host: flags.get("host").cloned().unwrap_or_else(|| "nixos".to_owned()),
                system: flags.get("system").cloned().unwrap_or_else(|| "x86_64-linux".to_owned()),
                release: flags.get("release").cloned().unwrap_or_else(|| flakesmith::releases::newest().to_owned()),
                user: flags.get("user").cloned(),
                flakesmith,
            };
            let mut files = new_crate(&config)?;
            // With a path dependency, the versions this checkout is tested with.
            if let Dependency::Path(checkout) = &config.flakesmith {
                let lock = std::path::Path::new(checkout).join("../Cargo.lock");
                if let Ok(text) = std::fs::read_to_string(lock) {
                    files.insert("Cargo.lock".to_owned(), text);
                }
            }
            write_new(&dir, &files)?;
            println!(
                "created {} ({} files); build it and write its flake tree with:\n  cd {} && cargo run",
                dir.display(),
                files.len(),
                dir.display()
            );
            Ok(())
        }
        ["import", flake_dir] => {
            let out =
                out.ok_or_else(|| usage("`import` needs `--out CONFIG_DIR`, the crate to write"))?;
            if std::fs::read_dir(&out).is_ok_and(|mut entries| entries.next().is_some()) {
                return Err(format!("{} exists and is not empty; nothing was written", out.display()).into());
            }
            if let Some(lib) = flags.get("lib") {
                // The nixpkgs lib that hosts made by helpers are evaluated with.
                std::env::set_var("FLAKESMITH_NIXPKGS_LIB", lib);
            }
            let config = flakesmith::import::CrateConfig {
                name: crate_name(&out),
                flakesmith: dependency(&flags),
            };
            // `flake.nix` first: a flake that cannot be imported fails before the bindings
            // are loaded, which takes a while.
            let dir = std::path::Path::new(flake_dir);
            let spec = flakesmith::import::flake_with_sources(dir, &input_sources)?;
            let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
            let bindings = flakesmith::import::Bindings::shipped(&data)?;
            let imported = flakesmith::import::import_flake(dir, spec, &bindings, &config)?;
            let mut files = imported.files;
            if let Dependency::Path(checkout) = &config.flakesmith {
                let lock = std::path::Path::new(checkout).join("../Cargo.lock");
                if let Ok(text) = std::fs::read_to_string(lock) {
                    files.insert("Cargo.lock".to_owned(), text);
                }
            }
            write_whole(&out, &files, &imported.binary_files)?;
            print!("{}", imported.report.render());
            println!(
                "\nimported {flake_dir} into {} ({} files); build it and write its flake tree with:\n  cd {} && cargo run",
                out.display(),
                files.len(),
                out.display()
            );
            Ok(())
        }
        _ => Err(usage(match help_for(&words) {
            // A known command with the wrong words: its own usage line.
            Some(text) if !words.is_empty() => format!(
                "`{}` is not a whole command; it is used as `{}`",
                words.join(" "),
                text.lines()
                    .next()
                    .unwrap_or_default()
                    .trim_start_matches("Usage: ")
            ),
            _ => "expected `new DIR`, `new host NAME`, `new user NAME`, `import FLAKE_DIR --out DIR`, `explain CODE`, `options report FILE`, `options json ...`, `options sync` or `options generate FILE --out DIR`".to_owned(),
        })),
    }
}

/// A crate name from the directory's name.
fn crate_name(dir: &std::path::Path) -> String {
    dir.file_name()
        .and_then(|n| n.to_str())
        .map(|n| {
            n.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .filter(|n| n.starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or_else(|| "nixos-config".to_owned())
}

/// `--flakesmith-git URL`, or the checkout this command was built from.
fn dependency(flags: &std::collections::BTreeMap<&'static str, String>) -> Dependency {
    match flags.get("flakesmith-git") {
        Some(url) => Dependency::Git(url.clone()),
        None => Dependency::Path(env!("CARGO_MANIFEST_DIR").to_owned()),
    }
}

/// Writes a whole crate to `dir` (which must not exist or be empty) at once: the files go
/// to a directory beside it, which is renamed into place, so a failure leaves nothing.
fn write_whole(
    dir: &std::path::Path,
    files: &std::collections::BTreeMap<String, String>,
    binary: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Result<(), String> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{} has no name", dir.display()))?;
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let staging = parent.join(format!(".{name}.flakesmith-import-{}", std::process::id()));
    let written = flakesmith::writer::write_plain(
        &staging,
        files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_bytes()))
            .chain(binary.iter().map(|(p, b)| (p.as_str(), b.as_slice()))),
    )
    .and_then(|()| {
        if dir.exists() {
            std::fs::remove_dir(dir)
                .map_err(|e| format!("cannot replace the empty {}: {e}", dir.display()))?;
        }
        std::fs::rename(&staging, dir)
            .map_err(|e| format!("cannot move the crate into {}: {e}", dir.display()))
    });
    if written.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    written
}

/// Writes new files under `dir`, refusing to replace any that exist: nothing is written
/// unless all of them can be.
fn write_new(
    dir: &std::path::Path,
    files: &std::collections::BTreeMap<String, String>,
) -> Result<(), String> {
    if let Some(existing) = files.keys().map(|p| dir.join(p)).find(|p| p.exists()) {
        return Err(format!(
            "{} exists already; nothing was written",
            existing.display()
        ));
    }
    flakesmith::writer::write_plain(dir, files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

/// The Nix program that turns an evaluated module set's `options` into options.json.
const OPTIONS_JSON_NIX: &str = include_str!("../bindgen/options-json.nix");

/// options.json of NixOS from a nixpkgs checkout (`--nixpkgs`), or of `--module` files
/// evaluated with a lib (`--lib`), by the real Nix.
fn evaluate_options(
    flags: &std::collections::BTreeMap<&'static str, String>,
    modules: &[PathBuf],
) -> Result<String, String> {
    let absolute = |path: &PathBuf| -> Result<String, String> {
        std::fs::canonicalize(path)
            .map(|p| p.display().to_string())
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let module_list = modules
        .iter()
        .map(|m| absolute(m).map(|p| format!("({p})")))
        .collect::<Result<Vec<_>, _>>()?
        .join(" ");
    let (lib, options) = match (flags.get("nixpkgs"), flags.get("lib")) {
        (Some(nixpkgs), _) => {
            let nixpkgs = absolute(&PathBuf::from(nixpkgs))?;
            (
                format!("import ({nixpkgs}/lib)"),
                format!("(import ({nixpkgs}/nixos/lib/eval-config.nix) {{ system = \"x86_64-linux\"; modules = [ {module_list} ]; }}).options"),
            )
        }
        (None, Some(lib)) => {
            let lib = absolute(&PathBuf::from(lib))?;
            if modules.is_empty() {
                return Err("--lib evaluates the --module files: name at least one".into());
            }
            (
                format!("import ({lib})"),
                format!("(let lib = import ({lib}); in lib.evalModules {{ modules = [ {module_list} ]; }}).options"),
            )
        }
        (None, None) => {
            return Err(
                "name the modules to evaluate: --nixpkgs PATH, or --lib PATH with --module FILE"
                    .into(),
            )
        }
    };
    options_json(&lib, &options)
}

/// The options.json of `options` (a Nix expression of evaluated options) with the lib
/// `lib` (a Nix expression), evaluated by the real Nix.
fn options_json(lib: &str, options: &str) -> Result<String, String> {
    options_json_declared(lib, options, None)
}

/// [`options_json`] of the options declared below `declared_in` only.
fn options_json_declared(
    lib: &str,
    options: &str,
    declared_in: Option<&str>,
) -> Result<String, String> {
    let declared_in = declared_in.map_or("null".to_owned(), |dir| format!("({dir})"));
    let program = format!(
        "let lib = {lib}; in ({OPTIONS_JSON_NIX}) {{ inherit lib; options = {options}; declaredIn = {declared_in}; }}"
    );
    let output = std::process::Command::new("nix-instantiate")
        .args(["--eval", "--strict", "--json", "-E", &program])
        .output()
        .map_err(|e| format!("cannot run nix-instantiate ({e}); install Nix"))?;
    if !output.status.success() {
        return Err(format!(
            "Nix could not evaluate the options:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| e.to_string())
}

/// `flakesmith options sync`: the pinned nixpkgs' (and Home Manager's) options,
/// generated into the configuration's own bindings crates, which its manifest then
/// depends on.
fn sync(
    flags: &std::collections::BTreeMap<&'static str, String>,
    input_modules: &[(String, String)],
) -> Result<(), Failure> {
    use flakesmith::bindgen::sync::{HOME_MANAGER, INPUTS, NIXOS};
    let dir = PathBuf::from(flags.get("config").map_or(".", String::as_str));
    let manifest_path = dir.join("Cargo.toml");
    let mut manifest = std::fs::read_to_string(&manifest_path).map_err(|e| {
        format!(
            "cannot read {} ({e}): name the configuration crate with --config DIR",
            manifest_path.display()
        )
    })?;
    let (nixpkgs, nixpkgs_described) = pinned_source(flags, &dir, Some("nixpkgs"), "nixpkgs")?;
    let nixpkgs = std::fs::canonicalize(&nixpkgs)
        .map_err(|e| format!("{}: {e}", nixpkgs.display()))?
        .display()
        .to_string();
    let json = options_json(
        &format!("import ({nixpkgs}/lib)"),
        &format!("(import ({nixpkgs}/nixos/lib/eval-config.nix) {{ system = \"x86_64-linux\"; modules = [ ]; }}).options"),
    )?;
    manifest = write_pinned(&NIXOS, &dir, &manifest, &json, &nixpkgs_described)?;
    // Home Manager, when the configuration uses it: its modules evaluated with the
    // pinned nixpkgs, as Home Manager's own documentation evaluates them.
    if HOME_MANAGER.used_by(&manifest) {
        let (home_manager, described) =
            pinned_source(flags, &dir, Some("home-manager"), "home-manager")?;
        let home_manager = std::fs::canonicalize(&home_manager)
            .map_err(|e| format!("{}: {e}", home_manager.display()))?
            .display()
            .to_string();
        let lib = format!(
            "import ({home_manager}/modules/lib/stdlib-extended.nix) (import ({nixpkgs}/lib))"
        );
        let options = format!(
            "(lib.evalModules {{ modules = import ({home_manager}/modules/modules.nix) {{ inherit lib; pkgs = import ({nixpkgs}) {{ system = \"x86_64-linux\"; }}; check = false; }}; specialArgs = {{ modulesPath = {home_manager}/modules; }}; }}).options"
        );
        let json = options_json(&lib, &options)?;
        manifest = write_pinned(&HOME_MANAGER, &dir, &manifest, &json, &described)?;
    }
    // Other flakes' modules the configuration binds (the `flakesmith-inputs` features),
    // and any named with --input.
    if INPUTS.used_by(&manifest) || !input_modules.is_empty() {
        let inputs = flakesmith::bindgen::sync::inputs_to_sync(&manifest, input_modules)?;
        let mut evaluated = Vec::new();
        for (input, attr) in &inputs {
            let (src, described) = pinned_source(flags, &dir, None, input)?;
            let src = std::fs::canonicalize(&src)
                .map_err(|e| format!("{}: {e}", src.display()))?
                .display()
                .to_string();
            let expression =
                flakesmith::bindgen::sync::input_options_expression(&src, &nixpkgs, attr);
            let json =
                options_json_declared(&format!("import ({nixpkgs}/lib)"), &expression, Some(&src))
                    .map_err(|e| {
                        format!(
                            "the module `{}` of the input `{input}`: {e}",
                            attr.join(".")
                        )
                    })?;
            evaluated.push((input.clone(), attr.join("."), json, described));
        }
        manifest = write_pinned_inputs(&dir, &manifest, &evaluated)?;
    }
    std::fs::write(&manifest_path, &manifest)
        .map_err(|e| format!("cannot write {}: {e}", manifest_path.display()))?;
    Ok(())
}

/// The source of a pinned input: `--<flag> PATH`, else the input's entry in the
/// configuration's `flake.lock`, fetched by Nix where it is not a path. With what to call
/// it in messages.
fn pinned_source(
    flags: &std::collections::BTreeMap<&'static str, String>,
    dir: &std::path::Path,
    flag: Option<&'static str>,
    input: &str,
) -> Result<(PathBuf, String), String> {
    use flakesmith::bindgen::sync::{self, LockedSource};
    if let Some(path) = flag.and_then(|flag| flags.get(flag)) {
        return Ok((PathBuf::from(path), path.clone()));
    }
    let or_flag = flag.map_or(String::new(), |flag| {
        format!(", or name the source with --{flag} PATH")
    });
    let lock_path = match flags.get("lock") {
        Some(lock) => PathBuf::from(lock),
        None => [dir.join("flake/flake.lock"), dir.join("flake.lock")]
            .into_iter()
            .find(|p| p.exists())
            .ok_or_else(|| {
                format!(
                    "{} has no flake.lock (in flake/ or beside Cargo.toml): run `nix flake lock` in the generated tree{or_flag}",
                    dir.display()
                )
            })?,
    };
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let locked = sync::locked_input(&lock, input)
        .map_err(|e| format!("{}: {e}{or_flag}", lock_path.display()))?;
    let described = format!("{input} {}", locked.describe());
    let path = match locked {
        // A relative path input is relative to the flake holding the lock.
        LockedSource::Path(path) => lock_path.parent().unwrap_or(dir).join(path),
        LockedSource::Fetch(locked) => fetch(&sync::fetch_expression(&locked))?,
    };
    Ok((path, described))
}

/// Generates the bindings of `json` into the configuration's crate for `pinned`, and
/// returns the configuration's manifest pointed at it.
/// The pinned inputs crate: each input's options (`evaluated`: input, module, options.json,
/// where it came from) generated into a module of its own behind a feature of its name.
fn write_pinned_inputs(
    dir: &std::path::Path,
    manifest: &str,
    evaluated: &[(String, String, String, String)],
) -> Result<String, String> {
    use flakesmith::bindgen::sync::{self, INPUTS};
    let crate_dir = dir.join(INPUTS.dir);
    let mut files: Vec<(String, String)> = Vec::new();
    let mut features = std::collections::BTreeMap::new();
    let mut said = Vec::new();
    for (input, module, json, described) in evaluated {
        let options = read_options(json).map_err(|e| format!("{input}: {e}"))?;
        let source = format!("from the options of {input}'s {module}, {described}");
        let generated = generate(
            &options,
            &GenerateConfig {
                source: format!("Generated by `flakesmith options sync` {source}."),
                ..GenerateConfig::default()
            },
        );
        let module_dir = sync::input_module(input);
        files.extend(
            generated
                .files
                .into_iter()
                .map(|(p, t)| (format!("src/{module_dir}/{p}"), t)),
        );
        features.insert(input.clone(), Vec::new());
        said.push(format!(
            "generated {} options of {input} ({} checked) {source} into {}",
            generated.generated,
            generated.checked.len(),
            crate_dir.join("src").join(&module_dir).display()
        ));
    }
    let names: Vec<String> = evaluated.iter().map(|(input, ..)| input.clone()).collect();
    let source = format!("from the options of the modules of {}", names.join(", "));
    let crate_manifest =
        sync::pinned_manifest(&INPUTS, manifest, &features_table(&features), &source)?;
    let readme = format!(
        "# {}\n\nflakesmith's typed bindings for other flakes' NixOS modules, {source}, as the \
         configuration's flake.lock pins them. Generated by `flakesmith options sync`; run it \
         again after updating the pins.\n",
        INPUTS.package
    );
    files.push(("src/lib.rs".to_owned(), sync::inputs_lib_rs(&names)));
    files.push(("Cargo.toml".to_owned(), crate_manifest));
    files.push(("README.md".to_owned(), readme));
    if crate_dir.exists() {
        std::fs::remove_dir_all(&crate_dir)
            .map_err(|e| format!("cannot clear {}: {e}", crate_dir.display()))?;
    }
    flakesmith::writer::write_plain(
        &crate_dir,
        files.iter().map(|(p, t)| (p.as_str(), t.as_str())),
    )?;
    for line in said {
        println!("{line}");
    }
    let manifest = sync::add_pinned_inputs(manifest, &names);
    let (new_manifest, replaced, _) = sync::point_manifest_at_pinned(&INPUTS, &manifest, &features);
    if !replaced.is_empty() {
        println!(
            "Cargo.toml now depends on {} instead of {}",
            INPUTS.package,
            replaced.join(", ")
        );
    }
    Ok(new_manifest)
}

fn write_pinned(
    pinned: &flakesmith::bindgen::sync::Pinned,
    dir: &std::path::Path,
    manifest: &str,
    json: &str,
    described: &str,
) -> Result<String, String> {
    use flakesmith::bindgen::sync;
    let options = read_options(json).map_err(|e| e.to_string())?;
    let source = format!("from the options of {described}");
    let generated = generate(
        &options,
        &GenerateConfig {
            namespaces: Vec::new(),
            source: format!("Generated by `flakesmith options sync` {source}."),
            search_url: None,
            features: true,
            renamed: Vec::new(),
        },
    );
    let crate_dir = dir.join(pinned.dir);
    if crate_dir.exists() {
        std::fs::remove_dir_all(&crate_dir)
            .map_err(|e| format!("cannot clear {}: {e}", crate_dir.display()))?;
    }
    let crate_manifest = sync::pinned_manifest(
        pinned,
        manifest,
        &features_table(&generated.features),
        &source,
    )?;
    let readme = format!(
        "# {}\n\nflakesmith's typed {} option bindings {source}: {} options. Generated by \
         `flakesmith options sync`; run it again after updating the pin.\n",
        pinned.package, pinned.what, generated.generated
    );
    let sources: Vec<(String, &str)> = generated
        .files
        .iter()
        .map(|(p, t)| (format!("src/{p}"), t.as_str()))
        .collect();
    flakesmith::writer::write_plain(
        &crate_dir,
        sources.iter().map(|(p, t)| (p.as_str(), *t)).chain([
            ("Cargo.toml", crate_manifest.as_str()),
            ("README.md", readme.as_str()),
        ]),
    )?;
    let (new_manifest, replaced, dropped) =
        sync::point_manifest_at_pinned(pinned, manifest, &generated.features);
    println!(
        "generated {} {} options ({} checked) {source} into {}",
        generated.generated,
        pinned.what,
        generated.checked.len(),
        crate_dir.display()
    );
    if !replaced.is_empty() {
        println!(
            "Cargo.toml now depends on {} instead of {}",
            pinned.package,
            replaced.join(", ")
        );
    }
    if !dropped.is_empty() {
        println!(
            "warning: the pinned {} has no namespace for the features {}: code naming them will not compile",
            pinned.what,
            dropped.join(", ")
        );
    }
    Ok(new_manifest)
}

/// The store path of a locked source, fetched by the real Nix.
fn fetch(expression: &str) -> Result<PathBuf, String> {
    let output = std::process::Command::new("nix-instantiate")
        .args([
            "--extra-experimental-features",
            "flakes",
            "--eval",
            "--json",
            "-E",
            expression,
        ])
        .output()
        .map_err(|e| format!("cannot run nix-instantiate ({e}): syncing a pinned nixpkgs needs Nix, or --nixpkgs PATH"))?;
    if !output.status.success() {
        return Err(format!(
            "Nix could not fetch the pinned nixpkgs:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let path: String = serde_json::from_slice(&output.stdout).map_err(|e| e.to_string())?;
    Ok(PathBuf::from(path))
}

/// The `[features]` table of a bindings crate's `Cargo.toml`: a feature per namespace,
/// and `all` for every one (tests and exploring; a configuration names what it uses).
fn features_table(features: &std::collections::BTreeMap<String, Vec<String>>) -> String {
    let mut out = String::from("[features]\n");
    for (feature, implied) in features {
        let implied: Vec<String> = implied.iter().map(|f| format!("{f:?}")).collect();
        out.push_str(&format!("{feature} = [{}]\n", implied.join(", ")));
    }
    let all: Vec<String> = features.keys().map(|f| format!("{f:?}")).collect();
    out.push_str(&format!("all = [{}]\n", all.join(", ")));
    out
}
