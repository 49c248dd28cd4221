//! Real headless Chromium for browser tests, driven through chromedriver's WebDriver API, and
//! planbook's own server to load pages over HTTP (like GitHub Pages does).
//!
//! Browser tests need Debian's `chromium` and `chromium-driver`. When they are missing a test is
//! skipped with a message, unless `PLANBOOK_BROWSER_TESTS=require` (set by `.ci/run`, which
//! installs them), where a missing browser fails the test.

use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A static file server for `dir` on 127.0.0.1 (an ephemeral port), serving it under `prefix`
/// (`/` or `/widgets/`): planbook's own server (`planbook::serve`) without live reload, so the
/// tests load pages as the preview and a static host serve them. Requests outside the prefix or
/// for missing files get the site's 404 page.
pub struct StaticServer {
    pub port: u16,
    pub prefix: String,
    server: planbook::serve::Server,
}

/// The Content-Security-Policy the site must work under: nothing inline, nothing eval'd,
/// nothing from elsewhere.
pub const STRICT_CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'";

impl StaticServer {
    pub fn start(dir: &Path, prefix: &str) -> StaticServer {
        Self::start_with_headers(dir, prefix, Vec::new())
    }

    /// Like [`StaticServer::start`], sending [`STRICT_CSP`] with every response, as a careful
    /// host would.
    pub fn start_with_csp(dir: &Path, prefix: &str) -> StaticServer {
        Self::start_with_headers(dir, prefix, vec![("Content-Security-Policy".into(), STRICT_CSP.into())])
    }

    fn start_with_headers(dir: &Path, prefix: &str, headers: Vec<(String, String)>) -> StaticServer {
        let opts = planbook::serve::ServeOptions {
            bind: "127.0.0.1".parse().unwrap(),
            port: 0,
            base_path: prefix.to_string(),
            live_reload: false,
            headers,
            allow_hosts: Vec::new(),
            log: true,
        };
        let server = planbook::serve::Server::start_with(dir, opts).expect("start the server");
        let prefix = format!("/{}/", prefix.trim_matches('/')).replace("//", "/");
        StaticServer { port: server.addr.port(), prefix, server }
    }

    /// Body bytes served since the last call for the paths `keep` accepts; forgets the log.
    #[allow(dead_code)]
    pub fn take_bytes(&self, keep: impl Fn(&str) -> bool) -> u64 {
        self.server.take_log().iter().filter(|(p, _)| keep(p)).map(|(_, n)| *n as u64).sum()
    }

    /// The URL of `path` (site-relative).
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
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
    /// Starts chromedriver and a headless Chromium. Browser tests are marked
    /// `#[cfg_attr(no_browser, ignore)]`: the build script sets `no_browser` when the two are
    /// not installed (and `PLANBOOK_BROWSER_TESTS=require` is not set), so a test that cannot
    /// run is reported as ignored; one that runs without them fails here.
    pub fn start() -> Browser {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].into_iter().find(|p| Path::new(p).exists());
        let driver = ["/usr/bin/chromedriver"].into_iter().find(|p| Path::new(p).exists());
        let (Some(chromium), Some(driver)) = (chromium, driver) else {
            panic!("chromium and chromedriver are needed: install Debian's chromium and chromium-driver");
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
        Browser { driver: child, base, session, _profile: profile }
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
