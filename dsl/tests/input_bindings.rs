//! The bindings shipped for other flakes' NixOS modules (sops-nix, agenix, disko, impermanence) are
//! what `scripts/input-bindings.sh` makes: their options.json is the evaluation of the
//! declarations restated in `dsl/data/inputs/` (with the real module system, when
//! `FLAKESMITH_NIXPKGS_LIB` names it), and their bindings are generated from that JSON.

mod common;

use std::path::{Path, PathBuf};

use common::{files_under, flakesmith, workspace};

const INPUTS: [&str; 4] = ["sops-nix", "agenix", "disko", "impermanence"];

/// The files below `dir` with their text, sorted by path.
fn texts_under(dir: &Path) -> Vec<(PathBuf, String)> {
    files_under(dir)
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(dir.join(&path)).unwrap();
            (path, text)
        })
        .collect()
}

#[test]
fn shipped_input_bindings_are_generated_from_their_json() {
    for input in INPUTS {
        let json = format!("dsl/data/{input}-options.json");
        let scratch = tempfile::tempdir().unwrap();
        let out = scratch.path().join("out");
        let source = format!(
            "From {json}: the options of {input}'s NixOS module as dsl/data/inputs/{input}.nix restates them."
        );
        flakesmith(&[
            "options",
            "generate",
            &json,
            "--out",
            out.to_str().unwrap(),
            "--source",
            &source,
        ]);
        let shipped = workspace()
            .join("dsl/bindings/inputs/src")
            .join(input.replace('-', "_"));
        assert!(
            texts_under(&out) == texts_under(&shipped),
            "{input}: the shipped bindings are not what {json} generates; run scripts/input-bindings.sh"
        );
    }
}

#[test]
fn input_options_json_is_the_evaluated_declarations() {
    let Some(lib) = std::env::var("FLAKESMITH_NIXPKGS_LIB").ok() else {
        eprintln!(
            "input options json: NOT checked against the real module system: no nixpkgs lib \
             (set FLAKESMITH_NIXPKGS_LIB)"
        );
        return;
    };
    let root = format!("{}/", workspace().display());
    for input in INPUTS {
        let module = format!("dsl/data/inputs/{input}.nix");
        let evaluated = flakesmith(&["options", "json", "--lib", &lib, "--module", &module]);
        let evaluated = String::from_utf8(evaluated.stdout)
            .unwrap()
            .replace(&root, "");
        let shipped =
            std::fs::read_to_string(workspace().join(format!("dsl/data/{input}-options.json")))
                .unwrap();
        assert_eq!(
            evaluated.trim_end(),
            shipped.trim_end(),
            "{input}: dsl/data/{input}-options.json is not what {module} declares; run scripts/input-bindings.sh"
        );
    }
}
