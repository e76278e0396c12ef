//! `flakesmith options sync`: bindings typed against exactly the nixpkgs a configuration
//! pins. The nixpkgs revision comes from the flake's `flake.lock` (or a path given on the
//! command line); its `options.json` is evaluated with the real Nix; the bindings are
//! generated into a crate inside the configuration (`bindings/nixos-pinned/`), whose
//! library is `flakesmith_nixos` like every shipped line, so the configuration's code is
//! unchanged; and the configuration's `Cargo.toml` is pointed at it.
//!
//! This module holds the steps that are ours (reading the lock, writing the manifests);
//! the command runs Nix and the generator between them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A kind of release line that can be synced: NixOS from the `nixpkgs` input, Home
/// Manager from the `home-manager` input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pinned {
    /// What it is, for messages.
    pub what: &'static str,
    /// The flake input it comes from.
    pub input: &'static str,
    /// The package and directory of the pinned bindings inside a configuration crate.
    pub package: &'static str,
    pub dir: &'static str,
    /// The library every line of this kind is.
    pub lib: &'static str,
    /// The prefix of the shipped lines' packages the pinned crate replaces.
    pub shipped_prefix: &'static str,
}

pub const NIXOS: Pinned = Pinned {
    what: "NixOS",
    input: "nixpkgs",
    package: "flakesmith-nixos-pinned",
    dir: "bindings/nixos-pinned",
    lib: "flakesmith_nixos",
    shipped_prefix: "flakesmith-nixos-",
};

pub const HOME_MANAGER: Pinned = Pinned {
    what: "Home Manager",
    input: "home-manager",
    package: "flakesmith-home-pinned",
    dir: "bindings/home-pinned",
    lib: "flakesmith_home",
    shipped_prefix: "flakesmith-home-",
};

/// Other flakes' NixOS modules (sops-nix, disko, a flake of your own modules): each
/// input's module evaluated on top of the pinned NixOS, generated into one crate whose
/// library is `flakesmith_inputs` like the shipped one, a module and a feature per input.
pub const INPUTS: Pinned = Pinned {
    what: "input flakes'",
    input: "",
    package: "flakesmith-inputs-pinned",
    dir: "bindings/inputs-pinned",
    lib: "flakesmith_inputs",
    shipped_prefix: "flakesmith-inputs",
};

/// The module each input the shipped `flakesmith-inputs` binds is imported as.
pub const KNOWN_MODULES: &[(&str, &str)] = &[
    ("sops-nix", "nixosModules.sops"),
    ("agenix", "nixosModules.default"),
    ("disko", "nixosModules.disko"),
    ("impermanence", "nixosModules.impermanence"),
];

/// The input flakes to sync, each with the attribute path of its module below the flake's
/// outputs: the features of the manifest's `flakesmith-inputs` dependency (modules
/// flakesmith knows), then `extra` (`--input NAME=ATTR`, which also names the module of
/// any other flake). A feature whose module is unknown and not given is an error.
pub fn inputs_to_sync(
    manifest: &str,
    extra: &[(String, String)],
) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let features = manifest
        .lines()
        .filter(|line| dependency_name(line).starts_with(INPUTS.shipped_prefix))
        .flat_map(features_of)
        .filter(|feature| feature != "all");
    for feature in features {
        let attr = extra
            .iter()
            .find(|(name, _)| *name == feature)
            .map(|(_, attr)| attr.as_str())
            .or_else(|| {
                KNOWN_MODULES
                    .iter()
                    .find(|(name, _)| *name == feature)
                    .map(|(_, attr)| *attr)
            })
            .ok_or_else(|| {
                format!("the input `{feature}` has no module flakesmith knows: name it with --input {feature}=nixosModules.NAME")
            })?;
        if !out.iter().any(|(name, _)| *name == feature) {
            out.push((feature, attr.split('.').map(str::to_owned).collect()));
        }
    }
    for (name, attr) in extra {
        if !out.iter().any(|(n, _)| n == name) {
            out.push((name.clone(), attr.split('.').map(str::to_owned).collect()));
        }
    }
    Ok(out)
}

/// The Nix expression of the options of the module at `attr` of the flake in `src`,
/// evaluated on top of the NixOS of `nixpkgs`. The flake's `outputs` gets the pinned
/// nixpkgs as `nixpkgs`, itself as `self`, and for any other input it names a stand-in
/// that stops the evaluation with a message only if the module's options need it.
pub fn input_options_expression(src: &str, nixpkgs: &str, attr: &[String]) -> String {
    let attr: Vec<String> = attr.iter().map(|a| crate::nix::double_quoted(a)).collect();
    format!(
        "let src = {src}; nixpkgs = {nixpkgs}; lib = import (nixpkgs + \"/lib\"); \
         flake = import (src + \"/flake.nix\"); \
         missing = name: throw \"flakesmith options sync: the module needs the input `${{name}}` of ${{toString src}}, which is not given\"; \
         inputs = builtins.mapAttrs (name: _: missing name) (builtins.functionArgs flake.outputs) \
           // {{ nixpkgs = {{ inherit lib; outPath = nixpkgs; }}; self = outputs // {{ outPath = src; }}; }}; \
         outputs = flake.outputs inputs; \
         module = lib.attrByPath [ {attr} ] (throw \"flakesmith options sync: ${{toString src}}/flake.nix has no output {dotted}\") outputs; \
         in (import (nixpkgs + \"/nixos/lib/eval-config.nix\") {{ system = \"x86_64-linux\"; modules = [ module ]; }}).options",
        attr = attr.join(" "),
        dotted = attr.iter().map(|a| a.trim_matches('"')).collect::<Vec<_>>().join("."),
    )
}

/// The Rust module of an input in the pinned inputs crate (`sops-nix` → `sops_nix`), as
/// in the shipped one.
pub fn input_module(input: &str) -> String {
    super::naming::module_name(input)
}

/// The manifest with the pinned inputs crate as a build dependency where no inputs
/// crate was one (inputs named with `--input` only).
pub fn add_pinned_inputs(manifest: &str, features: &[String]) -> String {
    if INPUTS.used_by(manifest) {
        return manifest.to_owned();
    }
    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let line = format!(
        "{} = {{ path = {:?}, features = [{}] }}\n",
        INPUTS.package,
        INPUTS.dir,
        features.join(", ")
    );
    match manifest.find("[build-dependencies]\n") {
        Some(at) => {
            let at = at + "[build-dependencies]\n".len();
            format!("{}{line}{}", &manifest[..at], &manifest[at..])
        }
        None => format!("{manifest}\n[build-dependencies]\n{line}"),
    }
}

/// The root of the pinned inputs crate: a module and a feature per input.
pub fn inputs_lib_rs(inputs: &[String]) -> String {
    let mut out = String::from(
        "//! @generated by `flakesmith options sync`: other flakes' NixOS modules, typed.\n\
         #![doc(html_no_source)]\n#![allow(clippy::module_inception)]\n\n",
    );
    for input in inputs {
        out.push_str(&format!(
            "/// {input}'s NixOS module.\n#[cfg(feature = {input:?})]\n#[rustfmt::skip]\npub mod {};\n",
            input_module(input)
        ));
    }
    out
}

impl Pinned {
    /// Whether the configuration's manifest depends on a line of this kind.
    pub fn used_by(&self, manifest: &str) -> bool {
        manifest
            .lines()
            .any(|line| dependency_name(line).starts_with(self.shipped_prefix))
    }
}

/// The key of a manifest line (`flakesmith-nixos-25-05` in `flakesmith-nixos-25-05 = {...}`).
fn dependency_name(line: &str) -> &str {
    line.split('=').next().unwrap_or_default().trim()
}

/// Where a locked input's source is.
#[derive(Debug, PartialEq)]
pub enum LockedSource {
    /// A `path` input: the directory itself.
    Path(PathBuf),
    /// Anything else (`github`, `git`, `tarball`, ...): the `locked` attributes, which
    /// Nix's `builtins.fetchTree` takes as they are.
    Fetch(serde_json::Value),
}

impl LockedSource {
    /// What to call it in messages and in the generated crate: the path, or
    /// `owner/repo@rev` where the lock names them.
    pub fn describe(&self) -> String {
        match self {
            LockedSource::Path(path) => path.display().to_string(),
            LockedSource::Fetch(locked) => {
                let field = |name: &str| locked.get(name).and_then(|v| v.as_str());
                match (field("owner"), field("repo"), field("rev")) {
                    (Some(owner), Some(repo), Some(rev)) => format!("{owner}/{repo}@{rev}"),
                    (_, _, Some(rev)) => format!("{}@{rev}", field("url").unwrap_or("source")),
                    _ => locked.to_string(),
                }
            }
        }
    }
}

/// The locked source of the root input `input` (`nixpkgs`) in the text of a `flake.lock`.
pub fn locked_input(lock: &str, input: &str) -> Result<LockedSource, String> {
    let lock: serde_json::Value =
        serde_json::from_str(lock).map_err(|e| format!("flake.lock is not JSON: {e}"))?;
    let nodes = lock
        .get("nodes")
        .and_then(|n| n.as_object())
        .ok_or("flake.lock has no `nodes`")?;
    let root = lock.get("root").and_then(|r| r.as_str()).unwrap_or("root");
    let node_name = node_of(nodes, root, input)?;
    let locked = nodes
        .get(&node_name)
        .and_then(|node| node.get("locked"))
        .ok_or_else(|| format!("flake.lock's input `{input}` is not locked"))?;
    match locked.get("type").and_then(|t| t.as_str()) {
        Some("path") => locked
            .get("path")
            .and_then(|p| p.as_str())
            .map(|p| LockedSource::Path(PathBuf::from(p)))
            .ok_or_else(|| format!("flake.lock's input `{input}` is a path input without a path")),
        Some(_) => Ok(LockedSource::Fetch(locked.clone())),
        None => Err(format!("flake.lock's input `{input}` has no source type")),
    }
}

/// The node a root input names: directly, or through `follows` (a list of input names
/// walked from the root, each of which may itself follow another).
fn node_of(
    nodes: &serde_json::Map<String, serde_json::Value>,
    root: &str,
    input: &str,
) -> Result<String, String> {
    let steps = [serde_json::Value::String(input.to_owned())];
    resolve(nodes, root, &steps, 0).ok_or_else(|| {
        format!("flake.lock has no input `{input}`: is this the lock of the configuration's flake?")
    })
}

/// The node the input path `steps` leads to from the root.
fn resolve(
    nodes: &serde_json::Map<String, serde_json::Value>,
    root: &str,
    steps: &[serde_json::Value],
    depth: usize,
) -> Option<String> {
    // A lock follows at most as deep as its inputs nest; a cycle is not a lock Nix wrote.
    if depth > 32 {
        return None;
    }
    let mut node = root.to_owned();
    for step in steps {
        let next = nodes.get(&node)?.get("inputs")?.get(step.as_str()?)?;
        node = match next {
            serde_json::Value::String(name) => name.clone(),
            serde_json::Value::Array(path) => resolve(nodes, root, path, depth + 1)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The Nix expression that fetches a locked source and gives its store path (what
/// `nix flake metadata` shows for it).
pub fn fetch_expression(locked: &serde_json::Value) -> String {
    let json = locked
        .to_string()
        .replace('\\', "\\\\")
        .replace('"', "\\\"");
    format!("(builtins.fetchTree (builtins.fromJSON \"{json}\")).outPath")
}

/// The configuration manifest with every shipped NixOS bindings dependency
/// (`flakesmith-nixos-25-05 = { ... features = [...] }`) replaced by the pinned crate,
/// keeping the features the pinned crate has. Returns the new manifest, the packages it
/// replaced, and the features the pinned crate lacks (dropped, and reported).
pub fn point_manifest_at_pinned(
    pinned: &Pinned,
    manifest: &str,
    pinned_features: &BTreeMap<String, Vec<String>>,
) -> (String, Vec<String>, Vec<String>) {
    let (mut replaced, mut dropped) = (Vec::new(), Vec::new());
    let mut out = String::new();
    for line in manifest.lines() {
        let package = dependency_name(line);
        let shipped = package.starts_with(pinned.shipped_prefix) && package != pinned.package;
        if !(shipped || package == pinned.package) {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut kept = Vec::new();
        for feature in features_of(line) {
            if feature == "all" || pinned_features.contains_key(&feature) {
                kept.push(format!("{feature:?}"));
            } else {
                dropped.push(feature);
            }
        }
        if shipped {
            replaced.push(package.to_owned());
        }
        out.push_str(&format!(
            "{} = {{ path = {:?}, features = [{}] }}\n",
            pinned.package,
            pinned.dir,
            kept.join(", ")
        ));
    }
    (out, replaced, dropped)
}

/// The quoted words of a dependency line's `features = [...]`.
fn features_of(line: &str) -> Vec<String> {
    let Some(start) = line.find("features") else {
        return Vec::new();
    };
    let list = &line[start..];
    let list = &list[list.find('[').map_or(list.len(), |i| i + 1)..];
    let list = &list[..list.find(']').unwrap_or(list.len())];
    list.split(',')
        .map(|f| f.trim().trim_matches('"').to_owned())
        .filter(|f| !f.is_empty())
        .collect()
}

/// The pinned crate's `Cargo.toml`: the line's library on the configuration's own
/// `flakesmith` dependency (its path, if relative, seen from the crate's directory).
pub fn pinned_manifest(
    pinned: &Pinned,
    configuration_manifest: &str,
    features_table: &str,
    source: &str,
) -> Result<String, String> {
    let flakesmith = configuration_manifest
        .lines()
        .find(|line| dependency_name(line) == "flakesmith")
        .ok_or("the configuration's Cargo.toml has no `flakesmith` dependency")?;
    let spec = flakesmith
        .split_once('=')
        .map_or("", |(_, spec)| spec)
        .trim();
    let spec = relocate_path(spec, Path::new(pinned.dir));
    let spec = match spec.strip_suffix('}') {
        Some(inner) if !spec.contains("default-features") => {
            format!("{}, default-features = false }}", inner.trim_end())
        }
        _ => spec,
    };
    Ok(format!(
        "# Generated by `flakesmith options sync` {source}; run it again rather than edit.\n\
         [package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         # Like every {what} release line of the bindings, the library `{lib}`.\n\
         [lib]\nname = \"{lib}\"\ndoctest = false\n\n\
         [dependencies]\nflakesmith = {spec}\n\n{features_table}",
        package = pinned.package,
        what = pinned.what,
        lib = pinned.lib,
    ))
}

/// A dependency spec whose relative `path = "..."` is made relative to `dir` (a
/// directory below the configuration crate).
fn relocate_path(spec: &str, dir: &Path) -> String {
    let Some(start) = spec.find("path") else {
        return spec.to_owned();
    };
    let rest = &spec[start..];
    let (Some(open), Some(len)) = (
        rest.find('"'),
        rest.find('"').and_then(|o| rest[o + 1..].find('"')),
    ) else {
        return spec.to_owned();
    };
    let path = &rest[open + 1..open + 1 + len];
    if Path::new(path).is_absolute() {
        return spec.to_owned();
    }
    let up = "../".repeat(dir.components().count());
    format!(
        "{}{up}{path}{}",
        &spec[..start + open + 1],
        &rest[open + 1 + len..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCK: &str = r#"{
  "nodes": {
    "home-manager": { "inputs": { "nixpkgs": ["nixpkgs"] },
      "locked": { "owner": "nix-community", "repo": "home-manager", "rev": "abc", "type": "github", "narHash": "sha256-x" } },
    "nixpkgs": { "locked": { "lastModified": 1, "owner": "NixOS", "repo": "nixpkgs", "rev": "0123", "type": "github", "narHash": "sha256-y" } },
    "local": { "locked": { "path": "/src/nixpkgs", "type": "path", "narHash": "sha256-z" } },
    "root": { "inputs": { "home-manager": "home-manager", "nixpkgs": "nixpkgs", "mine": "local", "same": ["home-manager", "nixpkgs"] } }
  },
  "root": "root",
  "version": 7
}"#;

    #[test]
    fn inputs_are_found_directly_and_through_follows() {
        assert_eq!(
            locked_input(LOCK, "mine").unwrap(),
            LockedSource::Path("/src/nixpkgs".into())
        );
        let nixpkgs = locked_input(LOCK, "nixpkgs").unwrap();
        assert_eq!(nixpkgs.describe(), "NixOS/nixpkgs@0123");
        assert_eq!(locked_input(LOCK, "same").unwrap(), nixpkgs);
        assert!(locked_input(LOCK, "disko")
            .unwrap_err()
            .contains("no input `disko`"));
        let LockedSource::Fetch(locked) = nixpkgs else {
            panic!()
        };
        assert!(
            fetch_expression(&locked).starts_with("(builtins.fetchTree (builtins.fromJSON \"{\\\"")
        );
    }

    #[test]
    fn the_manifest_points_at_the_pinned_crate_keeping_its_features() {
        let manifest = "[build-dependencies]\nflakesmith = { path = \"../flakesmith/dsl\" }\nflakesmith-nixos-25-05 = { path = \"../flakesmith/dsl/bindings/nixos-25.05\", features = [\"boot\", \"networking\", \"services-x\"] }\nflakesmith-home-25-05 = { path = \"h\", features = [\"programs\"] }\n";
        let features: BTreeMap<String, Vec<String>> = [("boot", vec![]), ("networking", vec![])]
            .into_iter()
            .map(|(f, i)| (f.to_owned(), i))
            .collect();
        let (out, replaced, dropped) = point_manifest_at_pinned(&NIXOS, manifest, &features);
        assert!(out.contains("flakesmith-nixos-pinned = { path = \"bindings/nixos-pinned\", features = [\"boot\", \"networking\"] }\n"), "{out}");
        assert!(
            out.contains("flakesmith-home-25-05 = { path = \"h\""),
            "{out}"
        );
        assert_eq!(replaced, ["flakesmith-nixos-25-05"]);
        assert_eq!(dropped, ["services-x"]);
        // Run again, it stays as it is.
        assert_eq!(point_manifest_at_pinned(&NIXOS, &out, &features).0, out);
        let (home, replaced, _) = point_manifest_at_pinned(&HOME_MANAGER, &out, &features);
        assert!(
            home.contains(
                "flakesmith-home-pinned = { path = \"bindings/home-pinned\", features = [] }"
            ),
            "{home}"
        );
        assert_eq!(replaced, ["flakesmith-home-25-05"]);
        assert!(NIXOS.used_by(manifest) && HOME_MANAGER.used_by(manifest));
        let pinned = pinned_manifest(&NIXOS, manifest, "[features]\nall = []\n", "from x").unwrap();
        assert!(
            pinned.contains(
                "flakesmith = { path = \"../../../flakesmith/dsl\", default-features = false }"
            ),
            "{pinned}"
        );
    }

    #[test]
    fn input_flakes_to_sync_come_from_the_inputs_features_and_from_input_flags() {
        let manifest = "[build-dependencies]\nflakesmith = { path = \"f\" }\nflakesmith-inputs = { path = \"i\", features = [\"sops-nix\", \"disko\"] }\n";
        let mine = [("my-modules".to_owned(), "nixosModules.default".to_owned())];
        let inputs = inputs_to_sync(manifest, &mine).unwrap();
        let named: Vec<String> = inputs
            .iter()
            .map(|(input, attr)| format!("{input} {}", attr.join(".")))
            .collect();
        assert_eq!(
            named,
            [
                "sops-nix nixosModules.sops",
                "disko nixosModules.disko",
                "my-modules nixosModules.default"
            ]
        );
        let unknown = "flakesmith-inputs = { path = \"i\", features = [\"nixos-wsl\"] }\n";
        assert!(inputs_to_sync(unknown, &[])
            .unwrap_err()
            .contains("--input nixos-wsl=nixosModules.NAME"));
        // A configuration without the shipped inputs crate gets the pinned one added.
        let without = "[build-dependencies]\nflakesmith = { path = \"f\" }\n";
        assert_eq!(
            add_pinned_inputs(without, &["my-modules".to_owned()]),
            "[build-dependencies]\nflakesmith-inputs-pinned = { path = \"bindings/inputs-pinned\", features = [\"my-modules\"] }\nflakesmith = { path = \"f\" }\n"
        );
        assert_eq!(add_pinned_inputs(manifest, &[]), manifest);
        assert_eq!(input_module("sops-nix"), "sops_nix");
    }
}
