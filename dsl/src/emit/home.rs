//! Home Manager files: `home/<user>.nix`, and what a host adds to a user,
//! `hosts/<host>/home-<user>.nix`.

use super::definitions::{located_module, DefinitionTree, Located};
use super::{header, module_function_file, module_imports};
use crate::model::{Flake, Location, Module};
use crate::nix::{Attrs, Expr};
use crate::plan::{Plan, PlannedHome, PlannedHost, PlannedUser};
pub(super) fn user_file(plan: &Plan, planned: &PlannedUser) -> String {
    let flake = plan.flake;
    let user = planned.user;
    let style = flake.effective_source_locations();
    let located = Located::of(
        style,
        planned.generated.iter().chain(user.definitions.iter()),
    );
    let mut tree = DefinitionTree::default();
    tree.add(&planned.generated, located);
    tree.add(&user.definitions, located);
    let imports: Vec<&Module> = planned
        .imports
        .iter()
        .map(|&i| plan.modules[i].module)
        .collect();
    let what = format!("Home Manager user `{}`", user.name);
    home_module_function_file(flake, &what, user.location, "home", &imports, tree, located)
}

/// What a host adds to one of its users: `hosts/<host>/home-<user>.nix`.
pub(super) fn home_additions_file(plan: &Plan, host: &PlannedHost, home: &PlannedHome) -> String {
    let flake = plan.flake;
    let additions = home.additions;
    let style = flake.effective_source_locations();
    let located = Located::of(style, additions.definitions.iter());
    let mut tree = DefinitionTree::default();
    tree.add(&additions.definitions, located);
    let imports: Vec<&Module> = home
        .imports
        .iter()
        .map(|&i| plan.modules[i].module)
        .collect();
    let what = format!(
        "what host `{}` adds to Home Manager user `{}`",
        host.host.name, plan.users[home.user].user.name
    );
    let dir = host.host.dir_path();
    home_module_function_file(
        flake,
        &what,
        additions.location,
        &dir,
        &imports,
        tree,
        located,
    )
}

/// A Home Manager module file in the tree's directory `dir`: its imports, then its
/// definitions.
pub(super) fn home_module_function_file(
    flake: &Flake,
    what: &str,
    location: Location,
    dir: &str,
    imports: &[&Module],
    tree: DefinitionTree,
    located: Located,
) -> String {
    let style = flake.effective_source_locations();
    let mut leading = Attrs::new();
    if !imports.is_empty() {
        leading.insert(
            "imports".to_owned(),
            Expr::List(module_imports(imports.iter().copied(), dir)),
        );
    }
    let body = located_module(
        style,
        located,
        location,
        tree.into_attrs(leading),
        Vec::new(),
    );
    let extra: &[&'static str] = if imports.iter().any(|m| m.external.is_some()) {
        &["inputs"]
    } else {
        &[]
    };
    module_function_file(&header(flake, what, location), extra, body)
}
