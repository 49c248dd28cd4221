//! The preview server of `build --watch` (and the tests' static server): serves a built site over
//! HTTP, with live reload for the preview.
//!
//! It binds loopback unless told otherwise, serves only regular files inside the site folder
//! (no `..`, no symlink leading out of it), answers unknown paths with the site's `404.html`,
//! and never caches. Into HTML responses, and only there (never into the built files), the
//! preview adds one script, `/__planbook/live.js`, which listens to `/__planbook/events`
//! (server-sent events) and reloads the page after each rebuild, or shows the diagnostics of a
//! broken file over the page until the next good save.
//!
//! Bounded by construction: a fixed pool of workers takes connections from a short queue (a
//! full queue answers 503 at once), a request head must arrive whole within a deadline and a
//! size cap, every connection closes after one response, and event streams are handed to the
//! broadcaster instead of holding a worker (at most `MAX_EVENT_CLIENTS`, oldest dropped first).
//! Requests are parsed by `httparse`; exactly one `Host` header must name this server
//! (loopback names, an IP literal when bound beyond loopback, or a name given with
//! `--allow-host`), which shuts out DNS rebinding.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where live reload lives; no site path starts with it.
pub const PREFIX: &str = "/__planbook/";

const LIVE_JS: &str = include_str!("serve/live.js");

/// Workers answering requests.
const WORKERS: usize = 8;
/// Connections waiting for a worker; beyond this, 503.
const QUEUE: usize = 64;
/// Open event streams (one per preview tab).
pub const MAX_EVENT_CLIENTS: usize = 64;
/// A request head must arrive whole within this time.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// Longest request head accepted (request line and headers).
const MAX_HEAD: usize = 16 * 1024;
/// Most headers accepted in one request.
const MAX_HEADERS: usize = 48;
/// How long a page may take to read an event before it is dropped (it reconnects by itself).
const CLIENT_TIMEOUT: Duration = Duration::from_millis(500);
/// A whole response must be taken within this time: a client reading a few bytes now and then
/// cannot hold a worker longer.
const RESPONSE_DEADLINE: Duration = Duration::from_secs(20);

/// How a server serves.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Address to bind.
    pub bind: IpAddr,
    /// Port to try first (0: any free one).
    pub port: u16,
    /// The path the site is served under (`/`, or `/widgets/` as on a GitHub Pages project site).
    pub base_path: String,
    /// Live reload: the script, the event stream and the problem overlay.
    pub live_reload: bool,
    /// Extra response headers (`Content-Security-Policy` in tests).
    pub headers: Vec<(String, String)>,
    /// Host names accepted besides loopback names and IP literals (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// Keep a log of (path, body bytes) served (benchmarks).
    pub log: bool,
}

impl ServeOptions {
    /// The preview's options: live reload at `/`.
    pub fn preview(bind: IpAddr, port: u16, allow_hosts: Vec<String>) -> ServeOptions {
        ServeOptions {
            bind,
            port,
            base_path: "/".into(),
            live_reload: true,
            headers: Vec::new(),
            allow_hosts,
            log: false,
        }
    }
}

/// A running server.
#[derive(Debug, Clone)]
pub struct Server {
    /// The address it listens on.
    pub addr: SocketAddr,
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    opts: ServeOptions,
    port: u16,
    /// The folder served (it can change when planbook.yaml's `output:` does).
    dir: Mutex<PathBuf>,
    clients: Mutex<Vec<TcpStream>>,
    /// The last problem report, sent to pages that connect while a file is broken.
    problems: Mutex<Option<String>>,
    log: Mutex<Vec<(String, usize)>>,
}

/// A message to open pages.
#[derive(Debug, Clone)]
pub enum Event {
    /// A rebuild finished: reload.
    Reload,
    /// These pages (site-relative URLs) changed: a page showing one of them reloads.
    Changed(Vec<String>),
    /// Files could not be read: show these diagnostics (plain text) over the page.
    Problems(String),
}

/// Whether serving on `bind` reaches beyond this machine (the caller warns).
pub fn beyond_loopback(bind: IpAddr) -> bool {
    !bind.is_loopback()
}

impl Server {
    /// The preview: serves `dir` on `bind:port` (or the next free port above it, up to 100
    /// tries) with live reload.
    pub fn start(dir: &Path, bind: IpAddr, port: u16) -> anyhow::Result<Server> {
        Server::start_with(dir, ServeOptions::preview(bind, port, Vec::new()))
    }

    /// Serves `dir` as `opts` say.
    pub fn start_with(dir: &Path, mut opts: ServeOptions) -> anyhow::Result<Server> {
        let listener = (0..100u16)
            .filter_map(|k| opts.port.checked_add(k))
            .find_map(|p| TcpListener::bind((opts.bind, p)).ok())
            .ok_or_else(|| anyhow::anyhow!("no free port from {} on {}", opts.port, opts.bind))?;
        let addr = listener.local_addr()?;
        opts.base_path = format!("/{}/", opts.base_path.trim_matches('/')).replace("//", "/");
        let inner = Arc::new(Inner {
            opts,
            port: addr.port(),
            dir: Mutex::new(dir.to_path_buf()),
            clients: Mutex::default(),
            problems: Mutex::default(),
            log: Mutex::default(),
        });
        let (tx, rx) = sync_channel::<(TcpStream, Instant)>(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        for _ in 0..WORKERS {
            let (inner, rx) = (inner.clone(), rx.clone());
            std::thread::spawn(move || work(&inner, &rx));
        }
        std::thread::spawn(move || accept(&listener, &tx));
        Ok(Server { addr, inner })
    }

    /// Serves `dir` from now on.
    pub fn set_dir(&self, dir: &Path) {
        *lock(&self.inner.dir) = dir.to_path_buf();
    }

    /// The URL of `path` (site-relative).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}{}", self.addr, self.inner.opts.base_path, path.trim_start_matches('/'))
    }

    /// (path, body bytes) of every response since the last call (with `log` on).
    pub fn take_log(&self) -> Vec<(String, usize)> {
        std::mem::take(&mut *lock(&self.inner.log))
    }

    /// Sends `event` to every open page.
    pub fn send(&self, event: &Event) {
        let message = match event {
            Event::Reload => {
                *lock(&self.inner.problems) = None;
                "event: reload\ndata: {}\n\n".to_string()
            }
            Event::Changed(pages) => {
                *lock(&self.inner.problems) = None;
                let base = &self.inner.opts.base_path;
                let paths: Vec<String> = pages.iter().map(|p| format!("{base}{}", p.trim_start_matches('/'))).collect();
                format!("event: changed\ndata: {}\n\n", serde_json::json!({ "pages": paths }))
            }
            Event::Problems(text) => {
                let data = serde_json::json!({ "text": text }).to_string();
                let m = format!("event: problems\ndata: {data}\n\n");
                *lock(&self.inner.problems) = Some(m.clone());
                m
            }
        };
        // Write outside the lock, each page with a short timeout: a page that stopped reading
        // is dropped and cannot hold up the others or the next rebuild.
        let clients = std::mem::take(&mut *lock(&self.inner.clients));
        let alive: Vec<TcpStream> = clients
            .into_iter()
            .filter_map(|mut c| c.write_all(message.as_bytes()).and_then(|()| c.flush()).ok().map(|()| c))
            .collect();
        lock(&self.inner.clients).extend(alive);
    }

    /// Open event streams (for tests).
    pub fn event_clients(&self) -> usize {
        lock(&self.inner.clients).len()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().expect("no panic while holding the lock")
}

/// Hands connections to the workers; a full queue gets 503 at once.
fn accept(listener: &TcpListener, tx: &SyncSender<(TcpStream, Instant)>) {
    for stream in listener.incoming().flatten() {
        match tx.try_send((stream, Instant::now())) {
            Ok(()) => {}
            Err(TrySendError::Full((mut s, _))) => {
                let _ = s.set_write_timeout(Some(Duration::from_millis(200)));
                let _ = s.write_all(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 5\r\nRetry-After: 1\r\nConnection: close\r\n\r\nbusy\n",
                );
            }
            Err(TrySendError::Disconnected(_)) => return,
        }
    }
}

fn work(inner: &Inner, rx: &Mutex<Receiver<(TcpStream, Instant)>>) {
    loop {
        let (stream, accepted) = match lock(rx).recv() {
            Ok(s) => s,
            Err(_) => return,
        };
        let dir = lock(&inner.dir).clone();
        // A bug here must cost one response, not a worker.
        let _ = crate::panics::guard(|| inner.handle(stream, accepted, &dir));
    }
}

/// A parsed request head.
#[derive(Debug, PartialEq, Eq)]
struct Head {
    method: String,
    path: String,
    host: Option<String>,
}

/// Why a request head was not accepted: the status to answer with.
#[derive(Debug, PartialEq, Eq)]
enum Refused {
    /// Nothing (or not a whole head) arrived in time: close without answering.
    Gone,
    BadRequest(&'static str),
    TooLarge,
}

/// Reads one request head within `HEAD_DEADLINE` of its connection being accepted (time spent
/// waiting in the queue counts, so idle connections cannot hold the pool in turns) and within
/// `MAX_HEAD` bytes.
fn read_head(stream: &mut TcpStream, accepted: Instant) -> Result<Head, Refused> {
    let deadline = accepted + HEAD_DEADLINE;
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Refused::Gone);
        }
        let _ = stream.set_read_timeout(Some(left));
        let n = stream.read(&mut chunk).map_err(|_| Refused::Gone)?;
        if n == 0 {
            return Err(Refused::Gone);
        }
        buf.extend_from_slice(&chunk[..n]);
        match parse_head(&buf) {
            Ok(Some(head)) => return Ok(head),
            Ok(None) if buf.len() >= MAX_HEAD => return Err(Refused::TooLarge),
            Ok(None) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Parses a request head; `Ok(None)` while it is incomplete.
fn parse_head(buf: &[u8]) -> Result<Option<Head>, Refused> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Partial) => Ok(None),
        Ok(httparse::Status::Complete(_)) => {
            let mut hosts = req.headers.iter().filter(|h| h.name.eq_ignore_ascii_case("host"));
            let host = hosts.next().map(|h| String::from_utf8_lossy(h.value).trim().to_string());
            if hosts.next().is_some() {
                return Err(Refused::BadRequest("more than one Host header\n"));
            }
            Ok(Some(Head {
                method: req.method.unwrap_or_default().to_string(),
                path: req.path.unwrap_or("/").to_string(),
                host,
            }))
        }
        Err(httparse::Error::TooManyHeaders) => Err(Refused::TooLarge),
        Err(_) => Err(Refused::BadRequest("malformed request\n")),
    }
}

impl Inner {
    fn handle(&self, mut stream: TcpStream, accepted: Instant, dir: &Path) {
        let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
        let head = match read_head(&mut stream, accepted) {
            Ok(head) => head,
            Err(Refused::Gone) => return,
            Err(Refused::BadRequest(why)) => {
                let _ = self.respond(&mut stream, "400 Bad Request", "text/plain", why.as_bytes(), false);
                return;
            }
            Err(Refused::TooLarge) => {
                let _ = self.respond(&mut stream, "431 Request Header Fields Too Large", "text/plain", b"", false);
                return;
            }
        };
        if head.method != "GET" && head.method != "HEAD" {
            let _ = self.respond(&mut stream, "405 Method Not Allowed", "text/plain", b"GET or HEAD only\n", true);
            return;
        }
        if !self.host_allowed(head.host.as_deref()) {
            // A page elsewhere that rebinds its domain to this address must not read the site.
            let _ =
                self.respond(&mut stream, "421 Misdirected Request", "text/plain", b"unexpected Host header\n", false);
            return;
        }
        let head_only = head.method == "HEAD";
        let path = head.path.split(['?', '#']).next().unwrap_or("/");
        if self.opts.live_reload {
            if path == format!("{PREFIX}events") {
                self.open_events(stream);
                return;
            }
            if path == format!("{PREFIX}live.js") {
                let _ = self.respond(
                    &mut stream,
                    "200 OK",
                    "text/javascript; charset=utf-8",
                    LIVE_JS.as_bytes(),
                    head_only,
                );
                return;
            }
        }
        let found = path.strip_prefix(self.opts.base_path.as_str()).or_else(|| {
            // `/widgets` for `/widgets/`.
            (format!("{path}/") == self.opts.base_path).then_some("")
        });
        let file = found.and_then(|rel| resolve(dir, rel));
        match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
            Some((file, bytes)) => {
                let kind = content_type(&file);
                let body = if self.opts.live_reload && kind.starts_with("text/html") { inject(bytes) } else { bytes };
                let _ = self.respond(&mut stream, "200 OK", &kind, &body, head_only);
                self.log(path, body.len());
            }
            None => {
                let body = resolve(dir, "404.html").and_then(|f| std::fs::read(f).ok());
                let body = match body {
                    Some(b) if self.opts.live_reload => inject(b),
                    Some(b) => b,
                    None => b"not found\n".to_vec(),
                };
                let _ = self.respond(&mut stream, "404 Not Found", "text/html; charset=utf-8", &body, head_only);
                self.log(path, body.len());
            }
        }
    }

    fn log(&self, path: &str, bytes: usize) {
        if self.opts.log {
            lock(&self.log).push((path.to_string(), bytes));
        }
    }

    /// Keeps an event stream open without holding a worker.
    fn open_events(&self, mut stream: TcpStream) {
        let _ = stream.set_write_timeout(Some(CLIENT_TIMEOUT));
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: planbook live reload\n\n";
        let problems = lock(&self.problems).clone();
        let greeting = format!("{head}{}", problems.unwrap_or_default());
        if stream.write_all(greeting.as_bytes()).is_ok() {
            let mut clients = lock(&self.clients);
            if clients.len() >= MAX_EVENT_CLIENTS {
                let oldest = clients.remove(0);
                let _ = oldest.shutdown(std::net::Shutdown::Both);
            }
            clients.push(stream);
        }
    }

    /// Exactly one Host, naming this server: on loopback only `localhost`, `127.0.0.1` and
    /// `[::1]`; bound beyond loopback also IP literals (a rebinding attack needs a domain name)
    /// and the names in `allow_hosts`. A port, when given, must be ours.
    fn host_allowed(&self, host: Option<&str>) -> bool {
        let Some(host) = host else { return false };
        let port = self.port.to_string();
        let name = match host.rsplit_once(':') {
            Some((name, p)) if p == port => name,
            Some(_) if !host.ends_with(']') => return false,
            _ => host,
        };
        let name = name.to_ascii_lowercase();
        let bound = match self.opts.bind {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        };
        if matches!(name.as_str(), "localhost" | "127.0.0.1" | "[::1]") || name == bound {
            return true;
        }
        if self.opts.bind.is_loopback() {
            return false;
        }
        let ip_literal = name.parse::<IpAddr>().is_ok()
            || name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).is_some_and(|n| n.parse::<IpAddr>().is_ok());
        ip_literal || self.opts.allow_hosts.iter().any(|h| h.eq_ignore_ascii_case(&name))
    }

    fn respond(
        &self,
        stream: &mut TcpStream,
        status: &str,
        kind: &str,
        body: &[u8],
        head_only: bool,
    ) -> std::io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            body.len()
        );
        for (name, value) in &self.opts.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let deadline = Instant::now() + RESPONSE_DEADLINE;
        let body = if head_only { &[][..] } else { body };
        for chunk in std::iter::once(head.as_bytes()).chain(body.chunks(64 * 1024)) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "response deadline"));
            }
            stream.set_write_timeout(Some(left.min(Duration::from_secs(10))))?;
            stream.write_all(chunk)?;
        }
        stream.flush()
    }
}

/// The file a URL path (relative to where the site is served) names inside `dir`, if it is a
/// regular file there: percent-decoded, `..` and absolute segments refused, folders served by
/// their `index.html`, and the result checked against `dir` after resolving symlinks.
pub fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    // Strictly UTF-8 here (a page path that is not is no page), unlike `href::percent_decode`.
    let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8().ok()?;
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) || decoded.contains('\0') {
        return None;
    }
    let mut file = dir.join(rel);
    if decoded.ends_with('/') || decoded.is_empty() || file.is_dir() {
        file = file.join("index.html");
    }
    let real = file.canonicalize().ok()?;
    let root = dir.canonicalize().ok()?;
    (real.starts_with(&root) && real.is_file()).then_some(real)
}

/// Adds the live-reload script before `</body>`.
fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{PREFIX}live.js\" defer></script>");
    match html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")) {
        Some(at) => {
            html.splice(at..at, tag.bytes());
        }
        None => html.extend_from_slice(tag.as_bytes()),
    }
    html
}

/// The Content-Type of a file, from mime_guess's table; text gets `charset=utf-8` (planbook
/// writes only UTF-8).
fn content_type(p: &Path) -> String {
    let mime = mime_guess::from_path(p).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.essence_str(), "application/javascript" | "application/json" | "image/svg+xml");
    if text && mime.get_param(mime_guess::mime::CHARSET).is_none() {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

#[cfg(test)]
mod tests;
