//! Parsing the `type` description strings of options.json into a type tree.
//!
//! The strings are nixpkgs' human-readable type descriptions (`"null or (list of
//! string)"`, `"one of \"a\", \"b\""`, `"attribute set of (submodule)"`). The grammar:
//! `or` binds loosest; `null or`, `list of`, `attribute set of` and friends take the
//! next term; parentheses group; `convertible to it` marks a coerced type, whose
//! accepted values are the union before it. A phrase the parser does not know becomes
//! [`OptionType::Unknown`] and never stops the parse.

use std::fmt;

/// The type of an option, as far as its description tells.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionType {
    Bool,
    /// Any string, including patterns and single lines.
    Str,
    /// `strings concatenated with "..."` (`lines`, `commas`): definitions concatenate.
    Concatenated,
    /// `string matching the pattern P`: a string the POSIX regular expression P matches
    /// whole.
    Matching(String),
    /// An integer, with the Rust type that holds its range.
    Int(IntKind),
    Float,
    /// An integer or a float (`integer or floating point number`).
    Number,
    /// A number within bounds (`integer or floating point number between A and B`,
    /// `float between A and B`).
    NumberBetween,
    Path,
    Package,
    /// `one of "a", "b"` with string values.
    Enum(Vec<String>),
    /// `null`, only inside unions.
    Null,
    NullOr(Box<OptionType>),
    ListOf(Box<OptionType>),
    AttrsOf(Box<OptionType>),
    /// `A or B or ...` (also coerced types: both spellings are accepted).
    Union(Vec<OptionType>),
    Submodule,
    /// `attribute-tagged union`: an attribute set with exactly one of the submodule's
    /// options.
    Tagged,
    /// `function that evaluates to a(n) T`.
    Function(Box<OptionType>),
    /// Freeform data in a settings format: JSON, TOML, YAML, INI atoms, systemd unit
    /// settings, `anything`.
    Data(DataFormat),
    /// A phrase the parser does not know.
    Unknown(String),
}

/// What a freeform value can hold; each is a format of [`crate::value::Data`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataFormat {
    /// JSON and YAML values (and HOCON's JSON-compatible part).
    Json,
    /// TOML values: no `null`.
    Toml,
    /// An INI or `nix.conf` atom: null, bool, number, string (path, package).
    Atom,
    /// An atom or a flat list of atoms.
    AtomOrList,
    /// A systemd unit setting: a scalar or a flat list of scalars.
    Systemd,
    /// `anything`, `unspecified value`, `raw value`.
    Anything,
}

impl DataFormat {
    /// The Rust format type's name.
    pub fn rust_name(self) -> &'static str {
        match self {
            Self::Json => "Json",
            Self::Toml => "Toml",
            Self::Atom => "Atom",
            Self::AtomOrList => "AtomOrList",
            Self::Systemd => "Systemd",
            Self::Anything => "Anything",
        }
    }

    /// Whether the format holds `null` (as `flakesmith::value::Format::NULL` says).
    pub fn holds_null(self) -> bool {
        !matches!(self, Self::Toml)
    }

    /// Whether it holds lists.
    pub fn holds_lists(self) -> bool {
        !matches!(self, Self::Atom)
    }

    /// Whether it holds lists inside lists.
    pub fn holds_nested_lists(self) -> bool {
        matches!(self, Self::Json | Self::Toml | Self::Anything)
    }

    /// Whether it holds attribute sets.
    pub fn holds_attrs(self) -> bool {
        matches!(self, Self::Json | Self::Toml | Self::Anything)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntKind {
    /// `signed integer`, `integer between A and B`.
    Signed,
    /// `unsigned integer, meaning >=0`, `positive integer, meaning >0`.
    Unsigned,
    /// `16 bit unsigned integer` (ports).
    U16,
    /// `8 bit unsigned integer`.
    U8,
    /// `32 bit unsigned integer`.
    U32,
    /// `integer between A and B (both inclusive)`.
    Between(i64, i64),
    /// `positive integer, meaning >0`.
    Positive,
}

impl OptionType {
    /// Whether every part of the type is understood.
    pub fn is_typed(&self) -> bool {
        match self {
            Self::Unknown(_) => false,
            Self::NullOr(t) | Self::ListOf(t) | Self::AttrsOf(t) | Self::Function(t) => {
                t.is_typed()
            }
            Self::Union(ts) => ts.iter().all(Self::is_typed),
            _ => true,
        }
    }

    /// The phrases the parser did not know, for the report.
    pub fn unknown_phrases(&self, out: &mut Vec<String>) {
        match self {
            Self::Unknown(phrase) => out.push(phrase.clone()),
            Self::NullOr(t) | Self::ListOf(t) | Self::AttrsOf(t) | Self::Function(t) => {
                t.unknown_phrases(out)
            }
            Self::Union(ts) => ts.iter().for_each(|t| t.unknown_phrases(out)),
            _ => {}
        }
    }

    /// The kind name the report counts by.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Bool => "bool",
            Self::Str | Self::Concatenated | Self::Matching(_) => "string",
            Self::Int(_) => "integer",
            Self::Float | Self::Number | Self::NumberBetween => "number",
            Self::Path => "path",
            Self::Package => "package",
            Self::Enum(_) => "enum",
            Self::Null => "null",
            Self::NullOr(_) => "null or",
            Self::ListOf(_) => "list",
            Self::AttrsOf(_) => "attribute set",
            Self::Union(_) => "union",
            Self::Submodule => "submodule",
            Self::Tagged => "tagged union",
            Self::Function(_) => "function",
            Self::Data(_) => "freeform",
            Self::Unknown(_) => "unknown",
        }
    }
}

impl fmt::Display for OptionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NullOr(t) => write!(f, "null or ({t})"),
            Self::ListOf(t) => write!(f, "list of ({t})"),
            Self::AttrsOf(t) => write!(f, "attribute set of ({t})"),
            Self::Function(t) => write!(f, "function to ({t})"),
            Self::Union(ts) => {
                let parts: Vec<String> = ts.iter().map(|t| format!("({t})")).collect();
                f.write_str(&parts.join(" or "))
            }
            Self::Enum(values) => write!(f, "one of {values:?}"),
            Self::Unknown(phrase) => write!(f, "unknown `{phrase}`"),
            other => f.write_str(other.kind()),
        }
    }
}

/// Parses a type description.
pub fn parse_type(description: &str) -> OptionType {
    let mut parser = Parser {
        rest: description.trim(),
    };
    let parsed = parser.union();
    if parser.rest.trim().is_empty() {
        parsed
    } else {
        // Trailing text the grammar did not account for: keep what parsed, mark the rest.
        let tail = OptionType::Unknown(parser.rest.trim().to_owned());
        union_of(vec![parsed, tail])
    }
}

/// Flattens nested unions, lifts `null` into `NullOr`, and unwraps single members.
fn union_of(members: Vec<OptionType>) -> OptionType {
    let mut flat = Vec::new();
    for member in members {
        match member {
            OptionType::Union(inner) => flat.extend(inner),
            OptionType::NullOr(inner) => {
                flat.push(OptionType::Null);
                match *inner {
                    OptionType::Union(members) => flat.extend(members),
                    other => flat.push(other),
                }
            }
            other => flat.push(other),
        }
    }
    let nullable = flat.contains(&OptionType::Null);
    flat.retain(|t| *t != OptionType::Null);
    let mut deduped: Vec<OptionType> = Vec::new();
    for member in flat {
        if !deduped.contains(&member) {
            deduped.push(member);
        }
    }
    // INI's "atom or a list of them for duplicate keys".
    let atom = OptionType::Data(DataFormat::Atom);
    let atoms = OptionType::ListOf(Box::new(atom.clone()));
    if deduped.len() == 2 && deduped.contains(&atom) && deduped.contains(&atoms) {
        deduped = vec![OptionType::Data(DataFormat::AtomOrList)];
    }
    let inner = match deduped.len() {
        0 => return OptionType::Null,
        1 => deduped.pop().expect("one member"),
        _ => OptionType::Union(deduped),
    };
    if nullable {
        OptionType::NullOr(Box::new(inner))
    } else {
        inner
    }
}

struct Parser<'a> {
    rest: &'a str,
}

/// Phrases of freeform data, matched at the start of a term, and their formats; the
/// balanced parenthesised detail after them is skipped. Longer phrases come before the
/// phrases they start with.
const FREEFORM: &[(&str, DataFormat)] = &[
    ("JSON value", DataFormat::Json),
    ("YAML value", DataFormat::Json),
    // Home Manager 25.05 on: `pkgs.formats.yaml_1_1`.
    ("YAML 1.1 value", DataFormat::Json),
    ("HOCON value", DataFormat::Json),
    ("TOML value", DataFormat::Toml),
    ("anything", DataFormat::Anything),
    ("unspecified value", DataFormat::Anything),
    ("raw value", DataFormat::Anything),
    ("INI atom", DataFormat::Atom),
    ("Nix config atom", DataFormat::Atom),
    ("atom (null, bool, int, float or string)", DataFormat::Atom),
    ("values (null, bool, int, string, or float) or a list of values, that will be joined with a comma", DataFormat::AtomOrList),
    ("values (null, bool, int, string, or float)", DataFormat::Atom),
    ("systemd option", DataFormat::Systemd),
];

/// Phrases that are strings.
const STRINGS: &[&str] = &[
    "string",
    "non-empty string",
    "single-line string",
    "string without spaces",
    "string, not containing newlines or colons",
    "string without line breaks or quotes",
    // Plural, in `attribute sets of strings`.
    "strings",
];

impl<'a> Parser<'a> {
    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// `term (" or " term)*`, then an optional ` convertible to it`.
    fn union(&mut self) -> OptionType {
        let mut members = vec![self.term()];
        loop {
            // `one of "a", "b" or list of ...` ends the enum at ` or `.
            if self.eat(" or ") {
                members.push(self.term());
            } else {
                break;
            }
        }
        self.eat(" convertible to it");
        union_of(members)
    }

    /// One term, and the check nixpkgs' `addCheck` describes after it
    /// (`string (with check: non-empty)`): a check with a known meaning becomes the
    /// pattern flakesmith matches at build time; another is not claimed as checked (the
    /// term is reported as not understood, with the check's words).
    fn term(&mut self) -> OptionType {
        let base = self.term_base();
        let Some(rest) = self.rest.strip_prefix(" (with check: ") else {
            return base;
        };
        let Some(end) = rest.find(')') else {
            return base;
        };
        let check = &rest[..end];
        self.rest = &rest[end + 1..];
        match (base, check) {
            // Any character, newlines too: the build-time matcher's `.` does not take one.
            (OptionType::Str, "non-empty") => OptionType::Matching("(.|[[:space:]])+".into()),
            // `fileSystems.<name>.mountPoint`: `/`, or anything not ending in `/`.
            (OptionType::Str, "non-empty without trailing slash") => {
                OptionType::Matching("/|(.|[[:space:]])*[^/]".into())
            }
            _ => OptionType::Unknown(format!("with check: {check}")),
        }
    }

    /// One term: the first reading that applies, in the order the phrases need (longer
    /// phrases before the ones they start with).
    fn term_base(&mut self) -> OptionType {
        if let Some(t) = self.grouped() {
            return t;
        }
        if let Some(t) = self.wrapped() {
            return t;
        }
        if let Some(t) = self.special() {
            return t;
        }
        if let Some(t) = self.freeform_or_string() {
            return t;
        }
        if let Some(t) = self.number() {
            return t;
        }
        if let Some(t) = self.scalar() {
            return t;
        }
        self.named()
    }

    /// A parenthesised union, or the one parenthesised phrase that is a string.
    fn grouped(&mut self) -> Option<OptionType> {
        if self.eat("(optionally newline-terminated) single-line string") {
            return Some(OptionType::Str);
        }
        if !self.eat("(") {
            return None;
        }
        let start = self.rest;
        let inner = self.union();
        if !self.eat(")") {
            // `(string, package, bool, int or float)`: a union written as a list of
            // short names.
            self.rest = start;
            if let Some(listed) = self.listed_union() {
                return Some(listed);
            }
            return Some(OptionType::Unknown(format!(
                "unbalanced parenthesis before `{}`",
                self.rest
            )));
        }
        Some(inner)
    }

    /// After `(`: `a, b or c)` where each of a, b, c is a type or a short name
    /// (`bool`, `int`, `integer`, `float`, `str`), as a union; `None` (nothing eaten) otherwise.
    fn listed_union(&mut self) -> Option<OptionType> {
        let end = self.rest.find(')')?;
        let list = &self.rest[..end];
        if list.contains('(') {
            return None;
        }
        let mut members = Vec::new();
        // `a, b, or c` too.
        for name in list.split(", ").flat_map(|part| part.split(" or ")) {
            let name = name.trim();
            let member = match name.strip_prefix("or ").unwrap_or(name) {
                "bool" => OptionType::Bool,
                "int" | "integer" => OptionType::Int(IntKind::Signed),
                "float" => OptionType::Float,
                "str" => OptionType::Str,
                other => match parse_type(other) {
                    OptionType::Unknown(_) => return None,
                    known => known,
                },
            };
            members.push(member);
        }
        self.rest = &self.rest[end + 1..];
        Some(union_of(members))
    }

    /// `null or T`, `list of T`, `attribute set of T` and the other types around a type.
    fn wrapped(&mut self) -> Option<OptionType> {
        for (prefix, build) in [
            (
                "null or ",
                OptionType::NullOr as fn(Box<OptionType>) -> OptionType,
            ),
            ("list of ", OptionType::ListOf),
            ("non-empty (list of ", OptionType::ListOf),
            ("attribute set of ", OptionType::AttrsOf),
            ("lazy attribute set of ", OptionType::AttrsOf),
            // A submodule with a freeform type (nixpkgs 25.05 on): beyond the options it
            // declares (bound apart, below it), any attribute of the freeform type.
            ("open submodule of ", OptionType::AttrsOf),
            ("attribute sets of ", OptionType::AttrsOf),
            ("function that evaluates to a(n) ", OptionType::Function),
        ] {
            if self.eat(prefix) {
                let inner = self.term();
                if prefix == "non-empty (list of " {
                    self.eat(")");
                }
                if prefix == "null or " {
                    // `null or A or B` reads as `null or (A or B)` in nixpkgs' phrasing.
                    let mut members = vec![inner];
                    while self.eat(" or ") {
                        members.push(self.term());
                    }
                    return Some(union_of(vec![OptionType::Null, union_of(members)]));
                }
                return Some(build(Box::new(inner)));
            }
        }
        None
    }

    /// Phrases with a structure of their own: enums, concatenated strings, patterns,
    /// Home Manager's DAGs and systemd units, INI sections.
    fn special(&mut self) -> Option<OptionType> {
        if self.eat("one of ") {
            return Some(self.enumeration());
        }
        if self.eat("value \"") {
            let value = self.quoted_rest();
            self.eat(" (singular enum)");
            return Some(value.map_or_else(
                || OptionType::Unknown("value".into()),
                |v| OptionType::Enum(vec![v]),
            ));
        }
        if self.eat("strings concatenated with \"") {
            self.quoted_rest();
            return Some(OptionType::Concatenated);
        }
        if self.eat("string matching the pattern ") {
            // The pattern runs to the end of this term; it may contain anything.
            let end = self.phrase_end();
            let pattern = self.rest[..end].to_owned();
            self.rest = &self.rest[end..];
            return Some(OptionType::Matching(pattern));
        }
        if self.eat("string of length ") {
            self.skip_phrase();
            return Some(OptionType::Str);
        }
        // Home Manager's DAGs: attribute sets whose entries may also say what they come
        // after and before; plain entries are the values themselves.
        if self.eat("DAG of ") {
            return Some(OptionType::AttrsOf(Box::new(self.term())));
        }
        if self.rest.starts_with("systemd ") {
            // Home Manager's `systemd <kind> unit configuration`: units by name, sections
            // by name, settings by name, each a systemd value.
            let end = self.phrase_end();
            if self.rest[..end].ends_with(" unit configuration") {
                self.rest = &self.rest[end..];
                let setting = OptionType::Data(DataFormat::Systemd);
                let section = OptionType::AttrsOf(Box::new(setting));
                let unit = OptionType::AttrsOf(Box::new(section));
                return Some(OptionType::AttrsOf(Box::new(unit)));
            }
        }
        // Home Manager 26.05 names the choices: `attribute-tagged union with choices: a, b`.
        if self.eat("attribute-tagged union with choices: ") {
            self.skip_phrase();
            return Some(OptionType::Tagged);
        }
        // `lib.maintainers` and `lib.teams` entries (`meta.maintainers`): attribute sets;
        // plural phrasings of attribute sets and lists of strings.
        for phrase in ["lib.maintainers", "lib.teams", "attribute sets"] {
            if self.eat(phrase) {
                return Some(OptionType::AttrsOf(Box::new(OptionType::Data(
                    DataFormat::Anything,
                ))));
            }
        }
        if self.eat("lists of strings") {
            return Some(OptionType::ListOf(Box::new(OptionType::Str)));
        }
        if self.eat("section of an INI file") {
            self.skip_parenthesised();
            return Some(OptionType::AttrsOf(Box::new(OptionType::Data(
                DataFormat::Atom,
            ))));
        }
        if self.eat("a list of them for duplicate keys") {
            return Some(OptionType::ListOf(Box::new(OptionType::Data(
                DataFormat::Atom,
            ))));
        }
        None
    }

    /// Freeform data (`JSON value`, `anything`, INI atoms) and the string phrases.
    fn freeform_or_string(&mut self) -> Option<OptionType> {
        for (phrase, format) in FREEFORM {
            if self.eat(phrase) {
                self.skip_parenthesised();
                return Some(OptionType::Data(*format));
            }
        }
        for phrase in STRINGS.iter().rev() {
            if self.eat(phrase) {
                if self.eat(" or path") {
                    return Some(union_of(vec![OptionType::Str, OptionType::Path]));
                }
                return Some(OptionType::Str);
            }
        }
        None
    }

    /// Numbers with bounds, and numbers that may be integers or floats.
    fn number(&mut self) -> Option<OptionType> {
        if self.eat("integer or floating point number between ") || self.eat("float between ") {
            self.skip_range();
            return Some(OptionType::NumberBetween);
        }
        if self.eat("integer between ") {
            let bounds = self.int_bounds();
            self.skip_range();
            return Some(match bounds {
                Some((min, max)) => OptionType::Int(IntKind::Between(min, max)),
                None => OptionType::Int(IntKind::Signed),
            });
        }
        if self.eat("integer or floating point number") {
            return Some(OptionType::Number);
        }
        None
    }

    /// A scalar named by a whole phrase (`boolean`, `port`-like integers, `path`, ...).
    fn scalar(&mut self) -> Option<OptionType> {
        let scalars: &[(&str, OptionType)] = &[
            ("boolean", OptionType::Bool),
            ("signed integer", OptionType::Int(IntKind::Signed)),
            (
                "unsigned integer, meaning >=0",
                OptionType::Int(IntKind::Unsigned),
            ),
            (
                "positive integer, meaning >0",
                OptionType::Int(IntKind::Positive),
            ),
            (
                "16 bit unsigned integer; between 0 and 65535 (both inclusive)",
                OptionType::Int(IntKind::U16),
            ),
            (
                "8 bit unsigned integer; between 0 and 255 (both inclusive)",
                OptionType::Int(IntKind::U8),
            ),
            (
                "32 bit unsigned integer; between 0 and 4294967295 (both inclusive)",
                OptionType::Int(IntKind::U32),
            ),
            ("floating point number", OptionType::Float),
            ("path, not containing newlines or colons", OptionType::Path),
            ("path in the Nix store", OptionType::Path),
            ("path", OptionType::Path),
            // nixpkgs lib from 24.11 on describes `types.path` so.
            ("absolute path", OptionType::Path),
            ("package", OptionType::Package),
            ("submodule", OptionType::Submodule),
            ("attribute-tagged union", OptionType::Tagged),
            (
                "attribute set",
                OptionType::AttrsOf(Box::new(OptionType::Data(DataFormat::Anything))),
            ),
        ];
        for (phrase, kind) in scalars {
            if self.rest.starts_with(phrase) && self.at_term_end(phrase.len()) {
                self.rest = &self.rest[phrase.len()..];
                return Some(kind.clone());
            }
        }
        if self.eat("null") {
            return Some(OptionType::Null);
        }
        None
    }

    /// `bookmark submodule`, `(directory submodule)`: a named submodule; anything else
    /// is a phrase the parser does not know.
    fn named(&mut self) -> OptionType {
        let phrase_end = self.phrase_end();
        let phrase = &self.rest[..phrase_end];
        if phrase.ends_with(" submodule") {
            self.rest = &self.rest[phrase_end..];
            return OptionType::Submodule;
        }
        self.rest = &self.rest[phrase_end..];
        OptionType::Unknown(phrase.to_owned())
    }

    /// Whether the text after the first `len` bytes ends the term.
    fn at_term_end(&self, len: usize) -> bool {
        let after = &self.rest[len..];
        after.is_empty()
            || after.starts_with(" or ")
            || after.starts_with(')')
            || after.starts_with(" convertible")
    }

    /// Where the current phrase ends: the next top-level ` or `, unmatched `)` or the end.
    fn phrase_end(&self) -> usize {
        let mut depth = 0usize;
        let bytes = self.rest.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'(' => depth += 1,
                b')' if depth == 0 => return i,
                b')' => depth -= 1,
                b' ' if depth == 0
                    && (self.rest[i..].starts_with(" or ")
                        || self.rest[i..].starts_with(" convertible to it")) =>
                {
                    return i
                }
                _ => {}
            }
            i += 1;
        }
        bytes.len()
    }

    fn skip_phrase(&mut self) {
        let end = self.phrase_end();
        self.rest = &self.rest[end..];
    }

    /// Skips ` (...)` after a phrase, balanced.
    fn skip_parenthesised(&mut self) {
        if !self.rest.starts_with(" (") {
            return;
        }
        let mut depth = 0usize;
        for (i, c) in self.rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        self.rest = &self.rest[i + 1..];
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    /// The integers of `A and B (both inclusive)`, without consuming them.
    fn int_bounds(&self) -> Option<(i64, i64)> {
        let range = self.rest.split(" (both inclusive)").next()?;
        let (min, max) = range.split_once(" and ")?;
        Some((min.trim().parse().ok()?, max.trim().parse().ok()?))
    }

    /// `A and B (both inclusive)` or `0.0 and 1.0 (inclusive)`.
    fn skip_range(&mut self) {
        for suffix in [" (both inclusive)", " (inclusive)"] {
            if let Some(end) = self.rest.find(suffix) {
                self.rest = &self.rest[end + suffix.len()..];
                return;
            }
        }
        self.skip_phrase();
    }

    /// The rest of a `"..."` whose opening quote was eaten; handles `\"`.
    fn quoted_rest(&mut self) -> Option<String> {
        let mut value = String::new();
        let mut chars = self.rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = chars.next() {
                        value.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    }
                }
                '"' => {
                    self.rest = &self.rest[i + 1..];
                    return Some(value);
                }
                other => value.push(other),
            }
        }
        None
    }

    /// `"a", "b", 1` after `one of `. Non-string values make it freeform.
    fn enumeration(&mut self) -> OptionType {
        let mut values = Vec::new();
        let mut all_strings = true;
        loop {
            if self.eat("\"") {
                match self.quoted_rest() {
                    Some(value) => values.push(value),
                    None => return OptionType::Unknown("unterminated enum value".into()),
                }
            } else {
                // A number or other literal value.
                let end = self.rest.find([',', ')']).unwrap_or(self.rest.len());
                let end = self.rest[..end].find(" or ").unwrap_or(end);
                if end == 0 {
                    break;
                }
                all_strings = false;
                self.rest = &self.rest[end..];
            }
            if !self.eat(", ") {
                break;
            }
        }
        if all_strings && !values.is_empty() {
            OptionType::Enum(values)
        } else {
            OptionType::Data(DataFormat::Anything)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_formats_hold_what_their_rust_formats_hold() {
        use crate::value::{self, Format};
        fn shape<F: Format>() -> [bool; 4] {
            [F::NULL, F::LISTS, F::NESTED_LISTS, F::ATTRS]
        }
        for (format, rust) in [
            (DataFormat::Json, shape::<value::Json>()),
            (DataFormat::Toml, shape::<value::Toml>()),
            (DataFormat::Atom, shape::<value::Atom>()),
            (DataFormat::AtomOrList, shape::<value::AtomOrList>()),
            (DataFormat::Systemd, shape::<value::Systemd>()),
            (DataFormat::Anything, shape::<value::Anything>()),
        ] {
            let ours = [
                format.holds_null(),
                format.holds_lists(),
                format.holds_nested_lists(),
                format.holds_attrs(),
            ];
            assert_eq!(ours, rust, "{format:?}");
        }
    }
    use OptionType::*;

    fn b(t: OptionType) -> Box<OptionType> {
        Box::new(t)
    }

    /// Type strings of Home Manager 25.05 and 26.05 and nixpkgs 25.05.
    #[test]
    fn newer_phrasings() {
        assert_eq!(parse_type("YAML 1.1 value"), Data(DataFormat::Json));
        assert_eq!(
            parse_type("open submodule of (JSON value)"),
            AttrsOf(b(Data(DataFormat::Json)))
        );
        assert_eq!(
            parse_type("open submodule of attribute set of (string, package, bool, int or float)"),
            AttrsOf(b(AttrsOf(b(Union(vec![
                Str,
                Package,
                Bool,
                Int(IntKind::Signed),
                Float
            ])))))
        );
        // A parenthesis that is really unbalanced is still reported as such.
        assert_eq!(
            parse_type("list of attribute-tagged union with choices: include, output, profile"),
            ListOf(b(Tagged))
        );
        assert_eq!(
            parse_type("null or attribute sets or lists of strings"),
            NullOr(b(Union(vec![
                AttrsOf(b(Data(DataFormat::Anything))),
                ListOf(b(Str))
            ])))
        );
        assert_eq!(
            parse_type("null or attribute sets of strings"),
            NullOr(b(AttrsOf(b(Str))))
        );
        assert_eq!(
            parse_type("list of lib.maintainers"),
            ListOf(b(AttrsOf(b(Data(DataFormat::Anything)))))
        );
        assert_eq!(
            parse_type("attribute set of (string, path, bool, or integer)"),
            AttrsOf(b(Union(vec![Str, Path, Bool, Int(IntKind::Signed)])))
        );
        assert_eq!(
            parse_type("list of (string without line breaks or quotes)"),
            ListOf(b(Str))
        );
        assert_eq!(
            parse_type("non-empty (list of (string or path in the Nix store))"),
            ListOf(b(Union(vec![Str, Path])))
        );
        // Checks with a known meaning are patterns the build matches; others are not
        // claimed as checked.
        assert_eq!(
            parse_type("null or string (with check: non-empty)"),
            NullOr(b(Matching("(.|[[:space:]])+".into())))
        );
        assert_eq!(
            parse_type("list of string (with check: non-empty without trailing slash)"),
            ListOf(b(Matching("/|(.|[[:space:]])*[^/]".into())))
        );
        assert_eq!(
            parse_type("string (with check: hexadecimal string)"),
            Unknown("with check: hexadecimal string".into())
        );
        let unbalanced = format!("{:?}", parse_type("attribute set of (string, (oops"));
        assert!(
            unbalanced.contains("unbalanced parenthesis"),
            "{unbalanced}"
        );
    }

    #[test]
    fn scalars() {
        assert_eq!(parse_type("boolean"), Bool);
        assert_eq!(parse_type("string"), Str);
        assert_eq!(parse_type("signed integer"), Int(IntKind::Signed));
        assert_eq!(
            parse_type("unsigned integer, meaning >=0"),
            Int(IntKind::Unsigned)
        );
        assert_eq!(
            parse_type("positive integer, meaning >0"),
            Int(IntKind::Positive)
        );
        assert_eq!(
            parse_type("16 bit unsigned integer; between 0 and 65535 (both inclusive)"),
            Int(IntKind::U16)
        );
        assert_eq!(
            parse_type("integer between 0 and 100 (both inclusive)"),
            Int(IntKind::Between(0, 100))
        );
        assert_eq!(
            parse_type("integer between -20 and 19 (both inclusive)"),
            Int(IntKind::Between(-20, 19))
        );
        assert_eq!(parse_type("floating point number"), Float);
        assert_eq!(parse_type("path"), Path);
        assert_eq!(parse_type("absolute path"), Path);
        assert_eq!(parse_type("package"), Package);
        assert_eq!(
            parse_type("strings concatenated with \"\\n\""),
            Concatenated
        );
        assert_eq!(
            parse_type("string matching the pattern .*@.*"),
            Matching(".*@.*".into())
        );
        assert_eq!(
            parse_type("integer or floating point number between 0 and 1 (both inclusive)"),
            NumberBetween
        );
    }

    #[test]
    fn composites() {
        assert_eq!(parse_type("null or string"), NullOr(b(Str)));
        assert_eq!(
            parse_type("null or (list of string)"),
            NullOr(b(ListOf(b(Str))))
        );
        assert_eq!(parse_type("list of (submodule)"), ListOf(b(Submodule)));
        assert_eq!(
            parse_type("attribute set of attribute set of string"),
            AttrsOf(b(AttrsOf(b(Str))))
        );
        assert_eq!(
            parse_type("lazy attribute set of (string or path)"),
            AttrsOf(b(Union(vec![Str, Path])))
        );
        assert_eq!(
            parse_type("null or string or list of string"),
            NullOr(b(Union(vec![Str, ListOf(b(Str))])))
        );
        assert_eq!(
            parse_type("(list of string) or null or string"),
            NullOr(b(Union(vec![ListOf(b(Str)), Str])))
        );
        assert_eq!(
            parse_type("one of \"a\", \"b c\""),
            Enum(vec!["a".into(), "b c".into()])
        );
        assert_eq!(
            parse_type("null or one of \"enable\", \"disable\""),
            NullOr(b(Enum(vec!["enable".into(), "disable".into()])))
        );
        assert_eq!(
            parse_type("null or value \"TCP\" (singular enum)"),
            NullOr(b(Enum(vec!["TCP".into()])))
        );
        assert_eq!(
            parse_type("null or one of 0, 1, 2"),
            NullOr(b(Data(DataFormat::Anything)))
        );
        assert_eq!(
            parse_type("(list of string) or string convertible to it"),
            Union(vec![ListOf(b(Str)), Str])
        );
        assert_eq!(
            parse_type("string or path convertible to it"),
            Union(vec![Str, Path])
        );
        assert_eq!(
            parse_type("function that evaluates to a(n) list of package"),
            Function(b(ListOf(b(Package))))
        );
        assert_eq!(
            parse_type("(function that evaluates to a(n) list of package) or (list of package) convertible to it"),
            Union(vec![Function(b(ListOf(b(Package)))), ListOf(b(Package))])
        );
        assert_eq!(parse_type("JSON value"), Data(DataFormat::Json));
        assert_eq!(
            parse_type("attribute set"),
            AttrsOf(b(Data(DataFormat::Anything)))
        );
        assert_eq!(
            parse_type("attribute set of section of an INI file (attrs of INI atom (null, bool, int, float or string))"),
            AttrsOf(b(AttrsOf(b(Data(DataFormat::Atom)))))
        );
        assert_eq!(
            parse_type("attribute set of (atom (null, bool, int, float or string) or a list of them for duplicate keys)"),
            AttrsOf(b(Data(DataFormat::AtomOrList)))
        );
        assert_eq!(
            parse_type("attribute set of (systemd option)"),
            AttrsOf(b(Data(DataFormat::Systemd)))
        );
        assert_eq!(parse_type("non-empty (list of string)"), ListOf(b(Str)));
        assert_eq!(
            parse_type("non-empty (list of non-empty string)"),
            ListOf(b(Str))
        );
        assert_eq!(
            parse_type("(optionally newline-terminated) single-line string"),
            Str
        );
        assert_eq!(
            parse_type("list of (optionally newline-terminated) single-line string"),
            ListOf(b(Str))
        );
        assert_eq!(parse_type("null or string without spaces"), NullOr(b(Str)));
        assert_eq!(
            parse_type("list of (string, not containing newlines or colons)"),
            ListOf(b(Str))
        );
        assert_eq!(
            parse_type("list of ((bookmark submodule) or (directory submodule))"),
            ListOf(b(Submodule))
        );
    }

    #[test]
    fn home_manager_phrases() {
        assert_eq!(
            parse_type("systemd service unit configuration"),
            AttrsOf(b(AttrsOf(b(AttrsOf(b(Data(DataFormat::Systemd)))))))
        );
        assert_eq!(parse_type("DAG of string"), AttrsOf(b(Str)));
        assert_eq!(parse_type("DAG of submodule"), AttrsOf(b(Submodule)));
    }

    #[test]
    fn unknown_phrases_are_kept_not_fatal() {
        let parsed = parse_type("systemd magic");
        assert_eq!(parsed, Unknown("systemd magic".into()));
        assert!(!parsed.is_typed());
        let parsed = parse_type("null or (3×3 matrix of floating point numbers)");
        assert!(!parsed.is_typed());
        assert!(matches!(parsed, NullOr(_)));
    }
}
