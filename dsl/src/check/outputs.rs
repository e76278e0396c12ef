//! Outputs kept by hand ([`Flake::extra_outputs`]): a function of the flake's inputs
//! whose attributes join the generated outputs, so none of them may be one flakesmith
//! writes itself.

use std::path::{Path, PathBuf};

use rnix::ast;
use rowan::ast::AstNode;

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::{Engine, Flake, NixSource};
use crate::plan::{CarriedFile, EXTRA_OUTPUTS_FILE};

/// Reads, parses and checks the outputs kept by hand; their text (relative paths
/// pointing at the carried copies) when they pass.
pub(crate) fn extra(
    flake: &Flake,
    source: &NixSource,
    base_dir: &Path,
    parse: super::Parser,
    inputs: &mut Vec<PathBuf>,
    carried: &mut Vec<CarriedFile>,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let entity = "the flake's extra outputs";
    let note = "extra outputs named here";
    let text = super::sources::load(source, entity, note, base_dir, parse, inputs, out)?;
    let root = rnix::Root::parse(&text).tree().expr();
    let Some(ast::Expr::Lambda(lambda)) = root.map(unparen) else {
        out.push(
            Diagnostic::new(
                Kind::InvalidExtraOutputs,
                "the flake's extra outputs are not a function of the flake's inputs",
            )
            .at(source.location(), note)
            .help("write the file as `inputs: { <output> = ...; }` (or `{ self, nixpkgs, ... }@inputs: ...`)"),
        );
        return None;
    };
    let written = written_outputs(flake);
    let mut clashes = 0;
    for name in top_level_names(lambda.body()) {
        if written.contains(&name.as_str()) {
            clashes += 1;
            out.push(
                Diagnostic::new(
                    Kind::InvalidExtraOutputs,
                    format!("the flake's extra outputs define `{name}`, which flakesmith writes itself"),
                )
                .at(source.location(), note)
                .help(format!("leave `{name}` to flakesmith (hosts, packages, overlays, the formatter and the deployment engines are stated in Rust), or give the output another name")),
            );
        }
    }
    (clashes == 0).then(|| {
        super::sources::carry(
            source,
            text,
            entity,
            EXTRA_OUTPUTS_FILE,
            base_dir,
            inputs,
            carried,
            out,
        )
    })
}

/// The outputs the generated `flake.nix` writes for `flake`.
fn written_outputs(flake: &Flake) -> Vec<&'static str> {
    let mut names = vec!["nixosConfigurations"];
    let deployed = flake.hosts.iter().any(|h| h.deployment.is_some());
    if deployed && flake.engines.iter().any(|(e, _)| *e == Engine::Colmena) {
        names.push("colmenaHive");
    }
    if deployed && flake.engines.iter().any(|(e, _)| *e == Engine::DeployRs) {
        names.extend(["deploy", "checks"]);
    }
    if !flake.packages.is_empty() {
        names.push("packages");
    }
    if !flake.overlay_names().is_empty() {
        names.push("overlays");
    }
    if flake.formatter.is_some() {
        names.push("formatter");
    }
    names
}

/// The names an attribute set (under any `let`) defines at its top level, where the
/// syntax says so; none for anything else (`a // b`, a call), which the checker cannot
/// see into.
fn top_level_names(body: Option<ast::Expr>) -> Vec<String> {
    let mut expr = body;
    while let Some(ast::Expr::LetIn(let_in)) = expr.clone().map(unparen) {
        expr = let_in.body();
    }
    let Some(ast::Expr::AttrSet(set)) = expr.map(unparen) else {
        return Vec::new();
    };
    use rnix::ast::HasEntry;
    set.entries()
        .flat_map(|entry| match entry {
            ast::Entry::AttrpathValue(value) => value
                .attrpath()
                .and_then(|path| path.attrs().next())
                .map(|first| first.syntax().text().to_string())
                .into_iter()
                .collect::<Vec<_>>(),
            ast::Entry::Inherit(inherit) => inherit
                .attrs()
                .map(|a| a.syntax().text().to_string())
                .collect(),
        })
        .collect()
}

/// `expr` without the parentheses around it.
pub(super) fn unparen(expr: ast::Expr) -> ast::Expr {
    match expr {
        ast::Expr::Paren(paren) => paren.expr().map_or(ast::Expr::Paren(paren), unparen),
        other => other,
    }
}
