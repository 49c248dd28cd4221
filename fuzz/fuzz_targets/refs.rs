//! Reference scanning in source files and Markdown outside the harness.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planbook::discover::{Source, SourceKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for (path, kind) in [("src/lib.rs", SourceKind::RepoText), ("README.md", SourceKind::RepoMarkdown), ("AGENTS.md", SourceKind::RootDoc)] {
        let source = Source { path: path.into(), kind, text: text.into() };
        let _ = planbook::parse::parse_one_source(&source, None);
    }
});
