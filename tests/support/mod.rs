//! Shared by the integration tests and the tree generator: run the real binary on a temp copy of
//! a tree, and write trees.

#![allow(dead_code)]

pub mod browser;
pub mod site_check;
pub mod tree_gen;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary repository the tests run planbook on.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// What a run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl TestSite {
    /// An empty temporary repository.
    pub fn empty() -> TestSite {
        TestSite { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// A copy of `content-example/` (or any folder relative to the crate root).
    pub fn copy_of(rel: &str) -> TestSite {
        let site = TestSite::empty();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel), site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `rel`, creating folders.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("file in a folder")).expect("create folders");
        std::fs::write(path, text).expect("write file");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).expect("read file")
    }

    /// Runs `planbook <args>` in the repository (cwd = root), with colours off.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = planbook().args(args).current_dir(self.root()).env_remove("NO_COLOR").output().expect("run planbook");
        Run::from(out, self.root())
    }
}

/// The built binary (or the one `PLANBOOK_TEST_BIN` names: to show that a regression test fails
/// on an older build, run the suite against that build's binary).
pub fn planbook() -> Command {
    match std::env::var_os("PLANBOOK_TEST_BIN") {
        Some(bin) => Command::new(bin),
        None => Command::new(env!("CARGO_BIN_EXE_planbook")),
    }
}

impl Run {
    /// Captures output with the temp path redacted to `[ROOT]`.
    pub fn from(out: Output, root: &Path) -> Run {
        let redact = |b: Vec<u8>| {
            let s = String::from_utf8(b).expect("planbook prints UTF-8");
            s.replace(&root.display().to_string(), "[ROOT]")
        };
        Run { code: out.status.code().unwrap_or(-1), stdout: redact(out.stdout), stderr: redact(out.stderr) }
    }

    /// The `code` of every diagnostic in a `--format json` run, with its file and line.
    pub fn json_codes(&self) -> Vec<(String, String, Option<u64>)> {
        let v: serde_json::Value =
            serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout));
        v["diagnostics"]
            .as_array()
            .expect("diagnostics array")
            .iter()
            .map(|d| {
                (d["code"].as_str().unwrap().to_string(), d["file"].as_str().unwrap().to_string(), d["line"].as_u64())
            })
            .collect()
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.expect("dir entry");
        let target: PathBuf = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            if entry.file_name() == "site" || entry.file_name() == "target" {
                continue;
            }
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy file");
        }
    }
}
