//! Trackers and score files in the forms people write besides the template: debt items as
//! headings (with or without IDs, resolved by status, strike-through or a Resolved section),
//! tracker tables without an ID column, and quality scores in any scale (numbers, letters,
//! words, percentages) with one domain per table row. Each tree is checked for no diagnostics,
//! then built, and the pages are read: the debt page, the quality page, the dashboard counts.

use crate::support::TestSite;
use crate::support::site_check::broken_links;

const ACTIVE_PLAN: &str = "# EP-012: CI Cache

**Status**: active
**Created**: 2026-02-01

## Goal

Builds start warm.

## Context

Every CI run downloads its dependencies again.

## Steps

- [x] Step 1: Measure how long the download takes.
- [~] Step 2: Cache the dependency folder per lockfile hash.

## Decision Log

- 2026-02-01: Cache per lockfile hash, not per branch.

## Retrospective

Written when the plan closes.
";

const COMPLETED_PLAN: &str = "# EP-004: New Parser

**Status**: completed
**Created**: 2026-01-02
**Completed**: 2026-01-20

## Goal

Replace the hand-written tokenizer.

## Context

It mis-read nested quotes.

## Steps

- [x] Step 1: Write the grammar.
- [x] Step 2: Switch the callers.

## Decision Log

- 2026-01-02: Use a grammar, not another tokenizer.

## Retrospective

### What went well

- The grammar caught two old bugs.

### What didn't

- Switching callers took longer than planned.

### What to change

- Start with the callers next time.
";

/// A repository with the two plans and `files` (path, text) beside them.
fn tree(files: &[(&str, &str)]) -> TestSite {
    let site = TestSite::empty();
    site.write("docs/harness/exec-plans/active/012-ci-cache.md", ACTIVE_PLAN);
    site.write("docs/harness/exec-plans/completed/004-new-parser.md", COMPLETED_PLAN);
    for (path, text) in files {
        site.write(path, text);
    }
    site
}

/// `planbook check` finds nothing, the site builds with every link whole, and no page repeats
/// an id.
fn check_and_build(site: &TestSite) {
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.json_codes().is_empty(), "false diagnostics: {}", run.stdout);
    let run = site.run(&["build", "--check-links"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let built = site.root().join("site");
    assert!(broken_links(&built).is_empty(), "{:?}", broken_links(&built));
    for page in ["debt/index.html", "quality/index.html", "index.html"] {
        let html = site.read(&format!("site/{page}"));
        let mut ids: Vec<&str> = html.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()).collect();
        ids.sort_unstable();
        let repeated: Vec<_> = ids.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
        assert!(repeated.is_empty(), "{page} repeats ids {repeated:?}");
    }
}

/// The `<tr>` of the item anchored `anchor` on the debt page.
fn row<'a>(debt: &'a str, anchor: &str) -> &'a str {
    let start = debt.find(&format!("<tr id=\"{anchor}\"")).unwrap_or_else(|| panic!("no row `{anchor}` in {debt}"));
    let rest = &debt[start..];
    &rest[..rest.find("</tr>").expect("row ends")]
}

/// The dashboard's open debt count.
fn open_debt_stat(dashboard: &str) -> &str {
    let before = dashboard.split("<span class=\"stat-label\">open debt items").next().expect("stat");
    before.rsplit("<span class=\"stat-value\">").next().expect("value").trim_end_matches("</span>")
}

const HEADING_TRACKER: &str = "# Engineering debt

Each item is a heading; resolved items move under Resolved.

## Open

### Slow CI builds

- Status: in progress
- Priority: P1
- Plan: EP-012

Every run starts with a cold dependency cache.

#### Notes

The runners are ephemeral.

### TD-031: Config loader reads the environment twice

- **Status**: open
- **Severity**: low

## Resolved

### Slow CI builds

**Status:** done
**Resolved:** 2026-02-03

An older slowness: the lint job ran twice.

### ~~Leaky temp files~~

Gone since the uploader uses temporary file handles.

### Hand-written tokenizer

- Resolved: 2026-01-20
- Plan: [the parser plan](exec-plans/completed/004-new-parser.md)

## How to add an item

1. Add a `###` heading under Open.
2. Give it a Status and a Priority.
";

#[test]
fn heading_form_tracker_items_with_and_without_ids() {
    let linked =
        ACTIVE_PLAN.replace("again.", "again; see [the debt item](../../TECH_DEBT_TRACKER.md#slow-ci-builds).");
    let site = tree(&[
        ("docs/harness/TECH_DEBT_TRACKER.md", HEADING_TRACKER),
        ("docs/harness/exec-plans/active/012-ci-cache.md", &linked),
    ]);
    check_and_build(&site);
    let debt = site.read("site/debt/index.html");
    assert!(debt.contains("2 open, 3 resolved or accepted"), "{debt}");

    let slow = row(&debt, "slow-ci-builds");
    assert!(slow.contains("Slow CI builds") && slow.contains("state-in-progress"), "{slow}");
    assert!(slow.contains("priority-p1"), "{slow}");
    assert!(slow.contains("plans/012-ci-cache/index.html"), "Plan: EP-012 links the plan: {slow}");
    assert!(slow.contains("<span class=\"none\">—</span></th>"), "no ID, no `#` for one: {slow}");
    assert!(slow.contains("The runners are ephemeral."), "the sub-heading belongs to the item: {slow}");

    let td = row(&debt, "td-031");
    assert!(td.contains(">TD-031</a>") && td.contains("Config loader reads the environment twice"), "{td}");
    assert!(td.contains("state-open") && td.contains(">low</span>"), "{td}");

    let again = row(&debt, "slow-ci-builds-2");
    assert!(again.contains("state-resolved") && again.contains("datetime=\"2026-02-03\""), "{again}");
    assert!(row(&debt, "leaky-temp-files").contains("state-resolved"));
    let tokenizer = row(&debt, "hand-written-tokenizer");
    assert!(tokenizer.contains("state-resolved") && tokenizer.contains("datetime=\"2026-01-20\""), "{tokenizer}");
    assert!(tokenizer.contains("plans/004-new-parser/index.html"), "a link to a plan links it: {tokenizer}");
    assert!(!debt.contains("<tr id=\"how-to-add-an-item\""), "the tracker's own prose is no item");

    // A link written for GitHub (`TECH_DEBT_TRACKER.md#slow-ci-builds`) lands on the item.
    let plan = site.read("site/plans/012-ci-cache/index.html");
    assert!(plan.contains("debt/index.html#slow-ci-builds\""), "{plan}");
    assert_eq!(open_debt_stat(&site.read("site/index.html")), "2");
}

const TABLE_TRACKER: &str = "# Debt

## Priorities

| Priority | Meaning |
| --- | --- |
| P1 | This quarter |
| P2 | When the area is next touched |

## Items

| Item | Status | Owner | Priority |
| --- | --- | --- | --- |
| Retry storms after deploys | open | Ana | P1 |
| ~~Unpinned base image~~ | done | Li | P2 |
| Flaky clock in tests | in progress | Ana | P2 |
| Flaky clock in tests | open | Li | P3 |
";

#[test]
fn tracker_table_without_an_id_column() {
    let site = tree(&[("docs/harness/TECH_DEBT_TRACKER.md", TABLE_TRACKER)]);
    check_and_build(&site);
    let debt = site.read("site/debt/index.html");
    assert!(debt.contains("3 open, 1 resolved or accepted"), "the legend is no item: {debt}");
    assert!(!debt.contains("data-sort=\"text\">ID</th>"), "no item has an ID: no ID column");
    let retry = row(&debt, "retry-storms-after-deploys");
    assert!(
        retry.contains(
            "<div>Retry storms after deploys <a class=\"anchor-link item-anchor\" href=\"#retry-storms-after-deploys\""
        ),
        "{retry}"
    );
    assert!(retry.contains("priority-p1") && retry.contains("<dd>Ana</dd>"), "{retry}");
    assert!(row(&debt, "unpinned-base-image").contains("state-resolved"));
    assert!(row(&debt, "flaky-clock-in-tests").contains("state-in-progress"));
    assert!(row(&debt, "flaky-clock-in-tests-2").contains("state-open"), "equal titles get -2");
    assert_eq!(open_debt_stat(&site.read("site/index.html")), "3");
    let charts = site.read("site/charts/index.html");
    assert!(charts.contains("Open debt by priority"), "{charts}");
}

/// The `<section>` of the domain anchored `anchor` on the quality page.
fn domain<'a>(quality: &'a str, anchor: &str) -> &'a str {
    let start = quality
        .find(&format!("<section class=\"card domain\" id=\"{anchor}\""))
        .unwrap_or_else(|| panic!("no domain `{anchor}` in {quality}"));
    let rest = &quality[start..];
    &rest[..rest.find("</section>").expect("section ends")]
}

#[test]
fn quality_areas_scored_zero_to_four() {
    let site = tree(&[(
        "docs/harness/QUALITY_SCORE.md",
        "# Quality scores\n\nScores run from 0 (missing) to 4 (exemplary).\n\n| Area | Score | Notes |\n| --- | --- | --- |\n| Ingest | 3 | Retries covered |\n| Query engine | 4 | |\n| Admin UI | 1 | No tests yet |\n| Billing | n/a | Not graded this quarter |\n",
    )]);
    check_and_build(&site);
    let q = site.read("site/quality/index.html");
    assert!(q.contains("4 graded domains"), "every row is a domain: {q}");
    let ingest = domain(&q, "ingest");
    assert!(
        ingest.contains("class=\"badge grade grade-c\" title=\"3 on a 0–4 scale (inferred from the largest value): 75/100\">3</span>"),
        "{ingest}"
    );
    assert!(ingest.contains("<dt>Notes</dt><dd>Retries covered</dd>"), "{ingest}");
    assert!(domain(&q, "query-engine").contains("grade-a\""));
    assert!(domain(&q, "admin-ui").contains("grade-f\""));
    assert!(
        domain(&q, "billing").contains("<span class=\"grade-raw\" title=\"not read as a grade\">n/a</span>"),
        "kept as written"
    );
    assert!(q.contains("<li><a href=\"#billing\">Billing</a>"), "in the index too");
}

#[test]
fn quality_grades_in_mixed_scales_beside_domain_sections() {
    let site = tree(&[
        (
            "docs/harness/QUALITY_SCORE.md",
            "# Quality\n\n## Grading rubric\n\n| Grade | Meaning |\n| --- | --- |\n| A | Tested and documented |\n\n## Current grades\n\n| Component | Rating (1-5) | Owner |\n| --- | --- | --- |\n| Sync | 4 | Ana |\n| Search | 3/5 | Li |\n| Auth | good | Li |\n| Exports | B+ | Ana |\n| Storage | 62% | Li |\n\n## Storage\n\n**Scope**: `src/storage/`\n\n| Dimension | Level | Notes |\n| --- | --- | --- |\n| Durability | excellent | Two copies, see TD-002 |\n| Cost | poor | |\n",
        ),
        (
            "docs/harness/TECH_DEBT_TRACKER.md",
            "# Debt\n\n| ID | Description | Status |\n| --- | --- | --- |\n| TD-002 | Second copy is manual | open |\n",
        ),
    ]);
    check_and_build(&site);
    let q = site.read("site/quality/index.html");
    assert!(q.contains("5 graded domains"), "four rows and the Storage section (its row restates it): {q}");
    let badge = |anchor: &str| {
        let d = domain(&q, anchor);
        let at = d.find("<span class=\"badge grade grade-").unwrap_or_else(|| panic!("no badge in {d}"));
        d[at..].split("</span>").next().unwrap().to_string()
    };
    assert!(
        badge("sync").contains("grade-c\" title=\"4 on a 1–5 scale (from the header): 75/100\">4"),
        "{}",
        badge("sync")
    );
    assert!(badge("search").contains("grade-d\"") && badge("search").contains(">3/5"));
    assert!(badge("auth").contains("grade-b\"") && badge("auth").contains(">good"));
    assert!(badge("exports").contains("grade-b\"") && badge("exports").contains(">B+"));
    let storage = domain(&q, "storage");
    assert!(storage.contains("grade-a\" title=\"excellent, read as 95/100\">excellent"), "{storage}");
    assert!(storage.contains("grade-f\"") && storage.contains("debt/index.html#td-002"), "{storage}");
    assert!(!q.contains("id=\"grading-rubric\" aria"), "a rubric is no domain");
}

/// Every badge colour pair in the default theme keeps WCAG AA contrast (4.5:1) in the light
/// and the dark scheme.
#[test]
fn badge_colours_keep_aa_contrast_in_both_schemes() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/assets/style.css")).unwrap();
    let vars = |block: &str| -> Vec<(String, String)> {
        block
            .lines()
            .filter_map(|l| l.trim().strip_prefix("--"))
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_string(), v.trim().trim_end_matches(';').to_string()))
            .collect()
    };
    let light = vars(css.split(":root {").nth(1).unwrap().split('}').next().unwrap());
    let dark_block = css.split("@media (prefers-color-scheme: dark)").nth(1).unwrap();
    let dark = vars(dark_block.split(":root {").nth(1).unwrap().split('}').next().unwrap());
    let luminance = |hex: &str| {
        let hex = hex.trim_start_matches('#');
        let hex = if hex.len() == 3 { hex.chars().flat_map(|c| [c, c]).collect() } else { hex.to_string() };
        let channel = |i: usize| {
            let c = u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as f64 / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    };
    let mut checked = 0;
    for rule in css.lines().filter(|l| {
        let l = l.trim_start();
        [".grade-", ".debt-", ".priority-", ".status-"].iter().any(|p| l.starts_with(p)) && l.contains("background:")
    }) {
        let prop =
            |name: &str| rule.split(&format!("{name}:")).nth(1).unwrap().split(';').next().unwrap().trim().to_string();
        let (fg, bg) = (prop(" color"), prop("background"));
        for (scheme, overrides) in [("light", &Vec::new()), ("dark", &dark)] {
            let resolve = |v: &str| -> String {
                match v.strip_prefix("var(--").and_then(|v| v.strip_suffix(')')) {
                    Some(name) => overrides
                        .iter()
                        .chain(light.iter())
                        .find(|(k, _)| k == name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_else(|| panic!("no --{name}")),
                    None => v.to_string(),
                }
            };
            let (a, b) = (luminance(&resolve(&fg)), luminance(&resolve(&bg)));
            let ratio = (a.max(b) + 0.05) / (a.min(b) + 0.05);
            assert!(ratio >= 4.5, "{rule} in the {scheme} scheme: {ratio:.2}:1");
            checked += 1;
        }
    }
    assert!(checked >= 20, "the badge rules were found ({checked})");
}
