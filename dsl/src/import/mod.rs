//! `flakesmith import FLAKE_DIR --out CONFIG_DIR`: an existing flake as a configuration
//! crate. The flake is read as syntax (it may not evaluate on this machine; only hosts a
//! helper makes are found by evaluating `outputs` with stand-ins, [`evaluate`]):
//! `flake.nix` names the inputs and hosts, each host's modules are read definition by
//! definition, and each definition becomes a typed call when a binding exists and its
//! value fits, or stays exactly as written through `Raw::nix` with the reason.
//!
//! Stages: [`read`] (files to definitions) → [`convert`] (definitions to calls) → this
//! module (hosts, modules and users placed) → [`rust`] (the crate's files) → [`report`].

pub mod convert;
pub mod derive;
pub mod evaluate;
pub mod outputs;
pub mod read;
pub mod report;
pub mod rust;
pub mod syntax;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::bindgen::Index;
use crate::releases;

use convert::{call, call_in, leaves, Call, Leaf, Options};
use derive::Derived;
use read::{Import, ModuleFile};
use report::{FileReport, Report};
use std::fmt::Write as _;
use syntax::{Entry, Value};

/// The bindings the importer types definitions with: every shipped release line's, each
/// loaded when a flake on its release is first imported.
pub struct Bindings {
    data: std::path::PathBuf,
    nixos: Vec<std::sync::OnceLock<Index>>,
    home: Vec<std::sync::OnceLock<Index>>,
    /// Other flakes' NixOS modules with bindings: their root (`sops_nix`) and index.
    pub inputs: Vec<(&'static str, Index)>,
}

/// One release line's bindings, as a flake on that release is typed against them.
pub struct LineBindings<'b> {
    pub nixos_line: &'static releases::Line,
    pub home_line: &'static releases::Line,
    pub nixos: &'b Index,
    pub home: &'b Index,
}

impl Bindings {
    /// The bindings flakesmith ships, from the option data in `data` (`dsl/data/`):
    /// NixOS's and Home Manager's of every release line, and sops-nix's, agenix's,
    /// disko's and impermanence's.
    pub fn shipped(data: &Path) -> Result<Self, String> {
        Ok(Self {
            data: data.to_owned(),
            nixos: releases::NIXOS.iter().map(|_| Default::default()).collect(),
            home: releases::HOME.iter().map(|_| Default::default()).collect(),
            inputs: vec![
                (
                    "flakesmith_inputs::sops_nix",
                    index(data, "sops-nix-options.json")?,
                ),
                (
                    "flakesmith_inputs::agenix",
                    index(data, "agenix-options.json")?,
                ),
                (
                    "flakesmith_inputs::disko",
                    index(data, "disko-options.json")?,
                ),
                (
                    "flakesmith_inputs::impermanence",
                    index(data, "impermanence-options.json")?,
                ),
            ],
        })
    }

    /// The release lines a flake on `release` is typed against (the newest where it is
    /// newer than every line), their indexes loaded.
    pub fn for_release(&self, release: &str) -> Result<LineBindings<'_>, String> {
        let nixos_line = releases::line_or_newest(releases::NIXOS, release);
        let home_line = releases::line_or_newest(releases::HOME, release);
        Ok(LineBindings {
            nixos_line,
            home_line,
            nixos: self.load(&self.nixos, releases::NIXOS, nixos_line)?,
            home: self.load(&self.home, releases::HOME, home_line)?,
        })
    }

    /// The index of `line` (one of `lines`, whose indexes `cells` hold), built or read
    /// from the cache the first time it is asked for.
    fn load<'a>(
        &self,
        cells: &'a [std::sync::OnceLock<Index>],
        lines: &'static [releases::Line],
        line: &'static releases::Line,
    ) -> Result<&'a Index, String> {
        let at = lines
            .iter()
            .position(|l| l == line)
            .expect("a shipped line");
        if let Some(index) = cells[at].get() {
            return Ok(index);
        }
        let index = index(&self.data, line.data)?;
        Ok(cells[at].get_or_init(|| index))
    }
}

/// The index of the bindings generated from the option data `file` in `data`.
fn index(data: &Path, file: &str) -> Result<Index, String> {
    let cache = cache_dir();
    let path = data.join(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    // Building an index runs the generator over every option: kept between runs,
    // by the option data's hash.
    let cached = cache.as_ref().map(|dir| {
        let mut hash = fnv::FnvHasher::default();
        std::hash::Hasher::write(&mut hash, text.as_bytes());
        dir.join(format!(
            "index-{:016x}.txt",
            std::hash::Hasher::finish(&hash)
        ))
    });
    if let Some(index) = cached
        .as_ref()
        .and_then(|file| std::fs::read_to_string(file).ok())
        .and_then(|text| Index::from_text(&text))
    {
        return Ok(index);
    }
    let options =
        crate::bindgen::read_options(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let index = crate::bindgen::generate(&options, &Default::default()).index;
    if let Some(file) = cached {
        // A cache that cannot be written only costs time.
        let staged = file.with_extension(format!("{}.tmp", std::process::id()));
        let written = std::fs::create_dir_all(file.parent().expect("in a directory"))
            .and_then(|()| std::fs::write(&staged, index.to_text()))
            .and_then(|()| std::fs::rename(&staged, &file));
        if written.is_err() {
            let _ = std::fs::remove_file(&staged);
        }
    }
    Ok(index)
}

/// Where the importer keeps its bindings indexes between runs: `FLAKESMITH_CACHE_DIR`,
/// else `$XDG_CACHE_HOME/flakesmith`, else `~/.cache/flakesmith`; `None` when none is set.
fn cache_dir() -> Option<std::path::PathBuf> {
    if let Some(dir) = std::env::var_os("FLAKESMITH_CACHE_DIR") {
        return Some(dir.into());
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(std::path::PathBuf::from(dir).join("flakesmith"));
    }
    std::env::var_os("HOME").map(|home| std::path::PathBuf::from(home).join(".cache/flakesmith"))
}

/// What the importer made: the crate's files and the report.
pub struct Imported {
    pub files: BTreeMap<String, String>,
    /// Files of the flake copied into the crate that are not text, by crate path.
    pub binary_files: BTreeMap<String, Vec<u8>>,
    pub report: Report,
}

/// A module of the flake, as the crate states it.
#[derive(Clone, Debug)]
pub struct ModuleOut {
    /// The Rust function that returns it.
    pub function: String,
    pub name: String,
    /// `System`, `Services`, `Desktop` or `Home`.
    pub category: &'static str,
    /// The file it came from, within the flake.
    pub file: String,
    pub calls: Vec<Call>,
    pub imports: Vec<ModuleRef>,
    /// What of its file is kept as written, imported beside it (`Module::beside`) so
    /// that its definitions stand where the file's did.
    pub beside: Option<ModuleRef>,
    /// The path within the crate of the copied file, when it stays hand-kept.
    pub hand_kept: Option<String>,
    /// The struct it is, when it declares options the derive states.
    pub derived: Option<Derived>,
}

/// A module a host, module or user imports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleRef {
    /// One of the crate's modules: its function.
    Own(String),
    Input {
        input: String,
        attribute: String,
    },
}

/// A Home Manager user.
#[derive(Clone, Debug)]
pub struct UserOut {
    pub name: String,
    pub function: String,
    pub file: String,
    pub state_version: String,
    pub calls: Vec<Call>,
    pub imports: Vec<ModuleRef>,
    /// The crate path of the user's file, when it stays hand-kept (its definitions then
    /// come from that file, imported as a Home Manager module).
    pub hand_kept: Option<String>,
}

/// A host.
#[derive(Clone, Debug)]
pub struct HostOut {
    pub name: String,
    pub system: String,
    pub state_version: String,
    /// The crate path of its hardware file.
    pub hardware: Option<String>,
    pub imports: Vec<ModuleRef>,
    pub calls: Vec<Call>,
    /// Its Home Manager users (by function) and what the host adds to each.
    pub users: Vec<(String, Vec<Call>)>,
    /// What it sets of each derived module it imports (by the module's function).
    pub settings: BTreeMap<String, Settings>,
    /// Its special arguments (`specialArgs` other than `inputs`).
    pub special_args: Vec<(String, read::SpecialValue)>,
    /// Whether `state_version` is only a default its modules may replace (the importer
    /// found no `system.stateVersion` it can read, though a module may set one).
    pub state_version_default: bool,
    /// Its own package set: the crate path of the file, and whether its `lib` is the
    /// host's too.
    pub package_set: Option<(String, bool)>,
    /// How many of `imports` come ahead of its own definitions, where its own file is
    /// not first in its module list (`Host::own_definitions_here`).
    pub definitions_after: Option<usize>,
    /// Imports further down than its file's own (`Host::import_nested`): position in
    /// `imports`, and how many levels.
    pub nested: BTreeMap<usize, usize>,
}

/// A host's settings of a derived module: `enable`, and each field it sets (as a Rust
/// struct field value).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub enable: Option<bool>,
    pub fields: BTreeMap<String, String>,
}

/// One definition a host makes, seen before any module is converted: the host, the
/// option path, the value and where.
#[derive(Clone, Debug)]
struct HostSetting {
    host: String,
    path: Vec<String>,
    value: Value,
    at: String,
}

/// The flake, as the crate states it.
#[derive(Clone, Debug)]
pub struct FlakeOut {
    pub description: String,
    pub release: String,
    pub nixpkgs: Option<String>,
    pub home_manager: Option<String>,
    pub inputs: Vec<read::InputSpec>,
    pub hosts: Vec<HostOut>,
    pub modules: Vec<ModuleOut>,
    pub users: Vec<UserOut>,
    /// Files copied as they are (hardware files, hand-kept modules): crate path → text.
    pub copied: BTreeMap<String, String>,
    /// The crate path of the outputs carried from the original flake, if any.
    pub extra_outputs: Option<String>,
}

/// The crate to write.
pub struct CrateConfig {
    pub name: String,
    pub flakesmith: crate::scaffold::Dependency,
}

/// What `flake.nix` in `dir` says: read as syntax, and where a helper makes the hosts,
/// found by evaluating `outputs` with stand-in inputs ([`evaluate`]).
pub fn flake(dir: &Path) -> Result<read::FlakeSpec, String> {
    flake_with_sources(dir, &[])
}

/// [`flake`], where the inputs named in `sources` are evaluated from their own source
/// (`--input-source NAME=PATH`) instead of a stand-in.
pub fn flake_with_sources(
    dir: &Path,
    sources: &[(String, PathBuf)],
) -> Result<read::FlakeSpec, String> {
    let mut spec = read::flake(dir)?;
    for (name, path) in sources {
        let input = spec
            .inputs
            .iter_mut()
            .find(|i| &i.name == name)
            .ok_or_else(|| format!("--input-source {name}=...: the flake has no input `{name}`"))?;
        let path = path
            .canonicalize()
            .map_err(|e| format!("--input-source {name}={}: {e}", path.display()))?;
        if !path.join("flake.nix").is_file() {
            return Err(format!(
                "--input-source {name}={}: there is no flake.nix there",
                path.display()
            ));
        }
        input.source = Some(path);
    }
    let Some(unread) = spec.hosts_unread.take() else {
        return Ok(spec);
    };
    let evaluated = match evaluate::nixpkgs_lib() {
        Some(lib) => evaluate::hosts(dir, &spec.inputs, &lib),
        None => Err("there is no nixpkgs lib to evaluate it with: set FLAKESMITH_NIXPKGS_LIB (or `--lib PATH`) to a nixpkgs checkout's lib/ directory, or put nixpkgs on NIX_PATH".to_owned()),
    };
    match evaluated {
        Ok(found) if !found.hosts.is_empty() => {
            spec.hosts = found.hosts;
            spec.other_outputs = found.other_outputs.into_iter().map(|n| (n, 0)).collect();
            Ok(spec)
        }
        Ok(_) if spec.inputs.iter().any(evaluate::is_flake_parts) => Err(format!(
            "{unread}; evaluated with flake-parts, no module of the flake defines `flake.nixosConfigurations`: where an input's flake module makes the hosts (given `hosts = {{ ... }}`, say), name that input's source with `--input-source NAME=PATH` (`nix flake archive --json` lists where each input is), or define them with `flake.nixosConfigurations.<host> = inputs.nixpkgs.lib.nixosSystem {{ ... }}`"
        )),
        Ok(_) => Err(format!(
            "{unread}; evaluated, its outputs have no `nixosConfigurations`"
        )),
        Err(why) => Err(format!(
            "{unread}; and it could not be evaluated instead: {why}"
        )),
    }
}

/// Imports the flake in `dir`.
pub fn import(dir: &Path, bindings: &Bindings, config: &CrateConfig) -> Result<Imported, String> {
    import_flake(dir, flake(dir)?, bindings, config)
}

/// Imports the flake in `dir` whose `flake.nix` [`flake`] has read as `spec`.
pub fn import_flake(
    dir: &Path,
    spec: read::FlakeSpec,
    bindings: &Bindings,
    config: &CrateConfig,
) -> Result<Imported, String> {
    let nixpkgs = spec
        .inputs
        .iter()
        .find(|i| i.name == "nixpkgs")
        .map(|i| i.url.clone());
    let (release, how) = pinned_release(nixpkgs.as_deref(), &read::locked_dates(dir));
    // The release line the flake's release takes types its definitions, and is what the
    // crate's Cargo.toml depends on.
    let line = bindings.for_release(&release)?;
    // The option sets are built once: matching a path against them is the hot part.
    let mut nixos = vec![("nixos", line.nixos)];
    nixos.extend(bindings.inputs.iter().map(|(root, index)| (*root, index)));
    let mut state = State {
        release: release.clone(),
        dir,
        nixos: Options::new(&nixos),
        home: Options::new(&[("hm", line.home)]),
        report: Report::default(),
        modules: Vec::new(),
        users: Vec::new(),
        copied: BTreeMap::new(),
        copied_bytes: BTreeMap::new(),
        scope: read::Scope {
            inputs_named: spec.inputs.iter().map(|i| i.name.clone()).collect(),
            constants: read::shared_constants(&spec.hosts),
        },
        host_settings: Vec::new(),
        scanned: BTreeMap::new(),
    };
    for host in &spec.hosts {
        state.scan(host, &spec.hosts)?;
    }
    let mut hosts = Vec::new();
    for host in &spec.hosts {
        hosts.push(state.host(host)?);
    }
    let home_manager = spec
        .inputs
        .iter()
        .find(|i| i.name == "home-manager")
        .map(|i| i.url.clone());
    let mut flake_report = FileReport::default();
    flake_report.note("flake.nix".to_owned(), how);
    // The other outputs, carried as they were written.
    let wanted: Vec<String> = spec.other_outputs.iter().map(|(n, _)| n.clone()).collect();
    let line_of = |name: &str| {
        spec.other_outputs
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, line)| *line)
    };
    // A flake-parts flake's outputs are carried whole (its hosts may import its
    // collections' modules from them).
    let carried_modules: BTreeSet<(&str, &str)> = spec
        .hosts
        .iter()
        .flat_map(|h| h.carried.iter().map(|(f, a)| (f.as_str(), a.as_str())))
        .collect();
    let flake_parts = spec.inputs.iter().any(evaluate::is_flake_parts)
        && std::fs::read_to_string(dir.join("flake.nix")).is_ok_and(|t| t.contains("mkFlake"));
    let carried = if flake_parts {
        outputs::carry_flake_parts(dir, &wanted)
    } else {
        outputs::carry(dir, &wanted)
    };
    if carried.text.is_none() {
        if let Some((file, attribute)) = carried_modules.first() {
            return Err(format!(
                "a host imports `{attribute}`, a module inline in a flake-parts module ({file}), which the generated flake would take from the flake's own outputs, but its `outputs` cannot be carried: move the module into a file of its own and set `{attribute} = ./<file>.nix;`"
            ));
        }
    }
    // The definitions of the modules the hosts take from the carried outputs are the
    // flake's too, kept as they are.
    let files: BTreeSet<&str> = carried_modules.iter().map(|(f, _)| *f).collect();
    for file in files {
        let names: Vec<String> = carried_modules
            .iter()
            .filter(|(f, _)| *f == file)
            .map(|(_, a)| format!("`{a}`"))
            .collect();
        let definitions = std::fs::read_to_string(dir.join(file))
            .map(|text| {
                carried_modules
                    .iter()
                    .filter(|(f, _)| *f == file)
                    .map(|(_, attribute)| syntax::count_module_at(&text, attribute))
                    .sum()
            })
            .unwrap_or(0);
        let mut part = FileReport::default();
        part.hand_kept(
            format!(
                "{} written inline in a flake-parts module: kept in the carried outputs (nix/outputs.nix), which the hosts import it from as `inputs.self.<collection>.<name>`",
                names.join(", ")
            ),
            definitions,
        );
        state.report.add(file, part);
    }
    let extra_outputs = carried.text.map(|text| {
        let target = "nix/outputs.nix".to_owned();
        state.copy_as(
            "outputs.nix",
            &text,
            &target,
            text.clone(),
            &mut flake_report,
        );
        target
    });
    for output in &carried.carried {
        flake_report.note(
            flake_at(line_of(output)),
            format!("the output `{output}` is carried as it was written, in nix/outputs.nix (`Flake::extra_outputs`)"),
        );
    }
    for (output, why) in &carried.not_carried {
        flake_report.note(
            flake_at(line_of(output)),
            format!("the output `{output}` is not carried into the generated flake: {why}; keep it by hand with `Flake::extra_outputs`"),
        );
    }
    state.report.add("flake.nix", flake_report);
    let flake = FlakeOut {
        description: spec.description,
        release,
        nixpkgs,
        home_manager,
        inputs: spec
            .inputs
            .into_iter()
            .filter(|i| !matches!(i.name.as_str(), "nixpkgs" | "home-manager" | "self"))
            .collect(),
        hosts,
        modules: state.modules,
        users: state.users,
        copied: state.copied,
        extra_outputs,
    };
    let files = rust::crate_files(
        &flake,
        &state.report,
        &config.name,
        &config.flakesmith,
        (line.nixos_line, line.home_line),
    );
    Ok(Imported {
        files,
        binary_files: state.copied_bytes,
        report: state.report,
    })
}

/// The release line a flake pins, and how the importer knows: the branch of the nixpkgs
/// URL (`nixos-24.05`, `nixpkgs-24.11-darwin`), else the date `flake.lock` records for
/// nixpkgs (a `nixos-unstable` of February 2025 is the 25.05 cycle), else the newest
/// release flakesmith ships bindings for.
fn pinned_release(url: Option<&str>, locked: &BTreeMap<String, i64>) -> (String, String) {
    if let Some(release) = url.and_then(branch_release) {
        return (
            release.clone(),
            format!("nixpkgs is pinned to release {release} by its branch"),
        );
    }
    let branch = url.and_then(|u| u.rsplit('/').next()).unwrap_or("none");
    if let Some(&seconds) = locked.get("nixpkgs") {
        let (year, month) = year_month(seconds);
        let release = release_cycle(year, month);
        return (
            release.clone(),
            format!("nixpkgs follows `{branch}`, locked at {year}-{month:02} in flake.lock: release line {release} (the release that branch was heading for)"),
        );
    }
    (
        SHIPPED_RELEASE.to_owned(),
        format!("nixpkgs follows `{branch}` and there is no flake.lock to date it: release line {SHIPPED_RELEASE}, the newest flakesmith ships bindings for; change `Flake::new` if your pin is newer"),
    )
}

/// The newest release the shipped NixOS bindings follow.
const SHIPPED_RELEASE: &str = releases::NIXOS[releases::NIXOS.len() - 1].release;

/// `24.05` from a branch such as `nixos-24.05`, `release-24.05`, `nixpkgs-24.11-darwin`.
fn branch_release(url: &str) -> Option<String> {
    let branch = url.split(['?', '#']).next()?.rsplit('/').next()?;
    branch
        .split('-')
        .find(|part| crate::check::is_release(part))
        .map(str::to_owned)
}

/// The release cycle a nixpkgs of `year`-`month` belongs to: releases come out at the
/// end of May and of November.
fn release_cycle(year: i64, month: u32) -> String {
    let (year, month) = match month {
        1..=5 => (year, 5),
        6..=11 => (year, 11),
        _ => (year + 1, 5),
    };
    format!("{:02}.{month:02}", year % 100)
}

/// The civil year and month of a Unix time (Howard Hinnant's days-to-civil).
fn year_month(seconds: i64) -> (i64, u32) {
    let days = seconds.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month)
}

struct State<'a> {
    /// The release line the flake pins.
    release: String,
    dir: &'a Path,
    /// NixOS's bindings and other flakes' NixOS modules', and Home Manager's.
    nixos: Options<'a>,
    home: Options<'a>,
    report: Report,
    modules: Vec<ModuleOut>,
    users: Vec<UserOut>,
    copied: BTreeMap<String, String>,
    /// Files copied that are not text (a wallpaper a hand-kept module names).
    copied_bytes: BTreeMap<String, Vec<u8>>,
    /// What the flake's modules can name: its inputs, and the special arguments every
    /// host gives the same string.
    scope: read::Scope,
    /// Every host's own definitions, read before modules are converted: whether a module
    /// can be a derived struct depends on how hosts set its options.
    host_settings: Vec<HostSetting>,
    /// What [`State::scan`] read of each host, for [`State::host`] to convert.
    scanned: BTreeMap<String, Scanned>,
}

/// A host's own file (as read) and its definitions and the inline ones, one option each.
struct Scanned {
    own: Option<(String, ModuleFile)>,
    own_leaves: Vec<Leaf>,
    /// The inline modules' definitions, by the file each is written in.
    inline_leaves: Vec<(String, Vec<Leaf>)>,
    /// The inline modules' definitions that name files of the flake by relative path, by
    /// the file each is written in: kept as written beside that file.
    inline_paths: Vec<(String, Vec<Entry>)>,
}

/// Options that flakesmith writes on a host itself, when the flake's value is the one
/// flakesmith would write.
const HOME_MANAGER_SETTINGS: &[&str] = &["useGlobalPkgs", "useUserPackages"];

impl State<'_> {
    /// The host's own file: the one under `hosts/` or named after it, else the first file
    /// it imports that no other host of the flake (`hosts`) imports; a module every host
    /// imports is shared, not the host's (its options would be read as definitions).
    fn own_file(spec: &read::HostSpec, hosts: &[read::HostSpec]) -> Option<String> {
        let shared = |file: &String| {
            hosts.iter().any(|other| {
                other.name != spec.name
                    && other
                        .imports
                        .iter()
                        .any(|i| matches!(i, Import::File(f) if f == file))
            })
        };
        let files: Vec<&String> = spec
            .imports
            .iter()
            .filter_map(|i| match i {
                Import::File(file) => Some(file),
                Import::Input { .. } => None,
            })
            .collect();
        files
            .iter()
            .find(|f| f.contains(&spec.name) || f.starts_with("hosts/"))
            .or(files.iter().find(|f| !shared(f)))
            .map(|f| (*f).clone())
    }

    /// Reads the host's own file and inline definitions, and records them as
    /// [`HostSetting`]s.
    fn scan(&mut self, spec: &read::HostSpec, hosts: &[read::HostSpec]) -> Result<(), String> {
        let mut own = None;
        let mut own_leaves = Vec::new();
        if let Some(file) = Self::own_file(spec, hosts) {
            let mut module = read::module(self.dir, &file, &self.scope)?;
            // What names a file by relative path stays beside the file (see `host`).
            let with_paths = Self::take_kept_paths(&mut module);
            leaves(
                &self.nixos,
                &[],
                std::mem::replace(&mut module.definitions, with_paths),
                &mut own_leaves,
            );
            own = Some((file, module));
        }
        let mut inline_leaves = Vec::new();
        let mut inline_paths = Vec::new();
        for (file, entries) in &spec.inline {
            // `imports` is not an option; an inline module's that evaluation did not
            // follow (a flake read as syntax) stays out, with a note.
            let (imports, entries): (Vec<_>, Vec<_>) =
                entries.iter().cloned().partition(|e| e.path == ["imports"]);
            for entry in imports {
                self.report.add(file, {
                    let mut report = FileReport::default();
                    report.skip(
                        format!("{file}:{}", entry.line),
                        "the `imports` of an inline module, which the importer does not follow: move the module into a file the host imports".to_owned(),
                    );
                    report
                });
            }
            // What names a file by relative path evaluates only from beside that file.
            let mut module = ModuleFile::default();
            module.definitions = entries;
            let with_paths = Self::take_kept_paths(&mut module);
            if !with_paths.is_empty() {
                // One file beside each file the host's inline modules are written in.
                match inline_paths
                    .iter_mut()
                    .find(|(kept, _): &&mut (String, Vec<Entry>)| kept == file)
                {
                    Some((_, entries)) => entries.extend(with_paths),
                    None => inline_paths.push((file.clone(), with_paths)),
                }
            }
            let mut found = Vec::new();
            leaves(&self.nixos, &[], module.definitions, &mut found);
            inline_leaves.push((file.clone(), found));
        }
        let own_file = own.as_ref().map_or("", |(file, _)| file.as_str());
        let located = own_leaves.iter().map(|leaf| (own_file, leaf)).chain(
            inline_leaves
                .iter()
                .flat_map(|(file, found)| found.iter().map(move |leaf| (file.as_str(), leaf))),
        );
        self.host_settings
            .extend(located.map(|(file, leaf)| HostSetting {
                host: spec.name.clone(),
                at: format!("{file}:{}", leaf.line),
                path: leaf.path.clone(),
                value: leaf.value.clone(),
            }));
        self.scanned.insert(
            spec.name.clone(),
            Scanned {
                own,
                own_leaves,
                inline_leaves,
                inline_paths,
            },
        );
        Ok(())
    }

    fn host(&mut self, spec: &read::HostSpec) -> Result<HostOut, String> {
        let mut host = HostOut {
            name: spec.name.clone(),
            system: spec.system.clone().unwrap_or_default(),
            state_version: String::new(),
            hardware: None,
            imports: Vec::new(),
            calls: Vec::new(),
            users: Vec::new(),
            settings: BTreeMap::new(),
            special_args: spec.special_args.clone(),
            state_version_default: false,
            package_set: None,
            definitions_after: None,
            nested: BTreeMap::new(),
        };
        let mut flake_report = FileReport::default();
        for skipped in &spec.skipped {
            flake_report.skip(flake_at(spec.line), skipped.clone());
        }
        if let Some(set) = &spec.package_set {
            let target = match set.binding.as_str() {
                "pkgs" => "nix/package-set.nix".to_owned(),
                // `lib.pkgsBySystem."x86_64-linux"` → `package-set-lib-pkgsBySystem-x86_64-linux`.
                other => {
                    let words: Vec<&str> = other
                        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                        .filter(|w| !w.is_empty())
                        .collect();
                    format!("nix/package-set-{}.nix", words.join("-"))
                }
            };
            if !self.copied.contains_key(&target) {
                self.copy_as(
                    "flake.nix",
                    &set.text,
                    &target,
                    set.text.clone(),
                    &mut flake_report,
                );
            }
            let lib = if set.its_lib { " and its `lib`" } else { "" };
            flake_report.note(
                flake_at(spec.line),
                format!(
                    "host `{}`: the package set its `nixosSystem` is given (`pkgs`{lib}, given at {}) is `{}` as flake.nix's `outputs` binds it: carried with the bindings it reads, in {target} (`Host::package_set`)",
                    spec.name, set.given_at, set.binding
                ),
            );
            host.package_set = Some((target, set.its_lib));
        }
        let scanned = self
            .scanned
            .remove(&spec.name)
            .expect("every host is scanned first");
        let own = scanned.own.as_ref().map(|(file, _)| file);
        let mut definitions: Vec<(String, Vec<Leaf>)> = Vec::new();
        let mut own_leaves = Some(scanned.own_leaves);
        for (position, import) in spec.imports.iter().enumerate() {
            // What the original reached through modules that only import stands as far
            // down (the host's own file is read where it is).
            let levels = spec.nested.get(&position).copied();
            let own_file = matches!(import, Import::File(file) if Some(file) == own);
            if let (Some(levels), false) = (levels, own_file) {
                let before = host.imports.len();
                self.host_import(&mut host, import, "flake.nix")?;
                for at in before..host.imports.len() {
                    host.nested.insert(at, levels);
                }
                continue;
            }
            match (import, &scanned.own) {
                (Import::File(file), Some((_, module))) if Some(file) == own => {
                    if module.hand_kept.is_some() {
                        // Kept as it is, like any module it cannot read one by one.
                        self.host_import(&mut host, import, "flake.nix")?;
                        continue;
                    }
                    // Modules listed before the host's file come ahead of its
                    // definitions, as they did.
                    if !host.imports.is_empty() {
                        host.definitions_after = Some(host.imports.len());
                    }
                    for import in &module.imports {
                        self.host_import(&mut host, import, file)?;
                    }
                    let found = own_leaves.take().unwrap_or_default();
                    let mut notes = FileReport::default();
                    note_module(&mut notes, file, module);
                    // Its definitions are the host's; what it imports as written and
                    // what names files by relative path (left in `definitions` by
                    // `scan`) go into a file of its own beside it, which the host
                    // imports.
                    let mut kept = module.clone();
                    let name = format!("host-{}", spec.name);
                    host.imports
                        .extend(self.path_fragment(file, &mut kept, &name, false, &mut notes));
                    self.report.add(file, notes);
                    definitions.push((file.clone(), found));
                }
                (other, _) => self.host_import(&mut host, other, "flake.nix")?,
            }
        }
        definitions.extend(scanned.inline_leaves);
        for (file, entries) in scanned.inline_paths {
            let mut notes = FileReport::default();
            host.imports
                .push(self.inline_path_fragment(&spec.name, &file, entries, &mut notes));
            self.report.add(&file, notes);
        }
        // The Home Manager users the host gives a file (`home-manager.users.me = import
        // ./me.nix;`): they become the crate's users, and flakesmith writes Home Manager's
        // settings for them. A user defined only in place stays the NixOS definitions it is.
        let user_files: Vec<String> = definitions
            .iter()
            .flat_map(|(file, found)| found.iter().map(move |leaf| (file, leaf)))
            .filter_map(|(file, leaf)| match leaf.path.as_slice() {
                [hm, users, name] if hm == "home-manager" && users == "users" => {
                    user_source(file, leaf).map(|_| name.clone())
                }
                _ => None,
            })
            .collect();
        let mut additions = Vec::new();
        for (file, found) in definitions {
            let mut file_report = FileReport::default();
            for leaf in found {
                self.host_definition(
                    &mut host,
                    &file,
                    leaf,
                    &user_files,
                    &mut file_report,
                    &mut additions,
                )?;
            }
            self.report.add(&file, file_report);
        }
        // What the host adds to its users, once every user has its file.
        for (name, at, addition) in additions {
            match host.users.iter_mut().find(|(f, _)| *f == rust::function_name(&name)) {
                Some((_, calls)) => calls.push(addition),
                None => {
                    return Err(format!(
                        "{at}: host `{}` adds to Home Manager user `{name}`, which it never gives a file (`home-manager.users.{name} = import ./...`)",
                        spec.name
                    ))
                }
            }
        }
        // flakesmith imports Home Manager's module itself on hosts with users; a host
        // without users the importer can name (`users.${vars.userName}`, kept as written)
        // imports it as the original did.
        if !host.users.is_empty() {
            let home_manager = |import: &ModuleRef| matches!(import, ModuleRef::Input { input, .. } if input == "home-manager");
            if let Some(ahead) = host.definitions_after {
                let dropped = host.imports[..ahead]
                    .iter()
                    .filter(|i| home_manager(i))
                    .count();
                host.definitions_after = Some(ahead - dropped).filter(|&n| n > 0);
            }
            let mut kept = Vec::new();
            let mut nested = BTreeMap::new();
            for (position, import) in host.imports.drain(..).enumerate() {
                if !home_manager(&import) {
                    if let Some(&levels) = host.nested.get(&position) {
                        nested.insert(kept.len(), levels);
                    }
                    kept.push(import);
                }
            }
            host.imports = kept;
            host.nested = nested;
        }
        if host.system.is_empty() {
            host.system = "x86_64-linux".to_owned();
            flake_report.note(
                flake_at(spec.line),
                format!("host `{}` names no `system` and no `nixpkgs.hostPlatform` the importer can read: x86_64-linux assumed", spec.name),
            );
        }
        self.report.add("flake.nix", flake_report);
        if host.state_version.is_empty() {
            // Set in a module the host imports (`modules/core/system.nix`): that module
            // keeps its definition, and the host states the same release.
            let imported: Vec<String> = spec
                .imports
                .iter()
                .filter_map(|i| match i {
                    Import::File(file) => Some(file.clone()),
                    Import::Input { .. } => None,
                })
                .collect();
            match state_version_in(self.dir, &imported, &self.scope) {
                Some((version, _)) => host.state_version = version,
                // NixOS's default is the release itself: stating it keeps the value.
                None => {
                    host.state_version = self.release.clone();
                    // A module may set it in a way the importer cannot read
                    // (`system.stateVersion = config.my.stateVersion;`): it then wins.
                    host.state_version_default = true;
                    let mut report = FileReport::default();
                    report.note(
                        flake_at(spec.line),
                        format!("host `{}` sets no `system.stateVersion` the importer can read (in its file or a module it imports): NixOS's default, the release {}, is written as a default a module's own definition replaces; check it against the machine", spec.name, self.release),
                    );
                    self.report.add("flake.nix", report);
                }
            }
        }
        Ok(host)
    }

    /// Copies `file` of the flake into the crate at `target` (with `text`), and what it
    /// names by relative path into `nix/` at the same place relative to it, so that its
    /// paths still lead there; what cannot be copied is noted in `report`.
    fn copy(&mut self, file: &str, target: &str, text: String, report: &mut FileReport) {
        let original = std::fs::read_to_string(self.dir.join(file)).unwrap_or_default();
        self.copy_as(file, &original, target, text, report);
    }

    /// [`State::copy`] of `original`, as if it were the flake's `file`, written as `text`.
    fn copy_as(
        &mut self,
        file: &str,
        original: &str,
        target: &str,
        text: String,
        report: &mut FileReport,
    ) {
        let (original, _) = self_rooted_paths(self.dir, file, original);
        let (text, rewritten) = self_rooted_paths(self.dir, file, &text);
        for (line, from, to) in rewritten {
            report.note(format!("{file}:{line}"), self_rooted_note(&from, &to));
        }
        let (mut found, mut problems) = crate::carry::closure(self.dir, file, &original);
        // A file carried along that names paths from the flake's root is written with
        // them relative to it, and what they name is carried too.
        let mut next = 0;
        while next < found.len() {
            let (path, contents) = &found[next];
            next += 1;
            let Ok(carried) = std::str::from_utf8(contents) else {
                continue;
            };
            let (new, rewritten) = self_rooted_paths(self.dir, path, carried);
            if rewritten.is_empty() {
                continue;
            }
            let path = path.clone();
            for (line, from, to) in rewritten {
                report.note(format!("{path}:{line}"), self_rooted_note(&from, &to));
            }
            let (more, more_problems) = crate::carry::closure(self.dir, &path, &new);
            found[next - 1].1 = new.into_bytes();
            for (more_path, bytes) in more {
                if !found.iter().any(|(p, _)| *p == more_path) {
                    found.push((more_path, bytes));
                }
            }
            problems.extend(more_problems);
        }
        for (path, contents) in found {
            let target = format!("nix/{path}");
            match String::from_utf8(contents) {
                Ok(text) => {
                    self.copied.entry(target).or_insert(text);
                }
                Err(binary) => {
                    self.copied_bytes
                        .entry(target)
                        .or_insert(binary.into_bytes());
                }
            }
        }
        for problem in problems {
            let (at, what) = match problem {
                crate::carry::Problem::Missing { file, literal } => (
                    format!("{file}:{}", literal.line),
                    format!("`{}` names nothing in the flake: the build will say so until it does", literal.text),
                ),
                crate::carry::Problem::Outside { file, literal } => (
                    format!("{file}:{}", literal.line),
                    format!("`{}` leads outside the flake, which the crate cannot carry: copy what it names into the crate", literal.text),
                ),
                crate::carry::Problem::Dynamic { file, literal } => (
                    format!("{file}:{}", literal.line),
                    format!("`{}` is built with `${{...}}`: the files it can name are not copied; copy them beside it", literal.text),
                ),
                crate::carry::Problem::Hidden { file, literal } => (
                    format!("{file}:{}", literal.line),
                    format!("`{}` names a hidden file or directory, which the tree does not hold: move it to a path without a segment starting with `.`", literal.text),
                ),
            };
            report.note(at, what);
        }
        self.copied.insert(target.to_owned(), text);
    }

    /// Takes the definitions of `read` that name files by relative path out into a
    /// hand-kept file at the module's own place in the crate (`nix/<file>`), where those
    /// paths lead as they did, with what they name copied beside it; returns the module
    /// that file is, for the typed module (or user) to import. `None` when it has none.
    fn path_fragment(
        &mut self,
        file: &str,
        read: &mut ModuleFile,
        name: &str,
        home: bool,
        report: &mut FileReport,
    ) -> Option<ModuleRef> {
        let kept = read::take_path_definitions(read);
        if kept.is_empty() && read.kept_imports.is_empty() {
            return None;
        }
        let mut text = format!(
            "# What of {file} the importer keeps as written (imports it cannot name,\n# definitions naming files by relative path), where its paths lead; flakesmith\n# types the rest of the file.\n"
        );
        if let Some(arguments) = &read.arguments {
            let _ = writeln!(text, "{arguments}:");
        }
        text.push_str("{\n");
        if !read.kept_imports.is_empty() {
            text.push_str("  imports = [\n");
            let (lists, items): (Vec<_>, Vec<_>) = read.kept_imports.iter().partition(|k| k.list);
            for kept in &items {
                let _ = writeln!(text, "    {}", read.in_lets_parenthesised(&kept.text));
            }
            text.push_str("  ]");
            for kept in &lists {
                let _ = write!(text, "\n  ++ {}", read.in_lets_parenthesised(&kept.text));
            }
            text.push_str(";\n");
            for kept in items.iter().chain(&lists) {
                report.note(
                    format!("{file}:{}", kept.line),
                    format!("it imports `{}`, which is neither a file of the flake nor another flake's module: kept as written in nix/{file}, which the typed module imports", kept.text),
                );
            }
        }
        for entry in &kept {
            let path: Vec<String> = entry
                .path
                .iter()
                .map(|segment| crate::nix::quote_attr_name(segment))
                .collect();
            let value = read::definition_text(read, entry);
            let _ = writeln!(text, "  {} = {};", path.join("."), value.trim_end());
        }
        text.push_str("}\n");
        let lines: Vec<String> = kept.iter().map(|e| e.line.to_string()).collect();
        if !kept.is_empty() {
            // Counted as syntax, as a whole hand-kept file is.
            report.hand_kept_definitions += counted_as_syntax(&kept);
            report.note(
            format!("{file}:{}", kept[0].line),
            format!(
                "{} definition(s) naming files by relative path (lines {}) are kept as written in nix/{file}, beside what they name, which the typed module imports",
                kept.len(),
                lines.join(", ")
            ),
        );
        }
        let target = format!("nix/{file}");
        // What the kept part names is what the whole file names (the typed part names
        // no file): read from the original, so notes give the original's lines.
        self.copy(file, &target, text, report);
        let category = if home { "Home" } else { category_of(file) };
        Some(self.kept_module(format!("{name}-files"), category, file, target))
    }

    /// Writes the definitions of an inline module of host `host` written in `file` that
    /// name files of the flake by relative path (as written, or as the evaluation found
    /// them) into a hand-kept file beside `file` (`nix/lib/default-<host>.nix`), with
    /// what they name copied where those paths lead; returns it, for the host to import.
    fn inline_path_fragment(
        &mut self,
        host: &str,
        file: &str,
        entries: Vec<Entry>,
        report: &mut FileReport,
    ) -> ModuleRef {
        let (directory, stem) = match file.rsplit_once('/') {
            Some((directory, name)) => (format!("{directory}/"), name),
            None => (String::new(), file),
        };
        let stem = stem.strip_suffix(".nix").unwrap_or(stem);
        let fragment = format!("{directory}{stem}-{host}.nix");
        // The module takes what its definitions read besides the language's own names.
        let mut arguments: std::collections::BTreeSet<String> = entries
            .iter()
            .filter_map(|entry| syntax::free_variables(&entry.text))
            .flatten()
            .filter(|name| syntax::is_module_argument(name))
            .collect();
        arguments.insert("lib".to_owned());
        let arguments: Vec<String> = arguments.into_iter().collect();
        let mut text = format!(
            "# What the inline module of host {host} in {file} defines with files of the flake\n# (named by relative path), kept beside that file so that its paths lead there.\n{{ {}, ... }}:\n{{\n",
            arguments.join(", ")
        );
        for entry in &entries {
            let path: Vec<String> = entry
                .path
                .iter()
                .map(|segment| crate::nix::quote_attr_name(segment))
                .collect();
            let _ = writeln!(text, "  {} = {};", path.join("."), entry.text.trim_end());
        }
        text.push_str("}\n");
        report.hand_kept_definitions += counted_as_syntax(&entries);
        let lines: Vec<String> = entries.iter().map(|e| e.line.to_string()).collect();
        report.note(
            format!("{file}:{}", entries[0].line),
            format!(
                "{} definition(s) of host {host}'s inline module naming files by relative path (lines {}) are kept as written in nix/{fragment}, beside what they name, which the host imports",
                entries.len(),
                lines.join(", ")
            ),
        );
        let target = format!("nix/{fragment}");
        self.copy_as(&fragment, &text.clone(), &target, text, report);
        // `lib/default.nix` is `lib`: a file's name, or its directory's for a default.
        let named = match (stem, directory.trim_end_matches('/').rsplit('/').next()) {
            ("default", Some(parent)) if !parent.is_empty() => parent,
            _ => stem,
        };
        let mut name = format!("{host}-{named}-files");
        let mut n = 1;
        while self.modules.iter().any(|m| m.name == name) {
            n += 1;
            name = format!("{host}-{named}-files-{n}");
        }
        self.kept_module(name, category_of(file), file, target)
    }

    /// Adds the hand-kept module `name` (written to `target`, read from the flake's
    /// `file`) under a Rust function name not yet taken; returns it.
    fn kept_module(
        &mut self,
        name: String,
        category: &'static str,
        file: &str,
        target: String,
    ) -> ModuleRef {
        let mut function = rust::function_name(&name);
        while self.modules.iter().any(|m| m.function == function) {
            function.push_str("_module");
        }
        self.modules.push(ModuleOut {
            function: function.clone(),
            name,
            category,
            file: file.to_owned(),
            calls: Vec::new(),
            imports: Vec::new(),
            beside: None,
            hand_kept: Some(target),
            derived: None,
        });
        ModuleRef::Own(function)
    }

    fn host_import(
        &mut self,
        host: &mut HostOut,
        import: &Import,
        from: &str,
    ) -> Result<(), String> {
        match import {
            Import::Input { input, attribute } => host.imports.push(ModuleRef::Input {
                input: input.clone(),
                attribute: attribute.clone(),
            }),
            Import::File(file) if is_hardware(file) && host.hardware.is_none() => {
                let text = std::fs::read_to_string(self.dir.join(file))
                    .map_err(|e| format!("cannot read {file} (imported by {from}): {e}"))?;
                // A file that names others by relative path stays where they are found.
                let target = if crate::carry::relative_paths(&text).0.is_empty() {
                    format!("hardware/{}.nix", host.name)
                } else {
                    format!("nix/{file}")
                };
                let mut report = FileReport::default();
                self.copy(file, &target, text, &mut report);
                if !report.notes.is_empty() {
                    self.report.add(file, report);
                }
                host.hardware = Some(target);
            }
            Import::File(file) => {
                let function = self.module(file, false)?;
                host.imports.push(ModuleRef::Own(function));
            }
        }
        Ok(())
    }

    fn host_definition(
        &mut self,
        host: &mut HostOut,
        file: &str,
        leaf: Leaf,
        user_files: &[String],
        report: &mut FileReport,
        additions: &mut Vec<(String, String, Call)>,
    ) -> Result<(), String> {
        let at = format!("{file}:{}", leaf.line);
        let path: Vec<&str> = leaf.path.iter().map(String::as_str).collect();
        match (path.as_slice(), &leaf.value) {
            (["system", "stateVersion"], Value::Str(version)) => {
                host.state_version = version.clone();
                report.typed += 1;
            }
            // `nixosSystem` without `system`: the platform the host's own file names.
            (
                ["nixpkgs", "hostPlatform"]
                | ["nixpkgs", "hostPlatform", "system"]
                | ["nixpkgs", "system"],
                Value::Str(system),
            ) if host.system.is_empty() => {
                host.system = system.clone();
                let converted = call(&self.nixos, &leaf, file);
                report.count(&converted);
                host.calls.push(converted);
            }
            (["home-manager", setting], Value::Bool(true))
                if !user_files.is_empty() && HOME_MANAGER_SETTINGS.contains(setting) =>
            {
                report.skip(
                    at,
                    format!("`home-manager.{setting} = true`, which flakesmith writes"),
                );
            }
            (["home-manager", "users", name, ..], _)
                if !user_files.iter().any(|user| user == name) =>
            {
                let converted = call(&self.nixos, &leaf, file);
                report.count(&converted);
                report.note(
                    at,
                    format!("Home Manager user `{name}` has no file of its own on this host (`home-manager.users.{name} = import ./...`): its definitions stay the host's, as written"),
                );
                host.calls.push(converted);
            }
            (["home-manager", "users", name], _) => {
                let Some(source) = user_source(file, &leaf) else {
                    // The user has a file; this is more of it, written in place.
                    let converted = call(&self.nixos, &leaf, file);
                    report.count(&converted);
                    host.calls.push(converted);
                    return Ok(());
                };
                let function = self.user(name, &source, &at)?;
                report.typed += 1;
                host.users.push((function, Vec::new()));
            }
            (["home-manager", "users", name, ..], _) => {
                let name = (*name).to_owned();
                let mut leaf = leaf;
                leaf.path.drain(..3);
                let converted = call(&self.home, &leaf, file);
                report.count(&converted);
                additions.push((name, at, converted));
            }
            _ => {
                if let Some((function, derived)) = self.derived_at(&leaf.path) {
                    let settings = host.settings.entry(function).or_default();
                    let name = &leaf.path[derived.namespace.len()];
                    match (name.as_str(), &leaf.value, derived.field(name)) {
                        ("enable", Value::Bool(on), _) => settings.enable = Some(*on),
                        (_, value, Some(field)) => {
                            // Host files reach the module's enums through `modules::`.
                            let enum_name =
                                field.enum_name.as_ref().map(|e| format!("modules::{e}"));
                            let literal = field.ty.literal(value, enum_name.as_deref(), true);
                            let Some(literal) = literal else {
                                return Err(format!(
                                    "{at}: checked as a literal of `{name}` before, but it is not"
                                ));
                            };
                            settings.fields.insert(field.rust.clone(), literal);
                        }
                        _ => {
                            return Err(format!(
                                "{at}: `{}` is no option of the module",
                                leaf.path.join(".")
                            ))
                        }
                    }
                    report.typed += 1;
                    return Ok(());
                }
                let converted = call(&self.nixos, &leaf, file);
                report.count(&converted);
                host.calls.push(converted);
            }
        }
        Ok(())
    }

    /// The derived module whose namespace `path` is under: its function and struct.
    fn derived_at(&self, path: &[String]) -> Option<(String, Derived)> {
        self.modules.iter().find_map(|m| {
            let derived = m.derived.as_ref()?;
            (path.len() == derived.namespace.len() + 1 && path.starts_with(&derived.namespace))
                .then(|| (m.function.clone(), derived.clone()))
        })
    }

    /// The crate's module for `file` (reading it the first time): its function.
    fn module(&mut self, file: &str, home: bool) -> Result<String, String> {
        if let Some(module) = self.modules.iter().find(|m| m.file == file) {
            return Ok(module.function.clone());
        }
        let read = read::module(self.dir, file, &self.scope)?;
        let name = self.free_module_name(file);
        let mut function = rust::function_name(&name);
        while self.modules.iter().any(|m| m.function == function) {
            function.push_str("_module");
        }
        let category = if home { "Home" } else { category_of(file) };
        let index = self.modules.len();
        self.modules.push(ModuleOut {
            function: function.clone(),
            name: name.clone(),
            category,
            file: file.to_owned(),
            calls: Vec::new(),
            imports: Vec::new(),
            beside: None,
            hand_kept: None,
            derived: None,
        });
        let (calls, imports, beside, hand_kept, derived) =
            self.module_body(file, read, home, &name)?;
        let module = &mut self.modules[index];
        module.calls = calls;
        module.imports = imports;
        module.beside = beside;
        module.hand_kept = hand_kept;
        module.derived = derived;
        Ok(function)
    }

    /// The definitions of `module` naming files by relative path, taken out to be kept as
    /// written beside its file; a Home Manager user's file (`home-manager.users.me = import
    /// ./me.nix;`) stays, since it becomes the crate's user.
    fn take_kept_paths(module: &mut ModuleFile) -> Vec<Entry> {
        let (users, kept): (Vec<_>, Vec<_>) = read::take_path_definitions(module)
        .into_iter()
        .partition(|entry| {
            matches!(entry.path.as_slice(), [hm, users, _] if hm == "home-manager" && users == "users")
                && syntax::imported_path(&entry.text)
                    .is_some_and(|(path, _)| path.starts_with("./") || path.starts_with("../"))
        });
        module.definitions.extend(users);
        kept
    }

    /// The module's name: from its file (`modules/services/ssh.nix` is `ssh`), with as
    /// many of its directories before it as make it differ from the names taken
    /// (`hosts/desk/services/default.nix` beside another host's is `desk-services`).
    fn free_module_name(&self, file: &str) -> String {
        let candidates = module_names(file);
        candidates
            .iter()
            .find(|name| !self.modules.iter().any(|m| &m.name == *name))
            .or(candidates.last())
            .cloned()
            .unwrap_or_else(|| "module".to_owned())
    }

    /// Whether the module's options can be a derived struct, and it; or why not.
    fn derivable(&self, read: &ModuleFile, name: &str, home: bool) -> Result<Derived, String> {
        if home {
            return Err("it is a Home Manager module that declares options".into());
        }
        if read.guarded_definitions.is_empty() {
            return Err(
                "it declares options but its `config` is not `lib.mkIf cfg.enable { ... }`".into(),
            );
        }
        if let Some(outside) = read.definitions.first() {
            return Err(format!(
                "it defines `{}` (line {}) outside `config = lib.mkIf cfg.enable`",
                outside.path.join("."),
                outside.line
            ));
        }
        let derived = derive::declarations(&read.options, read.namespace.as_deref(), name)?;
        let mut enabling: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for setting in &self.host_settings {
            let Some(rest) = setting.path.strip_prefix(derived.namespace.as_slice()) else {
                continue;
            };
            let fits = match (rest, &setting.value) {
                ([enable], Value::Bool(on)) if enable == "enable" => {
                    if *on {
                        enabling.entry(&setting.host).or_default();
                    }
                    true
                }
                ([option], value) => derived.field(option).is_some_and(|field| {
                    let fits = field
                        .ty
                        .literal(value, field.enum_name.as_deref(), true)
                        .is_some();
                    if fits {
                        enabling.entry(&setting.host).or_default().push(&field.nix);
                    }
                    fits
                }),
                _ => false,
            };
            if !fits {
                return Err(format!(
                    "{} sets `{}` in a way a field of the module's struct cannot hold",
                    setting.at,
                    setting.path.join(".")
                ));
            }
        }
        for setting in &self.host_settings {
            if setting.path.starts_with(&derived.namespace)
                && !enabling.contains_key(setting.host.as_str())
            {
                return Err(format!(
                    "{} sets `{}` on host `{}`, which does not enable the module",
                    setting.at,
                    setting.path.join("."),
                    setting.host
                ));
            }
        }
        for field in derived.fields.iter().filter(|f| f.default.is_none()) {
            for (host, set) in &enabling {
                if !set.contains(&field.nix.as_str()) {
                    return Err(format!(
                        "`{}` has no default and host `{host}` does not set it",
                        field.nix
                    ));
                }
            }
        }
        Ok(derived)
    }

    #[allow(clippy::type_complexity)]
    fn module_body(
        &mut self,
        file: &str,
        read: ModuleFile,
        home: bool,
        name: &str,
    ) -> Result<
        (
            Vec<Call>,
            Vec<ModuleRef>,
            Option<ModuleRef>,
            Option<String>,
            Option<Derived>,
        ),
        String,
    > {
        let mut report = FileReport::default();
        let kept = read
            .hand_kept
            .clone()
            .or_else(|| read::names_relative_path(&read));
        let derived = match (
            &kept,
            read.options.is_empty(),
            read.guarded_definitions.is_empty(),
        ) {
            (Some(reason), _, _) => Err(reason.clone()),
            (None, true, false) => {
                Err("its `config` is guarded by `cfg.enable` without options of its own".to_owned())
            }
            (None, true, true) => Ok(None),
            (None, false, _) => self.derivable(&read, name, home).map(Some),
        };
        if let Err(reason) = derived {
            let target = format!("nix/{file}");
            let text = std::fs::read_to_string(self.dir.join(file))
                .map_err(|e| format!("cannot read {file}: {e}"))?;
            report.hand_kept(reason, syntax::count_definitions(&text));
            self.copy(file, &target, text, &mut report);
            self.report.add(file, report);
            return Ok((Vec::new(), Vec::new(), None, Some(target), None));
        }
        let derived = derived.expect("errors returned above");
        let mut read = read;
        note_module(&mut report, file, &read);
        let imports = self.module_refs(&read.imports, home)?;
        let beside = self.path_fragment(file, &mut read, name, home, &mut report);
        let mut found = Vec::new();
        let calls = if home {
            let options = &self.home;
            leaves(options, &[], read.definitions, &mut found);
            found
                .iter()
                .map(|leaf| call(options, leaf, file))
                .collect::<Vec<_>>()
        } else if let Some(derived) = &derived {
            let options = &self.nixos;
            leaves(options, &[], read.guarded_definitions, &mut found);
            let cfg: Vec<(String, String, crate::bindgen::types::OptionType)> = derived
                .fields
                .iter()
                .map(|f| (f.nix.clone(), f.rust.clone(), f.ty.option_type()))
                .collect();
            // Each declared option counts as typed: it is a field of the struct.
            report.typed += derived.fields.len() + 1;
            found
                .iter()
                .map(|leaf| call_in(options, leaf, file, &cfg))
                .collect::<Vec<_>>()
        } else {
            let options = &self.nixos;
            leaves(options, &[], read.definitions, &mut found);
            found
                .iter()
                .map(|leaf| call(options, leaf, file))
                .collect::<Vec<_>>()
        };
        for converted in &calls {
            report.count(converted);
        }
        self.report.add(file, report);
        Ok((calls, imports, beside, None, derived))
    }

    /// What a module or user imports, as the crate's modules (read on first use) and
    /// other flakes' modules.
    fn module_refs(&mut self, imports: &[Import], home: bool) -> Result<Vec<ModuleRef>, String> {
        imports
            .iter()
            .map(|import| match import {
                Import::File(imported) => Ok(ModuleRef::Own(self.module(imported, home)?)),
                Import::Input { input, attribute } => Ok(ModuleRef::Input {
                    input: input.clone(),
                    attribute: attribute.clone(),
                }),
            })
            .collect()
    }

    /// The crate's Home Manager user `name` from `file`: its function.
    fn user(&mut self, name: &str, source: &UserSource, at: &str) -> Result<String, String> {
        let file = source.file.as_str();
        if let Some(user) = self.users.iter().find(|u| u.name == name) {
            if user.file != file {
                return Err(format!(
                    "Home Manager user `{name}` is {} on one host and {file} on another: give the hosts one file and the differences as `home-manager.users.{name}.<option>` on each host",
                    user.file
                ));
            }
            return Ok(user.function.clone());
        }
        let read = read::module(self.dir, file, &self.scope)?;
        let kept_why = match (&source.arguments, &read.hand_kept) {
            (Some(arguments), _) => Some(format!(
                "the flake applies it to `{arguments}` ({at}), as the kept file does"
            )),
            (None, Some(reason)) => Some(reason.clone()),
            (None, None) => read::names_relative_path(&read),
        };
        if let Some(why) = kept_why {
            return self.hand_kept_user(name, source, why);
        }
        let mut found = Vec::new();
        let mut report = FileReport::default();
        let mut read = read;
        note_module(&mut report, file, &read);
        let fragment = self.path_fragment(file, &mut read, name, true, &mut report);
        leaves(&self.home, &[], read.definitions, &mut found);
        let mut state_version = String::new();
        let mut calls = Vec::new();
        for leaf in found {
            let at = format!("{file}:{}", leaf.line);
            let path: Vec<&str> = leaf.path.iter().map(String::as_str).collect();
            match (path.as_slice(), &leaf.value) {
                (["home", "stateVersion"], Value::Str(version)) => {
                    state_version = version.clone();
                    report.typed += 1;
                }
                (["home", "username"], Value::Str(value)) if value == name => {
                    report.skip(
                        at,
                        "`home.username` is the user's name, which flakesmith writes".into(),
                    );
                }
                (["home", "homeDirectory"], Value::Str(value))
                    if *value == format!("/home/{name}") =>
                {
                    report.skip(
                        at,
                        "`home.homeDirectory` is `/home/<name>`, which flakesmith writes".into(),
                    );
                }
                _ => {
                    let converted = call(&self.home, &leaf, file);
                    report.count(&converted);
                    calls.push(converted);
                }
            }
        }
        if state_version.is_empty() {
            return Err(format!(
                "Home Manager user `{name}`: {file} sets no `home.stateVersion` the importer can read"
            ));
        }
        self.report.add(file, report);
        let mut imports = self.module_refs(&read.imports, true)?;
        imports.extend(fragment);
        let function = rust::function_name(name);
        self.users.push(UserOut {
            name: name.to_owned(),
            function: function.clone(),
            file: file.to_owned(),
            state_version,
            calls,
            imports,
            hand_kept: None,
        });
        Ok(function)
    }

    /// A Home Manager user whose file stays as it is: copied (applied to the flake's
    /// arguments, when it takes some) and imported as the user's only module.
    fn hand_kept_user(
        &mut self,
        name: &str,
        source: &UserSource,
        why: String,
    ) -> Result<String, String> {
        let file = source.file.as_str();
        let text = std::fs::read_to_string(self.dir.join(file))
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        let Some((state_version, _)) = syntax::literal_definition(&text, &["home", "stateVersion"])
        else {
            return Err(format!(
                "Home Manager user `{name}`: {file} sets no `home.stateVersion` as a string the importer can read (flakesmith needs it for `User::new`)"
            ));
        };
        let (target, kept) = match &source.arguments {
            // The file is a function of the flake's arguments that returns the module;
            // applied, it stays in the file's directory, where its relative paths lead.
            Some(arguments) => (
                format!("nix/{}", file.strip_suffix(".nix").map_or_else(|| format!("{file}.applied"), |stem| format!("{stem}.applied.nix"))),
                format!("# {file}, applied to the arguments the flake gave it.\n(\n{text})\n{arguments}\n"),
            ),
            None => (format!("nix/{file}"), text.clone()),
        };
        let mut report = FileReport::default();
        report.hand_kept(why, syntax::count_definitions(&text));
        self.copy(file, &target, kept, &mut report);
        self.report.add(file, report);
        let function = rust::function_name(name);
        self.users.push(UserOut {
            name: name.to_owned(),
            function: function.clone(),
            file: file.to_owned(),
            state_version,
            calls: Vec::new(),
            imports: Vec::new(),
            hand_kept: Some(target),
        });
        Ok(function)
    }
}

/// Where a Home Manager user's configuration comes from: its file, relative to the
/// flake, and the arguments the flake applies it to (`import ./me.nix { isWSL = false;
/// }`), when it does.
struct UserSource {
    file: String,
    arguments: Option<String>,
}

/// `home-manager.users.alice = import ./home/alice.nix` (or `./home/alice.nix`, or
/// `import ./home/alice.nix { literal = arguments; }`).
fn user_source(from: &str, leaf: &Leaf) -> Option<UserSource> {
    let (path, arguments) = syntax::imported_path(&leaf.text)?;
    if !path.starts_with("./") && !path.starts_with("../") {
        return None;
    }
    let base = Path::new(from).parent().unwrap_or(Path::new(""));
    let file = read::normalise(&base.join(&path))?;
    Some(UserSource {
        file: file.to_string_lossy().into_owned(),
        arguments,
    })
}

/// How many definitions kept entries make, counted as syntax as a whole hand-kept file's
/// are.
fn counted_as_syntax(entries: &[Entry]) -> usize {
    entries
        .iter()
        .map(|entry| syntax::count_definitions(&format!("{{ x = {}; }}", entry.text)))
        .sum()
}

/// `flake.nix:<line>`, or `flake.nix` for a host found by evaluation (no line of its own).
fn flake_at(line: usize) -> String {
    if line == 0 {
        "flake.nix".to_owned()
    } else {
        format!("flake.nix:{line}")
    }
}

/// The `system.stateVersion` a module among `files` (or one they import) sets as a
/// string, and where: the first found, depth first.
fn state_version_in(dir: &Path, files: &[String], scope: &read::Scope) -> Option<(String, String)> {
    let mut seen = std::collections::BTreeSet::new();
    let mut stack: Vec<String> = files.iter().rev().cloned().collect();
    while let Some(file) = stack.pop() {
        if !seen.insert(file.clone()) || is_hardware(&file) {
            continue;
        }
        let Ok(module) = read::module(dir, &file, scope) else {
            continue;
        };
        let found = module
            .definitions
            .iter()
            .chain(&module.guarded_definitions)
            .find_map(|entry| state_version_of(entry, &[]));
        if let Some((version, line)) = found {
            return Some((version, format!("{file}:{line}")));
        }
        if module.hand_kept.is_some() {
            // A file the importer keeps as it is: its literal `system.stateVersion`.
            let text = std::fs::read_to_string(dir.join(&file)).ok()?;
            if let Some(found) = syntax::literal_definition(&text, &["system", "stateVersion"]) {
                return Some((found.0, format!("{file}:{}", found.1)));
            }
        }
        stack.extend(module.imports.iter().rev().filter_map(|i| match i {
            Import::File(file) => Some(file.clone()),
            Import::Input { .. } => None,
        }));
    }
    None
}

/// `system.stateVersion = "..."` within `entry` (`system = { stateVersion = ...; }`
/// included): the string and its line.
fn state_version_of(entry: &syntax::Entry, prefix: &[String]) -> Option<(String, usize)> {
    let mut path = prefix.to_vec();
    path.extend(entry.path.iter().cloned());
    match &entry.value {
        Value::Str(version) if path == ["system", "stateVersion"] => {
            Some((version.clone(), entry.line))
        }
        Value::Priority(_, inner) if path == ["system", "stateVersion"] => match &**inner {
            Value::Str(version) => Some((version.clone(), entry.line)),
            _ => None,
        },
        Value::Attrs(entries) => entries.iter().find_map(|e| state_version_of(e, &path)),
        _ => None,
    }
}

fn is_hardware(file: &str) -> bool {
    Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains("hardware"))
}

/// The names a module file may take, shortest first: `modules/services/ssh.nix` →
/// `ssh`, `services-ssh`, `modules-services-ssh`; `hosts/desk/services/default.nix` →
/// `services`, `desk-services`, `hosts-desk-services`.
fn module_names(file: &str) -> Vec<String> {
    let mut parts: Vec<&str> = file.trim_end_matches(".nix").split('/').collect();
    if parts.len() > 1 && parts.last() == Some(&"default") {
        parts.pop();
    }
    let clean = |part: &str| -> String {
        part.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    (1..=parts.len())
        .map(|n| {
            parts[parts.len() - n..]
                .iter()
                .map(|p| clean(p))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

fn category_of(file: &str) -> &'static str {
    if file.split('/').any(|s| s == "services") {
        "Services"
    } else if file.split('/').any(|s| s == "desktop") {
        "Desktop"
    } else {
        "System"
    }
}

/// What reading a module's file found to say beyond its definitions.
fn note_module(report: &mut FileReport, file: &str, module: &ModuleFile) {
    for (line, text) in &module.notes {
        report.note(format!("{file}:{line}"), text.clone());
    }
}

/// `"${inputs.self}/modules/nixos"` in the flake's `file` names a path from the flake's
/// root, where the regenerated tree keeps its own files (the original's are carried
/// under another directory): each such string whose path exists is written as a path
/// relative to the file instead (`./nixos`, or `(./nixos + "/${name}.nix")` where the
/// string goes on), which the carried files keep pointing at. Paths inside the
/// directory still lead where they did (a path is not copied into the store on its own,
/// as `"${./nixos}"` would be). With each rewrite's line, what it was and what it became.
fn self_rooted_paths(dir: &Path, file: &str, text: &str) -> (String, Vec<(usize, String, String)>) {
    static SELF_ROOTED: std::sync::OnceLock<regex_lite::Regex> = std::sync::OnceLock::new();
    let pattern = SELF_ROOTED.get_or_init(|| {
        regex_lite::Regex::new(
            r#""\$\{\s*(?:inputs\.)?self(?:\.outPath)?\s*\}/([A-Za-z0-9._+-]+(?:/[A-Za-z0-9._+-]+)*)([^"\\]*)""#,
        )
        .expect("a valid pattern")
    });
    let from_dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    let mut rewrites = Vec::new();
    let mut rewritten = Vec::new();
    for found in pattern.captures_iter(text) {
        let (whole, target, rest) = (found.get(0).expect("a match"), &found[1], &found[2]);
        if !dir.join(target).exists() {
            continue;
        }
        let relative = crate::carry::relative_literal(from_dir, target);
        let new = if rest.is_empty() {
            relative
        } else {
            format!("({relative} + \"{rest}\")")
        };
        let line = text[..whole.start()].matches('\n').count() + 1;
        rewritten.push((line, whole.as_str().to_owned(), new.clone()));
        rewrites.push((whole.range(), new));
    }
    (crate::carry::rewrite(text, &rewrites), rewritten)
}

/// The note a [`self_rooted_paths`] rewrite gets.
fn self_rooted_note(from: &str, to: &str) -> String {
    format!(
        "`{from}` names a path from the flake's root, where the regenerated tree keeps its own files: written as the path `{to}`, relative to this file, so it leads to the copy carried beside it"
    )
}
