//! Every way of defining an option lands in the file as the module system spells it, and
//! evaluates (against the stand-in `lib`) to the priority and order it stands for.

use std::path::Path;

use flakesmith::prelude::*;
use flakesmith_nixos::{environment, networking, services::openssh, time};
use flakesmith_tests::{eval_json, stub_lib};
use serde_json::{json, Value};

fn host_file() -> String {
    let host = Host::new("desk", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .default(networking::firewall::enable, true)
        .set(networking::host_name, "desk")
        .force(openssh::enable, false)
        .with_priority(900, openssh::ports, [2222])
        .prepend(environment::system_packages, [Package::new("git")])
        .append(environment::system_packages, [Package::new("htop")])
        .set(environment::system_packages, [Package::new("vim")])
        .set_null(time::time_zone);
    let flake = Flake::new("t", "24.05").host(host);
    let compiled = flakesmith::compile(&flake, Path::new("."))
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    compiled
        .tree
        .get("hosts/desk/default.nix")
        .unwrap()
        .to_owned()
}

#[test]
fn definitions_are_written_with_their_priority_and_order() {
    let text = host_file();
    for expected in [
        "firewall.enable = lib.mkDefault true;",
        "hostName = \"desk\";",
        "enable = lib.mkForce false;",
        "ports = lib.mkOverride 900 [",
        "environment.systemPackages = lib.mkMerge [",
        "(lib.mkBefore [",
        "(lib.mkAfter [",
        "time.timeZone = null;",
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` missing from:\n{text}"
        );
    }
}

#[test]
fn definitions_evaluate_to_their_priority_and_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("default.nix");
    std::fs::write(&path, host_file()).unwrap();
    let stub = stub_lib();
    // `imports` names files this test does not write; the module system resolves those,
    // not the file itself, so they are dropped here.
    let expr = format!(
        "removeAttrs (import {} {{ lib = import {}; config = {{}}; pkgs = {{ git = \"git\"; htop = \"htop\"; vim = \"vim\"; }}; }}) [\"imports\"]",
        path.display(),
        stub.display()
    );
    let value = eval_json(&expr);
    assert_eq!(
        value["networking"]["firewall"]["enable"],
        json!({"_type": "override", "priority": 1000, "content": true})
    );
    assert_eq!(
        value["services"]["openssh"]["enable"],
        json!({"_type": "override", "priority": 50, "content": false})
    );
    assert_eq!(
        value["services"]["openssh"]["ports"],
        json!({"_type": "override", "priority": 900, "content": [2222]})
    );
    assert_eq!(
        value["environment"]["systemPackages"],
        json!({"_type": "merge", "contents": [
            {"_type": "order", "priority": 500, "content": ["git"]},
            {"_type": "order", "priority": 1500, "content": ["htop"]},
            ["vim"],
        ]})
    );
    assert_eq!(value["time"]["timeZone"], Value::Null);
}

#[test]
fn raw_nix_is_copied_and_checked() {
    use flakesmith_nixos::boot;
    let host = Host::new("desk", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .set(boot::kernel_packages, Raw::nix("pkgs.linuxPackages_latest"))
        .set(boot::kernel_modules, [Raw::nix("\"kvm\" + \"-intel\"")]);
    let flake = Flake::new("t", "24.05").host(host);
    let compiled = flakesmith::compile(&flake, Path::new("."))
        .unwrap_or_else(|r| panic!("{:?}", r.diagnostics));
    let text = compiled.tree.get("hosts/desk/default.nix").unwrap();
    // Copied as written, with the Rust location as error context for Nix's traces.
    assert!(
        text.contains("kernelPackages = builtins.addErrorContext \"while evaluating the raw Nix for `boot.kernelPackages` written at tests/tests/priorities.rs:"),
        "{text}"
    );
    assert!(text.contains("\" pkgs.linuxPackages_latest;"), "{text}");
    assert!(text.contains("\" (\"kvm\" + \"-intel\"))"), "{text}");

    let broken = Host::new("desk", System::X86_64Linux, "24.05")
        .hardware(Hardware::nix_text("{}"))
        .set(
            boot::kernel_packages,
            Raw::nix("pkgs.linuxPackages_latest +"),
        );
    let rejected =
        flakesmith::compile(&Flake::new("t", "24.05").host(broken), Path::new(".")).unwrap_err();
    let text = flakesmith::diagnostic::render_all(&rejected.diagnostics);
    assert!(
        text.contains("the raw Nix for `boot.kernelPackages` in host `desk` does not parse"),
        "{text}"
    );
    assert!(text.contains("<raw Nix>:1:"), "{text}");
    assert!(text.contains("tests/tests/priorities.rs:"), "{text}");
}
