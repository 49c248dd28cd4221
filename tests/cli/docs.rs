//! The docs stay true to the code: ARCHITECTURE.md's code map names every module (and no module
//! that is gone), and the README's rules table lists every diagnostic code with its summary.

use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("doc exists")
}

/// Top-level modules: `src/x.rs` and `src/x/` (without lib.rs and main.rs).
fn modules() -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out: Vec<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter_map(|p| {
            let name = p.file_stem()?.to_str()?.to_string();
            (p.is_dir() || p.extension().is_some_and(|e| e == "rs")).then_some(name)
        })
        .filter(|n| n != "lib" && n != "main")
        .collect();
    out.sort();
    out
}

#[test]
fn architecture_code_map_matches_src() {
    let arch = read("ARCHITECTURE.md");
    let headings: Vec<String> =
        arch.lines().filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`').map(str::to_string)).collect();
    for m in modules() {
        assert!(headings.contains(&m), "ARCHITECTURE.md's code map lacks module `{m}`");
    }
    for h in &headings {
        assert!(modules().contains(h), "ARCHITECTURE.md names module `{h}`, which no longer exists");
    }
}

#[test]
fn readme_lists_every_rule() {
    let readme = read("README.md");
    for &code in planbook::diag::Code::ALL {
        let row = format!("| {} | {} |", code.id(), code.summary());
        assert!(readme.contains(&row), "README's rules table lacks or misstates:\n{row}");
    }
}
