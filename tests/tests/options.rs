//! The options.json reader, the type-string parser and the bindings generator.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use flakesmith::bindgen::report::report;
use flakesmith::bindgen::{generate, parse_type, read_options, GenerateConfig};

fn home_manager_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../dsl/data/home-manager-options-24.05.json")
}

fn home_manager_options() -> Vec<flakesmith::bindgen::OptionDoc> {
    let text = std::fs::read_to_string(home_manager_file())
        .expect("the Home Manager 24.05 options file in dsl/data");
    read_options(&text).unwrap()
}

fn fixture() -> Vec<flakesmith::bindgen::OptionDoc> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/options-small.json"),
    )
    .unwrap();
    read_options(&text).unwrap()
}

#[test]
fn every_distinct_home_manager_type_string_parses() {
    let options = home_manager_options();
    assert_eq!(options.len(), 3066);
    let distinct: BTreeSet<&str> = options
        .iter()
        .map(|o| o.type_description.as_str())
        .collect();
    let mut typed = 0;
    for description in &distinct {
        let parsed = parse_type(description);
        if parsed.is_typed() {
            typed += 1;
        }
    }
    // The report pins what each kind counts and every string not understood.
    insta::assert_snapshot!("home_manager_report", report(&options));
    assert!(
        typed * 100 / distinct.len() >= 85,
        "{typed} of {} distinct strings typed",
        distinct.len()
    );
}

/// The share a user cares about: options set one by one with a checked Rust type. Pinned
/// for the shipped data, with the floor of 97% for each file.
#[test]
fn checked_share_of_the_shipped_option_sets() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dsl/data");
    let mut lines = Vec::new();
    for file in [
        "nixos-options-unstable-2024-12.json",
        "home-manager-options-24.05.json",
        "home-manager-options-master-2024-07.json",
        // NixOS's own options.json of the 25.05 cycle, Home Manager 25.05 and 26.05.
        "nixos-options-unstable-2025-02.json",
        "home-manager-options-25.05.json",
        "home-manager-options-26.05.json",
    ] {
        let text = std::fs::read_to_string(data.join(file)).unwrap();
        let report = report(&read_options(&text).unwrap());
        let last = report.lines().last().unwrap();
        let percent: f64 = last
            .rsplit_once('(')
            .and_then(|(_, p)| p.strip_suffix("%)"))
            .and_then(|p| p.parse().ok())
            .unwrap();
        assert!(percent >= 97.0, "{file}: {last}");
        // Every type string parses or is reported by name: none is cut short by the
        // parser itself.
        assert!(
            !report.contains("unbalanced parenthesis"),
            "{file}: {report}"
        );
        lines.push(format!("{file}: {last}"));
    }
    insta::assert_snapshot!("checked_share", lines.join("\n"));
}

#[test]
fn at_least_97_percent_of_home_manager_options_are_typed() {
    let text = report(&home_manager_options());
    let last = text.lines().rev().nth(1).unwrap();
    let (typed, total) = last
        .strip_prefix("typed ")
        .and_then(|rest| rest.split_once(" of "))
        .map(|(t, rest)| {
            (
                t.parse::<f64>().unwrap(),
                rest.split(' ').next().unwrap().parse::<f64>().unwrap(),
            )
        })
        .unwrap();
    assert!(typed / total >= 0.97, "{last}");
    assert!(last.ends_with("%)"), "{last}");
}

#[test]
fn generated_code_for_a_small_fixture_matches_its_snapshots() {
    let generated = generate(
        &fixture(),
        &GenerateConfig {
            namespaces: Vec::new(),
            source: "From the test fixture.".into(),
            search_url: None,
            features: false,
            renamed: Vec::new(),
        },
    );
    assert_eq!(generated.generated, 13);
    // Every option of the fixture but the read-only one is checked, the `*` entry of a
    // list of submodules through the list's value struct.
    let unchecked: Vec<_> = fixture()
        .iter()
        .filter(|o| !o.read_only)
        .map(|o| o.name())
        .filter(|name| !generated.checked.contains(name))
        .collect();
    assert!(unchecked.is_empty(), "{unchecked:?}");
    assert!(generated
        .checked
        .contains("services.demo.upstreams.*.address"));
    assert_eq!(
        generated.files.keys().collect::<Vec<_>>(),
        ["mod.rs", "services/demo.rs", "services/mod.rs"]
    );
    for (path, text) in &generated.files {
        insta::assert_snapshot!(format!("generated_{}", path.replace('/', "__")), text);
    }
}

#[test]
fn namespaces_limit_what_is_generated() {
    let config = GenerateConfig {
        namespaces: vec!["services.demo.sites".into()],
        source: String::new(),
        search_url: None,
        features: false,
        renamed: Vec::new(),
    };
    let generated = generate(&fixture(), &config);
    assert_eq!(generated.generated, 3);
}

#[test]
fn bindings_for_the_whole_home_manager_file_compile() {
    let generated = generate(
        &home_manager_options(),
        &GenerateConfig {
            namespaces: Vec::new(),
            source: "Home Manager 24.05.".into(),
            search_url: None,
            features: false,
            renamed: Vec::new(),
        },
    );
    let largest = generated.files.values().map(String::len).max().unwrap();
    assert!(largest < 1_000_000, "a generated file is {largest} bytes");
    let dir = tempfile::tempdir().unwrap();
    let dsl = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../dsl")
        .canonicalize()
        .unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        format!("[package]\nname = \"home-bindings\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\nflakesmith = {{ path = {:?}, default-features = false }}\n\n[workspace]\n", dsl.display().to_string()),
    )
    .unwrap();
    for (path, text) in &generated.files {
        let target = dir.path().join("src/home").join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, text).unwrap();
    }
    std::fs::write(dir.path().join("src/lib.rs"), "pub mod home;\n").unwrap();
    // The target directory every test building a crate outside the workspace shares, so
    // flakesmith is built once for all of them and repeated runs reuse the build.
    let target_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/nested");
    let lockfile = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
    std::fs::copy(lockfile, dir.path().join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline"])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `--crate`: the root is `lib.rs` including `root.rs`, each top-level namespace is
/// behind a feature of its name, and the features are listed for the manifest.
#[test]
fn the_crate_layout_puts_namespaces_behind_features() {
    let generated = generate(
        &fixture(),
        &GenerateConfig {
            namespaces: Vec::new(),
            source: "From the fixture.".into(),
            search_url: None,
            features: true,
            renamed: Vec::new(),
        },
    );
    assert_eq!(
        generated.files.keys().collect::<Vec<_>>(),
        ["lib.rs", "root.rs", "services/demo.rs", "services/mod.rs"]
    );
    let lib = &generated.files["lib.rs"];
    assert!(lib.starts_with("//! @generated"), "{lib}");
    assert!(lib.contains("#![doc(html_no_source)]") && lib.ends_with("include!(\"root.rs\");\n"));
    let root = &generated.files["root.rs"];
    assert!(
        !root.contains("#!["),
        "an included file has no inner attributes: {root}"
    );
    assert!(root.contains("#[cfg(feature = \"services\")]\n#[rustfmt::skip]\npub mod services;"));
    assert_eq!(generated.features.keys().collect::<Vec<_>>(), ["services"]);
}

/// The shipped bindings crates: every file starts with `@generated` (but the inputs'
/// hand-written root) and none passes 1 MB.
#[test]
fn shipped_bindings_files_are_marked_and_small() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dsl/bindings");
    let mut stack = vec![root.clone()];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    text.len() <= flakesmith::bindgen::MAX_FILE_BYTES,
                    "{} is {} bytes",
                    path.display(),
                    text.len()
                );
                if path != root.join("inputs/src/lib.rs") {
                    assert!(
                        text.lines()
                            .next()
                            .unwrap_or_default()
                            .contains("@generated"),
                        "{} has no @generated marker",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(files > 2000, "{files} files");
}

/// The renames the shipped data shows from one release line to the next: options of
/// namespaces that moved, found in the option sets themselves (`--renamed-from`),
/// pinned here by name.
#[test]
fn renames_between_the_shipped_release_lines() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../dsl/data");
    let read =
        |file: &str| read_options(&std::fs::read_to_string(data.join(file)).unwrap()).unwrap();
    let mut lines = Vec::new();
    for (old, new) in [
        (
            "nixos-options-unstable-2024-12.json",
            "nixos-options-unstable-2025-02.json",
        ),
        (
            "home-manager-options-master-2024-07.json",
            "home-manager-options-25.05.json",
        ),
        (
            "home-manager-options-25.05.json",
            "home-manager-options-26.05.json",
        ),
    ] {
        let renames = flakesmith::bindgen::renames(&read(old), &read(new));
        lines.push(format!("{old} -> {new}: {} options renamed", renames.len()));
        for rename in &renames {
            lines.push(format!(
                "  {} -> {}",
                rename.from.join("."),
                rename.to.join(".")
            ));
        }
    }
    insta::assert_snapshot!("renames", lines.join("\n"));
}
