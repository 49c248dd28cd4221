//! `planbook check`: exit codes, output formats, config, discovery and bad input.

use crate::support::{Run, TestSite, planbook};

fn example() -> TestSite {
    TestSite::copy_of("content-example")
}

fn codes(run: &Run) -> Vec<(String, String)> {
    run.json_codes().into_iter().map(|(code, file, _)| (code, file)).collect()
}

const PLAN: &str = "# EP-001: Cache
**Status**: active
**Created**: 2026-01-05

## Goal
Fast.
## Context
Slow now.
## Steps
- [x] Step 1: measure
- [~] Step 2: cache
## Decision Log
- 2026-01-05: start
## Retrospective
### What went well
-
";

fn minimal() -> TestSite {
    let site = TestSite::empty();
    site.write("docs/harness/exec-plans/active/001-cache.md", PLAN);
    site
}

#[test]
fn content_example_reports_its_deliberate_violations() {
    let site = example();
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let mut got = codes(&run);
    got.sort();
    assert_eq!(
        got,
        [
            ("E006".into(), "docs/harness/exec-plans/active/010-mirror-sync-scheduler.md".into()),
            ("W005".into(), "docs/harness/exec-plans/active/013-api-versioning.md".into()),
            ("W008".into(), "docs/harness/exec-plans/completed/005-structured-logging.md".into()),
            ("W029".into(), "AGENTS.md".into()),
            ("W031".into(), "src/cache/headers.rs".into()),
        ]
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["summary"]["plans"], 13);
}

#[test]
fn human_output_is_rustc_style_with_a_summary() {
    let run = example().run(&["check", "--color", "never"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("error[E006]: blocked step does not say why\n"), "{}", run.stdout);
    assert!(run.stdout.contains("--> docs/harness/exec-plans/active/010-mirror-sync-scheduler.md:"), "{}", run.stdout);
    assert!(run.stdout.contains("= help:"), "{}", run.stdout);
    assert!(run.stdout.ends_with("13 plans, 1 error, 4 warnings\n"), "{}", run.stdout);
    assert!(!run.stdout.contains('\u{1b}'), "no colours when asked");
}

#[test]
fn paths_are_shown_relative_to_the_root_as_typed() {
    let site = example();
    let parent = site.root().parent().unwrap();
    let name = site.root().file_name().unwrap().to_str().unwrap();
    let out = planbook().args(["check", "--color", "never", name]).current_dir(parent).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains(&format!("--> {name}/docs/harness/exec-plans/")), "{stdout}");
}

#[test]
fn quiet_prints_only_errors_and_strict_fails_on_warnings() {
    let site = example();
    let run = site.run(&["check", "-q", "--color", "never"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("error[E006]") && !run.stdout.contains("warning["), "{}", run.stdout);
    assert!(!run.stdout.contains("13 plans"), "no summary when quiet");

    site.write("planbook.yaml", "rules:\n  E006: warning\n");
    assert_eq!(site.run(&["check"]).code, 0, "errors demoted to warnings pass");
    assert_eq!(site.run(&["check", "--strict"]).code, 1, "--strict fails on warnings");
    site.write("planbook.yaml", "rules:\n  E006: off\n  W005: off\n  W008: off\n  W029: off\n  W031: off\n");
    let run = site.run(&["check", "--strict"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "13 plans, 0 errors, 0 warnings\n"));
}

#[test]
fn colour_follows_flag_and_no_color() {
    let site = example();
    let always = site.run(&["check", "--color", "always"]);
    assert!(always.stdout.contains('\u{1b}'), "--color always colours");
    let out =
        planbook().args(["check", "--color", "auto"]).current_dir(site.root()).env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains('\u{1b}'));
}

#[test]
fn clean_tree_exits_zero() {
    let run = minimal().run(&["check"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "1 plan, 0 errors, 0 warnings\n"), "{}", run.stderr);
}

#[test]
fn missing_root_and_missing_harness_exit_two() {
    let site = TestSite::empty();
    let run = site.run(&["check", "no-such-dir"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("`no-such-dir` is not a folder"), "{}", run.stderr);

    let run = site.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no harness found"), "{}", run.stderr);
    assert!(
        run.stderr.contains("docs/harness/exec-plans") && run.stderr.contains("docs/exec-plans"),
        "says where it looked: {}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_two() {
    let run = TestSite::empty().run(&["check", "--format", "xml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid value 'xml'"), "{}", run.stderr);
}

#[test]
fn config_errors_name_the_key_file_and_line() {
    let site = minimal();
    site.write("planbook.yaml", "title: Cache\nharnes: docs/harness\n");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown field `harnes`"), "{}", run.stderr);
    assert!(run.stderr.contains("--> planbook.yaml:2:1"), "{}", run.stderr);

    site.write("planbook.yaml", "rules:\n  E999: off\n");
    let run = site.run(&["check"]);
    assert!(run.code == 2 && run.stderr.contains("unknown rule `E999`"), "{}", run.stderr);
}

#[test]
fn harness_is_detected_in_docs_and_set_by_config() {
    let site = TestSite::empty();
    site.write("docs/exec-plans/active/2026-03-12-cache.md", "---\nstatus: active\n---\n# Cache\n");
    site.write("docs/exec-plans/tech-debt-tracker.md", "# Debt\n\n- [ ] TD-001: slow\n");
    let run = site.run(&["check", "--format", "json", "-v"]);
    assert!(run.stderr.contains("harness `docs`"), "{}", run.stderr);
    assert!(codes(&run).contains(&("W013".into(), "docs/exec-plans/active/2026-03-12-cache.md".into())));

    let site = TestSite::empty();
    site.write("handbook/exec-plans/active/001-cache.md", PLAN);
    assert_eq!(site.run(&["check"]).code, 2, "not a candidate folder");
    site.write("planbook.yaml", "harness: handbook\n");
    assert_eq!(site.run(&["check"]).code, 0);
}

#[test]
fn gitignored_and_excluded_files_are_not_read() {
    let site = minimal();
    site.write(".gitignore", "scratch/\n");
    site.write("docs/harness/exec-plans/active/scratch/bad.md", "- [-] junk\n");
    site.write("docs/harness/exec-plans/active/vendor/bad.md", "- [-] junk\n");
    site.write("planbook.yaml", "exclude:\n  - docs/harness/exec-plans/active/vendor\n");
    let run = site.run(&["check"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "1 plan, 0 errors, 0 warnings\n"));
}

#[test]
fn bad_files_get_diagnostics_and_the_rest_is_still_read() {
    let site = minimal();
    site.write("docs/harness/exec-plans/active/002-latin1.md", b"# EP-002: Caf\xe9\n");
    site.write("docs/harness/exec-plans/active/003-yaml.md", "---\nstatus: [active\n---\n# EP-003: Y\n");
    site.write("docs/harness/exec-plans/active/004-empty.md", "");
    let crlf = format!("\u{feff}{}", PLAN.replace("EP-001", "EP-005").replace('\n', "\r\n"));
    site.write("docs/harness/exec-plans/active/005-crlf.md", crlf);
    let run = site.run(&["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let got = run.json_codes();
    let has = |code: &str, file: &str, line: Option<u64>| {
        got.iter().any(|(c, f, l)| c == code && f.ends_with(file) && *l == line)
    };
    assert!(has("E018", "002-latin1.md", Some(1)), "{got:?}");
    assert!(run.stdout.contains("invalid byte at offset 13"), "{}", run.stdout);
    assert!(has("E019", "003-yaml.md", Some(2)), "the line of the unclosed `[`: {got:?}");
    assert!(has("W023", "004-empty.md", None), "{got:?}");
    assert!(!got.iter().any(|(_, f, _)| f.ends_with("005-crlf.md")), "CRLF + BOM plan is clean: {got:?}");
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["summary"]["plans"], 4, "all but the non-UTF-8 file were read");
}

#[test]
fn every_command_has_help() {
    for args in [&["--help"][..], &["check", "--help"], &["build", "--help"]] {
        let out = planbook().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(String::from_utf8(out.stdout).unwrap().contains("Usage: planbook"), "{args:?}");
    }
}

#[test]
fn check_is_deterministic_across_thread_counts() {
    let site = TestSite::empty();
    crate::support::tree_gen::write_tree(site.root(), 300, 0);
    let a = planbook()
        .args(["check", "--format", "json"])
        .current_dir(site.root())
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    let b = planbook()
        .args(["check", "--format", "json"])
        .current_dir(site.root())
        .env("RAYON_NUM_THREADS", "4")
        .output()
        .unwrap();
    assert_eq!(a.stdout, b.stdout);
    let v: serde_json::Value = serde_json::from_str(std::str::from_utf8(&a.stdout).unwrap()).unwrap();
    assert_eq!(v["summary"]["plans"], 300);
}

#[test]
fn summary_says_what_was_recognised_per_kind() {
    let site = minimal();
    site.write(
        "docs/harness/exec-plans/completed/002-logs.md",
        "# EP-002: Logs\n**Status**: completed\n**Created**: 2026-01-01\n**Completed**: 2026-01-09\n\n## Goal\nG\n## Context\nC\n## Steps\n- [x] one\n- [x] two\n## Decision Log\n- chose JSON lines, see EP-001 and EP-404\n## Retrospective\n### What went well\n- it shipped\n",
    );
    site.write(
        "docs/harness/tech-debt-tracker.md",
        "# Tech debt\n\n| ID | Item | Status |\n|---|---|---|\n| TD-001 | Flaky test | open |\n| TD-002 | Old API | resolved |\n",
    );
    let run = site.run(&["check", "--summary", "--color", "never"]);
    let out = &run.stdout;
    let line = |kind: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(kind))
            .unwrap_or_else(|| panic!("no `{kind}` line in\n{out}"))
            .to_string()
    };
    assert!(out.contains("recognised in `docs/harness`:"), "{out}");
    assert!(line("plans").ends_with("2: 1 active, 1 completed"), "{out}");
    assert!(line("steps").ends_with("4: 3 done, 1 in progress"), "{out}");
    assert!(line("decisions").ends_with("2: 1 dated, 1 undated"), "{out}");
    assert!(line("retrospectives").ends_with("2: 1 filled, 1 not yet due"), "{out}");
    assert!(line("debt items").ends_with("2: 1 open, 1 resolved"), "{out}");
    assert!(line("quality").ends_with("no quality score"), "{out}");
    assert!(line("references").ends_with("2: 1 resolved, 1 unresolved"), "{out}");

    let json = site.run(&["check", "--summary", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let r = &v["recognised"];
    assert_eq!(r["plans"]["total"], 2);
    assert_eq!(r["plans"]["by"]["completed"], 1);
    assert_eq!(r["steps"]["by"]["in-progress"], 1);
    assert_eq!(r["decisions"]["by"]["undated"], 1);
    assert_eq!(r["debt"]["by"]["open"], 1);
    assert!(r.get("quality").is_none(), "{r}");
    assert_eq!(r["references"]["by"]["unresolved"], 1);
    // Without --summary the JSON keeps its shape.
    let plain: serde_json::Value = serde_json::from_str(&site.run(&["check", "--format", "json"]).stdout).unwrap();
    assert!(plain.get("recognised").is_none());

    let build = site.run(&["build", "-v", "--color", "never"]);
    assert!(build.stderr.contains("recognised in `docs/harness`:"), "{}", build.stderr);
}
