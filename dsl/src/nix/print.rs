//! The printer: [`Expr`] to formatted Nix source.
//!
//! The layout is alejandra's, chosen so that every file flakesmith writes is a fixed
//! point of `alejandra` (the tests run the formatter to prove it):
//! - two-space indentation;
//! - non-empty attribute sets and lists always span lines, one entry a line;
//!   empty ones are `{}` and `[]`;
//! - a set holding a single entry collapses into a dotted path
//!   (`services.openssh.enable = true;`);
//! - function parameters go on one line when there are at most two
//!   (`{lib, ...}:`), one a line otherwise;
//! - a multi-line argument or body opens on the line of what precedes it.
//!
//! The output is a pure function of the expression: no map iteration order, no
//! environment, no clock.

use std::fmt::Write;

use super::escape::{double_quoted, escape_indented_line, fits_indented_string, quote_attr_name};
use super::expr::{Attrs, Expr, Formals};

const INDENT: &str = "  ";

/// Where an expression stands, which decides whether it needs parentheses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    /// The right-hand side of a binding, a function body, or the whole file.
    Free,
    /// A list element or a function argument: application, negative numbers and
    /// functions must be parenthesised there.
    Atom,
}

/// Prints a whole file: the header comment lines, then the expression, then a newline.
pub fn print_file(header: &[String], expr: &Expr) -> String {
    let mut out = print_comment(header);
    out.push_str(&print_expr(expr));
    out.push('\n');
    out
}

/// Comment lines, `# ` before each. Text from the configuration reaches comments (a
/// module's description, the regenerate command, file names), and Nix ends a comment at
/// a carriage return as well as at a newline: every line break of either kind starts a
/// new comment line, so no text can leave the comment and become code.
pub fn print_comment<S: AsRef<str>>(lines: &[S]) -> String {
    let mut out = String::new();
    for line in lines {
        for piece in line.as_ref().split(['\r', '\n']) {
            if piece.is_empty() {
                out.push_str("#\n");
            } else {
                out.push_str("# ");
                out.push_str(piece);
                out.push('\n');
            }
        }
    }
    out
}

/// Prints one expression as it would stand alone in a file.
pub fn print_expr(expr: &Expr) -> String {
    let mut printer = Printer { out: String::new() };
    printer.expr(expr, 0, Position::Free);
    printer.out
}

struct Printer {
    out: String,
}

impl Printer {
    fn newline(&mut self, indent: usize) {
        self.out.push('\n');
        for _ in 0..indent {
            self.out.push_str(INDENT);
        }
    }

    fn expr(&mut self, expr: &Expr, indent: usize, position: Position) {
        let parens = position == Position::Atom && needs_parens(expr);
        if parens {
            self.out.push('(');
        }
        match expr {
            Expr::Null => self.out.push_str("null"),
            Expr::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Expr::Int(i) => self.int(*i),
            Expr::Float(f) => self.out.push_str(&float_literal(f.get())),
            Expr::Str(s) => self.string(s.as_str(), indent),
            Expr::Path(p) => self.out.push_str(p.as_str()),
            Expr::List(items) => self.list(items, indent),
            Expr::Attrs(attrs) => self.attrs(attrs, indent),
            Expr::Select(var, path) => {
                self.out.push_str(var.as_str());
                for key in path {
                    self.out.push('.');
                    self.out.push_str(&quote_attr_name(key));
                }
            }
            Expr::LocalPackage(name) => {
                self.out.push_str("pkgs.");
                self.out.push_str(&quote_attr_name(name));
            }
            Expr::Function(argument, body) => {
                self.out.push_str(argument.as_str());
                self.out.push_str(": ");
                self.expr(body, indent, Position::Free);
            }
            Expr::Apply(function, args) => {
                self.expr(function, indent, Position::Atom);
                for arg in args {
                    self.out.push(' ');
                    self.expr(arg, indent, Position::Atom);
                }
            }
            Expr::Lambda(formals, body) => {
                self.formals(formals, indent);
                self.out.push_str(": ");
                self.expr(body, indent, Position::Free);
            }
            Expr::Raw(text) => {
                // Byte for byte: re-indenting would change the value of a multi-line
                // string inside the snippet. A trailing line comment would swallow the
                // `;` or `)` the printer puts after it, so a line break ends it.
                self.out.push_str(text.trim());
                if super::raw::analyse(text).ends_in_line_comment {
                    self.newline(indent);
                }
            }
            Expr::Update(left, right) => {
                self.expr(left, indent, Position::Atom);
                self.out.push_str(" // ");
                self.expr(right, indent, Position::Atom);
            }
            Expr::Let(bindings, body) => {
                self.out.push_str("let");
                for (name, value) in bindings {
                    self.newline(indent + 1);
                    self.out.push_str(name.as_str());
                    self.out.push_str(" = ");
                    self.expr(value, indent + 1, Position::Free);
                    self.out.push(';');
                }
                self.newline(indent);
                self.out.push_str("in ");
                self.expr(body, indent, Position::Free);
            }
        }
        if parens {
            self.out.push(')');
        }
    }

    fn int(&mut self, value: i64) {
        if value == i64::MIN {
            // The literal 9223372036854775808 overflows, so the minimum is written as
            // arithmetic that Nix folds back to it.
            let _ = write!(self.out, "-{} - 1", i64::MAX);
        } else {
            let _ = write!(self.out, "{value}");
        }
    }

    fn string(&mut self, text: &str, indent: usize) {
        if !fits_indented_string(text) {
            self.out.push_str(&double_quoted(text));
            return;
        }
        // Content sits one level deeper than the closing quotes, and Nix strips exactly
        // that common indentation (see `fits_indented_string`).
        self.out.push_str("''");
        let (body, ends_with_newline) = match text.strip_suffix('\n') {
            Some(body) => (body, true),
            None => (text, false),
        };
        for line in body.split('\n') {
            if line.is_empty() {
                self.out.push('\n');
            } else {
                self.newline(indent + 1);
                self.out.push_str(&escape_indented_line(line));
            }
        }
        if ends_with_newline {
            self.newline(indent);
        }
        self.out.push_str("''");
    }

    fn list(&mut self, items: &[Expr], indent: usize) {
        if items.is_empty() {
            self.out.push_str("[]");
            return;
        }
        self.out.push('[');
        for item in items {
            self.newline(indent + 1);
            self.expr(item, indent + 1, Position::Atom);
        }
        self.newline(indent);
        self.out.push(']');
    }

    fn attrs(&mut self, attrs: &Attrs, indent: usize) {
        if attrs.is_empty() {
            self.out.push_str("{}");
            return;
        }
        self.out.push('{');
        for (key, value) in attrs.entries() {
            self.newline(indent + 1);
            self.out.push_str(&quote_attr_name(key));
            // A set with exactly one entry is written as a dotted path, the way people
            // write `services.openssh.enable = true;`. Keys are unique per set, so the
            // collapsed paths are unique too.
            let mut value = value;
            while let Expr::Attrs(inner) = value {
                let [(inner_key, inner_value)] = inner.entries() else {
                    break;
                };
                self.out.push('.');
                self.out.push_str(&quote_attr_name(inner_key));
                value = inner_value;
            }
            self.out.push_str(" = ");
            self.expr(value, indent + 1, Position::Free);
            self.out.push(';');
        }
        self.newline(indent);
        self.out.push('}');
    }

    fn formals(&mut self, formals: &Formals, indent: usize) {
        self.formal_set(formals, indent);
        if let Some(bind) = &formals.bind {
            self.out.push_str(" @ ");
            self.out.push_str(bind.as_str());
        }
    }

    fn formal_set(&mut self, formals: &Formals, indent: usize) {
        let mut names: Vec<&str> = formals.names.iter().map(|n| n.as_str()).collect();
        if formals.ellipsis {
            names.push("...");
        }
        if names.len() <= 2 {
            self.out.push('{');
            self.out.push_str(&names.join(", "));
            self.out.push('}');
            return;
        }
        self.out.push('{');
        let last = names.len() - 1;
        for (i, name) in names.iter().enumerate() {
            self.newline(indent + 1);
            self.out.push_str(name);
            if i != last {
                self.out.push(',');
            }
        }
        self.newline(indent);
        self.out.push('}');
    }
}

fn needs_parens(expr: &Expr) -> bool {
    match expr {
        Expr::Int(i) => *i < 0,
        Expr::Float(f) => f.get().is_sign_negative(),
        Expr::Apply(..)
        | Expr::Lambda(..)
        | Expr::Function(..)
        | Expr::Let(..)
        | Expr::Update(..) => true,
        // A snippet that is one operand stands alone; anything else (`10 - 1`, `-1`,
        // `f x`) gets parentheses, as its own parse decides.
        Expr::Raw(text) => !super::raw::analyse(text).atomic,
        _ => false,
    }
}

/// A float literal that Nix reads back as the same `f64`.
///
/// Rust's `Debug` output is the shortest text that round-trips; Nix's lexer additionally
/// wants a digit and a dot before any exponent (`1.0e-7`, not `1e-7`).
fn float_literal(value: f64) -> String {
    let text = format!("{value:?}");
    match text.split_once('e') {
        Some((mantissa, exponent)) if !mantissa.contains('.') => format!("{mantissa}.0e{exponent}"),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nix::{Formals, Ident};

    fn s(text: &str) -> Expr {
        Expr::string(text).unwrap()
    }

    #[test]
    fn scalars() {
        assert_eq!(print_expr(&Expr::Null), "null");
        assert_eq!(print_expr(&true.into()), "true");
        assert_eq!(print_expr(&Expr::Int(-5)), "-5");
        assert_eq!(print_expr(&Expr::Int(i64::MIN)), "-9223372036854775807 - 1");
        assert_eq!(print_expr(&Expr::float(0.1).unwrap()), "0.1");
        assert_eq!(print_expr(&Expr::float(1e-7).unwrap()), "1.0e-7");
        assert_eq!(print_expr(&Expr::float(1.5e300).unwrap()), "1.5e300");
        assert_eq!(print_expr(&Expr::float(100.0).unwrap()), "100.0");
    }

    #[test]
    fn negative_numbers_are_parenthesised_in_lists() {
        let list = Expr::List(vec![
            Expr::Int(1),
            Expr::Int(-5),
            Expr::Int(i64::MIN),
            Expr::float(-0.5).unwrap(),
        ]);
        assert_eq!(
            print_expr(&list),
            "[\n  1\n  (-5)\n  (-9223372036854775807 - 1)\n  (-0.5)\n]"
        );
    }

    #[test]
    fn nested_sets_collapse_into_paths() {
        let attrs: Attrs = [(
            "services",
            Expr::Attrs(
                [(
                    "openssh",
                    Expr::Attrs(
                        [
                            ("enable", true.into()),
                            ("ports", Expr::List(vec![Expr::Int(22)])),
                        ]
                        .into_iter()
                        .collect(),
                    ),
                )]
                .into_iter()
                .collect(),
            ),
        )]
        .into_iter()
        .collect();
        assert_eq!(
            print_expr(&attrs.into()),
            "{\n  services.openssh = {\n    enable = true;\n    ports = [\n      22\n    ];\n  };\n}"
        );
    }

    #[test]
    fn quoted_keys_in_paths() {
        let attrs: Attrs = [(
            "a.b",
            Expr::Attrs([("if", Expr::Int(1))].into_iter().collect()),
        )]
        .into_iter()
        .collect();
        assert_eq!(print_expr(&attrs.into()), "{\n  \"a.b\".\"if\" = 1;\n}");
    }

    #[test]
    fn empty_containers() {
        assert_eq!(print_expr(&Expr::List(vec![])), "[]");
        assert_eq!(print_expr(&Attrs::new().into()), "{}");
        let attrs: Attrs = [("x", Expr::Attrs(Attrs::new()))].into_iter().collect();
        assert_eq!(print_expr(&attrs.into()), "{\n  x = {};\n}");
    }

    #[test]
    fn indented_strings() {
        let attrs: Attrs = [("text", s("line one\n  two ${x} ''\n\nend\n"))]
            .into_iter()
            .collect();
        assert_eq!(
            print_expr(&attrs.into()),
            "{\n  text = ''\n    line one\n      two ''${x} '''\n\n    end\n  '';\n}"
        );
        assert_eq!(print_expr(&s("a\nb")), "''\n  a\n  b''");
        assert_eq!(print_expr(&s("  a\n  b")), "\"  a\\n  b\"");
    }

    #[test]
    fn application_and_lambdas() {
        let formals = |names: &[&str]| Formals {
            names: names.iter().map(|n| Ident::new(*n).unwrap()).collect(),
            ellipsis: true,
            bind: None,
        };
        let body = Expr::apply(
            Expr::select("lib.mkOverride").unwrap(),
            [
                Expr::Int(900),
                Expr::apply(Expr::select("f").unwrap(), [Expr::Int(1)]),
            ],
        );
        assert_eq!(
            print_expr(&Expr::Lambda(formals(&["lib"]), Box::new(body.clone()))),
            "{lib, ...}: lib.mkOverride 900 (f 1)"
        );
        assert_eq!(
            print_expr(&Expr::Lambda(formals(&["config", "lib"]), Box::new(body))),
            "{\n  config,\n  lib,\n  ...\n}: lib.mkOverride 900 (f 1)"
        );
        let import = Expr::import(crate::nix::NixPath::new("./home/alice.nix").unwrap());
        assert_eq!(
            print_expr(&Expr::List(vec![import])),
            "[\n  (import ./home/alice.nix)\n]"
        );
    }

    #[test]
    fn let_in() {
        let expr = Expr::Let(
            vec![(
                Ident::new("cfg").unwrap(),
                Expr::select("config.x").unwrap(),
            )],
            Box::new(Attrs::new().into()),
        );
        assert_eq!(print_expr(&expr), "let\n  cfg = config.x;\nin {}");
    }

    #[test]
    fn header() {
        let text = print_file(&["Generated.".into(), String::new()], &Expr::Null);
        assert_eq!(text, "# Generated.\n#\nnull\n");
    }
}
