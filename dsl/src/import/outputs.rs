//! The outputs of the original `flake.nix` that flakesmith does not write (`overlays`,
//! `packages`, `darwinConfigurations`, ...), carried as they were: their entries,
//! verbatim, in a function of the same arguments as the original `outputs`, with the
//! `let` bindings they use. The crate gives the file to `Flake::extra_outputs`, and the
//! generated flake joins its outputs with them.

use std::collections::BTreeSet;
use std::path::Path;

use rnix::ast::{self, HasEntry};
use rowan::ast::AstNode;

use super::syntax::{attr_name, attrpath, unparen};

/// The carried outputs: the file's text, and the names it could not carry with why.
pub struct Carried {
    pub text: Option<String>,
    pub carried: Vec<String>,
    pub not_carried: Vec<(String, String)>,
}

/// A binding of the `let` around the outputs: the names it binds, its text, and the
/// names its value reads.
struct Binding {
    names: Vec<String>,
    text: String,
    reads: BTreeSet<String>,
    /// Where it is in `flake.nix` (byte offsets).
    range: std::ops::Range<usize>,
    /// Whether its value is a call `import <source> { ... }` (of nixpkgs, say).
    imports_with_arguments: bool,
    /// The file of the flake its value imports (`import ./lib inputs` → `lib`), as
    /// written.
    imports_file: Option<String>,
}

/// `wanted` (output names other than `nixosConfigurations`) as they are written in the
/// `outputs` of `dir/flake.nix`.
pub fn carry(dir: &Path, wanted: &[String]) -> Carried {
    let mut carried = Carried {
        text: None,
        carried: Vec::new(),
        not_carried: Vec::new(),
    };
    let not_written = |why: &str| -> Vec<(String, String)> {
        wanted.iter().map(|w| (w.clone(), why.to_owned())).collect()
    };
    let Ok(text) = std::fs::read_to_string(dir.join("flake.nix")) else {
        carried.not_carried = not_written("flake.nix cannot be read");
        return carried;
    };
    let Some((param, bindings, set)) = outputs_parts(&text) else {
        carried.not_carried =
            not_written("`outputs` is not a function returning an attribute set (under `let`)");
        return carried;
    };
    // Each carried entry with where it starts, to keep the order they were written in.
    let mut entries: Vec<(usize, String)> = Vec::new();
    let mut reads: BTreeSet<String> = BTreeSet::new();
    for name in wanted {
        let mut found = false;
        for entry in set.entries() {
            match &entry {
                ast::Entry::AttrpathValue(value) => {
                    // The output's own name is the first segment; those after it may be
                    // computed (`packages.${system}.default`).
                    let first = value
                        .attrpath()
                        .and_then(|p| p.attrs().next())
                        .as_ref()
                        .and_then(attr_name);
                    if first.as_deref() == Some(name.as_str()) {
                        found = true;
                        if let Some(v) = value.value() {
                            reads
                                .extend(crate::nix::free_variables(&v.syntax().text().to_string()));
                        }
                        for attr in value.attrpath().iter().flat_map(|p| p.attrs()) {
                            if let ast::Attr::Dynamic(dynamic) = attr {
                                let name = dynamic.expr().map(|e| e.syntax().text().to_string());
                                reads.extend(crate::nix::free_variables(&name.unwrap_or_default()));
                            }
                        }
                        entries.push((start(value.syntax()), reindented(&text, value.syntax())));
                    }
                }
                ast::Entry::Inherit(inherit) => {
                    let names: Vec<String> = inherit
                        .attrs()
                        .map(|a| a.syntax().text().to_string())
                        .collect();
                    if names.contains(name) {
                        found = true;
                        let from = inherit.from().and_then(|f| f.expr());
                        match &from {
                            Some(from) => {
                                let from = from.syntax().text().to_string();
                                reads.extend(crate::nix::free_variables(&from));
                                entries.push((
                                    start(inherit.syntax()),
                                    format!("inherit ({from}) {name};"),
                                ));
                            }
                            None => {
                                reads.insert(name.clone());
                                entries.push((start(inherit.syntax()), format!("inherit {name};")));
                            }
                        }
                    }
                }
            }
        }
        if found {
            carried.carried.push(name.clone());
        } else {
            carried.not_carried.push((
                name.clone(),
                "it is not an attribute of the attribute set `outputs` returns (it comes from a function or a `//`)".to_owned(),
            ));
        }
    }
    if entries.is_empty() {
        return carried;
    }
    let kept = needed(&bindings, reads);
    let mut out = String::from(
        "# The outputs of the original flake.nix that flakesmith does not write, as they were\n\
         # written there (with the `let` bindings they use). The generated flake.nix joins\n\
         # them with its own.\n",
    );
    function_with_lets(&mut out, &param, &kept);
    out.push_str("{\n");
    entries.sort_by_key(|(at, _)| *at);
    for (_, entry) in entries {
        out.push_str("  ");
        out.push_str(&entry);
        out.push('\n');
    }
    out.push_str("}\n");
    carried.text = Some(out);
    carried
}

/// The bindings `reads` names, and those they read in turn, in their order.
fn needed(bindings: &[Binding], reads: BTreeSet<String>) -> Vec<&Binding> {
    let mut needed = reads;
    loop {
        let before = needed.len();
        for binding in bindings {
            if binding.names.iter().any(|n| needed.contains(n)) {
                needed.extend(binding.reads.iter().cloned());
            }
        }
        if needed.len() == before {
            break;
        }
    }
    bindings
        .iter()
        .filter(|b| b.names.iter().any(|n| needed.contains(n)))
        .collect()
}

/// A package set `flake.nix` builds in a `let` of `outputs` (`pkgs = import nixpkgs {
/// inherit overlays system; config.allowUnfree = true; };`), as a file of its own for
/// [`Host::package_set`](crate::model::Host::package_set): a function of the same
/// arguments as `outputs`, with the bindings it reads, returning it. The binding is the
/// one named `name`, or the one written at `at` (a line and column Nix reports inside
/// its value). Its name and the file's text; `None` where no such binding is there.
pub fn package_set(dir: &Path, at: (usize, usize)) -> Option<(String, String)> {
    let text = std::fs::read_to_string(dir.join("flake.nix")).ok()?;
    let (param, bindings, _) = outputs_parts(&text)?;
    let offset = offset_of(&text, at)?;
    let binding = bindings
        .iter()
        .find(|b| b.names.len() == 1 && b.imports_with_arguments && b.range.contains(&offset))?;
    let name = binding.names[0].clone();
    Some((
        name.clone(),
        package_set_file(&param, &bindings, &name, &name),
    ))
}

/// The package set a `let` of `outputs` named `name` holds (`pkgs = import nixpkgs {
/// ... };`, given as `nixosSystem { inherit pkgs; }`), as a file of its own. Its text.
pub fn package_set_named(dir: &Path, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join("flake.nix")).ok()?;
    let (param, bindings, _) = outputs_parts(&text)?;
    bindings
        .iter()
        .any(|b| b.names.len() == 1 && b.names[0] == name)
        .then(|| package_set_file(&param, &bindings, name, name))
}

/// A package set a file of the flake builds (`pkgsBySystem = genAttrs systems (system:
/// import inputs.nixpkgs { ... });` in `lib/default.nix`, at `at`), given to
/// `nixosSystem` in that same file as `pkgs = pkgsBySystem.${system};` (or `inherit
/// pkgs;`) on line `given_line`, where `flake.nix` imports the file in a `let` of
/// `outputs` (`lib = import ./lib inputs;`): as a file of its own, the set of `system`
/// through that binding (`lib.pkgsBySystem."x86_64-linux"`). Its name and text.
pub fn package_set_through(
    dir: &Path,
    file: &str,
    at: (usize, usize),
    given_line: usize,
    system: &str,
) -> Option<(String, String)> {
    let text = std::fs::read_to_string(dir.join(file)).ok()?;
    let root = rnix::Root::parse(&text).tree();
    // The outermost attribute whose value holds the `import nixpkgs { ... }`.
    let offset = rowan::TextSize::try_from(offset_of(&text, at)?).ok()?;
    let holder = root
        .syntax()
        .descendants()
        .filter_map(ast::AttrpathValue::cast)
        .find(|entry| entry.syntax().text_range().contains(offset))?;
    let name = single_name(&holder)?;
    // What the call gives: `pkgs = <name>;`, `pkgs = <name>.${system};`.
    let line_start = offset_of(&text, (given_line, 1))?;
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |n| line_start + n);
    let given = root
        .syntax()
        .descendants()
        .filter_map(ast::AttrpathValue::cast)
        .find(|entry| {
            let start = usize::from(entry.syntax().text_range().start());
            (line_start..=line_end).contains(&start)
                && single_name(entry).as_deref() == Some("pkgs")
        });
    let per_system = match given.and_then(|g| g.value()).map(unparen) {
        Some(ast::Expr::Ident(ident)) if ident.syntax().text() == name.as_str() => false,
        Some(ast::Expr::Select(select)) => {
            let base = select.expr().map(unparen);
            let path: Vec<ast::Attr> = select.attrpath()?.attrs().collect();
            matches!(base, Some(ast::Expr::Ident(i)) if i.syntax().text() == name.as_str())
                && matches!(path.as_slice(), [ast::Attr::Dynamic(_)])
                && select.default_expr().is_none()
        }
        None if name == "pkgs" => false,
        _ => return None,
    };
    // The `let` of `outputs` that imports the file.
    let flake = std::fs::read_to_string(dir.join("flake.nix")).ok()?;
    let (param, bindings, _) = outputs_parts(&flake)?;
    let binding = bindings.iter().find(|b| {
        b.names.len() == 1
            && b.imports_file.as_deref().is_some_and(|path| {
                let target = crate::carry::resolve("flake.nix", path);
                target.as_deref() == Some(file)
                    || target.is_some_and(|t| format!("{t}/default.nix") == file)
            })
    })?;
    let through = &binding.names[0];
    let body = if per_system {
        format!("{through}.{name}.{}", crate::nix::double_quoted(system))
    } else {
        format!("{through}.{name}")
    };
    Some((
        body.clone(),
        package_set_file(&param, &bindings, through, &body),
    ))
}

/// The file of a package set: `outputs`' arguments, the bindings `from` needs, `body`.
fn package_set_file(param: &str, bindings: &[Binding], from: &str, body: &str) -> String {
    let kept = needed(bindings, BTreeSet::from([from.to_owned()]));
    let mut out = String::from(
        "# The package set the original flake.nix builds for its hosts, as it was written\n\
         # there (with the `let` bindings it uses).\n",
    );
    function_with_lets(&mut out, param, &kept);
    out.push_str(body);
    out.push('\n');
    out
}

/// The byte offset of a line and column Nix reports (both from 1).
fn offset_of(text: &str, (line, column): (usize, usize)) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    Some(start + column.checked_sub(1)?)
}

/// The name an entry binds, where it is one plain name.
fn single_name(entry: &ast::AttrpathValue) -> Option<String> {
    let mut attrs = entry.attrpath()?.attrs();
    let name = attr_name(&attrs.next()?)?;
    attrs.next().is_none().then_some(name)
}

/// The path literal `expr` imports (`import ./lib inputs`, `import ./lib`).
fn imported_path(expr: &ast::Expr) -> Option<String> {
    let mut expr = unparen(expr.clone());
    loop {
        let ast::Expr::Apply(apply) = expr else {
            return None;
        };
        let lambda = apply.lambda().map(unparen)?;
        if matches!(&lambda, ast::Expr::Ident(i) if i.syntax().text() == "import") {
            return match apply.argument().map(unparen)? {
                ast::Expr::PathRel(path) => Some(path.syntax().text().to_string()),
                _ => None,
            };
        }
        expr = lambda;
    }
}

/// `<param>:` and a `let` of `kept` (when there are any), before a body.
fn function_with_lets(out: &mut String, param: &str, kept: &[&Binding]) {
    out.push_str(param);
    out.push_str(":\n");
    if !kept.is_empty() {
        out.push_str("let\n");
        for binding in kept {
            out.push_str("  ");
            out.push_str(&binding.text);
            out.push('\n');
        }
        out.push_str("in\n");
    }
}

/// Whether `expr` is `import <source> { ... }`.
fn is_import_call(expr: &ast::Expr) -> bool {
    let ast::Expr::Apply(outer) = unparen(expr.clone()) else {
        return false;
    };
    let Some(ast::Expr::Apply(inner)) = outer.lambda().map(unparen) else {
        return false;
    };
    matches!(outer.argument().map(unparen), Some(ast::Expr::AttrSet(_)))
        && matches!(inner.lambda().map(unparen), Some(ast::Expr::Ident(i)) if i.syntax().text() == "import")
}

/// Where `node` starts in its file.
fn start(node: &rowan::SyntaxNode<rnix::NixLanguage>) -> usize {
    node.text_range().start().into()
}

/// All of a flake-parts flake's outputs but `nixosConfigurations`: its `outputs`, as
/// written, evaluated by flake-parts in the generated flake (`removeAttrs` of what
/// `mkFlake` returns), so that its collections of modules (`flake.nixosModules.<name>`,
/// which the regenerated hosts import as `inputs.self.nixosModules.<name>`), its
/// per-system outputs and anything else it defines stay as they were. `wanted` names the
/// outputs the evaluation found, for the report.
pub fn carry_flake_parts(dir: &Path, wanted: &[String]) -> Carried {
    let mut carried = Carried {
        text: None,
        carried: Vec::new(),
        not_carried: Vec::new(),
    };
    let Some(outputs) = std::fs::read_to_string(dir.join("flake.nix"))
        .ok()
        .and_then(|text| outputs_value(&text))
    else {
        carried.not_carried = wanted
            .iter()
            .map(|w| {
                (
                    w.clone(),
                    "`outputs` cannot be found in flake.nix".to_owned(),
                )
            })
            .collect();
        return carried;
    };
    carried.carried = wanted.to_vec();
    carried.text = Some(format!(
        "# The outputs of the original flake.nix (built with flake-parts) but the hosts,\n\
         # which flakesmith writes: its `outputs` as it was written there, evaluated by\n\
         # flake-parts. The generated flake.nix joins them with its own.\n\
         inputs:\n\
         builtins.removeAttrs ({outputs} inputs) [ \"nixosConfigurations\" ]\n"
    ));
    carried
}

/// The value of `outputs` in `flake.nix`'s text, reindented to the first level.
fn outputs_value(text: &str) -> Option<String> {
    let value = outputs_expr(text)?;
    Some(format!("({})", reindented(text, value.syntax())))
}

/// What `outputs` is bound to in `flake.nix`'s text.
fn outputs_expr(text: &str) -> Option<ast::Expr> {
    let root = rnix::Root::parse(text).tree().expr()?;
    let ast::Expr::AttrSet(flake) = unparen(root) else {
        return None;
    };
    let outputs = flake.attrpath_values().find(|entry| {
        entry.attrpath().as_ref().and_then(attrpath).as_deref() == Some(&["outputs".to_owned()])
    })?;
    outputs.value()
}

/// `outputs`' argument pattern (as written), the bindings of the `let`s around its
/// attribute set, and that set.
fn outputs_parts(text: &str) -> Option<(String, Vec<Binding>, ast::AttrSet)> {
    let ast::Expr::Lambda(lambda) = unparen(outputs_expr(text)?) else {
        return None;
    };
    let param = reindented(text, lambda.param()?.syntax());
    let mut bindings = Vec::new();
    let mut body = unparen(lambda.body()?);
    while let ast::Expr::LetIn(let_in) = body {
        for entry in let_in.entries() {
            bindings.push(binding(text, &entry));
        }
        body = unparen(let_in.body()?);
    }
    let ast::Expr::AttrSet(set) = body else {
        return None;
    };
    Some((param, bindings, set))
}

fn binding(text: &str, entry: &ast::Entry) -> Binding {
    match entry {
        ast::Entry::AttrpathValue(value) => Binding {
            names: value
                .attrpath()
                .and_then(|p| p.attrs().next())
                .map(|a| vec![a.syntax().text().to_string()])
                .unwrap_or_default(),
            text: reindented(text, value.syntax()),
            reads: value
                .value()
                .map(|v| crate::nix::free_variables(&v.syntax().text().to_string()))
                .unwrap_or_default(),
            range: value.syntax().text_range().into(),
            imports_with_arguments: value.value().is_some_and(|v| is_import_call(&v)),
            imports_file: value.value().and_then(|v| imported_path(&v)),
        },
        ast::Entry::Inherit(inherit) => {
            let names: Vec<String> = inherit
                .attrs()
                .map(|a| a.syntax().text().to_string())
                .collect();
            let reads = match inherit.from().and_then(|f| f.expr()) {
                Some(from) => crate::nix::free_variables(&from.syntax().text().to_string()),
                None => names.iter().cloned().collect(),
            };
            Binding {
                names,
                text: reindented(text, inherit.syntax()),
                reads,
                range: inherit.syntax().text_range().into(),
                imports_with_arguments: false,
                imports_file: None,
            }
        }
    }
}

/// The node's text with its continuation lines moved left by the node's own column, and
/// two spaces in (it lands at the first level of the carried file).
fn reindented(text: &str, node: &rnix::SyntaxNode) -> String {
    let start = usize::from(node.text_range().start());
    let column = start - text[..start].rfind('\n').map_or(0, |i| i + 1);
    let own = node.text().to_string();
    let mut lines = own.split('\n');
    let mut out = lines.next().unwrap_or_default().to_owned();
    for line in lines {
        out.push('\n');
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if !line.trim().is_empty() {
            out.push_str("  ");
            out.push_str(&line[spaces.min(column)..]);
        }
    }
    out
}
