#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60): the printer (arbitrary IR must print to
# a file nixel and rnix accept) and the raw-Nix path (arbitrary text is accepted or
# rejected cleanly, never a panic). A crash leaves its input in fuzz/artifacts/; add it
# to the regression tests before fixing.
#
# cargo-fuzz needs unstable compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain
# accept them. Leak detection is off: nixel leaks a little memory on every rejected input.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for target in printer raw_nix; do
  echo "fuzz: $target for ${seconds}s"
  cargo fuzz run --fuzz-dir fuzz "$target" -- -max_total_time="$seconds" -detect_leaks=0
done
