//! Search benchmark in headless Chromium: for each query, the bytes a first search fetches and its
//! time to results, on planbook's index and, with `--pagefind`, on pagefind's index of the same
//! site (run `npx pagefind --site SITE` first; it writes `SITE/pagefind/`).
//!
//! ```text
//! cargo run --release --example gen_tree -- /tmp/tree 10000
//! cargo run --release -- build /tmp/tree --out /tmp/site
//! cargo run --release --example search_bench -- /tmp/site [--pagefind] [--runs 5] "flaky test" ...
//! ```
//!
//! "First" means cold: a fresh page load, nothing cached, so the meta file (or pagefind's entry
//! file, worker and WebAssembly) is counted. Times are medians over `--runs` page loads; bytes are
//! the response bodies as the test server sent them (it does not compress; planbook and pagefind
//! both gzip their index files themselves), counted by the server, so a Web Worker's requests
//! count too.

#[path = "../tests/support/browser.rs"]
#[allow(dead_code)]
mod browser;

use browser::{Browser, StaticServer};
use serde_json::{Value, json};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let pagefind = take_flag(&mut args, "--pagefind");
    let runs: usize = take_value(&mut args, "--runs").map_or(5, |r| r.parse().expect("--runs N"));
    if args.is_empty() {
        eprintln!("usage: search_bench SITE [--pagefind] [--runs N] [QUERY...]");
        std::process::exit(2);
    }
    let site = std::path::PathBuf::from(args.remove(0));
    let queries = if args.is_empty() { vec!["flaky test".to_string()] } else { args };
    let browser = Browser::start();
    let server = StaticServer::start(&site, "/");
    for q in &queries {
        let mut page = Vec::new();
        let mut popup = Vec::new();
        let mut pf = Vec::new();
        for _ in 0..runs {
            page.push(planbook_page(&browser, &server, q));
            popup.push(planbook_popup(&browser, &server, q));
            if pagefind {
                pf.push(pagefind_query(&browser, &server, q));
            }
        }
        report(&format!("planbook search page  {q:?}"), &page);
        report(&format!("planbook header box   {q:?}"), &popup);
        if pagefind {
            report(&format!("pagefind (5 results)  {q:?}"), &pf);
        }
    }
}

/// (ms to results, bytes of the index fetched, results)
type Run = (f64, u64, u64);

/// `search/index.html?q=`: the query runs as the page loads.
fn planbook_page(b: &Browser, s: &StaticServer, q: &str) -> Run {
    fresh(b, s);
    b.goto(&s.url(&format!("search/index.html?q={}", encode(q))));
    b.wait_for(&format!("return document.body.getAttribute('data-search-ready') === {}", json!(q)));
    let ms = b.eval("return performance.getEntriesByName('planbook-search').pop().duration", json!([]));
    let bytes = s.take_bytes(index_file);
    let n = b.eval("return +document.querySelector('.result-count').textContent.split(' ')[0]", json!([]));
    (ms.as_f64().unwrap_or(f64::NAN), bytes, n.as_u64().unwrap_or(0))
}

/// The header box on the home page: type, wait for the popup.
fn planbook_popup(b: &Browser, s: &StaticServer, q: &str) -> Run {
    fresh(b, s);
    b.goto(&s.url("index.html"));
    b.eval(
        "const i = document.querySelector('#site-search-q'); i.value = arguments[0]; i.dispatchEvent(new Event('input'));",
        json!([q]),
    );
    b.wait_for(&format!("return document.body.getAttribute('data-search-ready') === {}", json!(q)));
    let ms = b.eval("return performance.getEntriesByName('planbook-search').pop().duration", json!([]));
    let bytes = s.take_bytes(index_file);
    let n = b.eval("return document.querySelectorAll('#site-search-results a.result').length", json!([]));
    (ms.as_f64().unwrap_or(f64::NAN), bytes, n.as_u64().unwrap_or(0))
}

/// pagefind's JS API as its default UI uses it: search, then the data of the first 5 results.
fn pagefind_query(b: &Browser, s: &StaticServer, q: &str) -> Run {
    fresh(b, s);
    b.goto(&s.url("index.html"));
    let v: Value = b.eval_async(
        "const done = arguments[arguments.length - 1];
         (async () => {
           const t0 = performance.now();
           const pf = await import(arguments[0]);
           await pf.init();
           const r = await pf.search(arguments[1]);
           await Promise.all(r.results.slice(0, 5).map(x => x.data()));
           done([performance.now() - t0, r.results.length]);
         })().catch(e => done([-1, String(e)]));",
        json!([s.url("pagefind/pagefind.js"), q]),
    );
    let bytes = s.take_bytes(|p| p.contains("/pagefind/"));
    (v[0].as_f64().unwrap_or(f64::NAN), bytes, v[1].as_u64().unwrap_or(0))
}

/// A file of planbook's index (not the search page, which is a page like the others).
fn index_file(path: &str) -> bool {
    path.contains("/search/") && !path.ends_with(".html") && !path.ends_with('/')
}

/// Leaves the page, so the next load starts cold (the test server sends no caching headers,
/// so Chromium keeps nothing between loads).
fn fresh(b: &Browser, s: &StaticServer) {
    b.goto("about:blank");
    s.take_bytes(|_| false);
}

fn report(label: &str, runs: &[Run]) {
    let mut ms: Vec<f64> = runs.iter().map(|r| r.0).collect();
    ms.sort_by(f64::total_cmp);
    let mut bytes: Vec<u64> = runs.iter().map(|r| r.1).collect();
    bytes.sort_unstable();
    println!(
        "{label}: median {:.1} ms (min {:.1}, max {:.1}), {:.1} KB fetched, {} results",
        ms[ms.len() / 2],
        ms[0],
        ms[ms.len() - 1],
        bytes[bytes.len() / 2] as f64 / 1024.0,
        runs[0].2
    );
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn take_flag(args: &mut Vec<String>, flag: &str) -> bool {
    let found = args.iter().any(|a| a == flag);
    args.retain(|a| a != flag);
    found
}

fn take_value(args: &mut Vec<String>, flag: &str) -> Option<String> {
    let i = args.iter().position(|a| a == flag)?;
    args.remove(i);
    (i < args.len()).then(|| args.remove(i))
}
