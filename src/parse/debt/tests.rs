use super::*;

fn parse(text: &str) -> DebtTracker {
    let (t, d) = parse_debt("TECH_DEBT_TRACKER.md", text, Html(None));
    assert!(d.is_empty(), "{d:#?}");
    t
}

/// (anchor, title, status) of every item.
fn items(t: &DebtTracker) -> Vec<(&str, &str, DebtStatusKind)> {
    t.items.iter().map(|i| (i.anchor.as_str(), i.title.as_str(), i.status.kind)).collect()
}

use DebtStatusKind::{InProgress, Open, Resolved};

#[test]
fn table_rows_by_column_name() {
    let t = parse(
        "# Tech Debt\n\n| ID | Area | Description | Priority | Status | Notes |\n|---|---|---|---|---|---|\n| TD-001 | Docs | Sprawl \\| stale | P1 | in-progress | see [EP-001](x.md) |\n| TD-2 | CI | No CI | P2 | resolved | |\n",
    );
    assert_eq!(t.title, "Tech Debt");
    assert_eq!(t.items.len(), 2);
    let a = &t.items[0];
    assert_eq!((a.id, a.anchor.as_str(), a.title.as_str()), (Some(DebtId(1)), "td-001", "Sprawl | stale"));
    assert_eq!((a.status.kind, a.priority.as_deref()), (InProgress, Some("P1")));
    assert_eq!(a.field("notes"), Some("see EP-001"));
    assert_eq!(a.field("Area"), Some("Docs"));
    assert_eq!(t.items[1].status.kind, Resolved);
    assert_eq!(a.span.line, 5);
}

#[test]
fn struck_rows_are_resolved_and_tables_merge() {
    let t = parse(
        "## Active Debt\n\n| ID | Category | Description | Impact | Priority |\n|---|---|---|---|---|\n| ~~TD-018~~ | ~~ICE~~ | ~~Single txid~~ | ~~High~~ | ~~Phase 8~~ |\n| TD-019 | ICE | Relay | High | Phase 5 |\n\n## Resolved Debt\n\n| ID | Resolved | Resolution |\n|---|---|---|\n| TD-018 | 2026-04-13 | Pending table |\n",
    );
    assert_eq!(t.items.len(), 2);
    let a = &t.items[0];
    assert_eq!(a.status.kind, Resolved);
    assert_eq!(a.field("Resolution"), Some("Pending table"));
    assert_eq!(a.resolved_on.map(|d| d.to_string()).as_deref(), Some("2026-04-13"));
    assert_eq!(a.priority.as_deref(), Some("High"), "Priority column holds a phase; Impact is used");
    assert_eq!(t.items[1].status.kind, Open);
    assert_eq!(a.group.as_deref(), Some("Active Debt"));
}

#[test]
fn heading_per_item() {
    let t = parse(
        "# Debt\n\n### TD-004: Flaky upload test\n\n**Status**: open\n**Priority**: P2\n\nRetries hide a race. See EP-003.\n\n### ~~TD-005~~: Old parser\n\n**Status**: resolved\n",
    );
    assert_eq!(t.items.len(), 2);
    let a = &t.items[0];
    assert_eq!((a.title.as_str(), a.status.kind, a.priority.as_deref()), ("Flaky upload test", Open, Some("P2")));
    assert_eq!(a.field("Description"), Some("Retries hide a race. See EP-003."));
    assert_eq!(t.items[1].status.kind, Resolved);
}

#[test]
fn checkbox_lists() {
    let t = parse("## Tasks\n\n- [x] Add CI workflow\n- [ ] Define retention\n- [ ] TD-007: Evaluate Kafka\n");
    assert_eq!(
        items(&t),
        [
            ("add-ci-workflow", "Add CI workflow", Resolved),
            ("define-retention", "Define retention", Open),
            ("td-007", "Evaluate Kafka", Open),
        ]
    );
}

#[test]
fn duplicate_ids_in_one_table_are_reported() {
    let (t, d) = parse_debt("t.md", "| ID | Description |\n|---|---|\n| TD-1 | a |\n| TD-1 | b |\n", Html(None));
    assert_eq!(t.items.len(), 1);
    assert_eq!(d[0].code, Code::DuplicateDebtItem);
    assert_eq!(d[0].span.map(|s| s.line), Some(4));
}

#[test]
fn heading_items_without_ids_under_open_and_resolved_sections() {
    let t = parse(
        "# Debt\n\nWhat we owe.\n\n## Open\n\n### Slow CI builds\n\n- Status: in progress\n- Priority: P1\n- Plan: EP-012\n\nThe cache is cold on every run.\n\n#### Notes\n\nSee the runner logs.\n\n### Config loader reads env twice\n\n- **Status**: open\n- **Severity**: low\n\n## Resolved\n\n### Slow CI builds\n\n**Status:** done\n**Resolved:** 2026-02-03\n\n### ~~Leaky temp files~~\n\nFixed long ago.\n\n### Old parser\n\nReplaced by EP-004.\n",
    );
    assert_eq!(
        items(&t),
        [
            ("slow-ci-builds", "Slow CI builds", InProgress),
            ("config-loader-reads-env-twice", "Config loader reads env twice", Open),
            ("slow-ci-builds-2", "Slow CI builds", Resolved),
            ("leaky-temp-files", "Leaky temp files", Resolved),
            ("old-parser", "Old parser", Resolved),
        ]
    );
    let slow = &t.items[0];
    assert_eq!(slow.id, None);
    assert_eq!(slow.priority.as_deref(), Some("P1"));
    assert_eq!(slow.field("Plan"), Some("EP-012"));
    assert_eq!(slow.field("Description"), Some("The cache is cold on every run. Notes See the runner logs."));
    assert_eq!(slow.group.as_deref(), Some("Open"));
    assert!(slow.refs.iter().any(|r| r.target == crate::model::RefTarget::Plan(crate::model::PlanNumber(12))));
    assert_eq!(t.items[1].priority.as_deref(), Some("low"));
    assert_eq!(t.items[2].resolved_on.map(|d| d.to_string()).as_deref(), Some("2026-02-03"));
    assert_eq!(t.items[2].group.as_deref(), Some("Resolved"));
    assert_eq!(t.items[4].span.line, 35);
}

#[test]
fn heading_items_right_under_the_title_leave_the_tracker_prose_alone() {
    let t = parse(
        "# Tech debt\n\n## Legend\n\n- **Status**: open, in progress or resolved\n\n## Flaky upload test\n\nStatus: open\n\n## TD-009: Slow search\n\n- Status: resolved (2026-05-01)\n\n## How to add an item\n\n1. Copy a heading.\n2. Set its Status.\n",
    );
    assert_eq!(items(&t), [("flaky-upload-test", "Flaky upload test", Open), ("td-009", "Slow search", Resolved)]);
    assert_eq!(t.items[1].resolved_on.map(|d| d.to_string()).as_deref(), Some("2026-05-01"));
    assert_eq!(t.items[0].group, None);
}

#[test]
fn sub_task_lists_belong_to_their_heading_item() {
    let t = parse(
        "# Debt\n\n## Queue backpressure\n\n- Status: open\n- [ ] add a bound\n- [ ] shed load\n\n### Plan\n\n- [ ] measure first\n",
    );
    assert_eq!(items(&t), [("queue-backpressure", "Queue backpressure", Open)]);
}

#[test]
fn tables_without_an_id_column() {
    let t = parse(
        "# Debt\n\n## Priorities\n\n| Priority | Meaning |\n|---|---|\n| P1 | soon |\n\n## Items\n\n| Item | Status | Owner |\n|---|---|---|\n| Retry storms on deploy | open | ana |\n| ~~Unpinned base image~~ | done | li |\n| Retry storms on deploy | open | li |\n\n| # | Component | Status | Plan |\n|---|---|---|---|\n| 1 | Billing export | in progress | EP-003 |\n",
    );
    assert_eq!(
        items(&t),
        [
            ("retry-storms-on-deploy", "Retry storms on deploy", Open),
            ("unpinned-base-image", "Unpinned base image", Resolved),
            ("retry-storms-on-deploy-2", "Retry storms on deploy", Open),
            ("billing-export", "Billing export", InProgress),
        ]
    );
    assert_eq!(t.items[0].field("Owner"), Some("ana"));
    let log = parse("## Review log\n\n| Date | Reviewer | Status |\n|---|---|---|\n| 2026-01-02 | ana | done |\n");
    assert!(log.items.is_empty(), "a log is no tracker table");
    assert_eq!(t.items[3].field("#"), Some("1"));
}

#[test]
fn anchors_of_long_titles_are_capped_and_ids_keep_theirs() {
    let long = "word ".repeat(30);
    let t = parse(&format!(
        "## Tasks\n\n- [ ] TD 4\n- [ ] {long}\n- [ ] Ärger über Ümläute\n- [ ] ???\n\n| ID | Description | Status |\n|---|---|---|\n| TD-004 | x | open |\n"
    ));
    let anchors: Vec<&str> = t.items.iter().map(|i| i.anchor.as_str()).collect();
    assert_eq!(anchors[0], "td-4");
    assert!(
        anchors[1].chars().count() <= MAX_ANCHOR && anchors[1].starts_with("word-word") && !anchors[1].ends_with('-')
    );
    assert_eq!(anchors[2..], ["ärger-über-ümläute", "item", "td-004"]);
}

#[test]
fn capped_cuts_at_characters() {
    assert_eq!(capped("ab".into(), 4), "ab");
    assert_eq!(capped("éééé-ééé".into(), 6), "éééé");
    assert_eq!(capped("éééééééé".into(), 3), "ééé");
}

#[test]
fn fields_in_a_two_column_table_under_the_heading() {
    let t = parse(
        "# Debt\n\n## Token cache never expires\n\n| Field | Value |\n|---|---|\n| Status | resolved |\n| Resolved | 2026-04-02 |\n| Priority | P2 |\n\nFixed by EP-007.\n",
    );
    assert_eq!(items(&t), [("token-cache-never-expires", "Token cache never expires", Resolved)]);
    let i = &t.items[0];
    assert_eq!((i.priority.as_deref(), i.resolved_on.map(|d| d.to_string())), (Some("P2"), Some("2026-04-02".into())));
    assert_eq!(i.field("Description"), Some("Fixed by EP-007."));
}

#[test]
fn a_field_table_without_a_header_row() {
    let t = parse("# Debt\n\n### Cold start\n\n| Status: | open |\n|---|---|\n| Priority: | P3 |\n");
    assert_eq!(items(&t), [("cold-start", "Cold start", Open)]);
    assert_eq!(t.items[0].priority.as_deref(), Some("P3"));
}
