//! Property tests: the readers never panic on any text, diagnostics render for any span, the
//! tokenizer is stable, and no spelling of an output path reaches the repository. Each runs in
//! a few seconds; the coverage-guided fuzzers in `fuzz/` push the same entry points further.

use planbook::diag::{Code, Diagnostic, RenderOptions, Report};
use planbook::discover::{Source, SourceKind};
use planbook::model::Span;
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

/// Pieces of Markdown that drive the readers into their interesting states, and text in many
/// scripts (multi-byte characters next to every structural character).
fn markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("# EP-001: ".to_string()),
        Just("## Goal\n".to_string()),
        Just("## Steps\n".to_string()),
        Just("## Decision Log\n".to_string()),
        Just("## Retrospective\n".to_string()),
        Just("### What went well\n".to_string()),
        Just("- [x] Step 1: ".to_string()),
        Just("- [~] ".to_string()),
        Just("- [!] blocked: ".to_string()),
        Just("- 2026-11-02: ".to_string()),
        Just("**Status**: ".to_string()),
        Just("**Created**: 2026-13-40\n".to_string()),
        Just("---\n".to_string()),
        Just("| ID | Item | Status |\n|---|---|---|\n| TD-001 | ".to_string()),
        Just(" | open |\n".to_string()),
        Just("EP-".to_string()),
        Just("TD-0".to_string()),
        Just("> ".to_string()),
        Just("*a ".to_string()),
        Just("![".to_string()),
        Just("](".to_string()),
        Just("`".to_string()),
        Just("```rust\n".to_string()),
        Just("<div>".to_string()),
        Just("~~".to_string()),
        Just("docs/harness/exec-plans/active/001-x.md".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("    ".to_string()),
        Just("—".to_string()),
        Just("計画書".to_string()),
        Just("Ünïcödé".to_string()),
        Just("🚀".to_string()),
        Just("e\u{301}".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{1}".to_string()),
        Just("\r\n".to_string()),
        Just("9999999999999999999999".to_string()),
        "[a-z ]{0,8}".prop_map(String::from),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

fn html() -> &'static planbook::parse::HtmlOptions {
    static HTML: OnceLock<planbook::parse::HtmlOptions> = OnceLock::new();
    HTML.get_or_init(|| planbook::parse::HtmlOptions::new(true))
}

/// A reader: where a file is and what it is.
type Kind = (&'static str, fn() -> SourceKind);

const KINDS: [Kind; 6] = [
    ("docs/harness/exec-plans/active/001-x.md", || SourceKind::Plan { folder: "active".into() }),
    ("docs/harness/TECH_DEBT_TRACKER.md", || SourceKind::DebtTracker),
    ("docs/harness/QUALITY_SCORE.md", || SourceKind::QualityScore),
    ("docs/harness/notes.md", || SourceKind::HarnessDoc),
    ("README.md", || SourceKind::RepoMarkdown),
    ("src/lib.rs", || SourceKind::RepoText),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_reader_takes_any_text_without_failing(text in markdown()) {
        for (path, kind) in KINDS {
            let source = Source { path: path.into(), kind: kind(), text: text.as_str().into() };
            for html in [None, Some(html())] {
                let (_, diags) = planbook::parse::parse_one_source(&source, html);
                prop_assert!(!diags.iter().any(|d| d.code == Code::InternalError), "{path}: {diags:?}");
            }
        }
    }

    #[test]
    fn front_matter_takes_any_text(text in markdown()) {
        let _ = planbook::yaml::front_matter(&text);
        let _ = planbook::config::Config::parse(&text, "planbook.yaml");
    }

    #[test]
    fn diagnostics_render_for_any_span(text in markdown(), line in 0u32..40, col in 0u32..200, len in 0u32..200) {
        let d = Diagnostic::new(Code::UnparsableDate, "x.md", Some(Span { line, col, len }), "m").help("h");
        let sources = std::iter::once(("x.md".to_string(), Arc::<str>::from(text.as_str()))).collect();
        let report = Report::new(vec![d], sources, &Default::default(), 1);
        let opts = RenderOptions { color: false, quiet: false, path_prefix: String::new() };
        prop_assert!(report.render_human(&opts).contains("E017"));
        prop_assert!(report.render_json(&opts).contains("E017"));
    }

    #[test]
    fn search_terms_are_folded_and_never_empty(text in markdown()) {
        for term in planbook::search::tokenize::terms(&text) {
            prop_assert!(!term.is_empty());
            // Runs of CJK (Hangul included) are kept as written, in pairs: they have no case, and
            // the client does the same to a query. Every other term is folded already.
            if !term.chars().any(planbook::search::tokenize::is_cjk) {
                prop_assert_eq!(planbook::search::tokenize::fold(&term), term.clone(), "folding a term again changes it");
            }
        }
    }

    #[test]
    fn no_spelling_of_an_output_path_reaches_the_repository(
        steps in prop::collection::vec(prop_oneof![Just(".."), Just("."), Just("repo"), Just("REPO"), Just("docs"), Just("elsewhere"), Just("link")], 0..6)
    ) {
        let (tmp, root, harness) = fixture();
        let out = steps.iter().fold(tmp.to_path_buf(), |p, s| p.join(s));
        let canonical = planbook::paths::canonical(&out);
        let refused = planbook::write::check_output(&out, root, harness, true).is_err();
        if let Ok(c) = canonical {
            let reaches = planbook::paths::within(&root.canonicalize().unwrap(), &c)
                || planbook::paths::within(&harness.canonicalize().unwrap(), &c);
            prop_assert!(!reaches || refused, "{} was accepted", out.display());
        }
        prop_assert!(root.join("docs/harness/exec-plans/active/001-x.md").is_file());
    }
}

/// `tmp/repo` with a harness, `tmp/elsewhere`, and `tmp/link -> repo` (built once: the property
/// only checks paths, it never builds).
fn fixture() -> (&'static std::path::Path, &'static std::path::Path, &'static std::path::Path) {
    static DIR: OnceLock<(tempfile::TempDir, std::path::PathBuf, std::path::PathBuf)> = OnceLock::new();
    let (tmp, root, harness) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(root.join("docs/harness/exec-plans/active")).unwrap();
        std::fs::write(root.join("docs/harness/exec-plans/active/001-x.md"), "# EP-001: X\n").unwrap();
        std::fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&root, tmp.path().join("link")).unwrap();
        let harness = root.join("docs/harness");
        (tmp, root, harness)
    });
    (tmp.path(), root, harness)
}
