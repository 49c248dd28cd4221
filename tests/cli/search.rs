//! Search in headless Chromium on content-example: queries, facets, `?q=`, keyboard, accents,
//! CJK, a sub-path and a strict Content-Security-Policy.

use crate::support::TestSite;
use crate::support::browser::{Browser, StaticServer};
use serde_json::{Value, json};
use std::sync::OnceLock;

fn site() -> &'static TestSite {
    static SITE: OnceLock<TestSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = TestSite::copy_of("content-example");
        assert_eq!(site.run(&["build"]).code, 0);
        site
    })
}

/// Runs a query on the search page and returns (kind, url) of every result shown.
fn query(browser: &Browser, server: &StaticServer, q: &str) -> Vec<(String, String)> {
    browser.goto(&server.url(&format!("search/index.html?q={}", urlencode(q))));
    wait_ready(browser, q);
    results(browser)
}

fn wait_ready(browser: &Browser, q: &str) {
    browser.wait_for(&format!("return document.body.getAttribute('data-search-ready') === {}", json!(q)));
}

fn results(browser: &Browser) -> Vec<(String, String)> {
    let v = browser.eval(
        "return [...document.querySelectorAll('[data-results] a.result')].map(a => [a.closest('section').dataset.kind, a.getAttribute('href')])",
        json!([]),
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string()))
        .collect()
}

fn urlencode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn has(results: &[(String, String)], kind: &str, url_part: &str) -> bool {
    results.iter().any(|(k, u)| k == kind && u.contains(url_part))
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn queries_return_the_expected_records() {
    let browser = Browser::start();
    let server = StaticServer::start(&site().root().join("site"), "/");
    let r = query(&browser, &server, "flaky test");
    assert!(has(&r, "debt", "debt/index.html#td-003"), "{r:?}");
    assert!(has(&r, "lesson", "plans/002-ci-pipeline-split/index.html#retrospective"), "{r:?}");
    assert!(has(&r, "plan", "plans/002-ci-pipeline-split/index.html"), "{r:?}");
    // Multi-word AND: every result has both words.
    let r2 = query(&browser, &server, "garbage collection grace");
    assert!(!r2.is_empty() && r2.iter().all(|(_, u)| u.contains("009-garbage-collection")), "{r2:?}");
    // Title matches rank first.
    let first =
        browser.eval("return document.querySelector('[data-results] a.result').getAttribute('href')", json!([]));
    assert_eq!(first, json!("../plans/009-garbage-collection/index.html"));
    // Prefix matching and highlighted excerpts.
    let r3 = query(&browser, &server, "retro");
    assert!(!r3.is_empty(), "prefix finds retrospective");
    let marks = browser.eval(
        "return [...document.querySelectorAll('[data-results] mark')].map(m => m.textContent.toLowerCase())",
        json!([]),
    );
    assert!(marks.as_array().unwrap().iter().all(|m| m.as_str().unwrap().starts_with("retro")), "{marks}");
    // IDs as typed.
    let r4 = query(&browser, &server, "EP-9");
    assert!(r4.iter().any(|(_, u)| u.contains("009-garbage-collection")), "{r4:?}");
    // Nothing found says so.
    query(&browser, &server, "zzzyxw");
    let empty = browser.eval("return document.querySelector('.no-results').textContent", json!([]));
    assert!(empty.as_str().unwrap().contains("No results"), "{empty}");
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn facets_filter_and_count() {
    let browser = Browser::start();
    let server = StaticServer::start(&site().root().join("site"), "/");
    let all = query(&browser, &server, "cache");
    let lesson_count = browser.eval(
        "const l = [...document.querySelectorAll('[data-facet=kind] label')].find(l => l.querySelector('input').value === 'lesson'); return l ? +l.querySelector('[data-count]').textContent : 0",
        json!([]),
    );
    let lessons = lesson_count.as_u64().unwrap() as usize;
    assert!(lessons > 0 && lessons < all.len(), "{lessons} of {}", all.len());
    browser.click("[data-facet=kind] input[value=lesson]");
    wait_ready(&browser, "cache");
    browser.wait_for("return location.search.includes('kind=lesson')");
    let filtered = results(&browser);
    assert_eq!(filtered.len(), lessons);
    assert!(filtered.iter().all(|(k, _)| k == "lesson"));
    // The filter is in the URL: sharing it reproduces the same results.
    let shared = browser.eval("return location.href", json!([])).as_str().unwrap().to_string();
    browser.goto(&shared);
    wait_ready(&browser, "cache");
    assert_eq!(results(&browser).len(), lessons);
    // The retrospective archive's own search is scoped to lessons.
    browser.goto(&server.url("retrospectives/index.html"));
    browser.type_into("#lessons-q", "flaky");
    browser.click(".scoped-search button");
    wait_ready(&browser, "flaky");
    let scoped = results(&browser);
    assert!(!scoped.is_empty() && scoped.iter().all(|(k, _)| k == "lesson"), "{scoped:?}");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn instant_results_and_keyboard_navigation() {
    let browser = Browser::start();
    let server = StaticServer::start(&site().root().join("site"), "/");
    browser.goto(&server.url("index.html"));
    // `/` focuses the search box.
    browser.eval("document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true}))", json!([]));
    assert_eq!(browser.eval("return document.activeElement.id", json!([])), json!("site-search-q"));
    browser.type_into("#site-search-q", "garbage");
    browser.wait_for("return !document.querySelector('#site-search-results').hidden && document.querySelectorAll('#site-search-results a.result').length > 0");
    browser.type_into("#site-search-q", "\u{E015}"); // ArrowDown
    let selected = browser.wait_for(
        "return document.querySelector('#site-search-results a.result[aria-selected=true]')?.getAttribute('href')",
    );
    browser.type_into("#site-search-q", "\u{E007}"); // Enter
    let target = selected.as_str().unwrap().to_string();
    browser.wait_for(&format!("return location.href.endsWith({})", json!(target.trim_start_matches("./"))));
    // On the search page, ArrowDown from the box moves into the results.
    browser.goto(&server.url("search/index.html?q=cache"));
    wait_ready(&browser, "cache");
    browser.click("#search-page-q");
    browser.type_into("#search-page-q", "\u{E015}");
    let focused: Value = browser.eval("return document.activeElement.classList.contains('result')", json!([]));
    assert_eq!(focused, json!(true));
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn accents_and_cjk_match() {
    let browser = Browser::start();
    let server = StaticServer::start(&site().root().join("site"), "/");
    for q in ["cafe", "Résumé", "RESUME", "キャッシュ", "缓存", "缓存失效", "français", "ภาษา", "ΟΔΗΓΟΣ", "οδηγός"]
    {
        let r = query(&browser, &server, q);
        assert!(has(&r, "doc", "docs/LOCALIZATION_NOTES/index.html"), "{q}: {r:?}");
    }
    query(&browser, &server, "キャッシュ");
    let marks = browser.eval("return [...document.querySelectorAll('[data-results] mark')].length", json!([]));
    assert!(marks.as_u64().unwrap() > 0, "CJK matches are highlighted");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn works_under_a_sub_path_with_a_strict_csp() {
    let browser = Browser::start();
    let server = StaticServer::start_with_csp(&site().root().join("site"), "/harbor/");
    let r = query(&browser, &server, "flaky test");
    assert!(has(&r, "debt", "#td-003"), "{r:?}");
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "no CSP violations or failed requests: {errors:?}");
}

#[test]
fn without_javascript_the_search_page_is_a_list_of_links() {
    let html = site().read("site/search/index.html");
    let fallback = html.split("data-search-fallback").nth(1).unwrap();
    for link in ["plans/index.html", "timeline/index.html", "retrospectives/index.html", "debt/index.html"] {
        assert!(fallback.contains(link), "{link}");
    }
    let header = site().read("site/index.html");
    assert!(header.contains("action=\"search/index.html\""), "the header box submits to the search page");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn long_groups_show_more_on_request() {
    let browser = Browser::start();
    let server = StaticServer::start(&site().root().join("site"), "/");
    query(&browser, &server, "the");
    let count = |kind: &str| {
        browser
            .eval("return document.querySelectorAll(`[data-kind=${arguments[0]}] a.result`).length", json!([kind]))
            .as_u64()
            .unwrap()
    };
    let kind = browser.eval("return document.querySelector('[data-more]').dataset.more", json!([]));
    let kind = kind.as_str().expect("a group with more results than shown").to_string();
    assert_eq!(count(&kind), 5, "a few per kind at first");
    browser.click(&format!("[data-more={kind}]"));
    browser.wait_for(&format!("return document.querySelectorAll('[data-kind={kind}] a.result').length > 5"));
    // Focus moves to the first newly shown result, so keyboard users carry on from there.
    let focused = browser.eval(
        "const links = [...document.querySelectorAll(`[data-kind=${arguments[0]}] a.result`)]; return links.indexOf(document.activeElement)",
        json!([kind]),
    );
    assert_eq!(focused, json!(5));
    let errors = browser.console_errors();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn opened_from_disk_the_search_page_says_how_to_serve_it() {
    let browser = Browser::start();
    let page = site().root().join("site/search/index.html");
    browser.goto(&format!("file://{}?q=cache", page.display()));
    let message = browser.wait_for("return document.querySelector('[data-results] .no-results')?.textContent");
    assert!(message.as_str().unwrap().contains("served over HTTP"), "{message}");
    assert_eq!(browser.eval("return document.querySelector('[data-search-fallback]').hidden", json!([])), json!(false));
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn the_client_tokenizes_the_shared_vectors_as_the_index_does() {
    let browser = Browser::start();
    let server = StaticServer::start(&site().root().join("site"), "/");
    browser.goto(&server.url("index.html"));
    browser.wait_for("return !!(window.planbook && window.planbook.tokenize)");
    let vectors: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tokenizer-vectors.json")).unwrap(),
    )
    .unwrap();
    let mut differ = Vec::new();
    for v in &vectors {
        // Sorted here, by code point as the index sorts (JavaScript sorts by UTF-16 unit).
        let mut got: Vec<String> =
            serde_json::from_value(browser.eval("return window.planbook.tokenize(arguments[0])", json!([v["text"]])))
                .unwrap();
        got.sort();
        let want: Vec<String> = serde_json::from_value(v["terms"].clone()).unwrap();
        if got != want {
            differ.push(format!("{}: client {got:?}, index {want:?}", v["text"]));
        }
    }
    assert!(differ.is_empty(), "the two tokenizers disagree:\n{}", differ.join("\n"));
}
