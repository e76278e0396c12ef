//! Which names a piece of Nix takes from outside itself: the variables a raw snippet
//! names that no `let`, function argument or `rec` set around it binds. A module file
//! must take each as an argument (`{ config, lib, pkgs, username, ... }:`), since the
//! module system passes special arguments and `_module.args` by name only to the
//! functions that ask for them; a name it does not take is unbound.

use std::collections::BTreeSet;

use rnix::ast::{self, HasEntry};
use rnix::{SyntaxKind, SyntaxNode};
use rowan::ast::AstNode;

/// Names Nix binds everywhere (its global scope), which no module argument provides.
const GLOBALS: &[&str] = &[
    "abort",
    "baseNameOf",
    "builtins",
    "derivation",
    "dirOf",
    "false",
    "fetchGit",
    "fetchMercurial",
    "fetchTarball",
    "fetchTree",
    "fetchurl",
    "fromTOML",
    "import",
    "isNull",
    "map",
    "null",
    "placeholder",
    "removeAttrs",
    "scopedImport",
    "throw",
    "toString",
    "true",
];

/// The variables `text` names without binding them, leaving out Nix's global names and
/// names inside `with` (which may come from the `with`: not knowable without
/// evaluating). Empty for text that does not parse.
pub fn free_variables(text: &str) -> BTreeSet<String> {
    names_found(text, Unbound::Free)
}

/// The variables `text` names inside the body of a `with` that nothing else around them
/// binds: each comes from the `with`'s set unless the scope the text is put in binds it
/// (a module argument does: lexical names win over `with`).
pub fn names_under_with(text: &str) -> BTreeSet<String> {
    names_found(text, Unbound::UnderWith)
}

/// The variables `text` names that [`lookup`] finds `wanted`.
fn names_found(text: &str, wanted: Unbound) -> BTreeSet<String> {
    let parse = rnix::Root::parse(text);
    if !parse.errors().is_empty() {
        return BTreeSet::new();
    }
    let mut free = BTreeSet::new();
    for node in parse.syntax().descendants() {
        let Some(ident) = ast::Ident::cast(node.clone()) else {
            continue;
        };
        let Some(token) = ident.ident_token() else {
            continue;
        };
        let name = token.text();
        if GLOBALS.contains(&name) || name.starts_with("__") || !is_reference(&node) {
            continue;
        }
        if lookup(&node, name) == wanted {
            free.insert(name.to_owned());
        }
    }
    free
}

/// Whether the identifier is a variable read, not an attribute name or a binder.
fn is_reference(ident: &SyntaxNode) -> bool {
    match ident.parent().map(|p| p.kind()) {
        Some(
            SyntaxKind::NODE_ATTRPATH
            | SyntaxKind::NODE_PAT_ENTRY
            | SyntaxKind::NODE_PAT_BIND
            | SyntaxKind::NODE_IDENT_PARAM,
        ) => false,
        // `inherit x;` reads `x`; `inherit (e) x;` reads an attribute of `e`.
        Some(SyntaxKind::NODE_INHERIT) => ident
            .parent()
            .and_then(ast::Inherit::cast)
            .is_some_and(|inherit| inherit.from().is_none()),
        _ => true,
    }
}

#[derive(PartialEq, Eq)]
enum Unbound {
    Bound,
    Free,
    /// Unbound but inside a `with`, which may give it.
    UnderWith,
}

/// Looks `name` up in the scopes around `ident`, innermost first.
fn lookup(ident: &SyntaxNode, name: &str) -> Unbound {
    let mut child = ident.clone();
    let mut under_with = false;
    while let Some(parent) = child.parent() {
        // `inherit x;` reads `x` from around the `let` or `rec` set it is in, not from
        // the bindings it makes there.
        let inherited_here = child.kind() == SyntaxKind::NODE_INHERIT;
        let binds = match parent.kind() {
            _ if inherited_here => false,
            SyntaxKind::NODE_LAMBDA => ast::Lambda::cast(parent.clone())
                .and_then(|l| l.param())
                .is_some_and(|param| param_binds(&param, name)),
            SyntaxKind::NODE_LET_IN => {
                ast::LetIn::cast(parent.clone()).is_some_and(|l| entries_bind(&l, name))
            }
            SyntaxKind::NODE_LEGACY_LET => {
                ast::LegacyLet::cast(parent.clone()).is_some_and(|l| entries_bind(&l, name))
            }
            SyntaxKind::NODE_ATTR_SET => ast::AttrSet::cast(parent.clone())
                .is_some_and(|set| set.rec_token().is_some() && entries_bind(&set, name)),
            // Inside the body of `with`, an unbound name may come from the `with`.
            SyntaxKind::NODE_WITH => {
                let in_body = ast::With::cast(parent.clone())
                    .and_then(|w| w.body())
                    .is_some_and(|body| body.syntax() == &child);
                under_with |= in_body;
                false
            }
            _ => false,
        };
        if binds {
            return Unbound::Bound;
        }
        child = parent;
    }
    if under_with {
        Unbound::UnderWith
    } else {
        Unbound::Free
    }
}

fn param_binds(param: &ast::Param, name: &str) -> bool {
    let is = |ident: Option<ast::Ident>| {
        ident
            .and_then(|i| i.ident_token())
            .is_some_and(|t| t.text() == name)
    };
    match param {
        ast::Param::IdentParam(p) => is(p.ident()),
        ast::Param::Pattern(pattern) => {
            pattern.pat_entries().any(|entry| is(entry.ident()))
                || pattern.pat_bind().is_some_and(|bind| is(bind.ident()))
        }
    }
}

/// Whether the bindings of a `let`, `rec { }` or `let { }` bind `name`.
fn entries_bind(set: &impl HasEntry, name: &str) -> bool {
    set.entries().any(|entry| match entry {
        ast::Entry::AttrpathValue(value) => value
            .attrpath()
            .and_then(|path| path.attrs().next())
            .is_some_and(|first| first.syntax().text() == name),
        ast::Entry::Inherit(inherit) => inherit.attrs().any(|a| a.syntax().text() == name),
    })
}

#[cfg(test)]
mod tests {
    use super::{free_variables, names_under_with};

    fn free(text: &str) -> Vec<String> {
        free_variables(text).into_iter().collect()
    }

    #[test]
    fn names_bound_around_them_are_not_free() {
        assert_eq!(free("username"), ["username"]);
        assert_eq!(free("\"${host}.${domain}\""), ["domain", "host"]);
        assert_eq!(free("let cfg = config.x; in cfg.enable"), ["config"]);
        assert_eq!(free("{ a, b ? a, ... }@args: a + b + args.c + d"), ["d"]);
        assert_eq!(free("x: x.y"), Vec::<String>::new());
        assert_eq!(free("rec { a = b; b = 1; }"), Vec::<String>::new());
        assert_eq!(free("{ a = b; b = 1; }"), ["b"]);
        assert_eq!(
            free("{ inherit overlays; inherit (pkgs) git; }"),
            ["overlays", "pkgs"]
        );
        // `inherit` in a `let` or `rec` set reads the name from around it.
        assert_eq!(free("let inherit user; in user"), ["user"]);
        assert_eq!(free("rec { inherit user; home = user; }"), ["user"]);
        assert_eq!(
            free("user: let inherit user; in user"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn attribute_names_and_globals_are_not_variables() {
        assert_eq!(free("pkgs.lib.mkIf true { x.y = 1; }"), ["pkgs"]);
        assert_eq!(
            free("builtins.map toString [ null false ]"),
            Vec::<String>::new()
        );
        assert_eq!(free("a ? b"), ["a"]);
        assert_eq!(free("{ ${name} = 1; }"), ["name"]);
    }

    #[test]
    fn names_inside_with_may_come_from_it() {
        assert_eq!(free("with pkgs; [ git vim ]"), ["pkgs"]);
        assert_eq!(free("with pkgs; [ git ] ++ extra"), ["pkgs"]);
        assert_eq!(free("[ (with pkgs; git) extra ]"), ["extra", "pkgs"]);
        let under_with = |text| names_under_with(text).into_iter().collect::<Vec<_>>();
        assert_eq!(
            under_with("with pkgs; [ git ] ++ lib.optional (name == \"x\") vim"),
            ["git", "lib", "name", "vim"]
        );
        assert_eq!(
            under_with("name: with pkgs; [ name ]"),
            Vec::<String>::new()
        );
        assert_eq!(under_with("[ extra ]"), Vec::<String>::new());
    }

    #[test]
    fn text_that_does_not_parse_has_none() {
        assert!(free_variables("{ a = ; }").is_empty());
    }
}
