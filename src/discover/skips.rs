//! What the walk of the repository leaves out, as one rule set. The walk applies it to every
//! entry it meets (the ignore files being the walker's own business there); watch mode asks it
//! about single changed paths, ignore files included, so what is watched is what is read.

use super::{Layout, is_site, relative};
use crate::config::Config;
use globset::GlobSet;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The rules.
#[derive(Debug)]
pub struct Skips {
    root: PathBuf,
    /// Folders never read (the site's output folder), relative to the root.
    skip: Vec<String>,
    /// `exclude` in planbook.yaml.
    excludes: GlobSet,
    /// `drafts:`: read even in hidden or ignored folders.
    drafts: GlobSet,
    /// The harness's `exec-plans/`: neither it nor its state folders are ever taken for a site.
    exec_plans: PathBuf,
    /// `.git/info/exclude`.
    git_exclude: Gitignore,
    /// `.gitignore` and `.ignore` of each folder asked about, relative to the root.
    ignores: Mutex<HashMap<String, Gitignore>>,
}

impl Skips {
    /// The rules for `layout` and `config`.
    pub fn new(layout: &Layout, config: &Config) -> anyhow::Result<Skips> {
        let mut builder = GitignoreBuilder::new(&layout.root);
        let exclude = layout.root.join(".git/info/exclude");
        if exclude.is_file() {
            builder.add(exclude);
        }
        Ok(Skips {
            root: layout.root.clone(),
            skip: layout.skip.clone(),
            excludes: exclude_set(&config.exclude)?,
            drafts: super::glob_set("drafts", &config.drafts)?,
            exec_plans: layout.harness().join("exec-plans"),
            git_exclude: builder.build()?,
            ignores: Mutex::default(),
        })
    }

    /// What the walk decides for one entry itself: the output folder, `exclude`d paths, and
    /// folders holding a site planbook built (never the harness's own folders: a stray marker
    /// must not hide plans).
    pub fn leaves_out_entry(&self, rel: &str, path: &Path, is_dir: bool) -> bool {
        let skipped = self.skip.iter().any(|s| rel == s || rel.starts_with(&format!("{s}/")));
        let site = is_dir
            && !self.exec_plans.starts_with(path)
            && path.parent() != Some(self.exec_plans.as_path())
            && is_site(path);
        !rel.is_empty() && (skipped || self.excludes.is_match(rel) || site)
    }

    /// Whether the walk leaves `rel` (relative to the root) out: hidden, in the output folder,
    /// `exclude`d, in a site, or ignored by git's ignore files.
    pub fn leaves_out(&self, rel: &str) -> bool {
        if self.drafts.is_match(rel) {
            // As `find_drafts` reads them: hidden folders and ignore files do not count.
            return self.excludes.is_match(rel)
                || self.skip.iter().any(|s| rel == s || rel.starts_with(&format!("{s}/")));
        }
        if rel.split('/').any(|part| part.starts_with('.')) {
            return true;
        }
        // The path and each folder above it, as the walk would have met them.
        let path = self.root.join(rel);
        let above =
            path.ancestors().map_while(|at| relative(&self.root, at).filter(|r| !r.is_empty()).map(|r| (r, at)));
        for (r, at) in above.collect::<Vec<_>>() {
            if self.leaves_out_entry(&r, at, at.is_dir()) {
                return true;
            }
        }
        self.git_ignored(rel)
    }

    /// Whether the ignore files of `rel`'s folders (the deepest that says anything wins) or
    /// `.git/info/exclude` ignore it.
    fn git_ignored(&self, rel: &str) -> bool {
        let path = self.root.join(rel);
        let is_dir = path.is_dir();
        let mut dirs = vec![String::new()];
        let mut acc = String::new();
        for part in rel.split('/').collect::<Vec<_>>().iter().rev().skip(1).rev() {
            acc = if acc.is_empty() { part.to_string() } else { format!("{acc}/{part}") };
            dirs.push(acc.clone());
        }
        let mut ignores = self.ignores.lock().expect("no panic while holding the lock");
        for dir in dirs.iter().rev() {
            let matcher = ignores.entry(dir.clone()).or_insert_with(|| {
                let base = self.root.join(dir);
                let mut b = GitignoreBuilder::new(&base);
                for f in [".gitignore", ".ignore"] {
                    if base.join(f).is_file() {
                        b.add(base.join(f));
                    }
                }
                b.build().unwrap_or_else(|_| Gitignore::empty())
            });
            let m = matcher.matched_path_or_any_parents(&path, is_dir);
            if m.is_ignore() {
                return true;
            }
            if m.is_whitelist() {
                return false;
            }
        }
        self.git_exclude.matched_path_or_any_parents(&path, is_dir).is_ignore()
    }
}

/// The `exclude` globs of planbook.yaml (`vendor` also excludes what is inside it).
fn exclude_set(globs: &[String]) -> anyhow::Result<GlobSet> {
    super::glob_set("exclude", globs)
}
