//! The bindings a configuration is typed against agree with the flake's release: the
//! configuration crate's `Cargo.toml` names one release line of NixOS's and of Home
//! Manager's bindings (`flakesmith-nixos-25-05`), and a flake on another release is told
//! which to depend on instead.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Kind};
use crate::model::Flake;
use crate::releases::{line_for, Line, HOME, NIXOS};

/// Checks the release lines `manifest` (the text of `Cargo.toml`, at `file`) depends on
/// against `flake`'s release.
pub fn bindings_release(flake: &Flake, file: &Path, manifest: &str, out: &mut Vec<Diagnostic>) {
    for (lines, what) in [(NIXOS, "NixOS"), (HOME, "Home Manager")] {
        for (line_number, used) in depended_on(manifest, lines) {
            let wanted = line_for(lines, &flake.release);
            let label = |d: Diagnostic, note: &str| {
                d.at_nix(file.display().to_string(), manifest, line_number, 1, note)
                    .at(flake.location, format!("the flake is on {}", flake.release))
            };
            match wanted {
                Some(wanted) if wanted.package != used.package => out.push(
                    label(
                        Diagnostic::new(
                            Kind::BindingsRelease,
                            format!(
                                "the flake is on NixOS {}, but its {what} options are typed against the {} bindings ({})",
                                flake.release, used.release, used.package
                            ),
                        ),
                        &format!("typed against {what} {}", used.release),
                    )
                    .help(format!(
                        "depend on `{}` instead of `{}` in {} (same features; the code is unchanged: both are `{}`)",
                        wanted.package,
                        used.package,
                        file.display(),
                        if what == "NixOS" { "flakesmith_nixos" } else { "flakesmith_home" }
                    )),
                ),
                None if used.package != lines.last().expect("a line").package => out.push(
                    label(
                        Diagnostic::new(
                            Kind::BindingsRelease,
                            format!(
                                "the flake is on NixOS {}, newer than every shipped {what} release line, and its options are typed against the older {}",
                                flake.release, used.package
                            ),
                        ),
                        &format!("typed against {what} {}", used.release),
                    )
                    .help(format!(
                        "depend on `{}`, the newest, or generate bindings from your own pin (the guide's bindings chapter, `flakesmith::guide::bindings`)",
                        lines.last().expect("a line").package
                    )),
                ),
                None => out.push(
                    label(
                        Diagnostic::new(
                            Kind::BindingsOlderThanRelease,
                            format!(
                                "the flake is on NixOS {}, newer than the {what} bindings it is typed against ({}, the newest shipped): options added or renamed since are not known to them",
                                flake.release, used.release
                            ),
                        ),
                        &format!("typed against {what} {}", used.release),
                    )
                    .help("generate bindings from your own pin (the guide's bindings chapter, `flakesmith::guide::bindings`), or pin the flake to the bindings' release"),
                ),
                Some(_) => {}
            }
        }
    }
}

/// The release lines of `lines` the manifest names, as a dependency's key or as its
/// `package = "..."`, with the 1-based line number.
fn depended_on(manifest: &str, lines: &'static [Line]) -> Vec<(usize, &'static Line)> {
    manifest
        .lines()
        .enumerate()
        .filter(|(_, text)| !text.trim_start().starts_with('#'))
        .filter_map(|(index, text)| {
            let key = text.split('=').next().unwrap_or_default().trim();
            let used = lines.iter().find(|line| {
                key == line.package || text.contains(&format!("package = \"{}\"", line.package))
            })?;
            Some((index + 1, used))
        })
        .collect()
}
