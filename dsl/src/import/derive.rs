//! Modules that declare their own options (`options.<ns>.* = lib.mkOption { ... }`,
//! `lib.mkEnableOption`) and guard their `config` with `lib.mkIf cfg.enable` become a
//! `#[derive(NixModule)]` struct when every option has a type the derive states, a
//! literal default (or every host that enables the module sets it), and hosts set the
//! options with literals: then a host's `ns.enable = true; ns.x = v;` is
//! `.enable(Module { x: v, .. })`. Anything else keeps the module as a hand-kept file.

use heck::{ToLowerCamelCase, ToUpperCamelCase};
use rnix::ast;

use crate::bindgen::naming::{value_name, variant_name};
use crate::bindgen::types::{IntKind, OptionType};

use super::convert::rust_string;
use super::syntax::{dotted, entries, read, short, unparen, Entry, Source, Value};

/// The type of a declared option, as far as the derive can state it.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldType {
    Bool,
    Str,
    Int,
    Port,
    List(Box<FieldType>),
    /// `types.enum [ ... ]`: an enum the crate defines, named by the field.
    Enum(Vec<String>),
}

/// One declared option other than `enable`.
#[derive(Clone, Debug)]
pub struct Field {
    /// The option's name in Nix (`storageDriver`).
    pub nix: String,
    /// The struct field (`storage_driver`).
    pub rust: String,
    pub ty: FieldType,
    pub default: Option<Value>,
    pub description: Option<String>,
    /// The enum's Rust name, for `FieldType::Enum`.
    pub enum_name: Option<String>,
}

/// A module the importer writes as a derived struct.
#[derive(Clone, Debug)]
pub struct Derived {
    pub struct_name: String,
    pub namespace: Vec<String>,
    /// What `mkEnableOption` says the module is.
    pub about: String,
    pub fields: Vec<Field>,
}

impl FieldType {
    /// The option type the bindings would give a value of this type, for typing `cfg.x`.
    pub fn option_type(&self) -> OptionType {
        match self {
            Self::Bool => OptionType::Bool,
            Self::Str => OptionType::Str,
            Self::Int => OptionType::Int(IntKind::Signed),
            Self::Port => OptionType::Int(IntKind::U16),
            Self::List(inner) => OptionType::ListOf(Box::new(inner.option_type())),
            Self::Enum(values) => OptionType::Enum(values.clone()),
        }
    }

    fn rust(&self, enum_name: Option<&str>) -> String {
        match self {
            Self::Bool => "bool".into(),
            Self::Str => "String".into(),
            Self::Int => "i64".into(),
            Self::Port => "u16".into(),
            Self::List(inner) => format!("Vec<{}>", inner.rust(enum_name)),
            Self::Enum(_) => enum_name.unwrap_or("String").to_owned(),
        }
    }

    /// `value` as a Rust expression of this type: `owned` for a struct field (`String`
    /// and `Vec` built), else for `#[nix(default = ...)]` (any value `IntoValue` takes).
    pub fn literal(&self, value: &Value, enum_name: Option<&str>, owned: bool) -> Option<String> {
        match (self, value) {
            (Self::Bool, Value::Bool(b)) => Some(b.to_string()),
            (Self::Str, Value::Str(s)) if owned => Some(format!("{}.into()", rust_string(s))),
            (Self::Str, Value::Str(s)) => Some(rust_string(s)),
            (Self::Int, Value::Int(n)) => Some(n.to_string()),
            (Self::Port, Value::Int(n)) if (0..=65535).contains(n) => Some(n.to_string()),
            (Self::Enum(values), Value::Str(s)) if values.contains(s) => {
                Some(format!("{}::{}", enum_name?, variant_name(s)))
            }
            // `[]` alone says nothing of its items' type.
            (Self::List(inner), Value::List(items)) if items.is_empty() => {
                Some(format!("Vec::<{}>::new()", inner.rust(enum_name)))
            }
            (Self::List(inner), Value::List(items)) => {
                let items: Option<Vec<String>> = items
                    .iter()
                    .map(|item| inner.literal(item, enum_name, owned))
                    .collect();
                let items = items?.join(", ");
                Some(if owned {
                    format!("vec![{items}]")
                } else {
                    format!("[{items}]")
                })
            }
            _ => None,
        }
    }
}

/// Reads a module's `options.*` entries as a derived struct, or says why it cannot be.
pub fn declarations(
    options: &[Entry],
    namespace: Option<&[String]>,
    module_name: &str,
) -> Result<Derived, String> {
    let namespace =
        namespace.ok_or("it declares options without `let cfg = config.<namespace>;`")?;
    let struct_name = module_name.to_upper_camel_case();
    let mut about = None;
    let mut fields = Vec::new();
    let mut declared = Vec::new();
    for entry in options {
        flatten(&entry.path[1..], entry, &mut declared)?;
    }
    for (path, text, line) in declared {
        let Some(name) = path
            .strip_prefix(namespace)
            .filter(|rest| rest.len() == 1)
            .map(|rest| rest[0].clone())
        else {
            return Err(format!(
                "it declares `{}` (line {line}), not one option directly under `{}`",
                path.join("."),
                namespace.join(".")
            ));
        };
        let source = Source::parse(&text).map_err(|e| format!("line {line}: {e}"))?;
        let ast::Expr::Apply(apply) = unparen(source.root.clone()) else {
            return Err(format!(
                "`{name}` (line {line}) is not declared with `mkOption` or `mkEnableOption`"
            ));
        };
        let function = apply.lambda().as_ref().and_then(dotted).unwrap_or_default();
        let argument = apply.argument().map(|a| read(&source, a));
        match (short(&function), argument) {
            (Some("mkEnableOption"), Some(Value::Str(text))) if name == "enable" => {
                about = Some(text)
            }
            (Some("mkOption"), Some(_)) if name != "enable" => {
                let Some(ast::Expr::AttrSet(set)) = apply.argument().map(unparen) else {
                    return Err(format!(
                        "`{name}` (line {line}): `mkOption` is not given an attribute set"
                    ));
                };
                fields.push(field(&source, &set, &name, &struct_name, line)?);
            }
            _ => {
                return Err(format!(
                    "`{name}` (line {line}) is declared in a way the derive does not state"
                ))
            }
        }
    }
    let about = about.ok_or("it has no `enable = lib.mkEnableOption \"...\"`")?;
    Ok(Derived {
        struct_name,
        namespace: namespace.to_vec(),
        about,
        fields,
    })
}

/// The declarations under `options`: path, the declaration's text and line.
fn flatten(
    prefix: &[String],
    entry: &Entry,
    out: &mut Vec<(Vec<String>, String, usize)>,
) -> Result<(), String> {
    match &entry.value {
        Value::Attrs(inner) => {
            for child in inner {
                let mut path = prefix.to_vec();
                path.extend(child.path.iter().cloned());
                flatten(&path, child, out)?;
            }
        }
        _ => out.push((prefix.to_vec(), entry.text.clone(), entry.line)),
    }
    Ok(())
}

fn field(
    source: &Source,
    set: &ast::AttrSet,
    name: &str,
    struct_name: &str,
    line: usize,
) -> Result<Field, String> {
    let arguments =
        entries(source, set).map_err(|reason| format!("`{name}` (line {line}): {reason}"))?;
    let mut ty = None;
    let mut default = None;
    let mut description = None;
    for argument in arguments {
        match argument.path.join(".").as_str() {
            "type" => ty = Some(field_type(&argument.text).ok_or_else(|| format!("`{name}` (line {line}) has the type `{}`, which the importer does not state in Rust", argument.text))?),
            "default" => default = Some(argument.value),
            "description" => {
                if let Value::Str(text) = argument.value {
                    description = Some(text);
                }
            }
            // The example only documents the option.
            "example" => {}
            other => return Err(format!("`{name}` (line {line}) sets `{other}`, which the derive does not state")),
        }
    }
    let ty = ty.ok_or_else(|| format!("`{name}` (line {line}) has no type"))?;
    let enum_name = matches!(ty, FieldType::Enum(_) | FieldType::List(_))
        .then(|| format!("{struct_name}{}", name.to_upper_camel_case()))
        .filter(|_| contains_enum(&ty));
    let field = Field {
        nix: name.to_owned(),
        rust: rust_field(name),
        ty,
        default,
        description,
        enum_name,
    };
    if let Some(default) = &field.default {
        if field
            .ty
            .literal(default, field.enum_name.as_deref(), false)
            .is_none()
        {
            return Err(format!(
                "the default of `{name}` (line {line}) is not a literal of its type"
            ));
        }
    }
    Ok(field)
}

fn contains_enum(ty: &FieldType) -> bool {
    match ty {
        FieldType::Enum(_) => true,
        FieldType::List(inner) => contains_enum(inner),
        _ => false,
    }
}

/// `lib.types.listOf lib.types.str` and friends.
fn field_type(text: &str) -> Option<FieldType> {
    let source = Source::parse(text).ok()?;
    fn of(source: &Source, expr: ast::Expr) -> Option<FieldType> {
        match unparen(expr) {
            ast::Expr::Apply(apply) => {
                let function = dotted(&apply.lambda()?)?;
                match function.last()?.as_str() {
                    "listOf" => Some(FieldType::List(Box::new(of(source, apply.argument()?)?))),
                    "enum" => match read(source, apply.argument()?) {
                        Value::List(items) => items
                            .into_iter()
                            .map(|item| match item {
                                Value::Str(s) => Some(s),
                                _ => None,
                            })
                            .collect::<Option<Vec<_>>>()
                            .map(FieldType::Enum),
                        _ => None,
                    },
                    _ => None,
                }
            }
            other => match dotted(&other)?.last()?.as_str() {
                "bool" => Some(FieldType::Bool),
                "str" => Some(FieldType::Str),
                "int" => Some(FieldType::Int),
                "port" => Some(FieldType::Port),
                _ => None,
            },
        }
    }
    of(&source, source.root.clone())
}

/// The struct field for an option name, named as the bindings name options;
/// `#[nix(rename)]` covers names the derive's camelCase would not give back.
fn rust_field(nix: &str) -> String {
    value_name(nix)
}

impl Derived {
    /// The struct, its enums and its `ModuleConfig` head, as Rust.
    pub fn struct_text(&self, file: &str, category: &str, name: &str) -> String {
        let mut out = String::new();
        for field in &self.fields {
            if let (Some(enum_name), Some(values)) = (&field.enum_name, enum_values(&field.ty)) {
                out.push_str(&format!(
                    "/// The values of `{}.{}`.\n#[derive(Clone, Copy, Debug, PartialEq, Eq, NixValue)]\npub enum {enum_name} {{\n",
                    self.namespace.join("."),
                    field.nix
                ));
                for value in values {
                    out.push_str(&format!(
                        "    #[nix(rename = {})]\n    {},\n",
                        rust_string(value),
                        variant_name(value)
                    ));
                }
                out.push_str("}\n\n");
            }
        }
        out.push_str(&format!(
            "// From `{file}`.\n/// {}\n#[derive(NixModule)]\n#[nix(category = {}, name = {}, namespace = {})]\npub struct {} {{\n",
            capitalised(&self.about),
            rust_string(&category.to_lowercase()),
            rust_string(name),
            rust_string(&self.namespace.join(".")),
            self.struct_name
        ));
        for field in &self.fields {
            if let Some(description) = &field.description {
                for line in description.lines() {
                    out.push_str(&format!("    /// {line}\n"));
                }
            }
            let mut attributes = Vec::new();
            if field.rust.trim_start_matches("r#").to_lower_camel_case() != field.nix {
                attributes.push(format!("rename = {}", rust_string(&field.nix)));
            }
            if let Some(default) = &field.default {
                let literal = field
                    .ty
                    .literal(default, field.enum_name.as_deref(), false)
                    .expect("checked when declared");
                attributes.push(format!("default = {literal}"));
            }
            if !attributes.is_empty() {
                out.push_str(&format!("    #[nix({})]\n", attributes.join(", ")));
            }
            out.push_str(&format!(
                "    pub {}: {},\n",
                field.rust,
                field.ty.rust(field.enum_name.as_deref())
            ));
        }
        out.push_str("}\n");
        out
    }

    pub fn field(&self, nix: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.nix == nix)
    }
}

fn enum_values(ty: &FieldType) -> Option<&[String]> {
    match ty {
        FieldType::Enum(values) => Some(values),
        FieldType::List(inner) => enum_values(inner),
        _ => None,
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::FieldType;
    use crate::import::syntax::Value;

    #[test]
    fn an_empty_list_names_its_item_type() {
        let list = FieldType::List(Box::new(FieldType::Str));
        // `[]` alone would leave rustc nothing to infer the items' type from.
        assert_eq!(
            list.literal(&Value::List(Vec::new()), None, false)
                .as_deref(),
            Some("Vec::<String>::new()")
        );
        assert_eq!(
            list.literal(&Value::List(vec![Value::Str("a".into())]), None, false)
                .as_deref(),
            Some("[\"a\"]")
        );
    }
}
