//! Statuses, decision logs and checklists as people write them: the status vocabulary (with
//! dates, successors and other languages), decision logs recognised by name, and checklists
//! outside the steps shown as their own checklists.

use crate::support::TestSite;
use std::sync::OnceLock;

const PLANS: &str = "docs/harness/exec-plans";

/// A plan with the mandatory sections around `status`, `steps` and `more` (extra sections).
fn plan(title: &str, status: &str, steps: &str, more: &str) -> String {
    format!(
        "# {title}\n**Status**: {status}\n**Created**: 2026-01-05\n\n## Goal\nA goal.\n## Context\nA reason.\n## Steps\n{steps}\n{more}## Decision Log\n- 2026-01-05: Opened.\n## Retrospective\n### What went well\n- It went.\n"
    )
}

/// One tree for every case, built once.
fn tree() -> &'static TestSite {
    static SITE: OnceLock<TestSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = TestSite::empty();
        let w = |name: &str, text: String| {
            site.write(&format!("{PLANS}/{name}"), text);
        };
        w(
            "active/001-approved.md",
            plan(
                "EP-001: Approved work",
                "Approved",
                "- [x] Step 1: a\n- [~] Step 2: b\n- [ ] Step 3: c",
                "## Validation\nRun it by hand first.\n\n- [x] smoke test passes\n- [ ] soak for a day\n## Acceptance criteria\n- [ ] p99 under 50 ms\n",
            ),
        );
        w(
            "completed/002-shipped.md",
            plan("EP-002: Shipped work", "Shipped on 12 March 2026", "- [x] Step 1: a", ""),
        );
        w(
            "completed/003-old-design.md",
            plan("EP-003: Old design", "Superseded by EP-004", "- [x] Step 1: a\n- [ ] Step 2: b", "")
                .replace("- It went.", "-"),
        );
        w("active/004-new-design.md", plan("EP-004: New design", "进行中", "- [x] Step 1: a\n- [~] Step 2: b", ""));
        w("active/005-idea.md", plan("EP-005: An idea", "Proposed", "- [ ] Step 1: a\n- [ ] Step 2: b", ""));
        w(
            "completed/006-done-in-chinese.md",
            plan("EP-006: 中文计划", "已完成（2026-02-01）", "- [x] Step 1: a", ""),
        );
        w(
            "active/007-comparison.md",
            plan(
                "EP-007: A choice",
                "en curso",
                "- [~] Step 1: choose",
                "## Decision point: SQLite vs Postgres\n\n| | SQLite | Postgres |\n|--|--|--|\n| ops | none | some |\n\n- SQLite is one file\n- Postgres is a server\n- We lean to SQLite\n",
            ),
        );
        w("active/drafts/008-sketch.md", "# EP-008: Sketch\n\n- [ ] maybe this\n- [~] or that\n- [~] or both\n".into());
        site
    })
}

fn built() -> &'static TestSite {
    static BUILT: OnceLock<()> = OnceLock::new();
    let site = tree();
    BUILT.get_or_init(|| {
        let run = site.run(&["build"]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    });
    site
}

fn page(rel: &str) -> String {
    built().read(&format!("site/{rel}"))
}

#[test]
fn the_status_vocabulary_leaves_only_real_problems() {
    let run = tree().run(&["check", "--format", "json"]);
    let got = run.json_codes();
    // Shipped with a date in its status: no E011. Superseded with open steps, an empty
    // retrospective and no Completed date: nothing owed. A draft is not held to W005/E004, a
    // decision point's bullets are not undated decisions (W007), criteria are not steps.
    assert!(got.is_empty(), "{got:#?}");
}

#[test]
fn plan_pages_show_the_state_and_the_status_as_written() {
    let p1 = page("plans/001-approved/index.html");
    assert!(
        p1.contains(r#"<span class="badge status status-active">active</span> <span class="status-written" title="Status as written">Approved</span>"#),
        "{p1}"
    );
    let p2 = page("plans/002-shipped/index.html");
    assert!(p2.contains("status-completed\">completed</span> <span class=\"status-written\""));
    assert!(p2.contains("Shipped on 12 March 2026"));
    assert!(p2.contains(r#"<dt>Completed</dt><dd><time datetime="2026-03-12">"#), "completion date from the status");
    let p6 = page("plans/006-done-in-chinese/index.html");
    assert!(p6.contains("已完成（2026-02-01）") && p6.contains("status-completed\">completed<"));
    let p1_plain = page("plans/001-approved/index.html");
    assert!(!p1_plain.contains("status-written\" title=\"Status as written\">active<"), "no echo of the state's name");
}

#[test]
fn superseded_plans_link_to_their_successor() {
    let p3 = page("plans/003-old-design/index.html");
    assert!(p3.contains("status-superseded\">superseded</span>"), "{p3}");
    assert!(
        p3.contains(r#"<span class="relation">superseded by</span> <a class="ref-link state-active" href="../../plans/004-new-design/index.html""#),
        "{p3}"
    );
    let dashboard = page("index.html");
    let superseded = dashboard
        .split("id=\"superseded-plans\"")
        .nth(1)
        .expect("a Superseded list")
        .split("</section>")
        .next()
        .unwrap();
    assert!(superseded.contains("plans/003-old-design/index.html"));
    let drafts =
        dashboard.split("id=\"draft-plans\"").nth(1).expect("a Drafts section").split("</section>").next().unwrap();
    assert!(drafts.contains("plans/005-idea/index.html") && drafts.contains("plans/008-sketch/index.html"));
    let active = dashboard.split("id=\"active-plans\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(!active.contains("005-idea") && !active.contains("003-old-design"));
    let all = page("plans/index.html");
    for group in ["id=\"draft\"", "id=\"superseded\"", "id=\"active\"", "id=\"completed\""] {
        assert!(all.contains(group), "{group} in {all}");
    }
}

#[test]
fn checklists_outside_the_steps_have_their_own_progress() {
    let p1 = page("plans/001-approved/index.html");
    // Steps: 1 of 3, whatever the checklists say.
    assert!(p1.contains(r#"title="1 of 3 steps done""#), "{p1}");
    let validation =
        p1.split("id=\"validation\"").nth(1).expect("validation section").split("</section>").next().unwrap();
    assert!(validation.contains("1/2 checked"), "{validation}");
    assert!(validation.contains("Run it by hand first."), "the section as written stays");
    let criteria =
        p1.split("id=\"acceptance-criteria\"").nth(1).expect("criteria section").split("</section>").next().unwrap();
    assert!(criteria.contains("0/1 checked"), "{criteria}");
}

#[test]
fn decision_points_are_content() {
    let p7 = page("plans/007-comparison/index.html");
    let log = p7.split("id=\"decision-log\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert_eq!(log.matches("class=\"decision").count(), 1, "one decision, not the bullets: {log}");
    assert!(p7.contains("We lean to SQLite"), "the comparison is shown as written");
}
