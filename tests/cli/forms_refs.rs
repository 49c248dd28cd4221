//! The reference forms the convention itself uses: bare plan paths in prose and in scripts
//! (`See docs/harness/exec-plans/active/NNN-x.md`), stale ones resolved by name before number,
//! plans named by file name in front matter, and live text pointing at abandoned plans.

use crate::support::{Run, TestSite};

const CUTOVER: &str = "docs/harness/exec-plans/completed/0035-x-cutover.md";

/// A harness where plan 0035 `x-cutover` moved to `completed/` (and was renumbered from 0033),
/// 0033 is now other work, and 0006 was abandoned.
fn tree() -> TestSite {
    let site = TestSite::empty();
    site.write(CUTOVER, "# EP-0035: X cutover\n\n**Status**: completed\n");
    site.write("docs/harness/exec-plans/active/0033-other.md", "# EP-0033: Other work\n\n**Status**: active\n");
    site.write("docs/harness/exec-plans/completed/0006-redis.md", "# EP-0006: Redis layer\n\n**Status**: abandoned\n");
    site.write(
        "docs/harness/exec-plans/active/0040-next.md",
        "---\ndepends-on: [x-cutover, 0032-x-cutover.md]\n---\n# EP-0040: Next\n\n**Status**: active\n\n\
         Follows docs/harness/exec-plans/completed/0035-x-cutover.md.\n",
    );
    site.write(
        "AGENTS.md",
        "# Agents\n\n\
         See docs/harness/exec-plans/active/0035-x-cutover.md before the cutover.\n\n\
         See docs/harness/exec-plans/active/0033-x-cutover.md for the old notes.\n\n\
         The other work: docs/harness/exec-plans/active/0033-other.md.\n\n\
         From the harness folder: `exec-plans/active/0040-next.md`.\n\n\
         Renamed since: docs/harness/exec-plans/completed/0033-renamed.md\n\n\
         ```text\ndocs/harness/exec-plans/active/0099-in-a-fence.md\n```\n",
    );
    site.write("scripts/cutover.sh", "#!/bin/sh\n# Runbook: docs/harness/exec-plans/active/0035-x-cutover.md\n");
    site
}

/// Reference diagnostics of a `check --format json` run: (code, file, line, message, help).
fn reference_findings(run: &Run) -> Vec<(String, String, u64, String, Vec<String>)> {
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let mut found: Vec<_> = v["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| ["E027", "E030", "W029", "W031"].contains(&d["code"].as_str().unwrap()))
        .map(|d| {
            let help = d["help"].as_array().into_iter().flatten().map(|h| h.as_str().unwrap().to_string()).collect();
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap().to_string(),
                help,
            )
        })
        .collect();
    found.sort();
    found
}

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    html.split(&format!("id=\"{id}\"")).nth(1).unwrap_or_else(|| panic!("no #{id}")).split("</section>").next().unwrap()
}

#[test]
fn bare_paths_resolve_by_name_then_slug_then_number_with_a_warning() {
    let run = tree().run(&["check", "--format", "json"]);
    let got: Vec<_> = reference_findings(&run).into_iter().map(|(c, f, l, m, _)| (c, f, l, m)).collect();
    let w029 = |file: &str, line, message: &str| ("W029".to_string(), file.to_string(), line, message.to_string());
    let moved = |old: &str| format!("stale path `docs/harness/exec-plans/{old}`: plan `EP-0035` is now at `{CUTOVER}`");
    assert_eq!(
        got,
        [
            w029("AGENTS.md", 3, &moved("active/0035-x-cutover.md")),
            w029("AGENTS.md", 5, &moved("active/0033-x-cutover.md")),
            w029(
                "AGENTS.md",
                11,
                "stale path `docs/harness/exec-plans/completed/0033-renamed.md`: plan `EP-0033` is now at \
                 `docs/harness/exec-plans/active/0033-other.md`"
            ),
            w029(
                "docs/harness/exec-plans/active/0040-next.md",
                2,
                "stale name `0032-x-cutover.md`: the plan is now `0035-x-cutover` (`EP-0035`)"
            ),
            w029("scripts/cutover.sh", 2, &moved("active/0035-x-cutover.md")),
        ],
        "the same slug wins over the same number; a path from the harness folder and one in a fence are quiet"
    );
    let findings = reference_findings(&run);
    let by_number = &findings[2].4;
    assert!(
        by_number[0].starts_with("resolved by its number alone: no plan is named `renamed` now"),
        "the number fallback says so: {by_number:?}"
    );
    assert!(findings[0].4.iter().any(|h| h.contains(&format!("link to `{CUTOVER}`"))), "{:?}", findings[0].4);
    assert!(findings[1].4.iter().all(|h| !h.contains("number alone")), "{:?}", findings[1].4);
}

#[test]
fn bare_paths_are_links_in_pages_and_backlinks() {
    let site = tree();
    assert_eq!(site.run(&["build"]).code, 0);
    let agents = site.read("site/docs/AGENTS/index.html");
    for (target, text) in [
        ("0035-x-cutover", "docs/harness/exec-plans/active/0035-x-cutover.md"),
        ("0035-x-cutover", "docs/harness/exec-plans/active/0033-x-cutover.md"),
        ("0033-other", "docs/harness/exec-plans/active/0033-other.md"),
        ("0033-other", "docs/harness/exec-plans/completed/0033-renamed.md"),
    ] {
        let link = format!("<a href=\"../../plans/{target}/index.html\">{text}</a>");
        assert!(agents.contains(&link), "missing {link} in {agents}");
    }
    assert!(
        agents.contains("<a href=\"../../plans/0040-next/index.html\"><code>exec-plans/active/0040-next.md</code></a>"),
        "a backticked path from the harness folder: {agents}"
    );
    assert!(agents.contains("0033-other.md</a>."), "the full stop is prose, not path: {agents}");
    assert!(
        agents.contains("docs/harness/exec-plans/active/0099-in-a-fence.md")
            && !agents.contains("0099-in-a-fence.md</a>"),
        "fenced code stays code: {agents}"
    );
    let next = site.read("site/plans/0040-next/index.html");
    assert!(next.contains("Follows <a href=\"../../plans/0035-x-cutover/index.html\">"), "{next}");

    let cutover = site.read("site/plans/0035-x-cutover/index.html");
    let panel = section(&cutover, "referenced-by");
    for expected in ["docs/AGENTS/index.html", "plans/0040-next/index.html", "scripts/cutover.sh:2", "depends on"] {
        assert!(panel.contains(expected), "missing {expected} in {panel}");
    }
    assert!(!panel.contains("plans/0033-other/"), "0033 took the number, not the plan: {panel}");
    let other = site.read("site/plans/0033-other/index.html");
    assert!(section(&other, "referenced-by").contains("docs/AGENTS/index.html"));
}

#[test]
fn live_text_referring_to_an_abandoned_plan_warns_history_does_not() {
    let site = tree();
    site.write(
        "docs/harness/exec-plans/active/0041-edge-cache.md",
        "# EP-0041: Edge cache\n\n**Status**: active\n\nUnlike EP-0006, this caches at the edge; EP-0006 is gone.\n",
    );
    site.write(
        "docs/harness/exec-plans/active/0042-http-cache.md",
        "# EP-0042: HTTP cache\n\n**Status**: active\n\nThis supersedes EP-0006. Mentioning EP-0006 again is fine.\n",
    );
    site.write(
        "docs/harness/exec-plans/completed/0036-retro.md",
        "# EP-0036: Retro\n\n**Status**: completed\n\nEP-0006 was dropped after the load test.\n",
    );
    site.write("scripts/warm.py", "# Warms what docs/harness/exec-plans/completed/0006-redis.md planned\n");
    site.write("docs/harness/caching.md", "# Caching\n\nBackground: EP-0006.\n");
    let run = site.run(&["check", "--format", "json"]);
    let got: Vec<_> = reference_findings(&run)
        .into_iter()
        .filter(|f| f.0 == "W031")
        .map(|(_, file, line, message, _)| (file, line, message))
        .collect();
    let w =
        |file: &str, line| (file.to_string(), line, "reference to abandoned plan `EP-0006` (Redis layer)".to_string());
    assert_eq!(
        got,
        [
            w("docs/harness/caching.md", 3),
            w("docs/harness/exec-plans/active/0041-edge-cache.md", 5),
            w("scripts/warm.py", 1),
        ],
        "once per referrer; not from the plan that supersedes it, nor from a completed plan"
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let edge = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "W031" && d["file"] == "docs/harness/exec-plans/active/0041-edge-cache.md")
        .unwrap();
    assert_eq!(edge["notes"][0], "1 more reference to it here");
    assert_eq!(site.run(&["build", "--strict"]).code, 1, "W031 fails a strict build");
}

#[test]
fn unknown_names_in_front_matter_are_errors_and_bare_paths_are_escaped() {
    let site = tree();
    site.write(
        "docs/harness/exec-plans/active/0043-more.md",
        "---\nblocks: [nope-plan, none]\n---\n# EP-0043: More\n\n**Status**: active\n\n\
         See docs/harness/exec-plans/active/0044-a&b.md and docs/harness/exec-plans/active/0045-c.md\"onmouseover=x\n",
    );
    site.write("docs/harness/exec-plans/active/0044-a&b.md", "# EP-0044: A and B\n\n**Status**: active\n");
    let run = site.run(&["check", "--format", "json"]);
    let got: Vec<_> = reference_findings(&run)
        .into_iter()
        .filter(|f| f.1.ends_with("0043-more.md"))
        .map(|(code, _, line, message, _)| (code, line, message))
        .collect();
    assert_eq!(
        got,
        [
            ("E027".into(), 2, "unresolved reference `nope-plan`: no plan has that file name".into()),
            ("E030".into(), 8, "link to `docs/harness/exec-plans/active/0045-c.md`, which does not exist".into()),
        ],
        "`none` is a word, not a plan name"
    );
    assert_eq!(site.run(&["build"]).code, 0);
    let html = site.read("site/plans/0043-more/index.html");
    assert!(
        html.contains("<a href=\"../../plans/0044-a-b/index.html\">docs/harness/exec-plans/active/0044-a&amp;b.md</a>"),
        "{html}"
    );
    assert!(!html.contains("\"onmouseover"), "{html}");
}
