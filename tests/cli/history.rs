//! Decision timeline, retrospective archive, charts and the Atom feed, checked against the model
//! and, for what JavaScript does, in headless Chromium.

use crate::support::TestSite;
use crate::support::browser::{Browser, StaticServer};
use crate::support::site_check::files;
use planbook::model::{RetroPart, StatusKind};
use serde_json::json;
use std::sync::OnceLock;

struct Example {
    site: TestSite,
    harness: planbook::model::Harness,
}

fn example() -> &'static Example {
    static EX: OnceLock<Example> = OnceLock::new();
    EX.get_or_init(|| {
        let site = TestSite::copy_of("content-example");
        assert_eq!(site.run(&["build"]).code, 0);
        let project = planbook::Project::open(site.root()).unwrap();
        let harness = planbook::check(&project).unwrap().harness;
        Example { site, harness }
    })
}

fn page(rel: &str) -> String {
    example().site.read(&format!("site/{rel}"))
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    html.split(start).skip(1).map(|s| s.split(end).next().unwrap()).collect()
}

#[test]
fn timeline_shows_every_decision_newest_first() {
    let h = &example().harness;
    let dated = h.plans.iter().flat_map(|p| &p.decisions).filter(|d| d.date.is_some()).count();
    let html: String = files(&example().site.root().join("site"))
        .into_iter()
        .filter(|f| f.starts_with("timeline/") && !f.contains("undated"))
        .map(|f| page(&f))
        .collect();
    let dates: Vec<&str> = between(&html, "<p class=\"when\"><time datetime=\"", "\"");
    assert_eq!(dates.len(), dated, "every dated decision, once");
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first: {dates:?}");
    let first = page("timeline/index.html");
    assert!(first.contains("id=\"m-2026-11\""), "month anchors for navigation without JavaScript");
    assert!(
        first.contains("<form class=\"timeline-filters\" data-filters hidden>"),
        "filters only appear with JavaScript"
    );
    assert!(
        first.contains("href=\"../plans/008-http-cache-headers/index.html#decision-5\""),
        "entries link to the decision"
    );
    let plan = page("plans/008-http-cache-headers/index.html");
    assert!(plan.contains("id=\"decision-5\""), "which exists on the plan page");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn timeline_filters_work_in_chromium() {
    let browser = Browser::start();
    let server = StaticServer::start(&example().site.root().join("site"), "/");
    let h = &example().harness;
    let count = |f: &dyn Fn(&planbook::model::Plan) -> bool| {
        h.plans.iter().filter(|p| f(p)).flat_map(|p| &p.decisions).filter(|d| d.date.is_some()).count() as u64
    };
    browser.goto(&server.url("timeline/index.html"));
    let visible = "return document.querySelectorAll('li.decision:not([hidden])').length";
    assert_eq!(browser.eval(visible, json!([])), json!(count(&|_| true)));
    assert_eq!(browser.eval("return document.querySelector('[data-filters]').hidden", json!([])), json!(false));
    browser.select("select[data-filter-key=state]", "completed");
    assert_eq!(browser.eval(visible, json!([])), json!(count(&|p| p.state() == StatusKind::Completed)));
    assert!(browser.eval("return location.search", json!([])).as_str().unwrap().contains("state=completed"));
    browser.select("select[data-filter-key=author]", "agent");
    let both = count(&|p| p.state() == StatusKind::Completed && p.author.as_deref() == Some("agent"));
    assert_eq!(browser.eval(visible, json!([])), json!(both));
    let hidden_months = browser.eval("return document.querySelectorAll('section.month[hidden]').length", json!([]));
    assert!(hidden_months.as_u64().unwrap() > 0, "months with nothing left are hidden");
    // The filter survives a reload through the URL.
    browser.goto(&server.url("timeline/index.html?state=active"));
    assert_eq!(browser.eval(visible, json!([])), json!(count(&|p| p.state() == StatusKind::Active)));
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn plan_pages_show_the_plans_life() {
    let html = page("plans/004-resumable-uploads/index.html");
    let strip = between(&html, "<svg class=\"life-strip\"", "</svg>")[0];
    assert!(strip.contains("class=\"life-created\"") && strip.contains("class=\"life-completed\""), "{strip}");
    let p = example().harness.plans.iter().find(|p| p.stem == "004-resumable-uploads").unwrap();
    let decisions = strip.matches("class=\"life-decision\"").count() + strip.matches("class=\"life-step\"").count();
    assert_eq!(decisions, p.decisions.len());
}

#[test]
fn archive_shows_every_retrospective_and_lessons() {
    let h = &example().harness;
    let finished = |p: &&planbook::model::Plan| matches!(p.state(), StatusKind::Completed | StatusKind::Abandoned);
    let with_retro =
        h.plans.iter().filter(finished).filter(|p| p.retrospective.as_ref().is_some_and(|r| r.is_filled())).count();
    let html = page("retrospectives/index.html");
    assert_eq!(html.matches("<article class=\"card retro-card").count(), with_retro);
    assert!(html.contains("id=\"2026-q3\""), "grouped by quarter");
    let lessons: usize = h
        .plans
        .iter()
        .filter(finished)
        .filter_map(|p| p.retrospective.as_ref())
        .map(|r| r.part(RetroPart::ToChange).count())
        .sum();
    let lessons_html = page("retrospectives/lessons/index.html");
    assert_eq!(lessons_html.matches("<li class=\"lesson\">").count(), lessons);
    assert!(lessons > 0);
}

#[test]
fn empty_retrospectives_are_listed_as_missing() {
    let site = TestSite::empty();
    site.write(
        "docs/harness/exec-plans/completed/001-a.md",
        "# EP-001: A\n\n**Status**: completed\n**Completed**: 2026-02-01\n\n## Retrospective\n### What went well\n-\n",
    );
    site.write(
        "docs/harness/exec-plans/completed/002-b.md",
        "# EP-002: B\n\n**Status**: completed\n**Completed**: 2026-03-01\n\n## Retrospective\n### What to change\n- Write tests first\n",
    );
    assert_eq!(site.run(&["build"]).code, 0);
    let html = site.read("site/retrospectives/index.html");
    let missing = html.split("id=\"missing-retros\"").nth(1).expect("missing section");
    assert!(missing.contains("plans/001-a/index.html") && !missing.contains("002-b"), "{missing}");
    assert!(html.contains("Missing retrospectives <span class=\"count\">1</span>"));
    assert!(site.read("site/retrospectives/lessons/index.html").contains("Write tests first"));
}

#[test]
fn atom_feed_follows_the_schema_rules() {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let xml = page("feed.xml");
    let mut reader = Reader::from_str(&xml);
    let mut path: Vec<String> = Vec::new();
    let mut entries: Vec<std::collections::BTreeMap<String, String>> = Vec::new();
    let mut feed: std::collections::BTreeMap<String, String> = Default::default();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name == "entry" {
                    entries.push(Default::default());
                }
                path.push(name);
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                let target = if path.last().map(String::as_str) == Some("entry") {
                    entries.last_mut().unwrap()
                } else {
                    &mut feed
                };
                target.insert(name, "present".into());
            }
            Event::Text(t) => {
                let text = t.xml10_content().to_string();
                let leaf = path.last().cloned().unwrap_or_default();
                let target = if path.iter().any(|p| p == "entry") { entries.last_mut().unwrap() } else { &mut feed };
                target.entry(leaf).or_insert(text);
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    for required in ["id", "title", "updated", "name", "link"] {
        assert!(feed.contains_key(required), "feed lacks <{required}>: {feed:?}");
    }
    assert!(!entries.is_empty());
    let rfc3339 = |s: &str| {
        s.len() == 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T' && s[..10].parse::<jiff::civil::Date>().is_ok()
    };
    let mut ids = std::collections::HashSet::new();
    let mut last = "9999".to_string();
    for e in &entries {
        for required in ["id", "title", "updated", "link", "name"] {
            assert!(e.contains_key(required), "entry lacks <{required}>: {e:?}");
        }
        assert!(ids.insert(e["id"].clone()), "duplicate id {}", e["id"]);
        assert!(e["id"].starts_with("tag:planbook,2026:"), "{}", e["id"]);
        assert!(rfc3339(&e["updated"]), "{}", e["updated"]);
        assert!(e["updated"] <= last, "newest first");
        last = e["updated"].clone();
    }
    assert!(rfc3339(&feed["updated"]));
    assert!(page("index.html").contains("<link rel=\"alternate\" type=\"application/atom+xml\""));
}

#[test]
fn chart_numbers_match_the_model() {
    let h = &example().harness;
    let html = page("charts/index.html");
    let table = |id: &str| -> Vec<Vec<i64>> {
        let section = html.split(&format!("id=\"{id}\"")).nth(1).unwrap().split("</section>").next().unwrap();
        let body = section.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap();
        body.split("<tr>")
            .skip(1)
            .map(|row| between(row, "<td>", "</td>").iter().map(|v| v.parse().unwrap()).collect())
            .collect()
    };
    let per_month = table("per-month");
    let opened: i64 = per_month.iter().map(|r| r[0]).sum();
    let completed: i64 = per_month.iter().map(|r| r[1]).sum();
    assert_eq!(opened as usize, h.plans.iter().filter(|p| p.created.as_ref().and_then(|c| c.date).is_some()).count());
    let done = h
        .plans
        .iter()
        .filter(|p| p.state() == StatusKind::Completed && p.completed.as_ref().and_then(|c| c.date).is_some())
        .count();
    assert_eq!(completed as usize, done);
    let cycle: i64 = table("cycle-time").iter().map(|r| r[0]).sum();
    assert_eq!(cycle as usize, done);
    let debt: i64 = table("debt-by-priority").iter().map(|r| r[0]).sum();
    assert_eq!(debt as usize, h.debt.as_ref().unwrap().items.iter().filter(|i| i.status.kind.is_open()).count());
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn charts_render_in_chromium() {
    let browser = Browser::start();
    let server = StaticServer::start(&example().site.root().join("site"), "/");
    browser.goto(&server.url("charts/index.html"));
    let sizes = browser.eval(
        "return [...document.querySelectorAll('svg.chart')].map(s => { const r = s.getBoundingClientRect(); return [r.width, r.height, s.querySelectorAll('rect, circle').length]; })",
        json!([]),
    );
    let sizes = sizes.as_array().unwrap();
    assert_eq!(sizes.len(), 4);
    for s in sizes {
        assert!(s[0].as_f64().unwrap() > 100.0 && s[1].as_f64().unwrap() > 50.0 && s[2].as_u64().unwrap() > 0, "{s}");
    }
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("charts.png");
    browser.screenshot(&out);
    assert!(std::fs::metadata(&out).unwrap().len() > 10_000, "a screenshot with something in it");
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "{errors:?}");
}
