//! Dates from git history: repositories built here, with commits at fixed dates.

use crate::support::TestSite;
use std::process::Command;

/// Runs git in `site` with the commit dated `date` (noon UTC), as `author`.
fn git(site: &TestSite, args: &[&str], date: &str, author: &str) {
    git_in(site.root(), args, date, author);
}

fn commit(site: &TestSite, date: &str, message: &str) {
    git(site, &["add", "-A"], date, "Ann");
    git(site, &["commit", "-q", "-m", message], date, "Ann");
}

fn has_git() -> bool {
    Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success())
}

const ACTIVE: &str = "docs/harness/exec-plans/active/001-cache.md";
const DONE: &str = "docs/harness/exec-plans/completed/001-cache.md";

fn plan(status: &str, steps: &str, decisions: &str) -> String {
    format!(
        "# EP-001: Cache\n\n**Status**: {status}\n\n## Goal\nFast.\n\n## Context\nSlow.\n\n## Steps\n{steps}\n## Decision Log\n{decisions}\n## Retrospective\n### What went well\n- it shipped\n"
    )
}

/// A repository whose plan 001 was written, worked on and completed over a month, and whose
/// plan 002 nobody touched after its first day.
fn repository() -> TestSite {
    let site = TestSite::empty();
    git(&site, &["init", "-q", "-b", "main"], "2026-01-01", "Ann");
    site.write(
        ACTIVE,
        plan("active", "- [ ] Step 1: measure\n- [ ] Step 2: cache\n", "- Chose LRU over LFU for the cahce\n"),
    );
    site.write(
        "docs/harness/exec-plans/active/002-logs.md",
        "# EP-002: Logs\n\n**Status**: active\n**Created**: 2026-01-02\n\n## Goal\nG\n## Context\nC\n## Steps\n- [~] Step 1: start\n## Decision Log\n- 2026-01-02: begin\n## Retrospective\n-\n",
    );
    commit(&site, "2026-01-02", "start");
    site.write(
        ACTIVE,
        plan("active", "- [~] Step 1: measure\n- [ ] Step 2: cache\n", "- Chose LRU over LFU for the cahce\n"),
    );
    commit(&site, "2026-01-05", "start step 1");
    site.write(
        ACTIVE,
        plan(
            "active",
            "- [x] Step 1: measure\n- [~] Step 2: cache\n",
            "- Chose LRU over LFU for the cache\n- Keep the TTL at five minutes\n",
        ),
    );
    commit(&site, "2026-01-10", "step 1 done, typo fixed, a decision");
    site.write(
        ACTIVE,
        plan(
            "completed",
            "- [x] Step 1: measure\n- [x] Step 2: cache\n",
            "- Chose LRU over LFU for the cache\n- Keep the TTL at five minutes\n",
        ),
    );
    commit(&site, "2026-01-20", "done");
    std::fs::create_dir_all(site.root().join("docs/harness/exec-plans/completed")).unwrap();
    git(&site, &["mv", ACTIVE, DONE], "2026-02-01", "Ann");
    commit(&site, "2026-02-01", "move to completed");
    // Much later, something else: plan 002 has had no commit for two months.
    site.write("README.md", "# Repo\n");
    commit(&site, "2026-03-15", "readme");
    site
}

#[test]
fn git_dates_fill_in_what_the_text_does_not_say() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let site = repository();
    let check = site.run(&["check", "--format", "json", "--summary"]);
    let v: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    // W007 still: the tree should say the date; the help shows the one to copy.
    let undated: Vec<&serde_json::Value> = diags.iter().filter(|d| d["code"] == "W007").collect();
    assert_eq!(undated.len(), 2, "{diags:?}");
    let help = undated[0]["help"][0].as_str().unwrap();
    assert!(help.contains("on 2026-01-02") && help.contains("`- 2026-01-02: …`"), "{help}");
    // E011 still, with the date git knows to copy.
    let e011: Vec<&serde_json::Value> = diags.iter().filter(|d| d["code"] == "E011").collect();
    assert_eq!(e011.len(), 1, "{diags:?}");
    assert!(e011[0]["help"][0].as_str().unwrap().contains("`**Completed**: 2026-01-20`"), "{e011:?}");
    // Plan 002 is stale: no commit for 72 days before the newest one.
    let stale: Vec<&serde_json::Value> = diags.iter().filter(|d| d["code"] == "W037").collect();
    assert_eq!(stale.len(), 1, "{diags:?}");
    assert_eq!(stale[0]["file"], "docs/harness/exec-plans/active/002-logs.md");
    assert!(stale[0]["message"].as_str().unwrap().contains("72 days"), "{stale:?}");
    assert_eq!(v["recognised"]["decisions"]["by"]["from-git"], 2, "{}", v["recognised"]);

    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!build.stderr.contains("note:"), "a full history needs no note: {}", build.stderr);
    let page = site.read("site/plans/001-cache/index.html");
    // Created and Completed from git: the file's first commit, and the commit that finished it
    // (the status, before the move).
    assert!(page.contains(r#"<time datetime="2026-01-02">"#), "{page}");
    assert!(page.contains(r#"<time datetime="2026-01-20">"#), "{page}");
    // The typo fix kept the decision's first date; the new decision has its own.
    let decisions = page.split(r#"class="block decisions""#).nth(1).unwrap();
    assert!(
        decisions.contains(
            r#"<time datetime="2026-01-02">2026-01-02</time> <span class="from-git" title="from git: commit"#
        ),
        "{decisions}"
    );
    assert!(
        decisions.contains(r#"<time datetime="2026-01-10">2026-01-10</time> <span class="from-git""#),
        "{decisions}"
    );
    assert!(decisions.contains("by Ann"), "{decisions}");
    assert!(!page.contains("example.invalid"), "no e-mail addresses anywhere");
    // Step history: started and finished.
    let steps = page.split(r#"class="block steps""#).nth(1).unwrap();
    assert!(steps.contains(r#"started <time datetime="2026-01-05""#), "{steps}");
    assert!(steps.contains(r#"done <time datetime="2026-01-10""#), "{steps}");
    assert!(steps.contains(r#"done <time datetime="2026-01-20""#), "{steps}");
    // A burn-up of the steps.
    assert!(steps.contains(r#"aria-label="2 of 2 steps done by 2026-01-20, from git""#), "{steps}");
    // The timeline shows both decisions at their commit dates (none undated).
    let timeline = site.read("site/timeline/index.html");
    assert!(timeline.contains(r#"<time datetime="2026-01-10">2026-01-10</time> <span class="from-git""#), "{timeline}");
    assert!(!site.root().join("site/timeline/undated/index.html").exists());
    // The feed has the completed plan at its git date; the archive files it under 2026 Q1.
    let feed = site.read("site/feed.xml");
    assert!(feed.contains("2026-01-20T"), "{feed}");
    assert!(site.read("site/retrospectives/index.html").contains("2026 Q1"));
    // The charts draw the plan from its git Created to its git Completed (18 days).
    let charts = site.read("site/charts/index.html");
    assert!(charts.contains("2026-01-02") && charts.contains("2026-01-20"), "{charts}");
    // The dashboard flags the stale plan.
    let dashboard = site.read("site/index.html");
    assert!(dashboard.contains(r#"class="badge stale""#), "{dashboard}");
    let plans = site.read("site/plans/index.html");
    assert!(plans.contains(r##"<a href="#stale" data-filter="stale">Stale"##), "{plans}");
    let stale = dashboard
        .split(r#"<h2 id="stale-plans">Stale</h2>"#)
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or_default();
    assert!(stale.contains("EP-002") && stale.contains("72 days") && !stale.contains("EP-001"), "{dashboard}");
    // The same history gives the same site, read from the cache under `.git/planbook/`.
    assert!(site.root().join(".git/planbook/history-v1.json").is_file());
    let first = site.read("site/plans/001-cache/index.html");
    assert_eq!(site.run(&["build"]).code, 0);
    assert_eq!(site.read("site/plans/001-cache/index.html"), first);
    // A new commit is read on top of the cache.
    let text = site
        .read(DONE)
        .replace("- Keep the TTL at five minutes\n", "- Keep the TTL at five minutes\n- Evict on deploy\n");
    site.write(DONE, text);
    commit(&site, "2026-03-20", "a late decision");
    assert_eq!(site.run(&["build"]).code, 0);
    let page = site.read("site/plans/001-cache/index.html");
    assert!(page.contains(r#"<time datetime="2026-03-20">2026-03-20</time> <span class="from-git""#), "{page}");
    assert!(page.contains(r#"<time datetime="2026-01-10">2026-01-10</time> <span class="from-git""#), "{page}");
    // History rewritten (the last commit amended to another date): read again from the start.
    git(&site, &["commit", "-q", "--amend", "--no-edit", "--date=2026-03-25T12:00:00Z"], "2026-03-25", "Ann");
    assert_eq!(site.run(&["build"]).code, 0);
    let page = site.read("site/plans/001-cache/index.html");
    assert!(page.contains(r#"<time datetime="2026-03-25">2026-03-25</time> <span class="from-git""#), "{page}");
}

#[test]
fn without_full_history_it_builds_and_says_what_is_missing() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let site = repository();
    // A shallow clone: one commit.
    let shallow = TestSite::empty();
    let url = format!("file://{}", site.root().display());
    let out = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url, "."])
        .current_dir(shallow.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let build = shallow.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert_eq!(build.stderr.matches("note: history is shallow").count(), 1, "{}", build.stderr);
    // Uncommitted edits are said once.
    site.write(
        "docs/harness/exec-plans/active/002-logs.md",
        "# EP-002: Logs\n\n**Status**: active\n\n## Decision Log\n- Rotate daily\n",
    );
    let build = site.run(&["build"]);
    assert!(build.stderr.contains("note: 1 plan file has uncommitted edits"), "{}", build.stderr);
    let page = site.read("site/plans/002-logs/index.html");
    assert!(page.contains("uncommitted edits") && page.contains("not committed yet"), "{page}");
    // `git: false` reads no history.
    site.write("planbook.yaml", "git: false\n");
    let check = site.run(&["check", "--format", "json", "--summary"]);
    let v: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(v["recognised"]["decisions"]["by"]["undated"], 3, "{}", v["recognised"]);
    // `git_authors: none` shows no names.
    site.write("planbook.yaml", "git_authors: none\n");
    assert_eq!(site.run(&["build"]).code, 0);
    let page = site.read("site/plans/001-cache/index.html");
    assert!(page.contains("from git: commit") && !page.contains("by Ann"), "{page}");
}

#[test]
fn the_history_cache_is_only_ever_planbooks_own_file() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let site = repository();
    let cache = site.root().join(".git/planbook/history-v1.json");
    // Garbage in the cache: read again from the commits.
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    std::fs::write(&cache, "{not json").unwrap();
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(
        site.read("site/plans/001-cache/index.html")
            .contains(r#"<time datetime="2026-01-10">2026-01-10</time> <span class="from-git""#)
    );
    // The cache folder replaced by a link out of the repository: nothing is written there.
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        std::fs::remove_dir_all(cache.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.path(), site.root().join(".git/planbook")).unwrap();
        assert_eq!(site.run(&["build"]).code, 0);
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0, "wrote through the link");
    }
}

/// Runs git in `dir` (a subfolder of `site` is fine) with the commit dated `date`.
fn git_in(dir: &std::path::Path, args: &[&str], date: &str, author: &str) {
    let stamp = format!("{date}T12:00:00Z");
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", &stamp)
        .env("GIT_COMMITTER_DATE", &stamp)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", "x@example.invalid")
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "x@example.invalid")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn merged_branches_reopened_steps_and_odd_authors() {
    if !has_git() {
        eprintln!("skipped: git is not installed");
        return;
    }
    let site = TestSite::empty();
    let root = site.root().to_path_buf();
    git_in(&root, &["init", "-q", "-b", "main"], "2026-01-01", "Ann");
    let commit = |date: &str, author: &str| {
        git_in(&root, &["add", "-A"], date, author);
        git_in(&root, &["commit", "-q", "-m", date], date, author);
    };
    site.write(ACTIVE, plan("active", "- [ ] Step 1: measure\n- [ ] Step 2: cache\n", "- 2026-01-01: start\n"));
    commit("2026-01-01", "Ann");
    git_in(&root, &["checkout", "-q", "-b", "feat"], "2026-01-02", "Ann");
    site.write(
        ACTIVE,
        plan(
            "active",
            "- [ ] Step 1: measure\n- [ ] Step 2: cache\n",
            "- 2026-01-01: start\n- Branch decision about caching\n",
        ),
    );
    commit("2026-01-05", "bob@example.com");
    git_in(&root, &["checkout", "-q", "main"], "2026-01-06", "Ann");
    site.write(ACTIVE, plan("active", "- [x] Step 1: measure\n- [ ] Step 2: cache\n", "- 2026-01-01: start\n"));
    commit("2026-01-06", "Ann");
    // A build now caches history up to main's head.
    assert_eq!(site.run(&["build"]).code, 0);
    git_in(&root, &["merge", "-q", "--no-ff", "-m", "merge", "feat"], "2026-01-20", "Ann");
    // Step 1 reopened after it was done.
    let text = site.read(ACTIVE).replace("- [x] Step 1: measure", "- [ ] Step 1: measure");
    site.write(ACTIVE, text);
    commit("2026-01-21", "Ann");
    assert_eq!(site.run(&["build"]).code, 0);
    let cached = site.read("site/plans/001-cache/index.html");
    std::fs::remove_dir_all(root.join(".git/planbook")).unwrap();
    assert_eq!(site.run(&["build"]).code, 0);
    let fresh = site.read("site/plans/001-cache/index.html");
    assert_eq!(cached, fresh, "a cached read and a fresh one give the same page");
    // The branch decision is dated by its own commit, not the merge.
    assert!(fresh.contains(r#"<time datetime="2026-01-05">2026-01-05</time> <span class="from-git""#), "{fresh}");
    // An author whose name is an e-mail address is not named.
    assert!(!fresh.contains("bob@example.com"), "{fresh}");
    // The reopened step is not shown as done.
    let steps = fresh.split(r#"class="block steps""#).nth(1).unwrap();
    assert!(!steps.contains("done <time"), "{steps}");

    // ROOT below the top of the work tree, a plan path with a space: uncommitted edits are seen.
    let top = TestSite::empty();
    let proj = top.root().join("proj");
    std::fs::create_dir_all(&proj).unwrap();
    git_in(top.root(), &["init", "-q", "-b", "main"], "2026-01-01", "Ann");
    top.write(
        "proj/docs/harness/exec-plans/active/001-a b.md",
        plan("active", "- [~] Step 1: go\n", "- 2026-01-01: start\n"),
    );
    git_in(top.root(), &["add", "-A"], "2026-01-01", "Ann");
    git_in(top.root(), &["commit", "-q", "-m", "a"], "2026-01-01", "Ann");
    top.write("README.md", "x\n");
    git_in(top.root(), &["add", "-A"], "2026-05-01", "Ann");
    git_in(top.root(), &["commit", "-q", "-m", "b"], "2026-05-01", "Ann");
    let stale = crate::support::planbook().args(["check", "--format", "json"]).arg(&proj).output().unwrap();
    assert!(String::from_utf8_lossy(&stale.stdout).contains("W037"), "stale before the edit");
    top.write(
        "proj/docs/harness/exec-plans/active/001-a b.md",
        plan("active", "- [~] Step 1: go on\n", "- 2026-01-01: start\n"),
    );
    let edited = crate::support::planbook().args(["check", "--format", "json"]).arg(&proj).output().unwrap();
    assert!(!String::from_utf8_lossy(&edited.stdout).contains("W037"), "an edited plan is not stale");
    assert!(String::from_utf8_lossy(&edited.stderr).contains("1 plan file has uncommitted edits"));
}
