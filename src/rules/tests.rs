//! Each rule through one helper: a plan's text and path in, the codes reported out.

use crate::diag::Code;
use crate::discover::{Source, SourceKind};

fn check_files(files: &[(&str, &str)]) -> Vec<(String, Code, Option<u32>)> {
    let sources: Vec<Source> = files
        .iter()
        .map(|(path, text)| {
            let folder =
                path.trim_start_matches("exec-plans/").rsplit_once('/').map(|(f, _)| f.to_string()).unwrap_or_default();
            Source { path: path.to_string(), kind: SourceKind::Plan { folder }, text: (*text).into() }
        })
        .collect();
    let (harness, parse_diags) = crate::parse::parse(&sources, ".", None);
    assert!(parse_diags.is_empty(), "{parse_diags:#?}");
    let mut out: Vec<_> =
        super::check(&harness).into_iter().map(|d| (d.path, d.code, d.span.map(|s| s.line))).collect();
    out.sort();
    out
}

fn codes(path: &str, text: &str) -> Vec<Code> {
    check_files(&[(path, text)]).into_iter().map(|(_, c, _)| c).collect()
}

const GOOD_ACTIVE: &str = "# EP-001: Good
**Status**: active
**Created**: 2026-01-05

## Goal
Ship it.
## Context
Why.
## Steps
- [x] Step 1: a
- [~] Step 2: b
- [ ] Step 3: c
## Decision Log
- 2026-01-05: start
- 2026-01-07: continue
## Retrospective
### What went well
-
";

const GOOD_DONE: &str = "# EP-002: Done
**Status**: completed
**Created**: 2026-01-05
**Completed**: 2026-02-01

## Goal
Ship it.
## Context
Why.
## Steps
- [x] Step 1: a
## Decision Log
- 2026-01-05: start
## Retrospective
### What went well
- it shipped
";

#[test]
fn conforming_plans_are_clean() {
    assert_eq!(codes("exec-plans/active/001-good.md", GOOD_ACTIVE), []);
    assert_eq!(codes("exec-plans/completed/002-done.md", GOOD_DONE), []);
}

#[test]
fn rule1_missing_sections() {
    let text = GOOD_ACTIVE.replace("## Context\nWhy.\n", "").replace("## Decision Log", "## Notes");
    let got = check_files(&[("exec-plans/active/001-good.md", &text)]);
    assert_eq!(got, [("exec-plans/active/001-good.md".into(), Code::MissingSection, Some(1))]);
}

#[test]
fn rule2_markers_and_one_in_progress() {
    let text = GOOD_ACTIVE.replace("- [ ] Step 3: c", "- [~] Step 3: c\n- [-] Step 4: d");
    assert_eq!(codes("exec-plans/active/001-good.md", &text), [Code::InvalidStepMarker, Code::SeveralInProgress]);
    let idle = GOOD_ACTIVE.replace("- [~] Step 2", "- [ ] Step 2");
    let got = check_files(&[("exec-plans/active/001-good.md", &idle)]);
    assert_eq!(got, [("exec-plans/active/001-good.md".into(), Code::NothingInProgress, Some(11))]);
    let only_blocked = GOOD_ACTIVE.replace("- [~] Step 2: b\n- [ ] Step 3: c", "- [!] Step 2: b (no access)");
    assert_eq!(codes("exec-plans/active/001-good.md", &only_blocked), [], "a blocked plan is not idle");
}

#[test]
fn rule3_blocked_needs_a_reason() {
    let text = GOOD_ACTIVE.replace("- [ ] Step 3: c", "- [!] Step 3: c");
    let got = check_files(&[("exec-plans/active/001-good.md", &text)]);
    assert_eq!(got, [("exec-plans/active/001-good.md".into(), Code::BlockedWithoutReason, Some(12))]);
}

#[test]
fn rule4_dated_and_ordered_decisions() {
    let text = GOOD_ACTIVE.replace("- 2026-01-07: continue", "- 2026-01-02: earlier\n- no date");
    assert_eq!(codes("exec-plans/active/001-good.md", &text), [Code::UndatedDecision, Code::DecisionsOutOfOrder]);
}

#[test]
fn rule5_completed_plans() {
    let text = GOOD_DONE
        .replace("- [x] Step 1: a", "- [x] Step 1: a\n- [ ] Step 2: b")
        .replace("- it shipped", "-")
        .replace("**Completed**: 2026-02-01", "**Completed**: 2026-01-01");
    assert_eq!(
        codes("exec-plans/completed/002-done.md", &text),
        [Code::CompletedWithOpenSteps, Code::RetrospectiveMissing, Code::CompletedBeforeCreated]
    );
    let no_date = GOOD_DONE.replace("**Completed**: 2026-02-01\n", "");
    assert_eq!(codes("exec-plans/completed/002-done.md", &no_date), [Code::CompletedDateMissing]);
}

#[test]
fn rule6_names_and_unique_numbers() {
    let got = check_files(&[
        ("exec-plans/active/001-good.md", GOOD_ACTIVE),
        ("exec-plans/completed/001-other.md", &GOOD_DONE.replace("EP-002", "EP-001")),
    ]);
    assert_eq!(got, [("exec-plans/completed/001-other.md".into(), Code::DuplicateNumber, Some(1))]);
    assert_eq!(codes("exec-plans/active/1234-big.md", &GOOD_ACTIVE.replace("EP-001", "EP-1234")), []);
    for name in ["2026-01-05-good.md", "good.md", "001_Good.md"] {
        let text = GOOD_ACTIVE.replace("EP-001: ", "");
        assert_eq!(codes(&format!("exec-plans/active/{name}"), &text), [Code::FileNameStyle], "{name}");
    }
    // The width is the repository's: four digits where plans use four, three where they use three.
    assert_eq!(codes("exec-plans/active/0032-x-cutover.md", &GOOD_ACTIVE.replace("EP-001", "EP-0032")), []);
    let width = |names: &[&str]| {
        let files: Vec<(String, String)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("exec-plans/active/{n}"), GOOD_ACTIVE.replace("EP-001", &format!("EP-{}", i + 1))))
            .collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        check_files(&refs)
            .into_iter()
            .filter(|(_, c, _)| *c == Code::FileNameStyle)
            .map(|(p, _, _)| p)
            .collect::<Vec<_>>()
    };
    assert_eq!(width(&["0001-a.md", "0002-b.md", "003-c.md"]), ["exec-plans/active/003-c.md"]);
    assert_eq!(
        width(&["001-a.md", "002-b.md", "0003-c.md", "04-d.md"]),
        ["exec-plans/active/0003-c.md", "exec-plans/active/04-d.md"]
    );
}

#[test]
fn rule7_status_agrees_with_folder() {
    let got = check_files(&[("exec-plans/active/002-done.md", GOOD_DONE)]);
    assert_eq!(got, [("exec-plans/active/002-done.md".into(), Code::StatusFolderMismatch, Some(2))]);
    assert_eq!(
        codes("exec-plans/completed/001-good.md", GOOD_ACTIVE),
        [Code::CompletedWithOpenSteps, Code::StatusFolderMismatch],
        "in completed/, open steps are an error whatever the status says"
    );
}

#[test]
fn rule8_abandoned_plans_say_why() {
    let abandoned =
        GOOD_ACTIVE.replace("**Status**: active", "**Status**: abandoned").replace("- [~] Step 2", "- [ ] Step 2");
    assert_eq!(codes("exec-plans/completed/001-good.md", &abandoned), [Code::AbandonedWithoutReason]);
    let with_reason = abandoned.replace("- 2026-01-07: continue", "- 2026-01-07: Abandoned: superseded by EP-004");
    assert_eq!(codes("exec-plans/completed/001-good.md", &with_reason), []);
    assert_eq!(codes("exec-plans/active/001-good.md", &with_reason), [Code::AbandonedInActive]);
}

#[test]
fn drafts_are_not_held_to_completeness() {
    assert_eq!(codes("exec-plans/active/drafts/001-idea.md", "# EP-001: Idea\n\nMaybe.\n"), []);
}

#[test]
fn open_steps_in_completed_are_an_error_whatever_the_status_says() {
    let text = GOOD_ACTIVE.replace("- [~]", "- [ ]");
    let got = codes("exec-plans/completed/001-good.md", &text);
    assert!(got.contains(&Code::StatusFolderMismatch) && got.contains(&Code::CompletedWithOpenSteps), "{got:?}");
}

#[test]
fn a_finished_plan_left_in_active_is_a_warning() {
    let done_steps = |t: &str| t.replace("- [~]", "- [x]").replace("- [ ]", "- [x]");
    let titled = done_steps(&GOOD_ACTIVE.replace("# EP-001: Good", "# EP-001: Good (COMPLETED)"));
    assert!(codes("exec-plans/active/001-good.md", &titled).contains(&Code::FinishedInActive));
    assert!(
        !codes("exec-plans/active/001-good.md", &done_steps(GOOD_ACTIVE)).contains(&Code::FinishedInActive),
        "no title claim"
    );
    let open = GOOD_ACTIVE.replace("# EP-001: Good", "# EP-001: Good (COMPLETED)");
    assert!(!codes("exec-plans/active/001-good.md", &open).contains(&Code::FinishedInActive), "steps still open");
}

#[test]
fn superseded_plans_are_finished_and_name_what_replaced_them() {
    // Open steps, no retrospective, no Completed date: none of it owed by a superseded plan.
    let superseded = GOOD_ACTIVE.replace("**Status**: active", "**Status**: Superseded by EP-002");
    let files =
        [("exec-plans/completed/001-good.md", superseded.as_str()), ("exec-plans/completed/002-done.md", GOOD_DONE)];
    assert_eq!(check_files(&files), []);
    let bare = GOOD_ACTIVE.replace("**Status**: active", "**Status**: superseded");
    assert_eq!(codes("exec-plans/completed/001-good.md", &bare), [Code::AbandonedWithoutReason]);
    let explained = bare.replace("- 2026-01-07: continue", "- 2026-01-07: replaced by the v2 design");
    assert_eq!(codes("exec-plans/completed/001-good.md", &explained), []);
    assert_eq!(
        check_files(&[
            ("exec-plans/active/001-good.md", superseded.as_str()),
            ("exec-plans/completed/002-done.md", GOOD_DONE)
        ])
        .into_iter()
        .map(|(_, c, _)| c)
        .collect::<Vec<_>>(),
        [Code::AbandonedInActive]
    );
}

#[test]
fn draft_statuses_are_not_held_to_the_in_progress_rules() {
    let draft = GOOD_ACTIVE.replace("**Status**: active", "**Status**: Proposed").replace("- [~]", "- [ ]");
    assert_eq!(codes("exec-plans/active/001-good.md", &draft), [], "no W005");
    let two = GOOD_ACTIVE.replace("**Status**: active", "**Status**: draft").replace("- [ ] Step 3", "- [~] Step 3");
    assert_eq!(codes("exec-plans/active/001-good.md", &two), [], "no E004");
    assert_eq!(
        codes("exec-plans/active/001-good.md", "# EP-001: Idea\n\n**Status**: 草案\n\nMaybe.\n"),
        [],
        "no E001, W022"
    );
    let got = codes("exec-plans/completed/001-good.md", &draft);
    assert_eq!(got, [Code::CompletedWithOpenSteps, Code::StatusFolderMismatch], "a draft in completed/");
}

#[test]
fn checklists_outside_the_steps_keep_out_of_the_step_rules() {
    // All steps done, an open validation checklist: still a clean completed plan, and an active
    // plan whose only open items are criteria is not missing a `[~]` step.
    let done = GOOD_DONE
        .replace("## Decision Log", "## Validation\n- [ ] soak for a week\n- [~] watch dashboards\n## Decision Log");
    assert_eq!(codes("exec-plans/completed/002-done.md", &done), []);
    let active = GOOD_ACTIVE
        .replace("- [~] Step 2: b\n- [ ] Step 3: c", "- [x] Step 2: b\n- [x] Step 3: c")
        .replace("## Decision Log", "## Acceptance criteria\n- [~] a\n- [~] b\n- [ ] c\n## Decision Log");
    assert_eq!(codes("exec-plans/active/001-good.md", &active), []);
}
