# flake-parts and import-tree as `flakesmith import` evaluates a flake built with them
# (and hercules-ci-effects' flake module, which flakes built with flake-parts import):
# `mkFlake` evaluates the flake's modules with the real module system, and gives what
# the outputs need. A function of nixpkgs' `lib`, returning `{ flakeParts; importTree;
# herculesCiEffects; }` (the inputs' stand-ins).
#
# What it keeps of flake-parts: `flake` (free-form, merged key by key), `systems`,
# `perSystem` (a deferred module, never evaluated: the importer reads hosts, and lists
# per-system outputs in its report), the module arguments `inputs`, `self`, `flake-parts-lib`,
# `withSystem`, and the helpers of `flake-parts-lib`. A module in `flake.nixosModules`
# (or `homeManagerModules`, `homeModules`, `modules.<class>`) keeps where it was defined:
# its `_file` is `<file>@flakesmith-at:<attribute path>`, which the importer reads to tell
# a module given as a file from one written inline there (and to name where).
lib:
let
  # What flake-parts' options would merge by their types: sets key by key, anything else
  # is its one definition (or the last, as a stand-in need not judge conflicts).
  merged = lib.mkOptionType {
    name = "flakesmith-flake-parts-value";
    check = _: true;
    merge =
      loc: defs:
      let
        values = map (d: d.value) defs;
        plainSet = v: builtins.isAttrs v && !(lib.isFunction v) && !(v ? _type) && !(v ? outPath);
      in
      if builtins.length defs == 1 then
        builtins.head values
      else if lib.all plainSet values then
        lib.zipAttrsWith (name: inner: merged.merge (loc ++ [ name ]) inner) (
          map (d: builtins.mapAttrs (_: value: { inherit (d) file; inherit value; }) d.value) defs
        )
      else
        lib.last values;
  };

  # A module of a collection, with where it was defined.
  located = lib.mkOptionType {
    name = "flakesmith-located-module";
    check = _: true;
    merge =
      loc: defs:
      {
        imports = map (d: {
          _file = "${toString d.file}@flakesmith-at:${lib.concatStringsSep "." loc}";
          imports = [ d.value ];
        }) defs;
      };
  };
  collection = lib.mkOption {
    type = lib.types.lazyAttrsOf located;
    default = { };
  };

  partsLib = {
    inherit mkFlake;
    mkPerSystemOption =
      module:
      lib.mkOption {
        type = lib.types.deferredModuleWith { staticModules = [ module ]; };
      };
    mkSubmoduleOptions =
      options:
      lib.mkOption {
        type = lib.types.submoduleWith { modules = [ { inherit options; } ]; };
      };
    mkTransposedPerSystemModule = { file, ... }: { _file = file; };
    importApply =
      path: arguments:
      {
        _file = path;
        imports = [ (import path arguments) ];
      };
  };

  core = {
    freeformType = lib.types.lazyAttrsOf merged;
    options = {
      systems = lib.mkOption {
        type = merged;
        default = [ ];
      };
      perSystem = lib.mkOption {
        type = lib.types.deferredModule;
        default = { };
      };
      flake = lib.mkOption {
        type = lib.types.submoduleWith {
          modules = [
            {
              freeformType = lib.types.lazyAttrsOf merged;
              options = {
                nixosModules = collection;
                homeManagerModules = collection;
                homeModules = collection;
                modules = lib.mkOption {
                  type = lib.types.lazyAttrsOf (lib.types.lazyAttrsOf located);
                  default = { };
                };
              };
            }
          ];
        };
        default = { };
      };
    };
  };

  # What a per-system module is given for `system` (and `withSystem system` passes on):
  # the flake's `perSystem` modules evaluated for it, free-form, so that the module
  # arguments they define (`_module.args.liteConfigPkgs = import nixpkgs { ... };`) are
  # there, beside `system`, `inputs'`, `self'` and `pkgs`.
  perSystemArgs =
    inputs: perSystem: system:
    let
      ofSystem = builtins.mapAttrs (
        _: output: if builtins.isAttrs output && output ? ${system} then output.${system} else output
      );
      inputs' = builtins.mapAttrs (
        _: input: if builtins.isAttrs input then ofSystem input else input
      ) inputs;
      evaluated = lib.evalModules {
        specialArgs = { inherit system; };
        modules = [
          {
            freeformType = lib.types.lazyAttrsOf merged;
            _module.args = {
              inherit inputs';
              self' = inputs'.self or { };
            }
            // lib.optionalAttrs (inputs ? nixpkgs) {
              pkgs = lib.mkOptionDefault (import inputs.nixpkgs { inherit system; });
            };
          }
          perSystem
        ];
      };
    in
    evaluated._module.args
    // {
      inherit system inputs';
      inherit (evaluated) config;
    };

  mkFlake =
    args: module:
    let
      evaluated = lib.evalModules {
        specialArgs = {
          inherit (args) inputs;
          self = args.self or args.inputs.self;
          flake-parts-lib = partsLib;
        }
        // (args.specialArgs or { });
        modules = [
          core
          (
            { config, ... }:
            {
              _module.args.withSystem = system: f: f (perSystemArgs args.inputs config.perSystem system);
            }
          )
          module
        ];
      };
    in
    evaluated.config.flake
    // {
      # What `withSystem` gives, for the importer to tell a host's package set that is a
      # per-system module argument (not an output: the importer leaves it out).
      __flakesmithPerSystem = perSystemArgs args.inputs evaluated.config.perSystem;
    };

  # hercules-ci-effects' flake module, as far as other modules read it: the system its
  # effects run on (`withSystem config.defaultEffectSystem ...`). `herculesCI` and
  # `hercules-ci` stay free-form.
  herculesCiEffects = {
    options.defaultEffectSystem = lib.mkOption {
      type = lib.types.str;
      default = "x86_64-linux";
    };
  };

  # import-tree: a module importing every `.nix` file below the paths, leaving out those
  # under a name starting with `_`.
  importTree =
    let
      # Every file below `dir`, by `builtins.readDir` (which every Nix has).
      below =
        dir:
        lib.concatLists (
          lib.mapAttrsToList (
            name: kind:
            if kind == "directory" then
              (if lib.hasPrefix "_" name then [ ] else below (dir + "/${name}"))
            else if lib.hasSuffix ".nix" name && !(lib.hasPrefix "_" name) then
              [ (dir + "/${name}") ]
            else
              [ ]
          ) (builtins.readDir dir)
        );
      isDirectory = path: (builtins.readDir (dirOf path)).${baseNameOf path} or null == "directory";
      tree = roots: {
        imports = lib.concatMap (root: if isDirectory root then below root else [ root ]) (
          lib.toList roots
        );
      };
    in
    {
      __functor = _: tree;
    };
in
{
  flakeParts = {
    lib = partsLib;
    flakeModules = { };
  };
  inherit importTree herculesCiEffects;
}
