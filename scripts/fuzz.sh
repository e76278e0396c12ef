#!/usr/bin/env bash
# Runs each fuzz target: the printer (arbitrary IR must print to a file nixel and rnix
# accept), the raw-Nix path (arbitrary text is accepted or rejected cleanly, never a
# panic) and comments (text that reaches a header comment never becomes code). A crash leaves its input in fuzz/artifacts/; add it to the regression tests
# before fixing.
#
#   scripts/fuzz.sh [SECONDS]      each target for SECONDS (default 60)
#   FUZZ_RUNS=N scripts/fuzz.sh    each target for N inputs from a fixed seed (what CI runs:
#                                  bounded and repeatable)
#
# cargo-fuzz needs unstable compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain
# accept them. No sanitizer: the targets are safe Rust plus nixel, whose C++ is not built
# instrumented and which leaks a little memory on every parse (LeakSanitizer would stop on
# that at once).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
if [ -n "${FUZZ_RUNS:-}" ]; then
  limit=(-runs="$FUZZ_RUNS" -seed=1)
else
  limit=(-max_total_time="$seconds")
fi
for target in printer raw_nix comments; do
  echo "fuzz: $target ${limit[*]}"
  cargo fuzz run --sanitizer none --fuzz-dir fuzz "$target" -- "${limit[@]}"
done
