//! Turning read definitions into Rust calls: typed when a binding exists and the value
//! fits its type, `Raw::nix` with the reason otherwise. Each call carries the comments
//! above its definition and, when raw, a `// TODO(import)` line with its `file:line`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::bindgen::types::{DataFormat, IntKind, OptionType};
use crate::bindgen::{Binding, Index};

use super::syntax::{Entry, Priority, Value};

/// The option names of the bindings a definition may use (NixOS's and those of other
/// flakes' modules, or Home Manager's), for matching definition paths, with `<name>`
/// standing for any segment.
pub struct Options<'i> {
    sets: Vec<OptionSet<'i>>,
}

struct OptionSet<'i> {
    /// `flakesmith_nixos`, `flakesmith_inputs::sops_nix`, `flakesmith_home`.
    root: &'static str,
    index: &'i Index,
    prefixes: BTreeSet<String>,
}

/// An option a definition sets: its binding, the bindings' root and the `<name>`s.
struct Found<'i> {
    root: &'static str,
    index: &'i Index,
    binding: &'i Binding,
    names: Vec<String>,
}

impl<'i> Options<'i> {
    pub fn new(sets: &[(&'static str, &'i Index)]) -> Self {
        let sets = sets
            .iter()
            .map(|&(root, index)| {
                let mut prefixes = BTreeSet::new();
                for name in index.options.keys() {
                    let segments: Vec<&str> = name.split('.').collect();
                    for end in 1..=segments.len() {
                        prefixes.insert(segments[..end].join("."));
                    }
                }
                OptionSet {
                    root,
                    index,
                    prefixes,
                }
            })
            .collect();
        Self { sets }
    }

    /// The option `path` is, in the first set of bindings that has it.
    fn find(&self, path: &[String]) -> Option<Found<'i>> {
        self.sets.iter().find_map(|set| {
            let (binding, names) = set.find(path)?;
            Some(Found {
                root: set.root,
                index: set.index,
                binding,
                names,
            })
        })
    }
}

impl<'i> OptionSet<'i> {
    /// Whether options are declared below `path` (so an attribute set there is a
    /// namespace, or a submodule's value, to read one option at a time).
    fn has_below(&self, path: &[String]) -> bool {
        fn walk(set: &OptionSet, path: &[String], key: String) -> bool {
            let Some((head, rest)) = path.split_first() else {
                let below = format!("{key}.");
                return set
                    .prefixes
                    .range(below.clone()..)
                    .next()
                    .is_some_and(|next| next.starts_with(&below));
            };
            let join = |segment: &str| {
                if key.is_empty() {
                    segment.to_owned()
                } else {
                    format!("{key}.{segment}")
                }
            };
            let exact = join(head);
            if !head.contains('.') && set.prefixes.contains(&exact) && walk(set, rest, exact) {
                return true;
            }
            let named = join("<name>");
            set.prefixes.contains(&named) && walk(set, rest, named)
        }
        walk(self, path, String::new())
    }

    fn find(&self, path: &[String]) -> Option<(&'i Binding, Vec<String>)> {
        fn walk<'i>(
            set: &OptionSet<'i>,
            path: &[String],
            key: String,
            names: Vec<String>,
        ) -> Option<(&'i Binding, Vec<String>)> {
            let Some((head, rest)) = path.split_first() else {
                return set.index.options.get(&key).map(|b| (b, names));
            };
            let join = |segment: &str| {
                if key.is_empty() {
                    segment.to_owned()
                } else {
                    format!("{key}.{segment}")
                }
            };
            // A segment with a dot cannot be part of an option name split on dots.
            if !head.contains('.') {
                let exact = join(head);
                if set.prefixes.contains(&exact) {
                    if let Some(found) = walk(set, rest, exact, names.clone()) {
                        return Some(found);
                    }
                }
            }
            let named = join("<name>");
            if set.prefixes.contains(&named) {
                let mut names = names;
                names.push(head.clone());
                return walk(set, rest, named, names);
            }
            None
        }
        walk(self, path, String::new(), Vec::new())
    }
}

/// One definition at the path it sets.
#[derive(Clone, Debug)]
pub struct Leaf {
    pub path: Vec<String>,
    pub value: Value,
    pub text: String,
    pub line: usize,
    pub comments: Vec<String>,
}

/// The definitions of `entries` one option at a time: attribute sets are descended into
/// until the path is an option (whose value an attribute set may be) or leaves what
/// the bindings know.
pub fn leaves(options: &Options, prefix: &[String], entries: Vec<Entry>, out: &mut Vec<Leaf>) {
    for entry in entries {
        let mut path = prefix.to_vec();
        path.extend(entry.path);
        let descend =
            options.find(&path).is_none() || options.sets.iter().any(|set| set.has_below(&path));
        match entry.value {
            Value::Attrs(inner) if descend && !inner.is_empty() => {
                let mut inner = inner;
                // The comments above `a = { ... }` belong to its first definition.
                if let Some(first) = inner.first_mut() {
                    let mut comments = entry.comments;
                    comments.append(&mut first.comments);
                    first.comments = comments;
                }
                leaves(options, &path, inner, out);
            }
            value => out.push(Leaf {
                path,
                value,
                text: entry.text,
                line: entry.line,
                comments: entry.comments,
            }),
        }
    }
}

/// A Rust call on a host, module or user (`.set(..., ...)`), with what it says above it.
#[derive(Clone, Debug)]
pub struct Call {
    pub comments: Vec<String>,
    /// `Some(reason)` for a raw definition.
    pub raw: Option<String>,
    pub code: String,
    /// Where the definition was (`hosts/desk/default.nix:12`).
    pub source: String,
    /// The option's name says it holds a secret and the value is a plain string, which
    /// flakesmith rejects unless allowed: the original has it, so the import allows it
    /// where it is (and says so).
    pub plaintext_secret: bool,
}

/// The options of the derived module whose `config` a definition is in: `cfg.<x>` of a
/// field whose type is the option's is the typed `cfg.<field>`.
pub type CfgFields<'d> = &'d [(String, String, OptionType)];

/// Converts one definition.
pub fn call(options: &Options, leaf: &Leaf, file: &str) -> Call {
    call_in(options, leaf, file, &[])
}

/// [`call`] inside a derived module's `config`, whose `cfg` fields are `cfg`: each is the
/// Nix name, the Rust field and the option type.
pub fn call_in(options: &Options, leaf: &Leaf, file: &str, cfg: CfgFields) -> Call {
    let source = format!("{file}:{}", leaf.line);
    let comments = leaf.comments.clone();
    let (method, value) = match &leaf.value {
        Value::Priority(priority, inner) => (Some(*priority), inner.as_ref()),
        value => (None, value),
    };
    let plaintext_secret = matches!(value, Value::Str(_))
        && leaf
            .path
            .last()
            .is_some_and(|name| crate::check::is_secret_name(name));
    let found = options.find(&leaf.path);
    let binding = found.as_ref().map(|f| f.binding);
    let handle = found
        .as_ref()
        .filter(|f| !f.binding.read_only)
        .map(|f| handle(f.root, f.binding, &f.names));
    let typed = found
        .as_ref()
        .filter(|f| !f.binding.read_only)
        .and_then(|f| {
            cfg_field(value, &f.binding.option_type, cfg).or_else(|| {
                typed_value(
                    options,
                    f,
                    value,
                    &f.binding.option_type,
                    Named::of(f.binding),
                )
            })
        });
    // A plain definition of one entry of an option whose value is a set of settings
    // (`nix.settings.experimental-features`, `services.x.settings.dns.base_domain`):
    // that option, given a set holding the entry. A priority stays raw, since on the
    // whole set it would rank every entry of this definition.
    let (handle, typed) = match (&found, method) {
        (None, None) => match entry_of_settings(options, &leaf.path, value) {
            Some((entry_handle, entry)) => (Some(entry_handle), Some(entry)),
            None => (handle, typed),
        },
        _ => (handle, typed),
    };
    let method_name = |typed_list: bool| match method {
        None => "set".to_owned(),
        Some(Priority::Default) => "default".to_owned(),
        Some(Priority::Force) => "force".to_owned(),
        Some(Priority::Override(n)) => format!("with_priority({n}, "),
        Some(Priority::Before) if typed_list => "prepend".to_owned(),
        Some(Priority::After) if typed_list => "append".to_owned(),
        Some(Priority::Before | Priority::After) => String::new(),
    };
    let render = |name: String, handle: &str, value: &str| {
        if let Some(rest) = name.strip_suffix(", ") {
            format!(".{rest}, {handle}, {value})")
        } else {
            format!(".{name}({handle}, {value})")
        }
    };
    if let (Some(handle), Some(typed)) = (&handle, &typed) {
        let is_list = matches!(binding.map(|b| &b.option_type), Some(OptionType::ListOf(_)));
        let name = method_name(is_list);
        if !name.is_empty() && (typed != "null" || method.is_none()) {
            let code = if typed == "null" {
                format!(".set_null({handle})")
            } else {
                render(name, handle, typed)
            };
            return Call {
                comments,
                raw: None,
                code,
                source,
                plaintext_secret,
            };
        }
    }
    // Raw: the exact text (a priority wrapper stays in it unless it became a method).
    let reason = raw_reason(&leaf.value, binding);
    let handle = handle.unwrap_or_else(|| {
        let segments: Vec<String> = leaf.path.iter().map(|s| format!("{s:?}")).collect();
        format!("Opt::untyped(&[{}])", segments.join(", "))
    });
    // `mkDefault`, `mkForce` and `mkOverride` around a raw value become the method, with
    // the argument raw; anything else is raw whole.
    let (name, text) = match (method, inner_text(&leaf.text)) {
        (Some(Priority::Default | Priority::Force | Priority::Override(_)), Some(inner)) => {
            (method_name(false), inner)
        }
        // A raw value's own text: what was written, or with the `let` bindings it needs.
        _ => match &leaf.value {
            Value::Raw { text, .. } => ("set".to_owned(), text.clone()),
            _ => ("set".to_owned(), leaf.text.clone()),
        },
    };
    Call {
        comments,
        raw: Some(reason),
        code: render(name, &handle, &format!("Raw::nix({})", rust_string(&text))),
        source,
        plaintext_secret,
    }
}

/// `cfg.x` of a field whose type is `t`: `cfg.<field>`.
fn cfg_field(value: &Value, t: &OptionType, cfg: CfgFields) -> Option<String> {
    let Value::Raw { text, .. } = value else {
        return None;
    };
    let name = text.trim().strip_prefix("cfg.")?;
    // A `CfgRef<T>` sets an option of type `T` or `null or T`.
    let fits = |field_type: &OptionType| match t {
        OptionType::NullOr(inner) => **inner == *field_type || t == field_type,
        _ => t == field_type,
    };
    cfg.iter()
        .find(|(nix, _, field_type)| nix == name && fits(field_type))
        .map(|(_, rust, _)| format!("cfg.{rust}"))
}

/// `lib.mkDefault (x)` → `x`: the argument's text of a priority call.
fn inner_text(text: &str) -> Option<String> {
    use rowan::ast::AstNode;
    let parse = rnix::Root::parse(text.trim());
    let rnix::ast::Expr::Apply(apply) = super::syntax::unparen(parse.tree().expr()?) else {
        return None;
    };
    Some(apply.argument()?.syntax().text().to_string())
}

fn raw_reason(value: &Value, binding: Option<&Binding>) -> String {
    let inner = match value {
        Value::Priority(_, inner) => inner.as_ref(),
        other => other,
    };
    match (binding, inner) {
        (_, Value::Raw { reason, .. }) => (*reason).to_owned(),
        (None, _) => "no binding names this option".to_owned(),
        (Some(b), _) if b.read_only => "the option is read-only".to_owned(),
        (Some(b), _)
            if matches!(
                value,
                Value::Priority(Priority::Before | Priority::After, _)
            ) =>
        {
            format!(
                "`mkBefore`/`mkAfter` on an option of type `{}`",
                b.option_type
            )
        }
        (Some(b), Value::Priority(..)) => {
            format!("nested priorities on an option of type `{}`", b.option_type)
        }
        (Some(b), _) => format!(
            "the value does not fit the option's type `{}` as the importer reads it",
            b.option_type
        ),
    }
}

/// The handle's Rust expression: the binding's path with the `<name>` segments filled in.
fn handle(root: &str, binding: &Binding, names: &[String]) -> String {
    let mut out = format!("{root}::");
    let mut names = names.iter();
    let mut pieces = binding.handle.split("{}").peekable();
    while let Some(piece) = pieces.next() {
        out.push_str(piece);
        if pieces.peek().is_some() {
            out.push_str(&rust_string(names.next().map_or("", String::as_str)));
        }
    }
    out
}

/// A Rust string literal.
pub fn rust_string(text: &str) -> String {
    format!("{text:?}")
}

/// The longest option above `path` and, when its type holds settings by name (an
/// attribute set of them, freeform data), its handle and a typed value holding just
/// `value` at the rest of `path`.
fn entry_of_settings(
    options: &Options,
    path: &[String],
    value: &Value,
) -> Option<(String, String)> {
    let (end, found) = (1..path.len())
        .rev()
        .find_map(|end| Some((end, options.find(&path[..end])?)))?;
    if found.binding.read_only {
        return None;
    }
    let typed = entry_value(
        options,
        &found,
        &found.binding.option_type,
        &path[end..],
        value,
    )?;
    Some((handle(found.root, found.binding, &found.names), typed))
}

/// The value of type `t` that holds `value` at `rest` and nothing else.
fn entry_value(
    options: &Options,
    found: &Found,
    t: &OptionType,
    rest: &[String],
    value: &Value,
) -> Option<String> {
    let Some((key, more)) = rest.split_first() else {
        return typed_value(options, found, value, t, Named::of(found.binding));
    };
    match t {
        OptionType::NullOr(inner) => entry_value(options, found, inner, rest, value),
        OptionType::AttrsOf(inner) => {
            let entry = entry_value(options, found, inner, more, value)?;
            (entry != "null" && entry != "Empty")
                .then(|| format!("[({}, {entry})]", rust_string(key)))
        }
        OptionType::Data(format) if format.holds_attrs() => {
            let inner = data_value(*format, value, false)?;
            Some(rest.iter().rev().fold(as_data(inner), |nested, key| {
                format!("Data::attrs([({}, {nested})])", rust_string(key))
            }))
        }
        _ => None,
    }
}

/// `value` as freeform data in `format` (`Data<F>` in Rust): scalars as themselves,
/// lists and attribute sets where the format holds them. `None` for what it cannot hold
/// or the importer does not read (a priority, raw Nix, a path, two entries of one name).
fn data_value(format: DataFormat, value: &Value, in_list: bool) -> Option<String> {
    match value {
        Value::Null if format.holds_null() => Some("Data::null()".to_owned()),
        Value::Bool(b) => Some(b.to_string()),
        // A literal beyond `i32` is given its type, which Rust would not infer.
        Value::Int(n) if i32::try_from(*n).is_ok() => Some(n.to_string()),
        Value::Int(n) => Some(format!("{n}i64")),
        Value::Float(f) if f.is_finite() => Some(format!("{f:?}")),
        Value::Str(s) => Some(rust_string(s)),
        Value::Package(name) => Some(format!("Package::new({})", rust_string(name))),
        Value::List(items)
            if format.holds_lists()
                && (!in_list || format.holds_nested_lists())
                && !items.is_empty() =>
        {
            let rendered: Vec<String> = items
                .iter()
                .map(|item| data_value(format, item, true))
                .collect::<Option<_>>()?;
            Some(format!("[{}]", same_type(items, rendered).join(", ")))
        }
        Value::Attrs(entries) if format.holds_attrs() && !entries.is_empty() => {
            let mut keys = BTreeSet::new();
            let pairs: Vec<String> = entries
                .iter()
                .map(|entry| {
                    let (first, more) = entry.path.split_first()?;
                    // `a.b = 1; a.c = 2;` would be two sets of `a`: left to Nix.
                    if !keys.insert(first.clone()) {
                        return None;
                    }
                    let inner = data_value(format, &entry.value, false)?;
                    let nested = more.iter().rev().fold(as_data(inner), |nested, key| {
                        format!("Data::attrs([({}, {nested})])", rust_string(key))
                    });
                    Some(format!("({}, {nested})", rust_string(first)))
                })
                .collect::<Option<_>>()?;
            Some(format!("Data::attrs([{}])", pairs.join(", ")))
        }
        _ => None,
    }
}

/// Rendered data values as the items of one Rust array: as they are when all are
/// scalars of one kind, else each as `Data::of(...)`.
fn same_type<'v>(
    values: impl IntoIterator<Item = &'v Value>,
    rendered: Vec<String>,
) -> Vec<String> {
    let kind = |value: &Value| match value {
        Value::Bool(_) => Some(0),
        Value::Int(_) => Some(1),
        Value::Float(_) => Some(2),
        Value::Str(_) => Some(3),
        Value::Package(_) => Some(4),
        _ => None,
    };
    let mut kinds = values.into_iter().map(kind);
    let first = kinds.next().flatten();
    if first.is_some() && kinds.all(|k| k == first) {
        rendered
    } else {
        rendered.into_iter().map(as_data).collect()
    }
}

/// A rendered data value as a `Data<F>` expression.
fn as_data(rendered: String) -> String {
    if rendered.starts_with("Data::") {
        rendered
    } else {
        format!("Data::of({rendered})")
    }
}

/// The types the bindings named for an option's values: the enum its strings are, the
/// struct its submodule values are (Rust paths below the bindings' root).
#[derive(Clone, Copy, Default)]
struct Named<'b> {
    enum_type: Option<&'b str>,
    value_type: Option<&'b str>,
}

impl<'b> Named<'b> {
    fn of(binding: &'b Binding) -> Self {
        Self {
            enum_type: binding.enum_type.as_deref(),
            value_type: binding.value_type.as_deref(),
        }
    }
}

/// The typed Rust value of `value` for an option of type `t` (as its Rust type takes
/// values: `Data` is freeform data), or `None` when it does not fit (or the importer
/// cannot say it does). `null` is returned as `"null"`.
fn typed_value(
    options: &Options,
    found: &Found,
    value: &Value,
    t: &OptionType,
    named: Named,
) -> Option<String> {
    match (t, value) {
        (OptionType::NullOr(_), Value::Null) => Some("null".to_owned()),
        (OptionType::NullOr(inner), value) => typed_value(options, found, value, inner, named),
        (OptionType::Data(format), value) => data_value(*format, value, false),
        (OptionType::Bool, Value::Bool(b)) => Some(b.to_string()),
        (OptionType::Str | OptionType::Matching(_) | OptionType::Concatenated, Value::Str(s)) => {
            Some(rust_string(s))
        }
        // A union takes a value of any member the bindings state (a string, a bool, an
        // integer that fits, a package, an absolute path, one of its enum's strings, a submodule value);
        // freeform data in a union is typed as the data.
        (OptionType::Union(members), value)
            if !members.iter().any(|m| matches!(m, OptionType::Data(_))) =>
        {
            members.iter().find_map(|member| match (member, value) {
                (
                    OptionType::Str | OptionType::Matching(_) | OptionType::Concatenated,
                    Value::Str(_),
                )
                | (OptionType::Bool, Value::Bool(_))
                | (OptionType::Int(_), Value::Int(_))
                | (OptionType::Package, Value::Package(_))
                | (OptionType::Path, Value::Str(_)) => {
                    typed_value(options, found, value, member, Named::default())
                }
                (OptionType::Enum(_), Value::Str(_)) => typed_value(
                    options,
                    found,
                    value,
                    member,
                    Named {
                        value_type: None,
                        ..named
                    },
                ),
                (OptionType::Submodule, Value::Attrs(_)) => typed_value(
                    options,
                    found,
                    value,
                    member,
                    Named {
                        enum_type: None,
                        ..named
                    },
                ),
                _ => None,
            })
        }
        (OptionType::Int(kind), Value::Int(n)) if int_fits(*kind, *n) => Some(n.to_string()),
        (OptionType::Float | OptionType::Number, Value::Float(f)) if f.is_finite() => {
            Some(format!("{f:?}"))
        }
        (OptionType::Float | OptionType::Number, Value::Int(n)) => Some(format!("{n}.0")),
        (OptionType::Path, Value::Str(s)) if s.starts_with('/') => {
            Some(format!("RuntimePath::new({})", rust_string(s)))
        }
        (OptionType::Package, Value::Package(name)) => {
            Some(format!("Package::new({})", rust_string(name)))
        }
        (OptionType::Enum(values), Value::Str(s)) if values.contains(s) => {
            let enum_type = named.enum_type?;
            let variant = found.index.variant(enum_type, s)?;
            Some(format!("{}::{enum_type}::{variant}", found.root))
        }
        // `{ }` too: an entry that only has to be there (`users.groups.media = { };`).
        (OptionType::Submodule, Value::Attrs(entries)) => {
            submodule_value(options, found, entries, named.value_type?)
        }
        (t, Value::Raw { text, .. }) => config_value(options, text, t),
        // `[ ]` and `{ }` fit every list and attribute-set type; `Empty` takes the
        // option's element type, which a Rust `[]` could not infer.
        (OptionType::ListOf(_), Value::List(items)) if items.is_empty() => Some("Empty".to_owned()),
        (OptionType::AttrsOf(_), Value::Attrs(entries)) if entries.is_empty() => {
            Some("Empty".to_owned())
        }
        (OptionType::AttrsOf(inner), Value::Attrs(entries)) => {
            let data = matches!(**inner, OptionType::Data(_));
            let rendered: Vec<String> = entries
                .iter()
                .map(|entry| typed_value(options, found, &entry.value, inner, named))
                .collect::<Option<_>>()?;
            let rendered = if data {
                same_type(entries.iter().map(|e| &e.value), rendered)
            } else {
                one_rust_type(inner, rendered)
            };
            let pairs: Option<Vec<String>> = entries
                .iter()
                .zip(rendered)
                .map(|(entry, typed)| {
                    match (entry.path.as_slice(), typed) {
                        // An element is one Rust type per array: `Empty` only stands alone.
                        ([key], typed) if typed != "null" && typed != "Empty" => {
                            Some(format!("({}, {typed})", rust_string(key)))
                        }
                        _ => None,
                    }
                })
                .collect();
            Some(format!("[{}]", pairs?.join(", ")))
        }
        (OptionType::ListOf(inner), Value::List(items)) => {
            let data = matches!(**inner, OptionType::Data(_));
            let rendered: Vec<String> = items
                .iter()
                .map(
                    |item| match typed_value(options, found, item, inner, named)? {
                        skipped if skipped == "null" || skipped == "Empty" => None,
                        typed => Some(typed),
                    },
                )
                .collect::<Option<_>>()?;
            let rendered = if data {
                same_type(items, rendered)
            } else {
                one_rust_type(inner, rendered)
            };
            Some(format!("[{}]", rendered.join(", ")))
        }
        _ => None,
    }
}

/// `config.a.b`, another option's value, as that option's handle's `.value()` where its
/// Rust type is the one `t` takes (or a string, for a path on the machine). Types the
/// bindings name (enums, structs, unions) are left raw: two options' are not one Rust
/// type.
fn config_value(options: &Options, text: &str, t: &OptionType) -> Option<String> {
    let parse = rnix::Root::parse(text.trim());
    if !parse.errors().is_empty() {
        return None;
    }
    let path = super::syntax::dotted(&super::syntax::unparen(parse.tree().expr()?))?;
    let (head, path) = path.split_first()?;
    if head != "config" || path.is_empty() {
        return None;
    }
    let source = options.find(path)?;
    let source_type = &source.binding.option_type;
    // A string option named `...File` is a `RuntimePath` in Rust, which only options of
    // its own kind take; the option types here do not tell it from `String`.
    let runtime_path = path.last().is_some_and(|name| name.ends_with("File"))
        && matches!(source_type, OptionType::Str | OptionType::NullOr(_));
    let (t, source_type) = (as_rust_holds(t), as_rust_holds(source_type));
    let optional = match &t {
        OptionType::NullOr(inner) => (**inner).clone(),
        t => t.clone(),
    };
    // A string also sets a path on the machine and a `lines` option (`ConfigValue`'s
    // conversions).
    let fits = optional == source_type
        || t == source_type
        || (source_type == OptionType::Str
            && matches!(optional, OptionType::Path | OptionType::Concatenated));
    (fits && !runtime_path && nameless(&source_type)).then(|| {
        format!(
            "{}.value()",
            handle(source.root, source.binding, &source.names)
        )
    })
}

/// `t` as far as its Rust type goes: a string matching a pattern is a `String`.
fn as_rust_holds(t: &OptionType) -> OptionType {
    match t {
        OptionType::Matching(_) => OptionType::Str,
        OptionType::NullOr(inner) => OptionType::NullOr(Box::new(as_rust_holds(inner))),
        OptionType::ListOf(inner) => OptionType::ListOf(Box::new(as_rust_holds(inner))),
        OptionType::AttrsOf(inner) => OptionType::AttrsOf(Box::new(as_rust_holds(inner))),
        t => t.clone(),
    }
}

/// Whether a value of `t` is of a Rust type that is the same wherever the type is (no
/// enum, struct or union marker of one option's, no untyped part).
fn nameless(t: &OptionType) -> bool {
    match t {
        OptionType::Bool
        | OptionType::Str
        | OptionType::Concatenated
        | OptionType::Matching(_)
        | OptionType::Int(_)
        | OptionType::Float
        | OptionType::Number
        | OptionType::NumberBetween
        | OptionType::Path
        | OptionType::Package
        | OptionType::Data(_) => true,
        OptionType::NullOr(inner) | OptionType::ListOf(inner) | OptionType::AttrsOf(inner) => {
            nameless(inner)
        }
        OptionType::Enum(_)
        | OptionType::Null
        | OptionType::Union(_)
        | OptionType::Submodule
        | OptionType::Tagged
        | OptionType::Function(_)
        | OptionType::Unknown(_) => false,
    }
}

/// A submodule's value as its struct in the bindings (`value_type`), a setter per
/// definition: `AddressesValue::new().address("10.0.0.2").prefix_length(24)`. `None`
/// where a definition is of no option the struct has, is not typed, or is given twice
/// (`a.b = 1; a.c = 2;` is left to Nix).
fn submodule_value(
    options: &Options,
    found: &Found,
    entries: &[Entry],
    value_type: &str,
) -> Option<String> {
    let setters = found.index.values.get(value_type)?;
    let mut seen = BTreeSet::new();
    let mut out = format!("{}::{value_type}::new()", found.root);
    for entry in entries {
        let (first, rest) = entry.path.split_first()?;
        if !seen.insert(first.as_str()) {
            return None;
        }
        let setter = setters.get(first)?;
        // `options.path = ./x;` is the nested group `options` holding `path`.
        let nested;
        let value = if rest.is_empty() {
            &entry.value
        } else {
            nested = Value::Attrs(vec![Entry {
                path: rest.to_vec(),
                ..entry.clone()
            }]);
            &nested
        };
        let typed = typed_value(
            options,
            found,
            value,
            &setter.option_type,
            Named::of(setter),
        )?;
        if typed == "null" {
            return None;
        }
        let _ = write!(out, ".{}({typed})", setter.handle);
    }
    Some(out)
}

/// Rendered values as the items of one Rust array of a union's values (`OneOf`): as they
/// are when all are written alike (all strings, all one struct), else each as
/// `OneOf::of(...)`.
fn one_rust_type(item_type: &OptionType, rendered: Vec<String>) -> Vec<String> {
    let is_union = match item_type {
        OptionType::NullOr(inner) => matches!(**inner, OptionType::Union(_)),
        t => matches!(t, OptionType::Union(_)),
    };
    // How a rendered value is written: its first character class, or the constructor
    // it calls (`RuntimePath::new`, `flakesmith_nixos::x::AddressesValue::new`).
    let written = |typed: &str| -> String {
        match typed.chars().next() {
            Some('"') => "string".to_owned(),
            Some(c) if c.is_ascii_digit() || c == '-' => {
                if typed.contains('.') { "float" } else { "int" }.to_owned()
            }
            _ if typed == "true" || typed == "false" => "bool".to_owned(),
            _ => typed.split('(').next().unwrap_or(typed).to_owned(),
        }
    };
    let first = rendered.first().map(|typed| written(typed));
    if !is_union || rendered.iter().all(|typed| Some(written(typed)) == first) {
        rendered
    } else {
        rendered
            .into_iter()
            .map(|typed| format!("OneOf::of({typed})"))
            .collect()
    }
}

fn int_fits(kind: IntKind, n: i64) -> bool {
    match kind {
        IntKind::Signed => true,
        IntKind::Unsigned => n >= 0,
        IntKind::U8 => (0..=255).contains(&n),
        IntKind::U16 => (0..=65535).contains(&n),
        IntKind::U32 => (0..=i64::from(u32::MAX)).contains(&n),
        // Bounded integers are typed by `Between`, whose values the importer does not
        // spell; they stay raw.
        IntKind::Between(..) | IntKind::Positive => false,
    }
}
