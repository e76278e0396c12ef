//! Finding a flake's hosts the way Nix does, for flakes whose `nixosConfigurations` is not
//! a literal set of `nixosSystem` calls (a `mkSystem` helper, `lib.genAttrs hosts
//! mkHost`, `import ./hosts { ... }`): `flake.nix`'s `outputs` is evaluated with the real
//! `nix-instantiate` and stand-in inputs whose `lib.nixosSystem` records its arguments
//! (the module list, `specialArgs`, `system`) instead of building a system. The modules
//! found are then read as syntax, like those of a literal host.
//!
//! The stand-ins are built from what the flake's files select from each input
//! (`inputs.sops-nix.nixosModules.sops`): every such path is an attribute that names
//! itself, callable so that `darwin.lib.darwinSystem { ... }` evaluates too. nixpkgs'
//! `lib` is the real nixpkgs lib (`FLAKESMITH_NIXPKGS_LIB`, else `<nixpkgs/lib>`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rnix::ast::{self, HasEntry};
use rowan::ast::AstNode;

use super::read::{normalise, HostSpec, Import, InputSpec, SpecialValue};
use super::syntax::{attr_name, dotted, entries, unparen, Priority, Source, Value};

/// The nixpkgs lib to evaluate with, as a Nix expression: `FLAKESMITH_NIXPKGS_LIB`, else
/// `<nixpkgs/lib>` when `NIX_PATH` has nixpkgs; `None` without either (or without Nix).
pub fn nixpkgs_lib() -> Option<String> {
    if let Some(dir) = std::env::var_os("FLAKESMITH_NIXPKGS_LIB") {
        let dir = PathBuf::from(dir);
        return dir
            .join("default.nix")
            .is_file()
            .then(|| format!("import {}", nix_path(&dir)));
    }
    let probe = std::process::Command::new("nix-instantiate")
        .args(["--eval", "-E", "(import <nixpkgs/lib>).trivial.id 1"])
        .output()
        .ok()?;
    probe
        .status
        .success()
        .then(|| "import <nixpkgs/lib>".to_owned())
}

/// A path as a Nix path literal (absolute).
fn nix_path(path: &Path) -> String {
    let text = path.display().to_string();
    if text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        text
    } else {
        format!("(/. + {})", crate::nix::double_quoted(&text))
    }
}

/// What evaluating the flake found: its hosts and its other outputs' names.
pub struct Evaluated {
    pub hosts: Vec<HostSpec>,
    pub other_outputs: Vec<String>,
}

/// Programs written so far by this process, for distinct file names.
static PROGRAMS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Evaluates `dir`'s `flake.nix` with stand-in inputs and reads each host's arguments.
pub fn hosts(dir: &Path, inputs: &[InputSpec], lib: &str) -> Result<Evaluated, String> {
    let dir = dir
        .canonicalize()
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let selected = selections(&dir, inputs);
    // The stand-ins can be long: the program goes in a file, not on the command line,
    // beside a stand-in nixpkgs source that `import nixpkgs { ... }` can read.
    let scratch = std::env::temp_dir().join(format!(
        "flakesmith-import-{}-{}",
        std::process::id(),
        PROGRAMS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let nixpkgs = scratch.join("nixpkgs");
    let written = std::fs::create_dir_all(&nixpkgs)
        .and_then(|()| std::fs::write(nixpkgs.join("default.nix"), stand_in_nixpkgs(lib)))
        .and_then(|()| {
            STAND_IN_NIXPKGS_FILES.iter().try_for_each(|(file, text)| {
                let path = nixpkgs.join(file);
                std::fs::create_dir_all(path.parent().expect("in a directory"))?;
                std::fs::write(path, text)
            })
        })
        .and_then(|()| std::fs::write(scratch.join("flake-parts.nix"), FLAKE_PARTS));
    // First with the values of inline modules (which may touch a part of a stand-in that
    // is not there), then, if that fails, without them.
    let evaluated = written
        .map_err(|e| format!("cannot write {}: {e}", scratch.display()))
        .and_then(|()| {
            let with_values = program(&dir, inputs, &selected, lib, &nixpkgs, true, None);
            run(&scratch.join("values.nix"), &with_values).or_else(|_| {
                let without = program(&dir, inputs, &selected, lib, &nixpkgs, false, None);
                run(&scratch.join("outputs.nix"), &without)
            })
        })
        .map(|json| {
            let copy = scratch.join("flake");
            with_captures(&dir, &copy, json, |copy| {
                let text = program(copy, inputs, &selected, lib, &nixpkgs, true, None);
                run(&scratch.join("captures.nix"), &text)
            })
        })
        .map(|mut json| {
            // Special arguments that are sets or lists: as data, where they are.
            let mut names = BTreeSet::new();
            for host in json["hosts"].as_object().into_iter().flatten() {
                for (name, value) in host.1["specialArgs"].as_object().into_iter().flatten() {
                    if matches!(value["other"].as_str(), Some("set" | "list")) {
                        names.insert(name.clone());
                    }
                }
            }
            for name in names {
                let expr = special_data(&name);
                let text = program(&dir, inputs, &selected, lib, &nixpkgs, false, Some(&expr));
                let Ok(data) = run(&scratch.join("special.nix"), &text) else {
                    continue;
                };
                for (host, value) in data.as_object().into_iter().flatten() {
                    if !value.is_null() {
                        json["hosts"][host]["specialArgs"][&name] =
                            serde_json::json!({ "data": value });
                    }
                }
            }
            // Package sets made inside an input's code (a flake module's `import nixpkgs
            // { ... }`), where they are per-system module arguments of flake-parts: by
            // system, each argument's name and where its set was made.
            for system in systems_of_sets_made_outside(&dir, &json) {
                let expr = per_system_package_sets(&system);
                let text = program(&dir, inputs, &selected, lib, &nixpkgs, false, Some(&expr));
                if let Ok(sets) = run(&scratch.join("per-system.nix"), &text) {
                    json["perSystemPackageSets"][&system] = sets;
                }
            }
            json
        });
    let _ = std::fs::remove_dir_all(&scratch);
    let json = evaluated?;
    if let Some(function) = json["madeBy"].as_str() {
        return Err(format!(
            "its outputs are what `{function}` returns (a flake framework such as flake-parts), which a stand-in input cannot compute; the importer reads flakes whose `outputs` returns `nixosConfigurations` itself"
        ));
    }
    let mut hosts = Vec::new();
    let configurations = json["hosts"].as_object().cloned().unwrap_or_default();
    // Read once, where an inline module first needs them.
    let sites = std::cell::OnceCell::new();
    for (name, host) in configurations {
        hosts.push(host_spec(
            &dir,
            &sites,
            &name,
            &host,
            inputs,
            &json["perSystemPackageSets"],
        )?);
    }
    let other_outputs = json["outputs"]
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str())
                .filter(|n| *n != "nixosConfigurations")
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(Evaluated {
        hosts,
        other_outputs,
    })
}

/// `json` evaluated again where its inline modules read names from around them that
/// the regenerated host would not bind (`home-manager.users.${user} = import
/// userHMConfig { ... };` in a helper that makes hosts): a copy of the flake at `copy`
/// whose every such module also holds `__flakesmithEnv = { inherit user userHMConfig;
/// }`, evaluated by `evaluate`, gives those names' values for each host. Only the copy is
/// written, and only attributes are added at each set's end, so every line and column
/// Nix reports stays the original's. Where anything fails, `json` stays as it was.
fn with_captures(
    dir: &Path,
    copy: &Path,
    json: serde_json::Value,
    evaluate: impl Fn(&Path) -> Result<serde_json::Value, String>,
) -> serde_json::Value {
    let wanted = captures(dir, &json);
    if wanted.is_empty() {
        return json;
    }
    let Ok(()) = copy_with_captures(dir, copy, &wanted) else {
        return json;
    };
    // Nix reports files by their real path.
    let Ok(copy) = copy.canonicalize() else {
        return json;
    };
    let Ok(found) = evaluate(&copy) else {
        return json;
    };
    // The copy's paths are the flake's.
    let text = serde_json::to_string(&found)
        .unwrap_or_default()
        .replace(&*copy.to_string_lossy(), &dir.to_string_lossy());
    serde_json::from_str(&text).unwrap_or(json)
}

/// For each file of the flake, where its inline modules end (the offset of a set's
/// closing brace) and the names each reads from around it, other than the flake's
/// inputs and what every module is given.
fn captures(
    dir: &Path,
    json: &serde_json::Value,
) -> BTreeMap<PathBuf, BTreeMap<usize, BTreeSet<String>>> {
    fn walk(module: &serde_json::Value, found: &mut Vec<serde_json::Value>) {
        if module.get("inline").is_some() {
            found.push(module["inline"].clone());
        }
        for key in ["imports", "inlineImports"] {
            for nested in module[key].as_array().into_iter().flatten() {
                walk(nested, found);
            }
        }
    }
    let mut places = Vec::new();
    for host in json["hosts"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, h)| h)
    {
        for module in host["modules"].as_array().into_iter().flatten() {
            walk(module, &mut places);
        }
    }
    let mut wanted: BTreeMap<PathBuf, BTreeMap<usize, BTreeSet<String>>> = BTreeMap::new();
    let mut sources: BTreeMap<String, Option<Source>> = BTreeMap::new();
    for at in places {
        let (Some(file), Some(line), Some(column)) = (
            at["file"].as_str(),
            at["line"].as_u64(),
            at["column"].as_u64(),
        ) else {
            continue;
        };
        if within(dir, file).is_none() {
            continue;
        }
        let source = sources.entry(file.to_owned()).or_insert_with(|| {
            std::fs::read_to_string(file)
                .ok()
                .and_then(|text| Source::parse(&text).ok())
        });
        let Some(set) = source.as_ref().and_then(|s| inline_set(s, line, column)) else {
            continue;
        };
        let Some(mut names) = super::syntax::captured_names(&set.syntax().text().to_string())
        else {
            continue;
        };
        names.remove("inputs");
        if names.is_empty() {
            continue;
        }
        let end = usize::from(set.syntax().text_range().end()) - 1;
        wanted
            .entry(PathBuf::from(file))
            .or_default()
            .entry(end)
            .or_default()
            .extend(names);
    }
    wanted
}

/// Copies the flake at `dir` to `copy` (its `.git` left out; links kept as links), each
/// file of `wanted` with `__flakesmithEnv = { inherit ...; };` written before the
/// closing braces it names.
fn copy_with_captures(
    dir: &Path,
    copy: &Path,
    wanted: &BTreeMap<PathBuf, BTreeMap<usize, BTreeSet<String>>>,
) -> std::io::Result<()> {
    fn walk(
        from: &Path,
        to: &Path,
        wanted: &BTreeMap<PathBuf, BTreeMap<usize, BTreeSet<String>>>,
    ) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let (source, target) = (entry.path(), to.join(entry.file_name()));
            let kind = entry.file_type()?;
            if kind.is_symlink() {
                #[cfg(unix)]
                std::os::unix::fs::symlink(std::fs::read_link(&source)?, &target)?;
            } else if kind.is_dir() {
                if entry.file_name() != ".git" {
                    walk(&source, &target, wanted)?;
                }
            } else if let Some(ends) = wanted.get(&source) {
                let mut text = std::fs::read_to_string(&source)?;
                for (end, names) in ends.iter().rev() {
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    text.insert_str(
                        *end,
                        &format!(" __flakesmithEnv = {{ inherit {}; }}; ", names.join(" ")),
                    );
                }
                std::fs::write(&target, text)?;
            } else if std::fs::hard_link(&source, &target).is_err() {
                std::fs::copy(&source, &target)?;
            }
        }
        Ok(())
    }
    walk(dir, copy, wanted)
}

/// flake-parts and import-tree as the evaluation runs them (`flake_parts.nix`): a
/// function of nixpkgs' `lib`.
pub const FLAKE_PARTS: &str = include_str!("flake_parts.nix");

/// The stand-in an input gets beyond the generic one, by what its URL names: flake-parts'
/// `lib.mkFlake` and import-tree's function evaluate the flake's modules, and
/// hercules-ci-effects' flake module declares what other modules read of it.
fn framework_of(input: &InputSpec) -> Option<&'static str> {
    let url = input.url.to_ascii_lowercase();
    if is_flake_parts(input) {
        Some("{ inherit (frameworks.flakeParts) lib; }")
    } else if url.contains("vic/import-tree") {
        Some("frameworks.importTree")
    } else if url.contains("hercules-ci-effects") {
        Some("{ flakeModule = frameworks.herculesCiEffects; flakeModules.default = frameworks.herculesCiEffects; }")
    } else {
        None
    }
}

/// Whether the input is flake-parts (by its URL).
pub fn is_flake_parts(input: &InputSpec) -> bool {
    input
        .url
        .to_ascii_lowercase()
        .contains("hercules-ci/flake-parts")
}

/// What `import nixpkgs { system = ...; overlays = ...; }` gives the flake's helpers: the
/// real lib, the platform (`pkgs.stdenv.isLinux`, `pkgs.stdenv.hostPlatform`), which a
/// flake's own lib additions read, and what the overlays add (a flake may make its hosts
/// with a builder its own overlay adds: `pkgs.builders.mkNixos { }`).
fn stand_in_nixpkgs(lib: &str) -> String {
    format!(
        r#"args:
let
  lib = {lib};
  local = args.localSystem or args.system or "x86_64-linux";
  system = if builtins.isString local then local else local.system;
  platform = lib.systems.elaborate system;
  # Where the `import nixpkgs {{ ... }}` that made this set is written, so a host given
  # it (`nixosSystem {{ inherit pkgs; }}`) can be given the same expression. Its `lib`
  # holds it too, kept by `lib.extend` in overlays, so a `lib` given beside it is known
  # for the set's (comparing the two sets would evaluate all of them).
  madeAt =
    if args == {{ }} then null
    else builtins.unsafeGetAttrPos (builtins.head (builtins.attrNames args)) args;
  marker = if madeAt == null then null else madeAt // {{ inherit system; }};
  base = final: {{
    inherit system;
    lib = lib.extend (_: _: {{ __flakesmithPackageSet = marker; }});
    __flakesmithPackageSet = marker;
    stdenv = {{
      inherit system;
      # Marked as this set's, so a host given it (`specialArgs.hostPlatform =
      # pkgs.stdenv.hostPlatform;`) can be given the same.
      hostPlatform = platform // {{ __flakesmithPlatformOf = marker; }};
      buildPlatform = platform;
      inherit (platform) isLinux isDarwin;
    }};
  }};
in
lib.fix (lib.foldl' (package-set: overlay: lib.extends overlay package-set) base (args.overlays or [ ]))
"#
    )
}

/// What a flake reads of nixpkgs' own files beside `default.nix`: the overlay that
/// stamps the lib with the flake's revision (`"${nixpkgs}/lib/flake-version-info.nix"`),
/// which the stand-in has no revision for.
const STAND_IN_NIXPKGS_FILES: &[(&str, &str)] =
    &[("lib/flake-version-info.nix", "self: final: prev: { }\n")];

/// Writes `program` to `file` and evaluates it to JSON.
fn run(file: &Path, program: &str) -> Result<serde_json::Value, String> {
    std::fs::write(file, program).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let output = std::process::Command::new("nix-instantiate")
        .args(["--eval", "--strict", "--json"])
        .arg(file)
        .output()
        .map_err(|e| format!("cannot run nix-instantiate (is Nix installed?): {e}"))?;
    if !output.status.success() {
        let error = String::from_utf8_lossy(&output.stderr);
        let first: Vec<&str> = error
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(6)
            .collect();
        return Err(format!(
            "evaluating its outputs with stand-in inputs failed:\n  {}",
            first.join("\n  ")
        ));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("nix-instantiate printed no JSON: {e}"))
}

/// Every attribute path the flake's files select from each input: `sops-nix` →
/// `nixosModules.sops`, from `inputs.sops-nix.nixosModules.sops` or
/// `sops-nix.nixosModules.sops` (where `sops-nix` is an argument of `outputs`).
fn selections(dir: &Path, inputs: &[InputSpec]) -> BTreeMap<String, BTreeSet<Vec<String>>> {
    let names: BTreeSet<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
    let mut out: BTreeMap<String, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in nix_files(dir) {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let parse = rnix::Root::parse(&text);
        for node in parse.syntax().descendants() {
            let Some(select) = ast::Select::cast(node) else {
                continue;
            };
            // The longest static prefix: `a.b.${x}.c` gives `a.b`.
            let Some(head) = select.expr().and_then(|e| dotted(&unparen(e))) else {
                continue;
            };
            let mut path = head;
            if let Some(attrpath) = select.attrpath() {
                for attr in attrpath.attrs() {
                    match attr_name(&attr) {
                        Some(name) => path.push(name),
                        None => break,
                    }
                }
            }
            let path = match path.first().map(String::as_str) {
                Some("inputs") if path.len() > 1 => path[1..].to_vec(),
                _ => path,
            };
            if path.len() > 1 && names.contains(path[0].as_str()) {
                out.entry(path[0].clone())
                    .or_default()
                    .insert(path[1..].to_vec());
            }
        }
    }
    out
}

/// The `.nix` files under `dir`, not following links, in a stable order.
fn nix_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(next) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && !entry.file_name().to_string_lossy().starts_with('.') {
                stack.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "nix") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A stand-in attribute set, as Nix text: a marker naming the input and path, callable
/// (so that `x.lib.someSystem { ... }` and `x.overlays.default final prev` evaluate),
/// with the selected children.
fn stand_in(
    input: &str,
    real_lib: bool,
    path: &[String],
    children: &BTreeMap<String, Vec<Vec<String>>>,
) -> String {
    let attribute = crate::nix::double_quoted(&path.join("."));
    let mut out = format!(
        "{{ __flakesmith = {{ input = {}; attribute = {attribute}; }}; __functor = self: _: self; outPath = {}; ",
        crate::nix::double_quoted(input),
        crate::nix::double_quoted(&format!("/flakesmith-stand-in/{input}"))
    );
    for (name, rest) in children {
        if path.is_empty() && name == "lib" && real_lib {
            continue;
        }
        let mut grand: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
        for tail in rest.iter().filter(|t| !t.is_empty()) {
            grand
                .entry(tail[0].clone())
                .or_default()
                .push(tail[1..].to_vec());
        }
        let mut child = path.to_vec();
        child.push(name.clone());
        out.push_str(&format!(
            "{} = {}; ",
            crate::nix::quote_attr_name(name),
            stand_in(input, real_lib, &child, &grand)
        ));
    }
    out.push('}');
    out
}

/// nixpkgs' `lib` is the real lib, with a `nixosSystem` that records its arguments.
/// (nixpkgs by its name, `nixpkgs-unstable`, or by its URL, `nixos-unstable =
/// "github:nixos/nixpkgs/nixos-unstable"`; not `nixpkgs-lib`, which is only the lib.)
fn input_has_real_lib(input: &InputSpec) -> bool {
    let url = input.url.to_ascii_lowercase();
    input.name.starts_with("nixpkgs") && !input.name.contains("lib")
        || url.contains("nixos/nixpkgs") && !url.contains("nixpkgs.lib")
}

/// Where flakes keep their modules: a flake may bind one of these to a name and select
/// from that (`hm = inputs.home-manager.nixosModules; ... hm.home-manager`), which the
/// scan cannot follow, so each gets every module name the flake selects anywhere.
const MODULE_COLLECTIONS: &[&str] = &[
    "nixosModules",
    "darwinModules",
    "homeManagerModules",
    "homeModules",
];

/// What the evaluation returns: each host's arguments, the outputs' names, and what
/// made the outputs when a stand-in did.
const HOSTS_AND_OUTPUTS: &str = r#"{
  hosts = builtins.mapAttrs host (outputs.nixosConfigurations or {});
  outputs = builtins.filter (n: !(lib.hasPrefix "__flakesmith" n)) (builtins.attrNames outputs);
  madeBy = if outputs ? __flakesmith then "${outputs.__flakesmith.input}.${outputs.__flakesmith.attribute}" else null;
}"#;

/// The systems of the package sets the evaluation found made outside the flake (in an
/// input's code), given to a host or defined by one of its modules.
fn systems_of_sets_made_outside(dir: &Path, json: &serde_json::Value) -> BTreeSet<String> {
    [
        "__flakesmithPackageSetMadeAt",
        "__flakesmithPlatformOf",
        "packageSet",
        "platformOf",
    ]
    .iter()
    .flat_map(|key| markers_in(&json["hosts"], key))
    .filter(|marker| {
        marker["file"]
            .as_str()
            .is_some_and(|file| within(dir, file).is_none())
    })
    .filter_map(|marker| marker["system"].as_str().map(str::to_owned))
    .collect()
}

/// What evaluates, for `system`, the flake-parts per-system module arguments that are
/// package sets a stand-in `import nixpkgs` made (`_module.args.liteConfigPkgs = import
/// nixpkgs { ... };`): by name, where each was made. The module system's own arguments
/// and `pkgs` (which a special argument must not replace) are not among them.
fn per_system_package_sets(system: &str) -> String {
    format!(
        r#"if outputs ? __flakesmithPerSystem then
  let arguments = outputs.__flakesmithPerSystem {system}; in
  builtins.mapAttrs (_: v: v.__flakesmithPackageSet) (lib.filterAttrs (name: v:
    !(builtins.elem name [ "pkgs" "config" "options" "system" "inputs'" "self'" ])
    && (builtins.tryEval (builtins.isAttrs v && v ? __flakesmithPackageSet)).value) arguments)
else {{ }}"#,
        system = crate::nix::double_quoted(system)
    )
}

/// The Nix that gives the regenerated flake the per-system module argument `name` for
/// `system` of the flake-parts modules its carried outputs evaluate (`withSystem`): the
/// carried outputs again, given a flake-parts whose `mkFlake` adds a module that reads it.
fn per_system_argument_nix(flake_parts: &str, system: &str, name: &str) -> String {
    let input = crate::nix::quote_attr_name(flake_parts);
    format!(
        "(import ./{outputs} (inputs // {{ {input} = inputs.{input} // {{ lib = inputs.{input}.lib // {{ mkFlake = args: module: inputs.{input}.lib.mkFlake args {{ imports = [ module ({{ withSystem, ... }}: {{ flake.flakesmithPerSystemArgument = withSystem {system} (arguments: arguments.{name}); }}) ]; }}; }}; }}; }})).flakesmithPerSystemArgument",
        outputs = crate::plan::EXTRA_OUTPUTS_FILE,
        system = crate::nix::double_quoted(system),
        name = crate::nix::quote_attr_name(name),
    )
}

/// What evaluates the special argument `name` of every host as data, where it is data
/// (`publicKeys = import ./keys.nix;`): `null` for a host where it is not. Each such
/// argument is evaluated on its own, so that one that cannot be (`outputs`, an extended
/// `lib`, whose walk may stop on what a stand-in lacks) leaves the others.
fn special_data(name: &str) -> String {
    format!(
        r#"builtins.mapAttrs (_: value:
  if builtins.isAttrs value && value ? __flakesmithSystem && value.__flakesmithSystem ? specialArgs
    && value.__flakesmithSystem.specialArgs ? {name}
  then let d = plain 8 value.__flakesmithSystem.specialArgs.{name}; in if opaqueIn d then null else d
  else null) (outputs.nixosConfigurations or {{}})"#,
        name = crate::nix::quote_attr_name(name)
    )
}

fn program(
    dir: &Path,
    inputs: &[InputSpec],
    selected: &BTreeMap<String, BTreeSet<Vec<String>>>,
    lib: &str,
    nixpkgs_source: &Path,
    values: bool,
    result: Option<&str>,
) -> String {
    // Module names selected from any input, directly or under a collection.
    let mut vocabulary: BTreeSet<&String> = BTreeSet::new();
    for path in selected.values().flatten() {
        vocabulary.insert(&path[0]);
        if let [collection, name, ..] = path.as_slice() {
            if MODULE_COLLECTIONS.contains(&collection.as_str()) {
                vocabulary.insert(name);
            }
        }
    }
    let mut stand_ins = String::new();
    for input in inputs.iter().filter(|i| i.name != "self") {
        let mut children: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
        for collection in MODULE_COLLECTIONS {
            children
                .entry((*collection).to_owned())
                .or_default()
                .extend(vocabulary.iter().map(|name| vec![(*name).clone()]));
        }
        for path in selected.get(&input.name).into_iter().flatten() {
            children
                .entry(path[0].clone())
                .or_default()
                .push(path[1..].to_vec());
        }
        if let Some(source) = &input.source {
            // The input's own outputs, given stand-ins for its own inputs.
            stand_ins.push_str(&format!(
                "    {} = realInput {};\n",
                crate::nix::quote_attr_name(&input.name),
                nix_path(source)
            ));
            continue;
        }
        let real_lib = input_has_real_lib(input);
        let mut value = stand_in(&input.name, real_lib, &[], &children);
        if let Some(framework) = framework_of(input) {
            value = format!("({value} // {framework})");
        }
        if real_lib {
            // `import nixpkgs { ... }` gives a package set whose `lib` is the real one. The
            // source is a string, as a real input's is: `"${nixpkgs}/lib/x.nix"` then names
            // the file where it is, instead of a copy in a store `--eval` does not write.
            value = format!(
                "({value} // {{ lib = recordingLib; outPath = {}; }})",
                crate::nix::double_quoted(&nixpkgs_source.display().to_string())
            );
        }
        stand_ins.push_str(&format!(
            "    {} = {value};\n",
            crate::nix::quote_attr_name(&input.name)
        ));
    }
    format!(
        r#"let
  lib = {lib};
  dir = {dir};
  recordingLib = lib // {{ nixosSystem = args: {{ __flakesmithSystem = args; }}; }};
  frameworks = import ./flake-parts.nix lib;
  flake = import (dir + "/flake.nix");
  inputs = {{
{stand_ins}  }} // {{ self = outputs // {{ outPath = dir; inherit inputs outputs; __flakesmithSelf = true; }}; }};
  outputs = flake.outputs inputs;
  # A path of the flake's own copied into the store by interpolation (`"${{./hosts}}/${{name}}"`,
  # as a flake module that makes hosts writes it): the path in the flake it came from.
  # Each directory of the flake is hashed as the interpolation would (`--eval` computes
  # the store path without writing it), only where such a path turns up.
  storePaths =
    let
      below = rel:
        let entries = builtins.readDir (if rel == "" then dir else dir + "/${{rel}}"); in
        lib.concatLists (lib.mapAttrsToList (name: kind:
          if kind == "directory" && !(lib.hasPrefix "." name)
          then let inner = if rel == "" then name else "${{rel}}/${{name}}"; in [ inner ] ++ below inner
          else [ ]) entries);
    in
    builtins.listToAttrs (map (rel: {{
      name = builtins.unsafeDiscardStringContext "${{dir + "/${{rel}}"}}";
      value = rel;
    }}) (below "")) // {{ ${{builtins.unsafeDiscardStringContext "${{dir}}"}} = ""; }};
  fromStore = m:
    let
      plainText = builtins.unsafeDiscardStringContext m;
      parts = lib.splitString "/" (lib.removePrefix (builtins.storeDir + "/") plainText);
      root = builtins.storeDir + "/" + builtins.head parts;
      rest = lib.concatStringsSep "/" (builtins.tail parts);
    in
    if lib.hasPrefix (builtins.storeDir + "/") plainText && storePaths ? ${{root}} then
      lib.concatStringsSep "/" (lib.filter (p: p != "") [ (toString dir) storePaths.${{root}} rest ])
    else m;
  # An input whose source the user named: its own `outputs`, each of its inputs an empty
  # stand-in (or the flake's input it follows by name).
  realInput = source:
    let
      own = import (source + "/flake.nix");
      standIn = name: {{ __flakesmith = {{ input = name; attribute = ""; }}; __functor = self: _: self; outPath = "/flakesmith-stand-in/${{name}}"; }};
      ownInputs = builtins.mapAttrs (name: _: inputs.${{name}} or (standIn name)) (own.inputs or {{ }});
      result = own.outputs (ownInputs // {{ self = result; }}) // {{ outPath = source; }};
    in result;
  # An inline module the importer asked about carries the values of the names it reads
  # from around it (`__flakesmithEnv`, see `with_captures`): read apart, not a definition.
  describeIn = special: let describe = m0:
    let m = if builtins.isAttrs m0 && m0 ? __flakesmithEnv then builtins.removeAttrs m0 [ "__flakesmithEnv" ] else m0; in
    if builtins.isPath m then {{ path = toString m; }}
    else if builtins.isString m then {{ path = fromStore m; }}
    else if builtins.isAttrs m && m ? __flakesmith then {{ inherit (m.__flakesmith) input attribute; }}
    # A module of a flake-parts collection (`flake.nixosModules.ssh`): where it is defined.
    else if builtins.isAttrs m && m ? _file && m ? imports && builtins.isString m._file && lib.hasInfix "@flakesmith-at:" m._file then
      (let at = lib.splitString "@flakesmith-at:" m._file; in {{ located = {{ file = builtins.head at; attribute = lib.last at; }}; imports = map describe m.imports; }})
    else if builtins.isAttrs m && m ? _file && m ? imports then {{ imports = map describe m.imports; }}
    else if builtins.isAttrs m && builtins.attrNames m == [ "imports" ] then {{ imports = map describe m.imports; }}
    else if builtins.isAttrs m && builtins.attrNames m == [] then {{ empty = true; }}
    else if builtins.isAttrs m then {{ inline = builtins.unsafeGetAttrPos (builtins.head (builtins.attrNames m)) m; }}
      // (if m ? imports then {{ inlineImports = map describe m.imports; }} else {{}})
      // (if {values} then {{ values = plain 16 (builtins.removeAttrs m [ "imports" "_file" "key" ]); }} else {{}})
      // (if m0 ? __flakesmithEnv then {{ env = builtins.mapAttrs (_: plain 16) m0.__flakesmithEnv; }} else {{}})
    # A function that only imports (`{{ hostPlatform, ... }}: {{ imports = lib.optionals
    # hostPlatform.isLinux [ ./linux ]; }}`): what it imports, given the host's special
    # arguments and `lib`. Imports cannot depend on `config` (the module system reads
    # them first), so nothing else is given: a function that reads more is left as one.
    else if builtins.isFunction m && builtins.functionArgs m != {{ }} then
      (let
        given = builtins.mapAttrs (name: _:
          if special ? ${{name}} then special.${{name}}
          else if name == "lib" then lib
          else throw "flakesmith: not given") (builtins.functionArgs m);
        result = m given;
        importsOnly = builtins.tryEval (builtins.isAttrs result
          && lib.all (n: builtins.elem n [ "imports" "_file" "key" ]) (builtins.attrNames result)
          && builtins.deepSeq (map describe (result.imports or [ ])) true);
      in
      if importsOnly.success && importsOnly.value then {{ imports = map describe (result.imports or [ ]); }}
      else {{ function = true; }})
    else if builtins.isFunction m then {{ function = true; }}
    else {{ other = builtins.typeOf m; }};
  in describe;
  # An inline module's values as data, where they are data: what names a variable of a
  # helper (`currentSystemName`) or a `let` of flake.nix is its value for this host.
  # Functions, paths, priorities, stand-ins and what names the flake's own directory or
  # a stand-in's are opaque; so is what cannot be evaluated.
  opaque = {{ __flakesmithOpaque = true; }};
  plain = depth: v0:
    let tried = builtins.tryEval v0; v = tried.value; in
    if !tried.success || depth == 0 then opaque
    # A file of the flake (`sharedModules = nixFiles ../home;`): where in the flake.
    else if builtins.isPath v then
      (let file = toString v; root = toString dir + "/"; in
        if lib.hasPrefix root file then {{ __flakesmithPath = lib.removePrefix root file; }} else opaque)
    else if builtins.isString v then
      (if lib.hasInfix "/flakesmith-stand-in/" v || lib.hasInfix (toString dir) v then opaque else v)
    else if builtins.isBool v || builtins.isInt v || builtins.isFloat v || builtins.isNull v then v
    else if builtins.isList v then map (plain (depth - 1)) v
    # `lib.mkDefault true` and its kin: the priority and what it wraps.
    # A module of the flake's flake-parts collections: the attribute it is at.
    else if builtins.isAttrs v && v ? _file && v ? imports && builtins.isString v._file && lib.hasInfix "@flakesmith-at:" v._file then
      {{ __flakesmithLocated = lib.last (lib.splitString "@flakesmith-at:" v._file); }}
    # A package set a stand-in `import nixpkgs` made: where, and for which system.
    else if builtins.isAttrs v && v ? __flakesmithPackageSet then
      {{ __flakesmithPackageSetMadeAt = v.__flakesmithPackageSet; }}
    else if builtins.isAttrs v && v ? __flakesmithPlatformOf then
      {{ __flakesmithPlatformOf = v.__flakesmithPlatformOf; }}
    else if builtins.isAttrs v && (v._type or null) == "override" && builtins.isInt (v.priority or null) && v ? content then
      {{ __flakesmithPriority = v.priority; content = plain (depth - 1) v.content; }}
    else if builtins.isAttrs v && !(v ? _type || v ? __flakesmith || v ? __flakesmithSelf || v ? outPath || v ? __functor) then
      builtins.mapAttrs (_: plain (depth - 1)) v
    else opaque;
  argument = v:
    if builtins.isString v || builtins.isBool v || builtins.isInt v then {{ literal = v; }}
    else if builtins.isAttrs v && v ? __flakesmithSelf then {{ nix = "inputs.self"; }}
    else if builtins.isAttrs v && v ? __flakesmith then {{ nix = "inputs.${{v.__flakesmith.input}}" + (if v.__flakesmith.attribute == "" then "" else ".${{v.__flakesmith.attribute}}"); }}
    else if v == inputs then {{ inputs = true; }}
    # A package set a stand-in `import nixpkgs` made, or its platform: where it was made.
    else if builtins.isAttrs v && v ? __flakesmithPackageSet then {{ packageSet = v.__flakesmithPackageSet; }}
    else if builtins.isAttrs v && v ? __flakesmithPlatformOf then {{ platformOf = v.__flakesmithPlatformOf; }}
    # nixpkgs' lib with the flake's own additions (`lib.recursiveUpdate (import ./lib
    # {{ ... }}) nixpkgs.lib`): the additions, where they are data.
    else if builtins.isAttrs v && v ? mkOption && v ? evalModules then
      (let extras = plain 8 (builtins.removeAttrs v (builtins.attrNames recordingLib)); in
        if opaqueIn extras then {{ other = "set"; }} else {{ libExtended = extras; }})
    else {{ other = builtins.typeOf v; }};
  # Whether evaluated data holds something opaque.
  opaqueIn = d:
    if builtins.isAttrs d then d ? __flakesmithOpaque || d ? __flakesmithPath || d ? __flakesmithLocated || d ? __flakesmithPackageSetMadeAt || d ? __flakesmithPlatformOf || lib.any opaqueIn (builtins.attrValues d)
    else if builtins.isList d then lib.any opaqueIn d
    else false;
  host = name: value:
    if builtins.isAttrs value && value ? __flakesmithSystem then
      let args = value.__flakesmithSystem; in {{
        system = args.system or null;
        modules = map (describeIn (args.specialArgs or {{}})) (args.modules or []);
        specialArgs = builtins.mapAttrs (_: argument) (args.specialArgs or {{}});
        others = map (n: {{ name = n; at = builtins.unsafeGetAttrPos n args; }})
          (builtins.attrNames (builtins.removeAttrs args [ "system" "modules" "specialArgs" ]));
        # The package set given, where a stand-in `import nixpkgs` made it, and whether
        # the `lib` given is that set's (`inherit (pkgs) lib;`).
        packageSet = if builtins.isAttrs (args.pkgs or null) then args.pkgs.__flakesmithPackageSet or null else null;
        libOfPackageSet = builtins.isAttrs (args.pkgs or null) && args.pkgs ? __flakesmithPackageSet
          && builtins.isAttrs (args.lib or null)
          && (args.lib.__flakesmithPackageSet or null) == args.pkgs.__flakesmithPackageSet;
      }}
    else {{ notASystem = true; }};
in {result}
"#,
        dir = nix_path(dir),
        values = if values { "true" } else { "false" },
        result = result.unwrap_or(HOSTS_AND_OUTPUTS),
    )
}

/// One host as the evaluation found it.
fn host_spec(
    dir: &Path,
    sites: &std::cell::OnceCell<CallSites>,
    name: &str,
    json: &serde_json::Value,
    inputs: &[InputSpec],
    per_system_sets: &serde_json::Value,
) -> Result<HostSpec, String> {
    // A package set made in an input's code that is a per-system module argument of
    // flake-parts (`liteConfigPkgs`): the regenerated flake gives it by that argument.
    let flake_parts = inputs.iter().find(|i| is_flake_parts(i)).map(|i| &i.name);
    let per_system_argument = |marker: &serde_json::Value| -> Option<(String, String)> {
        let system = marker["system"].as_str()?;
        let flake_parts = flake_parts?;
        let (argument, _) = per_system_sets[system]
            .as_object()?
            .iter()
            .find(|(_, made)| {
                ["file", "line", "column"]
                    .iter()
                    .all(|k| made[k] == marker[k])
            })?;
        Some((
            argument.clone(),
            per_system_argument_nix(flake_parts, system, argument),
        ))
    };
    let sets_in_modules = markers_in(&json["modules"], "__flakesmithPackageSetMadeAt");
    let mut host = HostSpec {
        name: name.to_owned(),
        // Where `nixosSystem` is not given one, the system of the package set its modules
        // give NixOS (`nixpkgs.pkgs = ...`).
        system: json["system"].as_str().map(str::to_owned).or_else(|| {
            sets_in_modules
                .iter()
                .find_map(|m| m["system"].as_str().map(str::to_owned))
        }),
        imports: Vec::new(),
        nested: std::collections::BTreeMap::new(),
        inline: Vec::new(),
        skipped: Vec::new(),
        special_args: Vec::new(),
        line: 0,
        carried: Vec::new(),
        package_set: None,
    };
    if json["notASystem"].as_bool() == Some(true) {
        return Err(format!(
            "host `{name}` of nixosConfigurations is not made by `nixpkgs.lib.nixosSystem` (evaluated with stand-in inputs)"
        ));
    }
    // What the regenerated host's modules can name besides what every module can: its
    // special arguments.
    let bound: BTreeSet<String> = json["specialArgs"]
        .as_object()
        .map(|args| {
            args.iter()
                .filter(|(_, v)| {
                    ["literal", "data", "nix", "inputs", "libExtended"]
                        .iter()
                        .any(|k| v.get(k).is_some())
                })
                .map(|(name, _)| name.clone())
                .collect()
        })
        .unwrap_or_default();
    let mut bound = bound;
    for marker in &sets_in_modules {
        if let Some((argument, nix)) = per_system_argument(marker) {
            if bound.insert(argument.clone()) {
                host.special_args.push((argument, SpecialValue::Nix(nix)));
            }
        }
    }
    // Each module with its depth below `nixosSystem`'s list: a file the original reached
    // through modules that only import (a framework's option, a function importing by
    // platform) is imported as far down in the regenerated host, so that lists join in
    // the original's order (the host file's imports are one level down).
    let mut modules: Vec<(usize, serde_json::Value)> = json["modules"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|module| (0, module))
        .collect();
    modules.reverse();
    // The imports the module before pushed, and its depth.
    let mut last = (0, 0);
    let nest = |host: &mut HostSpec, (from, depth): (usize, usize)| {
        for position in from..host.imports.len() {
            if depth > 1 {
                host.nested.insert(position, depth - 1);
            }
        }
    };
    while let Some((depth, module)) = modules.pop() {
        nest(&mut host, last);
        last = (host.imports.len(), depth);
        // A module of a flake-parts collection is read where it is a file
        // (`flake.nixosModules.ssh = ./ssh.nix;`), refused where it is written inline.
        let inline_in_collection = module["imports"]
            .as_array()
            .is_some_and(|nested| nested.iter().any(|m| m.get("path").is_none()));
        if let (Some(located), true) = (module.get("located"), inline_in_collection) {
            // Written inline in a flake-parts module: imported from the flake's own
            // outputs, which the generated flake carries.
            let attribute = located["attribute"].as_str().unwrap_or_default();
            let file = located["file"].as_str().unwrap_or_default();
            let Some(collection) = attribute.strip_prefix("flake.") else {
                return Err(format!(
                    "host `{name}` imports `{attribute}` of a flake-parts module, which is not under `flake`"
                ));
            };
            host.imports.push(Import::Input {
                input: "self".to_owned(),
                attribute: collection.to_owned(),
            });
            let shown = within(dir, file).unwrap_or_else(|| file.to_owned());
            host.carried.push((shown, attribute.to_owned()));
        } else if let Some(nested) = module["imports"].as_array() {
            modules.extend(nested.iter().rev().map(|m| (depth + 1, m.clone())));
        } else if let Some(path) = module["path"].as_str() {
            match within(dir, path) {
                Some(file) => host.imports.push(Import::File(file)),
                None => host.skipped.push(format!(
                    "module `{path}` is outside the flake; copy it in and import it from a host file"
                )),
            }
        } else if let Some(input) = module["input"].as_str() {
            if !inputs.iter().any(|i| i.name == input) {
                continue;
            }
            host.imports.push(Import::Input {
                input: input.to_owned(),
                attribute: module["attribute"].as_str().unwrap_or_default().to_owned(),
            });
        } else if module["empty"].as_bool() == Some(true) {
        } else if let Some(at) = module.get("inline") {
            match inline_module(
                dir,
                sites,
                at,
                module.get("values"),
                module.get("env"),
                &bound,
                inputs,
            ) {
                Ok((file, found, notes)) => {
                    host.inline.push((file, found));
                    host.skipped.extend(notes);
                }
                Err(why) => host.skipped.push(why),
            }
            // What an inline module imports, as Nix found it: the module list's own.
            if let Some(nested) = module["inlineImports"].as_array() {
                modules.extend(nested.iter().rev().map(|m| (depth + 1, m.clone())));
            }
        } else {
            host.skipped.push(
                "a module given as a function (or an `import ./file.nix { ... }` of one) in the module list: the importer cannot tell where it is written; move it into a file the host imports".to_owned(),
            );
        }
    }
    nest(&mut host, last);
    // What else the host's `nixosSystem` call is given (`pkgs`, `lib`): flakesmith writes
    // the call itself, so it is said to be left out, as the reader of written hosts says.
    // Where the helper gives an argument, when Nix knows (`inherit pkgs;` in a file of
    // the flake's).
    let argument_at = |argument: &str| {
        let other = json["others"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|o| o["name"].as_str() == Some(argument))?;
        let file = within(dir, other["at"]["file"].as_str()?)?;
        Some((file, other["at"]["line"].as_u64()? as usize))
    };
    let given_at =
        |argument: &str| argument_at(argument).map(|(file, line)| format!("{file}:{line}"));
    // A package set a `let` of `outputs` builds (`pkgs = import nixpkgs { ... };`) is
    // carried as that binding; one a file `outputs` imports builds, through it.
    let made_at = &json["packageSet"];
    let at = made_at["line"]
        .as_u64()
        .zip(made_at["column"].as_u64())
        .map(|(l, c)| (l as usize, c as usize));
    let made_in = made_at["file"].as_str().and_then(|f| within(dir, f));
    let found = match (made_in.as_deref(), at) {
        (Some("flake.nix"), Some(at)) => super::outputs::package_set(dir, at),
        (Some(file), Some(at)) => match (argument_at("pkgs"), made_at["system"].as_str()) {
            (Some((given_file, line)), Some(system)) if given_file == file => {
                super::outputs::package_set_through(dir, file, at, line, system)
            }
            _ => None,
        },
        _ => None,
    };
    {
        if let Some((binding, text)) = found {
            host.package_set = Some(super::read::PackageSetSpec {
                binding,
                text,
                its_lib: json["libOfPackageSet"].as_bool() == Some(true),
                given_at: given_at("pkgs").unwrap_or_else(|| "flake.nix".to_owned()),
            });
        }
    }
    for other in json["others"].as_array().into_iter().flatten() {
        if let Some(argument) = other["name"].as_str() {
            let carried = match &host.package_set {
                Some(set) => argument == "pkgs" || (argument == "lib" && set.its_lib),
                None => false,
            };
            if carried {
                continue;
            }
            let given = given_at(argument)
                .map(|at| format!(", given at {at}"))
                .unwrap_or_default();
            host.skipped.push(format!(
                "host `{name}`: `{argument}` of `nixosSystem` (flakesmith writes the call itself{given})"
            ));
        }
    }
    if let Some(args) = json["specialArgs"].as_object() {
        for (arg, value) in args {
            if value["inputs"].as_bool() == Some(true) {
                continue;
            }
            let special = if let Some(text) = value["literal"].as_str() {
                Some(SpecialValue::Literal(Value::Str(text.to_owned())))
            } else if let Some(on) = value["literal"].as_bool() {
                Some(SpecialValue::Literal(Value::Bool(on)))
            } else if let Some(n) = value["literal"].as_i64() {
                Some(SpecialValue::Literal(Value::Int(n)))
            } else if let Some(extras) = value.get("libExtended") {
                // nixpkgs' lib with the flake's additions, as data.
                data_value(extras, 0, None).map(|(_, text)| SpecialValue::LibAdditions(text))
            } else if let Some(marker) = value.get("packageSet") {
                per_system_argument(marker).map(|(_, nix)| SpecialValue::Nix(nix))
            } else if let Some(marker) = value.get("platformOf") {
                per_system_argument(marker)
                    .map(|(_, nix)| SpecialValue::Nix(format!("{nix}.stdenv.hostPlatform")))
            } else if let Some(data) = value.get("data") {
                // A set or list of data (`publicKeys = import ./keys.nix;`), as Nix.
                data_value(data, 0, None).map(|(_, text)| SpecialValue::Nix(text))
            } else {
                value["nix"]
                    .as_str()
                    .map(|t| SpecialValue::Nix(t.to_owned()))
            };
            match special {
                Some(special) => host.special_args.push((arg.clone(), special)),
                None => host.skipped.push(format!(
                    "special argument `{arg}` is a {} the importer cannot write; give it with `Host::special_arg`",
                    value["other"].as_str().unwrap_or("value")
                )),
            }
        }
    }
    Ok(host)
}

/// Every object under `key` in `value`, in order.
fn markers_in(value: &serde_json::Value, key: &str) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(next) = stack.pop() {
        match next {
            serde_json::Value::Object(fields) => {
                if let Some(marker) = fields.get(key) {
                    out.push(marker.clone());
                }
                stack.extend(fields.values().rev());
            }
            serde_json::Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    out
}

/// The directory of a file of the flake (`lib` of `lib/mksystem.nix`, `""` at its root).
fn folder_of(file: &str) -> &str {
    file.rfind('/').map_or("", |slash| &file[..slash])
}

/// `path` (absolute, as Nix printed it) relative to the flake, `default.nix` for a
/// directory; `None` outside it.
fn within(dir: &Path, path: &str) -> Option<String> {
    let relative = Path::new(path).strip_prefix(dir).ok()?;
    let mut file = normalise(relative)?;
    if dir.join(&file).is_dir() {
        file = file.join("default.nix");
    }
    Some(file.to_string_lossy().into_owned())
}

/// The entries of the inline module whose first attribute is at `at` (`{ file, line,
/// column }` from `builtins.unsafeGetAttrPos`).
/// Raw text naming a variable the host does not bind (one of the helper that made the
/// host, say) is written as the data it evaluated to where it can be, and left out with a
/// note (returned with the entries) where it cannot.
fn inline_module(
    dir: &Path,
    sites: &std::cell::OnceCell<CallSites>,
    at: &serde_json::Value,
    values: Option<&serde_json::Value>,
    env: Option<&serde_json::Value>,
    bound: &BTreeSet<String>,
    inputs: &[InputSpec],
) -> Result<(String, Vec<super::syntax::Entry>, Vec<String>), String> {
    let (Some(file), Some(line), Some(column)) = (
        at["file"].as_str(),
        at["line"].as_u64(),
        at["column"].as_u64(),
    ) else {
        return Err("an inline module whose place Nix does not report".to_owned());
    };
    let relative = within(dir, file);
    // Where the module is written, for the files of the flake its values name.
    let base = relative.as_deref().map(folder_of);
    // A file of an input whose source the user named: by the input's name.
    let of_input = || {
        inputs.iter().find_map(|input| {
            let rest = Path::new(file).strip_prefix(input.source.as_ref()?).ok()?;
            Some(format!("<{}>/{}", input.name, rest.display()))
        })
    };
    let shown = relative
        .clone()
        .or_else(of_input)
        .unwrap_or_else(|| file.to_owned());
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let mut source = Source::parse(&text).map_err(|e| format!("{shown}: {e}"))?;
    let set = inline_set(&source, line, column).ok_or_else(|| {
        format!("the inline module at {shown}:{line} is not an attribute set the importer can find")
    })?;
    // `${user}` in a name, where `user` evaluated to a string for this host.
    for (name, data) in env
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(text) = data.as_str() {
            source.constants.insert(name.clone(), text.to_owned());
        }
    }
    // A set that cannot be read entry by entry (`rec`, `inherit`) is what it evaluated
    // to, where that is data.
    let (found, unread) = match (entries(&source, &set), values) {
        (Ok(found), _) => (found, None),
        (Err(why), Some(_)) => (Vec::new(), Some(why)),
        (Err(why), None) => return Err(format!("the inline module at {shown}:{line} cannot be read entry by entry ({why}); the regenerated host lacks it: move it into a file the host imports")),
    };
    // Its `imports` were followed by evaluation (`inlineImports`).
    let mut kept = Vec::new();
    let mut lacking = Vec::new();
    let mut outside = Vec::new();
    let mut unbound_names = BTreeSet::new();
    // `_file` and `key` say what the module is, not what it defines.
    let definitions = found
        .into_iter()
        .filter(|entry| !matches!(entry.path.as_slice(), [only] if ["imports", "_file", "key"].contains(&only.as_str())));
    for mut entry in definitions {
        let data = values.and_then(|v| at_path(v, &entry.path));
        if let Some(data) = data {
            evaluated(&mut entry, data, base);
        }
        let unbound = unbound_in(&entry, bound);
        if unbound.is_empty() {
            kept.push(entry);
            continue;
        }
        // Names of the file it is written in (`let`s around it, the flake's inputs): the
        // text with those bindings, where they reach only what the host binds too.
        let lets = super::syntax::enclosing_bindings(
            set.syntax(),
            &unbound,
            |name| bound.contains(name),
            |name| {
                let sites = sites.get_or_init(|| call_sites(dir));
                caller_bindings(sites, relative.as_deref()?, name, bound)
            },
        );
        // Names of the helper that made the host (`user`, a parameter): what they
        // evaluated to for this host, where that is data.
        let bindings = match lets {
            Some(lets) => Some((lets, "it names bindings of the file it is written in")),
            None => captured_bindings(env, &unbound, entry.line, base)
                .map(|lets| (lets, "it names variables of the helper that made the host")),
        };
        if let Some((lets, reason)) = bindings {
            let text = format!("let\n  {}\nin\n{}", lets.join("\n  "), entry.text);
            entry.value = Value::Raw {
                text: text.clone(),
                reason,
            };
            entry.text = text;
            kept.push(entry);
            continue;
        }
        // Written where these names are unbound it would not evaluate: what evaluated
        // to data goes as data, one attribute at a time; the rest is left out, and said.
        unbound_names.extend(unbound);
        match data.and_then(serde_json::Value::as_object) {
            Some(attributes) if matches!(entry.value, Value::Raw { .. }) => {
                for (name, data) in attributes {
                    let path: Vec<String> =
                        entry.path.iter().cloned().chain([name.clone()]).collect();
                    data_definitions(&path, data, entry.line, base, &mut kept, &mut lacking);
                }
            }
            _ => lacking.push(entry.path.join(".")),
        }
    }
    // The set at the module's first attribute may be only part of it (`{ ... } // shared`):
    // what the evaluated module holds beyond that set goes as data, or is said to be left
    // out.
    if let Some(values) = values {
        let paths: Vec<Vec<String>> = kept.iter().map(|e| e.path.clone()).collect();
        let mut beyond = Vec::new();
        uncovered(values, &[], &paths, &mut beyond);
        for (path, data) in beyond {
            if path.first().is_some_and(|p| p == "imports") {
                continue;
            }
            data_definitions(&path, data, line as usize, base, &mut kept, &mut outside);
        }
    }
    let found = kept
        .into_iter()
        .map(|mut entry| {
            if entry.path.len() > 1 && entry.path[0] == "config" {
                entry.path.remove(0);
            }
            entry
        })
        .collect();
    let mut notes = Vec::new();
    if let Some(why) = unread {
        let lacking = if outside.is_empty() {
            String::new()
        } else {
            let outside: Vec<String> = outside.iter().map(|p| format!("`{p}`")).collect();
            format!(
                "; the regenerated host lacks {}, which {} to what is not data",
                outside.join(", "),
                if outside.len() == 1 {
                    "evaluates"
                } else {
                    "evaluate"
                }
            )
        };
        notes.push(format!(
            "the inline module at {shown}:{line} cannot be read entry by entry ({why}): what it evaluates to for this host is written as data{lacking}"
        ));
    } else if !outside.is_empty() {
        let outside: Vec<String> = outside.iter().map(|p| format!("`{p}`")).collect();
        notes.push(format!(
            "the inline module at {shown}:{line} is more than the attribute set written there (a `//` of sets, say); {} of it {} to what the importer cannot write as data, and the regenerated host lacks {}: move the module into a file the host imports",
            outside.join(", "),
            if outside.len() == 1 { "evaluates" } else { "evaluate" },
            if outside.len() == 1 { "it" } else { "them" },
        ));
    }
    if !lacking.is_empty() {
        let names: Vec<String> = unbound_names.iter().map(|n| format!("`{n}`")).collect();
        let lacking: Vec<String> = lacking.iter().map(|p| format!("`{p}`")).collect();
        notes.push(format!(
            "the inline module at {shown}:{line} names {}, which the regenerated host does not bind; {} {} to what the importer cannot write as data (a path, a function, a package), and the regenerated host lacks {}: set {} in a file the host imports, or give the names as special arguments",
            names.join(", "),
            lacking.join(", "),
            if lacking.len() == 1 { "evaluates" } else { "evaluate" },
            if lacking.len() == 1 { "it" } else { "them" },
            if lacking.len() == 1 { "it" } else { "them" },
        ));
    }
    Ok((shown, found, notes))
}

/// Where the flake's files call its other files (`import ./lib/mksystem.nix { inherit
/// overlays; }`): by the called file (relative to the flake), each caller and what it
/// passes.
type CallSites = BTreeMap<PathBuf, Vec<(String, Option<ast::Expr>)>>;

/// The flake's [`CallSites`], read from every Nix file of it once.
fn call_sites(dir: &Path) -> CallSites {
    let mut sites = CallSites::new();
    for caller in nix_files(dir) {
        let Ok(text) = std::fs::read_to_string(&caller) else {
            continue;
        };
        if !text.contains("import") {
            continue;
        }
        let (Ok(source), Some(caller)) =
            (Source::parse(&text), within(dir, &caller.to_string_lossy()))
        else {
            continue;
        };
        for apply in source
            .root
            .syntax()
            .descendants()
            .filter_map(ast::Apply::cast)
        {
            // `import ./x.nix { ... }`: `import ./x.nix` applied to an argument.
            let Some(ast::Expr::Apply(inner)) = apply.lambda().map(unparen) else {
                continue;
            };
            let is_import = matches!(inner.lambda().map(unparen), Some(ast::Expr::Ident(f)) if f.syntax().text() == "import");
            let Some(ast::Expr::PathRel(path)) = inner.argument().map(unparen) else {
                continue;
            };
            if !is_import {
                continue;
            }
            let written = Path::new(folder_of(&caller)).join(path.syntax().text().to_string());
            let Some(mut target) = crate::carry::normalise(&written) else {
                continue;
            };
            if dir.join(&target).is_dir() {
                target = target.join("default.nix");
            }
            sites
                .entry(target)
                .or_default()
                .push((caller.clone(), apply.argument().map(unparen)));
        }
    }
    sites
}

/// Bindings for `name`, a parameter of the function that the flake's file `file` is,
/// from the one place the flake calls that file (`import ./lib/mksystem.nix { inherit
/// overlays nixpkgs inputs; }` in `flake.nix`): what is passed there, with what it reads
/// around that call. `None` where the file is called in more places than one or
/// otherwise, the parameter is not passed, or what is passed cannot move to `file`'s
/// place (it reads a helper's argument, or names a path and is written in another
/// directory).
fn caller_bindings(
    sites: &CallSites,
    file: &str,
    name: &str,
    bound: &BTreeSet<String>,
) -> Option<Vec<String>> {
    let sites = sites.get(Path::new(file))?;
    let [(caller, Some(ast::Expr::AttrSet(set)))] = sites.as_slice() else {
        return None;
    };
    let is_bound = |n: &str| bound.contains(n);
    let mut lines = None;
    for inherit in set.inherits() {
        if !inherit
            .attrs()
            .any(|a| attr_name(&a).as_deref() == Some(name))
        {
            continue;
        }
        lines = Some(match inherit.from().and_then(|f| f.expr()) {
            // `inherit overlays;`: what `overlays` is around the call.
            None => super::syntax::enclosing_bindings(
                set.syntax(),
                &[name.to_owned()],
                is_bound,
                |_| None,
            )?,
            Some(from) => {
                let read: Vec<String> =
                    super::syntax::free_variables(&from.syntax().text().to_string())?
                        .into_iter()
                        .collect();
                let mut lines =
                    super::syntax::enclosing_bindings(set.syntax(), &read, is_bound, |_| None)?;
                lines.push(format!("inherit ({}) {name};", from.syntax().text()));
                lines
            }
        });
    }
    for entry in set.attrpath_values() {
        let path = entry.attrpath().and_then(|p| super::syntax::attrpath(&p));
        if path.as_deref() != Some(&[name.to_owned()]) {
            continue;
        }
        let value = entry.value()?.syntax().text().to_string();
        let read: Vec<String> = super::syntax::free_variables(&value)?
            .into_iter()
            .filter(|n| !super::syntax::ALWAYS_BOUND.contains(&n.as_str()))
            .collect();
        if read.iter().any(|n| n == name) {
            return None;
        }
        let mut found = super::syntax::enclosing_bindings(set.syntax(), &read, is_bound, |_| None)?;
        found.push(format!("{name} = {value};"));
        lines = Some(found);
    }
    let lines = lines?;
    // Path literals lead elsewhere from another directory.
    let names_path = lines.iter().any(|line| {
        rnix::Root::parse(&format!("let {line} in null"))
            .syntax()
            .descendants()
            .any(|n| n.kind() == rnix::SyntaxKind::NODE_PATH_REL)
    });
    if names_path && folder_of(caller) != folder_of(file) {
        return None;
    }
    Some(lines)
}

/// The attribute set whose first attribute (in Nix's order) Nix reports at `line` and
/// `column` of `source`.
fn inline_set(source: &Source, line: u64, column: u64) -> Option<ast::AttrSet> {
    let offset: usize = source
        .text
        .split_inclusive('\n')
        .take(usize::try_from(line).ok()?.checked_sub(1)?)
        .map(str::len)
        .sum::<usize>()
        + usize::try_from(column).ok()?.checked_sub(1)?;
    source
        .root
        .syntax()
        .descendants()
        .filter_map(ast::AttrpathValue::cast)
        .find(|entry| usize::from(entry.syntax().text_range().start()) == offset)
        .and_then(|entry| entry.syntax().parent())
        .and_then(ast::AttrSet::cast)
}

/// `name = <value>;` for each of `names` from the values an inline module's names
/// evaluated to (`env`); `None` unless every one is data.
fn captured_bindings(
    env: Option<&serde_json::Value>,
    names: &[String],
    line: usize,
    base: Option<&str>,
) -> Option<Vec<String>> {
    let env = env?;
    names
        .iter()
        .map(|name| {
            let (_, text) = data_value(env.get(name)?, line, base)?;
            Some(format!("{} = {text};", crate::nix::quote_attr_name(name)))
        })
        .collect()
}

/// The definitions of `path` as evaluated `data`: one where it is all data, else one for
/// each part that is (a set's attributes, deeper where they hold what is not data), the
/// paths of the rest pushed onto `lacking`.
fn data_definitions(
    path: &[String],
    data: &serde_json::Value,
    line: usize,
    base: Option<&str>,
    kept: &mut Vec<super::syntax::Entry>,
    lacking: &mut Vec<String>,
) {
    if let Some(definition) = data_definition(path, data, line, base) {
        kept.push(definition);
        return;
    }
    match data.as_object() {
        Some(fields) if !fields.keys().any(|k| k.starts_with("__flakesmith")) => {
            for (name, data) in fields {
                let path: Vec<String> = path.iter().cloned().chain([name.clone()]).collect();
                data_definitions(&path, data, line, base, kept, lacking);
            }
        }
        _ => lacking.push(path.join(".")),
    }
}

/// The definition of `path` as evaluated `data`; `None` where the data is opaque.
fn data_definition(
    path: &[String],
    data: &serde_json::Value,
    line: usize,
    base: Option<&str>,
) -> Option<super::syntax::Entry> {
    let (value, text) = data_value(data, line, base)?;
    Some(super::syntax::Entry {
        path: path.to_vec(),
        value,
        text,
        line,
        comments: Vec::new(),
    })
}

/// Evaluated data as a value: a small set is read attribute by attribute like a written
/// one (typed where bindings name its options), a large one (a colour scheme passed in
/// `extraSpecialArgs`, say), wherever it sits, stays one definition of its text. Its
/// size is counted in the data, not in what its own large sets became. A set holding a
/// file of the flake stays a set, so that what names the file can be kept beside it.
fn as_definition(value: Value, data: &serde_json::Value, text: &str) -> Value {
    fn leaves(data: &serde_json::Value) -> usize {
        match data.as_object() {
            Some(fields) if !fields.keys().any(|k| k.starts_with("__flakesmith")) => {
                fields.values().map(leaves).sum()
            }
            _ => 1,
        }
    }
    fn names_file(data: &serde_json::Value) -> bool {
        match data {
            serde_json::Value::Object(fields) => {
                fields.contains_key("__flakesmithPath") || fields.values().any(names_file)
            }
            serde_json::Value::Array(items) => items.iter().any(names_file),
            _ => false,
        }
    }
    match value {
        Value::Attrs(_) if leaves(data) > 16 && !names_file(data) => Value::Raw {
            text: text.to_owned(),
            reason: "a large set the evaluation found",
        },
        value => value,
    }
}

/// The parts of evaluated module `values` that no entry read from the text covers (no
/// entry's path is theirs or leads to them), with their paths.
fn uncovered<'v>(
    values: &'v serde_json::Value,
    prefix: &[String],
    entries: &[Vec<String>],
    out: &mut Vec<(Vec<String>, &'v serde_json::Value)>,
) {
    let Some(fields) = values.as_object() else {
        return;
    };
    if [
        "__flakesmithOpaque",
        "__flakesmithPriority",
        "__flakesmithPath",
        "__flakesmithLocated",
    ]
    .iter()
    .any(|marker| fields.contains_key(*marker))
    {
        return;
    }
    // `config.x` is `x`, in the text and in the values alike (a module may be written
    // `{ config._module.args = ...; }`, and its values then hold `config`).
    let plain = |path: &[String]| -> Vec<String> {
        match path.split_first() {
            Some((first, rest)) if first == "config" => rest.to_vec(),
            _ => path.to_vec(),
        }
    };
    let written: Vec<Vec<String>> = entries.iter().map(|e| plain(e)).collect();
    for (name, value) in fields {
        let path: Vec<String> = prefix.iter().cloned().chain([name.clone()]).collect();
        let seen = plain(&path);
        if written.iter().any(|e| seen.starts_with(e)) {
            continue;
        }
        if written.iter().any(|e| e.starts_with(&seen)) {
            uncovered(value, &path, entries, out);
        } else {
            out.push((path, value));
        }
    }
}

/// The variables an entry's raw text reads that the regenerated host does not bind.
fn unbound_in(entry: &super::syntax::Entry, bound: &BTreeSet<String>) -> Vec<String> {
    if !has_raw(&entry.value) {
        return Vec::new();
    }
    let Some(free) = super::syntax::free_variables(&entry.text) else {
        return Vec::new();
    };
    free.into_iter()
        .filter(|name| {
            !bound.contains(name) && !super::syntax::ALWAYS_BOUND.contains(&name.as_str())
        })
        .collect()
}

/// The part of an inline module's evaluated values at `path`.
fn at_path<'v>(values: &'v serde_json::Value, path: &[String]) -> Option<&'v serde_json::Value> {
    path.iter().try_fold(values, |v, name| v.get(name))
}

/// Gives `entry` the value the evaluation found, where what is written is not read to
/// the end (it names a variable, calls a function) and the evaluated value is data: the
/// host gets the same value without the variable, which the regenerated flake does not
/// bind.
fn evaluated(entry: &mut super::syntax::Entry, data: &serde_json::Value, base: Option<&str>) {
    if !has_raw(&entry.value) {
        return;
    }
    if let Some((value, text)) = data_value(data, entry.line, base) {
        entry.value = value;
        entry.text = text;
        return;
    }
    // Part of it is data: each entry that is gets its value, and the set its new text.
    if let Value::Attrs(inner) = &mut entry.value {
        let mut text = String::from("{ ");
        for item in inner.iter_mut() {
            if let Some(data) = at_path(data, &item.path) {
                evaluated(item, data, base);
            }
            let path: Vec<String> = item
                .path
                .iter()
                .map(|name| crate::nix::quote_attr_name(name))
                .collect();
            text.push_str(&format!("{} = {}; ", path.join("."), item.text));
        }
        text.push('}');
        entry.text = text;
    }
}

fn has_raw(value: &Value) -> bool {
    match value {
        Value::Raw { .. } => true,
        Value::List(items) => items.iter().any(has_raw),
        Value::Attrs(entries) => entries.iter().any(|e| has_raw(&e.value)),
        Value::Priority(_, inner) => has_raw(inner),
        _ => false,
    }
}

/// Evaluated data as a value and its Nix text; `None` where any part is opaque.
///
/// A file of the flake (`__flakesmithPath`) is a path literal relative to `base`, the
/// directory (in the flake) of the file the value is written in; opaque without one.
fn data_value(
    data: &serde_json::Value,
    line: usize,
    base: Option<&str>,
) -> Option<(Value, String)> {
    use serde_json::Value as Json;
    Some(match data {
        Json::Null => (Value::Null, "null".to_owned()),
        Json::Bool(on) => (Value::Bool(*on), on.to_string()),
        Json::Number(n) => match n.as_i64() {
            Some(int) => (Value::Int(int), int.to_string()),
            None => {
                let float = n.as_f64()?;
                (Value::Float(float), format!("{float:?}"))
            }
        },
        Json::String(text) => (Value::Str(text.clone()), crate::nix::double_quoted(text)),
        Json::Array(items) => {
            let items = items
                .iter()
                .map(|item| data_value(item, line, base))
                .collect::<Option<Vec<_>>>()?;
            let text = format!(
                "[ {}]",
                items
                    .iter()
                    .map(|(_, t)| format!("{t} "))
                    .collect::<String>()
            );
            (
                Value::List(items.into_iter().map(|(v, _)| v).collect()),
                text,
            )
        }
        // Opaque, or a package set or platform a stand-in made: not data.
        Json::Object(fields)
            if [
                "__flakesmithOpaque",
                "__flakesmithPackageSetMadeAt",
                "__flakesmithPlatformOf",
            ]
            .iter()
            .any(|k| fields.contains_key(*k)) =>
        {
            return None
        }
        // A module of the flake's flake-parts collections, from the carried outputs.
        Json::Object(fields) if fields.contains_key("__flakesmithLocated") => {
            let attribute = fields["__flakesmithLocated"].as_str()?;
            let text = format!("inputs.self.{}", attribute.strip_prefix("flake.")?);
            (
                Value::Raw {
                    text: text.clone(),
                    reason: "a module of the flake's flake-parts outputs",
                },
                text,
            )
        }
        Json::Object(fields) if fields.contains_key("__flakesmithPath") => {
            let text = relative_literal(base?, fields["__flakesmithPath"].as_str()?)?;
            (Value::Path(text.clone()), text)
        }
        Json::Object(fields) if fields.contains_key("__flakesmithPriority") => {
            let priority = fields["__flakesmithPriority"].as_u64()?;
            let (inner, text) = data_value(fields.get("content")?, line, base)?;
            // The priorities NixOS's own wrappers give (`lib.mkDefault` is 1000).
            let (kind, call) = match priority {
                1000 => (Priority::Default, "lib.mkDefault".to_owned()),
                50 => (Priority::Force, "lib.mkForce".to_owned()),
                n => (
                    Priority::Override(u32::try_from(n).ok()?),
                    format!("lib.mkOverride {n}"),
                ),
            };
            let text = if text.contains(' ') {
                format!("({text})")
            } else {
                text
            };
            (
                Value::Priority(kind, Box::new(inner)),
                format!("{call} {text}"),
            )
        }
        Json::Object(fields) => {
            let mut entries = Vec::new();
            let mut text = String::from("{ ");
            for (name, field) in fields {
                let (value, field_text) = data_value(field, line, base)?;
                text.push_str(&format!(
                    "{} = {field_text}; ",
                    crate::nix::quote_attr_name(name)
                ));
                entries.push(super::syntax::Entry {
                    path: vec![name.clone()],
                    value,
                    text: field_text,
                    line,
                    comments: Vec::new(),
                });
            }
            text.push('}');
            (as_definition(Value::Attrs(entries), data, &text), text)
        }
    })
}

/// `target` (relative to the flake) as a path literal written in `base` (a directory of
/// the flake, `""` for its root): `../home/a.nix` from `lib`. `None` where a path literal
/// cannot say it.
fn relative_literal(base: &str, target: &str) -> Option<String> {
    if !target
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+".contains(c))
    {
        return None;
    }
    let depth = base.split('/').filter(|s| !s.is_empty()).count();
    Some(if depth == 0 {
        format!("./{target}")
    } else {
        format!("{}{target}", "../".repeat(depth))
    })
}
