//! Arbitrary text where the configuration's words reach comments (a module's
//! description, the regenerate command): the generated files must parse to the same code
//! as without that text. Text that leaves a comment would become code.
#![no_main]

use flakesmith::prelude::*;
use libfuzzer_sys::fuzz_target;

fn files(description: &str, command: &str) -> Option<Vec<(String, String)>> {
    let flake = Flake::new("fuzz", "24.05").regenerate_with(command).host(
        Host::new("desk", System::X86_64Linux, "24.05")
            .hardware(Hardware::nix_text("{}"))
            .import(Module::new(Category::System, "m").describe(description)),
    );
    let tree = flakesmith::compile(&flake, std::path::Path::new(".")).ok()?.tree;
    Some(tree.files.into_iter().map(|f| (f.path, f.contents)).collect())
}

/// The code of a Nix text without its comments and white space: rnix's tokens.
fn code(text: &str) -> String {
    rnix::Root::parse(text)
        .syntax()
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !matches!(t.kind(), rnix::SyntaxKind::TOKEN_COMMENT | rnix::SyntaxKind::TOKEN_WHITESPACE))
        .map(|t| t.text().to_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (description, command) = text.split_once('\u{0}').unwrap_or((text, "cmd"));
    static PLAIN: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    let plain = PLAIN.get_or_init(|| files("", "cmd").expect("the plain flake compiles"));
    let Some(with_text) = files(description, command) else {
        return; // rejected (a NUL in a string, say): nothing written, nothing to compare
    };
    for ((path, with_text), (_, plain)) in with_text.iter().zip(plain) {
        assert_eq!(code(with_text), code(plain), "{path}: text from a comment became code");
    }
});
