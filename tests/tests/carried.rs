//! What hand-kept files name by relative path (`imports = [ ./services ]`,
//! `source = ./motd.txt`) is carried into the tree under `files/`, and the paths point
//! there: the tree evaluates as the files did where they were. What cannot be carried is
//! a warning naming the file, the line and the Rust that named the hand-kept file.

use std::path::Path;

use flakesmith::compile;
use flakesmith::prelude::*;
use flakesmith_tests::{evaluate_flake, nixpkgs_lib_or_say};

fn write(root: &Path, path: &str, contents: &[u8]) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, contents).unwrap();
}

fn host(module: Module) -> Host {
    Host::new("desk", System::X86_64Linux, "24.11")
        .hardware(Hardware::nix_text("{ }"))
        .import(module)
}

/// Compiles a flake whose host `desk` imports the crate's hand-kept `file` as module
/// `name`.
fn compile_kept(root: &Path, name: &str, file: &str) -> flakesmith::pipeline::Compiled {
    let flake =
        Flake::new("carried", "24.11").host(host(Module::nix_file(Category::System, name, file)));
    compile(&flake, root)
        .unwrap_or_else(|r| panic!("{}", flakesmith::diagnostic::render_all(&r.diagnostics)))
}

#[test]
fn what_a_hand_kept_file_names_is_carried_and_still_found() {
    let crate_dir = tempfile::tempdir().unwrap();
    let root = crate_dir.path();
    write(
        root,
        "nix/desk/default.nix",
        b"{ ... }: {\n  imports = [ ./services ];\n  environment.etc.motd.source = ./motd.txt;\n  environment.etc.wallpaper.source = ./wallpaper.png;\n}\n",
    );
    write(
        root,
        "nix/desk/services/default.nix",
        b"{ lib, ... }: { networking.domain = lib.removeSuffix \"\\n\" (builtins.readFile ../../domain.txt); }\n",
    );
    write(root, "nix/desk/motd.txt", b"welcome\n");
    write(root, "nix/domain.txt", b"example.org\n");
    let png = [0x89, b'P', b'N', b'G', 0xff, 0];
    write(root, "nix/desk/wallpaper.png", &png);
    let compiled = compile_kept(root, "desk-own", "nix/desk/default.nix");
    let tree = compiled.tree;
    let module = tree.get("modules/system/desk-own.nix").unwrap();
    assert!(
        module.contains("imports = [ ../../files/nix/desk/services ];")
            && module.contains("source = ../../files/nix/desk/motd.txt;"),
        "{module}"
    );
    for carried in [
        "files/nix/desk/services/default.nix",
        "files/nix/desk/motd.txt",
        "files/nix/domain.txt",
    ] {
        assert!(
            tree.copied(carried).is_some(),
            "{carried} in {:?}",
            tree.copied
        );
    }
    // Bytes that are not text travel too.
    assert_eq!(tree.copied("files/nix/desk/wallpaper.png"), Some(&png[..]));
    // The nested file is carried as it is: its own paths keep their places.
    let nested = tree.copied("files/nix/desk/services/default.nix").unwrap();
    assert!(String::from_utf8_lossy(nested).contains("../../domain.txt"));
    // The build script reruns when a carried file changes.
    assert!(compiled.inputs.contains(&root.join("nix/domain.txt")));
    let Some(lib) = nixpkgs_lib_or_say("carried files") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        "let config = outputs.nixosConfigurations.desk.config; in { domain = config.networking.domain; motd = builtins.readFile config.environment.etc.motd.source; wallpaper = builtins.pathExists config.environment.etc.wallpaper.source; }",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        value,
        serde_json::json!({ "domain": "example.org", "motd": "welcome\n", "wallpaper": true })
    );
}

#[test]
fn what_cannot_be_carried_is_a_warning_at_its_line() {
    let crate_dir = tempfile::tempdir().unwrap();
    let root = crate_dir.path();
    write(
        root,
        "nix/kept.nix",
        b"{ ... }: {\n  a = ./gone.txt;\n  b = ../../outside;\n  c = ./.secrets/key;\n}\n",
    );
    write(root, "nix/.secrets/key", b"k");
    // Nix reads a path where it is used: the tree keeps them as written, with warnings.
    let compiled = compile_kept(root, "kept", "nix/kept.nix");
    let text = flakesmith::diagnostic::render_all(&compiled.warnings);
    assert!(compiled
        .tree
        .get("modules/system/kept.nix")
        .unwrap()
        .contains("a = ./gone.txt;"));
    for expected in [
        "warning[missing-path]: hand-kept module `kept` names `./gone.txt` (nix/kept.nix:2:7), which does not exist",
        "warning[uncarried-path]: hand-kept module `kept` names `../../outside` (nix/kept.nix:3:7), which is outside the configuration crate",
        "warning[uncarried-path]: hand-kept module `kept` names `./.secrets/key` (nix/kept.nix:4:7), a hidden file or directory",
        "tests/carried.rs:",
    ] {
        assert!(text.contains(expected), "`{expected}` in:\n{text}");
    }
}

#[test]
fn a_path_built_with_interpolation_is_a_warning() {
    let crate_dir = tempfile::tempdir().unwrap();
    let root = crate_dir.path();
    write(
        root,
        "nix/kept.nix",
        b"{ ... }: let name = \"a\"; in { imports = [ ./${name}.nix ]; }\n",
    );
    write(root, "nix/a.nix", b"{ }\n");
    let compiled = compile_kept(root, "kept", "nix/kept.nix");
    let warnings = flakesmith::diagnostic::render_all(&compiled.warnings);
    assert!(
        warnings.contains("warning[dynamic-path]: hand-kept module `kept` builds the path `./${name}.nix` (nix/kept.nix:1:43)"),
        "{warnings}"
    );
}

/// A path built with `${...}` in a directory it names (`../motd/${hostName}.txt`)
/// carries the directory whole and leads into it, so whichever file Nix picks is there.
#[test]
fn a_path_built_in_a_named_directory_is_carried_with_the_directory() {
    let crate_dir = tempfile::tempdir().unwrap();
    let root = crate_dir.path();
    write(
        root,
        "nix/desk/default.nix",
        b"{ config, ... }: {\n  environment.etc.motd.text = builtins.readFile ../motd/${config.networking.hostName}.txt;\n}\n",
    );
    write(root, "nix/motd/desk.txt", b"welcome to desk\n");
    write(root, "nix/motd/laptop.txt", b"welcome to laptop\n");
    let compiled = compile_kept(root, "desk-own", "nix/desk/default.nix");
    let tree = compiled.tree;
    let module = tree.get("modules/system/desk-own.nix").unwrap();
    assert!(
        module.contains("../../files/nix/motd/${config.networking.hostName}.txt"),
        "{module}"
    );
    for carried in ["files/nix/motd/desk.txt", "files/nix/motd/laptop.txt"] {
        assert!(tree.copied(carried).is_some(), "{carried}");
    }
    let Some(lib) = nixpkgs_lib_or_say("a carried directory") else {
        return;
    };
    let value = evaluate_flake(
        &lib,
        &tree,
        "outputs.nixosConfigurations.desk.config.environment.etc.motd.text",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(value, serde_json::json!("welcome to desk\n"));
}
