//! Watch-mode benchmark: edit-to-updated-page latency, end to end.
//!
//! Starts `planbook build --watch` on ROOT (a copy you do not mind editing), then, RUNS times,
//! adds a sentence to the plan at PLAN (relative to ROOT) and measures the time from the write
//! until the preview server serves the plan's page with that sentence: debouncing, re-reading,
//! re-rendering, writing and serving included.
//!
//! ```text
//! cargo build --release
//! cp -r content-example /tmp/ce
//! cargo run --release --example watch_bench -- /tmp/ce docs/harness/exec-plans/active/009-garbage-collection.md
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(root), Some(plan)) = (args.first(), args.get(1)) else {
        eprintln!("usage: watch_bench ROOT PLAN [RUNS] [--title]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(9);
    let title = args.iter().any(|a| a == "--title");
    let bin = std::env::var("PLANBOOK").unwrap_or_else(|_| "target/release/planbook".to_string());
    let mut child = Command::new(&bin)
        .args(["build", "--watch", "--port", "0", "--color", "never", "-q"])
        .arg(root)
        .stderr(Stdio::piped())
        .spawn()
        .expect("start planbook (set PLANBOOK to its path)");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("planbook exited").unwrap();
        if let Some(rest) = line.split("serving http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let stem = plan.rsplit('/').next().unwrap().trim_end_matches(".md");
    let page = format!("/plans/{stem}/index.html");
    let path = std::path::Path::new(root).join(plan);
    std::thread::sleep(Duration::from_millis(500));
    let mut times = Vec::new();
    for k in 0..runs {
        let marker = format!("benchmark-sentence-{k}-{}", std::process::id());
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = if title {
            let (first, rest) = text.split_once('\n').unwrap();
            format!("{} {marker}\n{rest}", first.split(" benchmark-sentence").next().unwrap())
        } else {
            text.replacen("## Context\n", &format!("## Context\n\n{marker}\n"), 1)
        };
        let t = Instant::now();
        std::fs::write(&path, edited).unwrap();
        loop {
            if get(&addr, &page).contains(&marker) {
                break;
            }
            assert!(t.elapsed() < Duration::from_secs(30), "page never updated");
            std::thread::sleep(Duration::from_millis(1));
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        // Let the search index catch up before the next edit.
        std::thread::sleep(Duration::from_millis(1500));
    }
    let _ = child.kill();
    let _ = child.wait();
    times.sort_by(f64::total_cmp);
    println!(
        "{} edit of {plan}: median {:.0} ms (min {:.0}, max {:.0}) over {runs} edits",
        if title { "title" } else { "body" },
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

fn get(addr: &str, path: &str) -> String {
    let Ok(mut s) = TcpStream::connect(addr) else { return String::new() };
    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}
