//! The command line: `--help` gives the commands a line each, `<command> --help` that
//! command's own help; a command line it cannot read exits 2 and a failure 1, each with
//! its error and one line naming `--help`, never the whole usage.

mod common;

use common::run;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const HELP_LINE: &str = "For the commands and their options, run `flakesmith --help`.";

#[test]
fn help_lists_the_commands_and_each_has_its_own() {
    let overview = run(&["--help"]);
    assert_eq!(overview.status.code(), Some(0));
    let overview = text(&overview.stdout);
    for command in [
        "new DIR",
        "new host NAME",
        "import FLAKE_DIR",
        "options generate",
    ] {
        assert!(overview.contains(command), "{command}:\n{overview}");
    }
    assert!(
        overview.contains("Run `flakesmith <command> --help`"),
        "{overview}"
    );
    // Short: a line per command, not every option of every command.
    assert!(overview.lines().count() < 20, "{overview}");
    for (args, first, not) in [
        (
            &["import", "--help"][..],
            "Usage: flakesmith import FLAKE_DIR --out CONFIG_DIR",
            "options generate",
        ),
        (
            &["new", "host", "--help"][..],
            "Usage: flakesmith new host NAME",
            "import",
        ),
        (
            &["new", "--help"][..],
            "Usage: flakesmith new DIR",
            "options json",
        ),
        (
            &["options", "generate", "-h"][..],
            "Usage: flakesmith options generate",
            "new DIR",
        ),
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let help = text(&output.stdout);
        assert!(help.starts_with(first), "{args:?}:\n{help}");
        assert!(!help.contains(not), "{args:?}:\n{help}");
    }
}

#[test]
fn usage_errors_exit_2_and_failures_1_with_one_help_line() {
    for (args, code, message) in [
        (&["frob", "--help"][..], 2, "error: there is no command `frob`"),
        (&["frob"][..], 2, "error: expected `new DIR`"),
        (&["--bogus"][..], 2, "error: invalid option '--bogus'"),
        (
            &["import"][..],
            2,
            "error: `import` is not a whole command; it is used as `flakesmith import FLAKE_DIR --out CONFIG_DIR",
        ),
        (&["import", "somewhere"][..], 2, "error: `import` needs `--out CONFIG_DIR`"),
        (
            &["explain", "no-such-code"][..],
            2,
            "error: there is no diagnostic code `no-such-code`",
        ),
        (
            &["options", "report", "/nonexistent/options.json"][..],
            1,
            "error: cannot read /nonexistent/options.json",
        ),
    ] {
        let output = run(args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.starts_with(message), "{args:?}:\n{stderr}");
        assert!(stderr.trim_end().ends_with(HELP_LINE), "{args:?}:\n{stderr}");
        assert!(!stderr.contains("Usage:"), "{args:?}:\n{stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

/// `flakesmith explain CODE` prints what the code a diagnostic shows means, and what to do.
#[test]
fn explain_prints_what_a_code_means() {
    let output = run(&["explain", "conflicting-definitions"]);
    assert_eq!(output.status.code(), Some(0));
    let text = text(&output.stdout);
    assert!(
        text.starts_with("error[conflicting-definitions]: Two definitions of one option"),
        "{text}"
    );
    assert!(text.contains("`lib.mkForce`"), "{text}");
    assert!(text.contains("flakesmith::guide::diagnostics"), "{text}");
    let lint = text_of(&["explain", "firewall-disabled"]);
    assert!(lint.contains(".allow(Lint::FirewallDisabled)"), "{lint}");
}

fn text_of(args: &[&str]) -> String {
    text(&run(args).stdout)
}
