//! What flakesmith can tell about a raw Nix snippet without evaluating it: whether it
//! stands alone as an operand, whether its last line ends in a comment, and whether it
//! is a plain literal (so the checks can compare it with typed values).

use rnix::ast;
use rnix::{SyntaxKind, SyntaxNode};

use super::expr::Expr;

/// The shape of a snippet that parses (the checker rejected the others).
#[derive(Clone, Debug, PartialEq)]
pub struct RawShape {
    /// A single operand (name, literal, string, list, set, parenthesised expression):
    /// it needs no parentheses as a function argument or list element.
    pub atomic: bool,
    /// The last line ends in a `#` comment, which would swallow whatever the printer
    /// put after it on that line.
    pub ends_in_line_comment: bool,
    /// The value, when the snippet is a plain literal: a string without
    /// interpolation, an integer, a float, `true`, `false` or `null`.
    pub literal: Option<Expr>,
}

/// Analyses `text` with rnix. A snippet that does not parse is treated as needing
/// parentheses and as having no known value.
pub fn analyse(text: &str) -> RawShape {
    let parse = rnix::Root::parse(text);
    let ends_in_line_comment = last_token_is_line_comment(&parse.syntax());
    let expr = parse.tree().expr();
    let (atomic, literal) = match (&expr, parse.errors().is_empty()) {
        (Some(expr), true) => (is_atomic(expr), literal(expr)),
        _ => (false, None),
    };
    RawShape {
        atomic,
        ends_in_line_comment,
        literal,
    }
}

fn last_token_is_line_comment(root: &SyntaxNode) -> bool {
    let mut token = root.last_token();
    while let Some(t) = token {
        match t.kind() {
            SyntaxKind::TOKEN_WHITESPACE => token = t.prev_token(),
            SyntaxKind::TOKEN_COMMENT => return t.text().starts_with('#'),
            _ => return false,
        }
    }
    false
}

fn is_atomic(expr: &ast::Expr) -> bool {
    match expr {
        ast::Expr::Ident(_)
        | ast::Expr::Literal(_)
        | ast::Expr::Str(_)
        | ast::Expr::List(_)
        | ast::Expr::Paren(_)
        | ast::Expr::PathAbs(_)
        | ast::Expr::PathRel(_)
        | ast::Expr::PathHome(_)
        | ast::Expr::PathSearch(_)
        | ast::Expr::AttrSet(_) => true,
        // `a.b` binds tighter than application; `a.b or c` is parenthesised to be safe.
        ast::Expr::Select(select) => select.default_expr().is_none(),
        _ => false,
    }
}

fn literal(expr: &ast::Expr) -> Option<Expr> {
    match expr {
        ast::Expr::Str(string) => {
            let mut text = String::new();
            for part in string.normalized_parts() {
                match part {
                    ast::InterpolPart::Literal(piece) => text.push_str(&piece),
                    ast::InterpolPart::Interpolation(_) => return None,
                }
            }
            Expr::string(text).ok()
        }
        ast::Expr::Literal(literal) => match literal.kind() {
            ast::LiteralKind::Integer(int) => int.value().ok().map(Expr::Int),
            ast::LiteralKind::Float(float) => float.value().ok().and_then(|f| Expr::float(f).ok()),
            ast::LiteralKind::Uri(_) => None,
        },
        ast::Expr::Ident(ident) => match ident.ident_token()?.text() {
            "true" => Some(Expr::Bool(true)),
            "false" => Some(Expr::Bool(false)),
            "null" => Some(Expr::Null),
            _ => None,
        },
        ast::Expr::Paren(paren) => literal(&paren.expr()?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoms_and_operators() {
        for atomic in [
            "pkgs.hello",
            "x",
            "\"s\"",
            "[ 1 ]",
            "{ a = 1; }",
            "(1 - 2)",
            "./a.nix",
            "42",
        ] {
            assert!(analyse(atomic).atomic, "{atomic}");
        }
        for compound in [
            "10-1",
            "-1",
            "f x",
            "a.b or c",
            "x: x",
            "if a then b else c",
            "a // b",
            "a ? b",
        ] {
            assert!(!analyse(compound).atomic, "{compound}");
        }
    }

    #[test]
    fn trailing_line_comments() {
        assert!(analyse("1 # why").ends_in_line_comment);
        assert!(analyse("1 # why\n  ").ends_in_line_comment);
        assert!(!analyse("1 /* why */").ends_in_line_comment);
        assert!(!analyse("# why\n1").ends_in_line_comment);
    }

    #[test]
    fn literals() {
        assert_eq!(analyse("\"x\"").literal, Some(Expr::string("x").unwrap()));
        assert_eq!(
            analyse("''\n  x\n''").literal,
            Some(Expr::string("x\n").unwrap())
        );
        assert_eq!(analyse("\"a${b}\"").literal, None);
        assert_eq!(analyse("7").literal, Some(Expr::Int(7)));
        assert_eq!(analyse("(true)").literal, Some(Expr::Bool(true)));
        assert_eq!(analyse("pkgs.x").literal, None);
    }
}
