//! The release lines flakesmith ships bindings for, and which of them types a flake on a
//! given release. Each line is a crate of its own under `dsl/bindings/`; all NixOS lines
//! are the library `flakesmith_nixos` and all Home Manager lines `flakesmith_home`, so a
//! configuration's code reads the same whichever it depends on.

/// One release line's bindings crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// The release it follows, `YY.MM`.
    pub release: &'static str,
    /// Its package, as a configuration's `Cargo.toml` names it.
    pub package: &'static str,
    /// Its directory under `dsl/bindings/`.
    pub dir: &'static str,
    /// The option data (in `dsl/data/`) it is generated from.
    pub data: &'static str,
}

/// NixOS's lines, oldest first.
pub const NIXOS: &[Line] = &[
    Line {
        release: "24.11",
        package: "flakesmith-nixos-24-11",
        dir: "nixos-24.11",
        data: "nixos-options-unstable-2024-12.json",
    },
    Line {
        release: "25.05",
        package: "flakesmith-nixos-25-05",
        dir: "nixos-25.05",
        data: "nixos-options-unstable-2025-02.json",
    },
];

/// Home Manager's lines, oldest first.
pub const HOME: &[Line] = &[
    Line {
        release: "24.11",
        package: "flakesmith-home-24-11",
        dir: "home-24.11",
        data: "home-manager-options-master-2024-07.json",
    },
    Line {
        release: "25.05",
        package: "flakesmith-home-25-05",
        dir: "home-25.05",
        data: "home-manager-options-25.05.json",
    },
    Line {
        release: "26.05",
        package: "flakesmith-home-26-05",
        dir: "home-26.05",
        data: "home-manager-options-26.05.json",
    },
];

/// The newest release with both a NixOS and a Home Manager line: what `flakesmith new`
/// starts a configuration on.
pub fn newest() -> &'static str {
    let nixos = NIXOS.last().expect("a NixOS line").release;
    HOME.iter()
        .rev()
        .map(|line| line.release)
        .find(|release| order(release) <= order(nixos))
        .unwrap_or(nixos)
}

/// The line that types a flake on `release`: the oldest at or after it (a release
/// between two lines takes the later, whose options it is closer to having); `None` when
/// `release` is newer than every line.
pub fn line_for(lines: &'static [Line], release: &str) -> Option<&'static Line> {
    let wanted = order(release);
    lines.iter().find(|line| order(line.release) >= wanted)
}

/// The line a configuration on `release` is given: [`line_for`], else the newest.
pub fn line_or_newest(lines: &'static [Line], release: &str) -> &'static Line {
    line_for(lines, release).unwrap_or_else(|| lines.last().expect("a line"))
}

/// `YY.MM` as a number that orders releases (`24.11` → 2411); 0 for anything else.
fn order(release: &str) -> u32 {
    release
        .split_once('.')
        .and_then(|(year, month)| {
            Some(year.parse::<u32>().ok()? * 100 + month.parse::<u32>().ok()?)
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_takes_the_oldest_line_at_or_after_it() {
        assert_eq!(line_for(NIXOS, "24.05").unwrap().release, "24.11");
        assert_eq!(line_for(NIXOS, "24.11").unwrap().release, "24.11");
        assert_eq!(line_for(NIXOS, "25.05").unwrap().release, "25.05");
        assert_eq!(line_for(NIXOS, "25.11"), None);
        assert_eq!(line_or_newest(NIXOS, "26.05").release, "25.05");
        assert_eq!(line_for(HOME, "25.11").unwrap().release, "26.05");
        assert_eq!(newest(), "25.05");
    }
}
