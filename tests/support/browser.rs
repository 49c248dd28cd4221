//! Real headless Chromium for browser tests, driven through chromedriver's WebDriver API, and a
//! small static file server to load pages over HTTP (like GitHub Pages does).
//!
//! Browser tests need Debian's `chromium` and `chromium-driver`. When they are missing a test is
//! skipped with a message, unless `PLANBOOK_BROWSER_TESTS=require` (set by `.ci/run`, which
//! installs them), where a missing browser fails the test.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A static file server for `dir` on 127.0.0.1 (an ephemeral port), serving it under `prefix`
/// (`/` or `/widgets/`). Requests outside the prefix or for missing files get 404.
pub struct StaticServer {
    pub port: u16,
    pub prefix: String,
    /// (path, body bytes) of every response, for benchmarks.
    log: Arc<Mutex<Vec<(String, usize)>>>,
}

/// The Content-Security-Policy the site must work under: nothing inline, nothing eval'd,
/// nothing from elsewhere.
pub const STRICT_CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'";

impl StaticServer {
    pub fn start(dir: &Path, prefix: &str) -> StaticServer {
        Self::start_with_headers(dir, prefix, "")
    }

    /// Like [`StaticServer::start`], sending [`STRICT_CSP`] with every response, as a careful
    /// host would.
    pub fn start_with_csp(dir: &Path, prefix: &str) -> StaticServer {
        Self::start_with_headers(dir, prefix, &format!("Content-Security-Policy: {STRICT_CSP}\r\n"))
    }

    fn start_with_headers(dir: &Path, prefix: &str, headers: &str) -> StaticServer {
        let headers = headers.to_string();
        let log: Arc<Mutex<Vec<(String, usize)>>> = Arc::default();
        let served = log.clone();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let port = listener.local_addr().unwrap().port();
        let dir = dir.to_path_buf();
        let prefix = format!("/{}/", prefix.trim_matches('/')).replace("//", "/");
        let p = prefix.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let dir = dir.clone();
                let p = p.clone();
                let headers = headers.clone();
                let log = served.clone();
                std::thread::spawn(move || {
                    if let Some(entry) = serve(stream, &dir, &p, &headers) {
                        log.lock().unwrap().push(entry);
                    }
                });
            }
        });
        StaticServer { port, prefix, log }
    }

    /// Body bytes served since the last call for the paths `keep` accepts; forgets the log.
    #[allow(dead_code)]
    pub fn take_bytes(&self, keep: impl Fn(&str) -> bool) -> u64 {
        let mut log = self.log.lock().unwrap();
        let sum = log.iter().filter(|(p, _)| keep(p)).map(|(_, n)| *n as u64).sum();
        log.clear();
        sum
    }

    /// The URL of `path` (site-relative).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}{}", self.port, self.prefix, path.trim_start_matches('/'))
    }
}

/// Answers one request; returns (path, body bytes) of what it served.
fn serve(stream: TcpStream, dir: &Path, prefix: &str, headers: &str) -> Option<(String, usize)> {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return None;
    }
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap_or("/").to_string();
    let file: Option<PathBuf> = path.strip_prefix(prefix).map(|rel| {
        let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy().into_owned();
        let mut f = dir.join(rel);
        if f.is_dir() || path.ends_with('/') {
            f = f.join("index.html");
        }
        f
    });
    let mut stream = stream;
    let (status, body, kind) = match file.filter(|f| f.is_file() && !f.components().any(|c| c.as_os_str() == "..")) {
        Some(f) => ("200 OK", std::fs::read(&f).unwrap_or_default(), content_type(&f)),
        None => ("404 Not Found", std::fs::read(dir.join("404.html")).unwrap_or_default(), "text/html; charset=utf-8"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{headers}Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    Some((path, body.len()))
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "xml" => "application/atom+xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

/// A headless Chromium session.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium; `None` (with a message) when they are not
    /// installed and browser tests are not required.
    pub fn start() -> Option<Browser> {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| Path::new(p).exists());
        let driver = ["/usr/bin/chromedriver"].into_iter().find(|p| Path::new(p).exists());
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            if std::env::var("PLANBOOK_BROWSER_TESTS").as_deref() == Ok("require") {
                panic!("chromium and chromedriver are required (PLANBOOK_BROWSER_TESTS=require)");
            }
            eprintln!("skipping a browser test: install chromium and chromium-driver to run it");
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", format!("--user-data-dir={}", profile.path().display())
            ]}
        }}});
        let resp: Value =
            ureq::post(&format!("{base}/session")).send_json(caps).expect("new session").into_json().unwrap();
        let session = resp["value"]["sessionId"].as_str().expect("session id").to_string();
        Some(Browser { driver: child, base, session, _profile: profile })
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{}", self.base, self.session, path);
        let resp = match method {
            "GET" => ureq::get(&url).call(),
            _ => ureq::post(&url).send_json(body),
        };
        match resp {
            Ok(r) => r.into_json::<Value>().unwrap()["value"].clone(),
            Err(ureq::Error::Status(_, r)) => panic!("webdriver {path}: {}", r.into_string().unwrap_or_default()),
            Err(e) => panic!("webdriver {path}: {e}"),
        }
    }

    /// Opens `url` and waits for the page to load.
    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", json!({"url": url}));
    }

    /// Runs JavaScript (the body of a function; `arguments` holds `args`) and returns its value.
    pub fn eval(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/execute/sync", json!({"script": script, "args": args}))
    }

    /// Runs asynchronous JavaScript: the script calls `arguments[arguments.length - 1]` with its
    /// result.
    #[allow(dead_code)]
    pub fn eval_async(&self, script: &str, args: Value) -> Value {
        self.cmd("POST", "/execute/async", json!({"script": script, "args": args}))
    }

    /// Waits until `script` returns something truthy (up to 10 s) and returns it.
    pub fn wait_for(&self, script: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.eval(script, json!([]));
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for: {script}");
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Sets a `<select>`'s value and fires `change`.
    pub fn select(&self, css: &str, value: &str) {
        self.eval(
            "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));",
            json!([css, value]),
        );
    }

    /// Clicks the first element matching `css`.
    pub fn click(&self, css: &str) {
        let el = self.cmd("POST", "/element", json!({"using": "css selector", "value": css}));
        let id = el.as_object().and_then(|o| o.values().next()).and_then(|v| v.as_str()).expect("element").to_string();
        self.cmd("POST", &format!("/element/{id}/click"), json!({}));
    }

    /// Types into the first element matching `css` (WebDriver key events, so `keydown` fires).
    pub fn type_into(&self, css: &str, text: &str) {
        let el = self.cmd("POST", "/element", json!({"using": "css selector", "value": css}));
        let id = el.as_object().and_then(|o| o.values().next()).and_then(|v| v.as_str()).expect("element").to_string();
        self.cmd("POST", &format!("/element/{id}/value"), json!({"text": text}));
    }

    /// Console messages at level SEVERE (errors), network failures included.
    pub fn console_errors(&self) -> Vec<String> {
        let logs = self.cmd("POST", "/se/log", json!({"type": "browser"}));
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|l| l["level"] == "SEVERE")
            .map(|l| l["message"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self, to: &Path) {
        use base64_decode as b64;
        let data = self.cmd("GET", "/screenshot", Value::Null);
        std::fs::write(to, b64(data.as_str().unwrap_or_default())).unwrap();
    }
}

/// Standard base64 decoding (screenshots only; no dependency for 20 lines).
fn base64_decode(s: &str) -> Vec<u8> {
    let table = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(table) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
