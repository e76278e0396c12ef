//! Arbitrary text as a hand-kept Nix file: accepted, or rejected with a clean error,
//! never a panic, by both validators and by the whole pipeline.
#![no_main]

use flakesmith::prelude::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = flakesmith::validate::validate_nixel(text);
    let _ = flakesmith::validate::validate_rnix(text);
    let flake = Flake::new("fuzz", "24.05")
        .host(Host::new("desk", System::X86_64Linux, "24.05").hardware(Hardware::nix_text(text)));
    if let Err(rejected) = flakesmith::compile(&flake, std::path::Path::new(".")) {
        // The report renders: line, column and caret stay inside the text.
        let _ = flakesmith::diagnostic::render_all(&rejected.diagnostics);
    }
});
