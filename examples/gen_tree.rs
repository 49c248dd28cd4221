//! Writes a large synthetic harness tree for benchmarks:
//! `cargo run --release --example gen_tree -- /tmp/tree 10000 5000` (plans, source files).
//! A fourth argument, COMMITS (default 0), makes the folder a git repository whose history of
//! that many commits ends in the same tree: `… -- /tmp/tree 10000 5000 20000`.

#[path = "../tests/support/tree_gen.rs"]
mod tree_gen;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), plans, sources, commits) = (
        args.next(),
        args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000),
        args.next().and_then(|a| a.parse().ok()).unwrap_or(0),
        args.next().and_then(|a| a.parse().ok()).unwrap_or(0),
    ) else {
        eprintln!("usage: gen_tree DIR [PLANS] [SOURCE_FILES] [COMMITS]");
        std::process::exit(2);
    };
    let root = std::path::Path::new(&dir);
    if root.exists() {
        eprintln!("`{dir}` exists; pick a new folder");
        std::process::exit(2);
    }
    if commits == 0 {
        tree_gen::write_tree(root, plans, sources);
        println!("wrote {plans} plans and {sources} source files to {dir}");
    } else {
        tree_gen::write_history(root, plans, sources, commits);
        println!("wrote {plans} plans and {sources} source files to {dir}, with a history of {commits} commits");
    }
}
