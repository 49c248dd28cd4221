//! History: what git says about the plans. One pass over the repository's commits (read with
//! `gix`, parents first, each diffed against its first parent inside the plan folders, renames
//! such as `active/` → `completed/` followed): for each plan file the commit that added it, the
//! commit that moved it to a finished folder or wrote a finished status, the last commit that
//! touched it, and for each line that can be an entry or a step (by normalised text) the first
//! commit it appeared in, and for task items the first commit that showed each marker.
//!
//! In: the repository root and the harness folder. Out: a [`History`], empty (with a note when
//! something is missing) when there is none: not a git work tree, `git: false`, no commits. What
//! was read is cached under `.git/planbook/`, so a rebuild reads only newer commits. `apply`
//! then fills the model's git dates; a date written in the text always wins. `gix` was measured
//! faster than `git log -p` as a child process (see ARCHITECTURE.md); `git status` (which plan
//! files have uncommitted edits) runs the `git` binary when there is one.

use crate::model::{GitStamp, Harness, StepMarker};
use jiff::civil::Date;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::{Command, Stdio};

/// One commit, as the history keeps it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Commit {
    /// The abbreviated commit id (10 hex digits).
    pub id: String,
    /// The committer date, in UTC (none when out of range).
    pub date: Option<Date>,
    /// The author's name (never the e-mail address).
    pub author: String,
}

/// When a line of a plan first appeared, and when a task item first showed each marker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineHistory {
    /// The commit (index into `History::commits`) that first had the line.
    pub first: u32,
    /// The first commit with the marker `[ ]`, `[~]`, `[x]`, `[!]`.
    pub markers: [Option<u32>; 4],
}

/// The history of one plan file, under its current path.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
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
    /// ROOT's path below the top of the work tree (`proj/`, or empty).
    pub prefix: String,
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
    let repo = gix::discover(root).ok()?;
    repo.head_id().ok().map(|id| id.detach().to_string())
}

fn git(root: &Path) -> Command {
    let mut c = Command::new("git");
    // No pager, no user diff drivers or colours, no prompts: the output is parsed.
    c.current_dir(root).env("GIT_PAGER", "cat").env("GIT_TERMINAL_PROMPT", "0").env("LC_ALL", "C").stdin(Stdio::null());
    c
}

fn read_git(root: &Path, harness_rel: &str, opts: Options) -> Result<History, String> {
    // Not a repository (or one planbook cannot open): no history, nothing to say.
    let mut repo = gix::discover(root).map_err(|_| String::new())?;
    // Trees of a plan folder change a little in each commit and are stored as deltas of each
    // other: a cache of decoded objects saves inflating the same bases again and again.
    repo.object_cache_size_if_unset(64 << 20);
    let Some(workdir) = repo.workdir() else { return Err(String::new()) };
    // Paths in the history are relative to the top of the work tree; ROOT may be below it.
    let canonical = |p: &Path| crate::paths::canonical(p).unwrap_or_else(|_| p.to_path_buf());
    let Ok(below) = canonical(root).strip_prefix(canonical(workdir)).map(Path::to_path_buf) else {
        return Err(String::new());
    };
    let mut prefix: String =
        below.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect::<Vec<_>>().join("/");
    if !prefix.is_empty() {
        prefix.push('/');
    }
    let shallow = repo.is_shallow().unwrap_or(false);
    let Ok(head) = repo.head_id() else {
        return Err("the repository has no commits yet: dates come from the text only".to_string());
    };
    let head_id = head.detach();
    let newest = repo.find_commit(head_id).ok().and_then(|c| c.time().ok()).and_then(|t| date_of(t.seconds));
    let plans =
        if harness_rel == "." { format!("{prefix}exec-plans") } else { format!("{prefix}{harness_rel}/exec-plans") };
    let mut reader = Reader { prefix: prefix.clone(), authors: opts.authors, ..Reader::default() };
    // What an earlier build read, kept under `.git/planbook/`: only newer commits are read.
    // Only where the repository keeps its own files inside the work tree: a `.git` file that
    // points elsewhere (a worktree, a submodule, a hostile tarball) gets no cache written there.
    let cache_here = crate::paths::within(&canonical(repo.git_dir()), &canonical(workdir));
    let cache_path = repo.git_dir().join("planbook").join(CACHE_FILE);
    let key = CacheKey { version: CACHE_VERSION, plans: plans.clone(), authors: opts.authors };
    let since = match read_cache(&cache_path, &key).filter(|_| cache_here) {
        Some(cached) => {
            reader.commits = cached.commits;
            reader.files = cached.files;
            gix::ObjectId::from_hex(cached.head.as_bytes()).ok()
        }
        None => None,
    };
    let fresh = since != Some(head_id);
    if fresh {
        walk(&repo, head_id, &plans, &mut reader, since)
            .map_err(|e| format!("could not read git history ({e}): dates come from the text only"))?;
        if cache_here {
            write_cache(&cache_path, &key, &head_id.to_string(), &reader);
        }
    }
    // `git status` runs in ROOT: the pathspec is relative to it, the paths it prints are not.
    let plans_here = if harness_rel == "." { "exec-plans".to_string() } else { format!("{harness_rel}/exec-plans") };
    let dirty = dirty_files(root, &plans_here, &prefix);
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
        head: Some(head_id.to_string()),
        prefix: prefix.clone(),
        stale_after_days: opts.stale_after_days,
    })
}

/// The commits reachable from `tip` (in `parents`), each after all its parents: an iterative
/// depth-first walk in parent order, so the order depends only on the history.
fn parents_first(tip: gix::ObjectId, parents: &HashMap<gix::ObjectId, Vec<gix::ObjectId>>) -> Vec<gix::ObjectId> {
    let mut out = Vec::new();
    let mut done: std::collections::HashSet<gix::ObjectId> = std::collections::HashSet::new();
    let mut stack: Vec<(gix::ObjectId, usize)> = vec![(tip, 0)];
    let mut entered: std::collections::HashSet<gix::ObjectId> = std::collections::HashSet::from([tip]);
    while let Some((id, next)) = stack.pop() {
        let ps = parents.get(&id).map(Vec::as_slice).unwrap_or_default();
        match ps.get(next) {
            Some(&p) => {
                stack.push((id, next + 1));
                // A parent outside the walk is the edge of a shallow clone.
                if parents.contains_key(&p) && entered.insert(p) {
                    stack.push((p, 0));
                }
            }
            None => {
                if done.insert(id) {
                    out.push(id);
                }
            }
        }
    }
    out
}

/// Removed and added lines of one hunk.
type Hunk = (Vec<String>, Vec<String>);

/// What the walk found, in history order, before it is handed to the reader.
enum Event {
    Commit { id: String, time: i64, author: String },
    Change { from: Option<String>, to: Option<String>, diff: Option<(gix::ObjectId, gix::ObjectId)>, hunks: Vec<Hunk> },
}

/// Every commit from the oldest, each diffed against its first parent inside `plans` (commits
/// that leave the folder as it was are passed over), with renames tracked and line diffs of
/// changed files handed to `reader`.
fn walk(
    repo: &gix::Repository,
    head: gix::ObjectId,
    plans: &str,
    reader: &mut Reader,
    since: Option<gix::ObjectId>,
) -> Result<(), Box<dyn std::error::Error>> {
    use gix::object::tree::diff::Change;
    let mut parents: HashMap<gix::ObjectId, Vec<gix::ObjectId>> = HashMap::new();
    for info in repo.rev_walk([head]).all()? {
        let info = info?;
        parents.insert(info.id, info.parent_ids().map(|p| p.detach()).collect());
    }
    // Parents before children (the walk's own order is breadth-first), deterministic.
    let order = parents_first(head, &parents);
    // Continue with the commits the cache has not seen: all but the cached head's ancestors.
    // When history was rewritten (it is no longer reachable), start again.
    let start = since.filter(|s| parents.contains_key(s));
    if since.is_some() && start.is_none() {
        reader.commits.clear();
        reader.files.clear();
    }
    let seen: std::collections::HashSet<gix::ObjectId> =
        start.map(|s| parents_first(s, &parents).into_iter().collect()).unwrap_or_default();
    let ids: Vec<gix::ObjectId> = order.into_iter().filter(|id| !seen.contains(id)).collect();
    let empty = repo.empty_tree();
    let mut cache = repo.diff_resource_cache_for_tree_diff()?;
    let mut events: Vec<Event> = Vec::new();
    let subtree = |commit: &gix::Commit<'_>| -> Result<Option<gix::ObjectId>, Box<dyn std::error::Error>> {
        Ok(commit.tree()?.lookup_entry_by_path(plans)?.map(|e| e.object_id()))
    };
    // The previous commit and its plan folder: in a linear history, the first parent's.
    let mut prev: Option<(gix::ObjectId, Option<gix::ObjectId>)> = None;
    if let Some(s) = start {
        prev = Some((s, subtree(&repo.find_commit(s)?)?));
    }
    let mut changes: Vec<(Option<String>, Option<String>, gix::ObjectId, gix::ObjectId)> = Vec::new();
    let null = repo.object_hash().null();
    for id in ids {
        let commit = repo.find_commit(id)?;
        let this = subtree(&commit)?;
        let parent = match (commit.parent_ids().next(), prev) {
            (None, _) => None,
            (Some(p), Some((prev_id, prev_sub))) if p == prev_id => prev_sub,
            // A parent that is not there is the edge of a shallow clone: the files are new here.
            (Some(p), _) => match repo.find_commit(p) {
                Ok(parent) => subtree(&parent)?,
                Err(_) => None,
            },
        };
        prev = Some((id, this));
        if this == parent {
            continue;
        }
        let old_tree = match parent {
            Some(t) => repo.find_tree(t)?,
            None => empty.clone(),
        };
        let new_tree = match this {
            Some(t) => repo.find_tree(t)?,
            None => empty.clone(),
        };
        changes.clear();
        old_tree
            .changes()?
            .options(|o| {
                o.track_path().track_rewrites(Some(gix::diff::Rewrites::default()));
            })
            .for_each_to_obtain_tree_with_cache(&new_tree, &mut cache, |change| {
                match change {
                    Change::Addition { location, entry_mode, id, .. } if entry_mode.is_blob() => {
                        changes.push((None, Some(location.to_string()), null, id.detach()));
                    }
                    Change::Deletion { location, entry_mode, id, .. } if entry_mode.is_blob() => {
                        changes.push((Some(location.to_string()), None, id.detach(), null));
                    }
                    Change::Modification { location, entry_mode, previous_id, id, .. } if entry_mode.is_blob() => {
                        changes.push((
                            Some(location.to_string()),
                            Some(location.to_string()),
                            previous_id.detach(),
                            id.detach(),
                        ));
                    }
                    Change::Rewrite { source_location, location, source_id, id, entry_mode, .. }
                        if entry_mode.is_blob() =>
                    {
                        changes.push((
                            Some(source_location.to_string()),
                            Some(location.to_string()),
                            source_id.detach(),
                            id.detach(),
                        ));
                    }
                    _ => {}
                }
                Ok(std::ops::ControlFlow::Continue(()))
            })?;
        cache.clear_resource_cache_keep_allocation();
        // Changes in path order, whatever order the tree diff found them in.
        changes.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        let time = commit.time()?.seconds;
        let author = commit.author()?.name.to_string();
        events.push(Event::Commit { id: id.to_hex_with_len(10).to_string(), time, author });
        for (from, to, old_id, new_id) in changes.drain(..) {
            let under = |p: String| format!("{plans}/{p}");
            let diff = (old_id != new_id && to.is_some()).then_some((old_id, new_id));
            events.push(Event::Change { from: from.map(under), to: to.map(under), diff, hunks: Vec::new() });
        }
    }
    // Line diffs of the changed files, in parallel (each is independent); then every event is
    // handed to the reader in history order. A slice of the history at a time, so that the
    // lines of all its diffs are never held at once.
    const SLICE: usize = 8192;
    let sync = repo.clone().into_sync();
    let mut rest = events;
    while !rest.is_empty() {
        let later = rest.split_off(rest.len().min(SLICE));
        let mut events = std::mem::replace(&mut rest, later);
        feed_slice(&sync, &mut events, reader)?;
    }
    Ok(())
}

/// Diffs the changed files of `events` in parallel, then hands the events to `reader` in order.
fn feed_slice(
    sync: &gix::ThreadSafeRepository,
    events: &mut Vec<Event>,
    reader: &mut Reader,
) -> Result<(), Box<dyn std::error::Error>> {
    use gix::diff::blob::{Algorithm, Diff, InternedInput, sources::byte_lines};
    let diffs: Vec<(usize, gix::ObjectId, gix::ObjectId)> = events
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Event::Change { diff: Some((old, new)), .. } => Some((i, *old, *new)),
            _ => None,
        })
        .collect();
    let hunks: Vec<Result<(usize, Vec<Hunk>), String>> = {
        use rayon::prelude::*;
        diffs
            .par_iter()
            .map_init(
                || {
                    let mut repo = sync.to_thread_local();
                    repo.object_cache_size_if_unset(16 << 20);
                    (repo, Diff::default())
                },
                |(repo, diff), &(i, old_id, new_id)| {
                    let blob = |id: gix::ObjectId| -> Result<Vec<u8>, String> {
                        if id.is_null() {
                            return Ok(Vec::new());
                        }
                        repo.find_blob(id).map(|b| b.detach().data).map_err(|e| e.to_string())
                    };
                    let (old, new) = (blob(old_id)?, blob(new_id)?);
                    let input = InternedInput::new(byte_lines(&old), byte_lines(&new));
                    diff.compute_with(Algorithm::Histogram, &input.before, &input.after, input.interner.num_tokens());
                    diff.postprocess_lines(&input);
                    let text = |t: &_| {
                        let line = String::from_utf8_lossy(input.interner[*t]).to_string();
                        line.trim_end_matches(['\n', '\r']).to_string()
                    };
                    let found = diff
                        .hunks()
                        .map(|h| {
                            let removed =
                                input.before[h.before.start as usize..h.before.end as usize].iter().map(text).collect();
                            let added =
                                input.after[h.after.start as usize..h.after.end as usize].iter().map(text).collect();
                            (removed, added)
                        })
                        .collect();
                    Ok((i, found))
                },
            )
            .collect()
    };
    for h in hunks {
        let (i, found) = h?;
        if let Some(Event::Change { hunks, .. }) = events.get_mut(i) {
            *hunks = found;
        }
    }
    for e in events.drain(..) {
        match e {
            Event::Commit { id, time, author } => reader.commit(&id, time, &author),
            Event::Change { from, to, hunks, .. } => {
                reader.change(from.as_deref(), to.as_deref());
                for (removed, added) in hunks {
                    reader.hunk(removed, added);
                }
            }
        }
    }
    Ok(())
}

/// The cache's file under `.git/planbook/`, and its format's version (bump on any change to
/// what is kept or how lines are keyed).
const CACHE_FILE: &str = "history-v1.json";
const CACHE_VERSION: u32 = 3;

/// What a cache must have been read with to be used.
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Eq)]
struct CacheKey {
    version: u32,
    plans: String,
    authors: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Cached {
    key: CacheKey,
    /// The commit it was read up to.
    head: String,
    commits: Vec<Commit>,
    files: HashMap<String, FileHistory>,
}

/// The largest cache read: far above what 10,000 plans need, small enough that a stray file
/// cannot exhaust memory.
const MAX_CACHE_SIZE: u64 = 1 << 30;

fn read_cache(path: &Path, key: &CacheKey) -> Option<Cached> {
    // Only the regular file planbook writes: not a link, not a device, not a giant.
    let meta = std::fs::symlink_metadata(path).ok()?;
    let dir_ok = path.parent().and_then(|d| std::fs::symlink_metadata(d).ok()).is_some_and(|m| m.is_dir());
    if !meta.is_file() || !dir_ok || meta.len() > MAX_CACHE_SIZE {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let cached: Cached = serde_json::from_reader(std::io::BufReader::with_capacity(1 << 20, file)).ok()?;
    (cached.key == *key).then_some(cached)
}

/// Writes the cache beside the repository's own files (a temporary file renamed into place,
/// so a killed build leaves the previous cache or none); failing to write is not an error.
fn write_cache(path: &Path, key: &CacheKey, head: &str, reader: &Reader) {
    #[derive(serde::Serialize)]
    struct CachedRef<'a> {
        key: &'a CacheKey,
        head: &'a str,
        commits: &'a [Commit],
        files: &'a HashMap<String, FileHistory>,
    }
    let Some(dir) = path.parent() else { return };
    // `.git/planbook` itself, never a link that leads elsewhere.
    if std::fs::create_dir_all(dir).is_err() || !std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        return;
    }
    let tmp = dir.join(format!(".{CACHE_FILE}.tmp-{}", std::process::id()));
    // A new file (O_EXCL): a link planted under that name is not followed.
    let Ok(file) = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) else { return };
    let data = CachedRef { key, head, commits: &reader.commits, files: &reader.files };
    let written = {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        serde_json::to_writer(&mut w, &data).is_ok() && std::io::Write::flush(&mut w).is_ok()
    };
    if !(written && std::fs::rename(&tmp, path).is_ok()) {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Plan files with uncommitted changes (`git status`), relative to the root.
fn dirty_files(root: &Path, plans: &str, prefix: &str) -> BTreeSet<String> {
    let Ok(out) =
        git(root).args(["status", "--porcelain", "-z", "--no-renames", "--", plans]).stderr(Stdio::null()).output()
    else {
        return BTreeSet::new();
    };
    porcelain_paths(&out.stdout, prefix).into_iter().collect()
}

/// The paths `git status --porcelain -z` printed (`XY path\0`, unquoted, relative to the work
/// tree's top), relative to the root.
fn porcelain_paths(out: &[u8], prefix: &str) -> Vec<String> {
    String::from_utf8_lossy(out)
        .split('\0')
        .filter_map(|l| l.get(3..))
        .filter_map(|p| p.strip_prefix(prefix).map(str::to_string))
        .collect()
}

fn date_of(seconds: i64) -> Option<Date> {
    // Days since 1970-01-01 in UTC: a commit's calendar date does not depend on this machine.
    let days = seconds.div_euclid(86_400);
    jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().try_days(days).ok()?).ok()
}

/// What the history has seen so far, fed commit by commit, change by change, hunk by hunk.
#[derive(Default)]
struct Reader {
    prefix: String,
    authors: bool,
    commits: Vec<Commit>,
    files: HashMap<String, FileHistory>,
    /// The file the current change is about (its path now, relative to the root).
    current: Option<String>,
}

impl Reader {
    /// A new commit (`seconds` since the epoch, UTC).
    fn commit(&mut self, id: &str, seconds: i64, author: &str) {
        self.current = None;
        // A date out of range (after year 9999) is no date: the commit is kept, so its changes
        // are not credited to the commit before, but it dates nothing.
        let date = date_of(seconds);
        let author = if self.authors { shown_author(author) } else { String::new() };
        self.commits.push(Commit { id: id.to_string(), date, author });
    }

    /// A file changed: added (`from` is none), deleted (`to` is none), modified or renamed.
    /// Paths are relative to the top of the work tree.
    fn change(&mut self, from: Option<&str>, to: Option<&str>) {
        self.current = None;
        let Some(commit) = self.commits.len().checked_sub(1).map(|c| c as u32) else { return };
        let from = from.and_then(|f| self.relative(f));
        let to = to.and_then(|t| self.relative(t));
        match (from, to) {
            (Some(from), None) => {
                self.files.remove(&from);
            }
            (None, Some(to)) => {
                // Added (again, after a deletion: a new file). A plan written straight into
                // `completed/` was finished when it was added.
                let mut fh = FileHistory { created: commit, last: commit, ..FileHistory::default() };
                if is_finished_folder(&to) {
                    fh.moved_to_finished = Some(commit);
                }
                self.files.insert(to.clone(), fh);
                self.current = Some(to);
            }
            (Some(from), Some(to)) => {
                let mut fh =
                    self.files.remove(&from).unwrap_or(FileHistory { created: commit, ..FileHistory::default() });
                if from != to && is_finished_folder(&to) && !is_finished_folder(&from) && fh.moved_to_finished.is_none()
                {
                    fh.moved_to_finished = Some(commit);
                }
                fh.last = commit;
                self.files.insert(to.clone(), fh);
                self.current = Some(to);
            }
            (None, None) => {}
        }
    }

    /// A path of the work tree relative to the root.
    fn relative(&self, path: &str) -> Option<String> {
        path.strip_prefix(self.prefix.as_str()).map(str::to_string)
    }

    /// Records the added lines of one hunk of the current file. An added line that replaces a
    /// removed one at the same place and reads nearly the same (a typo fix, a changed marker)
    /// keeps the removed line's first commit.
    fn hunk(&mut self, removed: Vec<String>, added: Vec<String>) {
        let Some(commit) = self.commits.len().checked_sub(1).map(|c| c as u32) else { return };
        let Some(fh) = self.current.as_ref().and_then(|c| self.files.get_mut(c)) else { return };
        for (i, text) in added.iter().enumerate() {
            if fh.finished_status.is_none() && is_finished_status(text) {
                fh.finished_status = Some(commit);
            }
            // Only lines that can be a decision or a step are kept: list items, headings and
            // table rows (paragraphs would only fill the cache).
            if !may_be_entry(text) {
                continue;
            }
            let (key, marker) = normalise(text);
            if key.is_empty() {
                continue;
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

/// An author's name as shown: nothing when it is an e-mail address (some people set one as
/// their name), so that no address reaches a page.
fn shown_author(name: &str) -> String {
    let name = name.trim();
    if name.contains('@') { String::new() } else { name.to_string() }
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

/// Whether a line can be a decision-log entry or a step: a list item, a heading or a table row.
fn may_be_entry(line: &str) -> bool {
    let t = line.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    t.starts_with(['-', '*', '+', '#', '|']) || (digits > 0 && matches!(t.as_bytes().get(digits), Some(b'.' | b')')))
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
    /// Only the changed plan files (`paths`, relative to the root) are asked about, so an edit
    /// costs one small `git status`, whatever the number of plans.
    pub fn refresh_dirty(&mut self, root: &Path, paths: &[String]) {
        let plans: Vec<&String> = paths.iter().filter(|p| p.contains("exec-plans/")).collect();
        if plans.is_empty() {
            return;
        }
        for p in &plans {
            self.dirty.remove(p.as_str());
        }
        let Ok(out) = git(root)
            .args(["status", "--porcelain", "-z", "--no-renames", "--"])
            .args(plans.iter().map(|p| format!(":(literal){p}")))
            .stderr(Stdio::null())
            .output()
        else {
            return;
        };
        self.dirty.extend(porcelain_paths(&out.stdout, &self.prefix));
    }

    /// The stamp of commit `i`.
    pub fn stamp(&self, i: u32) -> Option<GitStamp> {
        let c = self.commits.get(i as usize)?;
        Some(GitStamp { date: c.date?, commit: c.id.clone(), author: c.author.clone() })
    }
}

/// Fills the model's git dates from `history`; `text_of` gives a plan file's text (lines are
/// looked up by what the file says now). Dates written in the text stay; git only fills in.
///
/// With `only`, just the plans at those paths are done (watch mode after an edit: the others keep
/// what they had).
pub fn apply(
    history: &History,
    harness: &mut Harness,
    text_of: &(dyn Fn(&str) -> Option<std::sync::Arc<str>> + Sync),
    only: Option<&[String]>,
) {
    use rayon::prelude::*;
    harness.newest_commit = history.newest;
    harness.plans.par_iter_mut().filter(|p| only.is_none_or(|o| o.contains(&p.path))).for_each(|plan| {
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
            // `stale_after_days: 0` turns staleness off.
            stale_days: idle.filter(|d| {
                history.stale_after_days > 0 && active && !dirty && *d >= i64::from(history.stale_after_days)
            }),
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
                // What the step is now decides what is shown: a reopened step is not done.
                let now = s.marker;
                s.git.added = history.stamp(h.first);
                s.git.started = h.markers[1].filter(|_| now != StepMarker::Todo).and_then(|c| history.stamp(c));
                s.git.done = h.markers[2].filter(|_| now == StepMarker::Done).and_then(|c| history.stamp(c));
                s.git.blocked = h.markers[3].filter(|_| now == StepMarker::Blocked).and_then(|c| history.stamp(c));
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
    fn reads_a_history_with_renames_markers_and_typo_fixes() {
        let lines = |ls: &[&str]| ls.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        let mut r = Reader { authors: true, ..Reader::default() };
        let (active, done) = ("d/exec-plans/active/001-x.md", "d/exec-plans/completed/001-x.md");
        r.commit("aaaaaaaaaa", 1_767_225_600, "Ann");
        r.change(None, Some(active));
        r.hunk(vec![], lines(&["# EP-001: X", "- [ ] Step 1: build the cache", "- Chose LRU over LFU for the cahce"]));
        r.commit("bbbbbbbbbb", 1_767_312_000, "Bob");
        r.change(Some(active), Some(active));
        r.hunk(
            lines(&["- [ ] Step 1: build the cache", "- Chose LRU over LFU for the cahce"]),
            lines(&["- [x] Step 1: build the cache", "- Chose LRU over LFU for the cache"]),
        );
        r.commit("cccccccccc", 1_767_398_400, "Ann");
        r.change(Some(active), Some(done));
        assert_eq!(r.commits.len(), 3);
        assert!(!r.files.contains_key("d/exec-plans/active/001-x.md"));
        let fh = &r.files["d/exec-plans/completed/001-x.md"];
        assert_eq!((fh.created, fh.last, fh.moved_to_finished), (0, 2, Some(2)));
        let step = fh.lines["step 1 build the cache"];
        assert_eq!((step.first, step.markers[0], step.markers[2]), (0, Some(0), Some(1)));
        // The typo fix keeps the decision's first commit.
        assert_eq!(fh.lines["chose lru over lfu for the cache"].first, 0);
        assert_eq!(r.commits[1].date.map(|d| d.to_string()).unwrap_or_default(), "2026-01-02");
        assert_eq!(r.commits[1].author, "Bob");
    }
}
