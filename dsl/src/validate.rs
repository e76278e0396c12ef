//! Parsing every file before it is written.
//!
//! Two parsers are available. rnix (pure Rust) is always built, so a configuration
//! builds on a machine with only a Rust toolchain and a C compiler. With the `nixel`
//! feature, nixel, which wraps the real Nix lexer and parser, is the validator: its
//! verdicts and positions match `nix-instantiate --parse`.

use std::fmt;

/// Where and why a text is not valid Nix. Line and column are 1-based.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Parses `text` with the validator this build uses: nixel with the `nixel` feature,
/// rnix otherwise.
pub fn validate(text: &str) -> Result<(), SyntaxError> {
    #[cfg(feature = "nixel")]
    {
        validate_nixel(text)
    }
    #[cfg(not(feature = "nixel"))]
    {
        validate_rnix(text)
    }
}

/// The validator's name, for messages and reports.
pub fn validator_name() -> &'static str {
    if cfg!(feature = "nixel") {
        "nixel"
    } else {
        "rnix"
    }
}

/// Parses `text` with rnix.
pub fn validate_rnix(text: &str) -> Result<(), SyntaxError> {
    let parse = rnix::Root::parse(text);
    let Some(error) = parse.errors().first() else {
        return Ok(());
    };
    use rnix::ParseError as E;
    let offset = match error {
        E::Unexpected(range)
        | E::UnexpectedExtra(range)
        | E::UnexpectedWanted(_, range, _)
        | E::UnexpectedDoubleBind(range)
        | E::DuplicatedArgs(range, _) => usize::from(range.start()),
        E::UnexpectedEOF | E::UnexpectedEOFWanted(_) | E::RecursionLimitExceeded => text.len(),
        _ => 0,
    };
    let (line, column) = line_column(text, offset);
    Err(SyntaxError {
        line,
        column,
        message: error.to_string(),
    })
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Parses `text` with nixel, the real Nix parser.
///
/// nixel is not thread-safe, so calls are serialised behind one lock. Its parser also
/// leaks a little memory on every rejected input, which is bounded by the number of
/// invalid files a build sees.
#[cfg(feature = "nixel")]
pub fn validate_nixel(text: &str) -> Result<(), SyntaxError> {
    use std::sync::Mutex;
    static NIXEL: Mutex<()> = Mutex::new(());
    // nixel reads up to a terminating pair of NUL bytes; an embedded NUL would end the
    // input early and hide the rest of the file from the check.
    if let Some(offset) = text.find('\0') {
        let (line, column) = line_column(text, offset);
        return Err(SyntaxError {
            line,
            column,
            message: "NUL character in Nix source".into(),
        });
    }
    let parsed = {
        let _guard = NIXEL
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        nixel::parse(text.to_owned())
    };
    match &*parsed.expression {
        nixel::Expression::Error(error) => Err(SyntaxError {
            line: error.span.start.line,
            column: error.span.start.column,
            message: error.message.to_string(),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_nix() {
        assert_eq!(validate("{ a = 1; }"), Ok(()));
        assert_eq!(validate_rnix("{ a = 1; }"), Ok(()));
    }

    #[test]
    fn reports_position_of_errors() {
        let error = validate_rnix("{\n  a = ;\n}\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 7));
        let error = validate("{\n  a = ;\n}\n").unwrap_err();
        assert_eq!(error.line, 2);
    }

    #[test]
    fn line_columns_count_characters() {
        assert_eq!(line_column("ü\nab", 4), (2, 2));
        assert_eq!(line_column("abc", 99), (1, 4));
    }
}
