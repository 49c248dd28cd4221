//! The preview server of `build --watch`: serves the output folder over HTTP with live reload.
//!
//! It binds loopback unless told otherwise, serves only regular files inside the output folder
//! (no `..`, no symlink leading out of it), answers unknown paths with the site's `404.html`,
//! and never caches. Into HTML responses, and only there (never into the built files), it adds
//! one script, `/__planbook/live.js`, which listens to `/__planbook/events` (server-sent events)
//! and reloads the page after each rebuild, or shows the diagnostics of a broken file over the
//! page until the next good save.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where live reload lives; no site path starts with it.
pub const PREFIX: &str = "/__planbook/";

const LIVE_JS: &str = include_str!("serve/live.js");

/// A running preview server.
#[derive(Debug, Clone)]
pub struct Server {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The folder served (it can change when planbook.yaml's `output:` does).
    dir: Arc<Mutex<PathBuf>>,
    clients: Arc<Mutex<Vec<TcpStream>>>,
    /// The last problem report, sent to pages that connect while a file is broken.
    problems: Arc<Mutex<Option<String>>>,
}

/// How long a page may take to read an event before it is dropped (it reconnects by itself).
const CLIENT_TIMEOUT: Duration = Duration::from_millis(500);
/// Longest request line or header accepted.
const MAX_LINE: u64 = 8 * 1024;

/// A message to open pages.
#[derive(Debug, Clone)]
pub enum Event {
    /// A rebuild finished: reload.
    Reload,
    /// Files could not be read: show these diagnostics (plain text) over the page.
    Problems(String),
}

impl Server {
    /// Serves `dir` on `bind:port`, or the next free port above it (up to 100 tries) when that
    /// one is taken.
    pub fn start(dir: &Path, bind: IpAddr, port: u16) -> anyhow::Result<Server> {
        let listener = (0..100u16)
            .filter_map(|k| port.checked_add(k))
            .find_map(|p| TcpListener::bind((bind, p)).ok())
            .ok_or_else(|| anyhow::anyhow!("no free port from {port} on {bind}"))?;
        let addr = listener.local_addr()?;
        let server = Server {
            addr,
            dir: Arc::new(Mutex::new(dir.to_path_buf())),
            clients: Arc::default(),
            problems: Arc::default(),
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || {
                    let dir = s.dir.lock().expect("no panic while holding the lock").clone();
                    s.handle(stream, &dir)
                });
            }
        });
        Ok(server)
    }

    /// Serves `dir` from now on.
    pub fn set_dir(&self, dir: &Path) {
        *self.dir.lock().expect("no panic while holding the lock") = dir.to_path_buf();
    }

    /// Sends `event` to every open page.
    pub fn send(&self, event: &Event) {
        let message = match event {
            Event::Reload => {
                *self.problems.lock().expect("no panic while holding the lock") = None;
                "event: reload\ndata: {}\n\n".to_string()
            }
            Event::Problems(text) => {
                let data = serde_json::json!({ "text": text }).to_string();
                let m = format!("event: problems\ndata: {data}\n\n");
                *self.problems.lock().expect("no panic while holding the lock") = Some(m.clone());
                m
            }
        };
        // Write outside the lock, each page with a short timeout: a page that stopped reading
        // is dropped and cannot hold up the others or the next rebuild.
        let clients = std::mem::take(&mut *self.clients.lock().expect("no panic while holding the lock"));
        let alive: Vec<TcpStream> = clients
            .into_iter()
            .filter_map(|mut c| c.write_all(message.as_bytes()).and_then(|()| c.flush()).ok().map(|()| c))
            .collect();
        self.clients.lock().expect("no panic while holding the lock").extend(alive);
    }

    fn handle(&self, stream: TcpStream, dir: &Path) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
        let Ok(read) = stream.try_clone() else { return };
        let mut reader = BufReader::new(read);
        let read_line = |reader: &mut BufReader<TcpStream>, line: &mut String| {
            reader.take(MAX_LINE).read_line(line).ok().filter(|n| *n > 0 && line.ends_with('\n'))
        };
        let mut line = String::new();
        if read_line(&mut reader, &mut line).is_none() {
            return;
        }
        let mut host = None;
        loop {
            let mut h = String::new();
            if read_line(&mut reader, &mut h).is_none() || h == "\r\n" || h == "\n" {
                break;
            }
            if let Some((name, value)) = h.split_once(':')
                && name.eq_ignore_ascii_case("host")
            {
                host = Some(value.trim().to_string());
            }
        }
        let mut parts = line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let mut stream = stream;
        if method != "GET" && method != "HEAD" {
            let _ = respond(&mut stream, "405 Method Not Allowed", "text/plain", b"GET or HEAD only\n", true);
            return;
        }
        if !self.host_allowed(host.as_deref()) {
            // A page elsewhere that rebinds its domain to 127.0.0.1 must not read the preview.
            let _ = respond(&mut stream, "421 Misdirected Request", "text/plain", b"unexpected Host header\n", false);
            return;
        }
        let path = target.split(['?', '#']).next().unwrap_or("/");
        if path == format!("{PREFIX}events") {
            let _ = stream.set_write_timeout(Some(CLIENT_TIMEOUT));
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: planbook live reload\n\n";
            let problems = self.problems.lock().expect("no panic while holding the lock").clone();
            let greeting = format!("{head}{}", problems.unwrap_or_default());
            if stream.write_all(greeting.as_bytes()).is_ok() {
                self.clients.lock().expect("no panic while holding the lock").push(stream);
            }
            return;
        }
        let head_only = method == "HEAD";
        if path == format!("{PREFIX}live.js") {
            let _ = respond(&mut stream, "200 OK", "text/javascript; charset=utf-8", LIVE_JS.as_bytes(), head_only);
            return;
        }
        match resolve(dir, path) {
            Some(file) => match std::fs::read(&file) {
                Ok(bytes) => {
                    let kind = content_type(&file);
                    let body = if kind.starts_with("text/html") { inject(bytes) } else { bytes };
                    let _ = respond(&mut stream, "200 OK", kind, &body, head_only);
                }
                Err(_) => not_found(&mut stream, dir, head_only),
            },
            None => not_found(&mut stream, dir, head_only),
        }
    }
}

impl Server {
    /// On a loopback address only `localhost`, `127.0.0.1` and `[::1]` (on our port) are
    /// accepted as Host; bound elsewhere (`--bind`), any Host is.
    fn host_allowed(&self, host: Option<&str>) -> bool {
        if !self.addr.ip().is_loopback() {
            return true;
        }
        let Some(host) = host else { return false };
        let port = self.addr.port().to_string();
        let name = match host.rsplit_once(':') {
            Some((name, p)) if p == port => name,
            Some(_) if !host.ends_with(']') => return false,
            _ => host,
        };
        matches!(name.to_ascii_lowercase().as_str(), "localhost" | "127.0.0.1" | "[::1]")
    }
}

fn not_found(stream: &mut TcpStream, dir: &Path, head_only: bool) {
    let body = std::fs::read(dir.join("404.html")).map(inject).unwrap_or_else(|_| b"not found\n".to_vec());
    let _ = respond(stream, "404 Not Found", "text/html; charset=utf-8", &body, head_only);
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8], head_only: bool) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The file a URL path names inside `dir`, if it is a regular file there: percent-decoded,
/// `..` and absolute segments refused, folders served by their `index.html`, and the result
/// checked against `dir` after resolving symlinks.
pub fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
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

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/atom+xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_only_files_inside_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("plans/001-x")).unwrap();
        std::fs::write(site.join("index.html"), "home").unwrap();
        std::fs::write(site.join("plans/001-x/index.html"), "plan").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "no").unwrap();
        let ok = |p: &str| resolve(&site, p).map(|f| std::fs::read_to_string(f).unwrap());
        assert_eq!(ok("/").as_deref(), Some("home"));
        assert_eq!(ok("/plans/001-x/").as_deref(), Some("plan"));
        assert_eq!(ok("/plans/001-x").as_deref(), Some("plan"));
        assert_eq!(ok("/plans/%30%30%31-x/index.html").as_deref(), Some("plan"));
        for bad in
            ["/../secret.txt", "/plans/../../secret.txt", "/%2e%2e/secret.txt", "//etc/passwd", "/missing.html", "/%zz"]
        {
            assert_eq!(ok(bad), None, "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), site.join("link.txt")).unwrap();
            assert_eq!(ok("/link.txt"), None, "a symlink out of the folder");
        }
    }

    #[test]
    fn the_script_goes_before_the_body_closes() {
        let html = inject(b"<html><body><p>x</p></body></html>".to_vec());
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script src=\"/__planbook/live.js\" defer></script></body></html>"
        );
    }
}
