//! Every generated file is a fixed point of alejandra, the formatter whose style the
//! printer follows.
//!
//! This test binary must never call nixel: alejandra installs mimalloc as the global
//! allocator, and nixel frees memory its C++ side allocated with the system allocator,
//! which crashes under any other. So the tree is emitted here without the validator.

use flakesmith::check::check_with;
use flakesmith::emit::emit;
use flakesmith::validate::validate_rnix;
use flakesmith_tests::example_dir;

fn example_tree_unvalidated() -> flakesmith::Tree {
    tree_unvalidated(flakesmith_tests::example::flake())
}

fn tree_unvalidated(flake: flakesmith::Flake) -> flakesmith::Tree {
    let checked = check_with(&flake, &example_dir(), validate_rnix);
    assert!(
        checked.diagnostics.iter().all(|d| !d.is_error()),
        "the example has errors"
    );
    emit(&checked.plan)
}

#[test]
fn generated_files_are_fixed_points_of_alejandra() {
    let tree = example_tree_unvalidated();
    // The example names alejandra as the flake's formatter, so `nix fmt` changes nothing
    // flakesmith laid out.
    assert!(tree
        .get("flake.nix")
        .unwrap()
        .contains("formatter.x86_64-linux = nixpkgs.legacyPackages.x86_64-linux.alejandra;"));
    assert_fixed_points(&tree);
}

#[test]
fn files_that_locate_each_definition_are_fixed_points_too() {
    // The example on a release with `lib.mkDefinition`: every definition is `at L C v`.
    let flake = flakesmith_tests::example::flake()
        .source_locations(flakesmith::SourceLocations::Definitions);
    let tree = tree_unvalidated(flake);
    assert!(tree
        .get("hosts/nixos-desk/default.nix")
        .unwrap()
        .contains("time.timeZone = at "));
    assert_fixed_points(&tree);
    // Definitions from two Rust files name each file in full.
    let host = flakesmith_tests::set_str_elsewhere(
        flakesmith::Host::new("h", flakesmith::System::X86_64Linux, "25.05")
            .hardware(flakesmith::Hardware::nix_text("{}")),
        "x",
    );
    let host = flakesmith::Configure::set(host, flakesmith_nixos::time::time_zone, "UTC");
    let tree = tree_unvalidated(flakesmith::Flake::new("two files", "25.05").host(host));
    assert!(tree
        .get("hosts/h/default.nix")
        .unwrap()
        .contains("time.timeZone = at \"tests/tests/formatter.rs:"));
    assert_fixed_points(&tree);
}

fn assert_fixed_points(tree: &flakesmith::Tree) {
    let mut checked = 0;
    for file in &tree.files {
        // A host's hardware configuration is the user's own file, copied verbatim.
        if file.path.ends_with("hardware-configuration.nix")
            && !file.path.starts_with("hosts/template/")
        {
            continue;
        }
        let (_, formatted) = alejandra::format::in_memory(file.path.clone(), file.contents.clone());
        assert_eq!(
            formatted, file.contents,
            "alejandra reformats {}",
            file.path
        );
        checked += 1;
    }
    // Every file but the hosts' own hardware files.
    assert_eq!(checked, tree.files.len() - tree.hosts.len());
}

#[test]
fn tricky_values_are_fixed_points_of_alejandra() {
    use flakesmith::nix::{print_file, Attrs, Expr};
    use flakesmith_tests::{tricky_names, tricky_strings, TRICKY_FLOATS, TRICKY_INTS};
    let strings: Vec<Expr> = tricky_strings()
        .iter()
        .map(|s| Expr::string(s.as_str()).unwrap())
        .collect();
    let names: Attrs = tricky_names()
        .into_iter()
        .map(|n| (n, Expr::Int(1)))
        .collect();
    let nested = Attrs::new().with(
        "deep",
        Attrs::new()
            .with("strings", Expr::List(strings.clone()))
            .into(),
    );
    let body = Attrs::new()
        .with("strings", Expr::List(strings))
        .with("names", names.into())
        .with(
            "ints",
            Expr::List(TRICKY_INTS.iter().map(|i| Expr::Int(*i)).collect()),
        )
        .with(
            "floats",
            Expr::List(
                TRICKY_FLOATS
                    .iter()
                    .map(|f| Expr::float(*f).unwrap())
                    .collect(),
            ),
        )
        .with("negative", Expr::Int(i64::MIN))
        .with("nested", nested.into());
    let text = print_file(&["header".into()], &body.into());
    let (_, formatted) = alejandra::format::in_memory("values.nix".into(), text.clone());
    assert_eq!(formatted, text);
}
