//! Evaluating real flakes (the corpus's, as their authors published them, and the trees
//! flakesmith regenerates from them) with the real module system and stand-ins for what
//! a test machine does not have:
//!
//! - NixOS is [`crate::declared`]: every option of the release, declared again from its
//!   `options.json`, with its default where that is closed.
//! - nixpkgs' package set is a set where every name the flakes' files use is a package
//!   (callable, overridable, with every such name below it again: `pkgs.kdePackages.kate`),
//!   with the real `lib`, `stdenv.hostPlatform` elaborated from the host's system, a
//!   `callPackage` that calls, and overlays applied.
//! - An input is the tests' stand-in flake where there is one (`tests/fixtures/inputs`),
//!   and otherwise a set whose modules (`nixosModules.<any>`) are empty, whose overlays
//!   add nothing and whose packages are such packages.
//!
//! Both flakes get the same stand-ins, so where the original evaluates, the regenerated
//! one must evaluate to the same values.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How many options one host's evaluation may learn before it counts as failed.
const MOST_TRIES: usize = 40;

static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Names never declared as loose top-level options: the module system's own, and those
/// the tests' stand-in inputs declare (`sops`, `age`, `disko`, `home-manager`).
const RESERVED: &[&str] = &[
    "config",
    "options",
    "imports",
    "_file",
    "key",
    "disabledModules",
    "freeformType",
    "_module",
    "meta",
    "sops",
    "age",
    "disko",
    "home-manager",
    "assertions",
    "warnings",
];

/// A directory of stand-ins, written once and shared by the evaluations of many flakes.
pub struct StandIns {
    dir: PathBuf,
}

impl StandIns {
    /// Writes the stand-ins for flakes whose files are under `sources`: NixOS from
    /// `nixos_options`, Home Manager from `home_options` (each an `options.json` of the
    /// release line the flakes pin), packages named by every identifier in those files.
    pub fn new(
        lib: &str,
        nixos_options: &Path,
        home_options: &Path,
        sources: &[&Path],
    ) -> StandIns {
        let dir = std::env::temp_dir().join(format!(
            "flakesmith-stand-ins-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("nixpkgs")).unwrap();
        let read = |path: &Path| -> serde_json::Value {
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
        };
        let nixos = read(nixos_options);
        let home = read(home_options);
        let nixos_text = crate::declared::declarations(&nixos);
        let home_text = crate::declared::declarations(&home);
        let mut names = BTreeSet::new();
        // Top-level names the flakes' own modules declare options under (`options.my`).
        let mut own = BTreeSet::new();
        let mut module_paths = BTreeSet::new();
        let mut of_inputs = BTreeSet::new();
        for source in sources {
            for file in nix_files(source) {
                let text = std::fs::read_to_string(&file).unwrap_or_default();
                identifiers(&text, &mut names);
                declared_top_level(&text, &mut own);
                modules_path_files(&text, &mut module_paths);
                input_files(&text, &mut of_inputs);
            }
        }
        // The packages the kept defaults name (`default = pkgs.shadow;`).
        for text in [&nixos_text, &home_text] {
            for (at, _) in text.match_indices("pkgs.") {
                let name: String = text[at + 5..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || "_-".contains(*c))
                    .collect();
                if !name.is_empty() {
                    names.insert(name);
                }
            }
        }
        std::fs::write(dir.join("nixos.nix"), nixos_text).unwrap();
        std::fs::write(dir.join("home.nix"), home_text).unwrap();
        // What `modulesPath + "/profiles/qemu-guest.nix"` names: empty modules.
        for file in &module_paths {
            let path = dir.join("modules-path").join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{ }\n").unwrap();
        }
        std::fs::create_dir_all(dir.join("modules-path")).unwrap();
        // What a flake names in an input's source: empty modules, where the input's
        // stand-in source (`inputs/<name>`) has them.
        for (input, file) in &of_inputs {
            let path = dir.join("inputs").join(input).join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "{ }\n").unwrap();
        }
        // Top-level names the releases do not declare, declared loosely: what modules
        // of inputs the stand-ins have not got set (`stylix.enable`). (Not a free-form
        // root: that would make every module's top-level names depend on `config`.)
        let others = |declared: &BTreeSet<String>| -> Vec<&String> {
            names
                .iter()
                .filter(|n| {
                    !declared.contains(*n) && !own.contains(*n) && !RESERVED.contains(&n.as_str())
                })
                .collect()
        };
        let write = |file: &str, text: String| std::fs::write(dir.join(file), text).unwrap();
        write("names.json", serde_json::to_string(&names).unwrap());
        // flake-parts and import-tree as the importer evaluates them: both flakes run
        // their flake-parts modules with it.
        write(
            "flake-parts.nix",
            include_str!("../../dsl/src/import/flake_parts.nix").to_owned(),
        );
        let nixos_others = others(&crate::declared::top_level(&nixos));
        write(
            "nixos-others.json",
            serde_json::to_string(&nixos_others).unwrap(),
        );
        let home_others = others(&crate::declared::top_level(&home));
        write(
            "home-others.json",
            serde_json::to_string(&home_others).unwrap(),
        );
        std::fs::write(
            dir.join("support.nix"),
            SUPPORT.replace("@lib@", lib).replace(
                "@fixtures@",
                &crate::stand_in_inputs().display().to_string(),
            ),
        )
        .unwrap();
        std::fs::write(
            dir.join("nixpkgs/default.nix"),
            "args: (import ../support.nix { }).importNixpkgs args\n",
        )
        .unwrap();
        // The overlay stamping nixpkgs' lib with the flake's revision, which the
        // stand-in has none of (`"${nixpkgs}/lib/flake-version-info.nix"`).
        std::fs::create_dir_all(dir.join("nixpkgs/lib")).unwrap();
        std::fs::write(
            dir.join("nixpkgs/lib/flake-version-info.nix"),
            "self: final: prev: { }\n",
        )
        .unwrap();
        StandIns { dir }
    }

    /// The names of `flake`'s `nixosConfigurations`.
    pub fn hosts(&self, flake: &Path) -> Result<Vec<String>, String> {
        let value = self.evaluate(flake, "support.hostsOf flake")?;
        Ok(value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect())
    }

    /// Host `host` of `flake`: every option its modules define (by priority, not by
    /// default), by name, with its value made comparable (packages by name, functions
    /// and paths as a word, what fails to evaluate as `<error>`), and what is free-form.
    ///
    /// Where the evaluation stops on an option the release's data does not declare as
    /// the flake defines it (newer than the data, internal, renamed, or a module's the
    /// stand-ins have not got), that option is declared loosely in `learnt` and the
    /// host evaluated again: `learnt` is then what the stand-ins needed, to give the
    /// same to another flake.
    pub fn host(
        &self,
        flake: &Path,
        host: &str,
        learnt: &mut Learnt,
    ) -> Result<serde_json::Value, String> {
        let expr = format!(
            "support.definedBy (support.outputsOf flake).nixosConfigurations.{}",
            serde_json::Value::String(host.to_owned())
        );
        for _ in 0..MOST_TRIES {
            match self.evaluate_with(flake, &expr, learnt) {
                Err(error) if learnt.learn(&error) => {
                    if std::env::var_os("FLAKESMITH_STAND_INS_VERBOSE").is_some() {
                        eprintln!("{host}: learnt {learnt:?}");
                    }
                }
                result => return result.map_err(|e| first_error(&e)),
            }
        }
        Err(format!("still stopping after {MOST_TRIES} options learnt"))
    }

    fn evaluate(&self, flake: &Path, expr: &str) -> Result<serde_json::Value, String> {
        self.evaluate_with(flake, expr, &Learnt::default())
            .map_err(|e| first_error(&e))
    }

    fn evaluate_with(
        &self,
        flake: &Path,
        expr: &str,
        learnt: &Learnt,
    ) -> Result<serde_json::Value, String> {
        let program = format!(
            "let support = import {} {}; flake = {}; in {expr}",
            self.dir.join("support.nix").display(),
            learnt.nix(),
            flake.canonicalize().unwrap().display()
        );
        let output = crate::nix_instantiate(&[
            "--eval",
            "--strict",
            "--json",
            // A path interpolated into a string (`"${./hosts}/${name}"`, which a flake
            // module making hosts imports) is copied into the store, as it is when the
            // flake is built; read-only, importing it fails on a path that is not there.
            "--read-write-mode",
            "--show-trace",
            "-E",
            &program,
        ]);
        if output.status.success() {
            Ok(serde_json::from_slice(&output.stdout).expect("nix-instantiate prints JSON"))
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

/// Options the stand-ins declare loosely for one host, learnt from where its
/// evaluation stopped: NixOS paths, and Home Manager paths (of a user's options).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Learnt {
    pub paths: BTreeSet<(Release, Vec<String>)>,
    /// Options the release declares and the flake declares again itself (a module of
    /// its own in place of NixOS's, after `disabledModules`): the stand-in's is left out.
    pub dropped: BTreeSet<(Release, Vec<String>)>,
    /// Options whose value stops the evaluation where the error cannot be caught (an
    /// attribute missing): compared as not evaluated. NixOS evaluates only what the
    /// system needs; the comparison asks for every option a module defines.
    pub unevaluated: BTreeSet<String>,
}

/// Which stand-in an option learnt belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Release {
    NixOS,
    HomeManager,
}

impl Learnt {
    /// Learns the option `error` stops on, if it names one the stand-ins could declare
    /// and have not yet: whether there is something new to try.
    fn learn(&mut self, error: &str) -> bool {
        // Nix wraps long messages: the message as one line, the trace as lines.
        let trace = error;
        // Without the source lines the trace shows (`  28|  x = …;`): lib's own code
        // has these words in its messages' templates.
        let error = &error
            .lines()
            .filter(|line| {
                let line = line.trim_start();
                let digits = line.trim_start_matches(|c: char| c.is_ascii_digit());
                !digits.starts_with('|')
            })
            .flat_map(str::split_whitespace)
            .collect::<Vec<_>>()
            .join(" ");
        let option = [
            ("The option `", "' does not exist"),
            ("rather than an attribute set for the option `", "'"),
            // The same, where showing the definitions stopped too.
            (
                "definitions for `",
                "', which is an option that does not exist",
            ),
        ]
        .iter()
        .find_map(|(before, after)| between(error, before, after));
        if let Some(option) = option {
            return self.paths.insert(release_path(option));
        }
        // Declared by the stand-in and again by the flake's own module (whichever file
        // Nix names first).
        if error.contains("' is already declared in `") {
            if let Some(option) = between(error, "The option `", "' in `") {
                return self.dropped.insert(release_path(option));
            }
        }
        // The outermost option being evaluated when the evaluation stopped: the trace
        // runs from the innermost frame out.
        let outermost = trace
            .lines()
            .filter(|line| line.trim_start().starts_with('…'))
            .filter_map(|line| between(line, "while evaluating the compared option `", "':"))
            .next_back();
        match outermost {
            Some(option) if !error.contains("infinite recursion") => {
                self.unevaluated.insert(option.to_owned())
            }
            _ => false,
        }
    }

    /// As the argument of the stand-ins: `{ nixos = [ [ "a" "b" ] ]; home = [ ]; ... }`.
    fn nix(&self) -> String {
        let json = serde_json::json!({
            "nixos": paths_of(&self.paths, Release::NixOS),
            "home": paths_of(&self.paths, Release::HomeManager),
            "nixosDropped": paths_of(&self.dropped, Release::NixOS),
            "homeDropped": paths_of(&self.dropped, Release::HomeManager),
            "unevaluated": self.unevaluated,
        });
        format!(
            "(builtins.fromJSON {})",
            serde_json::Value::String(json.to_string())
                .to_string()
                .replace("${", "\\${")
        )
    }
}

/// The paths of `set` for `release`.
fn paths_of(set: &BTreeSet<(Release, Vec<String>)>, release: Release) -> Vec<&Vec<String>> {
    set.iter()
        .filter(|(r, _)| *r == release)
        .map(|(_, p)| p)
        .collect()
}

/// A NixOS option path, or a Home Manager one inside `home-manager.users.<name>`.
fn release_path(option: &str) -> (Release, Vec<String>) {
    let path = crate::declared::split(option);
    match path.as_slice() {
        [hm, users, _, rest @ ..]
            if hm == "home-manager" && users == "users" && !rest.is_empty() =>
        {
            (Release::HomeManager, rest.to_vec())
        }
        _ => (Release::NixOS, path),
    }
}

/// The text of `line` between `before` and the next `after`.
fn between<'a>(line: &'a str, before: &str, after: &str) -> Option<&'a str> {
    let start = line.find(before)? + before.len();
    let end = start + line[start..].find(after)?;
    Some(&line[start..end])
}

impl Drop for StandIns {
    fn drop(&mut self) {
        // Kept to look at with `FLAKESMITH_KEEP_STAND_INS=1`.
        if std::env::var_os("FLAKESMITH_KEEP_STAND_INS").is_some() {
            eprintln!("stand-ins kept in {}", self.dir.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Nix's error without its trace: the lines from the last `error:`.
fn first_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let start = lines
        .iter()
        .rposition(|l| l.trim_start().starts_with("error:"))
        .unwrap_or(0);
    lines[start..]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .take(4)
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ")
}

fn nix_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "nix") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Every identifier-like word of `text`, and every short string without spaces (for
/// `pkgs.zigpkgs."0.15.2"`): the names a package set must have.
fn identifiers(text: &str, out: &mut BTreeSet<String>) {
    for quoted in text.split('"').skip(1).step_by(2) {
        if quoted.len() < 40
            && !quoted.is_empty()
            && quoted
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._+-".contains(c))
        {
            out.insert(quoted.to_owned());
        }
    }
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' || (c == '\'' && !word.is_empty()) {
            word.push(c);
        } else if !word.is_empty() {
            let w = std::mem::take(&mut word);
            if w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
                out.insert(w);
            }
        }
    }
}

/// The top-level names under which `text` declares options: `my` of `options.my.x = …`
/// and of `options = { my.x = …; }`.
fn declared_top_level(text: &str, out: &mut BTreeSet<String>) {
    use rnix::ast::{self, HasEntry};
    use rowan::ast::AstNode;
    let name = |attr: ast::Attr| match attr {
        ast::Attr::Ident(ident) => Some(ident.syntax().text().to_string()),
        ast::Attr::Str(text) => Some(
            text.syntax()
                .text()
                .to_string()
                .trim_matches('"')
                .to_owned(),
        ),
        ast::Attr::Dynamic(_) => None,
    };
    let root = rnix::Root::parse(text).tree();
    for node in root.syntax().descendants() {
        let Some(entry) = ast::AttrpathValue::cast(node) else {
            continue;
        };
        let Some(path) = entry.attrpath() else {
            continue;
        };
        let attrs: Vec<ast::Attr> = path.attrs().collect();
        if attrs.first().cloned().and_then(name).as_deref() != Some("options") {
            continue;
        }
        if let Some(top) = attrs.get(1).cloned().and_then(name) {
            out.insert(top);
        } else if let Some(ast::Expr::AttrSet(set)) = entry.value() {
            for inner in set.attrpath_values() {
                if let Some(top) = inner
                    .attrpath()
                    .and_then(|p| p.attrs().next())
                    .and_then(name)
                {
                    out.insert(top);
                }
            }
        }
    }
}

/// Files of an input a flake names by path (`inputs.home-manager +
/// "/modules/programs/x.nix"`, `"${inputs.home-manager}/modules/programs/x.nix"`): the
/// input and the file.
fn input_files(text: &str, out: &mut BTreeSet<(String, String)>) {
    for (at, _) in text.match_indices("inputs.") {
        let rest = &text[at + "inputs.".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "_-".contains(*c))
            .collect();
        let after = &rest[name.len()..];
        // `inputs.x + "/file"` or `${inputs.x}/file`.
        let file = appended_file(after)
            .or_else(|| after.strip_prefix("}/").and_then(literal_file))
            .filter(|file| file.ends_with(".nix"));
        if let (false, Some(file)) = (name.is_empty(), file) {
            out.insert((name, file.to_owned()));
        }
    }
}

/// The files `modulesPath + "/…"` names in `text`.
fn modules_path_files(text: &str, out: &mut BTreeSet<String>) {
    for (at, _) in text.match_indices("modulesPath") {
        if let Some(file) = appended_file(&text[at + "modulesPath".len()..]) {
            out.insert(file.to_owned());
        }
    }
}

/// The file of `+ "/file"` at the start of `rest`, where it is written out.
fn appended_file(rest: &str) -> Option<&str> {
    let rest = rest.trim_start().strip_prefix('+')?.trim_start();
    literal_file(rest.strip_prefix("\"/")?)
}

/// The text up to the closing quote, where it is a file named literally (no `${...}`,
/// not leading up with `..`).
fn literal_file(rest: &str) -> Option<&str> {
    let file = &rest[..rest.find('"')?];
    (!file.contains("${") && !file.contains("..")).then_some(file)
}

/// The stand-ins, as Nix (`@lib@` and `@fixtures@` filled in).
const SUPPORT: &str = r#"
learnt:
let
  lib = @lib@;
  fixtures = @fixtures@;
  names = builtins.fromJSON (builtins.readFile ./names.json);
  systems = [ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ];

  # A package named `n`: callable (`pkgs.writeShellScriptBin "x" "..."`), overridable,
  # with every name below it again.
  children = lib.genAttrs names package;
  package = n: children // {
    type = "derivation";
    name = n;
    pname = n;
    version = "0";
    outPath = "/nix/store/00000000000000000000000000000000-${n}";
    drvPath = "/nix/store/00000000000000000000000000000000-${n}.drv";
    outputs = [ "out" ];
    # As nixpkgs' check-meta completes every package's `meta`.
    meta = { mainProgram = n; broken = false; unfree = false; insecure = false; unsupported = false; available = true; };
    __functor = self: _: self;
    override = _: package n;
    overrideAttrs = _: package n;
  };

  mkPkgs = system: overlays:
    let
      platform = lib.systems.elaborate system;
      stdenv = package "stdenv" // {
        hostPlatform = platform;
        buildPlatform = platform;
        inherit system;
        inherit (platform) isLinux isDarwin;
        mkDerivation = a: package (a.pname or a.name or "derivation");
      };
      base = final: children // {
        inherit lib system;
        hostPlatform = platform;
        buildPlatform = platform;
        inherit stdenv;
        stdenvNoCC = stdenv;
        config = { };
        # `(pkgs.formats.ini { }).type` declares options: a type, and a file it writes.
        formats = lib.genAttrs [
          "cdn" "elixirConf" "gitIni" "hocon" "ini" "iniWithGlobalSection" "javaProperties"
          "json" "keyValue" "libconfig" "lua" "nixConf" "php" "plist" "pythonVars" "systemd"
          "toml" "xml" "yaml" "yaml_1_1" "yaml_1_2"
        ] (format: _: { type = loose; generate = name: _: package name; });
        callPackage = f: args:
          let fn = if builtins.isFunction f then f else import f;
          in fn (builtins.intersectAttrs (builtins.functionArgs fn) final // args);
        # The same set with more overlays, as NixOS applies `nixpkgs.overlays` to a
        # `nixpkgs.pkgs` given.
        appendOverlays = more: mkPkgs system (overlays ++ more);
      };
    in lib.fix (final: lib.foldl (prev: o: prev // o final prev) (base final) overlays);

  # Like `anything`, but lists concatenate, attribute sets merge key by key, and a
  # function (an overlay) is itself, not a function whose results are merged.
  loose = lib.mkOptionType {
    name = "loose";
    check = _: true;
    merge = loc: defs:
      let values = map (d: d.value) defs;
      in if lib.all builtins.isFunction values && builtins.length defs == 1 then builtins.head values
      else if lib.all builtins.isList values then (lib.types.listOf loose).merge loc defs
      else if lib.all (v: builtins.isAttrs v && !(lib.isStringLike v)) values
      then (lib.types.attrsOf loose).merge loc defs
      else lib.types.anything.merge loc defs;
  };

  json = file: builtins.fromJSON (builtins.readFile file);
  # What the module system and NixOS declare outside `options.json`.
  internal = { lib, ... }: {
    options.assertions = lib.mkOption { type = lib.types.listOf loose; default = [ ]; };
    options.warnings = lib.mkOption { type = lib.types.listOf loose; default = [ ]; };
    options.meta = lib.mkOption { type = loose; default = { }; };
  };
  # A release's declarations, with the options learnt for this host declared loosely
  # (in place of a namespace, where the flake defines a value there).
  declaredWith = file: others: paths: dropped: { config, lib, pkgs, ... }@args:
    let
      module = import file loose others args;
      learntOptions = lib.foldl
        (tree: path: lib.recursiveUpdateUntil (_: l: r: lib.isOption l || lib.isOption r) tree
          (lib.setAttrByPath path (lib.mkOption { type = loose; })))
        { } paths;
      drop = tree: path:
        if builtins.length path == 1 then builtins.removeAttrs tree path
        else if tree ? ${builtins.head path} && !(lib.isOption tree.${builtins.head path})
        then tree // { ${builtins.head path} = drop tree.${builtins.head path} (builtins.tail path); }
        else tree;
    in module // {
      options = lib.recursiveUpdateUntil (_: l: r: lib.isOption l || lib.isOption r)
        (lib.foldl drop module.options dropped) learntOptions;
    };
  nixosModules = [
    (declaredWith ./nixos.nix (json ./nixos-others.json) learnt.nixos learnt.nixosDropped)
    internal
  ];

  # Home Manager's NixOS module: users are submodules of every Home Manager option.
  hmLib = lib // {
    hm.dag = {
      entryAnywhere = data: { inherit data; before = [ ]; after = [ ]; };
      entryAfter = after: data: { inherit data after; before = [ ]; };
      entryBefore = before: data: { inherit data before; after = [ ]; };
      entryBetween = before: after: data: { inherit data before after; };
    };
  };
  # `home-manager` is a submodule with free-form values: what this stand-in does not
  # declare (`backupFileExtension`) is kept, and a flake may declare more under it.
  # Keyed as the real module is by its path, so that importing it twice (from flake.nix
  # and from a shared module) imports it once, as the module system does for Home
  # Manager's own `nixosModules.home-manager`.
  homeManagerNixos = { key = "flakesmith-stand-in:home-manager/nixos"; imports = [ homeManagerNixosModule ]; };
  homeManagerNixosModule = { config, pkgs, ... }:
    let cfg = config.home-manager; in {
      options.home-manager = lib.mkOption { default = { }; type = lib.types.submodule {
        freeformType = lib.types.attrsOf loose;
        options = {
        useGlobalPkgs = lib.mkOption { type = lib.types.bool; default = false; };
        useUserPackages = lib.mkOption { type = lib.types.bool; default = false; };
        extraSpecialArgs = lib.mkOption { type = lib.types.attrs; default = { }; };
        sharedModules = lib.mkOption { type = lib.types.listOf lib.types.raw; default = [ ]; };
        users = lib.mkOption {
          type = lib.types.attrsOf (lib.types.submoduleWith {
            modules = [
              (declaredWith ./home.nix (json ./home-others.json) learnt.home learnt.homeDropped)
              internal
              ({ name, ... }: {
                config._module.args.pkgs = lib.mkDefault pkgs;
                config.home.username = lib.mkDefault name;
                config.home.homeDirectory = lib.mkDefault "/home/${name}";
                config.lib.dag = hmLib.hm.dag;
                config.lib.formats.rasi.mkLiteral = value: { _type = "literal"; inherit value; };
                config.lib.file.mkOutOfStoreSymlink = path: package (baseNameOf (toString path));
              })
            ] ++ cfg.sharedModules;
            specialArgs = { osConfig = config; lib = hmLib; } // cfg.extraSpecialArgs;
          });
          default = { };
        };
      }; }; };
    };

  # impermanence's modules: `environment.persistence` (NixOS) and `home.persistence`
  # (Home Manager), whose paths' lists concatenate.
  impermanence = {
    nixos = { lib, ... }: {
      options.environment.persistence = lib.mkOption { type = lib.types.attrsOf loose; default = { }; };
    };
    home = { lib, ... }: {
      options.home.persistence = lib.mkOption { type = lib.types.attrsOf loose; default = { }; };
    };
  };

  hostSystem = config: fallback:
    let
      platform = builtins.tryEval config.nixpkgs.hostPlatform;
      fromPlatform =
        if !platform.success then null
        else if builtins.isString platform.value then platform.value
        else platform.value.system or null;
    in if fallback != null then fallback else if fromPlatform != null then fromPlatform else "x86_64-linux";

  # As nixpkgs' own: a `pkgs` given is the package set (NixOS then applies no
  # `nixpkgs.overlays`), and a `lib` given evaluates the modules.
  nixosSystem = args:
    let
      evaluated = (args.lib or lib).evalModules {
        modules = (args.modules or [ ]) ++ nixosModules ++ [
          ({ config, options, ... }: {
            # A package set a module gives (`nixpkgs.pkgs = ...;`) is the host's, with
            # `nixpkgs.overlays` applied on top, as NixOS's nixpkgs module does.
            config._module.args.pkgs =
              if args ? pkgs then args.pkgs
              else if options.nixpkgs.pkgs.isDefined or false then
                (if config.nixpkgs.overlays == [ ] then config.nixpkgs.pkgs
                 else config.nixpkgs.pkgs.appendOverlays config.nixpkgs.overlays)
              else mkPkgs (hostSystem config (args.system or null)) config.nixpkgs.overlays;
          })
        ];
        specialArgs = { modulesPath = ./modules-path; } // (args.specialArgs or { });
      };
    in evaluated // { pkgs = evaluated.config._module.args.pkgs; };

  emptyModules = lib.genAttrs names (_: { });
  generic = n: package n // {
    outPath =
      if builtins.pathExists (./inputs + "/${n}") then ./inputs + "/${n}"
      else "/nix/store/00000000000000000000000000000000-input-${n}";
    nixosModules = emptyModules;
    homeManagerModules = emptyModules;
    homeModules = emptyModules;
    darwinModules = emptyModules;
    flakeModules = emptyModules;
    flakeModule = { };
    modules = lib.genAttrs names (_: emptyModules);
    # Only what nixpkgs' lib lacks: flakes merge an input's lib into it
    # (`nixpkgs.lib // home-manager.lib`).
    lib = builtins.removeAttrs (package "lib") (builtins.attrNames lib ++ [ "nixosSystem" ]);
    nixosModule = { };
    homeManagerModule = { };
    overlays = lib.genAttrs names (_: final: prev: { });
    overlay = final: prev: { };
    packages = lib.genAttrs systems (_: children);
    legacyPackages = lib.genAttrs systems (_: children);
  };
  fixture = n:
    # A real input's source (lite-config) reads its own `self`.
    let own = (import (fixtures + "/${n}/flake.nix")).outputs { self = own // { outPath = fixtures + "/${n}"; }; };
    in generic n // own // {
      nixosModules = emptyModules // own.nixosModules or { };
      homeManagerModules = emptyModules // own.homeManagerModules or { };
    };
  nixpkgsInput = n: generic n // {
    # A string, as a real input's source is: `"${nixpkgs}/lib/x.nix"` names the file
    # where it is, not a copy in a store `--eval` does not write.
    outPath = toString ./nixpkgs;
    lib = lib // { inherit nixosSystem; };
    legacyPackages = lib.genAttrs systems (s: mkPkgs s [ ]);
  };
  isNixpkgs = n: spec:
    lib.hasPrefix "nixpkgs" n && !(lib.hasInfix "lib" n)
    || lib.hasInfix "nixos/nixpkgs" (lib.toLower (spec.url or ""))
    || lib.hasInfix "nixos-" (spec.url or "") && lib.hasInfix "channels.nixos.org" (spec.url or "");
  frameworks = import ./flake-parts.nix lib;
  standIn = n: spec:
    if isNixpkgs n spec then nixpkgsInput n
    else if lib.hasInfix "hercules-ci/flake-parts" (lib.toLower (spec.url or "")) then generic n // { inherit (frameworks.flakeParts) lib; }
    else if lib.hasInfix "vic/import-tree" (lib.toLower (spec.url or "")) then generic n // frameworks.importTree
    else if lib.hasInfix "hercules-ci-effects" (lib.toLower (spec.url or "")) then generic n // {
      flakeModule = frameworks.herculesCiEffects;
      flakeModules = emptyModules // { default = frameworks.herculesCiEffects; };
    }
    else if n == "impermanence" then generic n // {
      nixosModules = emptyModules // { impermanence = impermanence.nixos; default = impermanence.nixos; };
      nixosModule = impermanence.nixos;
      homeManagerModules = emptyModules // { impermanence = impermanence.home; default = impermanence.home; };
    }
    else if n == "home-manager" then generic n // {
      nixosModules = emptyModules // { home-manager = homeManagerNixos; default = homeManagerNixos; };
    }
    else if builtins.pathExists (fixtures + "/${n}/flake.nix") then fixture n
    else generic n;
  outputsOf = dir:
    let
      flake = import (dir + "/flake.nix");
      inputs = builtins.mapAttrs standIn (flake.inputs or { })
        // { self = outputs // { outPath = dir; inherit inputs outputs; }; };
      outputs = flake.outputs inputs;
    in outputs;
in {
  importNixpkgs = args:
    mkPkgs (args.system or args.localSystem.system or args.localSystem or "x86_64-linux")
      (args.overlays or [ ]);

  inherit outputsOf;

  # What evaluates to a NixOS system (not a stand-in's made-up attribute).
  hostsOf = dir:
    let configurations = (outputsOf dir).nixosConfigurations or { };
    in builtins.filter
      (n: let v = builtins.tryEval configurations.${n}; in v.success && (v.value._type or null) == "configuration")
      (builtins.attrNames configurations);

  definedBy = host:
    let
      clean = depth: v0:
        let tried = builtins.tryEval v0; v = tried.value; in
        if !tried.success then "<error>"
        else if depth > 40 then "<deep>"
        else if builtins.isFunction v then "<function>"
        else if builtins.isPath v then "<path>"
        # A file copied into the store, named whole (`"${inputs.self}/secrets.yaml"`):
        # a path too, whichever copy of the flake it is in. (Stand-ins' are all zeros.)
        else if builtins.isString v && builtins.match "/nix/store/[0-9a-z]{32}-[^ \n]*" v != null
          && !(lib.hasPrefix "/nix/store/00000000000000000000000000000000" v) then "<path>"
        else if builtins.isAttrs v then
          (if lib.isDerivation v then "package " + (v.name or "?")
           # A flake (an input, `self`): by what it is, not what is in it.
           else if v ? outPath then "<flake>"
           else if v ? _type then "<${v._type}>"
           else builtins.mapAttrs (_: clean (depth + 1)) v)
        else if builtins.isList v then map (clean (depth + 1)) v
        else v;
      # `_module.args` is the stand-ins' own (`pkgs`), not the flake's.
      byUser = o: let p = builtins.tryEval o.highestPrio; in
        !(builtins.elem "_module" o.loc) && (!p.success || p.value < 1500);
      # Options a module of the host defines, and what it defines free-form, by path;
      # inside a namespace (a submodule) option by option.
      # (Submodules in attribute sets, `users.users.<name>`, element by element.)
      defined = options: lib.concatMap
        (o:
          if !(byUser o) then [ ]
          else if o.type.name == "submodule" && o ? valueMeta.configuration then
            inside o.loc o.valueMeta.configuration
          else if builtins.elem o.type.name [ "attrsOf" "lazyAttrsOf" ]
            && builtins.isAttrs (o.valueMeta.attrs or null)
            && lib.all (m: m ? configuration) (builtins.attrValues o.valueMeta.attrs)
          then lib.concatMap (n: inside (o.loc ++ [ n ]) o.valueMeta.attrs.${n}.configuration)
            (builtins.attrNames o.valueMeta.attrs)
          else [ { name = lib.showOption o.loc; value = value o; } ])
        (lib.collect lib.isOption options);
      value = o: compared (lib.showOption o.loc) o.value;
      # A value made comparable, forced here (not later, while it is printed) under a
      # context naming the option, for the tests to learn from where it stops.
      compared = name: v:
        if builtins.elem name learnt.unevaluated then "<not evaluated>"
        else
          let c = clean 0 v; in
          builtins.addErrorContext "while evaluating the compared option `${name}':"
            (builtins.deepSeq c c);
      inside = loc: inner:
        defined inner.options
        ++ map (n: let name = lib.showOption (loc ++ [ n ]); in { inherit name; value = compared name inner.config.${n}; })
          (builtins.attrNames (builtins.removeAttrs inner.config (builtins.attrNames inner.options)));
    in builtins.listToAttrs (defined host.options);
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_declared_by_a_flake_s_own_modules() {
        let mut out = BTreeSet::new();
        declared_top_level(
            "{ lib, ... }: { options.my.enable = lib.mkEnableOption \"x\"; options = { other.x = 1; \"quoted\" = 2; }; config.notDeclared = 1; }",
            &mut out,
        );
        assert_eq!(
            out.into_iter().collect::<Vec<_>>(),
            ["my", "other", "quoted"]
        );
    }

    #[test]
    fn package_names_and_modules_path_files() {
        let mut names = BTreeSet::new();
        identifiers(
            "pkgs.zigpkgs.\"0.15.2\" ++ [ pkgs.kdePackages.kate ] # \"not a name\"",
            &mut names,
        );
        assert!(
            names.contains("0.15.2") && names.contains("kdePackages") && names.contains("kate")
        );
        assert!(!names.contains("not a name"));
        let mut files = BTreeSet::new();
        modules_path_files(
            "imports = [ (modulesPath + \"/profiles/qemu-guest.nix\") ];",
            &mut files,
        );
        assert_eq!(
            files.into_iter().collect::<Vec<_>>(),
            ["profiles/qemu-guest.nix"]
        );
    }
}
