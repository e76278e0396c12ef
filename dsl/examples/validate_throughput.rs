//! Validation throughput: parse the whole generated 1,000-host tree with rnix, with
//! nixel (the real Nix parser, in process) and with `nix-instantiate --parse`, in one run.
//!
//! `cargo run --release -p flakesmith --features nixel --example validate_throughput -- [--hosts N]`

#[path = "fleet/mod.rs"]
mod fleet;

use std::time::Instant;

use flakesmith::validate::{validate_nixel, validate_rnix};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut hosts = 1000;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--hosts" => hosts = args.next().and_then(|v| v.parse().ok()).expect("--hosts N"),
            other => panic!("unknown argument {other}"),
        }
    }
    let tree = flakesmith::compile(&fleet::fleet(hosts), std::path::Path::new("."))
        .expect("the fleet is valid")
        .tree;
    let bytes: usize = tree.files.iter().map(|f| f.contents.len()).sum();
    let megabytes = bytes as f64 / 1_000_000.0;
    println!(
        "hosts={hosts} files={} megabytes={megabytes:.2}",
        tree.files.len()
    );

    let time = |name: &str, parse: &dyn Fn(&str) -> bool| {
        let start = Instant::now();
        let failures = tree.files.iter().filter(|f| !parse(&f.contents)).count();
        let seconds = start.elapsed().as_secs_f64();
        assert_eq!(failures, 0, "{name} rejected generated files");
        println!(
            "parser={name} seconds={seconds:.3} mb_per_s={:.1}",
            megabytes / seconds
        );
        seconds
    };
    let rnix = time("rnix", &|text| validate_rnix(text).is_ok());
    let nixel = time("nixel", &|text| validate_nixel(text).is_ok());

    let dir = std::env::temp_dir().join(format!("flakesmith-throughput-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paths: Vec<String> = tree
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let path = dir.join(format!("{i}.nix"));
            std::fs::write(&path, &f.contents).unwrap();
            path.display().to_string()
        })
        .collect();
    let start = Instant::now();
    for chunk in paths.chunks(500) {
        let output = std::process::Command::new("nix-instantiate")
            .arg("--parse")
            .args(chunk)
            .env(
                "NIX_STATE_DIR",
                std::env::temp_dir().join("flakesmith-nix-state"),
            )
            .output()
            .expect("nix-instantiate (apt-get install nix-bin)");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let nix = start.elapsed().as_secs_f64();
    std::fs::remove_dir_all(&dir).ok();
    println!(
        "parser=nix-instantiate seconds={nix:.3} mb_per_s={:.1}",
        megabytes / nix
    );
    println!(
        "ratio rnix/nix={:.1}x nixel/nix={:.1}x",
        nix / rnix,
        nix / nixel
    );
}
