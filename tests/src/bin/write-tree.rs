//! Writes a synthetic tree of `FILES` files, every one marked with `VERSION`, to `OUT`
//! with flakesmith's writer. The writer tests kill it at random points.
//!
//! Usage: write-tree OUT VERSION FILES

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, version, files] = args.as_slice() else {
        eprintln!("usage: write-tree OUT VERSION FILES");
        std::process::exit(2);
    };
    let tree = flakesmith_tests::versioned_tree(version, files.parse().expect("FILES is a number"));
    flakesmith::writer::write(std::path::Path::new(out), &tree, false).expect("write");
}
