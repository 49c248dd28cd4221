//! Plan parsing, one case per form seen in real harness trees.

use super::*;
use crate::model::{DecisionForm, FolderState, StepMarker, StepSource};

fn check(path: &str, text: &str) -> (Plan, Vec<Diagnostic>) {
    let folder = path.rsplit_once('/').map_or("active", |(dir, _)| dir.rsplit('/').next().unwrap_or("active"));
    parse_plan(path, folder, text, Html(None))
}

fn plan(path: &str, text: &str) -> Plan {
    let (p, d) = check(path, text);
    assert!(d.is_empty(), "unexpected diagnostics: {d:#?}");
    p
}

fn date(s: &str) -> Option<jiff::civil::Date> {
    Some(s.parse().unwrap())
}

const TEMPLATE: &str = "# EP-001: TUI Runloop Split

**Status**: active
**Author**: agent
**Created**: 2026-05-15
**Completed**: YYYY-MM-DD (if applicable)

## Goal

Reduce the largest modules.

## Context

See [TD-005](../../TECH_DEBT_TRACKER.md).

## Steps

- [x] Step 1: Freeze the inventory. Outcome: map exists. Verify: `wc -l`.
- [~] Step 2: Split the root.
- [ ] Step 3: Refresh docs.
- [!] Step 4: Deploy (waiting for ops)

## Decision Log

- 2026-05-15: Opened this plan.
- 2026-05-16: Scoped it to the TUI.

## Retrospective

### What went well

-

### What didn't

-

### What to change

-
";

#[test]
fn reads_the_template() {
    let p = plan("docs/harness/exec-plans/active/001-tui-runloop-split.md", TEMPLATE);
    assert_eq!(p.number, Some(PlanNumber(1)));
    assert_eq!(p.title, "TUI Runloop Split");
    assert_eq!(p.stem, "001-tui-runloop-split");
    assert_eq!(p.status.kind, StatusKind::Active);
    assert_eq!(p.status.raw.as_deref(), Some("active"));
    assert_eq!(p.author.as_deref(), Some("agent"));
    assert_eq!(p.created.as_ref().and_then(|d| d.date), date("2026-05-15"));
    assert!(p.completed.is_none(), "placeholder completed date");
    assert_eq!(p.goal.as_deref(), Some("Reduce the largest modules."));
    assert_eq!(p.context.as_deref(), Some("See TD-005."));
    let markers: Vec<_> = p.steps.iter().map(|s| s.marker).collect();
    assert_eq!(markers, [StepMarker::Done, StepMarker::InProgress, StepMarker::Todo, StepMarker::Blocked]);
    assert_eq!(p.steps[0].outcome.as_deref(), Some("map exists."));
    assert_eq!(p.steps[0].verify.as_deref(), Some("wc -l."));
    assert_eq!(p.steps[3].reason.as_deref(), Some("waiting for ops"));
    assert_eq!(p.steps[1].span, Span { line: 19, col: 3, len: 3 });
    assert_eq!(p.decisions.len(), 2);
    let retro = p.retrospective.as_ref().unwrap();
    assert!(!retro.is_filled());
    assert_eq!(retro.placeholders, 3);
    let kinds: Vec<_> = p.sections.iter().map(|s| s.kind).collect();
    assert!(kinds.starts_with(&[
        SectionKind::Goal,
        SectionKind::Context,
        SectionKind::Steps,
        SectionKind::DecisionLog,
        SectionKind::Retrospective
    ]));
    assert_eq!(p.progress(), (1, 4));
}

#[test]
fn identity_from_file_name_front_matter_or_h1() {
    assert_eq!(plan("x/active/0001-a.md", "# A\n").number, Some(PlanNumber(1)));
    assert_eq!(plan("x/active/12_a.md", "# A\n").number, Some(PlanNumber(12)));
    let p = plan("x/active/cache.md", "---\nid: 0032\n---\n# Cache\n");
    assert_eq!((p.number, p.id_raw.as_deref()), (Some(PlanNumber(32)), Some("0032")));
    let p = plan("x/active/cache.md", "# EP-7 — Cache warmup\n");
    assert_eq!((p.number, p.title.as_str()), (Some(PlanNumber(7)), "Cache warmup"));
    let p = plan("x/active/2026-03-12-sdk-harness.md", "# Execution Plan: SDK Harness\n");
    assert_eq!((p.number, p.title.as_str()), (None, "SDK Harness"));
    assert_eq!(p.created.as_ref().and_then(|d| d.date), date("2026-03-12"), "created from the file name");
    let (p, d) = check("x/active/phase2-audio.md", "no heading\n");
    assert_eq!((p.number, p.title.as_str()), (None, "Phase2 audio"));
    assert_eq!(d[0].code, Code::MissingTitle);
    let p = plan("x/active/003-x.md", "---\ntitle: From front matter\n---\n# Other\n");
    assert_eq!(p.title, "From front matter");
}

#[test]
fn number_mismatch_is_reported() {
    let (p, d) = check("x/active/003-x.md", "# EP-004: X\n");
    assert_eq!(p.number, Some(PlanNumber(3)));
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, Code::NumberMismatch);
    assert_eq!(d[0].span.map(|s| s.line), Some(1));
}

#[test]
fn header_fields_in_every_form() {
    for (form, line) in [
        ("**Status**: completed", 3),
        ("**Status:** completed", 3),
        ("- **Status:** completed", 3),
        ("> **Status**: completed", 3),
        ("Status: completed", 3),
    ] {
        let p = plan("x/completed/001-a.md", &format!("# A\n\n{form}\n"));
        assert_eq!(p.status.kind, StatusKind::Completed, "{form}");
        assert_eq!(p.status.span.map(|s| s.line), Some(line), "{form}");
    }
    let p = plan(
        "x/active/2026-03-12-x.md",
        "---\nowner: sigil-core\nstatus: active\nopened: 2026-03-10\nclosed: March 12, 2026\nlast_reviewed: 2026-03-12\n---\n# X\n",
    );
    assert_eq!(p.status.kind, StatusKind::Active);
    assert_eq!((p.author.as_deref(), p.owner.as_deref()), (Some("sigil-core"), Some("sigil-core")));
    assert_eq!(p.created.as_ref().and_then(|d| d.date), date("2026-03-10"));
    assert_eq!(p.completed.as_ref().and_then(|d| d.date), date("2026-03-12"));
    assert_eq!(p.last_reviewed.as_ref().and_then(|d| d.date), date("2026-03-12"));
    assert_eq!(p.status.span.map(|s| (s.line, s.col)), Some((3, 9)));
}

#[test]
fn status_keeps_raw_text_and_falls_back_to_folder() {
    let p = plan("x/completed/phase0.md", "# Phase 0\n\n**Status:** Completed (2026-03-26)\n**Duration:** 1 day\n");
    assert_eq!(p.status.kind, StatusKind::Completed);
    assert_eq!(p.status.raw.as_deref(), Some("Completed (2026-03-26)"));
    assert_eq!(p.completed.as_ref().and_then(|d| d.date), date("2026-03-26"), "completed date from status");
    let p = plan("x/completed/001-a.md", "# A\n");
    assert_eq!(
        (p.status.kind, p.folder_state, p.state()),
        (StatusKind::Other, FolderState::Completed, StatusKind::Completed)
    );
    let (p, d) = check("x/active/001-a.md", "# A\n\n**Status**: simmering\n");
    assert_eq!((p.status.kind, d[0].code), (StatusKind::Other, Code::UnknownStatus));
}

#[test]
fn unparsable_dates_are_diagnostics() {
    let (p, d) = check("x/active/001-a.md", "# A\n\n**Created**: Q1 2026\n**Completed**: 2026-02-30\n");
    assert_eq!(d.len(), 2);
    assert!(d.iter().all(|d| d.code == Code::UnparsableDate));
    assert_eq!(d[0].span.map(|s| (s.line, s.col)), Some((3, 14)));
    assert!(p.created.as_ref().is_some_and(|c| c.date.is_none() && c.raw == "Q1 2026"));
}

#[test]
fn bad_front_matter_is_a_diagnostic_and_the_body_is_still_read() {
    let (p, d) = check("x/active/001-a.md", "---\nstatus: [active\n---\n# A\n\n## Goal\nShip.\n");
    assert_eq!(d[0].code, Code::InvalidFrontMatter);
    assert_eq!(d[0].span.map(|s| s.line), Some(2), "the line of the unclosed `[`");
    assert_eq!(p.goal.as_deref(), Some("Ship."));
}

#[test]
fn sections_are_tolerant_and_code_fences_are_not_sections() {
    let p = plan(
        "x/active/001-a.md",
        "# A\n\n**Goal:** Bidirectional audio.\n\n## Background\nWhy.\n\n## Implementation Steps\n\n```md\n## Decision Log\n- [x] not a step\n```\n\n## Decisions log\n\n## Exit criteria\n- [ ] it works\n\n## Retro\n",
    );
    assert_eq!(p.goal.as_deref(), Some("Bidirectional audio."));
    assert_eq!(p.context.as_deref(), Some("Why."));
    let kinds: Vec<_> = p.sections.iter().map(|s| s.kind).collect();
    assert_eq!(
        kinds,
        [
            SectionKind::Context,
            SectionKind::Steps,
            SectionKind::DecisionLog,
            SectionKind::Criteria,
            SectionKind::Retrospective
        ]
    );
    assert!(p.steps.is_empty(), "a task list in a code block is not a step");
    assert_eq!(p.criteria.len(), 1);
}

#[test]
fn steps_in_every_form() {
    let p = plan(
        "x/active/001-a.md",
        "# A\n\n## Steps\n\n* [X] star bullet\n+ [~] plus bullet\n1. [ ] numbered\n2. [!] numbered blocked (no access)\n- [ ] parent\n  - [x] nested\n- [-] bad marker\n",
    );
    let got: Vec<_> = p.steps.iter().map(|s| (s.marker, s.depth)).collect();
    assert_eq!(
        got,
        [
            (StepMarker::Done, 0),
            (StepMarker::InProgress, 0),
            (StepMarker::Todo, 0),
            (StepMarker::Blocked, 0),
            (StepMarker::Todo, 0),
            (StepMarker::Done, 1),
            (StepMarker::Invalid('-'), 0),
        ]
    );
    assert_eq!(p.steps[5].title, "nested");
}

#[test]
fn heading_steps_merge_with_progress_sections() {
    let p = plan(
        "x/completed/phase1.md",
        "# P\n\n## Implementation Steps\n\n### Step 1: STUN (1 session)\n\n| Task | File |\n|--|--|\n| a | b |\n\n### Step 2: DTLS — **COMPLETE**\n\n## Progress\n\n### Step 1: STUN (Completed 2026-03-26, 1 session)\n",
    );
    let got: Vec<_> = p.steps.iter().map(|s| (s.number, s.marker, s.source)).collect();
    assert_eq!(
        got,
        [(Some(1), StepMarker::Done, StepSource::Heading), (Some(2), StepMarker::Done, StepSource::Heading)]
    );
}

#[test]
fn steps_without_a_steps_section_come_from_task_lists_anywhere() {
    let p = plan("x/active/2026-03-12-x.md", "# X\n\n## Phase A\n\n### A1\n\n- [x] one\n- [ ] two\n\n## Risks\n- r\n");
    assert_eq!(p.progress(), (1, 2));
}

#[test]
fn decision_entries_in_every_form() {
    let p = plan(
        "x/active/001-a.md",
        "# A\n\n## Decision Log\n\n- 2026-02-13: list entry\n- **2026-02-14** — bold date\n- no date here\n\n| Date | Decision | Rationale |\n|---|---|---|\n| 2026-02-15 | table entry | because |\n\n### 2026-02-16 — heading entry\n\nWith a body.\n",
    );
    let got: Vec<_> = p.decisions.iter().map(|d| (d.date.map(|d| d.to_string()), d.text.as_str(), d.form)).collect();
    assert_eq!(
        got,
        [
            (Some("2026-02-13".into()), "list entry", DecisionForm::ListItem),
            (Some("2026-02-14".into()), "bold date", DecisionForm::ListItem),
            (None, "no date here", DecisionForm::ListItem),
            (Some("2026-02-15".into()), "table entry", DecisionForm::TableRow),
            (Some("2026-02-16".into()), "heading entry", DecisionForm::Heading),
        ]
    );
}

#[test]
fn filled_retrospective_with_nested_headings() {
    let p = plan(
        "x/completed/001-a.md",
        "# A\n\n## Retrospective\n\n### What went well\n- split was clean\n\n### What didn't\n#### Tooling\n- slow CI\n\n### What to change\n- cache deps\n",
    );
    let r = p.retrospective.unwrap();
    assert!(r.is_filled());
    let parts: Vec<_> = r.entries.iter().map(|e| (e.part, e.text.as_str())).collect();
    assert_eq!(
        parts,
        [
            (RetroPart::WentWell, "split was clean"),
            (RetroPart::WentWrong, "slow CI"),
            (RetroPart::ToChange, "cache deps")
        ]
    );
}

#[test]
fn empty_file_parses() {
    let p = plan("x/active/001-empty.md", "");
    assert_eq!((p.title.as_str(), p.line_count), ("Empty", 0));
}

#[test]
fn file_numbers() {
    assert_eq!(file_number("001-x"), (Some(PlanNumber(1)), 3));
    assert_eq!(file_number("0001-x"), (Some(PlanNumber(1)), 4));
    assert_eq!(file_number("2026-03-12-x"), (None, 0));
    assert_eq!(file_number("phase2-audio"), (None, 0));
    assert_eq!(file_number("12abc"), (None, 0));
}

// Hostile text: no panic, no stack overflow, nothing super-linear. Time bounds are generous
// (10 s, while these inputs take milliseconds): they catch quadratic blow-ups, which took
// tens of seconds to minutes, not noise on a busy machine.

/// Runs `f` on a thread with rayon's default stack (2 MiB), where parsing runs in a build.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new().stack_size(2 << 20).spawn(f).expect("thread starts");
    thread.join().expect("no panic, no stack overflow")
}

/// Parses `text` with and without HTML (and with raw HTML allowed), asserting it takes well
/// under a second each time even in a debug build.
fn check_fast(text: String) -> (Plan, Vec<Diagnostic>) {
    on_small_stack(move || {
        for allow_html in [false, true] {
            let options = crate::parse::HtmlOptions::new(allow_html);
            let file = options.for_file("x/active/001-a.md");
            let start = std::time::Instant::now();
            let _ = parse_plan("x/active/001-a.md", "active", &text, Html(Some(&file)));
            assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
        }
        check("x/active/001-a.md", &text)
    })
}

#[test]
fn titles_in_any_script_are_kept_whole() {
    for (h1, title) in [
        ("EP-001: NodeBook — config loader", "NodeBook — config loader"),
        ("計画書", "計画書"),
        ("Ünïcödé", "Ünïcödé"),
        ("Plän ü", "Plän ü"),
        ("Plan: 計画", "計画"),
        ("EP-001: Exec Plan: Ärger", "Ärger"),
        ("EP-001 — 😀", "😀"),
        ("Plan:", "Plan:"),
    ] {
        let (p, _) = check("x/active/001-a.md", &format!("# {h1}\n\n**Status**: active\n"));
        assert_eq!(p.title, title, "{h1}");
    }
    let (p, _) = check("x/active/2026-3-2-ü-plan.md", "# T\n");
    assert_eq!(p.created.map(|c| c.raw), Some("2026-3-2".to_string()));
}

#[test]
fn deep_nesting_is_cut_with_a_diagnostic_and_the_rest_is_read() {
    let head = "# EP-001: Deep\n\n**Status**: active\n\n## Goal\n\nShip.\n\n";
    let tail = "\n\n## Steps\n\n- [~] Step 1: after the deep part\n";
    for (what, deep) in [
        ("block quotes", format!("{}x", "> ".repeat(24_000))),
        ("emphasis", format!("{}b{}", "*a ".repeat(50_000), " a*".repeat(50_000))),
        ("open emphasis", "*a ".repeat(50_000)),
        ("images", "![".repeat(50_000)),
        ("closed images", format!("{}x{}", "![".repeat(30_000), "](y)".repeat(30_000))),
        ("links (never nested)", format!("{}x{}", "[".repeat(30_000), "](EP-1)".repeat(30_000))),
        ("quoted lists (comrak stops nesting lists at 100)", format!("{}x", "> - ".repeat(20_000))),
    ] {
        let (p, d) = check_fast(format!("{head}{deep}{tail}"));
        assert_eq!(p.title, "Deep", "{what}");
        assert_eq!(p.steps.len(), 1, "{what}: the rest of the file is read");
        let too_deep: Vec<_> = d.iter().filter(|d| d.code == Code::TooDeep).collect();
        if what.contains("open") || what.contains("never") || what.contains("stops") || what == "images" {
            assert!(too_deep.is_empty(), "{what}: nothing nests: {d:?}");
        } else {
            assert_eq!(too_deep.len(), 1, "{what}: {d:?}");
            assert_eq!(too_deep[0].span.map(|s| s.line), Some(9), "{what}");
        }
    }
}

#[test]
fn front_matter_bombs_are_refused_with_the_file_line() {
    let body = "# EP-001: T\n\n## Goal\n\nShip.\n";
    let (p, d) = check_fast(format!("---\ntitle: x\na: {}\n---\n{body}", "[".repeat(100_000)));
    assert_eq!((d[0].code, d[0].span.map(|s| s.line)), (Code::TooDeep, Some(2)), "too large: {d:?}");
    assert_eq!(p.goal.as_deref(), Some("Ship."));
    let (_, d) = check_fast(format!("---\ntitle: x\na: {}\n---\n{body}", "[".repeat(60_000)));
    assert_eq!((d[0].code, d[0].span.map(|s| s.line)), (Code::TooDeep, Some(3)), "too deep: {d:?}");
}

#[test]
fn yaml_error_columns_are_bytes_on_character_boundaries() {
    let text = "---\ntitle: 計画書: x: y\n---\n# T\n";
    let (_, d) = check("x/active/001-a.md", text);
    let span = d[0].span.expect("a position");
    let line = text.lines().nth(span.line as usize - 1).unwrap();
    assert_eq!(d[0].code, Code::InvalidFrontMatter);
    assert!(line.is_char_boundary(span.col as usize - 1), "{span:?} in {line:?}");
    assert_eq!(&line[span.col as usize - 1..], ": x: y", "serde_yaml's 17th character is the 21st byte");
}

#[test]
fn large_plans_parse_in_linear_time() {
    let many = |unit: &str| unit.repeat(200_000 / unit.len());
    for text in [
        format!("# T\n\n## Steps\n\n{}", many("### Step 1: x\n")),
        format!("# T\n\n## Steps\n\n{}", many("- [ ] Step 1: a. Outcome: b. Verify: c. Outcome: d.\n")),
        format!("# T\n\n## Goal\n\n{}", many("### a\n")),
        format!("# T\n\n{}", many("Status: x\n\n")),
        format!("# T\n\n{}", many("resolves EP-1 ")),
        format!("# T\n\n## Decision Log\n\n{}", many("- 2026-01-01: x\n")),
        format!("# T\n\n## Retrospective\n\n{}", many("### What went well\n\n- x\n\n")),
    ] {
        check_fast(text);
    }
}

#[test]
fn fields_taken_into_the_plan_are_marked_placed() {
    let (p, _) = check(
        "x/active/001-a.md",
        "# EP-001: A\n\n**Status**: active\n**Created by**: ana\n**Date**: 2026-01-02\n**Last reviewed**: 2026-02-03\n**Team**: storage\n",
    );
    let placed: Vec<(&str, bool)> = p.fields.iter().map(|f| (f.key.as_str(), f.placed)).collect();
    assert_eq!(
        placed,
        [("Status", true), ("Created by", true), ("Date", true), ("Last reviewed", false), ("Team", false)],
        "what has a place of its own is not listed again"
    );
    assert_eq!(p.author.as_deref(), Some("ana"));
}

#[test]
fn completion_dates_written_inside_statuses() {
    for (status, want) in [
        ("Implemented (March 12, 2026).", "2026-03-12"),
        ("Done 2026-03-12", "2026-03-12"),
        ("Shipped on 12 March 2026", "2026-03-12"),
        ("已完成（2026-03-12）", "2026-03-12"),
    ] {
        let p = plan("x/completed/001-a.md", &format!("# A\n\n**Status**: {status}\n"));
        assert_eq!(p.status.kind, StatusKind::Completed, "{status}");
        assert_eq!(p.completed.as_ref().and_then(|d| d.date), date(want), "{status}");
    }
    let p = plan("x/completed/001-a.md", "# A\n\n**Status**: Done 2026-03-12\n**Completed**: 2026-03-14\n");
    assert_eq!(p.completed.as_ref().and_then(|d| d.date), date("2026-03-14"), "a Completed field wins");
    let p = plan("x/completed/001-a.md", "# A\n\n**Status**: Abandoned 2026-03-12\n");
    assert!(p.completed.is_none(), "only a completed plan gets a completion date");
}

#[test]
fn superseded_plans_name_their_successor_as_a_relation() {
    use crate::model::{RefTarget, Relation};
    let successors = |p: &Plan| -> Vec<RefTarget> {
        p.refs.iter().filter(|r| r.relation == Some(Relation::SupersededBy)).map(|r| r.target.clone()).collect()
    };
    let p = plan("x/completed/003-a.md", "# A\n\n**Status**: Superseded (by EP-012)\n\nSee EP-2.\n");
    assert_eq!(p.status.kind, StatusKind::Superseded);
    assert_eq!(successors(&p), [RefTarget::Plan(PlanNumber(12))]);
    let p = plan("x/completed/003-a.md", "---\nstatus: superseded by EP-7 and EP-8\n---\n# A\n\nSee EP-2.\n");
    assert_eq!(successors(&p), [RefTarget::Plan(PlanNumber(7)), RefTarget::Plan(PlanNumber(8))]);
    let p = plan(
        "docs/exec-plans/completed/2026-01-01-a.md",
        "---\nstatus: superseded\n---\n# A\n\n## Status\n\nReplaced by these:\n\n- `docs/exec-plans/active/2026-02-01-b.md`\n\n## Goal\n\nSee `docs/exec-plans/active/2026-02-02-c.md`.\n",
    );
    assert_eq!(successors(&p), [RefTarget::Path("docs/exec-plans/active/2026-02-01-b.md".into())]);
    let p = plan("x/active/003-a.md", "# A\n\n**Status**: active, see EP-12\n");
    assert!(successors(&p).is_empty(), "only a superseded status names successors");
}

#[test]
fn checklists_outside_the_steps_are_criteria_by_section() {
    let p = plan(
        "x/active/001-a.md",
        "# A\n\n## Steps\n\n- [x] Step 1: build\n- [ ] Step 2: ship\n\n## Validation\n\nRun the suite:\n\n- [x] unit tests\n- [ ] load test\n\n## Rollout notes\n\n- [ ] tell support\n\n## Acceptance criteria\n\n- [ ] p99 under 50 ms\n",
    );
    assert_eq!(p.steps.len(), 2, "checklists outside Steps are not steps");
    let got: Vec<_> = p.criteria.iter().map(|c| (p.sections[c.section].title.as_str(), c.marker)).collect();
    assert_eq!(
        got,
        [
            ("Validation", StepMarker::Done),
            ("Validation", StepMarker::Todo),
            ("Rollout notes", StepMarker::Todo),
            ("Acceptance criteria", StepMarker::Todo),
        ]
    );
    // Without a Steps section, checklists in unnamed sections are the steps (as before); named
    // criteria sections still are not.
    let p = plan("x/active/001-a.md", "# A\n\n## Phase 1\n\n- [ ] a\n- [ ] b\n\n## Verification\n\n- [ ] c\n");
    assert_eq!((p.steps.len(), p.criteria.len()), (2, 1));
    // A checklist section under the steps: criteria of the Steps section, shown as written.
    let p = plan("x/active/001-a.md", "# A\n\n## Steps\n\n- [ ] a\n\n### Exit criteria\n\n- [ ] c\n");
    assert_eq!((p.steps.len(), p.criteria.len(), p.criteria[0].section), (1, 1, 0));
    assert!(p.sections[0].has_extra);
}

#[test]
fn decision_point_sections_are_content_not_a_log() {
    let p = plan(
        "x/active/001-a.md",
        "# A\n\n## Decision point: SQLite vs Postgres\n\n| | SQLite | Postgres |\n|--|--|--|\n| ops | none | some |\n\n- simpler\n- cheaper\n\n## 决策记录\n\n- 2026-03-01: 选择 SQLite\n",
    );
    assert_eq!(p.decisions.len(), 1, "{:?}", p.decisions);
    assert_eq!(p.decisions[0].text, "选择 SQLite");
}

#[test]
fn labels_write_the_number_as_the_repository_does() {
    let label = |path: &str, text: &str| plan(path, text).label();
    assert_eq!(label("docs/harness/exec-plans/active/0035-x-cutover.md", "# X\n"), "EP-0035");
    assert_eq!(label("docs/harness/exec-plans/active/035-x.md", "# X\n"), "EP-035");
    assert_eq!(label("docs/harness/exec-plans/active/35-x.md", "# X\n"), "EP-035");
    assert_eq!(label("docs/harness/exec-plans/active/x.md", "---\nid: 0032\n---\n# X\n"), "EP-0032");
    assert_eq!(label("docs/harness/exec-plans/active/x.md", "---\nid: EP-00032\n---\n# X\n"), "EP-00032");
    assert_eq!(label("docs/harness/exec-plans/active/x.md", "# EP-7: X\n"), "EP-007");
}
