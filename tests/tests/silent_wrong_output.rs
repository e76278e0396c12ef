//! Mistakes that once built and produced wrong Nix without a word. Each test is named
//! after the behaviour it pins; the numbers are those of the issue that listed them.
//! Elsewhere: (1) and (8) are compile errors (`tests/ui/fail/secret_for_password.rs`,
//! `derive_duplicate_names.rs`), (7) is `derive_module.rs`'s
//! `enable_writes_every_field_even_when_it_equals_the_default`, (9) and (13) are proven
//! against the real module system in `merging.rs`, (12) is in `writer.rs` and the
//! example's `cli.rs`.

use std::path::Path;

use flakesmith::prelude::*;
use flakesmith::{compile, Opt, OptionPath, Untyped};
use flakesmith_home::programs;
use flakesmith_nixos::{environment, networking, system, users};
use flakesmith_tests::{eval_json, nix_instantiate, stub_lib};

const THIS_FILE: &str = "tests/tests/silent_wrong_output.rs:";

fn host(name: &str) -> Host {
    Host::new(name, System::X86_64Linux, "24.05").hardware(Hardware::nix_text("{}"))
}

fn flake(hosts: Vec<Host>) -> Flake {
    hosts
        .into_iter()
        .fold(Flake::new("silent", "24.05"), Flake::host)
}

/// The rendered errors of a configuration that must be rejected.
#[track_caller]
fn rejected(flake: &Flake) -> String {
    match compile(flake, Path::new(".")) {
        Ok(_) => panic!("accepted"),
        Err(rejected) => {
            let text = flakesmith::diagnostic::render_all(&rejected.diagnostics);
            assert!(text.contains(THIS_FILE), "no Rust location:\n{text}");
            text
        }
    }
}

#[track_caller]
fn accepted(flake: &Flake) -> flakesmith::Tree {
    match compile(flake, Path::new(".")) {
        Ok(compiled) => compiled.tree,
        Err(rejected) => panic!(
            "rejected:\n{}",
            flakesmith::diagnostic::render_all(&rejected.diagnostics)
        ),
    }
}

/// Evaluates a generated module file with the stand-in lib, as NixOS would call it
/// (without its `imports`, which name files of the tree).
fn evaluate_module(text: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("module.nix");
    std::fs::write(&path, text).unwrap();
    eval_json(&format!(
        "builtins.removeAttrs (import {} {{ lib = import {}; config = {{}}; pkgs = {{}}; }}) [\"imports\"]",
        path.display(),
        stub_lib().display()
    ))
}

#[test]
fn modules_built_with_different_arguments_under_one_name_are_an_error() {
    // (2) `admin("carol")` on one host and `admin("dave")` on another used to become one
    // file with carol's content.
    fn admin(name: &str) -> Module {
        Module::new(Category::System, "admin").set(users::users::user(name).is_normal_user(), true)
    }
    let text = rejected(&flake(vec![
        host("a").import(admin("carol")),
        host("b").import(admin("dave")),
    ]));
    assert!(
        text.contains("two different modules are both named `admin`"),
        "{text}"
    );
    // The same content built twice is one module.
    accepted(&flake(vec![
        host("a").import(admin("carol")),
        host("b").import(admin("carol")),
    ]));
}

#[test]
fn a_user_that_differs_per_host_is_an_error() {
    // (2) The same for Home Manager users.
    let account = |name: &str| {
        Module::new(Category::System, "accounts")
            .set(users::users::user(name).is_normal_user(), true)
    };
    let alice = || User::new("alice", "24.05");
    let text = rejected(&flake(vec![
        host("a").import(account("alice")).user(alice()),
        host("b")
            .import(account("alice"))
            .user(alice().set(programs::git::enable, true)),
    ]));
    assert!(
        text.contains("two different Home Manager users are both named `alice`"),
        "{text}"
    );
}

#[test]
fn an_imports_definition_is_an_error_and_hand_kept_modules_are_imported() {
    // (3) A definition of `imports` replaced the hardware file and every module.
    let imports = Opt::<Untyped>::at(OptionPath::Owned(vec!["imports".into()]));
    let text = rejected(&flake(
        vec![host("a").set(imports, Raw::nix("[ ./x.nix ]"))],
    ));
    assert!(
        text.contains("defines `imports` as if it were an option"),
        "{text}"
    );
    // The typed way: a hand-kept module, parsed and imported like any other.
    let tree = accepted(&flake(vec![host("a").import(Module::nix_text(
        Category::Services,
        "legacy",
        "{ services.legacy.enable = true; }\n",
    ))]));
    let host_file = tree.get("hosts/a/default.nix").unwrap();
    assert!(
        host_file.contains("./hardware-configuration.nix"),
        "{host_file}"
    );
    assert!(
        host_file.contains("../../modules/services/legacy.nix"),
        "{host_file}"
    );
    let legacy = tree.get("modules/services/legacy.nix").unwrap();
    assert!(
        legacy.ends_with("{ services.legacy.enable = true; }\n"),
        "{legacy}"
    );
    // A hand-kept module that does not parse is an error pointing into it.
    let text = rejected(&flake(vec![host("a").import(Module::nix_text(
        Category::Services,
        "broken",
        "{ services.legacy.enable = ; }",
    ))]));
    assert!(
        text.contains("hand-kept module `broken` is not valid Nix"),
        "{text}"
    );
}

#[test]
fn text_in_header_comments_never_becomes_code() {
    // (4) A carriage return in a description, a newline in the regenerate command.
    let flake = Flake::new("silent", "24.05")
        .regenerate_with("make\nbuiltins.trace \"from the command\" null")
        .host(
            host("a").import(
                Module::new(Category::System, "m")
                    .describe("first\rbuiltins.trace \"from the description\" null"),
            ),
        );
    let tree = accepted(&flake);
    for file in &tree.files {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file.nix");
        std::fs::write(&path, &file.contents).unwrap();
        let parsed = nix_instantiate(&["--parse", path.to_str().unwrap()]);
        let parsed = String::from_utf8_lossy(&parsed.stdout);
        assert!(
            !parsed.contains("trace"),
            "{}: comment text became code:\n{parsed}",
            file.path
        );
    }
}

#[test]
fn raw_snippets_go_out_byte_for_byte_and_keep_their_precedence() {
    // (5) Re-indentation changed multi-line strings; precedence and trailing comments
    // changed what the snippet meant.
    let text = Opt::<String>::at(OptionPath::Owned(vec!["t".into(), "text".into()]));
    let int = Opt::<i64>::at(OptionPath::Owned(vec!["t".into(), "int".into()]));
    let list = Opt::<Vec<i64>>::at(OptionPath::Owned(vec!["t".into(), "list".into()]));
    let comment = Opt::<i64>::at(OptionPath::Owned(vec!["t".into(), "comment".into()]));
    let tree = accepted(&flake(vec![host("a").import(
        Module::new(Category::System, "raw")
            .set(text, Raw::nix("\"line1\nline2\" + ''\n  a\n\n    b\n''"))
            .default(int, Raw::nix("10-1"))
            .set(list, vec![Raw::nix("-1"), Raw::nix("2 * 3")])
            .set(comment, Raw::nix("7 # the answer, nearly")),
    )]));
    let value = evaluate_module(tree.get("modules/system/raw.nix").unwrap());
    assert_eq!(value["t"]["text"], "line1\nline2a\n\n  b\n");
    assert_eq!(value["t"]["int"]["content"], 9);
    assert_eq!(value["t"]["int"]["priority"], 1000);
    assert_eq!(value["t"]["list"], serde_json::json!([-1, 6]));
    assert_eq!(value["t"]["comment"], 7);
}

#[test]
fn a_host_is_named_by_default_after_itself() {
    // (6) Without an explicit setting the host evaluated to `nixos`.
    let tree = accepted(&flake(vec![host("desk")]));
    let value = evaluate_module(tree.get("hosts/desk/default.nix").unwrap());
    assert_eq!(value["networking"]["hostName"]["content"], "desk");
    assert_eq!(value["networking"]["hostName"]["priority"], 1000);
    // An explicit name wins and is written once.
    let tree = accepted(&flake(vec![
        host("desk").set(networking::host_name, "desk-1")
    ]));
    let file = tree.get("hosts/desk/default.nix").unwrap();
    assert!(file.contains("networking.hostName = \"desk-1\";"), "{file}");
    assert!(!file.contains("lib.mkDefault \"desk\""), "{file}");
}

#[test]
fn checks_nix_would_only_make_at_evaluation_are_made_at_build() {
    // (10)
    let cases: Vec<(&str, Flake, &str)> = vec![
        (
            "a conflict inside a Home Manager user",
            flake(vec![host("a")
                .import(
                    Module::new(Category::System, "accounts")
                        .set(users::users::user("alice").is_normal_user(), true),
                )
                .user(
                    User::new("alice", "24.05")
                        .set(programs::git::user_name, "Alice")
                        .set(programs::git::user_name, "Alicia"),
                )]),
            "conflicting definitions of `programs.git.userName` on Home Manager user `alice`",
        ),
        (
            "a second system.stateVersion",
            flake(vec![host("a").set(system::state_version, "23.11")]),
            "conflicting definitions of `system.stateVersion` on host `a`",
        ),
        (
            "a hostName NixOS's pattern rejects",
            flake(vec![host("a").set(networking::host_name, "web.example.org")]),
            "`networking.hostName` on host `a` is `web.example.org`, which NixOS rejects",
        ),
        (
            "a host name starting with `_`",
            flake(vec![host("_a")]),
            "host name `_a` is not valid",
        ),
        (
            "a host name ending with `_`",
            flake(vec![host("a_")]),
            "host name `a_` is not valid",
        ),
        (
            "a flake release that is not one",
            Flake::new("silent", "banana").host(host("a")),
            "the flake's release `banana` is not a NixOS release",
        ),
        (
            "a package name that is not an attribute path",
            flake(vec![host("a").set(
                environment::system_packages,
                [Package::new("fire fox")],
            )]),
            "`fire fox` is not a package's attribute path",
        ),
    ];
    for (what, flake, expected) in cases {
        let text = rejected(&flake);
        assert!(text.contains(expected), "{what}:\n{text}");
    }
}

/// A module whose namespace is NixOS's own.
#[derive(flakesmith::NixModule)]
#[nix(category = "services", namespace = "services.openssh")]
pub struct Shadowing {
    /// Ports.
    pub ports: Vec<u16>,
}

impl ModuleConfig for Shadowing {
    fn config(_: ShadowingCfg, module: Module) -> Module {
        module
    }
}

#[test]
fn a_derived_module_may_not_declare_nixos_options() {
    // (10) Its options would be declared a second time.
    let text = rejected(&flake(
        vec![host("a").enable(Shadowing { ports: vec![22] })],
    ));
    assert!(
        text.contains("declares its options under `services.openssh`, where NixOS declares `services.openssh."),
        "{text}"
    );
}

#[test]
fn plaintext_secrets_are_found_however_they_are_spelt() {
    // (11)
    let api_key = Opt::<String>::at(OptionPath::Owned(vec![
        "services".into(),
        "x".into(),
        "api_key".into(),
    ]));
    let cases: Vec<(&str, Flake, &str)> = vec![
        (
            "api_key",
            flake(vec![host("a").set(api_key, "s3cr3t")]),
            "`services.x.api_key` on host `a` is a plaintext secret",
        ),
        (
            "a GITHUB_TOKEN environment variable",
            flake(vec![
                host("a").set(environment::variables, [("GITHUB_TOKEN", "ghp_x")])
            ]),
            "`environment.variables.GITHUB_TOKEN` on host `a` is a plaintext secret",
        ),
        (
            "a password spelt out as text",
            flake(vec![host("a").set(
                Opt::<String>::at(OptionPath::Owned(vec![
                    "services".into(),
                    "x".into(),
                    "passwordText".into(),
                ])),
                "hunter2",
            )]),
            "`services.x.passwordText` on host `a` is a plaintext secret",
        ),
        (
            "a password as a raw string literal",
            flake(vec![host("a").set(
                users::users::user("alice").password(),
                Raw::nix("\"hunter2\""),
            )]),
            "`users.users.alice.password` on host `a` is a plaintext secret",
        ),
    ];
    for (what, flake, expected) in cases {
        let text = rejected(&flake);
        assert!(text.contains(expected), "{what}:\n{text}");
    }
    // A password hash and a file reference are not secrets in the store.
    accepted(&flake(vec![host("a")
        .set(users::users::user("alice").hashed_password(), "$y$j9T$abc")
        .set(
            users::users::user("alice").hashed_password_file(),
            RuntimePath::new("/run/secrets/alice-password"),
        )]));
}

/// A module with one option that has a default.
#[derive(flakesmith::NixModule)]
#[nix(category = "services", namespace = "fleet.web")]
pub struct Web {
    /// The port.
    #[nix(default = 80)]
    pub port: u16,
}

impl ModuleConfig for Web {
    fn config(_: WebCfg, module: Module) -> Module {
        module
    }
}

#[test]
fn an_enabled_field_equal_to_its_default_still_counts() {
    // (7) `port: 80` equals the default, so it was not written, and another module's
    // `8080` won without a word.
    let other = Module::new(Category::Services, "ports").set(Web::options().port, 8080);
    let text = rejected(&flake(vec![host("a")
        .enable(Web { port: 80 })
        .import(other)]));
    assert!(
        text.contains("conflicting definitions of `fleet.web.port` on host `a`"),
        "{text}"
    );
}

#[test]
fn one_mistake_gives_one_error_with_help_that_fits() {
    // The same host added twice points once, at the host, and says so.
    let desk = host("desk");
    let text = rejected(&flake(vec![desk.clone(), desk]));
    assert!(
        text.contains("host `desk` is added to the flake twice"),
        "{text}"
    );
    assert_eq!(
        text.matches("tests/tests/silent_wrong_output.rs:").count(),
        1,
        "{text}"
    );
    // Added by two `.host(...)` calls, deployed: the second call is named, and there is
    // no warning that the host and itself share a deployment target.
    let deployed = host("desk").deploy(Deployment::to("desk.lan"));
    let text = rejected(
        &Flake::new("fleet", "24.05")
            .deploy_with(Engine::Colmena)
            .host(deployed.clone())
            .host(deployed),
    );
    assert!(text.contains("added again here"), "{text}");
    assert!(text.contains("added first here"), "{text}");
    assert!(!text.contains("shared-deploy-target"), "{text}");
    // An invalid user name is one error, not one per path derived from it.
    let text = rejected(&flake(vec![host("a")
        .import(
            Module::new(Category::System, "accounts")
                .set(users::users::user("Alice").is_normal_user(), true),
        )
        .user(User::new("Alice", "24.05"))]));
    assert_eq!(
        text.matches("error").count(),
        2,
        "one error and the summary:\n{text}"
    );
    // Two defaults in conflict are not told to make one of them a default.
    let text = rejected(&flake(vec![host("a")
        .import(Module::new(Category::System, "x").default(networking::host_name, "x"))
        .import(
            Module::new(Category::System, "y").default(networking::host_name, "y"),
        )]));
    assert!(
        text.contains("make the one that should win a `set`"),
        "{text}"
    );
    assert!(!text.contains("or the other a `default`"), "{text}");
}
