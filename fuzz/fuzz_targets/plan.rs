//! A plan end to end: parse (as `check` and as `build`), link, rules, search records and index,
//! and every page rendered and rewritten. Any panic is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use planbook::discover::{Source, SourceKind};
use std::sync::OnceLock;

struct Fixed {
    html: planbook::parse::HtmlOptions,
    raw_html: planbook::parse::HtmlOptions,
    theme: planbook::render::theme::Theme,
}

fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| Fixed {
        html: planbook::parse::HtmlOptions::new(false),
        raw_html: planbook::parse::HtmlOptions::new(true),
        theme: planbook::render::theme::Theme::load(std::path::Path::new("."), None).expect("default theme"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fixed = fixed();
    // The first byte picks raw HTML on or off; the rest is the plan.
    let html = if data.first().is_some_and(|b| b & 1 == 1) { &fixed.raw_html } else { &fixed.html };
    let source = |path: &str, kind: SourceKind| Source { path: path.into(), kind, text: text.into() };
    let plan = source("docs/harness/exec-plans/active/001-fuzz.md", SourceKind::Plan { folder: "active".into() });
    let _ = planbook::parse::parse_one_source(&plan, None);
    let doc = source("docs/harness/notes.md", SourceKind::HarnessDoc);
    let sources = [plan, doc];
    let (harness, _) = planbook::parse::parse(&sources, "docs/harness", Some(html));
    let index = planbook::link::index(&harness);
    let (graph, _) = planbook::link::resolve(&harness, &index);
    let _ = planbook::rules::check(&harness);
    let records = planbook::search::records::records(&harness, &index);
    let _ = planbook::search::build(&records);
    let input = planbook::site::SiteInput {
        harness: &harness,
        index: &index,
        graph: &graph,
        theme: &fixed.theme,
        title: "fuzz",
        repo_url: Some("https://example.com/r"),
        base_url: Some("https://example.com/site/"),
    };
    let _ = planbook::site::render(&input, &planbook::render::Selection::all(), &|_, _, _| Ok(()));
});
