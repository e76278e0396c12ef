//! The bindings chapter's commands that can run here, run: the two that regenerate the shipped
//! bindings must reproduce them byte for byte, and the features of their crates (so the
//! guide cannot drift from what the bindings were made with).

mod common;

use common::{files_under, run, workspace};

/// The bindings chapter's shell commands that start with `prefix`, continuation lines joined.
fn commands(prefix: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(workspace().join("dsl/guide/bindings.md")).unwrap();
    let mut out = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with(prefix) {
            continue;
        }
        let mut command = line.to_owned();
        while command.ends_with('\\') {
            command.pop();
            command.push_str(lines.next().unwrap_or_default().trim_start());
        }
        out.push(command);
    }
    out
}

/// Words as a POSIX shell splits them (double-quoted words, no escapes inside).
fn words(command: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut in_word) = (Vec::new(), String::new(), false, false);
    for c in command.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            ' ' if !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[test]
fn the_guide_regenerate_commands_reproduce_the_shipped_bindings() {
    let prefix =
        "cargo run -p flakesmith --features generator --bin flakesmith -- options generate dsl/";
    let commands = commands(prefix);
    assert_eq!(commands.len(), 5, "a command per shipped release line");
    for command in commands {
        let mut args: Vec<String> = words(&command).split_off(9); // after `--`
        let out_flag = args.iter().position(|a| a == "--out").unwrap();
        let shipped = workspace().join(&args[out_flag + 1]);
        let scratch = tempfile::tempdir().unwrap();
        args[out_flag + 1] = scratch.path().join("out").display().to_string();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run(&args);
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        // The printed `[features]` table is the crate's (the last table of its manifest).
        let stdout = String::from_utf8_lossy(&output.stdout);
        let printed = &stdout[stdout.find("[features]").expect("a features table")..];
        let manifest = std::fs::read_to_string(shipped.join("../Cargo.toml")).unwrap();
        let shipped_features = &manifest[manifest.find("[features]").unwrap()..];
        assert_eq!(printed, shipped_features, "{command}: the crate's features");
        let generated = scratch.path().join("out");
        assert_eq!(files_under(&generated), files_under(&shipped), "{command}");
        for file in files_under(&shipped) {
            assert_eq!(
                std::fs::read_to_string(generated.join(&file)).unwrap(),
                std::fs::read_to_string(shipped.join(&file)).unwrap(),
                "{command}: {} differs",
                file.display()
            );
        }
    }
}
