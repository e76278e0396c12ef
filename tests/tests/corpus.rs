//! The corpus: public NixOS configurations as their authors published them
//! (`tests/fixtures/corpus/<name>/`, each with `SOURCE.md` naming the repository, commit
//! and licence, trimmed to their Nix files). Each is imported as it is; the figures are
//! the README's corpus table, kept equal by this test.

use std::path::{Path, PathBuf};

use flakesmith::import::{import, Bindings, CrateConfig};
use flakesmith::scaffold::Dependency;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus")
}

/// What a configuration is expected to give: imported, or refused with these words.
const REFUSED: &[(&str, &str)] = &[
    // Flakes built by flake-parts' `mkFlake` need flake-parts itself to evaluate.
    ("nix-community-infra", "flake framework"),
    ("kclejeune", "flake framework"),
    // Its hosts come from a builder its own overlay adds to a real package set.
    ("gvolpe", "attribute 'builders' missing"),
];

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
    assert!(names.len() >= 11, "{names:?}");
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
    let median = shares[shares.len() / 2];
    table.push(String::new());
    table.push(format!(
        "Median typed share over the {} imported configurations: {median:.1}%.",
        shares.len()
    ));
    let readme = std::fs::read_to_string(corpus().join("../../../README.md")).unwrap();
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
        "the README's corpus table differs from what the importer makes:\n{table}"
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
    if flakesmith_tests::nixpkgs_lib_or_say("building the corpus crates").is_none() {
        return;
    }
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
    for dir in &names {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
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
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}
