# options.json in the shape nixosOptionsDoc writes (an object keyed by option name) for an
# evaluated module set's `options`, using the module system's own documentation list.
# A default or example that cannot be rendered here (it needs a `pkgs` the evaluation does
# not have, say) is left out rather than stopping the whole file.
{ lib, options }:
let
  docs = lib.optionAttrSetToDocList options;
  shown = builtins.filter (o: o.visible && !o.internal && builtins.head o.loc != "_module") docs;
  rendered = v: let r = builtins.tryEval (builtins.deepSeq v v); in if r.success then r.value else null;
  entry = o: {
    name = o.name;
    value = {
      inherit (o) loc readOnly;
      type = o.type;
      description = if o.description == null then "" else o.description;
      declarations = map toString o.declarations;
    }
    // lib.optionalAttrs (o ? default) { default = rendered o.default; }
    // lib.optionalAttrs (o ? example) { example = rendered o.example; };
  };
in
builtins.listToAttrs (map entry shown)
