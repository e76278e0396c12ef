//! The bindings index as text, so `flakesmith import` can keep it between runs instead of
//! running the generator over every option each time: one line per option, enum value or
//! submodule value setter, tab-separated, with option types in a compact prefix form that
//! reads back exactly.

use super::index::{Binding, Index};
use super::types::{DataFormat, IntKind, OptionType};

/// The first line: what wrote it, so a cache from another version is not read. The
/// number changes with what the generator makes of the option data (the format, or the
/// bindings an option gets), since a cache is kept by the data's hash.
const HEADER: &str = "flakesmith-index 4";

impl Index {
    /// The index as text ([`Index::from_text`] reads it back).
    pub fn to_text(&self) -> String {
        let mut out = format!("{HEADER} {}\n", env!("CARGO_PKG_VERSION"));
        for (name, binding) in &self.options {
            out.push_str(&format!("o\t{name}\t{}\n", binding_fields(binding)));
        }
        for (path, variants) in &self.enums {
            for (text, variant) in variants {
                out.push_str(&format!(
                    "e\t{path}\t{}\t{}\n",
                    escape(variant),
                    escape(text)
                ));
            }
        }
        for (path, setters) in &self.values {
            for (name, binding) in setters {
                out.push_str(&format!(
                    "v\t{path}\t{}\t{}\n",
                    escape(name),
                    binding_fields(binding)
                ));
            }
        }
        out
    }

    /// Reads [`Index::to_text`]'s output; `None` for anything else (another version's, a
    /// damaged file).
    pub fn from_text(text: &str) -> Option<Index> {
        let mut lines = text.split('\n').filter(|line| !line.is_empty());
        if lines.next()? != format!("{HEADER} {}", env!("CARGO_PKG_VERSION")) {
            return None;
        }
        let mut index = Index::default();
        for line in lines {
            let (kind, rest) = line.split_once('\t')?;
            match kind {
                "o" => {
                    let (name, rest) = rest.split_once('\t')?;
                    index.options.insert(name.to_owned(), read_binding(rest)?);
                }
                "e" => {
                    let fields: Vec<&str> = rest.splitn(3, '\t').collect();
                    let [path, variant, text] = fields[..] else {
                        return None;
                    };
                    index
                        .enums
                        .entry(path.to_owned())
                        .or_default()
                        .push((unescape(text), unescape(variant)));
                }
                "v" => {
                    let (path, rest) = rest.split_once('\t')?;
                    let (name, rest) = rest.split_once('\t')?;
                    index
                        .values
                        .entry(path.to_owned())
                        .or_default()
                        .insert(unescape(name), read_binding(rest)?);
                }
                _ => return None,
            }
        }
        Some(index)
    }
}

/// A binding's fields: handle, enum, value struct, read-only, type (last: it may hold
/// anything, escaped).
fn binding_fields(binding: &Binding) -> String {
    let mut ty = String::new();
    encode(&binding.option_type, &mut ty);
    format!(
        "{}\t{}\t{}\t{}\t{ty}",
        binding.handle,
        binding.enum_type.as_deref().unwrap_or("-"),
        binding.value_type.as_deref().unwrap_or("-"),
        u8::from(binding.read_only)
    )
}

fn read_binding(fields: &str) -> Option<Binding> {
    let fields: Vec<&str> = fields.splitn(5, '\t').collect();
    let [handle, enum_type, value_type, read_only, ty] = fields[..] else {
        return None;
    };
    let mut rest = ty;
    let option_type = decode(&mut rest)?;
    if !rest.is_empty() {
        return None;
    }
    let named = |text: &str| (text != "-").then(|| text.to_owned());
    Some(Binding {
        handle: handle.to_owned(),
        option_type,
        enum_type: named(enum_type),
        value_type: named(value_type),
        read_only: read_only == "1",
    })
}

/// `text` on one line of one field: backslashes, tabs and newlines escaped.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            (c, false) => out.push(c),
        }
    }
    out
}

/// A string with its length first, so it may hold any character (escaped).
fn counted(text: &str, out: &mut String) {
    let text = escape(text);
    out.push_str(&format!("{}:{text}", text.len()));
}

fn encode(ty: &OptionType, out: &mut String) {
    match ty {
        OptionType::Bool => out.push('b'),
        OptionType::Str => out.push('s'),
        OptionType::Concatenated => out.push('c'),
        OptionType::Matching(pattern) => {
            out.push('m');
            counted(pattern, out);
        }
        OptionType::Int(kind) => {
            out.push('i');
            match kind {
                IntKind::Signed => out.push('s'),
                IntKind::Unsigned => out.push('u'),
                IntKind::U16 => out.push('6'),
                IntKind::U8 => out.push('8'),
                IntKind::U32 => out.push('3'),
                IntKind::Positive => out.push('p'),
                IntKind::Between(low, high) => out.push_str(&format!("b{low},{high};")),
            }
        }
        OptionType::Float => out.push('f'),
        OptionType::Number => out.push('n'),
        OptionType::NumberBetween => out.push('N'),
        OptionType::Path => out.push('p'),
        OptionType::Package => out.push('k'),
        OptionType::Enum(values) => {
            out.push_str(&format!("e{};", values.len()));
            for value in values {
                counted(value, out);
            }
        }
        OptionType::Null => out.push('0'),
        OptionType::NullOr(inner) => {
            out.push('?');
            encode(inner, out);
        }
        OptionType::ListOf(inner) => {
            out.push('L');
            encode(inner, out);
        }
        OptionType::AttrsOf(inner) => {
            out.push('A');
            encode(inner, out);
        }
        OptionType::Union(members) => {
            out.push_str(&format!("U{};", members.len()));
            for member in members {
                encode(member, out);
            }
        }
        OptionType::Submodule => out.push('S'),
        OptionType::Tagged => out.push('T'),
        OptionType::Function(inner) => {
            out.push('F');
            encode(inner, out);
        }
        OptionType::Data(format) => out.push_str(match format {
            DataFormat::Json => "dj",
            DataFormat::Toml => "dt",
            DataFormat::Atom => "da",
            DataFormat::AtomOrList => "dl",
            DataFormat::Systemd => "ds",
            DataFormat::Anything => "dy",
        }),
        OptionType::Unknown(phrase) => {
            out.push('u');
            counted(phrase, out);
        }
    }
}

/// Takes one character.
fn next(rest: &mut &str) -> Option<char> {
    let c = rest.chars().next()?;
    *rest = &rest[c.len_utf8()..];
    Some(c)
}

/// Takes text up to `end` (not included) and the `end`.
fn until<'a>(rest: &mut &'a str, end: char) -> Option<&'a str> {
    let at = rest.find(end)?;
    let taken = &rest[..at];
    *rest = &rest[at + end.len_utf8()..];
    Some(taken)
}

fn read_counted(rest: &mut &str) -> Option<String> {
    let length: usize = until(rest, ':')?.parse().ok()?;
    let text = unescape(rest.get(..length)?);
    *rest = &rest[length..];
    Some(text)
}

fn decode(rest: &mut &str) -> Option<OptionType> {
    Some(match next(rest)? {
        'b' => OptionType::Bool,
        's' => OptionType::Str,
        'c' => OptionType::Concatenated,
        'm' => OptionType::Matching(read_counted(rest)?),
        'i' => OptionType::Int(match next(rest)? {
            's' => IntKind::Signed,
            'u' => IntKind::Unsigned,
            '6' => IntKind::U16,
            '8' => IntKind::U8,
            '3' => IntKind::U32,
            'p' => IntKind::Positive,
            'b' => {
                let (low, high) = until(rest, ';')?.split_once(',')?;
                IntKind::Between(low.parse().ok()?, high.parse().ok()?)
            }
            _ => return None,
        }),
        'f' => OptionType::Float,
        'n' => OptionType::Number,
        'N' => OptionType::NumberBetween,
        'p' => OptionType::Path,
        'k' => OptionType::Package,
        'e' => {
            let count: usize = until(rest, ';')?.parse().ok()?;
            let values = (0..count)
                .map(|_| read_counted(rest))
                .collect::<Option<_>>()?;
            OptionType::Enum(values)
        }
        '0' => OptionType::Null,
        '?' => OptionType::NullOr(Box::new(decode(rest)?)),
        'L' => OptionType::ListOf(Box::new(decode(rest)?)),
        'A' => OptionType::AttrsOf(Box::new(decode(rest)?)),
        'U' => {
            let count: usize = until(rest, ';')?.parse().ok()?;
            let members = (0..count).map(|_| decode(rest)).collect::<Option<_>>()?;
            OptionType::Union(members)
        }
        'S' => OptionType::Submodule,
        'T' => OptionType::Tagged,
        'F' => OptionType::Function(Box::new(decode(rest)?)),
        'd' => OptionType::Data(match next(rest)? {
            'j' => DataFormat::Json,
            't' => DataFormat::Toml,
            'a' => DataFormat::Atom,
            'l' => DataFormat::AtomOrList,
            's' => DataFormat::Systemd,
            'y' => DataFormat::Anything,
            _ => return None,
        }),
        'u' => OptionType::Unknown(read_counted(rest)?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_reads_back() {
        let types = [
            "boolean",
            "null or (list of (one of \"a\", \"b\\tc\"))",
            "attribute set of (16 bit unsigned integer)",
            "integer between -3 and 7 (both inclusive)",
            "(string matching the pattern [a-z]+) or (submodule)",
            "function that evaluates to a(n) (JSON value)",
            "strings concatenated with \"\\n\"",
            "a phrase nobody knows,\nover two lines with a \\ and a \t",
        ];
        let mut index = Index::default();
        for (i, text) in types.iter().enumerate() {
            index.options.insert(
                format!("o{i}"),
                Binding {
                    handle: format!("a::b{i}"),
                    option_type: super::super::types::parse_type(text),
                    enum_type: (i == 1).then(|| "E".to_owned()),
                    value_type: (i == 4).then(|| "a::V".to_owned()),
                    read_only: i == 2,
                },
            );
        }
        let setter = Binding {
            handle: "prefix_length".into(),
            option_type: OptionType::Int(IntKind::U8),
            enum_type: None,
            value_type: None,
            read_only: false,
        };
        index
            .values
            .insert("a::V".into(), [("prefixLength".into(), setter)].into());
        index.enums.insert(
            "E".into(),
            vec![("a".into(), "A".into()), ("b\tc".into(), "BC".into())],
        );
        let read = Index::from_text(&index.to_text()).expect("reads back");
        assert_eq!(read.to_text(), index.to_text());
        for (name, binding) in &index.options {
            assert_eq!(
                read.options[name].option_type, binding.option_type,
                "{name}"
            );
        }
        assert_eq!(read.enums, index.enums);
        assert_eq!(read.values["a::V"]["prefixLength"].handle, "prefix_length");
        assert_eq!(read.options["o4"].value_type.as_deref(), Some("a::V"));
        assert!(Index::from_text("flakesmith-index 0 0.0.0\n").is_none());
    }
}
