//! The corpus: public NixOS configurations as their authors published them
//! (`tests/fixtures/corpus/<name>/`, each with `SOURCE.md` naming the repository, commit
//! and licence, trimmed to their Nix files). Each is imported as it is; the figures are
//! the import chapter's corpus table (dsl/guide/importing.md), kept equal by this test.

use std::path::{Path, PathBuf};

use flakesmith::import::{Bindings, CrateConfig, Imported};
use flakesmith::scaffold::Dependency;
use flakesmith_tests::real_flake::Learnt;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus")
}

/// What a configuration is expected to give: imported, or refused with these words.
const REFUSED: &[(&str, &str)] = &[];

/// The inputs whose own source a configuration's import is given (`--input-source`), as
/// its user would name them: the flake module that makes its hosts. Each is under
/// `tests/fixtures/inputs/`, with its source, commit and licence.
const INPUT_SOURCES: &[(&str, &str)] = &[("nix-community-infra", "lite-config")];

/// Imports the corpus configuration `dir` as a user would, naming its
/// [`INPUT_SOURCES`].
fn import(dir: &Path, bindings: &Bindings, config: &CrateConfig) -> Result<Imported, String> {
    let name = dir.file_name().unwrap().to_string_lossy();
    let sources: Vec<(String, PathBuf)> = INPUT_SOURCES
        .iter()
        .filter(|(of, _)| *of == name)
        .map(|(_, input)| {
            (
                (*input).to_owned(),
                flakesmith_tests::stand_in_inputs().join(input),
            )
        })
        .collect();
    let spec = flakesmith::import::flake_with_sources(dir, &sources)?;
    flakesmith::import::import_flake(dir, spec, bindings, config)
}

#[test]
fn every_corpus_configuration_imports_as_published() {
    let lib = flakesmith_tests::nixpkgs_lib_or_say("the corpus's hosts made by helpers");
    let bindings =
        Bindings::shipped(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../dsl/data")).unwrap();
    let config = CrateConfig {
        name: "config".into(),
        flakesmith: Dependency::Git("https://example.invalid/flakesmith".into()),
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    let mut table = vec![
        "| configuration | hosts | typed | raw | hand-kept | typed share |".to_owned(),
        "|---|---:|---:|---:|---:|---:|".to_owned(),
    ];
    let mut shares = Vec::new();
    for dir in &names {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            dir.join("SOURCE.md").is_file() && dir.join("LICENSE").is_file(),
            "{name}"
        );
        let refused = REFUSED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, why)| *why);
        match (import(dir, &bindings, &config), refused) {
            (Ok(imported), None) => {
                let report = &imported.report;
                let hosts = imported
                    .files
                    .keys()
                    .filter(|f| f.starts_with("config/hosts/"))
                    .count();
                assert!(hosts > 0, "{name}");
                shares.push(report.typed_share());
                table.push(format!(
                    "| `{name}` | {hosts} | {} | {} | {} | {:.1}% |",
                    report.typed(),
                    report.raw(),
                    report.hand_kept(),
                    report.typed_share()
                ));
            }
            // Without a nixpkgs lib, hosts made by helpers cannot be found; the error
            // says what is missing.
            (Err(error), _) if lib.is_none() && error.contains("no nixpkgs lib") => {
                eprintln!("{name}: not imported here: {error}");
            }
            (Err(error), Some(why)) if error.contains(why) => {
                table.push(format!("| `{name}` | refused: {why} | | | | |"));
            }
            (result, expected) => panic!(
                "{name}: expected {}, got {}",
                expected.map_or("an import".to_owned(), |w| format!(
                    "a refusal naming `{w}`"
                )),
                match result {
                    Ok(_) => "an import".to_owned(),
                    Err(e) => e,
                }
            ),
        }
    }
    if lib.is_none() {
        return;
    }
    shares.sort_by(f64::total_cmp);
    // The middle one, or the mean of the middle two for an even count.
    let half = shares.len() / 2;
    let median = if shares.len() % 2 == 0 {
        (shares[half - 1] + shares[half]) / 2.0
    } else {
        shares[half]
    };
    table.push(String::new());
    table.push(format!(
        "Median typed share over the {} imported configurations: {median:.1}%.",
        shares.len()
    ));
    let readme = std::fs::read_to_string(corpus().join("../../../dsl/guide/importing.md")).unwrap();
    let shown: Vec<&str> = readme
        .lines()
        .skip_while(|line| !line.starts_with("<!-- corpus table"))
        .skip(1)
        .take_while(|line| line.starts_with('|') || line.is_empty() || line.starts_with("Median"))
        .collect();
    let shown = shown.join("\n");
    let table = table.join("\n");
    assert_eq!(
        shown.trim_end(),
        table,
        "the import chapter's corpus table differs from what the importer makes:\n{table}"
    );
}

/// Every imported crate builds and writes its flake tree with `cargo run`, as the
/// importer tells its user to. Compiling eight crates takes minutes, so this runs where
/// `FLAKESMITH_CORPUS_BUILD=1` is set (`.ci/run` sets it) and says so elsewhere.
#[test]
fn every_imported_corpus_crate_builds() {
    if std::env::var_os("FLAKESMITH_CORPUS_BUILD").is_none() {
        eprintln!("the corpus crates are not built here: set FLAKESMITH_CORPUS_BUILD=1");
        return;
    }
    let Some(lib) = flakesmith_tests::nixpkgs_lib_or_say("building the corpus crates") else {
        return;
    };
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let bindings = Bindings::shipped(&repo.join("dsl/data")).unwrap();
    let config = CrateConfig {
        name: "config".into(),
        flakesmith: Dependency::Path(
            repo.join("dsl")
                .canonicalize()
                .unwrap()
                .display()
                .to_string(),
        ),
    };
    let work = repo.join("target/corpus-crates");
    let mut names: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    names.sort();
    let mut failed = Vec::new();
    let mut table = vec![
        "| configuration | hosts | evaluate equal | differ | the stand-ins cannot evaluate the original |".to_owned(),
        "|---|---:|---|---|---|".to_owned(),
    ];
    for dir in &names {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        // `FLAKESMITH_CORPUS_ONLY=<name>` builds and evaluates one configuration, to
        // look at it (the table is then not compared).
        if std::env::var("FLAKESMITH_CORPUS_ONLY").is_ok_and(|only| only != name) {
            continue;
        }
        let Ok(imported) = import(dir, &bindings, &config) else {
            continue; // Refused: the other test holds what it says.
        };
        let crate_dir = work.join(&name);
        let _ = std::fs::remove_dir_all(&crate_dir);
        let mut files: Vec<(&str, &[u8])> = imported
            .files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_bytes()))
            .collect();
        files.extend(
            imported
                .binary_files
                .iter()
                .map(|(p, b)| (p.as_str(), b.as_slice())),
        );
        // The checkout's lock, as `flakesmith import` copies it: the same versions.
        let lock = std::fs::read(repo.join("Cargo.lock")).unwrap();
        files.push(("Cargo.lock", &lock));
        flakesmith::writer::write_plain(&crate_dir, files).unwrap();
        let output = std::process::Command::new(env!("CARGO"))
            .args(["run", "--offline", "--quiet"])
            .current_dir(&crate_dir)
            .env("CARGO_TARGET_DIR", repo.join("target/nested"))
            .output()
            .unwrap();
        if !output.status.success() || !crate_dir.join("flake/flake.nix").is_file() {
            failed.push(format!(
                "{name}:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
            continue;
        }
        let lines = imported.files.get("Cargo.toml").map_or("", String::as_str);
        let imported_hosts: Vec<String> = imported
            .files
            .keys()
            .filter_map(|f| f.strip_prefix("config/hosts/")?.strip_suffix(".rs"))
            .map(str::to_owned)
            .collect();
        table.push(compare_hosts(
            &lib,
            &name,
            dir,
            &crate_dir.join("flake"),
            lines,
            &imported_hosts,
        ));
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
    let table = table.join("\n");
    if std::env::var_os("FLAKESMITH_CORPUS_ONLY").is_some() {
        eprintln!("{table}");
        return;
    }
    let readme = std::fs::read_to_string(repo.join("dsl/guide/importing.md")).unwrap();
    let shown: Vec<&str> = readme
        .lines()
        .skip_while(|line| !line.starts_with("<!-- corpus evaluation"))
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert_eq!(
        shown.join("\n"),
        table,
        "the import chapter's corpus evaluation table differs from what the evaluations give:\n{table}"
    );
}

/// The option data of the release lines an imported crate's `Cargo.toml` depends on.
fn option_data(manifest: &str) -> (&'static str, &'static str) {
    let nixos = if manifest.contains("flakesmith-nixos-24-11") {
        "nixos-options-unstable-2024-12.json"
    } else {
        "nixos-options-unstable-2025-02.json"
    };
    let home = if manifest.contains("flakesmith-home-24-11") {
        "home-manager-options-master-2024-07.json"
    } else if manifest.contains("flakesmith-home-26-05") {
        "home-manager-options-26.05.json"
    } else {
        "home-manager-options-25.05.json"
    };
    (nixos, home)
}

/// Every host of the original flake `original` and of the regenerated `regenerated`,
/// evaluated with the same stand-ins (those of the release lines the crate uses): a
/// row of the import chapter's corpus evaluation table. A host the stand-ins cannot evaluate
/// in the original is counted with the first reason; one they can must evaluate to the
/// same options in the regenerated flake, or it is counted as differing, with the
/// first option that differs.
fn compare_hosts(
    lib: &str,
    name: &str,
    original: &Path,
    regenerated: &Path,
    manifest: &str,
    imported_hosts: &[String],
) -> String {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dsl/data");
    let (nixos, home) = option_data(manifest);
    let stand_ins = flakesmith_tests::real_flake::StandIns::new(
        lib,
        &data.join(nixos),
        &data.join(home),
        &[original, regenerated],
    );
    let (mut equal, mut differ, mut cannot) = (Vec::new(), Vec::new(), Vec::new());
    // Where the stand-ins cannot even list the original's hosts, each host the importer
    // found cannot be evaluated, for that reason.
    let hosts = match stand_ins.hosts(original) {
        Ok(hosts) => hosts,
        Err(why) => {
            let why = reason(&why, original);
            cannot.extend(imported_hosts.iter().map(|host| format!("{host}: {why}")));
            Vec::new()
        }
    };
    for host in &hosts {
        // Options the stand-ins learn to declare for one flake are declared for the
        // other too, so both are evaluated with the same stand-ins.
        let mut learnt = Learnt::default();
        let mut before = stand_ins.host(original, host, &mut learnt);
        let mut after = before
            .as_ref()
            .ok()
            .map(|_| stand_ins.host(regenerated, host, &mut learnt));
        if before.is_ok() && after.as_ref().is_some_and(|a| a.is_ok()) {
            let settled = learnt.clone();
            // What the regenerated flake taught the stand-ins can clash with what the
            // original declares itself (an option the regenerated flake defines without
            // its declaring module): then the first evaluation of the original stands,
            // and the hosts are compared as they are.
            if let Ok(again) = stand_ins.host(original, host, &mut learnt) {
                before = Ok(again);
                if learnt != settled {
                    after = Some(stand_ins.host(regenerated, host, &mut learnt));
                }
            }
        }
        let before = match before {
            Ok(value) => value,
            Err(why) => {
                // Looking at one configuration: the whole of Nix's reason.
                if std::env::var_os("FLAKESMITH_CORPUS_ONLY").is_some() {
                    eprintln!("{host} cannot be evaluated:\n{why}");
                }
                cannot.push(format!("{host}: {}", reason(&why, original)));
                continue;
            }
        };
        match after.expect("evaluated where the original evaluates") {
            Ok(after) if after == before => equal.push(format!(
                "{host} ({} options)",
                before.as_object().map_or(0, |o| o.len())
            )),
            Ok(after) => {
                let mut differences = Vec::new();
                diff("", &before, &after, &mut differences);
                differ.push(format!(
                    "{host}: {}",
                    differences.first().cloned().unwrap_or_default()
                ));
            }
            Err(why) => differ.push(format!(
                "{host}: does not evaluate: {}",
                reason(&why, regenerated)
            )),
        }
    }
    // Hosts with the same reason share it: `a, b: reason`.
    let list = |items: &[String]| {
        let mut grouped: Vec<(Vec<&str>, &str)> = Vec::new();
        for item in items {
            let (host, why) = item.split_once(": ").unwrap_or((item, ""));
            match grouped.iter_mut().find(|(_, w)| *w == why) {
                Some((hosts, _)) => hosts.push(host),
                None => grouped.push((vec![host], why)),
            }
        }
        grouped
            .iter()
            .map(|(hosts, why)| {
                if why.is_empty() {
                    hosts.join(", ")
                } else {
                    format!("{}: {why}", hosts.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    format!(
        "| `{name}` | {} | {} | {} | {} |",
        equal.len() + differ.len() + cannot.len(),
        if equal.is_empty() {
            "0".to_owned()
        } else {
            format!("{}: {}", equal.len(), list(&equal))
        },
        if differ.is_empty() {
            "0".to_owned()
        } else {
            format!("{}: {}", differ.len(), list(&differ))
        },
        if cannot.is_empty() {
            "0".to_owned()
        } else {
            format!("{}: {}", cannot.len(), list(&cannot))
        },
    )
}

/// Nix's error in a table cell: one line, without the flake's directory, short.
fn reason(error: &str, dir: &Path) -> String {
    let dir = dir.canonicalize().unwrap();
    let text = error.replace(&format!("{}/", dir.display()), "");
    // A path that leads out of the flake, from the flake (not where it is on this
    // machine): nearest folder first.
    let mut text = text;
    for (up, ancestor) in dir.ancestors().enumerate().skip(1).take(4) {
        text = text.replace(&format!("{}/", ancestor.display()), &"../".repeat(up));
    }
    // The stand-ins' own directory differs from run to run.
    let text = match text.find("/flakesmith-stand-ins-") {
        Some(start) => {
            let end = text[start + 1..]
                .find('/')
                .map_or(text.len(), |i| start + 1 + i);
            let begin = text[..start].rfind(['\'', ' ']).map_or(0, |i| i + 1);
            format!("{}<stand-ins>{}", &text[..begin], &text[end..])
        }
        None => text,
    };
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    // Without where in nixpkgs' lib it was raised, or the advice to show the trace.
    let text = text.split(" at /").next().unwrap_or(text);
    let text = text.split(" (use '--show-trace'").next().unwrap_or(text);
    let text = text.split(". Definition values").next().unwrap_or(text);
    let text = text.split("! This usually").next().unwrap_or(text);
    let text = text.replace('|', "\\|");
    let cut: String = text.chars().take(90).collect();
    if cut.len() < text.len() {
        format!("{}…", cut.trim_end())
    } else {
        cut
    }
}

/// The option paths where two evaluated hosts differ.
fn diff(path: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<String>) {
    match (a, b) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            for key in a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))) {
                let null = serde_json::Value::Null;
                let at = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                diff(
                    &at,
                    a.get(key).unwrap_or(&null),
                    b.get(key).unwrap_or(&null),
                    out,
                );
            }
        }
        _ if a != b => {
            // Looking at one configuration, the whole of each value is worth reading.
            if std::env::var_os("FLAKESMITH_CORPUS_ONLY").is_some() {
                eprintln!("`{path}` differs:\n  original:    {a}\n  regenerated: {b}");
            }
            out.push(format!(
                "`{path}` is {} in the original, {} regenerated",
                short(a),
                short(b)
            ));
        }
        _ => {}
    }
}

fn short(value: &serde_json::Value) -> String {
    let text = value.to_string().replace('|', "\\|");
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// The README's corpus summary is the import chapter's two tables in one (which the
/// tests above keep equal to what the importer and the evaluations give): per
/// configuration, what was typed, and how many hosts evaluate equal, over how many
/// options.
#[test]
fn the_readmes_corpus_summary_is_the_chapters_tables() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let chapter = std::fs::read_to_string(repo.join("dsl/guide/importing.md")).unwrap();
    let rows = |marker: &str| -> Vec<Vec<String>> {
        chapter
            .lines()
            .skip_while(|line| !line.starts_with(marker))
            .skip(3)
            .take_while(|line| line.starts_with('|'))
            .map(|line| {
                line.trim_matches('|')
                    .split(" | ")
                    .map(|cell| cell.trim().to_owned())
                    .collect()
            })
            .collect()
    };
    let leading = |cell: &str| -> usize {
        cell.split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let typed = rows("<!-- corpus table");
    let evaluated = rows("<!-- corpus evaluation");
    assert_eq!(typed.len(), evaluated.len());
    let mut table = vec![
        "| configuration | hosts | typed | raw | hand-kept | typed share | hosts equal (options compared) | differ | not evaluable |".to_owned(),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|".to_owned(),
    ];
    for (typed, evaluated) in typed.iter().zip(&evaluated) {
        assert_eq!(typed[0], evaluated[0]);
        // `build02 (313 options), build04 (157 options)`: the options compared.
        let options: usize = evaluated[2]
            .split(" options)")
            .filter_map(|part| part.rsplit('(').next()?.parse::<usize>().ok())
            .sum();
        table.push(format!(
            "| {} | {} | {} | {} | {} | {} | {} ({options}) | {} | {} |",
            typed[0],
            typed[1],
            typed[2],
            typed[3],
            typed[4],
            typed[5],
            leading(&evaluated[2]),
            leading(&evaluated[3]),
            leading(&evaluated[4]),
        ));
    }
    let table = table.join("\n");
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let shown: Vec<&str> = readme
        .lines()
        .skip_while(|line| !line.starts_with("<!-- corpus summary"))
        .skip(1)
        .take_while(|line| line.starts_with('|'))
        .collect();
    assert_eq!(
        shown.join("\n"),
        table,
        "the README's corpus summary differs from the import chapter's tables:\n{table}"
    );
}
