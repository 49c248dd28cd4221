//! Publishing to GitHub Pages: a site under a sub-path crawls clean (with a plain HTTP client
//! and in Chromium), sitemap and friends, the link checker, `init --github-pages`.

use crate::support::TestSite;
use crate::support::browser::{Browser, StaticServer};
use serde_json::json;
use std::collections::{BTreeSet, VecDeque};
use std::sync::OnceLock;

const BASE: &str = "https://acme.github.io/harbor/";

fn site() -> &'static TestSite {
    static SITE: OnceLock<TestSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = TestSite::copy_of("content-example");
        site.write("planbook.yaml", format!("{}cname: plans.acme.dev\n", site.read("planbook.yaml")));
        let run = site.run(&["build", "--base-url", BASE, "--check-links"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        site
    })
}

/// Every URL reachable from the home page by internal links (absolute ones to BASE included),
/// with the status it answered.
fn crawl(server: &StaticServer, start: &str) -> Vec<(String, u16)> {
    let prefix = server.url("");
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([server.url(start)]);
    let mut out = Vec::new();
    while let Some(url) = queue.pop_front() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let (status, body, kind) = match ureq::get(&url).call() {
            Ok(r) => {
                let kind = r.content_type().to_string();
                let status = r.status();
                let body =
                    if kind.starts_with("text/html") { r.into_string().unwrap_or_default() } else { String::new() };
                (status, body, kind)
            }
            Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default(), "text/html".into()),
            Err(e) => panic!("{url}: {e}"),
        };
        out.push((url.clone(), status));
        if !kind.starts_with("text/html") {
            continue;
        }
        let (links, _) = planbook::linkcheck::links_and_ids(&body);
        for link in links {
            let link = link.replace(BASE, &prefix);
            let Ok(abs) = url::Url::parse(&url).and_then(|u| u.join(&link)) else { continue };
            let mut abs = abs;
            abs.set_fragment(None);
            abs.set_query(None);
            if abs.as_str().starts_with(&prefix) {
                queue.push_back(abs.to_string());
            }
        }
    }
    out
}

#[test]
fn under_a_sub_path_every_link_and_asset_answers() {
    let server = StaticServer::start(&site().root().join("site"), "/harbor/");
    let results = crawl(&server, "index.html");
    let reached: BTreeSet<String> =
        results.iter().map(|(u, _)| u.trim_start_matches(&server.url("")).to_string()).collect();
    let pages = planbook::linkcheck::files(&site().root().join("site")).unwrap();
    let unreached: Vec<_> =
        pages.iter().filter(|p| p.ends_with(".html") && *p != "404.html" && !reached.contains(*p)).collect();
    assert!(unreached.is_empty(), "every page is reachable from the home page: {unreached:?}");
    let failed: Vec<_> = results.iter().filter(|(_, s)| *s != 200).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    // The 404 page works at any depth: its own links and assets resolve from there.
    let deep = server.url("no/such/deep/page.html");
    let body = match ureq::get(&deep).call() {
        Err(ureq::Error::Status(404, r)) => r.into_string().unwrap(),
        other => panic!("expected 404, got {other:?}"),
    };
    for link in planbook::linkcheck::links_and_ids(&body)
        .0
        .into_iter()
        .filter(|l| !l.starts_with("http") && !l.starts_with('#'))
    {
        let target = url::Url::parse(&deep).unwrap().join(&link).unwrap();
        let status = ureq::get(target.as_str()).call().map(|r| r.status()).unwrap_or(0);
        assert_eq!(status, 200, "404 page link {link} → {target}");
    }
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn in_chromium_pages_load_without_errors_under_the_sub_path() {
    let browser = Browser::start();
    let server = StaticServer::start_with_csp(&site().root().join("site"), "/harbor/");
    for page in [
        "index.html",
        "plans/009-garbage-collection/index.html",
        "timeline/index.html",
        "charts/index.html",
        "graph/index.html",
        "search/index.html?q=cache",
        "no/such/deep/page.html",
    ] {
        browser.goto(&server.url(page));
        browser.wait_for("return document.readyState === 'complete'");
        let css = browser.eval("return getComputedStyle(document.body).fontFamily", json!([]));
        assert!(!css.as_str().unwrap_or("").contains("Times"), "{page}: the stylesheet loaded ({css})");
        let errors = browser.console_errors();
        assert!(errors.iter().all(|e| page.starts_with("no/") && e.contains("404")), "{page}: {errors:?}");
    }
}

#[test]
fn sitemap_robots_canonical_open_graph_cname_nojekyll() {
    let s = site();
    let sitemap = s.read("site/sitemap.xml");
    assert!(
        sitemap.starts_with("<?xml")
            && sitemap.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
    );
    assert!(sitemap.contains(&format!("<loc>{BASE}plans/009-garbage-collection/index.html</loc>")));
    assert!(!sitemap.contains("404.html"));
    let pages = planbook::linkcheck::files(&s.root().join("site"))
        .unwrap()
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html")
        .count();
    assert_eq!(sitemap.matches("<loc>").count(), pages, "every page once");
    assert!(s.read("site/robots.txt").contains(&format!("Sitemap: {BASE}sitemap.xml")));
    assert_eq!(s.read("site/CNAME"), "plans.acme.dev\n");
    assert!(s.root().join("site/.nojekyll").is_file());
    let plan = s.read("site/plans/009-garbage-collection/index.html");
    assert!(plan.contains(&format!("<link rel=\"canonical\" href=\"{BASE}plans/009-garbage-collection/index.html\">")));
    assert!(plan.contains("<meta property=\"og:title\" content=\"EP-009"), "og:title");
    assert!(plan.contains("<meta property=\"og:description\" content=\""), "og:description");
    assert!(
        plan.contains(&format!("<meta property=\"og:url\" content=\"{BASE}plans/009-garbage-collection/index.html\">"))
    );
    let feed = s.read("site/feed.xml");
    assert!(feed.contains(&format!("href=\"{BASE}")), "feed links are absolute under the base URL");
}

#[test]
fn the_output_has_no_symlinks_or_hard_links() {
    use std::os::unix::fs::MetadataExt;
    let dir = site().root().join("site");
    for f in planbook::linkcheck::files(&dir).unwrap() {
        let meta = std::fs::symlink_metadata(dir.join(&f)).unwrap();
        assert!(meta.file_type().is_file(), "{f} is a plain file");
        assert_eq!(meta.nlink(), 1, "{f} has no other names");
    }
}

#[test]
fn the_link_checker_catches_a_broken_link_and_a_missing_fragment() {
    let site = TestSite::empty();
    site.write("planbook.yaml", "allow_html: true\n");
    let plan = |n: &str, goal: &str| {
        format!(
            "# EP-{n}: Plan {n}\n\n**Status**: active\n**Created**: 2026-01-0{}\n\n## Goal\n\n{goal}\n\n## Context\n\nx\n\n## Steps\n\n- [~] Step 1: do.\n\n## Decision Log\n\n- 2026-01-01: Start.\n\n## Retrospective\n\n-\n",
            &n[2..]
        )
    };
    site.write(
        "docs/harness/exec-plans/active/001-a.md",
        plan("001", "See [the other plan](002-b.md#no-such-section) and <a href=\"nowhere.html\">this</a>."),
    );
    site.write("docs/harness/exec-plans/active/002-b.md", plan("002", "Nothing."));
    let run = site.run(&["build", "--check-links"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("plans/001-a/index.html: `../../plans/002-b/index.html#no-such-section`: no `#no-such-section`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("plans/001-a/index.html: `nowhere.html`: no file"), "{}", run.stderr);
    assert!(site.root().join("site/index.html").is_file(), "without --strict the site is still written");
    // With --strict nothing replaces the previous site.
    let before = site.read("site/plans/001-a/index.html");
    site.write("docs/harness/exec-plans/active/002-b.md", plan("002", "Changed."));
    let strict = site.run(&["build", "--strict"]);
    assert_eq!(strict.code, 1);
    assert!(strict.stderr.contains("broken link"), "{}", strict.stderr);
    assert_eq!(site.read("site/plans/001-a/index.html"), before);
    assert!(!site.read("site/plans/002-b/index.html").contains("Changed."));
}

#[test]
fn init_writes_a_config_and_a_valid_pages_workflow() {
    let site = TestSite::copy_of("content-example");
    std::fs::remove_file(site.root().join("planbook.yaml")).unwrap();
    let run = site.run(&["init", "--github-pages"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.run(&["check"]).code, 1, "the written config loads (the example has one error)");
    let workflow: serde_yaml::Value = serde_yaml::from_str(&site.read(".github/workflows/planbook.yml")).unwrap();
    let perms = &workflow["permissions"];
    assert_eq!(perms["pages"], "write");
    assert_eq!(perms["id-token"], "write");
    assert_eq!(perms["contents"], "read");
    let build = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    let uses: Vec<&str> = build.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/checkout@")));
    // The whole history, for dates from git.
    let checkout =
        build.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/checkout@"))).unwrap();
    assert_eq!(checkout["with"]["fetch-depth"], 0);
    assert!(uses.iter().any(|u| u.starts_with("actions/configure-pages@")));
    assert!(uses.iter().any(|u| u.starts_with("actions/upload-pages-artifact@")));
    let runs: Vec<&str> = build.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter().any(|r| r.contains("planbook build --strict --base-url \"${{ steps.pages.outputs.base_url }}\"")),
        "{runs:?}"
    );
    let upload = build
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-pages-artifact@")))
        .unwrap();
    assert_eq!(upload["with"]["path"], "site");
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert!(deploy["steps"][0]["uses"].as_str().unwrap().starts_with("actions/deploy-pages@"));
    // Existing files are kept without --force.
    let again = site.run(&["init", "--github-pages"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(site.run(&["init", "--github-pages", "--force"]).code, 0);
}
