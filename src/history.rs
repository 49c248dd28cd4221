//! History: what git says about the plans. One pass over `git log` of the plan folders, oldest
//! first, following renames (`active/` → `completed/`): for each plan file the commit that added
//! it, the commit that moved it to a finished folder or wrote a finished status, the last commit
//! that touched it, and for each line (by normalised text) the first commit it appeared in, and
//! for task items the first commit that showed each marker.
//!
//! In: the repository root and the harness folder. Out: a [`History`], empty with a reason when
//! there is none (not a git work tree, no `git` binary, `git: false`). `apply` then fills the
//! model's git dates; a date written in the text always wins. Git is run as a child process: it
//! was measured faster than reading the object database from Rust (see ARCHITECTURE.md), and a
//! missing binary is a one-line note, not an error.

use crate::model::{GitStamp, Harness, StepMarker};
use jiff::civil::Date;
use std::collections::{BTreeSet, HashMap};
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};

/// One commit, as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The abbreviated commit id (10 hex digits).
    pub id: String,
    /// The committer date, in UTC.
    pub date: Date,
    /// The author's name (never the e-mail address).
    pub author: String,
}

/// When a line of a plan first appeared, and when a task item first showed each marker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineHistory {
    /// The commit (index into `History::commits`) that first had the line.
    pub first: u32,
    /// The first commit with the marker `[ ]`, `[~]`, `[x]`, `[!]`.
    pub markers: [Option<u32>; 4],
}

/// The history of one plan file, under its current path.
#[derive(Debug, Clone, Default)]
pub struct FileHistory {
    /// The commit that added the file (under any earlier name).
    pub created: u32,
    /// The last commit that touched it.
    pub last: u32,
    /// The commit that moved it into a finished folder (`completed/`, `abandoned/`...).
    pub moved_to_finished: Option<u32>,
    /// The first commit that wrote a finished status line (`**Status**: completed`).
    pub finished_status: Option<u32>,
    /// Lines by normalised text.
    pub lines: HashMap<String, LineHistory>,
}

/// What git says about the plans.
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Commits that touched the plan folders, oldest first.
    pub commits: Vec<Commit>,
    /// Plan files by their path now (relative to the root).
    pub files: HashMap<String, FileHistory>,
    /// The date of the newest commit of the repository (HEAD): "now" for staleness.
    pub newest: Option<Date>,
    /// Why there is no history, or why it is partial: said once by `check` and `build`.
    pub note: Option<String>,
    /// Plan files with uncommitted changes.
    pub dirty: BTreeSet<String>,
    /// The commit HEAD points at (to notice, in watch mode, that it moved).
    pub head: Option<String>,
    /// `stale_after_days` it was read with.
    pub stale_after_days: u32,
}

/// Whether to read history and how to name authors (`git:`, `git_authors:` in planbook.yaml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Read history at all.
    pub enabled: bool,
    /// Keep author names (else no names anywhere).
    pub authors: bool,
    /// Days without a commit after which an active plan is stale.
    pub stale_after_days: u32,
}

/// Reads the history of `harness_rel/exec-plans` under `root`.
pub fn read(root: &Path, harness_rel: &str, opts: Options) -> History {
    if !opts.enabled {
        return History::default();
    }
    match read_git(root, harness_rel, opts) {
        Ok(h) => h,
        Err(note) => History { note: Some(note), ..History::default() },
    }
}

/// The commit HEAD points at, if `root` is in a git work tree (cheap: watch mode asks after
/// every batch of events).
pub fn head(root: &Path) -> Option<String> {
    let out = git(root).args(["rev-parse", "--verify", "-q", "HEAD"]).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    // No pager, no user diff drivers or colours, no prompts: the output is parsed.
    c.current_dir(root).env("GIT_PAGER", "cat").env("GIT_TERMINAL_PROMPT", "0").env("LC_ALL", "C").stdin(Stdio::null());
    c
}

fn read_git(root: &Path, harness_rel: &str, opts: Options) -> Result<History, String> {
    let probe = git(root)
        .args(["rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-prefix"])
        .stderr(Stdio::null())
        .output();
    let probe = match probe {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err("git is not installed: dates come from the text only".to_string());
        }
        Err(e) => return Err(format!("could not run git ({e}): dates come from the text only")),
    };
    if !probe.status.success() {
        return Err(String::new());
    }
    let text = String::from_utf8_lossy(&probe.stdout);
    let mut lines = text.lines();
    if lines.next() != Some("true") {
        return Err(String::new());
    }
    let shallow = lines.next() == Some("true");
    // Paths in the log are relative to the top of the work tree; ROOT may be below it.
    let prefix = lines.next().unwrap_or_default().to_string();
    let Some(head) = head(root) else {
        return Err("the repository has no commits yet: dates come from the text only".to_string());
    };
    let newest = git(root)
        .args(["log", "-1", "--format=%ct", "HEAD"])
        .stderr(Stdio::null())
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse::<i64>().ok())
        .and_then(date_of);
    let plans = if harness_rel == "." { "exec-plans".to_string() } else { format!("{harness_rel}/exec-plans") };
    let mut child = git(root)
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "--reverse",
            "--topo-order",
            "-M",
            "--format=%x00%h%x00%ct%x00%an",
            "--abbrev=10",
            "-p",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--",
            &plans,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not run git log ({e}): dates come from the text only"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut reader = Reader { prefix, authors: opts.authors, ..Reader::default() };
    let mut input = std::io::BufReader::with_capacity(1 << 16, stdout);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match input.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                }
                reader.line(&String::from_utf8_lossy(&buf));
            }
            Err(_) => break,
        }
    }
    reader.end_hunk();
    let _ = child.wait();
    let dirty = dirty_files(root, &plans, &reader.prefix);
    let note = if shallow {
        Some(
            "history is shallow: dates from git are partial (fetch with `git fetch --unshallow`, or `fetch-depth: 0` in CI)"
                .to_string(),
        )
    } else if !dirty.is_empty() {
        let n = dirty.len();
        Some(format!(
            "{n} plan file{} uncommitted edits: {} new lines have no dates from git until committed",
            if n == 1 { " has" } else { "s have" },
            if n == 1 { "its" } else { "their" }
        ))
    } else {
        None
    };
    Ok(History {
        commits: reader.commits,
        files: reader.files,
        newest,
        note,
        dirty,
        head: Some(head),
        stale_after_days: opts.stale_after_days,
    })
}

/// Plan files with uncommitted changes (`git status`), relative to the root.
fn dirty_files(root: &Path, plans: &str, prefix: &str) -> BTreeSet<String> {
    let Ok(out) = git(root)
        .args(["-c", "core.quotepath=off", "status", "--porcelain", "--no-renames", "--", plans])
        .stderr(Stdio::null())
        .output()
    else {
        return BTreeSet::new();
    };
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.get(3..))
        .filter_map(|p| p.strip_prefix(prefix).map(str::to_string))
        .collect()
}

fn date_of(seconds: i64) -> Option<Date> {
    // Days since 1970-01-01 in UTC: a commit's calendar date does not depend on this machine.
    let days = seconds.div_euclid(86_400);
    jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().try_days(days).ok()?).ok()
}

/// The state of reading `git log -p` line by line.
#[derive(Default)]
struct Reader {
    prefix: String,
    authors: bool,
    commits: Vec<Commit>,
    files: HashMap<String, FileHistory>,
    /// The file the current diff is about (its path now, relative to the root).
    current: Option<String>,
    /// `diff --git` header state: the old path, and whether this diff creates the file.
    old: Option<String>,
    new_file: bool,
    /// Removed and added lines of the current hunk (pairs become edits).
    removed: Vec<String>,
    added: Vec<String>,
    /// Lines of the current hunk still to come: (removed, added).
    pending: (usize, usize),
}

impl Reader {
    fn line(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix('\0') {
            self.end_hunk();
            self.pending = (0, 0);
            self.current = None;
            let mut parts = rest.split('\0');
            let (Some(id), Some(ts), author) = (parts.next(), parts.next(), parts.next()) else { return };
            let Some(date) = ts.trim().parse::<i64>().ok().and_then(date_of) else { return };
            let author = if self.authors { author.unwrap_or_default().trim().to_string() } else { String::new() };
            self.commits.push(Commit { id: id.trim().to_string(), date, author });
            return;
        }
        let Some(commit) = self.commits.len().checked_sub(1).map(|c| c as u32) else { return };
        if self.pending != (0, 0) {
            // Inside a hunk every line is content, whatever it starts with.
            match line.as_bytes().first() {
                Some(b'-') if self.pending.0 > 0 => {
                    self.pending.0 -= 1;
                    self.removed.push(line[1..].to_string());
                    return;
                }
                Some(b'+') if self.pending.1 > 0 => {
                    self.pending.1 -= 1;
                    self.added.push(line[1..].to_string());
                    return;
                }
                // `\ No newline at end of file`, or a count that was off: the hunk is over.
                _ => self.pending = (0, 0),
            }
        }
        if let Some(paths) = line.strip_prefix("diff --git ") {
            self.end_hunk();
            // `a/OLD b/NEW`: paths with spaces are ambiguous here; the rename and `+++` lines
            // that follow say them exactly.
            let new = paths.rsplit_once(" b/").map(|(_, n)| n.to_string());
            let old = paths.strip_prefix("a/").and_then(|p| p.rsplit_once(" b/")).map(|(o, _)| o.to_string());
            self.old = old;
            self.new_file = false;
            self.current = new.and_then(|n| self.relative(&n));
            return;
        }
        if line.starts_with("new file mode") {
            self.new_file = true;
            return;
        }
        if let Some(from) = line.strip_prefix("rename from ") {
            self.old = Some(from.to_string());
            return;
        }
        if let Some(to) = line.strip_prefix("rename to ") {
            let (Some(from), Some(to)) = (self.old.take().and_then(|f| self.relative(&f)), self.relative(to)) else {
                return;
            };
            let mut fh = self.files.remove(&from).unwrap_or(FileHistory { created: commit, ..FileHistory::default() });
            if is_finished_folder(&to) && !is_finished_folder(&from) && fh.moved_to_finished.is_none() {
                fh.moved_to_finished = Some(commit);
            }
            fh.last = commit;
            self.files.insert(to.clone(), fh);
            self.current = Some(to);
            return;
        }
        if line.starts_with("deleted file mode") {
            if let Some(c) = self.current.take() {
                self.files.remove(&c);
            }
            return;
        }
        if let Some(to) = line.strip_prefix("+++ ") {
            if let Some(p) = to.strip_prefix("b/").and_then(|p| self.relative(p)) {
                self.current = Some(p);
            }
            let Some(cur) = self.current.clone() else { return };
            let new_file = self.new_file;
            let fh = self.files.entry(cur).or_insert_with(|| FileHistory { created: commit, ..FileHistory::default() });
            if new_file {
                // Added again after a deletion: a new file.
                *fh = FileHistory { created: commit, ..FileHistory::default() };
            }
            fh.last = commit;
            return;
        }
        if let Some(header) = line.strip_prefix("@@ ") {
            self.end_hunk();
            // `@@ -a,b +c,d @@`: b lines removed, d added follow (a count of 1 is left out).
            let count = |part: Option<&str>| -> usize {
                part.map_or(0, |p| p.split_once(',').map_or(1, |(_, n)| n.parse().unwrap_or(0)))
            };
            let mut parts = header.split(' ');
            self.pending = (count(parts.next()), count(parts.next()));
        }
    }

    /// A path from the log (relative to the work tree's top) relative to the root.
    fn relative(&self, path: &str) -> Option<String> {
        path.strip_prefix(self.prefix.as_str()).map(str::to_string)
    }

    /// Records the added lines of the hunk just read. An added line that replaces a removed one
    /// at the same place and reads nearly the same (a typo fix, a changed marker) keeps the
    /// removed line's first commit.
    fn end_hunk(&mut self) {
        let (removed, added) = (std::mem::take(&mut self.removed), std::mem::take(&mut self.added));
        let Some(commit) = self.commits.len().checked_sub(1).map(|c| c as u32) else { return };
        let Some(fh) = self.current.as_ref().and_then(|c| self.files.get_mut(c)) else { return };
        for (i, text) in added.iter().enumerate() {
            let (key, marker) = normalise(text);
            if key.is_empty() {
                continue;
            }
            if fh.finished_status.is_none() && is_finished_status(text) {
                fh.finished_status = Some(commit);
            }
            let inherited = removed
                .get(i)
                .map(|old| normalise(old).0)
                .filter(|old| *old != key && similar(old, &key))
                .and_then(|old| fh.lines.get(&old).copied());
            let entry = fh
                .lines
                .entry(key)
                .or_insert_with(|| inherited.unwrap_or(LineHistory { first: commit, markers: [None; 4] }));
            if let Some(m) = marker {
                entry.markers[m].get_or_insert(commit);
            }
        }
    }
}

/// Whether `path` is in a folder for finished plans.
fn is_finished_folder(path: &str) -> bool {
    let folder = path.split("exec-plans/").nth(1).and_then(|rest| rest.rsplit_once('/')).map(|(f, _)| f);
    folder.is_some_and(crate::parse::folder_is_finished)
}

/// Whether a line writes a finished status (`**Status**: completed`, `status: done`).
fn is_finished_status(line: &str) -> bool {
    let t = line.trim_start_matches(['-', '*', '>', ' ']).trim_start_matches('*');
    let lower = t.get(..t.len().min(12)).unwrap_or_default().to_ascii_lowercase();
    if !(lower.starts_with("status") || lower.starts_with("state")) {
        return false;
    }
    let value = t.split_once(':').map_or("", |(_, v)| v);
    crate::parse::status_is_finished(value)
}

/// A line as a key: lower case, letters and digits only, words separated by one space, without
/// a list bullet or task marker (which is returned: 0 `[ ]`, 1 `[~]`, 2 `[x]`, 3 `[!]`).
pub fn normalise(line: &str) -> (String, Option<usize>) {
    let mut t = line.trim_start();
    for bullet in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(bullet) {
            t = rest.trim_start();
            break;
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") ")) {
        t = t[digits + 2..].trim_start();
    }
    let mut marker = None;
    if let Some(rest) = t.strip_prefix('[') {
        let mut chars = rest.chars();
        if let (Some(c), Some(']')) = (chars.next(), chars.next()) {
            marker = match StepMarker::from_symbol(Some(c)) {
                StepMarker::Todo => Some(0),
                StepMarker::InProgress => Some(1),
                StepMarker::Done => Some(2),
                StepMarker::Blocked => Some(3),
                StepMarker::Invalid(_) => None,
            };
            if marker.is_some() {
                t = chars.as_str();
            }
        }
    }
    let mut key = String::with_capacity(t.len());
    let mut gap = false;
    for c in t.chars() {
        if c.is_alphanumeric() {
            if gap && !key.is_empty() {
                key.push(' ');
            }
            gap = false;
            key.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    (key, marker)
}

/// Whether two keys read nearly the same: at most a fifth of the longer one differs, measured
/// by the common prefix and suffix (a typo fix changes a few characters in the middle). Linear.
fn similar(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let longer = a.len().max(b.len());
    longer >= 8 && (longer - prefix - suffix) * 5 <= longer
}

impl History {
    /// Reads which plan files have uncommitted changes again (after an edit in watch mode).
    pub fn refresh_dirty(&mut self, root: &Path, harness_rel: &str) {
        let plans = if harness_rel == "." { "exec-plans".to_string() } else { format!("{harness_rel}/exec-plans") };
        let prefix = git(root)
            .args(["rev-parse", "--show-prefix"])
            .stderr(Stdio::null())
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default();
        self.dirty = dirty_files(root, &plans, &prefix);
    }

    /// The stamp of commit `i`.
    pub fn stamp(&self, i: u32) -> Option<GitStamp> {
        let c = self.commits.get(i as usize)?;
        Some(GitStamp { date: c.date, commit: c.id.clone(), author: c.author.clone() })
    }
}

/// Fills the model's git dates from `history`; `text_of` gives a plan file's text (lines are
/// looked up by what the file says now). Dates written in the text stay; git only fills in.
pub fn apply(history: &History, harness: &mut Harness, text_of: &(dyn Fn(&str) -> Option<std::sync::Arc<str>> + Sync)) {
    use rayon::prelude::*;
    harness.newest_commit = history.newest;
    harness.plans.par_iter_mut().for_each(|plan| {
        plan.git = None;
        let Some(fh) = history.files.get(&plan.path) else { return };
        let dirty = history.dirty.contains(&plan.path);
        let finished = fh.moved_to_finished.into_iter().chain(fh.finished_status).min();
        let last = history.stamp(fh.last);
        let idle = match (&last, history.newest) {
            (Some(l), Some(newest)) => newest.since(l.date).ok().map(|s| i64::from(s.get_days())),
            _ => None,
        };
        let active = plan.state() == crate::model::StatusKind::Active;
        plan.git = Some(crate::model::PlanGit {
            created: history.stamp(fh.created),
            finished: if plan.state().is_finished() { finished.and_then(|c| history.stamp(c)) } else { None },
            last,
            dirty,
            stale_days: idle.filter(|d| active && !dirty && *d >= i64::from(history.stale_after_days)),
        });
        let Some(text) = text_of(&plan.path) else { return };
        let lines: Vec<&str> = text.split('\n').collect();
        let line_history = |line: u32| -> Option<(&LineHistory, Option<usize>)> {
            let raw = lines.get(line.checked_sub(1)? as usize)?;
            let (key, marker) = normalise(raw);
            fh.lines.get(&key).map(|h| (h, marker))
        };
        for d in &mut plan.decisions {
            d.git = None;
            if d.date.is_none()
                && let Some((h, _)) = line_history(d.span.line)
            {
                d.git = history.stamp(h.first);
            }
        }
        for s in &mut plan.steps {
            s.git = Default::default();
            if let Some((h, _)) = line_history(s.span.line) {
                s.git.added = history.stamp(h.first);
                s.git.started = h.markers[1].and_then(|c| history.stamp(c));
                s.git.done = h.markers[2].and_then(|c| history.stamp(c));
                s.git.blocked = h.markers[3].and_then(|c| history.stamp(c));
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_leave_out_bullets_markers_and_punctuation() {
        assert_eq!(normalise("- [x] Step 2: **Cache** `reads`."), ("step 2 cache reads".to_string(), Some(2)));
        assert_eq!(normalise("  * [~] build it"), ("build it".to_string(), Some(1)));
        assert_eq!(normalise("1. Chose LRU over LFU"), ("chose lru over lfu".to_string(), None));
        assert_eq!(normalise("| 2026-01-05 | 选择 LRU |"), ("2026 01 05 选择 lru".to_string(), None));
        assert_eq!(normalise("[link](x)"), ("link x".to_string(), None));
    }

    #[test]
    fn a_typo_fix_is_similar_a_new_line_is_not() {
        assert!(similar("chose lru over lfu for the cahce", "chose lru over lfu for the cache"));
        assert!(!similar("chose lru over lfu", "moved the cache to redis"));
        assert!(!similar("a b", "a c"));
    }

    #[test]
    fn reads_a_log_with_renames_markers_and_typo_fixes() {
        let log = "\0aaaaaaaaaa\x001767225600\0Ann\n\
diff --git a/d/exec-plans/active/001-x.md b/d/exec-plans/active/001-x.md\n\
new file mode 100644\n\
--- /dev/null\n\
+++ b/d/exec-plans/active/001-x.md\n\
@@ -0,0 +1,3 @@\n\
+# EP-001: X\n\
+- [ ] Step 1: build the cache\n\
+- Chose LRU over LFU for the cahce\n\
\0bbbbbbbbbb\x001767312000\0Bob\n\
diff --git a/d/exec-plans/active/001-x.md b/d/exec-plans/active/001-x.md\n\
--- a/d/exec-plans/active/001-x.md\n\
+++ b/d/exec-plans/active/001-x.md\n\
@@ -2,2 +2,2 @@\n\
-- [ ] Step 1: build the cache\n\
-- Chose LRU over LFU for the cahce\n\
+- [x] Step 1: build the cache\n\
+- Chose LRU over LFU for the cache\n\
\0cccccccccc\x001767398400\0Ann\n\
diff --git a/d/exec-plans/active/001-x.md b/d/exec-plans/completed/001-x.md\n\
similarity index 100%\n\
rename from d/exec-plans/active/001-x.md\n\
rename to d/exec-plans/completed/001-x.md\n";
        let mut r = Reader { authors: true, ..Reader::default() };
        for l in log.lines() {
            r.line(l);
        }
        r.end_hunk();
        assert_eq!(r.commits.len(), 3);
        assert!(!r.files.contains_key("d/exec-plans/active/001-x.md"));
        let fh = &r.files["d/exec-plans/completed/001-x.md"];
        assert_eq!((fh.created, fh.last, fh.moved_to_finished), (0, 2, Some(2)));
        let step = fh.lines["step 1 build the cache"];
        assert_eq!((step.first, step.markers[0], step.markers[2]), (0, Some(0), Some(1)));
        // The typo fix keeps the decision's first commit.
        assert_eq!(fh.lines["chose lru over lfu for the cache"].first, 0);
        assert_eq!(r.commits[1].date.to_string(), "2026-01-02");
        assert_eq!(r.commits[1].author, "Bob");
    }
}
