//! The expression tree flakesmith emits.

use std::fmt;

use super::escape::is_plain_identifier;

/// Why a Rust value has no Nix counterpart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    /// NaN or an infinity: Nix floats are finite.
    NonFiniteFloat(String),
    /// A subnormal float: Nix reads float literals with `strtod` and rejects the ones
    /// that underflow.
    SubnormalFloat(String),
    /// Nix strings are C strings inside the evaluator and cannot hold NUL.
    NulInString,
    /// Nix integers are signed 64-bit.
    IntegerOutOfRange(String),
    /// Not a relative path literal Nix can parse.
    InvalidPath(String),
    /// Not a Nix identifier.
    InvalidIdentifier(String),
    /// Not an attribute path of plain names under `pkgs`.
    InvalidPackage(String),
    /// A value a settings format cannot write (`null` in TOML, a list as an INI atom).
    NotInFormat {
        format: &'static str,
        what: &'static str,
    },
    /// The value of an attribute-tagged union must set exactly one option; these were
    /// set.
    NotOneTag(String),
    /// An integer outside the bounds of its option's type.
    OutOfBounds { value: String, min: i64, max: i64 },
    /// One option of a submodule value set twice in the same value.
    SetTwice(String),
    /// The value of one option inside a submodule value is wrong.
    InOption {
        option: String,
        error: Box<ValueError>,
    },
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NonFiniteFloat(v) => write!(f, "{v} is not a finite number; Nix floats cannot be NaN or infinite"),
            Self::SubnormalFloat(v) => write!(f, "{v} is subnormal; Nix cannot read float literals smaller in magnitude than {:e}", f64::MIN_POSITIVE),
            Self::NulInString => f.write_str("string contains a NUL character, which Nix strings cannot hold"),
            Self::IntegerOutOfRange(v) => write!(f, "integer {v} is outside Nix's signed 64-bit range"),
            Self::InvalidPath(p) => write!(f, "`{p}` is not a relative Nix path literal (`./name` or `../name`, letters, digits, `._-+` per segment)"),
            Self::InvalidIdentifier(i) => write!(f, "`{i}` is not a Nix identifier"),
            Self::InvalidPackage(p) => write!(f, "`{p}` is not a package's attribute path under `pkgs` (plain names joined by dots, such as `firefox` or `kdePackages.kate`)"),
            Self::NotInFormat { format, what } => write!(f, "a {format} cannot hold {what}"),
            Self::NotOneTag(set) if set.is_empty() => f.write_str("a tagged value sets exactly one of its options; none is set"),
            Self::NotOneTag(set) => write!(f, "a tagged value sets exactly one of its options; these are set: {set}"),
            Self::OutOfBounds { value, min, max } if *max == i64::MAX => write!(f, "{value} is out of bounds: the option takes integers of at least {min}"),
            Self::OutOfBounds { value, min, max } => write!(f, "{value} is out of bounds: the option takes integers from {min} to {max}"),
            Self::SetTwice(option) => write!(f, "`{option}` is set twice in one value; set it once"),
            Self::InOption { option, error } => write!(f, "`{option}`: {error}"),
        }
    }
}

impl std::error::Error for ValueError {}

/// A finite float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NixFloat(f64);

impl NixFloat {
    pub fn new(value: f64) -> Result<Self, ValueError> {
        if !value.is_finite() {
            Err(ValueError::NonFiniteFloat(value.to_string()))
        } else if value.is_subnormal() {
            Err(ValueError::SubnormalFloat(format!("{value:e}")))
        } else {
            Ok(Self(value))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// A string without NUL.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NixString(String);

impl NixString {
    pub fn new(text: impl Into<String>) -> Result<Self, ValueError> {
        let text = text.into();
        if text.contains('\0') {
            Err(ValueError::NulInString)
        } else {
            Ok(Self(text))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A relative path literal such as `./hosts/nixos-desk` or `../../modules/system/boot.nix`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NixPath(String);

impl NixPath {
    pub fn new(path: impl Into<String>) -> Result<Self, ValueError> {
        let path = path.into();
        let rest = path
            .strip_prefix("./")
            .or_else(|| path.strip_prefix("../"))
            .map(|rest| rest.trim_start_matches("../"));
        let valid_segment = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-+".contains(c))
        };
        match rest {
            Some(rest) if rest.split('/').all(valid_segment) => Ok(Self(path)),
            _ => Err(ValueError::InvalidPath(path)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Nix identifier: a variable such as `pkgs` or `lib`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(String);

impl Ident {
    pub fn new(name: impl Into<String>) -> Result<Self, ValueError> {
        let name = name.into();
        if is_plain_identifier(&name) {
            Ok(Self(name))
        } else {
            Err(ValueError::InvalidIdentifier(name))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The formal parameters of a function: `{ config, lib, pkgs, ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Formals {
    pub names: Vec<Ident>,
    pub ellipsis: bool,
    /// `{ ... } @ name`: the whole argument set under one name too.
    pub bind: Option<Ident>,
}

/// An attribute set. Keys are unique; entries keep the order they were first inserted
/// in, which is the order of the Rust source that defined them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attrs {
    entries: Vec<(String, Expr)>,
}

impl Attrs {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn entries(&self) -> &[(String, Expr)] {
        &self.entries
    }

    pub fn get(&self, key: &str) -> Option<&Expr> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut Expr> {
        self.entries
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Sets `key`, replacing an earlier value of the same key.
    pub fn insert(&mut self, key: impl Into<String>, value: Expr) -> &mut Self {
        let key = key.into();
        match self.get_mut(&key) {
            Some(slot) => *slot = value,
            None => self.entries.push((key, value)),
        }
        self
    }

    /// Builder form of [`Attrs::insert`].
    pub fn with(mut self, key: impl Into<String>, value: Expr) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets the value at a nested path, creating intermediate sets. Returns the value
    /// back when the path is blocked by a non-set value (or is empty), so the caller
    /// decides how to merge instead of silently losing a definition.
    pub fn insert_path(&mut self, path: &[String], value: Expr) -> Result<(), Expr> {
        let Some((last, parents)) = path.split_last() else {
            return Err(value);
        };
        let mut current = self;
        for key in parents {
            if current.get(key).is_none() {
                current.insert(key.clone(), Expr::Attrs(Attrs::new()));
            }
            match current.get_mut(key) {
                Some(Expr::Attrs(child)) => current = child,
                _ => return Err(value),
            }
        }
        if current.get(last).is_some() {
            return Err(value);
        }
        current.insert(last.clone(), value);
        Ok(())
    }
}

impl<K: Into<String>> FromIterator<(K, Expr)> for Attrs {
    /// As [`Attrs::insert`] for each pair (a repeated key keeps its first place and takes
    /// the last value), in linear time: a fleet's `nixosConfigurations` has a key per
    /// host.
    fn from_iter<I: IntoIterator<Item = (K, Expr)>>(iter: I) -> Self {
        let mut entries: Vec<(String, Expr)> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (k, v) in iter {
            let key = k.into();
            match index.get(&key) {
                Some(&i) => entries[i].1 = v,
                None => {
                    index.insert(key.clone(), entries.len());
                    entries.push((key, v));
                }
            }
        }
        Attrs { entries }
    }
}

/// A Nix expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Null,
    Bool(bool),
    Int(i64),
    Float(NixFloat),
    Str(NixString),
    Path(NixPath),
    List(Vec<Expr>),
    Attrs(Attrs),
    /// A variable with an optional attribute path: `pkgs.firefox`, `lib.mkDefault`.
    Select(Ident, Vec<String>),
    /// A package of the flake's own `pkgs/`, which its overlay adds to nixpkgs: printed
    /// as `pkgs.<name>`, and kept apart from other `pkgs.*` so the checker can tell that
    /// the flake has it.
    LocalPackage(String),
    /// A function of one argument: `final: prev: { ... }` is two of them.
    Function(Ident, Box<Expr>),
    /// Function application: `lib.mkOverride 900 value`.
    Apply(Box<Expr>, Vec<Expr>),
    Lambda(Formals, Box<Expr>),
    /// `let name = value; ... in body`.
    Let(Vec<(Ident, Expr)>, Box<Expr>),
    /// `left // right`: the attributes of both, the right one's where both have a name.
    Update(Box<Expr>, Box<Expr>),
    /// Nix source written by hand, for an expression the IR or the bindings lack
    /// (`pkgs.linuxPackages_latest`, `config.services.x.port + 1`). The checker parses
    /// each snippet on its own and points into it on error; the printer copies it as it
    /// is, parenthesised where precedence needs it.
    Raw(String),
}

impl Expr {
    /// A string value, rejecting NUL.
    pub fn string(text: impl Into<String>) -> Result<Self, ValueError> {
        NixString::new(text).map(Expr::Str)
    }

    /// A float value, rejecting NaN and infinities.
    pub fn float(value: f64) -> Result<Self, ValueError> {
        NixFloat::new(value).map(Expr::Float)
    }

    /// A relative path literal.
    pub fn path(path: impl Into<String>) -> Result<Self, ValueError> {
        NixPath::new(path).map(Expr::Path)
    }

    /// `var.attr.attr`, from a dotted name such as `"pkgs.firefox"`.
    pub fn select(dotted: &str) -> Result<Self, ValueError> {
        let mut parts = dotted.split('.');
        let var = Ident::new(parts.next().unwrap_or_default())?;
        let rest: Vec<String> = parts.map(str::to_owned).collect();
        if rest.iter().any(String::is_empty) {
            return Err(ValueError::InvalidIdentifier(dotted.to_owned()));
        }
        Ok(Expr::Select(var, rest))
    }

    /// A name known to be valid at compile time (`lib.mkForce`, `pkgs`).
    pub(crate) fn known(dotted: &'static str) -> Self {
        Self::select(dotted).expect("flakesmith's own identifiers are valid")
    }

    /// `function arg1 arg2 ...`.
    pub fn apply(function: Expr, args: impl IntoIterator<Item = Expr>) -> Self {
        Expr::Apply(Box::new(function), args.into_iter().collect())
    }

    /// The expressions directly inside this one, for walks that must not recurse
    /// (values can nest deeper than the stack allows).
    pub fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::List(items) => items.iter().collect(),
            Expr::Attrs(attrs) => attrs.entries().iter().map(|(_, v)| v).collect(),
            Expr::Apply(function, args) => std::iter::once(&**function).chain(args).collect(),
            Expr::Lambda(_, body) | Expr::Function(_, body) => vec![&**body],
            Expr::Update(left, right) => vec![&**left, &**right],
            Expr::Let(bindings, body) => bindings
                .iter()
                .map(|(_, v)| v)
                .chain(std::iter::once(&**body))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `import ./path`.
    pub fn import(path: NixPath) -> Self {
        Self::apply(Self::known("import"), [Expr::Path(path)])
    }
}

impl From<bool> for Expr {
    fn from(value: bool) -> Self {
        Expr::Bool(value)
    }
}

impl From<i64> for Expr {
    fn from(value: i64) -> Self {
        Expr::Int(value)
    }
}

impl From<Attrs> for Expr {
    fn from(value: Attrs) -> Self {
        Expr::Attrs(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_validation() {
        assert!(NixFloat::new(f64::NAN).is_err());
        assert!(NixFloat::new(f64::INFINITY).is_err());
        assert!(NixFloat::new(f64::NEG_INFINITY).is_err());
        assert!(NixFloat::new(-0.5).is_ok());
        assert!(NixFloat::new(5e-324).is_err());
        assert!(NixFloat::new(f64::MIN_POSITIVE).is_ok());
        assert!(NixFloat::new(0.0).is_ok());
        assert_eq!(NixString::new("a\0b"), Err(ValueError::NulInString));
        assert!(NixPath::new("./hosts/nixos-desk").is_ok());
        assert!(NixPath::new("../../modules/system/boot.nix").is_ok());
        for bad in [
            "hosts", "/etc/x", "./", "./a//b", "./a b", "./a/", ".../x", "./${x}",
        ] {
            assert!(NixPath::new(bad).is_err(), "{bad}");
        }
        assert!(Expr::select("pkgs.firefox").is_ok());
        assert!(Expr::select("pkgs..x").is_err());
        assert!(Expr::select("if.x").is_err());
    }

    #[test]
    fn insert_path_nests_and_refuses_clashes() {
        let mut attrs = Attrs::new();
        let p = |s: &str| s.split('.').map(str::to_owned).collect::<Vec<_>>();
        attrs
            .insert_path(&p("services.openssh.enable"), true.into())
            .unwrap();
        attrs
            .insert_path(&p("services.openssh.ports"), Expr::List(vec![]))
            .unwrap();
        assert!(attrs
            .insert_path(&p("services.openssh.enable"), false.into())
            .is_err());
        assert!(attrs
            .insert_path(&p("services.openssh.enable.x"), false.into())
            .is_err());
        let Some(Expr::Attrs(services)) = attrs.get("services") else {
            panic!()
        };
        assert_eq!(services.len(), 1);
    }
}
