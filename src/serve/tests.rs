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
    assert_eq!(ok("").as_deref(), Some("home"));
    assert_eq!(ok("/plans/001-x/").as_deref(), Some("plan"));
    assert_eq!(ok("/plans/001-x").as_deref(), Some("plan"));
    assert_eq!(ok("/plans/%30%30%31-x/index.html").as_deref(), Some("plan"));
    for bad in [
        "/../secret.txt",
        "/plans/../../secret.txt",
        "/%2e%2e/secret.txt",
        "//etc/passwd",
        "/missing.html",
        "/%zz",
        "/a%00",
    ] {
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

#[test]
fn request_heads_are_parsed_whole_with_one_host() {
    let head = parse_head(b"GET /a?b HTTP/1.1\r\nHost: localhost:4040\r\n\r\n").unwrap().unwrap();
    assert_eq!(head, Head { method: "GET".into(), path: "/a?b".into(), host: Some("localhost:4040".into()) });
    assert_eq!(parse_head(b"GET / HTTP/1.1\r\nHost: x"), Ok(None), "incomplete");
    assert_eq!(
        parse_head(b"GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n"),
        Err(Refused::BadRequest("more than one Host header\n"))
    );
    let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X: y\r\n".repeat(MAX_HEADERS + 1));
    assert_eq!(parse_head(many.as_bytes()), Err(Refused::TooLarge));
    assert!(matches!(parse_head(b"\x01\x02 nonsense\r\n\r\n"), Err(Refused::BadRequest(_))));
}

fn inner(bind: &str, allow: &[&str]) -> Inner {
    let mut opts = ServeOptions::preview(bind.parse().unwrap(), 4040, allow.iter().map(|s| s.to_string()).collect());
    opts.base_path = "/".into();
    Inner {
        opts,
        port: 4040,
        dir: Mutex::default(),
        clients: Mutex::default(),
        problems: Mutex::default(),
        log: Mutex::default(),
    }
}

#[test]
fn hosts_are_checked_on_loopback_and_beyond() {
    let local = inner("127.0.0.1", &[]);
    for ok in ["localhost:4040", "127.0.0.1:4040", "[::1]:4040", "LOCALHOST"] {
        assert!(local.host_allowed(Some(ok)), "{ok}");
    }
    for bad in ["evil.example:4040", "localhost:80", "192.168.1.5:4040", "localhost.evil.example"] {
        assert!(!local.host_allowed(Some(bad)), "{bad}");
    }
    assert!(!local.host_allowed(None));
    let lan = inner("0.0.0.0", &["devbox.lan"]);
    for ok in ["192.168.1.5:4040", "[fe80::1]:4040", "devbox.lan:4040", "localhost:4040"] {
        assert!(lan.host_allowed(Some(ok)), "{ok}");
    }
    for bad in ["evil.example:4040", "devbox.lan:80", "rebind.attacker.example"] {
        assert!(!lan.host_allowed(Some(bad)), "{bad}");
    }
}

#[test]
fn content_types_come_from_the_mime_table() {
    let t = |p: &str| content_type(Path::new(p));
    assert_eq!(t("a/index.html"), "text/html; charset=utf-8");
    assert_eq!(t("sitemap.xml"), "text/xml; charset=utf-8");
    assert_eq!(t("app.js"), "text/javascript; charset=utf-8");
    assert_eq!(t("x.avif"), "image/avif");
    assert_eq!(t("x.svg"), "image/svg+xml; charset=utf-8");
    assert_eq!(t("t.bin"), "application/octet-stream");
}

fn get(addr: SocketAddr, request: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

fn start(live_reload: bool) -> (tempfile::TempDir, Server) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("index.html"), "<body>home</body>").unwrap();
    let mut opts = ServeOptions::preview("127.0.0.1".parse().unwrap(), 0, Vec::new());
    opts.live_reload = live_reload;
    let server = Server::start_with(tmp.path(), opts).unwrap();
    (tmp, server)
}

#[test]
fn idle_connections_left_open_are_dropped_at_the_deadline() {
    let (_tmp, server) = start(false);
    let idle: Vec<TcpStream> = (0..WORKERS + QUEUE).map(|_| TcpStream::connect(server.addr).unwrap()).collect();
    let request = format!("GET / HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", server.addr.port());
    let t = Instant::now();
    loop {
        let page = get(server.addr, &request);
        if page.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(t.elapsed() < HEAD_DEADLINE * 2, "idle clients still hold the pool after {:?}: {page}", t.elapsed());
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(idle);
}

#[test]
fn long_headers_and_many_event_streams_are_capped() {
    let (_tmp, server) = start(true);
    let long =
        format!("GET / HTTP/1.1\r\nHost: localhost:{}\r\nX: {}\r\n\r\n", server.addr.port(), "a".repeat(MAX_HEAD));
    assert!(get(server.addr, &long).starts_with("HTTP/1.1 431"));
    let events = format!("GET {PREFIX}events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", server.addr.port());
    let streams: Vec<TcpStream> = (0..MAX_EVENT_CLIENTS + 6)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).unwrap();
            s.write_all(events.as_bytes()).unwrap();
            s
        })
        .collect();
    let t = Instant::now();
    while server.event_clients() < MAX_EVENT_CLIENTS && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(server.event_clients(), MAX_EVENT_CLIENTS, "the oldest are dropped");
    drop(streams);
}

#[test]
fn idle_connections_cannot_take_more_than_the_pool() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("index.html"), "<body>home</body>").unwrap();
    let mut opts = ServeOptions::preview("127.0.0.1".parse().unwrap(), 0, Vec::new());
    opts.live_reload = false;
    let server = Server::start_with(tmp.path(), opts).unwrap();
    // More idle connections than workers and queue together: the rest are answered 503 at once.
    let idle: Vec<TcpStream> = (0..WORKERS + QUEUE + 20).map(|_| TcpStream::connect(server.addr).unwrap()).collect();
    let busy = get(server.addr, &format!("GET / HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", server.addr.port()));
    assert!(busy.starts_with("HTTP/1.1 503"), "{busy}");
    drop(idle);
    let t = Instant::now();
    loop {
        let page = get(server.addr, &format!("GET / HTTP/1.1\r\nHost: localhost:{}\r\n\r\n", server.addr.port()));
        if page.starts_with("HTTP/1.1 200") {
            assert!(page.ends_with("<body>home</body>"), "no live reload script: {page}");
            break;
        }
        assert!(t.elapsed() < HEAD_DEADLINE * 3, "the pool recovers once idle clients go: {page}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
