//! The README and the guide never lie: their Rust blocks run as doctests (the README's
//! through `tests/src/lib.rs`, the guide's as documentation of `flakesmith::guide`), and
//! the blocks that show files of the example (which a doctest cannot build: they need a
//! crate layout) are the files' own code, compared here.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(workspace().join(path)).unwrap()
}

/// The guide's chapters: every Markdown file of `dsl/guide/`, by path from the workspace.
fn chapters() -> Vec<String> {
    let mut chapters: Vec<String> = std::fs::read_dir(workspace().join("dsl/guide"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.ends_with(".md"))
        .map(|name| format!("dsl/guide/{name}"))
        .collect();
    chapters.sort();
    chapters
}

/// The code of a Rust file: its lines without the leading `//!` documentation.
fn code_of(path: &str) -> String {
    read(path)
        .lines()
        .skip_while(|l| l.starts_with("//!") || l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn blocks_that_show_example_files_are_those_files() {
    let guide = read("dsl/guide/writing.md");
    let mut compared = 0;
    for block in guide.split("```rust,ignore\n").skip(1) {
        let block = block.split("\n```").next().unwrap();
        let (first, code) = block.split_once('\n').unwrap();
        let file = first
            .strip_prefix("// ")
            .expect("an ignored block names its file on its first line");
        assert_eq!(
            code,
            code_of(&format!("example-config/{file}")),
            "the guide's {file} differs from example-config/{file}"
        );
        compared += 1;
    }
    assert_eq!(compared, 2, "build.rs and src/main.rs");
}

#[test]
fn every_rust_block_is_tested() {
    // A block is either compiled (`rust`), compared above (`rust,ignore`, and `mermaid`
    // below), or not Rust.
    for file in std::iter::once("README.md".to_owned()).chain(chapters()) {
        for (index, block) in read(&file)
            .split("\n```")
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
        {
            let tag = block.lines().next().unwrap_or_default();
            assert!(
                ["rust", "rust,ignore", "text", "sh", "nix", "toml", "mermaid"].contains(&tag),
                "{file}: code block {index} is tagged `{tag}`: tag it `rust` (a doctest), or `text`/`sh`/`nix`/`toml`"
            );
        }
    }
}

/// Every chapter is a module of `flakesmith::guide` (so its examples run as doctests)
/// and is linked from the README (so a newcomer finds it).
#[test]
fn every_chapter_is_documentation_and_linked_from_the_readme() {
    let modules = read("dsl/src/guide.rs");
    let readme = read("README.md");
    let chapters = chapters();
    assert!(chapters.len() >= 6, "{chapters:?}");
    for chapter in chapters {
        let name = chapter.trim_start_matches("dsl/guide/");
        assert!(
            modules.contains(&format!("include_str!(\"../guide/{name}\")")),
            "{chapter} is not a module of flakesmith::guide"
        );
        assert!(
            readme.contains(&format!("]({chapter})")),
            "the README does not link {chapter}"
        );
    }
}

/// The README stays what a newcomer reads first; the guide holds the rest.
#[test]
fn the_readme_is_short() {
    let lines = read("README.md").lines().count();
    assert!(
        lines < 300,
        "the README has {lines} lines: move the detail into the guide"
    );
}

/// The deploying chapter shows the example's fleet graph as `graph` prints it.
#[test]
fn the_guide_graph_is_the_examples() {
    let guide = read("dsl/guide/deploying.md");
    let block = guide
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a mermaid block in the deploying chapter");
    assert_eq!(block, flakesmith_tests::compile_example().tree.graph);
}
