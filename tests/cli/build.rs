//! `planbook build`: pages, content, links, determinism, atomicity, safety.

use crate::support::site_check::{broken_links, files};
use crate::support::{TestSite, planbook};
use std::sync::OnceLock;

/// content-example built once for the read-only tests of this module.
fn example_site() -> &'static TestSite {
    static SITE: OnceLock<TestSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = TestSite::copy_of("content-example");
        let run = site.run(&["build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(run.stderr.contains("built "), "{}", run.stderr);
        site
    })
}

fn page(rel: &str) -> String {
    example_site().read(&format!("site/{rel}"))
}

const PLANS: [&str; 13] = [
    "001-storage-backend-trait",
    "002-ci-pipeline-split",
    "003-sqlite-metadata-store",
    "004-resumable-uploads",
    "005-structured-logging",
    "006-redis-cache-layer",
    "007-auth-token-rotation",
    "008-http-cache-headers",
    "009-garbage-collection",
    "010-mirror-sync-scheduler",
    "011-search-api",
    "012-observability-dashboards",
    "013-api-versioning",
];

#[test]
fn every_page_of_the_contract_exists() {
    let all = files(&example_site().root().join("site"));
    let mut expected: Vec<String> = [
        "index.html",
        "404.html",
        ".nojekyll",
        ".planbook-site",
        "plans/index.html",
        "debt/index.html",
        "quality/index.html",
        "docs/index.html",
        "docs/INDEX/index.html",
        "docs/ARCHITECTURE_NOTES/index.html",
        "docs/AGENTS/index.html",
        "docs/LOCALIZATION_NOTES/index.html",
        // The draft in `.vtcode/plans/`, a Proposal.
        "proposals/artifact-signing/index.html",
        "graph/index.html",
        "timeline/index.html",
        "retrospectives/index.html",
        "retrospectives/lessons/index.html",
        "charts/index.html",
        "search/index.html",
        "feed.xml",
        "robots.txt",
    ]
    .map(String::from)
    .to_vec();
    expected.extend(PLANS.iter().map(|p| format!("plans/{p}/index.html")));
    for e in &expected {
        assert!(all.contains(e), "missing {e}; have {all:?}");
    }
    let assets: Vec<_> = all.iter().filter(|f| f.starts_with("assets/")).collect();
    assert_eq!(assets.len(), 3, "{assets:?}");
    assert!(assets.iter().any(|a| a.starts_with("assets/favicon.") && a.ends_with(".svg")));
    assert!(assets.iter().any(|a| a.starts_with("assets/style.") && a.ends_with(".css")));
    assert!(assets.iter().any(|a| a.starts_with("assets/app.") && a.ends_with(".js")));
    // The search index: its meta file, term shards, fragments, the fragment directory and one
    // file per facet, all content-named.
    let index: Vec<_> = all.iter().filter(|f| f.starts_with("search/") && *f != "search/index.html").collect();
    let named = |prefix: &str, ext: &str| index.iter().filter(|f| f.starts_with(prefix) && f.ends_with(ext)).count();
    assert_eq!(named("search/index.", ".json"), 1, "{index:?}");
    assert!(named("search/t.", ".bin") >= 1 && named("search/f.", ".bin") >= 1, "{index:?}");
    for facet in ["search/k.", "search/s.", "search/y.", "search/a.", "search/d."] {
        assert_eq!(named(facet, ".bin"), 1, "{facet}: {index:?}");
    }
    assert_eq!(all.len(), expected.len() + 3 + index.len(), "no unexpected files: {all:?}");
    assert_eq!(
        index.len(),
        named("search/index.", ".json") + named("search/t.", ".bin") + named("search/f.", ".bin") + 5,
        "{index:?}"
    );
}

#[test]
fn every_internal_link_resolves() {
    let broken = broken_links(&example_site().root().join("site"));
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn dashboard_shows_where_plans_stand() {
    let html = page("index.html");
    assert!(html.contains("<title>Harbor</title>"), "title from planbook.yaml");
    // Headline counts: 6 active, 2 blocked (009, 010), 7 open debt items.
    for (value, label) in [("6", "active"), ("2", "blocked"), ("7", "open debt items")] {
        let needle = format!("<span class=\"stat-value\">{value}</span><span class=\"stat-label\">{label}</span>");
        assert!(html.contains(&needle), "missing {needle}");
    }
    assert!(
        html.contains(r#"data-quarter-count>1</span>"#) && html.contains("2026 Q4"),
        "one plan completed in 2026 Q4"
    );
    let active = html.split("id=\"active-plans\"").nth(1).unwrap().split("id=\"completed-plans\"").next().unwrap();
    assert_eq!(active.matches("class=\"card plan-card").count(), 6);
    assert!(active.contains("<span class=\"progress-text\">4/7</span>"), "EP-008 progress");
    assert!(active.contains("Replay one week of demo-instance traffic"), "current step of EP-008");
    assert!(active.contains("waiting for the storage team"), "blocked reason of EP-009");
    assert!(active.contains(r#"data-age-from="2026-06-08""#), "age computed in the browser, not at build time");
    let completed = html.split("id=\"completed-plans\"").nth(1).unwrap();
    assert!(completed.contains("<td>29 days</td>"), "EP-001 took 29 days");
    assert!(html.contains("Redis Cache Layer"), "abandoned plan listed");
}

#[test]
fn plan_page_has_every_part() {
    let html = page("plans/008-http-cache-headers/index.html");
    assert!(html.contains("<span class=\"plan-id\">EP-008</span> HTTP Cache Headers</h1>"));
    assert!(html.contains("class=\"callout goal\""));
    assert_eq!(html.matches("<li class=\"step step-").count(), 7);
    assert_eq!(html.matches("class=\"step step-done").count(), 4);
    assert_eq!(html.matches("class=\"step step-in-progress").count(), 1);
    assert!(
        html.contains("<span class=\"label\">Outcome</span>") && html.contains("<span class=\"label\">Verify</span>")
    );
    assert_eq!(html.matches("<li class=\"decision").count(), 5, "every decision on the timeline");
    assert!(html.contains("<time datetime=\"2026-06-08\">2026-06-08</time>"));
    assert!(html.contains(
        "https://github.com/example/harbor/blob/HEAD/docs/harness/exec-plans/active/008-http-cache-headers.md"
    ));
    assert!(html.contains("https://github.com/example/harbor/edit/HEAD/"));
    assert!(html.contains("rel=\"prev\"") && html.contains("EP-007") && html.contains("rel=\"next\""));
    // A relative link to another plan's file points at that plan's page.
    assert!(html.contains("href=\"../../plans/006-redis-cache-layer/index.html\""), "moved-plan link rewritten");
    // Code in Context is highlighted with classes, never inline styles.
    let p1 = page("plans/001-storage-backend-trait/index.html");
    assert!(p1.contains("class=\"hl-"), "highlighted code");
    assert!(!p1.contains(" style="), "no inline styles");
}

#[test]
fn completed_plan_shows_its_retrospective_in_three_parts() {
    let html = page("plans/002-ci-pipeline-split/index.html");
    for part in ["went-well", "went-wrong", "to-change"] {
        let section = html.split(&format!("retro-part {part}")).nth(1).expect(part).split("</section>").next().unwrap();
        assert!(section.contains("<li>") && !section.contains("Nothing noted"), "{part} has entries");
    }
    let blocked = page("plans/010-mirror-sync-scheduler/index.html");
    assert!(blocked.contains("no reason given"), "E006 visible on the page");
}

#[test]
fn debt_page_has_an_anchor_per_item_and_links_plans() {
    let html = page("debt/index.html");
    for n in 1..=12 {
        assert!(html.contains(&format!("<tr id=\"td-{n:03}\"")), "anchor td-{n:03}");
    }
    let td9 = html.split("<tr id=\"td-009\"").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(td9.contains("href=\"../plans/010-mirror-sync-scheduler/index.html\""), "{td9}");
    assert!(html.contains("<details class=\"block resolved\" id=\"resolved\">"), "resolved items collapsible");
    assert!(html.contains("du -sh data/blobs/sha256/* | sort -h | tail"), "escaped pipes in a cell");
}

#[test]
fn quality_page_grades_domains_and_links_debt() {
    let html = page("quality/index.html");
    for domain in ["Storage", "API", "Web UI", "Sync", "Observability", "Security"] {
        assert!(html.contains(&format!(">{domain}</h2>")), "{domain}");
    }
    assert!(html.contains("class=\"badge grade grade-"));
    assert!(html.contains("href=\"../debt/index.html#td-006\""), "related debt linked");
}

#[test]
fn docs_are_rendered() {
    let html = page("docs/AGENTS/index.html");
    assert!(html.contains("<h1 class=\"page-title\">AGENTS.md</h1>"));
    assert!(
        html.contains("href=\"../../plans/009-garbage-collection/index.html\"")
            || html.contains("009-garbage-collection")
    );
    let index = page("docs/index.html");
    assert!(index.contains("ARCHITECTURE_NOTES") || index.contains("Architecture"));
}

#[test]
fn builds_are_deterministic_whatever_the_thread_count() {
    let site = TestSite::copy_of("content-example");
    crate::support::tree_gen::write_tree(&site.root().join("gen"), 200, 0);
    site.write("gen/planbook.yaml", "title: Generated\n");
    let build = |threads: &str, out: &str| {
        let o = planbook()
            .args(["build", "gen", "--out", out])
            .current_dir(site.root())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    build("1", "one");
    build("4", "four");
    let (a, b) = (site.root().join("one"), site.root().join("four"));
    let fa = files(&a);
    assert_eq!(fa, files(&b));
    assert!(fa.len() > 200);
    for f in &fa {
        assert!(std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(), "{f} differs");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site_intact() {
    let site = TestSite::copy_of("content-example");
    assert_eq!(site.run(&["build"]).code, 0);
    let before = site.read("site/plans/008-http-cache-headers/index.html");
    // A template that compiles but fails while rendering plan pages, after other pages rendered.
    site.write(
        "mytheme/templates/plan.html",
        "{% extends \"base.html\" %}{% block content %}{{ data.no_such_field }}{% endblock content %}",
    );
    site.write("planbook.yaml", "title: Harbor\ntheme: mytheme\n");
    site.write("docs/harness/exec-plans/active/008-http-cache-headers.md", "# EP-008: Changed\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("rendering `plans/"), "{}", run.stderr);
    assert_eq!(site.read("site/plans/008-http-cache-headers/index.html"), before, "previous site untouched");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A template that does not compile is reported with its name.
    site.write("mytheme/templates/plan.html", "{% if %}");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("do not compile"), "{}", run.stderr);
}

#[test]
fn strict_fails_on_warnings_without_touching_the_site() {
    let site = TestSite::copy_of("content-example");
    let run = site.run(&["build", "--strict"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("warning[W005]") && run.stderr.contains("nothing written"), "{}", run.stderr);
    assert!(!site.root().join("site").exists());
}

#[test]
fn output_folder_from_flag_or_config_and_dangerous_ones_refused() {
    let site = TestSite::copy_of("content-example");
    assert_eq!(site.run(&["build", "--out", "public"]).code, 0);
    assert!(site.root().join("public/index.html").exists());
    site.write("planbook.yaml", "output: out/web\n");
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(site.root().join("out/web/index.html").exists());
    let run = site.run(&["build", "--out", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("contains the repository"), "{}", run.stderr);
    let run = site.run(&["build", "--out", "docs"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("contains the harness"), "{}", run.stderr);
    assert!(site.root().join("docs/harness/TECH_DEBT_TRACKER.md").exists(), "sources untouched");
}

#[test]
fn raw_html_is_escaped_by_default_and_sanitised_when_allowed() {
    let site = TestSite::empty();
    site.write(
        "docs/harness/exec-plans/active/001-x.md",
        "# EP-001: X\n\n## Context\n\n<script>alert('x')</script>\n\nText <img src=x onerror=alert(1)> <b>bold</b>\n",
    );
    assert_eq!(site.run(&["build"]).code, 0);
    let html = site.read("site/plans/001-x/index.html");
    assert!(!html.contains("<script>alert") && html.contains("&lt;script&gt;alert"), "escaped");
    assert!(!html.contains("<img src=x") && html.contains("&lt;img src=x onerror"), "shown as text");
    site.write("planbook.yaml", "allow_html: true\n");
    assert_eq!(site.run(&["build"]).code, 0);
    let html = site.read("site/plans/001-x/index.html");
    assert!(!html.contains("onerror") && !html.contains("alert"), "sanitised");
    assert!(html.contains("<b>bold</b>"), "safe HTML kept");
}

#[test]
fn user_theme_overrides_templates_and_assets() {
    let site = TestSite::copy_of("content-example");
    site.write(
        "mytheme/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Lost at sea</p>{% endblock content %}",
    );
    site.write("mytheme/assets/style.css", "body { color: teal; }");
    site.write("planbook.yaml", "theme: mytheme\n");
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(site.read("site/404.html").contains("Lost at sea"));
    let css: Vec<_> = files(&site.root().join("site")).into_iter().filter(|f| f.ends_with(".css")).collect();
    assert!(site.read(&format!("site/{}", css[0])).contains("color: teal"));
}

#[test]
fn repository_images_are_copied_into_the_site() {
    let site = TestSite::empty();
    site.write(
        "docs/harness/exec-plans/active/001-x.md",
        "# EP-001: X\n\n## Context\n\n![diagram](img/flow.png) [secret](../../../.env)\n",
    );
    site.write("docs/harness/exec-plans/active/img/flow.png", b"\x89PNG fake");
    site.write(".env", "TOKEN=1");
    assert_eq!(site.run(&["build"]).code, 0);
    let html = site.read("site/plans/001-x/index.html");
    assert!(html.contains("src=\"../../files/docs/harness/exec-plans/active/img/flow.png\""), "{html}");
    assert!(site.root().join("site/files/docs/harness/exec-plans/active/img/flow.png").exists());
    assert!(!site.root().join("site/files/.env").exists());
    assert!(html.contains("class=\"unlinked\""), "a link to a non-page file without repo_url is text");
}
