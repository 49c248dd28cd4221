//! Golden pages: content-example's whole built site, byte for byte, against `tests/golden/`.
//!
//! Any change to what planbook writes shows up here as a diff to review. When a change is meant,
//! bless it: `PLANBOOK_BLESS=1 cargo test --test cli golden` rewrites `tests/golden/` from the
//! current build, and the diff goes into the commit.

use crate::support::TestSite;
use std::path::Path;

const GOLDEN: &str = "tests/golden/content-example";

#[test]
fn content_example_builds_the_golden_site() {
    let site = TestSite::copy_of("content-example");
    let run = site.run(&["build", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = crate::support::site_check::snapshot(&site.root().join("site"));
    let golden_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("PLANBOOK_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&golden_dir);
        for (path, bytes) in &built {
            let to = golden_dir.join(path);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, bytes).unwrap();
        }
        eprintln!("blessed {} files into {GOLDEN}", built.len());
        return;
    }
    let golden = crate::support::site_check::snapshot(&golden_dir);
    let mut report = Vec::new();
    for path in golden.keys().filter(|p| !built.contains_key(*p)) {
        report.push(format!("missing: {path}"));
    }
    for path in built.keys().filter(|p| !golden.contains_key(*p)) {
        report.push(format!("new: {path}"));
    }
    for (path, bytes) in &built {
        let Some(expected) = golden.get(path) else { continue };
        if bytes == expected {
            continue;
        }
        // The first differing line of a text file; the size of a binary one.
        let (now, was) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(expected));
        match now.lines().zip(was.lines()).enumerate().find(|(_, (a, b))| a != b) {
            Some((n, (a, b))) => report.push(format!("changed: {path}:{}\n  golden: {b}\n  built:  {a}", n + 1)),
            None => report.push(format!("changed: {path} ({} bytes, golden {})", bytes.len(), expected.len())),
        }
    }
    assert!(
        report.is_empty(),
        "the built site differs from {GOLDEN} (PLANBOOK_BLESS=1 to accept a change on purpose):\n{}",
        report.join("\n")
    );
}
