//! Files around plans: companion sidecars, planning-workflow drafts (Proposals) and the site's
//! language. Each tree is written here, in the forms real repositories use.

use crate::support::{Run, TestSite};

fn plan(n: &str, title: &str) -> String {
    format!(
        "# EP-{n}: {title}\n\n**Status**: active\n**Created**: 2026-03-01\n\n## Goal\nG.\n\n## Context\nC.\n\n## Steps\n- [x] Step 1: measure\n- [~] Step 2: build\n\n## Decision Log\n- 2026-03-02: start\n\n## Retrospective\n### What went well\n-\n"
    )
}

fn codes(run: &Run) -> Vec<(String, String)> {
    run.json_codes().into_iter().map(|(code, file, _)| (code, file)).collect()
}

fn recognised(site: &TestSite) -> serde_json::Value {
    let run = site.run(&["check", "--summary", "--format", "json"]);
    serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()["recognised"].clone()
}

#[test]
fn companions_belong_to_their_plan_not_to_the_plan_list() {
    let site = TestSite::empty();
    let dir = "docs/harness/exec-plans/active";
    site.write(&format!("{dir}/012-cache.md"), plan("012", "Cache layer"));
    site.write(
        &format!("{dir}/012-cache.progress.md"),
        "# Progress log\n\n## Session 3\n- [x] warmed the cache (see EP-012)\n- [ ] measure hit rate\n\nNo decision log, no goal: not a plan.\n",
    );
    site.write(
        &format!("{dir}/012-cache.acceptance.json"),
        "{\n  \"criteria\": [\"p95 < 20ms\", \"<script>alert(1)</script>\"],\n  \"fence\": \"```\"\n}\n",
    );
    // Named by a glob in planbook.yaml, outside the plan folders.
    site.write("docs/harness/notes/012-cache-notes.md", "# Cache notes\n\nWhy we chose LRU over LFU.\n");
    site.write("planbook.yaml", "companions: ['docs/harness/notes/*.md']\n");

    let check = site.run(&["check", "--format", "json"]);
    assert!(
        codes(&check).iter().all(|(_, file)| !file.contains("progress") && !file.contains("notes")),
        "companions got diagnostics: {:?}",
        codes(&check)
    );
    let r = recognised(&site);
    assert_eq!(r["plans"]["total"], 1, "{r}");
    assert_eq!(r["companions"]["total"], 3, "{r}");
    assert_eq!(r["docs"]["total"], 0, "{r}");

    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let page = site.read("site/plans/012-cache/index.html");
    assert!(page.contains(r#"<h2 id="files">Files</h2>"#), "{page}");
    assert!(page.contains(r#"id="file-012-cache-progress-md""#), "{page}");
    assert!(page.contains(r#"id="file-012-cache-acceptance-json""#), "{page}");
    assert!(page.contains(r#"id="file-012-cache-notes-md""#), "{page}");
    assert!(page.contains("warmed the cache"), "{page}");
    // The JSON is shown as code, escaped.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || page.contains("&lt;script&gt;"), "{page}");
    assert!(!page.contains("<script>alert(1)"), "{page}");
    // No page of their own, not in the plan list.
    assert!(!site.root().join("site/plans/012-cache.progress").exists());
    assert!(!site.root().join("site/docs/012-cache-notes").exists());
    let plans = site.read("site/plans/index.html");
    assert!(!plans.contains("Progress log"), "{plans}");
}

#[test]
fn a_plan_numbered_like_another_is_not_its_companion() {
    let site = TestSite::empty();
    let dir = "docs/harness/exec-plans/active";
    site.write(&format!("{dir}/012-cache.md"), plan("012", "Cache layer"));
    site.write(&format!("{dir}/012-cache-eviction.md"), plan("013", "Eviction"));
    let r = recognised(&site);
    assert_eq!(r["plans"]["total"], 2, "{r}");
    assert_eq!(r["companions"]["total"], 0, "{r}");
}

#[test]
fn drafts_are_proposals_apart_from_exec_plans() {
    let site = TestSite::empty();
    site.write("docs/harness/exec-plans/active/001-cache.md", plan("001", "Cache layer"));
    // The convention's planning workflow folder, hidden: read by default.
    site.write(
        ".vtcode/plans/rate-limits.md",
        "# Rate limits per tenant\n\n## Idea\nToken buckets.\n\n- [ ] ask ops\n",
    );
    // Other hidden folders stay unread.
    site.write(".scratch/secret-plan.md", "# Not for the site\n");
    let check = site.run(&["check", "--format", "json"]);
    assert!(codes(&check).iter().all(|(_, f)| !f.contains(".vtcode")), "{:?}", codes(&check));
    let r = recognised(&site);
    assert_eq!((r["plans"]["total"].clone(), r["drafts"]["total"].clone()), (1.into(), 1.into()), "{r}");

    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let page = site.read("site/proposals/rate-limits/index.html");
    assert!(page.contains("Rate limits per tenant") && page.contains("Proposal"), "{page}");
    let docs = site.read("site/docs/index.html");
    assert!(docs.contains(r#"id="proposals""#) && docs.contains("proposals/rate-limits/index.html"), "{docs}");
    assert!(!site.read("site/plans/index.html").contains("Rate limits"));
    let dashboard = site.read("site/index.html");
    assert!(
        dashboard.contains(r#"<h2 id="proposals">Proposals</h2>"#)
            && dashboard.contains("proposals/rate-limits/index.html")
    );
    assert!(!site.root().join("site/docs/secret-plan").exists());

    // `drafts:` replaces the default.
    site.write("planbook.yaml", "drafts: ['ideas/']\n");
    site.write("ideas/sharding.md", "# Sharding\n\nLater.\n");
    let r = recognised(&site);
    assert_eq!(r["drafts"]["total"], 1, "{r}");
    let build = site.run(&["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(site.root().join("site/proposals/sharding/index.html").exists());
    assert!(!site.root().join("site/proposals/rate-limits/index.html").exists());
}

#[test]
fn pages_say_the_language_of_the_harness() {
    let site = TestSite::empty();
    let zh = "# EP-001: 缓存层重构\n\n**状态**: 进行中\n\n## 目标\n降低延迟。\n\n## 背景\n数据库压力太大。\n\n## Steps\n- [x] 第一步：测量延迟\n- [~] 第二步：实现缓存\n\n## Decision Log\n- 2026-03-02: 选择 LRU 缓存策略\n\n## Retrospective\n-\n";
    site.write("docs/harness/exec-plans/active/001-cache.md", zh);
    assert_eq!(site.run(&["build"]).code, 0);
    for page in ["site/index.html", "site/plans/001-cache/index.html", "site/docs/index.html"] {
        assert!(site.read(page).contains(r#"<html lang="zh">"#), "{page}");
    }
    site.write("planbook.yaml", "language: zh-Hant\n");
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(site.read("site/index.html").contains(r#"<html lang="zh-Hant">"#));

    let en = TestSite::empty();
    en.write("docs/harness/exec-plans/active/001-cache.md", plan("001", "Cache layer"));
    assert_eq!(en.run(&["build"]).code, 0);
    assert!(en.read("site/index.html").contains(r#"<html lang="en">"#));
}

#[test]
fn hostile_companion_and_draft_settings_take_nothing_they_should_not() {
    let site = TestSite::empty();
    let dir = "docs/harness/exec-plans/active";
    site.write(&format!("{dir}/001-a.md"), plan("001", "A"));
    site.write(&format!("{dir}/002-b.md"), plan("002", "B"));
    site.write(&format!("{dir}/001-a.x-y.md"), "# One\n");
    site.write(&format!("{dir}/001-a.x.y.md"), "# Two\n");
    site.write("AGENTS.md", "# Agents\n\nSee EP-001.\n");
    // A glob matching everything takes no plan and no root document.
    site.write("planbook.yaml", "companions: ['**']\ndrafts: [proposals/]\n");
    // A draft outside hidden folders is read once, as a draft.
    site.write("proposals/x.md", "# X\n\nSee EP-001 and docs/harness/exec-plans/active/001-a.md.\n");
    // A draft folder that leads out of the repository is not read.
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n").unwrap();
    std::fs::create_dir_all(site.root().join(".vtcode")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.root().join(".vtcode/plans")).unwrap();
    site.write("planbook.yaml", "companions: ['**']\ndrafts: [proposals/, .vtcode/plans/]\n");

    let r = recognised(&site);
    assert_eq!(r["plans"]["total"], 2, "{r}");
    assert_eq!(r["docs"]["by"]["root"], 1, "{r}");
    assert_eq!(r["drafts"]["total"], 1, "{r}");
    assert_eq!(r["companions"]["total"], 2, "{r}");
    let build = site.run(&["build", "--check-links"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!site.root().join("site/proposals/secret").exists());
    let page = site.read("site/plans/001-a/index.html");
    let ids: Vec<&str> = page
        .match_indices("<details class=\"file\" id=\"")
        .map(|(i, m)| &page[i + m.len()..])
        .map(|t| &t[..t.find('"').unwrap()])
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_ne!(ids[0], ids[1], "{ids:?}");
    // The draft's references count once.
    let referenced = page.split("Referenced by").nth(1).unwrap_or_default();
    assert_eq!(referenced.matches("proposals/x/index.html").count(), 1, "{referenced}");
    assert!(!referenced.contains("proposals/x.md:"), "{referenced}");
}
