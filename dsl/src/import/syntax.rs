//! Reading Nix without evaluating it: a module file's text as the few shapes the importer
//! understands (literals, lists, attribute sets with static keys, `pkgs.x`, priorities),
//! and everything else kept as its exact text with the reason it stays raw.

use std::collections::BTreeMap;

use rnix::ast::{self, AstToken, HasEntry};
use rnix::{SyntaxKind, SyntaxNode};
use rowan::ast::AstNode;

/// A Nix value, as far as the importer can read it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Null,
    /// A path literal, as written (`./secrets/x.yaml`).
    Path(String),
    List(Vec<Value>),
    /// An attribute set with static keys, not `rec`, without `inherit`.
    Attrs(Vec<Entry>),
    /// `pkgs.a.b` (also an item of `with pkgs; [ ... ]`).
    Package(String),
    /// `lib.mkDefault v` and its kin around a value.
    Priority(Priority, Box<Value>),
    /// Anything else: the exact text, and why it is not read further.
    Raw {
        text: String,
        reason: &'static str,
    },
}

/// The module-system wrappers the importer turns into typed calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priority {
    Default,
    Force,
    Override(u32),
    Before,
    After,
}

/// `path = value;` in an attribute set.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub path: Vec<String>,
    pub value: Value,
    /// The value's text as written.
    pub text: String,
    /// 1-based line of the entry.
    pub line: usize,
    /// The comments just above the entry (without `#`).
    pub comments: Vec<String>,
}

/// A parsed file: its text (for line numbers) and root expression.
pub struct Source {
    pub text: String,
    pub root: ast::Expr,
    /// Names bound to one string where the file is read (`let user = "alice";`, a special
    /// argument every host gives alike): `${user}` in an attribute name is that string.
    pub constants: BTreeMap<String, String>,
}

impl Source {
    /// Parses `text`; a file with syntax errors is refused with the first of them. The
    /// build's validator judges first: with the `nixel` feature that is Nix's own parser,
    /// which also refuses what rnix lets through (an attribute defined twice).
    pub fn parse(text: &str) -> Result<Self, String> {
        crate::validate::validate(text).map_err(|error| {
            format!(
                "it does not parse ({} says {error})",
                crate::validate::validator_name()
            )
        })?;
        let parse = rnix::Root::parse(text);
        if let Some(error) = parse.errors().first() {
            return Err(format!("it does not parse: {error}"));
        }
        let root = parse
            .tree()
            .expr()
            .ok_or_else(|| "it holds no expression".to_owned())?;
        let source = Self {
            text: text.to_owned(),
            root,
            constants: BTreeMap::new(),
        };
        source.no_attribute_twice()?;
        Ok(source)
    }

    /// The name of an attribute, with `${name}` of a [`Source::constants`] entry read as
    /// its string; `None` for any other `${...}`.
    pub fn attr_name(&self, attr: &ast::Attr) -> Option<String> {
        let interpolated = |expr: Option<ast::Expr>| match expr.map(unparen) {
            Some(ast::Expr::Ident(ident)) => {
                self.constants.get(ident.ident_token()?.text()).cloned()
            }
            _ => None,
        };
        match attr {
            ast::Attr::Dynamic(dynamic) => interpolated(dynamic.expr()),
            ast::Attr::Str(string) => {
                let mut text = String::new();
                for part in string.normalized_parts() {
                    match part {
                        ast::InterpolPart::Literal(piece) => text.push_str(&piece),
                        ast::InterpolPart::Interpolation(inner) => {
                            text.push_str(&interpolated(inner.expr())?);
                        }
                    }
                }
                Some(text)
            }
            ast::Attr::Ident(_) => attr_name(attr),
        }
    }

    /// Nix's parser refuses an attribute set (or `let`) that binds one attribute twice,
    /// and rnix lets it through, so it is checked here with the parser's own rule: a path
    /// may go on through a name bound to an attribute set literal (`rec` included) or to
    /// a set an earlier path made; a name bound twice is refused unless both values are
    /// attribute set literals whose own names do not meet (`a = { x = 1; }; a = { y = 2;
    /// };` merges, `a = { b.x = 1; }; a = { b.y = 2; };` does not); `inherit`ed names and
    /// other values are never extended.
    fn no_attribute_twice(&self) -> Result<(), String> {
        type Bindings = (Vec<ast::AttrpathValue>, Vec<ast::Inherit>);
        let bindings = self
            .root
            .syntax()
            .descendants()
            .filter_map(|node| -> Option<Bindings> {
                if let Some(set) = ast::AttrSet::cast(node.clone()) {
                    Some((set.attrpath_values().collect(), set.inherits().collect()))
                } else {
                    ast::LetIn::cast(node).map(|let_in| {
                        (
                            let_in.attrpath_values().collect(),
                            let_in.inherits().collect(),
                        )
                    })
                }
            });
        for (values, inherits) in bindings {
            if let Err(twice) = self.bound(&values, &inherits) {
                return Err(format!(
                    "it does not parse: attribute `{}` is defined at line {} and again at line {}, which Nix refuses",
                    twice.name, twice.first, twice.again
                ));
            }
        }
        Ok(())
    }

    /// The names one attribute set or `let` binds, built entry by entry as Nix's parser
    /// builds them.
    fn bound(
        &self,
        values: &[ast::AttrpathValue],
        inherits: &[ast::Inherit],
    ) -> Result<BTreeMap<String, Bound>, Twice> {
        let mut names = BTreeMap::new();
        for inherit in inherits {
            let line = self.line_of(inherit.syntax());
            for attr in inherit.attrs() {
                if let Some(name) = attr_name(&attr) {
                    if let Some(bound) = names.insert(name.clone(), Bound::Other(line)) {
                        return Err(Twice::new(name, bound.line(), line));
                    }
                }
            }
        }
        for entry in values {
            // A computed name (`${...}`) is checked by Nix when it evaluates.
            let Some(path) = entry.attrpath().as_ref().and_then(attrpath) else {
                continue;
            };
            let line = self.line_of(entry.syntax());
            let value = match entry.value().map(unparen) {
                Some(ast::Expr::AttrSet(literal)) => {
                    let values: Vec<_> = literal.attrpath_values().collect();
                    let inherits: Vec<_> = literal.inherits().collect();
                    let inner = self
                        .bound(&values, &inherits)
                        .map_err(|t| path.iter().rev().fold(t, |t, head| t.under(head)))?;
                    Bound::Literal(inner, line)
                }
                _ => Bound::Other(line),
            };
            add(&mut names, &path, value)?;
        }
        Ok(names)
    }

    pub fn line_of(&self, node: &SyntaxNode) -> usize {
        let offset: usize = node.text_range().start().into();
        self.text[..offset].matches('\n').count() + 1
    }
}

/// What a name of an attribute set is bound to while Nix's parser builds it, with the
/// line it was first bound on.
enum Bound {
    /// An attribute set literal, or a set a longer path made (`a.x = 1;` makes `a`).
    Literal(BTreeMap<String, Bound>, usize),
    /// Any other value, or an `inherit`ed name.
    Other(usize),
}

impl Bound {
    fn line(&self) -> usize {
        match self {
            Bound::Literal(_, line) | Bound::Other(line) => *line,
        }
    }
}

/// A name bound twice: its dotted path and both lines.
struct Twice {
    name: String,
    first: usize,
    again: usize,
}

impl Twice {
    fn new(name: String, first: usize, again: usize) -> Self {
        Self { name, first, again }
    }

    fn under(mut self, head: &str) -> Self {
        self.name = format!("{head}.{}", self.name);
        self
    }
}

/// Binds `path` to `value` in `names`, as Nix's parser does (`addAttr`).
fn add(names: &mut BTreeMap<String, Bound>, path: &[String], value: Bound) -> Result<(), Twice> {
    let (head, rest) = path.split_first().expect("attribute paths are not empty");
    if !rest.is_empty() {
        let line = value.line();
        let inner = names
            .entry(head.clone())
            .or_insert_with(|| Bound::Literal(BTreeMap::new(), line));
        return match inner {
            Bound::Literal(inner, _) => add(inner, rest, value).map_err(|t| t.under(head)),
            Bound::Other(first) => Err(Twice::new(head.clone(), *first, line)),
        };
    }
    let Some(existing) = names.get_mut(head) else {
        names.insert(head.clone(), value);
        return Ok(());
    };
    match (existing, value) {
        (Bound::Literal(existing, _), Bound::Literal(added, _)) => {
            for (name, bound) in added {
                if let Some(first) = existing.get(&name) {
                    return Err(Twice::new(name, first.line(), bound.line()).under(head));
                }
                existing.insert(name, bound);
            }
            Ok(())
        }
        (existing, value) => Err(Twice::new(head.clone(), existing.line(), value.line())),
    }
}

/// The string a file defines at `path` (`system.stateVersion = "24.05";`, also written
/// `system = { stateVersion = ...; }` or under `config.`), and its line: for files the
/// importer keeps as they are, which it still reads a few facts from.
pub fn literal_definition(text: &str, path: &[&str]) -> Option<(String, usize)> {
    let source = Source::parse(text).ok()?;
    source
        .root
        .syntax()
        .descendants()
        .filter_map(ast::AttrpathValue::cast)
        .find_map(|entry| {
            let mut full = attrpath(&entry.attrpath()?)?;
            for ancestor in entry
                .syntax()
                .ancestors()
                .skip(1)
                .filter_map(ast::AttrpathValue::cast)
            {
                let mut outer = attrpath(&ancestor.attrpath()?)?;
                outer.extend(full);
                full = outer;
            }
            if !full.ends_with(&path.iter().map(|s| s.to_string()).collect::<Vec<_>>()) {
                return None;
            }
            match read(&source, entry.value()?) {
                Value::Str(value) => Some((value, source.line_of(entry.syntax()))),
                _ => None,
            }
        })
}

/// How many definitions a module file makes, read as syntax: each leaf of its
/// attribute set (through `config`, nested sets, `lib.mkIf c { ... }` and `lib.mkMerge
/// [ ... ]`), not `imports` or `options`. For files kept as they are, so that the
/// report's share counts what they define too.
/// The definitions of the module at `attribute` (`flake.nixosModules.ssh`) of a
/// flake-parts module's text, as [`count_definitions`] counts them: where the text
/// binds that attribute's last name, the module written there; the whole text where it
/// does not (a module a function computes).
pub fn count_module_at(text: &str, attribute: &str) -> usize {
    let last = attribute.rsplit('.').next().unwrap_or_default();
    let written = rnix::Root::parse(text)
        .syntax()
        .descendants()
        .filter_map(ast::AttrpathValue::cast)
        .find(|entry| {
            entry
                .attrpath()
                .as_ref()
                .and_then(attrpath)
                .is_some_and(|path| path.last().is_some_and(|n| n == last))
        })
        .and_then(|entry| entry.value());
    match written {
        Some(value) => count_definitions(&value.syntax().text().to_string()),
        None => count_definitions(text),
    }
}

pub fn count_definitions(text: &str) -> usize {
    fn body(expr: ast::Expr) -> ast::Expr {
        match unparen(expr) {
            ast::Expr::Lambda(lambda) => lambda
                .body()
                .map_or_else(|| ast::Expr::Lambda(lambda.clone()), body),
            ast::Expr::LetIn(let_in) => let_in
                .body()
                .map_or_else(|| ast::Expr::LetIn(let_in.clone()), body),
            other => other,
        }
    }
    fn count(expr: ast::Expr, top: bool) -> usize {
        match unparen(expr) {
            ast::Expr::AttrSet(set) => {
                let inherited: usize = set.inherits().map(|i| i.attrs().count()).sum();
                inherited
                    + set
                        .attrpath_values()
                        .map(|entry| {
                            let first = entry
                                .attrpath()
                                .and_then(|p| p.attrs().next())
                                .and_then(|a| attr_name(&a));
                            match (top, first.as_deref()) {
                                (
                                    true,
                                    Some("imports" | "options" | "_file" | "disabledModules"),
                                ) => 0,
                                _ => entry.value().map_or(1, |v| count(v, false)).max(1),
                            }
                        })
                        .sum::<usize>()
            }
            ast::Expr::Apply(apply) => {
                // `lib.mkIf c { ... }`, `lib.mkMerge [ ... ]`: what they wrap.
                let name = apply.lambda().map(unparen).and_then(|f| match f {
                    ast::Expr::Apply(inner) => inner.lambda().as_ref().and_then(dotted),
                    other => dotted(&other),
                });
                match name.as_deref().and_then(short) {
                    Some("mkIf" | "mkMerge") => apply.argument().map_or(1, |a| count(a, top)),
                    _ => 1,
                }
            }
            ast::Expr::List(list) if top => list.items().map(|i| count(i, true)).sum(),
            _ => 1,
        }
    }
    match Source::parse(text) {
        Ok(source) => count(body(source.root.clone()), true).max(1),
        Err(_) => 1,
    }
}

/// A path, `import <path>`, or `import <path> { ... }` whose arguments are literals: the
/// path as written and the arguments' text. `None` for anything else, arguments that
/// name variables included (they would be unbound where the file is kept).
pub fn imported_path(text: &str) -> Option<(String, Option<String>)> {
    let source = Source::parse(text).ok()?;
    let path_of = |expr: ast::Expr| match unparen(expr) {
        ast::Expr::PathRel(path) => Some(path.syntax().text().to_string()),
        _ => None,
    };
    let is_import = |expr: Option<ast::Expr>| {
        expr.as_ref().and_then(dotted).as_deref() == Some(&["import".to_owned()][..])
    };
    match unparen(source.root.clone()) {
        ast::Expr::PathRel(path) => Some((path.syntax().text().to_string(), None)),
        ast::Expr::Apply(apply) if is_import(apply.lambda()) => {
            Some((path_of(apply.argument()?)?, None))
        }
        ast::Expr::Apply(apply) => {
            let ast::Expr::Apply(inner) = unparen(apply.lambda()?) else {
                return None;
            };
            if !is_import(inner.lambda()) {
                return None;
            }
            let path = path_of(inner.argument()?)?;
            let arguments = apply.argument()?;
            let literal = match read(&source, arguments.clone()) {
                Value::Attrs(entries) => entries.iter().all(|e| is_literal(&e.value)),
                _ => false,
            };
            literal.then(|| (path, Some(arguments.syntax().text().to_string())))
        }
        _ => None,
    }
}

/// A value with nothing in it that names a variable.
fn is_literal(value: &Value) -> bool {
    match value {
        Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) | Value::Null => true,
        Value::List(items) => items.iter().all(is_literal),
        Value::Attrs(entries) => entries.iter().all(|e| is_literal(&e.value)),
        _ => false,
    }
}

/// Strips parentheses.
pub fn unparen(expr: ast::Expr) -> ast::Expr {
    match expr {
        ast::Expr::Paren(paren) => paren.expr().map_or(ast::Expr::Paren(paren), unparen),
        other => other,
    }
}

/// The static name of an attribute (`a`, `"a.b"`), or `None` for `${...}`.
pub fn attr_name(attr: &ast::Attr) -> Option<String> {
    match attr {
        ast::Attr::Ident(ident) => Some(ident.ident_token()?.text().to_owned()),
        ast::Attr::Str(string) => static_string(string),
        ast::Attr::Dynamic(_) => None,
    }
}

fn static_string(string: &ast::Str) -> Option<String> {
    let mut text = String::new();
    for part in string.normalized_parts() {
        match part {
            ast::InterpolPart::Literal(piece) => text.push_str(&piece),
            ast::InterpolPart::Interpolation(_) => return None,
        }
    }
    Some(text)
}

/// `a.b.c` as segments when every one is static.
pub fn attrpath(path: &ast::Attrpath) -> Option<Vec<String>> {
    path.attrs().map(|attr| attr_name(&attr)).collect()
}

/// A dotted name (`lib.mkDefault`, `inputs.sops-nix.nixosModules.sops`) as segments.
pub fn dotted(expr: &ast::Expr) -> Option<Vec<String>> {
    match expr {
        ast::Expr::Ident(ident) => Some(vec![ident.ident_token()?.text().to_owned()]),
        ast::Expr::Select(select) if select.default_expr().is_none() => {
            let mut head = dotted(&select.expr()?)?;
            head.extend(attrpath(&select.attrpath()?)?);
            Some(head)
        }
        _ => None,
    }
}

/// The comments directly above `node` (no blank line between), oldest first.
pub fn leading_comments(node: &SyntaxNode) -> Vec<String> {
    let mut comments = Vec::new();
    let mut token = node.first_token().and_then(|t| t.prev_token());
    while let Some(t) = token {
        match t.kind() {
            SyntaxKind::TOKEN_WHITESPACE if t.text().matches('\n').count() <= 1 => {}
            SyntaxKind::TOKEN_COMMENT => {
                if let Some(comment) = ast::Comment::cast(t.clone()) {
                    comments.push(comment.text().trim().to_owned());
                }
            }
            _ => break,
        }
        token = t.prev_token();
    }
    comments.reverse();
    comments
}

/// The entries of an attribute set, or `Err(reason)` when it cannot be read entry by
/// entry.
pub fn entries(source: &Source, set: &ast::AttrSet) -> Result<Vec<Entry>, &'static str> {
    if set.rec_token().is_some() {
        return Err("a `rec` attribute set refers to itself");
    }
    if set.inherits().next().is_some() {
        return Err("`inherit` takes values from the enclosing scope");
    }
    let mut out = Vec::new();
    for entry in set.attrpath_values() {
        let Some(path) = entry
            .attrpath()
            .and_then(|path| path.attrs().map(|a| source.attr_name(&a)).collect())
        else {
            return Err("an attribute name is computed (`${...}`)");
        };
        let Some(value) = entry.value() else {
            return Err("an entry has no value");
        };
        out.push(Entry {
            path,
            text: value.syntax().text().to_string(),
            value: read(source, value),
            line: source.line_of(entry.syntax()),
            comments: leading_comments(entry.syntax()),
        });
    }
    Ok(out)
}

/// Reads a value expression.
pub fn read(source: &Source, expr: ast::Expr) -> Value {
    let text = expr.syntax().text().to_string();
    let raw = |reason| Value::Raw {
        text: text.clone(),
        reason,
    };
    match unparen(expr) {
        ast::Expr::Literal(literal) => match literal.kind() {
            ast::LiteralKind::Integer(int) => int
                .value()
                .map_or(raw("an integer Nix cannot read"), Value::Int),
            ast::LiteralKind::Float(float) => float
                .value()
                .map_or(raw("a float Nix cannot read"), Value::Float),
            // `github:owner/repo` unquoted is a string to Nix (an old spelling flakes'
            // `inputs.x.url` still meet).
            ast::LiteralKind::Uri(uri) => Value::Str(uri.syntax().text().to_string()),
        },
        ast::Expr::Str(string) => {
            static_string(&string).map_or(raw("the string interpolates `${...}`"), Value::Str)
        }
        ast::Expr::PathRel(path) => Value::Path(path.syntax().text().to_string()),
        ast::Expr::PathAbs(path) => Value::Path(path.syntax().text().to_string()),
        ast::Expr::PathHome(_) | ast::Expr::PathSearch(_) => raw("a `~` or `<...>` path"),
        ast::Expr::List(list) => Value::List(list.items().map(|item| read(source, item)).collect()),
        ast::Expr::AttrSet(set) => match entries(source, &set) {
            Ok(entries) => Value::Attrs(entries),
            Err(reason) => raw(reason),
        },
        ast::Expr::Ident(ident) => match ident.ident_token().as_ref().map(|t| t.text()) {
            Some("true") => Value::Bool(true),
            Some("false") => Value::Bool(false),
            Some("null") => Value::Null,
            _ => raw("it names a variable of the module"),
        },
        ast::Expr::Select(select) => match dotted(&ast::Expr::Select(select)) {
            Some(path) if path[0] == "pkgs" && path.len() > 1 => {
                Value::Package(path[1..].join("."))
            }
            Some(path) if path[0] == "config" => raw("it reads `config.`, another option's value"),
            Some(path) if path[0] == "cfg" => raw("it reads `cfg.`, the module's own option"),
            _ => raw("it selects from a variable of the module"),
        },
        ast::Expr::With(with) => read_with(&with)
            .unwrap_or_else(|| raw("`with` brings names other than packages into scope")),
        ast::Expr::Apply(apply) => read_apply(source, &apply).unwrap_or_else(raw),
        ast::Expr::BinOp(op) => match op.operator() {
            Some(ast::BinOpKind::Update) => raw("`//` merges attribute sets"),
            Some(ast::BinOpKind::Concat) => raw("`++` concatenates lists"),
            _ => raw("it computes its value with an operator"),
        },
        ast::Expr::LetIn(_) | ast::Expr::LegacyLet(_) => raw("`let` binds names for the value"),
        ast::Expr::Lambda(_) => raw("it is a function"),
        ast::Expr::IfElse(_) => raw("`if` chooses the value"),
        _ => raw("an expression the importer does not read"),
    }
}

/// `with pkgs; [ a b ]`: a list of packages.
fn read_with(with: &ast::With) -> Option<Value> {
    let namespace = dotted(&with.namespace()?)?;
    if namespace != ["pkgs"] {
        return None;
    }
    let ast::Expr::List(list) = unparen(with.body()?) else {
        return None;
    };
    let mut items = Vec::new();
    for item in list.items() {
        let name = dotted(&unparen(item.clone()))?;
        // `pkgs.x` inside `with pkgs;` is the same package.
        let name = if name[0] == "pkgs" && name.len() > 1 {
            name[1..].join(".")
        } else {
            name.join(".")
        };
        items.push(Value::Package(name));
    }
    Some(Value::List(items))
}

/// `lib.mkDefault v`, `mkForce v`, `lib.mkOverride 900 v`, `lib.mkBefore [ ... ]`.
fn read_apply(source: &Source, apply: &ast::Apply) -> Result<Value, &'static str> {
    let function = apply.lambda().ok_or("an application without a function")?;
    let argument = apply
        .argument()
        .ok_or("an application without an argument")?;
    if let ast::Expr::Apply(inner) = unparen(function.clone()) {
        // `lib.mkOverride N v`
        let name = inner
            .lambda()
            .as_ref()
            .and_then(dotted)
            .ok_or("it calls a function")?;
        if short(&name) == Some("mkOverride") {
            let priority = match inner.argument().map(|a| read(source, a)) {
                Some(Value::Int(n)) if (0..=i64::from(u32::MAX)).contains(&n) => n as u32,
                _ => return Err("`mkOverride` with a priority that is not a literal"),
            };
            return Ok(Value::Priority(
                Priority::Override(priority),
                Box::new(read(source, argument)),
            ));
        }
        return Err("it calls a function");
    }
    let name = dotted(&function).ok_or("it calls a function")?;
    let priority = match short(&name) {
        Some("mkDefault") => Priority::Default,
        Some("mkForce") => Priority::Force,
        Some("mkBefore") => Priority::Before,
        Some("mkAfter") => Priority::After,
        Some("mkIf") => return Err("`mkIf` makes it conditional"),
        Some("mkMerge") => return Err("`mkMerge` merges several definitions"),
        _ => return Err("it calls a function"),
    };
    Ok(Value::Priority(priority, Box::new(read(source, argument))))
}

/// `mkDefault` of `lib.mkDefault` or `mkDefault`; `None` for other names.
pub(super) fn short(name: &[String]) -> Option<&str> {
    match name {
        [lib, f] if lib == "lib" => Some(f),
        [f] => Some(f),
        _ => None,
    }
}

/// The variables an expression reads that it does not bind itself (`homeModule` and
/// `specialArgs` in `{ extraSpecialArgs = specialArgs; } // homeModule.home-manager`):
/// what must be bound wherever the text is written. Names a `let`, a function's
/// parameters or a `rec` set bind anywhere in the text count as bound (a slight
/// over-approximation, never a false alarm about a name the text binds). `None` when
/// the text does not parse.
pub fn free_variables(text: &str) -> Option<std::collections::BTreeSet<String>> {
    let parsed = rnix::Root::parse(text);
    if !parsed.errors().is_empty() {
        return None;
    }
    let root = parsed.syntax();
    let mut read = std::collections::BTreeSet::new();
    let mut bound = std::collections::BTreeSet::new();
    for node in root.descendants() {
        match node.kind() {
            SyntaxKind::NODE_IDENT => {
                let Some(parent) = node.parent() else {
                    continue;
                };
                let name = node.text().to_string();
                match parent.kind() {
                    // `a.b = ...`, `x.a.b`, `inherit (x) a`: attribute names.
                    SyntaxKind::NODE_ATTRPATH => {}
                    SyntaxKind::NODE_INHERIT => {
                        let from = parent
                            .children()
                            .any(|c| c.kind() == SyntaxKind::NODE_INHERIT_FROM);
                        if !from {
                            read.insert(name);
                        }
                    }
                    SyntaxKind::NODE_IDENT_PARAM | SyntaxKind::NODE_PAT_BIND => {
                        bound.insert(name);
                    }
                    // `b ? c`: `b` is bound, `c` (a default) is read.
                    SyntaxKind::NODE_PAT_ENTRY => {
                        let first = parent
                            .children()
                            .find(|c| c.kind() == SyntaxKind::NODE_IDENT);
                        if first.as_ref() == Some(&node) {
                            bound.insert(name);
                        } else {
                            read.insert(name);
                        }
                    }
                    _ => {
                        read.insert(name);
                    }
                }
            }
            SyntaxKind::NODE_LET_IN => {
                if let Some(let_in) = ast::LetIn::cast(node.clone()) {
                    bound.extend(bound_names(&let_in));
                }
            }
            SyntaxKind::NODE_ATTR_SET => {
                if let Some(set) = ast::AttrSet::cast(node.clone()) {
                    if set.rec_token().is_some() {
                        bound.extend(bound_names(&set));
                    }
                }
            }
            _ => {}
        }
    }
    Some(
        read.into_iter()
            .filter(|name| !bound.contains(name))
            .collect(),
    )
}

/// The names an expression reads from the scope it is written in, as a set written at
/// its place could `inherit` them: its free variables less those every module is given
/// and those read inside a `with` of its own (which that `with` may bind, and an
/// `inherit` outside it would not find: Nix refuses an unbound name before it
/// evaluates anything). `None` when the text does not parse.
pub fn captured_names(text: &str) -> Option<std::collections::BTreeSet<String>> {
    let free = free_variables(text)?;
    let parsed = rnix::Root::parse(text);
    let mut under_with = std::collections::BTreeSet::new();
    for with in parsed.syntax().descendants().filter_map(ast::With::cast) {
        if let Some(body) = with.body() {
            under_with.extend(
                body.syntax()
                    .descendants()
                    .filter(|n| n.kind() == SyntaxKind::NODE_IDENT)
                    .map(|n| n.text().to_string()),
            );
        }
    }
    Some(
        free.into_iter()
            .filter(|name| !under_with.contains(name) && !ALWAYS_BOUND.contains(&name.as_str()))
            .collect(),
    )
}

/// The first names a `let` or `rec` set binds (`a` of `a.b = ...`, and what it inherits).
fn bound_names(entries: &impl HasEntry) -> Vec<String> {
    let mut names = Vec::new();
    for value in entries.attrpath_values() {
        if let Some(first) = value.attrpath().and_then(|p| p.attrs().next()) {
            if let Some(name) = attr_name(&first) {
                names.push(name);
            }
        }
    }
    for inherit in entries.inherits() {
        names.extend(inherit.attrs().filter_map(|a| attr_name(&a)));
    }
    names
}

/// Whether `name`, read by a module's text, is an argument of the module function: not
/// one of the names the language itself binds (`builtins`, `import`, `true`, ...).
pub fn is_module_argument(name: &str) -> bool {
    const MODULE_ARGUMENTS: &[&str] =
        &["config", "lib", "pkgs", "options", "modulesPath", "inputs"];
    MODULE_ARGUMENTS.contains(&name) || !ALWAYS_BOUND.contains(&name)
}

/// Names every module and the language itself bind: what a raw definition may read
/// besides the host's special arguments.
pub const ALWAYS_BOUND: &[&str] = &[
    "config",
    "lib",
    "pkgs",
    "options",
    "modulesPath",
    "inputs",
    "builtins",
    "true",
    "false",
    "null",
    "import",
    "toString",
    "map",
    "throw",
    "abort",
    "baseNameOf",
    "dirOf",
    "isNull",
    "removeAttrs",
    "derivation",
    "fetchTarball",
    "placeholder",
    "scopedImport",
];

/// What the names `needed`, read by text written at `node`, are bound to around it in
/// its file, as bindings of a `let` to put around that text: the bindings of enclosing
/// `let`s (and what those read in turn), and the inputs of the flake's `outputs` function
/// (`{ self, nixpkgs, ... }@inputs: ...`) as `inputs.<name>`. `is_bound` says which names
/// the place the text moves to gives itself; `parameter` gives bindings for a parameter
/// of the function the file itself is (`overlays` of `{ overlays, ... }: ...`), where it
/// can tell what the flake passes. `None` where a name is bound otherwise (an argument
/// of a helper function, which differs from call to call) or not at all.
pub fn enclosing_bindings(
    node: &SyntaxNode,
    needed: &[String],
    is_bound: impl Fn(&str) -> bool,
    parameter: impl Fn(&str) -> Option<Vec<String>>,
) -> Option<Vec<String>> {
    enum Scope {
        Let(Vec<(Vec<String>, String)>),
        Inputs {
            formals: Vec<String>,
            all: Option<String>,
        },
        Arguments(Vec<String>),
        /// The parameters of the function that is the whole file.
        FileParameters(Vec<String>),
    }
    let mut scopes = Vec::new();
    for ancestor in node.ancestors().skip(1) {
        if let Some(let_in) = ast::LetIn::cast(ancestor.clone()) {
            let mut items = Vec::new();
            for value in let_in.attrpath_values() {
                let names = value
                    .attrpath()
                    .and_then(|p| p.attrs().next())
                    .and_then(|a| attr_name(&a));
                items.push((
                    names.into_iter().collect(),
                    value.syntax().text().to_string(),
                ));
            }
            for inherit in let_in.inherits() {
                let names = inherit.attrs().filter_map(|a| attr_name(&a)).collect();
                items.push((names, inherit.syntax().text().to_string()));
            }
            scopes.push(Scope::Let(items));
        } else if let Some(lambda) = ast::Lambda::cast(ancestor.clone()) {
            let (formals, all) = match lambda.param() {
                Some(ast::Param::IdentParam(ident)) => (
                    Vec::new(),
                    ident.ident().map(|i| i.syntax().text().to_string()),
                ),
                Some(ast::Param::Pattern(pattern)) => (
                    pattern
                        .pat_entries()
                        .filter_map(|e| e.ident())
                        .map(|i| i.syntax().text().to_string())
                        .collect(),
                    pattern
                        .pat_bind()
                        .and_then(|b| b.ident())
                        .map(|i| i.syntax().text().to_string()),
                ),
                None => (Vec::new(), None),
            };
            // The flake's `outputs = inputs: ...`: what it takes are the inputs.
            let is_outputs = lambda
                .syntax()
                .parent()
                .and_then(ast::AttrpathValue::cast)
                .and_then(|v| v.attrpath())
                .is_some_and(|p| p.syntax().text() == "outputs");
            let is_file =
                lambda.syntax().ancestors().skip(1).all(|a| {
                    a.kind() == SyntaxKind::NODE_PAREN || a.kind() == SyntaxKind::NODE_ROOT
                });
            if is_outputs {
                scopes.push(Scope::Inputs { formals, all });
            } else if is_file {
                scopes.push(Scope::FileParameters(
                    formals.into_iter().chain(all).collect(),
                ));
            } else {
                scopes.push(Scope::Arguments(formals.into_iter().chain(all).collect()));
            }
        }
    }
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut from_caller: Vec<String> = Vec::new();
    let mut from_inputs: BTreeMap<String, String> = BTreeMap::new();
    let mut done = std::collections::BTreeSet::new();
    let mut queue: Vec<String> = needed.to_vec();
    while let Some(name) = queue.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        let mut found = false;
        for (s, scope) in scopes.iter().enumerate() {
            match scope {
                Scope::Let(items) => {
                    let Some(i) = items.iter().position(|(names, _)| names.contains(&name)) else {
                        continue;
                    };
                    if !chosen.contains(&(s, i)) {
                        chosen.push((s, i));
                        let text = format!("let {} in null", items[i].1);
                        for read in free_variables(&text)? {
                            if !is_bound(&read) && !ALWAYS_BOUND.contains(&read.as_str()) {
                                queue.push(read);
                            }
                        }
                    }
                }
                Scope::Inputs { formals, all } => {
                    if all.as_deref() == Some(name.as_str()) {
                        if name != "inputs" {
                            from_inputs.insert(name.clone(), "inputs".to_owned());
                        }
                    } else if formals.contains(&name) {
                        from_inputs.insert(name.clone(), format!("inputs.{name}"));
                    } else {
                        continue;
                    }
                }
                Scope::Arguments(names) => {
                    if names.contains(&name) {
                        return None;
                    }
                    continue;
                }
                Scope::FileParameters(names) => {
                    if !names.contains(&name) {
                        continue;
                    }
                    for line in parameter(&name)? {
                        if !from_caller.contains(&line) {
                            from_caller.push(line);
                        }
                    }
                }
            }
            found = true;
            break;
        }
        if !found {
            return None;
        }
    }
    // Innermost scopes last, so that a name an inner `let` shadows reads the inner one.
    chosen.sort_by(|a, b| b.cmp(a));
    let mut out: Vec<String> = from_inputs
        .into_iter()
        .map(|(name, value)| format!("{name} = {value};"))
        .collect();
    for (s, i) in chosen {
        if let Scope::Let(items) = &scopes[s] {
            out.push(items[i].1.clone());
        }
    }
    // What the caller passes is bound in the caller's scope: one of its names met in
    // the file's own bindings would be another binding, which one `let` cannot hold.
    let binds = |line: &str| -> Vec<String> {
        let parsed = rnix::Root::parse(&format!("let {line} in null"));
        let let_in = parsed.syntax().descendants().find_map(ast::LetIn::cast);
        let_in.map(|l| bound_names(&l)).unwrap_or_default()
    };
    let own: std::collections::BTreeSet<String> = out.iter().flat_map(|l| binds(l)).collect();
    for line in from_caller {
        if binds(&line).iter().any(|name| own.contains(name)) {
            return None;
        }
        out.push(line);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn free_variables_are_those_read_and_not_bound_in_the_text() {
        let free = |text: &str| -> Vec<String> {
            super::free_variables(text).unwrap().into_iter().collect()
        };
        assert_eq!(
            free("{ extraSpecialArgs = { inherit colorscheme; } // specialArgs; } // homeModule.home-manager"),
            ["colorscheme", "homeModule", "specialArgs"]
        );
        assert_eq!(
            free("let cfg = config.services.x; in lib.mkIf cfg.enable { inherit (cfg) port; }"),
            ["config", "lib"]
        );
        assert_eq!(free("map (p: p.name) ps"), ["map", "ps"]);
        assert_eq!(free("{ a, b ? c, ... }@args: a + b + args.x"), ["c"]);
        assert_eq!(free("rec { a = 1; b = a; }"), Vec::<String>::new());
        assert!(super::free_variables("{ a = ; }").is_none());
    }

    use super::*;

    fn value(text: &str) -> Value {
        let source = Source::parse(text).unwrap();
        read(&source, source.root.clone())
    }

    #[test]
    fn an_attribute_bound_twice_is_refused_as_nix_refuses_it() {
        for merged in [
            "{ a = { x = 1; }; a = { y = 2; }; }",
            "{ a = { x = 1; }; a.y = 2; }",
            "{ a.y = 2; a = { x = 1; }; }",
            "{ a.x.y = 1; a.x = { z = 2; }; }",
            // A `rec` set is an attribute set literal to the parser too.
            "{ x = rec { a = 1; b = a; }; x.y = 2; }",
            "{ a = ({ x = 1; }); a.y = 2; }",
            "let a = { x = 1; }; a.y = 2; in a",
        ] {
            assert!(Source::parse(merged).is_ok(), "{merged}");
        }
        for (twice, name) in [
            ("{ a.x = 1; a.x = 2; }", "a.x"),
            ("{ a = import ./f.nix; a.y = 1; }", "a"),
            ("{ b = { a.x = 1; a = { x = 2; }; }; }", "b.a.x"),
            // Two literals merge only where their own names do not meet.
            ("{ a = { b = { x = 1; }; }; a = { b.y = 2; }; }", "a.b"),
            ("{ inherit a; a.b = 1; }", "a"),
            ("let a = 1; a = 2; in a", "a"),
        ] {
            let error = Source::parse(twice).err().unwrap_or_default();
            assert!(
                error.contains(&format!("attribute `{name}` is defined")),
                "{twice}: {error}"
            );
        }
    }

    #[test]
    fn reads_what_it_can_and_says_why_not() {
        assert_eq!(value("true"), Value::Bool(true));
        assert_eq!(
            value("[ 22 80 ]"),
            Value::List(vec![Value::Int(22), Value::Int(80)])
        );
        assert_eq!(
            value("with pkgs; [ git pkgs.jq kdePackages.kate ]"),
            Value::List(vec![
                Value::Package("git".into()),
                Value::Package("jq".into()),
                Value::Package("kdePackages.kate".into())
            ])
        );
        assert_eq!(
            value("lib.mkOverride 900 \"x\""),
            Value::Priority(Priority::Override(900), Box::new(Value::Str("x".into())))
        );
        assert!(
            matches!(value("\"${x}\""), Value::Raw { reason, .. } if reason.contains("interpolates"))
        );
        assert!(
            matches!(value("config.a.b"), Value::Raw { reason, .. } if reason.contains("config."))
        );
        assert!(matches!(value("a ++ b"), Value::Raw { reason, .. } if reason.contains("++")));
    }

    #[test]
    fn bindings_around_a_place_are_found_through_lets_and_inputs() {
        let text = "{ outputs = { self, nixpkgs, ... }@inputs: let\n  keys = import ./keys.nix;\n  shared = [ keys nixpkgs.x ];\n  unused = 1;\n  mk = name: { a = shared; b = name; };\nin { }; }";
        let root = rnix::Root::parse(text).syntax();
        let at = |needle: &str| {
            root.descendants()
                .find(|n| {
                    n.kind() == SyntaxKind::NODE_ATTR_SET
                        && n.text().to_string().starts_with(needle)
                })
                .unwrap()
        };
        let set = at("{ a = shared;");
        let found = enclosing_bindings(&set, &["shared".to_owned()], |_| false, |_| None).unwrap();
        assert_eq!(
            found,
            [
                "nixpkgs = inputs.nixpkgs;",
                "shared = [ keys nixpkgs.x ];",
                "keys = import ./keys.nix;"
            ]
        );
        // A helper's argument differs from call to call: not a binding to carry.
        assert_eq!(
            enclosing_bindings(&set, &["name".to_owned()], |_| false, |_| None),
            None
        );
        assert_eq!(
            enclosing_bindings(&set, &["nowhere".to_owned()], |_| false, |_| None),
            None
        );
    }
}
