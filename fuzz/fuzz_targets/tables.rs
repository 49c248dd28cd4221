//! The tech debt tracker and the quality score readers (with HTML, as `build` reads them).
#![no_main]

use libfuzzer_sys::fuzz_target;
use planbook::discover::{Source, SourceKind};
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static HTML: OnceLock<planbook::parse::HtmlOptions> = OnceLock::new();
    let Ok(text) = std::str::from_utf8(data) else { return };
    let html = HTML.get_or_init(|| planbook::parse::HtmlOptions::new(false));
    for (path, kind) in [
        ("docs/harness/TECH_DEBT_TRACKER.md", SourceKind::DebtTracker),
        ("docs/harness/QUALITY_SCORE.md", SourceKind::QualityScore),
    ] {
        let source = Source { path: path.into(), kind, text: text.into() };
        let _ = planbook::parse::parse_one_source(&source, None);
        let _ = planbook::parse::parse_one_source(&source, Some(html));
    }
});
