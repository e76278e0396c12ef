//! The bad-input catalogue: every entry is a mistake a user can make; each gets a clear
//! error that names the entity (and, for configuration mistakes, the Rust location that
//! made it), exactly one error per mistake, and nothing is written.

use std::fs;
use std::path::{Path, PathBuf};

use flakesmith::prelude::*;
use flakesmith::{compile, Opt, OptionPath};
use flakesmith_nixos::{networking, services::openssh, users};

const HARDWARE: &str = "{ fileSystems.\"/\".device = \"/dev/sda1\"; }";
const THIS_FILE: &str = "tests/tests/bad_inputs.rs:";

fn accounts(name: &str) -> Module {
    Module::new(Category::System, "accounts").set(users::users::user(name).is_normal_user(), true)
}

/// An account beside `accounts`, in a module of its own name (a second `accounts`
/// module would be a mistake of its own, `duplicate-module`).
fn account(name: &str) -> Module {
    Module::new(Category::System, "more-accounts")
        .set(users::users::user(name).is_normal_user(), true)
}

#[track_caller]
fn host(name: &str) -> Host {
    Host::new(name, System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text(HARDWARE))
        .import(accounts("alice"))
}

fn one(host: Host) -> Flake {
    Flake::new("bad", "24.05").host(host)
}

/// A scratch directory holding hardware files the cases point at.
fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flakesmith-bad-inputs-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("not-utf8.nix"), [0x7b, 0xff, 0xfe, 0x7d]).unwrap();
    fs::write(dir.join("broken.nix"), "{\n  fileSystems.\"/\" = {\n}\n").unwrap();
    fs::create_dir_all(dir.join("a-directory.nix")).unwrap();
    dir
}

/// Configuration mistakes: (what, the flake, a word the error must contain).
fn configuration_cases(dir: &Path) -> Vec<(&'static str, Flake, String)> {
    let file = |name: &str| Hardware::nix_file(dir.join(name));
    let long = "x".repeat(300);
    let value = |path: &'static [&'static str]| Opt::<f64>::new(path);
    vec![
        (
            "invalid host name",
            one(host("bad.name")),
            "bad.name".into(),
        ),
        ("host name with a slash", one(host("a/b")), "a/b".into()),
        ("host name `..`", one(host("..")), "`..`".into()),
        ("host name with NUL", one(host("a\0b")), "a\\0b".into()),
        (
            "host name with a leading dot",
            one(host(".hidden")),
            ".hidden".into(),
        ),
        (
            "host name of 300 characters",
            one(host(&long)),
            "300 characters".into(),
        ),
        (
            "host name `flake.nix`",
            one(host("flake.nix")),
            "flake.nix".into(),
        ),
        (
            "host name `template`",
            one(host("template")),
            "ships the template for new hosts as `hosts/template/`: give this host another name"
                .into(),
        ),
        (
            "duplicate host names",
            Flake::new("bad", "24.05")
                .host(host("desk"))
                .host(host("desk")),
            "two hosts".into(),
        ),
        (
            "hosts differing only in case",
            Flake::new("bad", "24.05")
                .host(host("Desk"))
                .host(host("desk")),
            "differ only in case".into(),
        ),
        (
            "invalid user name",
            one(host("desk")
                .import(account("Alice"))
                .user(User::new("Alice", "24.05"))),
            "`Alice`".into(),
        ),
        (
            "user name with a slash",
            one(host("desk").user(User::new("a/b", "24.05"))),
            "a/b".into(),
        ),
        (
            "user name of 300 characters",
            one(host("desk").user(User::new(long.clone(), "24.05"))),
            "300 characters".into(),
        ),
        (
            "an option accessor given an empty name",
            one(host("desk").set(flakesmith_nixos::users::users::user("").is_normal_user(), true)),
            "host `desk` defines `users.users.\"\".isNormalUser`, whose path has an empty name in it"
                .into(),
        ),
        (
            "user name `template`",
            one(host("desk").user(User::new("template", "24.05"))),
            "ships the template for new users as `home/template.nix`: give this user another name"
                .into(),
        ),
        // Found by the property tests: valid for NixOS (machine accounts), but not a
        // Home Manager user, and not a Nix path literal for home/<name>.nix.
        (
            "Home Manager user name ending in `$`",
            one(host("desk")
                .import(account("pc$"))
                .user(User::new("pc$", "24.05"))),
            "machine account".into(),
        ),
        (
            "two different users with one name",
            Flake::new("bad", "24.05")
                .host(host("desk").user(User::new("alice", "24.05")))
                .host(host("srv").user(User::new("alice", "23.11"))),
            "two different Home Manager users".into(),
        ),
        (
            "empty module name",
            one(host("desk").import(Module::new(Category::System, ""))),
            "is empty".into(),
        ),
        (
            "module name escaping the tree",
            one(host("desk").import(Module::new(Category::System, "../up"))),
            "../up".into(),
        ),
        (
            "module name with a leading dot",
            one(host("desk").import(Module::new(Category::System, ".hidden"))),
            ".hidden".into(),
        ),
        (
            "module name with NUL",
            one(host("desk").import(Module::new(Category::System, "a\0b"))),
            "a\\0b".into(),
        ),
        (
            "NaN",
            one(host("desk").set(value(&["services", "x", "ratio"]), f64::NAN)),
            "NaN".into(),
        ),
        (
            "infinity",
            one(host("desk").set(value(&["services", "x", "ratio"]), f64::INFINITY)),
            "inf".into(),
        ),
        (
            "subnormal float",
            one(host("desk").set(value(&["services", "x", "ratio"]), 5e-324)),
            "subnormal".into(),
        ),
        (
            "u64 above i64::MAX",
            one(host("desk").set(Opt::<u64>::new(&["services", "x", "big"]), u64::MAX)),
            "18446744073709551615".into(),
        ),
        (
            "string with NUL",
            one(host("desk").set(networking::host_name, "a\0b")),
            "NUL".into(),
        ),
        (
            "empty option path segment",
            one(host("desk").set(
                Opt::<bool>::at(OptionPath::Owned(vec!["a".into(), String::new()])),
                true,
            )),
            "defines `a.\"\"`, whose path has an empty name in it".into(),
        ),
        (
            "missing hardware file",
            one(host("desk").hardware(file("missing.nix"))),
            "missing.nix".into(),
        ),
        (
            "unreadable hardware file",
            one(host("desk").hardware(file("a-directory.nix"))),
            "a-directory.nix".into(),
        ),
        (
            "hardware file not UTF-8",
            one(host("desk").hardware(file("not-utf8.nix"))),
            "not UTF-8".into(),
        ),
        (
            "hardware file not valid Nix",
            one(host("desk").hardware(file("broken.nix"))),
            "broken.nix".into(),
        ),
        (
            "no hardware configuration",
            one(Host::new("desk", System::X86_64Linux, "24.05").import(accounts("alice"))),
            "no hardware".into(),
        ),
        (
            "conflicting definitions",
            one(host("desk")
                .set(networking::host_name, "one")
                .set(networking::host_name, "two")),
            "conflicting definitions".into(),
        ),
        (
            "Home Manager user without a system user",
            one(Host::new("desk", System::X86_64Linux, "24.05")
                .hardware(Hardware::nix_text(HARDWARE))
                .user(User::new("bob", "24.05"))),
            "no normal system user `bob`".into(),
        ),
        (
            "unknown system double",
            one(
                Host::new("desk", System::Other("x86_64-windows".into()), "24.05")
                    .hardware(Hardware::nix_text(HARDWARE)),
            ),
            "x86_64-windows".into(),
        ),
        (
            "bad stateVersion",
            one(Host::new("desk", System::X86_64Linux, "twenty-four")
                .hardware(Hardware::nix_text(HARDWARE))),
            "twenty-four".into(),
        ),
        (
            "plaintext password",
            one(host("desk").set(users::users::user("alice").password(), "hunter2")),
            "plaintext secret".into(),
        ),
        (
            "a module that gives a user's account, built twice under one name",
            one(host("desk")
                .import(Module::new(Category::System, "people").set(users::users::user("dave").description(), "Dave"))
                .import(Module::new(Category::System, "people").set(users::users::user("dave").is_normal_user(), true))
                .user(User::new("dave", "24.05"))),
            "two different modules".into(),
        ),
        (
            "two different modules with one name",
            one(host("desk")
                .import(Module::new(Category::Services, "ssh").set(openssh::enable, true))
                .import(Module::new(Category::Services, "ssh").set(openssh::ports, [22]))),
            "two different modules".into(),
        ),
    ]
}

#[test]
fn configuration_mistakes_are_rejected_with_entity_and_location() {
    let dir = scratch();
    let cases = configuration_cases(&dir);
    assert!(
        cases.len() >= 30,
        "the catalogue has {} entries",
        cases.len()
    );
    for (what, flake, word) in cases {
        let rejected = match compile(&flake, Path::new(".")) {
            Ok(_) => panic!("{what}: accepted"),
            Err(rejected) => rejected,
        };
        let text = flakesmith::diagnostic::render_all(&rejected.diagnostics);
        let errors = rejected.diagnostics.iter().filter(|d| d.is_error()).count();
        // One mistake, one error: nothing that depends on the rejected entity is
        // reported again.
        assert_eq!(errors, 1, "{what}: one mistake, {errors} errors:\n{text}");
        assert!(
            text.contains(&word),
            "{what}: the error does not name `{word}`:\n{text}"
        );
        assert!(
            text.contains(THIS_FILE),
            "{what}: the error does not point at the Rust that made it:\n{text}"
        );
    }
    fs::remove_dir_all(dir).ok();
}

/// A rejected configuration writes nothing: the pipeline stops before the writer, and
/// the configuration binary only writes what its build script compiled.
#[test]
fn nothing_is_written_for_a_rejected_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("flake");
    let flake = one(host("bad.name"));
    if let Ok(compiled) = compile(&flake, Path::new(".")) {
        flakesmith::writer::write(&out, &compiled.tree, false).unwrap();
    }
    assert!(!out.exists());
}

/// Output directory mistakes: the writer names the path and changes nothing.
#[test]
fn output_directory_mistakes_are_rejected() {
    let tree = compile(&one(host("desk")), Path::new(".")).unwrap().tree;
    let dir = tempfile::tempdir().unwrap();

    let file = dir.path().join("a-file");
    fs::write(&file, "x").unwrap();
    let error = flakesmith::writer::write(&file, &tree, false)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("a-file") && error.contains("not a directory"),
        "{error}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");

    // A directory no one may create things in (root may write anywhere on disk, so use
    // a file system that refuses everyone).
    let unwritable = Path::new("/proc/flakesmith-out");
    let error = flakesmith::writer::write(unwritable, &tree, false)
        .unwrap_err()
        .to_string();
    assert!(error.contains("/proc"), "{error}");
    assert!(!unwritable.exists());

    let foreign = dir.path().join("flake");
    fs::create_dir_all(foreign.join("hosts/desk")).unwrap();
    fs::write(foreign.join("hosts/desk/default.nix"), "{ mine = true; }").unwrap();
    let error = flakesmith::writer::write(&foreign, &tree, false)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("hosts/desk/default.nix") && error.contains("did not generate"),
        "{error}"
    );
    assert_eq!(
        fs::read_to_string(foreign.join("hosts/desk/default.nix")).unwrap(),
        "{ mine = true; }"
    );
    assert!(!foreign.join("flake.nix").exists(), "nothing half-written");
}

/// Deeply nested values are rejected with a clear limit before anything walks them
/// recursively; very long lists are fine.
#[test]
fn resource_bounds() {
    use flakesmith::nix::Expr;
    // Building and dropping a value this deep recurses in the caller's own code too, so
    // this runs on a thread with room for that; flakesmith itself only walks it iteratively.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let mut deep = Expr::Int(1);
            for _ in 0..100_000 {
                deep = Expr::List(vec![deep]);
            }
            let flake = one(host("desk").set(
                Opt::<flakesmith::Untyped>::new(&["services", "x", "deep"]),
                deep,
            ));
            let error = match compile(&flake, Path::new(".")) {
                Ok(_) => panic!("a 100,000-level value was accepted"),
                Err(rejected) => flakesmith::diagnostic::render_all(&rejected.diagnostics),
            };
            assert!(
                error.contains(&format!(
                    "nests more than {} levels deep",
                    flakesmith::check::MAX_NESTING
                )),
                "{error}"
            );
            assert!(error.contains(THIS_FILE), "{error}");

            let at_limit =
                (1..flakesmith::check::MAX_NESTING).fold(Expr::Int(1), |e, _| Expr::List(vec![e]));
            let flake = one(host("desk").set(
                Opt::<flakesmith::Untyped>::new(&["services", "x", "deep"]),
                at_limit,
            ));
            assert!(
                compile(&flake, Path::new(".")).is_ok(),
                "a value at the limit is accepted"
            );

            let long: Vec<i64> = (0..1_000_000).collect();
            let flake =
                one(host("desk").set(Opt::<Vec<i64>>::new(&["services", "x", "long"]), long));
            let tree = compile(&flake, Path::new("."))
                .expect("a million-element list is fine")
                .tree;
            assert!(tree
                .get("hosts/desk/default.nix")
                .unwrap()
                .contains("999999"));
        })
        .unwrap();
    handle.join().unwrap();
}

/// A module whose declared default Nix cannot hold.
#[derive(flakesmith::NixModule)]
#[nix(category = "services", namespace = "fleet.tuning")]
pub struct Tuning {
    /// How much of the cache to keep.
    #[nix(default = f64::NAN)]
    pub keep_ratio: f64,
}

impl ModuleConfig for Tuning {
    fn config(_cfg: TuningCfg, module: Module) -> Module {
        module
    }
}

/// A derived module's default that Nix cannot hold is reported at the field that gives
/// it, not at the struct.
#[test]
fn a_derived_default_nix_cannot_hold_points_at_its_field() {
    let flake = one(host("desk").enable(Tuning { keep_ratio: 0.5 }));
    let rejected = compile(&flake, Path::new(".")).expect_err("a NaN default");
    let text = flakesmith::diagnostic::render_all(&rejected.diagnostics);
    let field_line = include_str!("bad_inputs.rs")
        .lines()
        .position(|line| line.contains("pub keep_ratio: f64"))
        .unwrap()
        + 1;
    assert!(
        text.contains("error[unwritable-declaration]: the default of option `keepRatio`")
            && text.contains(&format!("{THIS_FILE}{field_line}:9"))
            && text.contains("the default is given here"),
        "{text}"
    );
}
