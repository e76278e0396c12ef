//! The Rust type of each option's value, and the types the bindings define for it.
//!
//! Scalars map to Rust scalars; `one of` to an enum; unions to [`OneOf`] over a marker
//! type that names the members; freeform settings to [`Data`] in their format; a
//! submodule (`list of (submodule)`, `attribute set of (submodule)`, `null or
//! (submodule)`) to a struct with a typed setter for each of its options, built from the
//! options the data declares below the collection (`*`, `<name>`).
//!
//! Types are written into the module that holds the option (one [`TypeDefs`] per
//! module), once per option node: an option that is both a method of an entry struct and
//! a field of a submodule value gets the same Rust type in both.
//!
//! [`OneOf`]: crate::value::OneOf
//! [`Data`]: crate::value::Data

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::docs::write_doc;
use super::json::OptionDoc;
use super::naming::{pascal_case, value_name, variant_name, Names};
use super::option_tree::Node;
use super::types::{parse_type, DataFormat, IntKind, OptionType};

/// Type names every generated file imports; a generated type may not take them.
pub(super) const IMPORTED_TYPES: &[&str] = &[
    "Opt",
    "OptionPath",
    "ReadOnly",
    "NullOr",
    "Package",
    "RuntimePath",
    "Concatenated",
    "Untyped",
    "BTreeMap",
    "Data",
    "OneOf",
    "Json",
    "Toml",
    "Atom",
    "AtomOrList",
    "Systemd",
    "Anything",
    "String",
    "Vec",
    "Between",
    "Positive",
];

/// A Rust type the bindings write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum RustType {
    /// A scalar, an imported value type, or a type the bindings define (`bool`,
    /// `RuntimePath`, `AuthProtocols`).
    Named(String),
    /// A generic type over its arguments (`Vec<T>`, `NullOr<T>`, `BTreeMap<String, T>`).
    Generic(&'static str, Vec<RustType>),
    /// Values flakesmith cannot check (`Untyped`), which Nix checks instead.
    Untyped,
}

impl RustType {
    /// The type the bindings named for the values at the heart of this one (`T` of `T`,
    /// `Vec<T>`, `NullOr<T>`, `OneOf<T>`, `BTreeMap<String, T>`), for the importer to
    /// find the enum, struct or union marker that writes them.
    pub(super) fn value_named(&self) -> Option<&str> {
        match self {
            Self::Named(name) => Some(name),
            Self::Generic("Vec" | "NullOr" | "OneOf", args) => args.first()?.value_named(),
            Self::Generic("BTreeMap", args) => args.get(1)?.value_named(),
            _ => None,
        }
    }

    fn named(name: impl Into<String>) -> Self {
        Self::Named(name.into())
    }

    /// This type with every `String` in it a `RuntimePath`, for `String` and
    /// `NullOr<String>` only; `None` for any other type.
    fn string_as_runtime_path(&self) -> Option<Self> {
        let string = Self::named("String");
        let path = Self::named("RuntimePath");
        match self {
            t if *t == string => Some(path),
            Self::Generic("NullOr", args) if args[..] == [string.clone()] => {
                Some(Self::Generic("NullOr", vec![path]))
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for RustType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Named(name) => f.write_str(name),
            Self::Untyped => f.write_str("Untyped"),
            Self::Generic(outer, args) => {
                write!(f, "{outer}<")?;
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{arg}")?;
                }
                f.write_str(">")
            }
        }
    }
}

/// The Rust type of a value, and whether it rejects every wrong value (no `Untyped`
/// anywhere in it, no pattern left unchecked).
#[derive(Clone, Debug)]
pub(super) struct Typed {
    pub rust: RustType,
    pub checked: bool,
}

impl Typed {
    fn plain(rust: impl Into<String>) -> Self {
        Self {
            rust: RustType::named(rust),
            checked: true,
        }
    }

    fn untyped() -> Self {
        Self {
            rust: RustType::Untyped,
            checked: false,
        }
    }

    /// Whether this is [`Typed::untyped`] itself (not a type that contains it).
    fn is_untyped(&self) -> bool {
        self.rust == RustType::Untyped
    }

    /// `Outer<T>` around this type.
    fn wrap(self, outer: &'static str) -> Self {
        Self {
            rust: RustType::Generic(outer, vec![self.rust]),
            checked: self.checked,
        }
    }
}

/// The Rust type of a freeform settings value in `format`.
fn data(format: DataFormat) -> Typed {
    Typed {
        rust: RustType::Generic("Data", vec![RustType::named(format.rust_name())]),
        checked: true,
    }
}

/// One setter of a submodule value struct, for the importer: the option's name in the
/// submodule, the setter, the option's type as the setter takes values, and the type the
/// bindings named for it (an enum, a struct, a union marker), if any.
#[derive(Clone, Debug)]
pub(super) struct StructField {
    pub nix: String,
    pub setter: String,
    pub option_type: OptionType,
    pub named: Option<String>,
}

/// The types one generated module defines, and the options it made checked.
pub(super) struct TypeDefs {
    pub text: String,
    /// The enums this module defines, by name: each value with its variant.
    pub enums: BTreeMap<String, Vec<(String, String)>>,
    /// The submodule value structs this module defines, by name: their fields.
    pub structs: BTreeMap<String, Vec<StructField>>,
    /// The union markers this module defines, by name: the types a `union_member!` lets
    /// set the union (enums and submodule values of this module).
    pub unions: BTreeMap<String, Vec<String>>,
    /// Options set one by one through a checked Rust type in this module.
    pub checked: BTreeSet<String>,
    names: Names,
    /// By option node and type: a node's types are defined once.
    cache: HashMap<(usize, String), Typed>,
    pad: String,
}

impl TypeDefs {
    pub fn new(pad: &str) -> Self {
        let mut names = Names::default();
        for name in IMPORTED_TYPES {
            names.unique((*name).to_owned());
        }
        Self {
            text: String::new(),
            enums: BTreeMap::new(),
            structs: BTreeMap::new(),
            unions: BTreeMap::new(),
            checked: BTreeSet::new(),
            names,
            cache: HashMap::new(),
            pad: pad.to_owned(),
        }
    }

    /// The Rust type of `option`, whose node in the option tree is `node`.
    pub fn option_type(&mut self, option: &OptionDoc, node: &Node) -> Typed {
        let parsed = parse_type(&option.type_description);
        let segment = option.loc.last().map(String::as_str).unwrap_or("option");
        let mut typed = self.value_type(&parsed, Some(node), &pascal_case(segment), &option.name());
        // A string option named `...File` (`hashedPasswordFile`, `environmentFile`) holds
        // the path of a file on the machine: it takes `RuntimePath` and `Secret` values,
        // which string options that hold a secret itself do not.
        if segment.ends_with("File") {
            if let Some(path) = typed.rust.string_as_runtime_path() {
                typed.rust = path;
            }
        }
        typed
    }

    /// `node` holds the options of any submodule in `t` (its `*` and `<name>` children
    /// for lists and attribute sets of submodules); `hint` names generated types; `path`
    /// is the Nix path the docs name.
    fn value_type(&mut self, t: &OptionType, node: Option<&Node>, hint: &str, path: &str) -> Typed {
        let key = node.map(|n| (n as *const Node as usize, t.to_string()));
        if let Some(hit) = key.as_ref().and_then(|key| self.cache.get(key)) {
            return hit.clone();
        }
        let child = |segment: &str| node.and_then(|n| n.children.get(segment));
        let typed = match t {
            OptionType::Bool => Typed::plain("bool"),
            OptionType::Str | OptionType::Matching(_) => Typed::plain("String"),
            OptionType::Concatenated => Typed::plain("Concatenated"),
            OptionType::Int(kind) => Typed::plain(int_type(*kind)),
            OptionType::Float | OptionType::Number => Typed::plain("f64"),
            // Bounds on floats are left to Nix: the option takes any `f64`, so it does not
            // count as checked.
            OptionType::NumberBetween => Typed {
                rust: RustType::named("f64"),
                checked: false,
            },
            OptionType::Path => Typed::plain("RuntimePath"),
            OptionType::Package => Typed::plain("Package"),
            // Freeform settings that declare some of their options (a submodule with a
            // `freeformType`): the declared options, typed.
            OptionType::Data(format) => node
                .filter(|n| n.children.keys().any(|k| k != "*" && k != "<name>"))
                .and_then(|n| self.submodule(n, hint, path, false))
                .unwrap_or_else(|| data(*format)),
            OptionType::Enum(values) => {
                let name = self.names.unique(hint.to_owned());
                let variants = write_enum(&name, values, path, &mut self.text, &self.pad);
                self.enums.insert(name.clone(), variants);
                Typed::plain(name)
            }
            OptionType::NullOr(inner) => self.value_type(inner, node, hint, path).wrap("NullOr"),
            OptionType::ListOf(inner) => self
                .value_type(inner, child("*"), hint, &format!("{path}.*"))
                .wrap("Vec"),
            OptionType::AttrsOf(inner) => {
                let typed =
                    self.value_type(inner, child("<name>"), hint, &format!("{path}.<name>"));
                Typed {
                    rust: RustType::Generic(
                        "BTreeMap",
                        vec![RustType::named("String"), typed.rust],
                    ),
                    checked: typed.checked,
                }
            }
            OptionType::Submodule => match node {
                Some(node) => self
                    .submodule(node, hint, path, false)
                    .unwrap_or_else(Typed::untyped),
                None => Typed::untyped(),
            },
            OptionType::Tagged => match node {
                Some(node) => self
                    .submodule(node, hint, path, true)
                    .unwrap_or_else(Typed::untyped),
                None => Typed::untyped(),
            },
            OptionType::Union(members) => self.union(members, node, hint, path),
            OptionType::Null | OptionType::Function(_) | OptionType::Unknown(_) => Typed::untyped(),
        };
        if let Some(key) = key {
            self.cache.insert(key, typed.clone());
        }
        typed
    }

    /// A union: freeform data when a member is (it holds the others), else `OneOf` over
    /// a marker naming each member. A member the bindings cannot type leaves the whole
    /// option untyped; a function member is left to `Raw`, which sets any option.
    fn union(
        &mut self,
        members: &[OptionType],
        node: Option<&Node>,
        hint: &str,
        path: &str,
    ) -> Typed {
        if let Some(OptionType::Data(format)) =
            members.iter().find(|m| matches!(m, OptionType::Data(_)))
        {
            return data(*format);
        }
        let marker = self.names.unique(format!("{hint}Members"));
        let mut concrete = Vec::new();
        let mut checked = true;
        let mut impls = Impls {
            marker: &marker,
            pad: self.pad.clone(),
            text: String::new(),
            taken: BTreeSet::new(),
        };
        let mut described = Vec::new();
        for m in members {
            described.push(format!(
                "`{}`",
                m.to_string().replace('`', "'").replace('\n', " ")
            ));
            match m {
                OptionType::Bool => impls.member("BoolMember", None),
                OptionType::Str | OptionType::Concatenated | OptionType::Matching(_) => {
                    checked &= !matches!(m, OptionType::Matching(_));
                    let rust = if *m == OptionType::Concatenated {
                        "Concatenated"
                    } else {
                        "String"
                    };
                    impls.member("StrMember", Some(format!("type Str = {rust};")))
                }
                OptionType::Int(kind) => impls.member(
                    "IntMember",
                    Some(format!("type Int = {};", int_type(*kind))),
                ),
                OptionType::Float | OptionType::Number => impls.member("FloatMember", None),
                OptionType::NumberBetween => {
                    checked = false;
                    impls.member("FloatMember", None)
                }
                OptionType::Path => impls.member("PathMember", None),
                OptionType::Package => impls.member("PackageMember", None),
                OptionType::ListOf(_) | OptionType::AttrsOf(_) => {
                    let (trait_name, inner) = match m {
                        OptionType::ListOf(inner) => ("ListMember", inner),
                        OptionType::AttrsOf(inner) => ("AttrsMember", inner),
                        _ => unreachable!("matched above"),
                    };
                    if impls.taken.contains(trait_name) {
                        continue;
                    }
                    let (segment, suffix) = if trait_name == "ListMember" {
                        ("*", ".*")
                    } else {
                        ("<name>", ".<name>")
                    };
                    let child = node.and_then(|n| n.children.get(segment));
                    let item = self.value_type(inner, child, hint, &format!("{path}{suffix}"));
                    checked &= item.checked;
                    impls.member(trait_name, Some(format!("type Item = {};", item.rust)));
                }
                OptionType::Enum(_) | OptionType::Submodule | OptionType::Tagged => {
                    let typed = self.value_type(m, node, hint, path);
                    if !typed.is_untyped() {
                        checked &= typed.checked;
                        concrete.push(typed.rust.to_string());
                    }
                }
                // Members the bindings cannot state (functions, freeform submodules the
                // data declares no options of, phrases not understood) are left out: every
                // value of the members kept is a value of the union, so none that gets
                // through is wrong, and `Raw` still sets the others.
                OptionType::Function(_)
                | OptionType::Data(_)
                | OptionType::Null
                | OptionType::NullOr(_)
                | OptionType::Union(_)
                | OptionType::Unknown(_) => {}
            }
        }
        if impls.taken.is_empty() && concrete.is_empty() {
            return Typed::untyped();
        }
        let pad = &self.pad;
        let _ = writeln!(
            self.text,
            "{pad}/// The members of `{path}`'s type: {}. A value of any of them sets the option.\n{pad}pub enum {marker} {{}}\n{}",
            described.join(", "),
            impls.text
        );
        if !concrete.is_empty() {
            let _ = writeln!(
                self.text,
                "{pad}::flakesmith::union_member!({marker}: {});\n",
                concrete.join(", ")
            );
        }
        self.unions.insert(marker.clone(), concrete);
        Typed {
            rust: RustType::Generic("OneOf", vec![RustType::Named(marker)]),
            checked,
        }
    }

    /// A struct for the values of the submodule whose options are `node`'s children, or
    /// `None` when the data declares none (a freeform submodule: its options are not
    /// known, so no struct can state them).
    ///
    /// `tagged`: an attribute-tagged union, whose value sets exactly one of the options.
    fn submodule(&mut self, node: &Node, hint: &str, path: &str, tagged: bool) -> Option<Typed> {
        let pad = format!("{}        ", self.pad);
        let mut fields = String::new();
        let mut recorded = Vec::new();
        let mut names = Names::default();
        for reserved in ["new", "default", "clone", "fmt", "to_nix", "fields"] {
            names.unique(reserved.to_owned());
        }
        for (segment, child) in &node.children {
            if segment == "*" || segment == "<name>" {
                continue;
            }
            let (field, option_type) = match child.option {
                Some(option) if option.read_only => continue,
                Some(option) => {
                    let typed = self.option_type(option, child);
                    // The pattern of a `string matching` option is checked on handles, not
                    // inside submodule values: such a field does not count as checked.
                    if typed.checked && !has_pattern(option) {
                        self.checked.insert(option.name());
                    }
                    write_doc(option, &mut fields, &pad);
                    let shaped = rust_shaped(parse_type(&option.type_description), &typed.rust);
                    (typed.rust, shaped)
                }
                None if !child.children.is_empty() => {
                    let nested_path = format!("{path}.{segment}");
                    let Some(nested) = self.submodule(
                        child,
                        &format!("{hint}{}", pascal_case(segment)),
                        &nested_path,
                        false,
                    ) else {
                        continue;
                    };
                    let _ = writeln!(fields, "{pad}/// The options under `{nested_path}`.");
                    (nested.rust, OptionType::Submodule)
                }
                None => continue,
            };
            let name = names.unique(value_name(segment));
            let _ = writeln!(fields, "{pad}{name}: {field} = {segment:?};");
            recorded.push(StructField {
                nix: segment.clone(),
                setter: name,
                option_type,
                named: field.value_named().map(str::to_owned),
            });
        }
        if fields.is_empty() {
            return None;
        }
        let name = self.names.unique(format!("{hint}Value"));
        self.structs.insert(name.clone(), recorded);
        let outer = &self.pad;
        let (doc, keyword) = if tagged {
            (
                "exactly one option set (an attribute-tagged union)",
                "tagged ",
            )
        } else {
            ("then a setter per option", "")
        };
        let _ = writeln!(
            self.text,
            "{outer}::flakesmith::submodule_value! {{\n{outer}    /// A value of `{path}`: `{name}::new()`, {doc}.\n{outer}    {keyword}{name} {{\n{fields}{outer}    }}\n{outer}}}\n"
        );
        // The struct's setters take each option's own type: the value is checked as far
        // as its options are, and each option counts (or not) on its own.
        Some(Typed::plain(name))
    }
}

/// An option's type as its Rust type takes values, for the importer: freeform settings
/// that declare options of their own are a struct in Rust (a submodule's value), not
/// `Data`.
pub(super) fn rust_shaped(t: OptionType, rust: &RustType) -> OptionType {
    let inner = |t: Box<OptionType>, rust: Option<&RustType>| match rust {
        Some(rust) => Box::new(rust_shaped(*t, rust)),
        None => t,
    };
    match (t, rust) {
        (OptionType::Data(_), RustType::Named(_)) => OptionType::Submodule,
        (OptionType::NullOr(t), RustType::Generic("NullOr", args)) => {
            OptionType::NullOr(inner(t, args.first()))
        }
        (OptionType::ListOf(t), RustType::Generic("Vec", args)) => {
            OptionType::ListOf(inner(t, args.first()))
        }
        (OptionType::AttrsOf(t), RustType::Generic("BTreeMap", args)) => {
            OptionType::AttrsOf(inner(t, args.get(1)))
        }
        (t, _) => t,
    }
}

/// The member trait impls of one union's marker; the first member of each kind wins (a
/// value for it is a value of the union, so no wrong value gets through).
struct Impls<'m> {
    marker: &'m str,
    pad: String,
    text: String,
    taken: BTreeSet<&'static str>,
}

impl Impls<'_> {
    fn member(&mut self, trait_name: &'static str, assoc: Option<String>) {
        if self.taken.insert(trait_name) {
            let body = assoc.map_or(String::new(), |a| format!(" {a} "));
            let (pad, marker) = (&self.pad, self.marker);
            let _ = writeln!(
                self.text,
                "{pad}impl ::flakesmith::value::{trait_name} for {marker} {{{body}}}"
            );
        }
    }
}

fn int_type(kind: IntKind) -> String {
    match kind {
        IntKind::Signed => "i64".into(),
        IntKind::Unsigned => "u64".into(),
        IntKind::U16 => "u16".into(),
        IntKind::U8 => "u8".into(),
        IntKind::U32 => "u32".into(),
        IntKind::Between(min, max) => format!("Between<{min}, {max}>"),
        IntKind::Positive => "Positive".into(),
    }
}

/// Whether the option's strings must match a pattern.
pub(super) fn has_pattern(option: &OptionDoc) -> bool {
    pattern_of(option).is_some()
}

/// The pattern every string of an option's values must match: `string matching the
/// pattern P`, also inside `null or` and `list of`.
pub(crate) fn pattern_of(option: &OptionDoc) -> Option<String> {
    fn find(t: &OptionType) -> Option<&String> {
        match t {
            OptionType::Matching(pattern) => Some(pattern),
            OptionType::NullOr(inner) | OptionType::ListOf(inner) => find(inner),
            _ => None,
        }
    }
    find(&parse_type(&option.type_description)).cloned()
}

/// Writes the enum and returns its variants: each value with the variant that writes it.
fn write_enum(
    name: &str,
    values: &[String],
    option: &str,
    out: &mut String,
    pad: &str,
) -> Vec<(String, String)> {
    let mut variants = Names::default();
    let mut written = Vec::new();
    let _ = writeln!(out, "{pad}::flakesmith::option_enum! {{\n{pad}    /// The values of `{option}`.\n{pad}    {name} {{");
    for value in values {
        let variant = variants.unique(variant_name(value));
        let _ = writeln!(out, "{pad}        {variant} => {value:?},");
        written.push((value.clone(), variant));
    }
    let _ = writeln!(out, "{pad}    }}\n{pad}}}\n");
    written
}
