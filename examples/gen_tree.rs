//! Writes a large synthetic harness tree for benchmarks:
//! `cargo run --release --example gen_tree -- /tmp/tree 10000 5000` (plans, source files).

#[path = "../tests/support/tree_gen.rs"]
mod tree_gen;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), plans, sources) = (
        args.next(),
        args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000),
        args.next().and_then(|a| a.parse().ok()).unwrap_or(0),
    ) else {
        eprintln!("usage: gen_tree DIR [PLANS] [SOURCE_FILES]");
        std::process::exit(2);
    };
    let root = std::path::Path::new(&dir);
    if root.exists() {
        eprintln!("`{dir}` exists; pick a new folder");
        std::process::exit(2);
    }
    tree_gen::write_tree(root, plans, sources);
    println!("wrote {plans} plans and {sources} source files to {dir}");
}
