//! Cross-references: every `EP-NNN` / `TD-NNN` and harness path becomes a link, backlink panels
//! list who refers, and broken references are diagnostics.

use crate::support::site_check::{broken_links, unlinked_ids};
use crate::support::{Run, TestSite};
use std::sync::OnceLock;

fn example() -> &'static TestSite {
    static SITE: OnceLock<TestSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = TestSite::copy_of("content-example");
        assert_eq!(site.run(&["build"]).code, 0);
        site
    })
}

fn page(rel: &str) -> String {
    example().read(&format!("site/{rel}"))
}

fn codes(run: &Run) -> Vec<(String, String, Option<u64>)> {
    run.json_codes()
}

#[test]
fn every_reference_in_the_example_is_a_link() {
    let site = example().root().join("site");
    let unlinked: Vec<_> = unlinked_ids(&site)
        .into_iter()
        // A plan does not link to itself on its own page (title, crumbs).
        .filter(|(page, id)| {
            let n: u32 = id[3..].parse().unwrap();
            !(id.starts_with("EP-") && page.starts_with(&format!("plans/{n:03}-")))
        })
        .collect();
    assert!(unlinked.is_empty(), "references left as text: {unlinked:#?}");
    assert!(broken_links(&site).is_empty());
}

#[test]
fn references_link_with_a_hover_title() {
    let html = page("plans/009-garbage-collection/index.html");
    assert!(
        html.contains(r#"<a href="../../plans/001-storage-backend-trait/index.html" class="ref ref-plan" title="EP-001: Storage Backend Trait (completed)">EP-001</a>"#),
        "{html}"
    );
    assert!(html.contains(r#"href="../../debt/index.html#td-006" class="ref ref-debt" title="TD-006: "#));
    let agents = page("docs/AGENTS/index.html");
    assert!(agents.contains(r#"href="../../plans/009-garbage-collection/index.html""#), "backticked path linked");
    assert!(agents.contains(r#"href="../../plans/004-resumable-uploads/index.html""#), "stale path resolved by number");
}

#[test]
fn plan_pages_list_everything_that_refers_to_them() {
    let html = page("plans/009-garbage-collection/index.html");
    let panel = html.split("id=\"referenced-by\"").nth(1).expect("panel").split("</section>").next().unwrap();
    for expected in [
        "plans/004-resumable-uploads/index.html",
        "debt/index.html#td-006",
        "debt/index.html#td-007",
        "quality/index.html#storage",
        "docs/AGENTS/index.html",
        "docs/ARCHITECTURE_NOTES/index.html",
        "https://github.com/example/harbor/blob/HEAD/src/gc/sweep.rs#L1",
        "src/gc/sweep.rs:58",
    ] {
        assert!(panel.contains(expected), "missing {expected} in {panel}");
    }
    let p8 = page("plans/008-http-cache-headers/index.html");
    assert!(
        p8.contains("<span class=\"relation\">supersedes</span> <a class=\"ref-link state-abandoned\""),
        "typed relation shown"
    );
    let p6 = page("plans/006-redis-cache-layer/index.html");
    assert!(p6.contains("state-active\" href=\"../../plans/008-http-cache-headers/index.html\" title=\"HTTP Cache Headers\">EP-008</a> <span class=\"relation\">supersedes</span>"), "incoming relation labelled");
}

#[test]
fn debt_items_show_plans_both_ways_and_code() {
    let html = page("debt/index.html");
    let td7 = html.split("<tr id=\"td-007\"").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(td7.contains("plans/009-garbage-collection/index.html"), "{td7}");
    let td8 = html.split("<tr id=\"td-008\"").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(td8.contains("<span class=\"relation\">resolves</span>"), "EP-008 resolves TD-008: {td8}");
}

#[test]
fn graph_page_draws_and_tabulates_relations() {
    let html = page("graph/index.html");
    assert!(html.contains("<svg class=\"graph\""));
    assert!(html.contains("<a href=\"../plans/009-garbage-collection/index.html\" class=\"node state-active\">"));
    assert!(html.contains("<td>supersedes</td>"));
    assert!(!html.contains(" style="), "no inline styles");
}

#[test]
fn references_in_code_blocks_are_neither_links_nor_diagnostics() {
    let site = TestSite::empty();
    site.write(
        "docs/harness/exec-plans/active/001-a.md",
        "# EP-001: A\n\nSee EP-002.\n\n```text\nEP-999 in a code block\n```\n\nAnd `EP-998` in code.\n",
    );
    site.write("docs/harness/exec-plans/completed/002-b.md", "# EP-002: B\n");
    let run = site.run(&["check", "--format", "json"]);
    assert!(!codes(&run).iter().any(|(c, ..)| c == "E027"), "{}", run.stdout);
    assert_eq!(site.run(&["build"]).code, 0);
    let html = site.read("site/plans/001-a/index.html");
    assert!(html.contains("EP-999 in a code block") && !html.contains("title=\"no plan EP-999"));
    assert!(html.contains(r#"href="../../plans/002-b/index.html""#));
}

#[test]
fn a_reference_to_a_missing_plan_is_an_error_with_line_and_column() {
    let site = TestSite::copy_of("content-example");
    site.write("src/extra.rs", "fn f() {}\n\n    // Tracked by EP-042.\n");
    let run = site.run(&["check", "--color", "never"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("error[E027]: unresolved reference `EP-042`: there is no plan 42"), "{}", run.stdout);
    assert!(run.stdout.contains("--> src/extra.rs:3:19"), "{}", run.stdout);
    assert!(run.stdout.contains("= help: closest existing plan: `EP-013`"), "{}", run.stdout);
    let run = site.run(&["build", "--strict"]);
    assert_eq!(run.code, 1, "a broken reference never deploys silently");
}

#[test]
fn a_moved_plans_old_path_resolves_with_a_warning() {
    let run = TestSite::copy_of("content-example").run(&["check", "--format", "json"]);
    let w = codes(&run).into_iter().find(|(c, ..)| c == "W029").expect("stale path warning");
    assert_eq!((w.1.as_str(), w.2), ("AGENTS.md", Some(42)));
    assert!(run.stdout.contains("is now at `docs/harness/exec-plans/completed/004-resumable-uploads.md`"));
}

#[test]
fn references_in_gitignored_and_excluded_folders_are_ignored() {
    let site = TestSite::empty();
    site.write("docs/harness/exec-plans/active/001-a.md", "# EP-001: A\n");
    site.write(".gitignore", "build/\n");
    site.write("build/gen.rs", "// EP-777\n");
    site.write("vendor/lib.rs", "// EP-778\n");
    site.write("src/ok.rs", "// See EP-001\n");
    site.write("planbook.yaml", "exclude: [vendor]\n");
    site.write("assets/blob.bin", b"EP-779\0binary");
    let run = site.run(&["check", "--format", "json"]);
    let errors: Vec<_> = codes(&run).into_iter().filter(|(c, ..)| c.starts_with("E02")).collect();
    assert!(errors.is_empty(), "{errors:?}");
}
