//! The README never lies: its Rust blocks run as doctests (`tests/src/lib.rs` includes it),
//! and the blocks that show files of the example (which a doctest cannot build: they
//! need a crate layout) are the files' own code, compared here.

use std::path::Path;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md")).unwrap()
}

/// The code of a Rust file: its lines without the leading `//!` documentation.
fn code_of(path: &str) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path))
        .unwrap();
    text.lines()
        .skip_while(|l| l.starts_with("//!") || l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn blocks_that_show_example_files_are_those_files() {
    let readme = readme();
    let mut compared = 0;
    for block in readme.split("```rust,ignore\n").skip(1) {
        let block = block.split("\n```").next().unwrap();
        let (first, code) = block.split_once('\n').unwrap();
        let file = first
            .strip_prefix("// ")
            .expect("an ignored block names its file on its first line");
        assert_eq!(
            code,
            code_of(&format!("example-config/{file}")),
            "the README's {file} differs from example-config/{file}"
        );
        compared += 1;
    }
    assert_eq!(compared, 2, "build.rs and src/main.rs");
}

#[test]
fn every_rust_block_is_tested() {
    // A block is either compiled (`rust`), compared above (`rust,ignore`, and `mermaid`
    // below), or not Rust.
    for (index, block) in readme()
        .split("\n```")
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
    {
        let tag = block.lines().next().unwrap_or_default();
        assert!(
            ["rust", "rust,ignore", "text", "sh", "nix", "toml", "mermaid"].contains(&tag),
            "code block {index} is tagged `{tag}`: tag it `rust` (a doctest), or `text`/`sh`/`nix`/`toml`"
        );
    }
}

/// The README shows the example's fleet graph as `graph` prints it.
#[test]
fn the_readme_graph_is_the_examples() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
    )
    .unwrap();
    let block = readme
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a mermaid block in the README");
    assert_eq!(block, flakesmith_tests::compile_example().tree.graph);
}
