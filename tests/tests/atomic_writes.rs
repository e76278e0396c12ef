//! Killing the writer at any point leaves the old tree or the new one, never a mix.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use flakesmith_tests::versioned_tree;

const FILES: usize = 3000;

fn write(out: &Path, version: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_write-tree"));
    command.arg(out).arg(version).arg(FILES.to_string());
    command
}

/// Which complete version the directory holds; fails on a mix.
fn version_on_disk(out: &Path) -> String {
    for version in ["old", "new"] {
        if flakesmith::writer::diff(out, &versioned_tree(version, FILES))
            .unwrap()
            .is_empty()
        {
            return version.to_owned();
        }
    }
    let diffs = flakesmith::writer::diff(out, &versioned_tree("old", FILES)).unwrap();
    panic!(
        "{} holds neither tree whole ({} files differ from the old one)",
        out.display(),
        diffs.len()
    );
}

#[test]
fn a_killed_write_leaves_the_old_tree_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("flake");
    assert!(write(&out, "old").status().unwrap().success());
    // How long a full rewrite takes here, to spread the kills over it.
    let start = Instant::now();
    assert!(write(&out, "new").status().unwrap().success());
    let full = start.elapsed();
    assert!(write(&out, "old").status().unwrap().success());

    let mut seen = std::collections::BTreeSet::new();
    let mut expected = "old".to_owned();
    for round in 0..16u32 {
        let target = if expected == "old" { "new" } else { "old" };
        let mut child = write(&out, target).spawn().unwrap();
        // Deterministic spread over the write, from the very start to just past the end.
        let delay = full.mul_f64(f64::from(round) / 14.0);
        std::thread::sleep(delay.min(Duration::from_secs(10)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let on_disk = version_on_disk(&out);
        if status.success() {
            assert_eq!(on_disk, target, "a finished write left the old tree");
        }
        seen.insert(if on_disk == expected {
            "kept"
        } else {
            "replaced"
        });
        expected = on_disk;
    }
    // A later run cleans up whatever a killed one left beside the directory.
    assert!(write(&out, "new").status().unwrap().success());
    assert_eq!(version_on_disk(&out), "new");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["flake"], "stale staging directories remain");
    assert!(
        seen.contains("kept"),
        "no kill landed before the swap; the test did not exercise an interruption"
    );
}
