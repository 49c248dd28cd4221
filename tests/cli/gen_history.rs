//! The generated git history (`tree_gen::write_history`, `gen_tree DIR PLANS SOURCES COMMITS`):
//! exactly the asked number of commits, ending clean in the tree the generator writes without
//! history, with the same commit ids on every run.

use crate::support::tree_gen::{write_history, write_tree};
use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8 from git")
}

#[test]
fn history_ends_in_the_generated_tree() {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("ignored: `git` is not installed, so no history can be generated");
        return;
    }
    let (a, b, plain) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    write_history(a.path(), 30, 20, 200);
    assert_eq!(git(a.path(), &["log", "--oneline"]).lines().count(), 200);
    assert_eq!(git(a.path(), &["status", "--porcelain", "--untracked-files=all"]), "", "work tree and index clean");

    // The same files, modes and paths as a plain generation: the same tree id.
    write_tree(plain.path(), 30, 20);
    git(plain.path(), &["init", "-q"]);
    git(plain.path(), &["add", "-A"]);
    assert_eq!(git(plain.path(), &["write-tree"]), git(a.path(), &["rev-parse", "HEAD^{tree}"]));

    write_history(b.path(), 30, 20, 200);
    let head = git(a.path(), &["rev-parse", "HEAD"]);
    assert_eq!(head, git(b.path(), &["rev-parse", "HEAD"]), "deterministic commit ids");

    // What a history reader needs is there: plans added in active/ and renamed to completed/,
    // typos fixed by a later commit, markers that pass through `[~]`.
    let names = git(a.path(), &["log", "-M", "--format=", "--name-status", "--", "docs/harness/exec-plans"]);
    assert!(names.lines().any(|l| l.starts_with("R100\tdocs/harness/exec-plans/active/")), "{names}");
    assert!(!names.lines().any(|l| l.starts_with("A\tdocs/harness/exec-plans/completed/")), "{names}");
    let subjects = git(a.path(), &["log", "--format=%B"]);
    assert!(subjects.contains("fix typo in decision") && subjects.contains("started"), "{subjects}");
}
