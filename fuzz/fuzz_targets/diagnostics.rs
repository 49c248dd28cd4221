//! Diagnostic rendering with arbitrary spans over arbitrary text (human, colour and JSON).
#![no_main]

use libfuzzer_sys::fuzz_target;
use planbook::diag::{Code, Diagnostic, RenderOptions, Report};
use planbook::model::Span;

fuzz_target!(|data: &[u8]| {
    if data.len() < 12 {
        return;
    }
    let (nums, rest) = data.split_at(12);
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let n = |i: usize| u32::from_le_bytes([nums[i], nums[i + 1], nums[i + 2], nums[i + 3]]);
    let span = Span { line: n(0) % 64, col: n(4) % 512, len: n(8) % 512 };
    let code = Code::ALL[(nums[0] as usize) % Code::ALL.len()];
    let d = Diagnostic::new(code, "docs/harness/x.md", Some(span), text.to_string()).help(text.to_string());
    let sources = std::iter::once(("docs/harness/x.md".to_string(), std::sync::Arc::<str>::from(text))).collect();
    let report = Report::new(vec![d], sources, &Default::default(), 1);
    for color in [false, true] {
        let opts = RenderOptions { color, quiet: false, path_prefix: "r/".into() };
        let _ = report.render_human(&opts);
        let _ = report.render_json(&opts);
    }
});
