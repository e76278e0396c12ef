# A stand-in for the parts of nixpkgs' `lib` that generated module files use, for
# evaluating them with the real Nix evaluator where nixpkgs itself is not available
# (the test machines have no network). Types record their names; `mkOption` rejects
# arguments the module system does not know; `mkIf` records its condition.
let
  type = name: { _type = "option-type"; inherit name; };
  wrap = name: inner: { _type = "option-type"; inherit name; of = inner; };
  mkOptionArguments = [ "type" "default" "defaultText" "example" "description" "apply" "internal" "visible" "readOnly" "relatedPackages" ];
in rec {
  types = {
    bool = type "bool";
    str = type "str";
    int = type "int";
    float = type "float";
    port = type "port";
    package = type "package";
    path = type "path";
    ints = {
      s8 = type "ints.s8";
      s16 = type "ints.s16";
      s32 = type "ints.s32";
      u8 = type "ints.u8";
      u16 = type "ints.u16";
      u32 = type "ints.u32";
      unsigned = type "ints.unsigned";
    };
    listOf = wrap "listOf";
    attrsOf = wrap "attrsOf";
    nullOr = wrap "nullOr";
    enum = values: { _type = "option-type"; name = "enum"; inherit values; };
    submodule = module: { _type = "option-type"; name = "submodule"; inherit (module) options; };
  };
  mkOption = arguments:
    let unknown = builtins.filter (name: !(builtins.elem name mkOptionArguments)) (builtins.attrNames arguments);
    in if unknown != [ ] then throw "mkOption does not take ${builtins.toJSON unknown}" else arguments // { _type = "option"; };
  mkEnableOption = name: mkOption { type = types.bool; default = false; example = true; description = "Whether to enable ${name}."; };
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkDefault = content: { _type = "override"; priority = 1000; inherit content; };
  mkForce = content: { _type = "override"; priority = 50; inherit content; };
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  mkBefore = content: { _type = "order"; priority = 500; inherit content; };
  mkAfter = content: { _type = "order"; priority = 1500; inherit content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
}
