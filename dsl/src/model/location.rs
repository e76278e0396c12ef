use std::fmt;

/// A place in the user's Rust source, taken with `#[track_caller]`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: &'static str,
    pub line: u32,
    pub column: u32,
}

impl Location {
    /// The location of the caller of the `#[track_caller]` function calling this.
    #[track_caller]
    pub fn caller() -> Self {
        let caller = std::panic::Location::caller();
        Self {
            file: caller.file(),
            line: caller.line(),
            column: caller.column(),
        }
    }
}

impl Location {
    /// The file, as messages show it (`dir/..` pairs removed).
    pub fn file_name(&self) -> String {
        normalise(self.file)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", normalise(self.file), self.line, self.column)
    }
}

/// Removes `dir/..` pairs, so a module included with `#[path = "../config/mod.rs"]`
/// reads `example-config/config/hosts.rs` rather than `example-config/src/../config/hosts.rs`.
fn normalise(file: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in file.split('/') {
        match part {
            "." => {}
            ".." if parts.last().is_some_and(|p| *p != ".." && !p.is_empty()) => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_normalised_paths() {
        let location = Location {
            file: "example-config/src/../config/./hosts.rs",
            line: 3,
            column: 9,
        };
        assert_eq!(location.to_string(), "example-config/config/hosts.rs:3:9");
        assert_eq!(normalise("../x/../y"), "../y");
        assert_eq!(normalise("/abs/a/../b"), "/abs/b");
    }
}
