#!/usr/bin/env bash
# Regenerates what flakesmith ships for other flakes' NixOS modules (sops-nix, agenix,
# disko, impermanence): the options.json of each declaration file in dsl/data/inputs/
# (evaluated with the real module system; declarations named relative to the
# repository), then its bindings in dsl/bindings/inputs/src/<name>/.
#
#   scripts/input-bindings.sh /path/to/nixpkgs/lib
#
# dsl/tests/input_bindings.rs checks that the committed JSON and bindings are what this
# writes.
set -euo pipefail
cd "$(dirname "$0")/.."
lib="${1:?usage: scripts/input-bindings.sh /path/to/nixpkgs/lib}"
cargo build -q -p flakesmith --features generator --bin flakesmith
bin=target/debug/flakesmith
for input in sops-nix agenix disko impermanence; do
  json="dsl/data/$input-options.json"
  "$bin" options json --lib "$lib" --module "dsl/data/inputs/$input.nix" --out "$json.tmp"
  sed "s|$PWD/||g" "$json.tmp" > "$json" && rm "$json.tmp"
  "$bin" options generate "$json" --out "dsl/bindings/inputs/src/${input//-/_}" \
    --source "From $json: the options of $input's NixOS module as dsl/data/inputs/$input.nix restates them."
done
