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

/// Parses `text` with rnix. Its errors are worded as Nix words its own (`unexpected
/// `}``, `unexpected end of file`), with the text found rather than rnix's token names.
pub fn validate_rnix(text: &str) -> Result<(), SyntaxError> {
    let parse = rnix::Root::parse(text);
    let Some(error) = parse.errors().first() else {
        return Ok(());
    };
    use rnix::ParseError as E;
    let found = |range: &rnix::TextRange| found_text(text, range);
    let (offset, message) = match error {
        E::Unexpected(range) => (range.start(), format!("unexpected {}", found(range))),
        E::UnexpectedExtra(range) => (
            range.start(),
            format!(
                "unexpected {} after the end of the expression",
                found(range)
            ),
        ),
        E::UnexpectedWanted(_, range, wanted) => (
            range.start(),
            format!("unexpected {}{}", found(range), expecting(wanted)),
        ),
        E::UnexpectedDoubleBind(range) => (
            range.start(),
            "a function argument is bound with `@` twice".to_owned(),
        ),
        E::DuplicatedArgs(range, name) => (
            range.start(),
            format!("duplicate formal function argument `{name}`"),
        ),
        E::UnexpectedEOF => (end(text), "unexpected end of file".to_owned()),
        E::UnexpectedEOFWanted(wanted) => (
            end(text),
            format!("unexpected end of file{}", expecting(wanted)),
        ),
        E::RecursionLimitExceeded => (end(text), "expression nested too deeply".to_owned()),
        other => (0.into(), other.to_string()),
    };
    let (line, column) = line_column(text, usize::from(offset));
    Err(SyntaxError {
        line,
        column,
        message,
    })
}

fn end(text: &str) -> rnix::TextSize {
    rnix::TextSize::try_from(text.len()).unwrap_or(rnix::TextSize::from(u32::MAX))
}

/// What the parser found at `range`, quoted: the text itself (its first line, shortened),
/// as Nix shows the token it did not expect.
fn found_text(text: &str, range: &rnix::TextRange) -> String {
    let start = usize::from(range.start()).min(text.len());
    let stop = usize::from(range.end()).clamp(start, text.len());
    let found = text.get(start..stop).unwrap_or_default();
    let first_line = found.lines().next().unwrap_or_default().trim();
    match first_line.chars().count() {
        0 => "end of line".to_owned(),
        1..=20 => format!("`{first_line}`"),
        _ => format!("`{}...`", first_line.chars().take(20).collect::<String>()),
    }
}

/// `, expecting `;` or `}`` for the tokens the parser wanted that have one spelling.
fn expecting(wanted: &[rnix::SyntaxKind]) -> String {
    use rnix::SyntaxKind as K;
    let spelled: Vec<String> = wanted
        .iter()
        .filter_map(|kind| {
            Some(
                match kind {
                    K::TOKEN_ASSIGN => "`=`",
                    K::TOKEN_SEMICOLON => "`;`",
                    K::TOKEN_COLON => "`:`",
                    K::TOKEN_COMMA => "`,`",
                    K::TOKEN_DOT => "`.`",
                    K::TOKEN_L_BRACE => "`{`",
                    K::TOKEN_R_BRACE => "`}`",
                    K::TOKEN_L_BRACK => "`[`",
                    K::TOKEN_R_BRACK => "`]`",
                    K::TOKEN_L_PAREN => "`(`",
                    K::TOKEN_R_PAREN => "`)`",
                    K::TOKEN_IN => "`in`",
                    K::TOKEN_THEN => "`then`",
                    K::TOKEN_ELSE => "`else`",
                    K::TOKEN_IDENT => "a name",
                    _ => return None,
                }
                .to_owned(),
            )
        })
        .collect();
    match spelled.as_slice() {
        [] => String::new(),
        [one] => format!(", expecting {one}"),
        [init @ .., last] => format!(", expecting {} or {last}", init.join(", ")),
    }
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
    fn rnix_errors_say_what_nix_would() {
        let said = |text: &str| validate_rnix(text).unwrap_err().to_string();
        assert_eq!(
            said("{ a = 1; }}"),
            "1:11: unexpected `}` after the end of the expression"
        );
        assert_eq!(
            said("{\n  fileSystems.\"/\" = {\n}\n"),
            "4:1: unexpected end of file, expecting `;`"
        );
        let message = said("{ a = 1 }");
        assert!(message.starts_with("1:9: unexpected `}`"), "{message}");
        assert!(!said("{ a = ; }").contains("TOKEN_"));
    }

    #[test]
    fn line_columns_count_characters() {
        assert_eq!(line_column("ü\nab", 4), (2, 2));
        assert_eq!(line_column("abc", 99), (1, 4));
    }
}
