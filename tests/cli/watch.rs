//! `build --watch`: the real binary on a copy of content-example, edited while it runs.

use crate::support::browser::Browser;
use crate::support::{TestSite, planbook};
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `planbook build --watch`, its stderr collected.
struct Watch {
    child: Child,
    log: Arc<Mutex<String>>,
    url: String,
}

impl Watch {
    fn start(site: &TestSite) -> Watch {
        Watch::start_with(site, &["--port", "0"])
    }

    /// Starts with these extra arguments (a `--port`, `--no-serve`...).
    fn start_with(site: &TestSite, extra: &[&str]) -> Watch {
        let mut child = planbook()
            .args(["build", "--watch", "--color", "never"])
            .args(extra)
            .arg(site.root())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start planbook");
        let log = Arc::new(Mutex::new(String::new()));
        let stderr = child.stderr.take().unwrap();
        let l = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = l.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut w = Watch { child, log, url: String::new() };
        w.wait_log("watching");
        let log = w.log();
        if let Some(at) = log.find("http://") {
            w.url = log[at..].split_whitespace().next().unwrap().to_string();
        }
        w
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn wait_log(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.log().contains(needle) {
            assert!(Instant::now() < deadline, "timed out waiting for {needle:?} in:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// (status, body) of `path` on the preview server.
    fn get(&self, path: &str) -> (u16, String) {
        let addr = self.url.trim_start_matches("http://").trim_end_matches('/').to_string();
        raw_get(&addr, path)
    }

    /// Waits until `path` answers something for which `ok` holds.
    fn wait_page(&self, path: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let (status, body) = self.get(path);
            if ok(status, &body) {
                return body;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {path}; last {status}; log:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Ctrl-C, and the exit status.
    fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET written by hand, so that paths like `/../x` reach the server as typed.
fn raw_get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

const GC: &str = "docs/harness/exec-plans/active/009-garbage-collection.md";

fn edit(site: &TestSite, rel: &str, f: impl Fn(&str) -> String) {
    let text = site.read(rel);
    site.write(rel, f(&text));
}

#[test]
fn edits_deletions_and_broken_files_while_serving() {
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start(&site);
    let (status, home) = watch.get("/");
    assert_eq!(status, 200);
    assert!(home.contains("/__planbook/live.js"), "the preview adds the reload script");
    assert!(!site.read("site/index.html").contains("live.js"), "never in the built files");
    let other = site.root().join("site/plans/002-ci-pipeline-split/index.html");
    let mtime = std::fs::metadata(&other).unwrap().modified().unwrap();

    // A sentence in a plan's context: its page changes, unrelated pages are not rewritten.
    edit(&site, GC, |t| t.replacen("## Context\n", "## Context\n\nA sentence about wombats.\n", 1));
    watch.wait_page("/plans/009-garbage-collection/", |s, b| s == 200 && b.contains("wombats"));
    watch.wait_log("rebuilt");
    assert_eq!(std::fs::metadata(&other).unwrap().modified().unwrap(), mtime, "unchanged page kept its mtime");

    // A new decision reaches the timeline.
    edit(&site, GC, |t| {
        let at = t.find("## Decision Log").unwrap();
        let end = t[at + 10..].find("\n## ").map_or(t.len(), |e| at + 10 + e);
        format!("{}\n- 2026-11-20: Keep quokkas out of the blob store.\n{}", t[..end].trim_end(), &t[end..])
    });
    watch.wait_page("/timeline/", |s, b| s == 200 && b.contains("quokkas"));

    // A broken save: the diagnostic is reported, the last good page is still served.
    let good = site.read(GC);
    let mut bytes = good.clone().into_bytes();
    bytes.extend_from_slice(b"\n\xff\xfe not UTF-8\n");
    site.write(GC, bytes);
    watch.wait_log("E018");
    let (status, page) = watch.get("/plans/009-garbage-collection/");
    assert!(status == 200 && page.contains("quokkas"), "last good version served");
    // The next good save recovers.
    site.write(GC, good.replace("wombats", "numbats"));
    watch.wait_page("/plans/009-garbage-collection/", |s, b| s == 200 && b.contains("numbats"));

    // A deleted plan's page disappears and the plans list forgets it.
    std::fs::remove_file(site.root().join("docs/harness/exec-plans/active/013-api-versioning.md")).unwrap();
    watch.wait_page("/plans/013-api-versioning/", |s, _| s == 404);
    let plans = watch.wait_page("/plans/", |s, b| s == 200 && !b.contains("013-api-versioning"));
    assert!(plans.contains("009-garbage-collection"));

    // Search catches up: the new word is in the index's files.
    watch.wait_log("search index:");

    let status = watch.interrupt();
    assert!(status.success(), "Ctrl-C stops cleanly: {status:?}");
}

#[test]
fn the_server_serves_only_the_site() {
    let site = TestSite::copy_of("content-example");
    site.write("secret.txt", "TOKEN=1");
    let watch = Watch::start(&site);
    for path in [
        "/../secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e/secret.txt",
        "/plans/../../secret.txt",
        "/../../../../etc/passwd",
    ] {
        let (status, body) = watch.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("TOKEN") && !body.contains("root:"), "{path}");
    }
    let (status, body) = watch.get("/no/such/page.html");
    assert_eq!(status, 404);
    assert!(body.contains("<html") && body.contains("not"), "the site's 404 page: {body}");
    let addr = watch.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    assert!(addr.starts_with("127.0.0.1:"), "loopback by default: {addr}");
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(s, "GET /assets/ HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut head = String::new();
    BufReader::new(s).read_line(&mut head).unwrap();
    assert!(head.contains("404"), "no directory listings: {head}");
    let (_, css) = watch.get("/");
    let css_path =
        css.split("href=\"").find_map(|s| s.split('"').next().filter(|h| h.ends_with(".css"))).unwrap().to_string();
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(s, "GET /{css_path} HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", addr.rsplit(':').next().unwrap()).unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    assert!(response.contains("Content-Type: text/css"), "{}", &response[..200.min(response.len())]);
    // Another site's name for 127.0.0.1 (DNS rebinding) gets nothing.
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n").unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 421"), "{}", &response[..100.min(response.len())]);
    assert!(!response.contains("<html"));
}

#[test]
#[cfg_attr(no_browser, ignore = "needs chromium and chromedriver")]
fn an_open_page_reloads_itself_after_a_rebuild() {
    let browser = Browser::start();
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start(&site);
    browser.goto(&format!("{}plans/009-garbage-collection/", watch.url));
    browser.wait_for("return document.readyState === 'complete'");
    // Once the page listens for reloads, mark this page load.
    browser.wait_for("return document.documentElement.getAttribute('data-planbook-live') === 'open'");
    browser.eval("window.planbookMarker = 1", json!([]));
    edit(&site, GC, |t| t.replacen("## Context\n", "## Context\n\nLive reload saw this.\n", 1));
    browser.wait_for("return !window.planbookMarker && document.body.textContent.includes('Live reload saw this')");
    // A broken save shows its diagnostic over the page.
    let good = site.read(GC);
    let mut bytes = good.clone().into_bytes();
    bytes.extend_from_slice(b"\n\xff broken\n");
    site.write(GC, bytes);
    let overlay = browser.wait_for("return document.querySelector('#planbook-problems pre')?.textContent");
    assert!(overlay.as_str().unwrap().contains("E018"), "{overlay}");
    // Putting the last good text back clears it (the page reloads though its pages did not change).
    browser.eval("window.planbookMarker = 2", json!([]));
    site.write(GC, good);
    browser.wait_for("return !window.planbookMarker && document.readyState === 'complete' && !document.querySelector('#planbook-problems')");
}

/// The next `changed` event on an open event stream: the pages it names.
fn next_changed(events: &mut BufReader<TcpStream>) -> Vec<String> {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(events.read_line(&mut line).unwrap() > 0, "event stream closed");
        if line.trim() == "event: changed" {
            line.clear();
            events.read_line(&mut line).unwrap();
            let data: serde_json::Value = serde_json::from_str(line.trim().strip_prefix("data: ").unwrap()).unwrap();
            return data["pages"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
        }
    }
}

#[test]
fn an_edited_plans_page_is_announced_before_the_pages_that_list_it() {
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start(&site);
    let host = watch.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let mut stream = TcpStream::connect(&host).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(stream, "GET /__planbook/events HTTP/1.1\r\nHost: {host}\r\n\r\n").unwrap();
    let mut events = BufReader::new(stream);
    // A new title: the plan's page first, alone; then the listings that show the title.
    edit(&site, GC, |t| t.replacen("# EP-009: Blob Garbage Collection", "# EP-009: Blob Garbage Collection, Again", 1));
    let first = next_changed(&mut events);
    assert_eq!(first, ["/plans/009-garbage-collection/index.html"]);
    let rest = next_changed(&mut events);
    assert!(rest.iter().any(|p| p == "/plans/index.html") && rest.iter().any(|p| p == "/index.html"), "{rest:?}");
    watch.wait_log("the plan's page in");
}

#[test]
fn after_edits_the_live_site_equals_a_fresh_build() {
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start(&site);
    let rebuilds = || watch.log().matches("rebuilt ").count();
    let step = |f: &dyn Fn()| {
        let before = rebuilds();
        f();
        let deadline = Instant::now() + Duration::from_secs(15);
        while rebuilds() == before {
            assert!(Instant::now() < deadline, "no rebuild; log:\n{}", watch.log());
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    // After each edit the live folder must equal a fresh build: selective updates are checked
    // one by one, so a later full render cannot hide an earlier mistake.
    let equals_fresh_build = || {
        let fresh = tempfile::tempdir().unwrap();
        let out = fresh.path().join("site");
        let status = planbook().args(["build", "-q", "--out"]).arg(&out).arg(site.root()).status().unwrap();
        assert!(status.success());
        let expected = crate::support::site_check::snapshot(&out);
        // The search index is written right after the pages: give it a moment.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let live = crate::support::site_check::snapshot(&site.root().join("site"));
            if live == expected {
                break;
            }
            if Instant::now() > deadline {
                let names = |m: &std::collections::BTreeMap<String, Vec<u8>>| {
                    m.keys().cloned().collect::<std::collections::BTreeSet<_>>()
                };
                let (l, e) = (names(&live), names(&expected));
                let differ: Vec<_> = l.intersection(&e).filter(|k| live[*k] != expected[*k]).collect();
                panic!(
                    "live site differs from a fresh build\nonly live: {:?}\nonly fresh: {:?}\ndiffer: {differ:?}\nlog:\n{}",
                    l.difference(&e).collect::<Vec<_>>(),
                    e.difference(&l).collect::<Vec<_>>(),
                    watch.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let check = |f: &dyn Fn()| {
        step(f);
        equals_fresh_build();
    };
    // Body text, a title (listings, neighbours, hover titles), a decision, a doc, the debt
    // tracker, a code comment, a new plan, a deleted plan.
    check(&|| edit(&site, GC, |t| t.replacen("## Context\n", "## Context\n\nMore context.\n", 1)));
    check(&|| {
        edit(&site, "docs/harness/exec-plans/active/011-search-api.md", |t| {
            t.replacen(
                "## Decision Log\n",
                "## Decision Log\n\n- 2026-04-01: Rank by recency when scores tie, as EP-009 does.\n",
                1,
            )
        })
    });
    check(&|| edit(&site, GC, |t| t.replacen("# EP-009: ", "# EP-009: Renamed ", 1)));
    check(&|| edit(&site, "AGENTS.md", |t| format!("{t}\nAsk before touching EP-010.\n")));
    check(&|| {
        edit(&site, "docs/harness/TECH_DEBT_TRACKER.md", |t| {
            t.replacen("quarantined as a flaky test", "quarantined as an intermittent test", 1)
        })
    });
    check(&|| {
        site.write("src/gc/sweep.rs", "// See EP-009 and TD-003 for the grace period.\nfn sweep() {}\n");
    });
    check(&|| {
        site.write(
            "docs/harness/exec-plans/active/014-new-plan.md",
            "# EP-014: A new plan\n\n**Status**: active\n**Created**: 2026-04-02\n\n## Goal\n\nFollow up EP-009.\n\n## Context\n\nSee TD-003.\n\n## Steps\n\n- [~] Step 1: Start.\n\n## Decision Log\n\n- 2026-04-02: Started.\n\n## Retrospective\n\n-\n",
        );
    });
    // A companion file edited, a new one, one removed; a draft edited and a new one.
    let progress = "docs/harness/exec-plans/active/011-search-api.progress.md";
    check(&|| edit(&site, progress, |t| format!("{t}\n## 2026-12-01 — session 3\n\n- Update trigger fixed.\n")));
    check(&|| {
        site.write("docs/harness/exec-plans/active/011-search-api.notes.md", "# Notes\n\nTokenizer: unicode61.\n");
    });
    check(&|| std::fs::remove_file(site.root().join(progress)).unwrap());
    check(&|| edit(&site, ".vtcode/plans/artifact-signing.md", |t| t.replacen("# Proposal: ", "# Proposal (v2): ", 1)));
    check(&|| {
        site.write(".vtcode/plans/quota-alerts.md", "# Proposal: quota alerts\n\nWarn at 80%.\n");
    });
    check(&|| std::fs::remove_file(site.root().join("docs/harness/exec-plans/active/013-api-versioning.md")).unwrap());
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let site = TestSite::copy_of("content-example");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let watch = Watch::start_with(&site, &["--port", &port]);
    assert!(watch.log().contains(&format!("port {port} is taken; serving on http://127.0.0.1:")), "{}", watch.log());
    assert!(!watch.url.ends_with(&format!(":{port}/")));
    assert_eq!(watch.get("/").0, 200);
}

#[test]
fn without_serving_it_still_rebuilds() {
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start_with(&site, &["--no-serve"]);
    assert!(!watch.log().contains("serving"), "{}", watch.log());
    edit(&site, GC, |t| t.replacen("## Context\n", "## Context\n\nNo server needed.\n", 1));
    watch.wait_log("rebuilt");
    assert!(site.read("site/plans/009-garbage-collection/index.html").contains("No server needed."));
}

#[test]
fn a_config_change_rebuilds_everything_and_an_edited_image_is_copied_again() {
    let site = TestSite::copy_of("content-example");
    site.write("docs/harness/img/flow.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>v1</title></svg>");
    edit(&site, GC, |t| t.replacen("## Context\n", "## Context\n\n![flow](../../img/flow.svg)\n", 1));
    let watch = Watch::start(&site);
    let copied = "/files/docs/harness/img/flow.svg";
    assert!(watch.get(copied).1.contains("v1"));
    // The image alone changes: the copy in the site follows.
    site.write("docs/harness/img/flow.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>v2</title></svg>");
    watch.wait_page(copied, |s, b| s == 200 && b.contains("v2"));
    // planbook.yaml changes: a fresh build with the new title.
    edit(&site, "planbook.yaml", |t| t.replace("title: Harbor", "title: Harbor Preview"));
    watch.wait_page("/", |s, b| s == 200 && b.contains("Harbor Preview"));
    assert!(watch.log().contains("configuration or theme changed"), "{}", watch.log());
}

#[test]
fn a_removed_output_folder_is_rebuilt_whole_and_stays_planbooks() {
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start(&site);
    let fresh = crate::support::site_check::snapshot(&site.root().join("site"));
    std::fs::remove_dir_all(site.root().join("site")).unwrap();
    // The removal alone is an event; an edit after it must not make a site of pages without assets.
    edit(&site, GC, |t| t.replacen("## Context\n", "## Context\n\nA sentence about otters.\n", 1));
    watch.wait_log("the output folder was removed: rebuilt");
    watch.wait_page("/plans/009-garbage-collection/", |s, b| s == 200 && b.contains("otters"));
    watch.wait_log("rebuilt 1 page");
    // The search index follows the pages.
    watch.wait_log("search index:");
    drop(watch);
    let live = crate::support::site_check::snapshot(&site.root().join("site"));
    let assets =
        |s: &std::collections::BTreeMap<String, Vec<u8>>| s.keys().filter(|k| k.starts_with("assets/")).count();
    assert_eq!(assets(&live), assets(&fresh), "assets are back");
    assert_eq!(live.len(), fresh.len(), "every page is back");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "the folder is still one planbook may replace: {}", run.stderr);
    assert_eq!(
        crate::support::site_check::snapshot(&site.root().join("site")),
        live,
        "and the live folder was what a build writes"
    );
}

#[test]
fn the_summary_after_an_edit_counts_what_check_counts() {
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start(&site);
    edit(&site, GC, |t| t.replacen("## Context\n", "## Context\n\nSee EP-999.\n", 1));
    watch.wait_log("rebuilt");
    let check = site.run(&["check"]);
    let summary = check.stdout.lines().last().unwrap().to_string();
    watch.wait_log(&summary);
}

#[test]
fn the_preview_server_is_bounded_and_checks_hosts() {
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start(&site);
    let addr = watch.url.trim_start_matches("http://").trim_end_matches('/').to_string();
    let threads = || std::fs::read_dir(format!("/proc/{}/task", watch.child.id())).unwrap().count();
    let before = threads();
    let idle: Vec<TcpStream> = (0..500).map(|_| TcpStream::connect(&addr).unwrap()).collect();
    // Connections are accepted in order: once a request after them is answered (a 503, as the
    // queue is full of idle ones, or a reset), the server has seen them all.
    let mut last = TcpStream::connect(&addr).unwrap();
    let _ = write!(last, "GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let mut answer = Vec::new();
    let _ = last.read_to_end(&mut answer);
    assert!(answer.is_empty() || answer.starts_with(b"HTTP/1.1 503"), "{}", String::from_utf8_lossy(&answer));
    let during = threads();
    assert!(during <= before + 2, "500 idle connections: {before} threads before, {during} during");
    drop(idle);
    watch.wait_page("/", |s, _| s == 200);
    // Two Host headers: refused, whichever comes first.
    for hosts in [format!("Host: {addr}\r\nHost: evil.example"), format!("Host: evil.example\r\nHost: {addr}")] {
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(s, "GET / HTTP/1.1\r\n{hosts}\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        assert!(out.starts_with("HTTP/1.1 400"), "{out}");
    }
}

#[test]
fn binding_beyond_loopback_warns() {
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start_with(&site, &["--port", "0", "--bind", "0.0.0.0", "--allow-host", "devbox.lan"]);
    let log = watch.log();
    assert!(log.contains("warning: serving on 0.0.0.0 reaches beyond this machine"), "{log}");
    assert!(log.contains("devbox.lan"), "{log}");
    let port = watch.url.rsplit(':').next().unwrap().trim_end_matches('/').to_string();
    let host = |h: &str| {
        let mut s = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        write!(s, "GET / HTTP/1.1\r\nHost: {h}\r\n\r\n").unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out.split_whitespace().nth(1).unwrap_or("").to_string()
    };
    assert_eq!(host(&format!("devbox.lan:{port}")), "200");
    assert_eq!(host(&format!("10.1.2.3:{port}")), "200");
    assert_eq!(host(&format!("rebound.attacker.example:{port}")), "421");
}

#[test]
fn a_plan_replaced_by_a_link_out_of_the_repository_is_not_read() {
    let site = TestSite::copy_of("content-example");
    let watch = Watch::start(&site);
    let secret = TestSite::empty();
    secret.write("secret.md", "# EP-009: Stolen\n\nhunter2\n");
    std::fs::remove_file(site.root().join(GC)).unwrap();
    std::os::unix::fs::symlink(secret.root().join("secret.md"), site.root().join(GC)).unwrap();
    watch.wait_page("/plans/009-garbage-collection/", |s, _| s == 404);
    drop(watch);
    let leaked = std::fs::read_dir(site.root().join("site/plans"))
        .unwrap()
        .any(|e| std::fs::read_to_string(e.unwrap().path().join("index.html")).unwrap_or_default().contains("hunter2"));
    assert!(!leaked, "the linked file's text is nowhere in the site");
}

#[test]
fn a_theme_edit_rebuilds_everything() {
    let site = TestSite::copy_of("content-example");
    site.write(
        "look/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Lost v1</p>{% endblock content %}",
    );
    edit(&site, "planbook.yaml", |t| format!("{t}\ntheme: look\n"));
    let watch = Watch::start(&site);
    assert!(watch.get("/404.html").1.contains("Lost v1"));
    site.write(
        "look/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Lost v2</p>{% endblock content %}",
    );
    watch.wait_page("/404.html", |_, b| b.contains("Lost v2"));
    assert!(watch.log().contains("configuration or theme changed"), "{}", watch.log());
}

#[test]
fn check_links_is_refused_with_watch() {
    let site = TestSite::copy_of("content-example");
    let run = site.run(&["build", "--watch", "--check-links"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--check-links") && run.stderr.contains("--watch"), "{}", run.stderr);
}

#[test]
fn in_a_git_repository_new_lines_are_uncommitted_until_a_commit() {
    let git = |site: &TestSite, args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(site.root())
            .env("GIT_AUTHOR_DATE", "2026-01-02T12:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-01-02T12:00:00Z")
            .env("GIT_AUTHOR_NAME", "Ann")
            .env("GIT_AUTHOR_EMAIL", "ann@example.invalid")
            .env("GIT_COMMITTER_NAME", "Ann")
            .env("GIT_COMMITTER_EMAIL", "ann@example.invalid")
            .env("HOME", site.root())
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    };
    if !std::process::Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: git is not installed");
        return;
    }
    let site = TestSite::empty();
    let plan = "docs/harness/exec-plans/active/001-cache.md";
    let text = "# EP-001: Cache\n\n**Status**: active\n\n## Goal\nG\n## Context\nC\n## Steps\n- [~] Step 1: go\n## Decision Log\n- 2026-01-01: start\n## Retrospective\n-\n";
    site.write(plan, text);
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["add", "-A"]);
    git(&site, &["commit", "-q", "-m", "start"]);
    let watch = Watch::start(&site);
    edit(&site, plan, |t| t.replace("- 2026-01-01: start\n", "- 2026-01-01: start\n- Evict on deploy\n"));
    watch.wait_page("/plans/001-cache/index.html", |_, b| b.contains("not committed yet"));
    git(&site, &["commit", "-q", "-am", "evict"]);
    // HEAD moved: the next edit reads history again, and the line has its commit's date.
    edit(&site, plan, |t| t.replace("## Goal\nG\n", "## Goal\nGo.\n"));
    let page =
        watch.wait_page("/plans/001-cache/index.html", |_, b| b.contains("Go.") && !b.contains("not committed yet"));
    assert!(page.contains(r#"<time datetime="2026-01-02">2026-01-02</time> <span class="from-git""#), "{page}");
}
