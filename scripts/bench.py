#!/usr/bin/env python3
"""flakesmith's benchmarks, as medians of several runs (see BENCHMARKS.md).

    python3 scripts/bench.py scale      [--runs 5] [--dir DIR]
    python3 scripts/bench.py validate   [--runs 3]
    python3 scripts/bench.py edit-loop  [--runs 5] [--cold-runs 2]   (--cold-runs 0: the edit loop alone)
    python3 scripts/bench.py bindings   [--runs 5]
    python3 scripts/bench.py import     [--runs 5]
    python3 scripts/bench.py sync       [--runs 5]   (needs FLAKESMITH_NIXPKGS_LIB)

Each prints a Markdown table of median, min and max. Run from the repository root.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def timed(cmd, **kwargs):
    start = time.perf_counter()
    run(cmd, **kwargs)
    return time.perf_counter() - start


def stats(values):
    return statistics.median(values), min(values), max(values)


def row(*cells):
    print("| " + " | ".join(str(c) for c in cells) + " |")


def scale(args):
    run(["cargo", "build", "--release", "-p", "flakesmith", "--example", "scale"], cwd=ROOT)
    binary = ROOT / "target/release/examples/scale"
    base = Path(args.dir or (ROOT / "target/bench-scale"))
    base.mkdir(parents=True, exist_ok=True)
    print(f"output under {base}; {args.runs} runs each")
    row("hosts", "files", "seconds (median)", "min", "max", "peak RSS MB", "bytes of Nix per host")
    row(*["---"] * 7)
    medians = {}
    for hosts in [10, 100, 500, 1000, 5000, 10000]:
        seconds, rss, files, per_host = [], [], None, None
        for _ in range(args.runs):
            out = base / f"fleet-{hosts}"
            if out.exists():
                shutil.rmtree(out)
            lines = run([str(binary), "--hosts", str(hosts), "--out", str(out)]).stdout.strip().splitlines()
            last = dict(kv.split("=") for kv in lines[-1].split())
            detail = dict(kv.split("=") for kv in lines[-2].split())
            seconds.append(float(last["seconds"]))
            rss.append(float(last["peak_rss_mb"]))
            files, per_host = last["files"], detail["bytes_per_host"]
        med, lo, hi = stats(seconds)
        medians[hosts] = med
        row(hosts, files, f"{med:.3f}", f"{lo:.3f}", f"{hi:.3f}", f"{statistics.median(rss):.1f}", per_host)
    print(f"\n5,000 hosts cost {medians[5000] / medians[500]:.1f}x what 500 hosts cost (10x the hosts);")
    print(f"10,000 hosts cost {medians[10000] / medians[1000]:.1f}x what 1,000 hosts cost.")


def validate(args):
    cmd = ["cargo", "run", "--release", "-q", "-p", "flakesmith", "--features", "nixel", "--example", "validate_throughput"]
    results = {}
    megabytes = None
    for _ in range(args.runs):
        out = run(cmd, cwd=ROOT).stdout
        megabytes = re.search(r"megabytes=([\d.]+)", out).group(1)
        for name, seconds in re.findall(r"parser=(\S+) seconds=([\d.]+)", out):
            results.setdefault(name, []).append(float(seconds))
    print(f"1,000-host tree, {megabytes} MB; {args.runs} runs")
    row("parser", "seconds (median)", "min", "max", "MB/s", "nix-instantiate time / parser time")
    row(*["---"] * 6)
    nix = statistics.median(results["nix-instantiate"])
    for name, values in results.items():
        med, lo, hi = stats(values)
        row(name, f"{med:.3f}", f"{lo:.3f}", f"{hi:.3f}", f"{float(megabytes) / med:.1f}", f"{nix / med:.1f}x")


def edit_loop(args):
    run(["cargo", "build", "-p", "example-config"], cwd=ROOT)
    row("step", "seconds (median)", "min", "max", "runs")
    row(*["---"] * 5)
    for label, path in [("touch one host file (config/hosts.rs)", "example-config/config/hosts.rs"),
                        ("touch one shared module (config/modules.rs)", "example-config/config/modules.rs")]:
        values = []
        for _ in range(args.runs):
            os.utime(ROOT / path)
            values.append(timed(["cargo", "build", "-p", "example-config"], cwd=ROOT))
        row(f"incremental `cargo build -p example-config` after: {label}", *[f"{v:.2f}" for v in stats(values)], args.runs)
    # A real edit: one value of a host changes (and is changed back after the last run).
    hosts = ROOT / "example-config/config/hosts.rs"
    original = hosts.read_text()
    values_seen = ['"Europe/Amsterdam"', '"Europe/Berlin"']
    assert original.count(values_seen[0]) == 1, "the benchmark edits the desk's time zone"
    values = []
    try:
        for i in range(args.runs):
            hosts.write_text(original.replace(values_seen[0], values_seen[(i + 1) % 2]))
            values.append(timed(["cargo", "build", "-p", "example-config"], cwd=ROOT))
    finally:
        hosts.write_text(original)
    row("incremental `cargo build -p example-config` after: edit one value in a host (its time zone)",
        *[f"{v:.2f}" for v in stats(values)], args.runs)
    if args.cold_runs == 0:
        return
    with tempfile.TemporaryDirectory() as target:
        env = dict(os.environ, CARGO_TARGET_DIR=target)
        for label, extra in [("debug", []), ("release", ["--release"])]:
            values = []
            for _ in range(args.cold_runs):
                shutil.rmtree(target, ignore_errors=True)
                values.append(timed(["cargo", "build", "--workspace", "--all-targets", *extra], cwd=ROOT, env=env))
            row(f"cold `cargo build --workspace --all-targets` ({label})", *[f"{v:.1f}" for v in stats(values)], args.cold_runs)
            values = []
            for _ in range(args.cold_runs):
                shutil.rmtree(target, ignore_errors=True)
                values.append(timed(["cargo", "build", "-p", "example-config", *extra], cwd=ROOT, env=env))
            row(f"cold `cargo build -p example-config` ({label})", *[f"{v:.1f}" for v in stats(values)], args.cold_runs)


def bindings(args):
    """Compile cost of generated Home Manager bindings, all 3,066 options against one
    namespace, in a bindings crate that a configuration crate depends on."""
    options = ROOT / "dsl/data/home-manager-options-24.05.json"
    run(["cargo", "build", "-q", "-p", "flakesmith", "--features", "generator", "--bin", "flakesmith"], cwd=ROOT)
    generator = ROOT / "target/debug/flakesmith"
    row("bindings", "generated bytes", "files", "cold build of the config crate, s (median/min/max)",
        "incremental after touching the config, s (median/min/max)")
    row(*["---"] * 5)
    for label, namespaces in [("all Home Manager options", []), ("programs.git only", ["--namespace", "programs.git"])]:
        with tempfile.TemporaryDirectory() as work:
            work = Path(work)
            (work / "bindings/src").mkdir(parents=True)
            (work / "config/src").mkdir(parents=True)
            run([str(generator), "options", "generate", str(options), "--out", str(work / "bindings/src/home"), *namespaces])
            (work / "bindings/src/lib.rs").write_text("#[rustfmt::skip]\npub mod home;\n")
            (work / "bindings/Cargo.toml").write_text(
                f'[package]\nname = "bindings"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\nflakesmith = {{ path = "{ROOT / "dsl"}" }}\n')
            (work / "config/Cargo.toml").write_text(
                '[package]\nname = "config"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\nbindings = { path = "../bindings" }\nflakesmith = { path = "%s" }\n' % (ROOT / "dsl"))
            config = work / "config/src/main.rs"
            config.write_text(
                "use bindings::home::programs::git;\nuse flakesmith::prelude::*;\n\nfn main() {\n"
                "    let user = User::new(\"alice\", \"24.05\").set(git::enable, true).set(git::user_name, \"Alice\");\n"
                "    println!(\"{}\", user.definitions.len());\n}\n")
            (work / "Cargo.toml").write_text('[workspace]\nmembers = ["bindings", "config"]\nresolver = "2"\n')
            shutil.copy(ROOT / "Cargo.lock", work / "Cargo.lock")
            size = sum(p.stat().st_size for p in (work / "bindings/src/home").rglob("*.rs"))
            files = len(list((work / "bindings/src/home").rglob("*.rs")))
            cold = []
            for _ in range(max(1, args.runs // 2)):
                shutil.rmtree(work / "target", ignore_errors=True)
                cold.append(timed(["cargo", "build", "--offline", "-p", "config"], cwd=work))
            incremental = []
            for _ in range(args.runs):
                os.utime(config)
                incremental.append(timed(["cargo", "build", "--offline", "-p", "config"], cwd=work))
            fmt = lambda v: "/".join(f"{x:.2f}" for x in stats(v))
            row(label, size, files, fmt(cold), fmt(incremental))


def import_fleet(args):
    """`flakesmith import` of a flake (the fleet fixture, or --flake DIR such as a corpus
    configuration), with the command built as `cargo run` builds it (debug) and with
    --release; each with an empty index cache (the first import on a machine) and with the
    cache the first run left. Hosts made by helpers need FLAKESMITH_NIXPKGS_LIB set."""
    fixture = Path(args.flake) if args.flake else ROOT / "tests/fixtures/import/fleet"
    sources = [arg for source in args.input_source for arg in ["--input-source", source]]
    row("build", "index cache", "seconds (median)", "min", "max", "runs")
    row(*["---"] * 6)
    profiles = [("debug (`cargo run`)", [])]
    if not args.debug_only:
        profiles.append(("release", ["--release"]))
    for label, profile in profiles:
        run(["cargo", "build", "-q", *profile, "-p", "flakesmith", "--features", "generator", "--bin", "flakesmith"], cwd=ROOT)
        binary = ROOT / "target" / ("release" if profile else "debug") / "flakesmith"
        with tempfile.TemporaryDirectory() as cache:
            for cached in [False, True]:
                values = []
                for _ in range(args.runs):
                    with tempfile.TemporaryDirectory() as work:
                        env_cache = cache if cached else str(Path(work) / "cache")
                        os.environ["FLAKESMITH_CACHE_DIR"] = env_cache
                        values.append(timed([str(binary), "import", str(fixture), "--out", str(Path(work) / "config"), *sources]))
                    if not cached:
                        # Leave one run's cache for the warm runs.
                        os.environ["FLAKESMITH_CACHE_DIR"] = cache
                        with tempfile.TemporaryDirectory() as work:
                            timed([str(binary), "import", str(fixture), "--out", str(Path(work) / "config"), *sources])
                row(label, "warm" if cached else "empty", *[f"{v:.2f}" for v in stats(values)], args.runs)
        os.environ.pop("FLAKESMITH_CACHE_DIR", None)


def sync(args):
    """`flakesmith options sync` on the stand-in pins its test uses: nixpkgs (the real lib
    named by FLAKESMITH_NIXPKGS_LIB and a few NixOS modules), Home Manager and sops-nix,
    locked as path inputs. Times the command alone (evaluation with the real Nix,
    generation, writing three crates), not the build after it."""
    lib = os.environ.get("FLAKESMITH_NIXPKGS_LIB")
    if not lib:
        sys.exit("sync needs FLAKESMITH_NIXPKGS_LIB (a nixpkgs lib directory)")
    run(["cargo", "build", "-q", "-p", "flakesmith", "--features", "generator", "--bin", "flakesmith"], cwd=ROOT)
    binary = ROOT / "target/debug/flakesmith"
    fixtures = ROOT / "dsl/tests/fixtures"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        pins = {}
        for name in ["pinned-nixpkgs", "pinned-home-manager", "pinned-sops-nix"]:
            shutil.copytree(fixtures / name, work / name)
            pins[name] = str(work / name)
        os.symlink(lib, work / "pinned-nixpkgs/lib")
        config = work / "config"
        (config / "flake").mkdir(parents=True)
        dsl = ROOT / "dsl"
        (config / "Cargo.toml").write_text(
            '[package]\nname = "config"\nversion = "0.1.0"\nedition = "2021"\n\n[build-dependencies]\n'
            f'flakesmith = {{ path = "{dsl}" }}\n'
            f'flakesmith-nixos-25-05 = {{ path = "{dsl}/bindings/nixos-25.05", features = ["networking", "services"] }}\n'
            f'flakesmith-home-25-05 = {{ path = "{dsl}/bindings/home-25.05", features = ["programs"] }}\n'
            f'flakesmith-inputs = {{ path = "{dsl}/bindings/inputs", features = ["sops-nix"] }}\n')
        node = lambda path: {"locked": {"type": "path", "path": path, "narHash": "sha256-A"}, "original": {"type": "path", "path": path}}
        lock = {"nodes": {"nixpkgs": node(pins["pinned-nixpkgs"]), "home-manager": node(pins["pinned-home-manager"]),
                          "sops-nix": node(pins["pinned-sops-nix"]),
                          "root": {"inputs": {"nixpkgs": "nixpkgs", "home-manager": "home-manager", "sops-nix": "sops-nix"}}},
                "root": "root", "version": 7}
        import json
        (config / "flake/flake.lock").write_text(json.dumps(lock))
        values = [timed([str(binary), "options", "sync", "--config", str(config)]) for _ in range(args.runs)]
        row("step", "seconds (median)", "min", "max", "runs")
        row(*["---"] * 5)
        row("`flakesmith options sync` (debug build): NixOS, Home Manager and sops-nix stand-ins",
            *[f"{v:.2f}" for v in stats(values)], args.runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bench", choices=["scale", "validate", "edit-loop", "bindings", "import", "sync"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold-runs", type=int, default=2)
    parser.add_argument("--dir", help="where scale writes its trees (default target/bench-scale)")
    parser.add_argument("--flake", help="the flake `import` reads (default the fleet fixture)")
    parser.add_argument("--debug-only", action="store_true", help="`import`: skip the release build")
    parser.add_argument("--input-source", action="append", default=[], metavar="NAME=PATH",
                        help="`import`: an input evaluated from its source, as the command takes it")
    args = parser.parse_args()
    {"scale": scale, "validate": validate, "edit-loop": edit_loop, "bindings": bindings,
     "import": import_fleet, "sync": sync}[args.bench](args)


if __name__ == "__main__":
    sys.exit(main())
