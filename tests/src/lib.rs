//! Helpers shared by flakesmith's integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use flakesmith::{compile, Compiled, Flake};

pub mod declared;
pub mod real_flake;

/// The example configuration, compiled into the tests as `example-config/build.rs`
/// compiles it into its build script (the example crate has no library: the edit loop
/// would compile the configuration twice).
#[path = "../../example-config/config/mod.rs"]
pub mod example;

/// The example configuration's crate directory, where its hardware files live.
pub fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../example-config")
}

/// The rendered diagnostics of a configuration that must be rejected (panics, naming the
/// caller, when it is accepted).
#[track_caller]
pub fn rejected_text(flake: &Flake) -> String {
    match compile(flake, Path::new(".")) {
        Ok(_) => panic!("accepted"),
        Err(rejected) => flakesmith::diagnostic::render_all(&rejected.diagnostics),
    }
}

/// Compiles the example configuration exactly as its `build.rs` does.
pub fn compile_example() -> Compiled {
    let flake: Flake = example::flake();
    match compile(&flake, &example_dir()) {
        Ok(compiled) => compiled,
        Err(rejected) => panic!(
            "the example configuration was rejected:\n{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    }
}

/// Runs `nix-instantiate` with `args`, failing the test with a clear message when Nix
/// is not installed (`.ci/run` installs Debian's `nix-bin`).
pub fn nix_instantiate(args: &[&str]) -> std::process::Output {
    static STATE: std::sync::Once = std::sync::Once::new();
    // Nix creates its state directory (a SQLite database) on first use, and two
    // evaluations that start together on a fresh one can fail; the first evaluation of
    // each test process runs alone, and is tried again while another process creates it.
    STATE.call_once(|| {
        for _ in 0..10 {
            if run_nix_instantiate(&["--eval", "-E", "null"])
                .status
                .success()
            {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    });
    run_nix_instantiate(args)
}

fn run_nix_instantiate(args: &[&str]) -> std::process::Output {
    Command::new("nix-instantiate")
        .args(args)
        .env(
            "NIX_STATE_DIR",
            std::env::temp_dir().join("flakesmith-nix-state"),
        )
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run nix-instantiate ({e}); install Nix, e.g. `apt-get install nix-bin`")
        })
}

/// `tests/nix/stub-lib.nix`: a stand-in for the parts of nixpkgs' `lib` that generated
/// module files use, for evaluating them where nixpkgs is not available.
pub fn stub_lib() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("nix/stub-lib.nix")
}

/// Evaluates `expr` with `nix-instantiate --eval --strict --json`, failing the test with
/// Nix's own message when it does not evaluate.
pub fn eval_json(expr: &str) -> serde_json::Value {
    let output = nix_instantiate(&["--eval", "--strict", "--json", "-E", expr]);
    assert!(
        output.status.success(),
        "Nix could not evaluate:\n{expr}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("nix-instantiate --json prints JSON")
}

/// Strings that stress escaping: quotes, backslashes, interpolation openers in both string
/// forms, indentation, control characters and non-ASCII text.
pub fn tricky_strings() -> Vec<String> {
    [
        "",
        "plain",
        "quote \" inside",
        "back\\slash",
        "\\",
        "\\\\n",
        "${interp}",
        "$${double}",
        "$$",
        "$",
        "trailing $",
        "${",
        "$\\{",
        "''",
        "'''",
        "''${x}",
        "'",
        "ends with quote'",
        "line1\nline2",
        "  indented\n  both",
        "a\nb\n",
        "\n",
        "\n\nx",
        "x\n\n",
        "tab\there",
        "\ta\nb",
        "cr\r\nlf",
        "\u{1}\u{7f}\u{1b}[0m",
        "unicode ✓ ü 日本",
        "emoji 🦀",
        "multi\n'' \n${x}\n$${y}\n\\n\n",
        "a\n   \nb",
        "x\n  y\n",
        "a'\nb",
        "a''\nb",
        "''\n${\n",
        "a\n''",
        "\u{a0}nbsp\n\u{2028}",
        "x\n'${y}\n",
        "a\n'${",
        "a\n''${b}'${c}",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// Attribute names that must be quoted, and some that must not.
pub fn tricky_names() -> Vec<String> {
    [
        "plain",
        "with-dash",
        "a.b",
        "a b",
        "",
        "if",
        "or",
        "inherit",
        "rec",
        "let",
        "in",
        "with",
        "assert",
        "then",
        "else",
        "9lives",
        "${x}",
        "\"",
        "\\",
        "ü",
        "_",
        "a'b",
        "-x",
        "'x",
        "true",
        "null",
        "__curPos",
        "a\nb",
        "$",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

pub const TRICKY_INTS: &[i64] = &[
    0,
    1,
    -1,
    42,
    -42,
    i64::MAX,
    i64::MIN,
    i64::MIN + 1,
    1 << 53,
    -(1 << 53),
];

pub const TRICKY_FLOATS: &[f64] = &[
    0.0,
    0.1,
    -0.5,
    2.5,
    1e-7,
    -1e-7,
    1.5e300,
    123456789.123,
    1.0 / 3.0,
    f64::MIN_POSITIVE,
    f64::MAX,
    f64::MIN,
    1e21,
];

/// A tree of `files` files spread over directories, every one marked with `version`.
pub fn versioned_tree(version: &str, files: usize) -> flakesmith::Tree {
    flakesmith::Tree {
        files: (0..files)
            .map(|i| {
                flakesmith::GeneratedFile::new(
                    format!("hosts/h{:03}/file{i:05}.nix", i % 200),
                    format!("# Generated by flakesmith\n# version {version}\n{{ index = {i}; }}\n"),
                )
            })
            .collect(),
        ..Default::default()
    }
}

/// The real nixpkgs `lib`, for tests of module-system behaviour (types, merging,
/// priorities, error messages): `FLAKESMITH_NIXPKGS_LIB` (which `.ci/run` sets when a
/// vendored copy sits beside the checkout), else `<nixpkgs/lib>` when `NIX_PATH` has one.
/// `None` when neither exists; callers then say plainly what they could not check.
pub fn nixpkgs_lib() -> Option<String> {
    if let Some(dir) = std::env::var_os("FLAKESMITH_NIXPKGS_LIB") {
        let dir = PathBuf::from(dir);
        assert!(
            dir.join("default.nix").is_file(),
            "FLAKESMITH_NIXPKGS_LIB={} holds no default.nix; point it at nixpkgs' lib/ directory",
            dir.display()
        );
        return Some(format!("import {}", dir.display()));
    }
    let probe = nix_instantiate(&["--eval", "-E", "(import <nixpkgs/lib>).trivial.id 1"]);
    probe
        .status
        .success()
        .then(|| "import <nixpkgs/lib>".to_owned())
}

/// The real lib, or a plain note on standard error (shown with `--nocapture` and in
/// failures) that the module-system half of `what` was not checked.
pub fn nixpkgs_lib_or_say(what: &str) -> Option<String> {
    let lib = nixpkgs_lib();
    match &lib {
        Some(lib) => eprintln!("{what}: checked against the real nixpkgs lib ({lib})"),
        None => eprintln!(
            "{what}: NOT checked against the real module system: no nixpkgs lib \
             (set FLAKESMITH_NIXPKGS_LIB to nixpkgs' lib/ directory)"
        ),
    }
    lib
}

/// Writes `flake`'s tree (checked or not: a rejected flake is written too, to see what
/// Nix makes of it) and evaluates its host `host` with the real module system: `lib`
/// (from [`nixpkgs_lib`]), the module files `modules` (Nix source, such as option
/// declarations or an upstream-style module) before the host's, and a `pkgs` with one
/// package, `hello`. `expr` is a Nix expression over `config` and `options`. Returns
/// what `nix-instantiate --eval --strict` prints, or its error output.
pub fn evaluate_host(
    lib: &str,
    flake: &Flake,
    host: &str,
    modules: &[&str],
    expr: &str,
    show_trace: bool,
) -> Result<String, String> {
    let checked = flakesmith::check::check(flake, Path::new("."));
    let tree = flakesmith::emit::emit(&checked.plan);
    let dir = tempfile_dir();
    flakesmith::writer::write(&dir, &tree, false).unwrap();
    let mut module_paths = Vec::new();
    for (i, text) in modules.iter().enumerate() {
        let path = dir.join(format!("extra-{i}.nix"));
        std::fs::write(&path, text).unwrap();
        module_paths.push(path.display().to_string());
    }
    let program = format!(
        r#"let
          lib = {lib};
          hello = {{ type = "derivation"; name = "hello"; outPath = "/nix/store/hello"; }};
          system = lib.evalModules {{
            modules = [ {extra} {host} ];
            specialArgs = {{ pkgs = {{ inherit hello; }}; }};
          }};
          inherit (system) config options;
        in {expr}"#,
        extra = module_paths.join(" "),
        host = dir.join(format!("hosts/{host}/default.nix")).display(),
    );
    let mut args = vec!["--eval", "--strict", "-E", &program];
    if show_trace {
        args.insert(0, "--show-trace");
    }
    let output = nix_instantiate(&args);
    let _ = std::fs::remove_dir_all(&dir);
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// A fresh directory under the system's temporary directory.
fn tempfile_dir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "flakesmith-eval-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Sets `t.str` from this file, for tests of definitions that come from several Rust
/// files (the location recorded is this function's, not its caller's).
pub fn set_str_elsewhere(host: flakesmith::Host, value: &str) -> flakesmith::Host {
    use flakesmith::Configure as _;
    host.set(
        flakesmith::Opt::<String>::at(flakesmith::OptionPath::Owned(vec![
            "t".into(),
            "str".into(),
        ])),
        value,
    )
}

/// Every Rust block of the README, compiled and run as a doctest by `cargo test`.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// `tests/fixtures/inputs/`: stand-in flakes for the inputs real fleets use (sops-nix,
/// agenix, disko, nixos-hardware, Home Manager), whose modules declare options as those
/// flakes do.
pub fn stand_in_inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/inputs")
}

/// Writes `tree` and evaluates its `flake.nix` outputs with the real module system:
/// `nixpkgs.lib.nixosSystem` is `lib.evalModules` over the host's modules (plus a
/// base declaring NixOS's namespaces loosely, and a `pkgs` that applies
/// `nixpkgs.overlays` and has a few packages, `callPackage` and `.override`), and every other input is its
/// stand-in under [`stand_in_inputs`] (`modulesPath` is `tests/fixtures/modules-path`,
/// for hardware files). `expr` is a Nix expression over `outputs` (and
/// `lib`). Returns the value, or Nix's error.
pub fn evaluate_flake(
    lib: &str,
    tree: &flakesmith::Tree,
    expr: &str,
) -> Result<serde_json::Value, String> {
    evaluate_tree(lib, tree, expr, Lists::MustAgree)
}

/// How the stand-in NixOS merges list values its loosely declared namespaces hold.
#[derive(Clone, Copy, Debug)]
pub enum Lists {
    /// As `types.anything` does: every definition must be equal.
    MustAgree,
    /// Concatenated, as NixOS's `listOf` options (`environment.systemPackages`,
    /// `networking.firewall.allowedTCPPorts`) do: for whole fleets, whose modules add to
    /// the same lists.
    Concatenate,
}

/// A fleet's flake on disk (one a user wrote, such as `flakesmith import` reads, or a
/// tree flakesmith wrote) evaluated as [`evaluate_flake`] does, with lists concatenated
/// as NixOS's list options concatenate them ([`Lists::Concatenate`]).
pub fn evaluate_fleet_dir(lib: &str, dir: &Path, expr: &str) -> Result<serde_json::Value, String> {
    evaluate(lib, dir, expr, Lists::Concatenate)
}

/// [`evaluate_fleet_dir`] for a tree in memory.
pub fn evaluate_fleet(
    lib: &str,
    tree: &flakesmith::Tree,
    expr: &str,
) -> Result<serde_json::Value, String> {
    evaluate_tree(lib, tree, expr, Lists::Concatenate)
}

/// Writes `tree` to a temporary directory and evaluates it there (kept when the
/// evaluation fails, to look at).
fn evaluate_tree(
    lib: &str,
    tree: &flakesmith::Tree,
    expr: &str,
    lists: Lists,
) -> Result<serde_json::Value, String> {
    let dir = tempfile_dir();
    flakesmith::writer::write(&dir, tree, false).unwrap();
    let value = evaluate(lib, &dir, expr, lists);
    if value.is_ok() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    value
}

fn evaluate(lib: &str, dir: &Path, expr: &str, lists: Lists) -> Result<serde_json::Value, String> {
    let value_type = match lists {
        Lists::MustAgree => "lib.types.anything",
        Lists::Concatenate => "loose",
    };
    let program = format!(
        r#"let
          lib = {lib};
          fixtures = {fixtures};
          standIn = name: (import (fixtures + "/${{name}}/flake.nix")).outputs {{ }};
          derivation = name: {{
            type = "derivation"; inherit name; outPath = "/nix/store/${{name}}";
            override = args: derivation name // {{ overridden = args; }};
          }};
          # The packages the tests' hosts and users name, as stand-in derivations.
          basePkgs = final: lib.genAttrs [
            "hello" "ripgrep" "fd" "jq" "powertop" "firefox" "git" "htop" "zsh" "noto-fonts"
            "docker-compose"
          ] derivation // {{
            kdePackages = lib.genAttrs [ "kate" ] derivation;
            lib = lib;
            stdenv.mkDerivation = a: derivation (a.pname or a.name);
            writeShellScriptBin = name: _: derivation name;
            callPackage = f: args:
              let fn = if builtins.isFunction f then f else import f;
              in fn (builtins.intersectAttrs (builtins.functionArgs fn) final // args);
          }};
          # Like `anything`, but lists concatenate and attribute sets merge key by key.
          loose = lib.mkOptionType {{
            name = "loose";
            check = _: true;
            merge = loc: defs:
              let values = map (d: d.value) defs;
              in if lib.all builtins.isList values then (lib.types.listOf loose).merge loc defs
              else if lib.all (v: builtins.isAttrs v && !(lib.isStringLike v)) values
              then (lib.types.attrsOf loose).merge loc defs
              else lib.types.anything.merge loc defs;
          }};
          valueType = {value_type};
          mkPkgs = overlays: lib.fix (final: lib.foldl (prev: o: prev // o final prev) (basePkgs final) overlays);
          nixpkgs = {{
            outPath = "/nix/store/nixpkgs";
            legacyPackages = lib.genAttrs [ "x86_64-linux" "aarch64-linux" ] (_: mkPkgs [ ]);
            lib = lib // {{
              # A `pkgs` given is the package set and a `lib` given evaluates the
              # modules, as nixpkgs' own `nixosSystem` does.
              nixosSystem = args: (args.lib or lib).evalModules {{
                modules = args.modules ++ [ ({{ config, ... }}: {{
                  freeformType = lib.types.attrsOf valueType;
                  # NixOS's namespaces are declared, as NixOS declares them: modules
                  # define them from `config` (`lib.mkIf cfg.enable {{ services = ...; }}`),
                  # which free-form attributes could not be without infinite recursion.
                  options = lib.genAttrs [
                    "boot" "console" "documentation" "environment" "fonts" "hardware" "i18n"
                    "networking" "nix" "nixpkgs" "powerManagement" "programs" "security"
                    "services" "system" "systemd" "time" "users" "virtualisation" "xdg"
                  ] (_: lib.mkOption {{ type = lib.types.attrsOf valueType; default = {{ }}; }}) // {{
                    fileSystems = lib.mkOption {{
                      type = with lib.types; attrsOf (attrsOf valueType);
                      default = {{ }};
                    }};
                  }};
                  config._module.args.pkgs =
                    if args ? pkgs then args.pkgs else mkPkgs (config.nixpkgs.overlays or [ ]);
                }}) ];
                specialArgs = {{ modulesPath = {modules_path}; }} // args.specialArgs or {{ }};
              }};
            }};
          }};
          inputs = {{ self = outputs; inherit nixpkgs; }}
            // lib.genAttrs [ "sops-nix" "agenix" "disko" "nixos-hardware" "home-manager" ] standIn;
          outputs = (import {flake}).outputs inputs;
        in {expr}"#,
        fixtures = stand_in_inputs().display(),
        modules_path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/modules-path")
            .display(),
        flake = dir.join("flake.nix").display(),
        value_type = value_type,
    );
    let output = nix_instantiate(&["--eval", "--strict", "--json", "-E", &program]);
    if output.status.success() {
        Ok(serde_json::from_slice(&output.stdout).expect("nix-instantiate --json prints JSON"))
    } else {
        // Kept for a look: the evaluation that failed.
        let kept_dir = tempfile_dir();
        std::fs::create_dir_all(&kept_dir).unwrap();
        let kept = kept_dir.join("evaluation.nix");
        std::fs::write(&kept, &program).unwrap();
        Err(format!(
            "{}(the evaluation is kept in {})",
            String::from_utf8_lossy(&output.stderr),
            kept.display()
        ))
    }
}
