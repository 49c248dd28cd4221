//! Hostile input: trees that tried to make planbook delete, leak, panic, hang or write invalid
//! output. Every case runs the real binary and asserts a clean diagnostic (file and line) or a
//! clean refusal, the rest of the site built, and no panic (no exit 101, 134 or "panicked").
//! Time and peak memory of the heavier cases are printed (`--nocapture`) for the issue notes.

use crate::support::{Run, TestSite, planbook};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const PLAN: &str = "docs/harness/exec-plans/active";

/// A minimal valid plan with `title` and `body` (after the header).
fn plan(n: u32, title: &str, body: &str) -> String {
    format!(
        "# EP-{n:03}: {title}\n\n**Status**: active\n**Created**: 2026-11-01\n\n## Goal\n\nG.\n\n## Context\n\n{body}\n\n## Steps\n\n- [~] Step 1: x\n\n## Decision Log\n\n- 2026-11-02: D.\n\n## Retrospective\n\nNone yet.\n"
    )
}

/// A repository with one good plan, so "the rest of the site" can be checked.
fn repo() -> TestSite {
    let site = TestSite::empty();
    site.write(&format!("{PLAN}/001-good.md"), plan(1, "Good plan", "Fine."));
    site
}

/// What a run did, with its wall time and peak memory (KiB).
struct Measured {
    run: Run,
    wall: Duration,
    max_rss_kb: i64,
}

/// Runs planbook in `site` with the environment a user has (no RUST_BACKTRACE), measuring it.
fn measured(site: &TestSite, args: &[&str]) -> Measured {
    let t = Instant::now();
    let mut child = planbook()
        .args(args)
        .current_dir(site.root())
        .env_remove("RUST_BACKTRACE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run planbook");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut buf).unwrap();
        buf
    });
    let mut stderr = Vec::new();
    std::io::Read::read_to_end(&mut err, &mut stderr).unwrap();
    let stdout = reader.join().unwrap();
    // wait4 for this child's own peak memory (RUSAGE_CHILDREN would mix in other tests' runs).
    let (status, max_rss_kb) = wait_with_rusage(child.id());
    std::mem::forget(child);
    let wall = t.elapsed();
    let output = std::process::Output { status, stdout, stderr };
    Measured { run: Run::from(output, site.root()), wall, max_rss_kb }
}

fn wait_with_rusage(pid: u32) -> (std::process::ExitStatus, i64) {
    use std::os::unix::process::ExitStatusExt;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten by wait4.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `pid` is our child, not yet waited for; both pointers are valid for the call.
    let rc = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid as libc::pid_t, "wait4");
    (std::process::ExitStatus::from_raw(status), usage.ru_maxrss)
}

/// No panic, no abort, no raw backtrace: exit 0, 1 or 2 and nothing a crash prints.
fn assert_no_crash(m: &Measured, case: &str) {
    let r = &m.run;
    assert!(matches!(r.code, 0..=2), "{case}: exit {} (crash)\n{}", r.code, r.stderr);
    for crash in ["panicked", "stack backtrace", "overflowed its stack", "internal error", "E026"] {
        assert!(!r.stderr.contains(crash) && !r.stdout.contains(crash), "{case}: {crash}\n{}{}", r.stdout, r.stderr);
    }
    eprintln!("{case}: {:.2?}, {} MiB peak", m.wall, m.max_rss_kb / 1024);
}

/// The build wrote the good plan's page: the rest of the site is there.
fn assert_rest_built(site: &TestSite, out: &str) {
    assert!(site.root().join(out).join("plans/001-good/index.html").is_file(), "the rest of the site was built");
}

/// Every file under `dir`, relative, sorted (symlinks listed, not followed).
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

// ---------------------------------------------------------------------------------------------
// Never delete.

#[test]
fn out_docs_with_a_nojekyll_does_not_replace_the_harness() {
    let site = repo();
    site.write("docs/.nojekyll", "");
    let before = tree(site.root());
    let run = site.run(&["build", "--out", "docs"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("refusing") && run.stderr.contains("contains the harness"), "{}", run.stderr);
    assert_eq!(tree(site.root()), before, "nothing touched");
}

#[test]
fn out_src_or_git_with_a_nojekyll_is_refused_even_with_force() {
    let site = repo();
    site.write("src/main.rs", "fn main() {}\n").write("src/.nojekyll", "");
    site.write(".git/HEAD", "ref: refs/heads/main\n").write(".git/.nojekyll", "");
    let before = tree(site.root());
    for (out, why) in [("src", "`main.rs`"), (".git", "`.git`")] {
        let run = site.run(&["build", "--out", out]);
        assert_eq!(run.code, 1, "{out}: {}", run.stderr);
        assert!(run.stderr.contains("refusing"), "{out}: {}", run.stderr);
        let run = site.run(&["build", "--out", out, "--force"]);
        assert_eq!(run.code, 1, "{out} --force: {}", run.stderr);
        assert!(run.stderr.contains(why), "{out} --force: {}", run.stderr);
    }
    assert_eq!(tree(site.root()), before, "nothing touched");
}

#[test]
fn dot_dot_symlinked_and_case_variant_outs_cannot_reach_the_repository() {
    let parent = TestSite::empty();
    let root = parent.root().join("repo");
    parent.write(&format!("repo/{PLAN}/001-good.md"), plan(1, "Good plan", "Fine."));
    std::fs::create_dir_all(parent.root().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(&root, parent.root().join("link-to-repo")).unwrap();
    std::os::unix::fs::symlink(root.join("docs"), parent.root().join("link-to-docs")).unwrap();
    let before = tree(parent.root());
    let outs = [
        "elsewhere/..",
        "elsewhere/../repo",
        "elsewhere/../repo/docs/..",
        "link-to-repo",
        "link-to-docs",
        "link-to-repo/docs/harness",
        "repo/DOCS",
        "REPO",
        "repo/./docs/../docs",
    ];
    for out in outs {
        let run =
            planbook().args(["build", "repo", "--out", out]).current_dir(parent.root()).output().expect("run planbook");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{out}: {stderr}");
        assert!(stderr.contains("refusing"), "{out}: {stderr}");
    }
    assert_eq!(tree(parent.root()), before, "nothing deleted or written");
    // A site built inside the harness is fine, and never read back as input.
    let check = |args: &[&str]| {
        let out = planbook().args(args).current_dir(&root).output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let before = check(&["check", "--format", "json"]);
    let run = planbook().args(["build", "--out", "docs/harness/site"]).current_dir(&root).output().unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(check(&["check", "--format", "json"]), before, "the site is not read back");
}

#[test]
fn a_site_someone_added_files_to_is_not_replaced() {
    let site = repo();
    assert_eq!(site.run(&["build"]).code, 0);
    site.write("site/notes.md", "my notes");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("1 file planbook did not write (`notes.md`)"), "{}", run.stderr);
    assert_eq!(site.read("site/notes.md"), "my notes");
    // A site of an earlier planbook (only `.nojekyll`) is adopted with --force.
    std::fs::remove_file(site.root().join("site/notes.md")).unwrap();
    std::fs::remove_file(site.root().join("site/.planbook-site")).unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(site.run(&["build", "--force"]).code, 0);
    assert!(site.root().join("site/.planbook-site").is_file());
}

#[test]
fn a_killed_build_leaves_the_previous_site_whole_and_no_leftovers() {
    let site = TestSite::empty();
    crate::support::tree_gen::write_tree(site.root(), 300, 50);
    assert_eq!(site.run(&["build", "-q"]).code, 0);
    let marker = site.read("site/.planbook-site");
    for delay_ms in [5, 20, 60, 120, 250, 400, 700] {
        let mut child =
            planbook().args(["build", "-q"]).current_dir(site.root()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever the moment, a whole site is in place: the old one or the new one.
        let now = site.read("site/.planbook-site");
        assert_eq!(now, marker, "killed after {delay_ms} ms: the site is whole");
        for line in now.lines().skip(1) {
            let (size, f) = line.split_once('\t').unwrap();
            let meta = std::fs::metadata(site.root().join("site").join(f));
            assert_eq!(
                meta.map(|m| m.len().to_string()).ok().as_deref(),
                Some(size),
                "killed after {delay_ms} ms: {f}"
            );
        }
    }
    assert_eq!(site.run(&["build", "-q"]).code, 0);
    let names: Vec<String> =
        std::fs::read_dir(site.root()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert!(!names.iter().any(|n| n.starts_with(".site.")), "leftovers removed: {names:?}");
}

// ---------------------------------------------------------------------------------------------
// Never leak.

#[test]
fn images_linked_out_of_the_repository_are_not_copied() {
    let site = repo();
    site.write(
        &format!("{PLAN}/002-img.md"),
        plan(
            2,
            "Images",
            "![a](img/a.png) ![e](img/env.png) ![p](img/passwd.png) ![d](../../../../../../../../etc/hostname.png)",
        ),
    );
    site.write(&format!("{PLAN}/img/a.png"), "PNG");
    site.write(".env", "SECRET=1\n");
    std::os::unix::fs::symlink("../../../../../.env", site.root().join(format!("{PLAN}/img/dotenv.png"))).unwrap();
    site.write(
        &format!("{PLAN}/003-spoof.md"),
        plan(3, "Spoof", "![d](img/dotenv.png) ![s](planbook-src:./x.png) ![t](planbook-src:/etc/passwd.png) ![u](planbook-src:a/../../b.png)"),
    );
    std::os::unix::fs::symlink("/proc/self/environ", site.root().join(format!("{PLAN}/img/env.png"))).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", site.root().join(format!("{PLAN}/img/passwd.png"))).unwrap();
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "image symlinks");
    let files = tree(&site.root().join("site/files"));
    assert_eq!(files, [format!("{PLAN}/img/a.png")], "only the image inside the repository");
    assert!(site.root().join("site/plans/002-img/index.html").is_file());
    assert!(site.root().join("site/plans/003-spoof/index.html").is_file());
    assert_eq!(site.run(&["build"]).code, 0, "and the site stays one planbook may replace");
}

#[test]
fn planbook_yaml_cannot_reach_out_or_crash() {
    let site = repo();
    site.write("planbook.yaml", "repo_url: \"javascript:alert(1)\"\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("http:// or https://"), "{}", run.stderr);
    assert!(!site.root().join("site").exists());
    // An error after non-ASCII text: a rustc-style excerpt, not a crash.
    site.write("planbook.yaml", "title: ééé: x\n");
    let m = measured(&site, &["check"]);
    assert_no_crash(&m, "planbook.yaml error after non-ASCII text");
    assert_eq!(m.run.code, 2);
    assert!(m.run.stderr.contains("planbook.yaml:1:"), "{}", m.run.stderr);
    // A config, theme or output that leads out of the repository.
    let outside = TestSite::empty();
    outside.write("secret.txt", "token: hunter2\n").write("theme/templates/base.html", "{{ stolen }}");
    std::fs::remove_file(site.root().join("planbook.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.root().join("secret.txt"), site.root().join("planbook.yaml")).unwrap();
    let run = site.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a regular file inside the repository") && !run.stderr.contains("hunter2"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(site.root().join("planbook.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.root().join("theme"), site.root().join("theme")).unwrap();
    site.write("planbook.yaml", "theme: theme\n");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("outside the repository"), "{}", run.stderr);
    let elsewhere = outside.root().join("out");
    site.write("planbook.yaml", format!("output: {}\n", elsewhere.display()));
    let run = site.run(&["build"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("`output:`") && !elsewhere.exists(), "{}", run.stderr);
}

// ---------------------------------------------------------------------------------------------
// Never panic.

#[test]
fn non_ascii_titles_are_read() {
    let site = repo();
    let titles =
        ["NodeBook — config loader", "計画書", "Ünïcödé", "Ελληνικά σχέδια", "خطة التنفيذ", "योजना", "🚀 Launch"];
    for (i, t) in titles.iter().enumerate() {
        site.write(&format!("{PLAN}/{:03}-t.md", i + 2), plan(i as u32 + 2, t, "Body — with “quotes” and 中文."));
    }
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "non-ASCII titles");
    for (i, t) in titles.iter().enumerate() {
        let page = site.read(&format!("site/plans/{:03}-t/index.html", i + 2));
        assert!(page.contains(t), "{t}");
    }
}

#[test]
fn a_yaml_error_after_non_ascii_text_is_a_diagnostic() {
    let site = repo();
    site.write(&format!("{PLAN}/002-y.md"), "---\ntitle: Ünïcödé “x”\nstatus: [ünclosed\n---\n# EP-002: Y\n");
    site.write(&format!("{PLAN}/003-y.md"), "---\n計画: 書\n  bad: indent: here\n---\n# EP-003: Z\n");
    let m = measured(&site, &["check"]);
    assert_no_crash(&m, "YAML errors after non-ASCII");
    assert!(m.run.stdout.contains("E019") && m.run.stdout.contains("002-y.md:3"), "{}", m.run.stdout);
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "build");
    assert_rest_built(&site, "site");
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    let site = repo();
    site.write(&format!("{PLAN}/002-quotes.md"), plan(2, "Quotes", &">".repeat(24_000)));
    site.write(&format!("{PLAN}/003-stars.md"), plan(3, "Stars", &"*a ".repeat(50_000)));
    site.write(&format!("{PLAN}/004-images.md"), plan(4, "Images", &"![".repeat(50_000)));
    site.write(
        &format!("{PLAN}/005-lists.md"),
        plan(5, "Lists", &(0..1_000).map(|i| format!("{}- x\n", "  ".repeat(i))).collect::<String>()),
    );
    site.write(&format!("{PLAN}/006-brackets.md"), plan(6, "Brackets", &"[".repeat(100_000)));
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "deep nesting");
    assert_rest_built(&site, "site");
    assert!(m.run.stderr.contains("E033"), "the nesting is reported:\n{}", m.run.stderr);
    for stem in ["002-quotes", "003-stars", "004-images", "005-lists", "006-brackets"] {
        assert!(site.root().join(format!("site/plans/{stem}/index.html")).is_file(), "{stem} still has its page");
    }
}

#[test]
fn front_matter_bombs_are_bounded() {
    let site = repo();
    site.write(&format!("{PLAN}/002-fm.md"), format!("---\nx: {}\n---\n# EP-002: F\n", "[".repeat(100_000)));
    site.write(&format!("{PLAN}/006-deep.md"), format!("---\nx: {}\n---\n# EP-006: D\n", "[".repeat(60_000)));
    site.write(
        &format!("{PLAN}/003-laughs.md"),
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n---\n# EP-003: Laughs\n",
    );
    site.write(&format!("{PLAN}/004-list.md"), "---\n- not\n- a map\n---\n# EP-004: List\n");
    site.write(&format!("{PLAN}/005-scalar.md"), "---\njust text\n---\n# EP-005: Scalar\n");
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "front matter bombs");
    assert_rest_built(&site, "site");
    assert!(m.wall < Duration::from_secs(5), "linear, not quadratic: {:?}", m.wall);
    assert!(m.run.stderr.contains("002-fm.md:2") && m.run.stderr.contains("006-deep.md:2"), "{}", m.run.stderr);
}

#[test]
fn raw_html_floods_are_bounded() {
    let site = repo();
    site.write("planbook.yaml", "allow_html: true\n");
    site.write(&format!("{PLAN}/002-divs.md"), plan(2, "Divs", &"<div>".repeat(100_000)));
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "100k <div>");
    assert_rest_built(&site, "site");
    assert!(m.wall < Duration::from_secs(20), "{:?}", m.wall);
}

#[test]
fn oversized_files_are_reported_not_read() {
    let site = repo();
    let big = format!("# EP-002: Big\n\n{}", "All work and no play. ".repeat(50 * 1024 * 1024 / 22));
    site.write(&format!("{PLAN}/002-big.md"), &big);
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "50 MB plan");
    assert!(m.run.stderr.contains("E032") && m.run.stderr.contains("002-big.md"), "{}", m.run.stderr);
    assert_rest_built(&site, "site");
    assert!(m.max_rss_kb < 300 * 1024, "not read into memory: {} MiB", m.max_rss_kb / 1024);
    site.write("planbook.yaml", "max_file_size: 64 MB\n");
    let m = measured(&site, &["check"]);
    assert_no_crash(&m, "50 MB plan, limit raised");
    assert!(!m.run.stdout.contains("E032"), "{}", m.run.stdout);
}

#[test]
fn control_characters_never_reach_xml_raw() {
    let site = repo();
    site.write("planbook.yaml", "base_url: https://acme.example/h/\n");
    site.write(
        &format!("{PLAN}/002-ctl.md"),
        plan(2, "Bell\u{7} and NUL\u{0} and \u{1}\u{FFFF}", "Text \u{1b}[31m red \u{0}.")
            .replace("- 2026-11-02: D.", "- 2026-11-02: Chose \u{1}\u{8} here \u{FFFE}."),
    );
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "control characters");
    for xml in ["site/feed.xml", "site/sitemap.xml"] {
        let text = site.read(xml);
        let mut reader = quick_xml::Reader::from_str(&text);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{xml} is not XML: {e}"),
            }
        }
        assert!(
            !text.chars().any(|c| (c < ' ' && !"\t\n\r".contains(c)) || c == '\u{FFFE}' || c == '\u{FFFF}'),
            "{xml}"
        );
    }
    let page = site.read("site/plans/002-ctl/index.html");
    assert!(!page.contains('\u{0}') && !page.contains('\u{1}'), "HTML too");
}

#[test]
fn odd_files_and_folders_are_diagnostics() {
    let site = repo();
    site.write(&format!("{PLAN}/002-empty.md"), "");
    site.write(&format!("{PLAN}/003-nul.md"), "# EP-003: Nul\0byte\n\n## Goal\n\n\0\0\0\n");
    site.write(&format!("{PLAN}/004-bom.md"), format!("\u{FEFF}{}", plan(4, "Bom", "CRLF").replace('\n', "\r\n")));
    site.write(&format!("{PLAN}/005-date.md"), plan(5, "Date", "x").replace("2026-11-01", "2026-13-40"));
    site.write(&format!("{PLAN}/006-bad.md"), b"# EP-006: Bad \xff\xfe bytes\n");
    site.write(
        &format!("{PLAN}/007-ids.md"),
        plan(7, "Ids", &format!("See EP-{} and TD-{}.", "9".repeat(50), "1".repeat(40))),
    );
    // A stray marker in a state folder must not hide its plans.
    site.write(&format!("{PLAN}/.planbook-site"), "planbook-site 1\n");
    std::os::unix::fs::symlink("..", site.root().join(format!("{PLAN}/loop"))).unwrap();
    std::os::unix::fs::symlink("self", site.root().join(format!("{PLAN}/self"))).unwrap();
    let m = measured(&site, &["check", "--format", "json"]);
    assert_no_crash(&m, "odd files");
    let codes = m.run.json_codes();
    let has = |code: &str, file: &str| codes.iter().any(|(c, f, _)| c == code && f.ends_with(file));
    assert!(has("W023", "002-empty.md"), "{codes:?}");
    assert!(has("E017", "005-date.md"), "{codes:?}");
    assert!(has("E018", "006-bad.md"), "{codes:?}");
    assert!(has("E034", "007-ids.md"), "{codes:?}");
    assert!(!codes.iter().any(|(_, f, _)| f.ends_with("004-bom.md")), "BOM + CRLF read as any plan: {codes:?}");
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "odd files, build");
    for stem in ["001-good", "003-nul", "004-bom", "005-date", "007-ids"] {
        assert!(site.root().join(format!("site/plans/{stem}/index.html")).is_file(), "{stem}");
    }
}

#[test]
fn an_unreadable_plan_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let site = repo();
    site.write(&format!("{PLAN}/locked/002-x.md"), plan(2, "X", "x"));
    let locked = site.root().join(format!("{PLAN}/locked"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(site.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = planbook();
    cmd.args(["check", "--color", "never"]).current_dir(site.root()).env_remove("RUST_BACKTRACE");
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        // Root reads folders whatever their mode: run as `nobody` to meet the unreadable folder.
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().expect("run planbook");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("error[E018]") && stdout.contains("locked"), "{stdout}");
}

#[test]
fn twenty_thousand_files_in_one_folder() {
    let site = repo();
    let dir = site.root().join(format!("{PLAN}/many"));
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..20_000 {
        std::fs::write(dir.join(format!("n{i:05}.txt")), "x").unwrap();
    }
    site.write(&format!("{PLAN}/many/002-one.md"), plan(2, "One", "x"));
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "20,000 files in one folder");
    assert!(site.root().join("site/plans/002-one/index.html").is_file());
}

#[test]
fn pages_differing_only_in_case_do_not_overwrite_each_other() {
    let site = repo();
    site.write(&format!("{PLAN}/002-Cache.md"), plan(2, "Upper", "x"));
    site.write("docs/harness/exec-plans/completed/003-cache.md", plan(3, "Lower", "x"));
    site.write("docs/harness/exec-plans/completed/002-cache.md", plan(2, "Lower two", "x"));
    let m = measured(&site, &["build"]);
    assert_no_crash(&m, "case collisions");
    assert!(m.run.stderr.contains("warning[W035]") && m.run.stderr.contains("002-cache.md"), "{}", m.run.stderr);
    let plans = std::fs::read_dir(site.root().join("site/plans")).unwrap().count();
    let lower: std::collections::HashSet<String> = std::fs::read_dir(site.root().join("site/plans"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap().to_lowercase())
        .collect();
    assert_eq!(lower.len(), plans, "no two page folders differ only in case");
}
