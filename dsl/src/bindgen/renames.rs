//! Options renamed between two release lines, found in their option sets.
//!
//! NixOS declares a rename with `mkRenamedOptionModule`, whose old option is invisible:
//! it is not in the new release's `options.json`. What the data does show is a namespace
//! that vanished and one that appeared with the same options below it
//! (`hardware.pulseaudio.*` in 24.11, `services.pulseaudio.*` in 25.05). That is what is
//! found here: an old namespace none of whose options is left, matched to the new
//! namespace that has the same relative option names, at least two of them and at least
//! four in five of the old namespace's, and matched better than to any other. A single
//! renamed option (`services.asusd.auraConfig` → `auraConfigs`) cannot be told apart from
//! one removed and another added, and is not found.

use std::collections::{BTreeMap, BTreeSet};

use super::json::OptionDoc;

/// One option of the old line that the new line calls by another name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    pub from: Vec<String>,
    pub to: Vec<String>,
}

/// The renames from `old` to `new`, each option of a renamed namespace that has its
/// counterpart in the new one, in the order of the old names. Options below `*` (the
/// entries of lists of submodules) go with their list and are left out, and so are
/// those below `<name>` (their handles are methods of an entry, not constants).
pub fn renames(old: &[OptionDoc], new: &[OptionDoc]) -> Vec<Rename> {
    let old_names: BTreeSet<&[String]> = old.iter().map(|o| o.loc.as_slice()).collect();
    let new_names: BTreeSet<&[String]> = new.iter().map(|o| o.loc.as_slice()).collect();
    let old_prefixes = prefixes(&old_names);
    let new_prefixes = prefixes(&new_names);
    // Namespaces only one side has, with the relative names of the options below them.
    let vanished = below(&old_names, &new_prefixes);
    let appeared = below(&new_names, &old_prefixes);
    let mut by_suffix: BTreeMap<&[String], Vec<&[String]>> = BTreeMap::new();
    for (prefix, suffixes) in &appeared {
        for suffix in suffixes {
            by_suffix.entry(suffix).or_default().push(prefix);
        }
    }
    let mut found = Vec::new();
    for (from, suffixes) in &vanished {
        // Only the outermost vanished namespace: its parent is still there.
        let parent = &from[..from.len() - 1];
        if !parent.is_empty() && !new_prefixes.contains(parent) {
            continue;
        }
        let mut shared: BTreeMap<&[String], usize> = BTreeMap::new();
        for suffix in suffixes {
            for to in by_suffix.get(suffix).into_iter().flatten() {
                *shared.entry(to).or_default() += 1;
            }
        }
        let mut ranked: Vec<(&[String], usize)> = shared.into_iter().collect();
        ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
        let Some(&(to, count)) = ranked.first() else {
            continue;
        };
        let unique = ranked.get(1).is_none_or(|next| next.1 < count);
        if !unique || count < 2 || count * 5 < suffixes.len() * 4 {
            continue;
        }
        let mut pairs: Vec<Rename> = std::iter::once(Vec::new())
            .chain(suffixes.iter().map(|s| s.to_vec()))
            .filter(|suffix| !suffix.iter().any(|s| s == "*" || s == "<name>"))
            .map(|suffix| Rename {
                from: [*from, suffix.as_slice()].concat(),
                to: [to, suffix.as_slice()].concat(),
            })
            .filter(|r| old_names.contains(r.from.as_slice()))
            .filter(|r| new_names.contains(r.to.as_slice()))
            .collect();
        found.append(&mut pairs);
    }
    found.sort_by(|a, b| a.from.cmp(&b.from));
    found
}

/// Every namespace (proper prefix) of the names.
fn prefixes<'a>(names: &BTreeSet<&'a [String]>) -> BTreeSet<&'a [String]> {
    names
        .iter()
        .flat_map(|name| (1..name.len()).map(move |i| &name[..i]))
        .collect()
}

/// For each namespace of `names` that `other_prefixes` lacks, the relative names of
/// the options below it.
fn below<'a>(
    names: &BTreeSet<&'a [String]>,
    other_prefixes: &BTreeSet<&[String]>,
) -> BTreeMap<&'a [String], BTreeSet<&'a [String]>> {
    let mut out: BTreeMap<&[String], BTreeSet<&[String]>> = BTreeMap::new();
    for name in names {
        for i in 1..name.len() {
            if !other_prefixes.contains(&name[..i]) {
                out.entry(&name[..i]).or_default().insert(&name[i..]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(names: &[&str]) -> Vec<OptionDoc> {
        names
            .iter()
            .map(|name| OptionDoc {
                loc: name.split('.').map(str::to_owned).collect(),
                type_description: "boolean".to_owned(),
                default: None,
                example: None,
                description: String::new(),
                declarations: Vec::new(),
                read_only: false,
                submodules: 0,
            })
            .collect()
    }

    fn found(old: &[&str], new: &[&str]) -> Vec<String> {
        renames(&options(old), &options(new))
            .into_iter()
            .map(|r| format!("{} -> {}", r.from.join("."), r.to.join(".")))
            .collect()
    }

    #[test]
    fn a_namespace_that_moved_is_renamed_option_by_option() {
        let old = [
            "hardware.pulseaudio.enable",
            "hardware.pulseaudio.package",
            "hardware.pulseaudio.tcp.enable",
            "hardware.cpu.intel.updateMicrocode",
            "services.foo.enable",
        ];
        let new = [
            "services.pulseaudio.enable",
            "services.pulseaudio.package",
            "services.pulseaudio.tcp.enable",
            "hardware.cpu.intel.updateMicrocode",
            "services.foo.enable",
        ];
        assert_eq!(
            found(&old, &new),
            [
                "hardware.pulseaudio.enable -> services.pulseaudio.enable",
                "hardware.pulseaudio.package -> services.pulseaudio.package",
                "hardware.pulseaudio.tcp.enable -> services.pulseaudio.tcp.enable",
            ]
        );
    }

    #[test]
    fn one_shared_name_or_two_equal_candidates_are_not_a_rename() {
        // Only `enable` in common: any new service would match.
        assert!(found(&["services.old.enable"], &["services.new.enable"]).is_empty());
        // Two new namespaces match equally well.
        let old = ["services.x.enable", "services.x.port"];
        let new = [
            "services.y.enable",
            "services.y.port",
            "services.z.enable",
            "services.z.port",
        ];
        assert!(found(&old, &new).is_empty());
    }

    #[test]
    fn a_namespace_that_kept_any_option_did_not_move() {
        let old = ["services.x.enable", "services.x.port", "services.x.host"];
        let new = ["services.x.enable", "services.y.port", "services.y.host"];
        assert!(found(&old, &new).is_empty());
    }
}
