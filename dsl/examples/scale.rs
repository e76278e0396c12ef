//! Fleet scale: generate, check and write a synthetic flake of N hosts.
//!
//! `cargo run --release -p flakesmith --example scale -- --hosts N --out DIR [--release YY.MM]`
//! Its last line is `hosts=N files=F seconds=S peak_rss_mb=M`; `seconds` covers the
//! whole pipeline (model, checks, emission, validation, atomic write) and not building the
//! Rust model, which a configuration crate does at compile time.

#[path = "fleet/mod.rs"]
mod fleet;

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let (mut hosts, mut out) = (100usize, PathBuf::from("target/scale-flake"));
    let mut release = "24.05".to_owned();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--hosts" => hosts = args.next().and_then(|v| v.parse().ok()).expect("--hosts N"),
            "--out" => out = args.next().map(PathBuf::from).expect("--out DIR"),
            "--release" => release = args.next().expect("--release YY.MM"),
            other => panic!("unknown argument {other}; usage: --hosts N --out DIR"),
        }
    }
    let flake = fleet::fleet_on(hosts, &release);
    if out.exists() {
        std::fs::remove_dir_all(&out).expect("clear the output directory");
    }
    let start = Instant::now();
    let compiled =
        flakesmith::compile(&flake, std::path::Path::new(".")).unwrap_or_else(|rejected| {
            panic!(
                "{}",
                flakesmith::diagnostic::render_all(&rejected.diagnostics)
            )
        });
    let compile_seconds = start.elapsed().as_secs_f64();
    flakesmith::writer::write(&out, &compiled.tree, false).expect("write the tree");
    let seconds = start.elapsed().as_secs_f64();
    let bytes: usize = compiled.tree.files.iter().map(|f| f.contents.len()).sum();
    println!(
        "compile_seconds={compile_seconds:.3} write_seconds={:.3} bytes={bytes} bytes_per_host={}",
        seconds - compile_seconds,
        bytes / hosts.max(1)
    );
    println!(
        "hosts={hosts} files={} seconds={seconds:.3} peak_rss_mb={:.1}",
        compiled.tree.files.len(),
        fleet::peak_rss_mb()
    );
}
