# options.json in the shape nixosOptionsDoc writes (an object keyed by option name) for an
# evaluated module set's `options`, using the module system's own documentation list.
# A default or example that cannot be rendered here (it needs a `pkgs` the evaluation does
# not have, say) is left out rather than stopping the whole file. With `declaredIn`, only
# the options declared in files below that directory (another flake's module evaluated
# on top of NixOS), their declarations named relative to it.
{ lib, options, declaredIn ? null }:
let
  docs = lib.optionAttrSetToDocList options;
  prefix = "${toString declaredIn}/";
  ours = o: declaredIn == null || builtins.any (d: lib.hasPrefix prefix (toString d)) o.declarations;
  named = d: if declaredIn == null then toString d else lib.removePrefix prefix (toString d);
  shown = builtins.filter (o: o.visible && !o.internal && builtins.head o.loc != "_module" && ours o) docs;
  rendered = v: let r = builtins.tryEval (builtins.deepSeq v v); in if r.success then r.value else null;
  entry = o: {
    name = o.name;
    value = {
      inherit (o) loc readOnly;
      type = o.type;
      description = if o.description == null then "" else o.description;
      declarations = map named o.declarations;
    }
    // lib.optionalAttrs (o ? default) { default = rendered o.default; }
    // lib.optionalAttrs (o ? example) { example = rendered o.example; };
  };
in
builtins.listToAttrs (map entry shown)
