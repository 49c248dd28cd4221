//! Discover: find the harness folder, walk it, classify and read every Markdown file.
//!
//! In: the root and its `Config`. Out: `Source`s (path relative to the root, what the file is, its
//! text with BOM stripped and line endings normalised) plus diagnostics for files that cannot be
//! read. This is the only stage besides `write` that touches the filesystem; it reads files in the
//! walker's threads so I/O runs in parallel. It never parses Markdown.

mod skips;

pub use skips::Skips;

use crate::config::Config;
use crate::diag::{Code, Diagnostic};
use crate::model::Span;
use anyhow::bail;
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where the harness is.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The repository root.
    pub root: PathBuf,
    /// The harness folder relative to the root, `/`-separated (`.` for the root itself).
    pub harness_rel: String,
    /// Folders (relative to the root) never read: the site's output folder.
    pub skip: Vec<String>,
}

impl Layout {
    /// The harness folder's path.
    pub fn harness(&self) -> PathBuf {
        if self.harness_rel == "." { self.root.clone() } else { self.root.join(&self.harness_rel) }
    }
}

/// Where the harness is looked for, nearest first, when planbook.yaml does not say.
pub const HARNESS_CANDIDATES: &[&str] = &["docs/harness", "docs", "."];

/// Finds the harness folder: `harness:` from the config, else the first candidate that holds an
/// `exec-plans/` folder.
pub fn locate(root: &Path, config: &Config) -> anyhow::Result<Layout> {
    if !root.is_dir() {
        bail!("`{}` is not a folder", root.display());
    }
    if let Some(harness) = &config.harness {
        let rel = harness.trim_end_matches('/');
        let rel = if rel.is_empty() { "." } else { rel };
        let dir = root.join(rel);
        if !dir.is_dir() {
            bail!("the harness folder `{}` set in planbook.yaml does not exist", dir.display());
        }
        return Ok(Layout { root: root.to_path_buf(), harness_rel: rel.to_string(), skip: Vec::new() });
    }
    for candidate in HARNESS_CANDIDATES {
        if root.join(candidate).join("exec-plans").is_dir() {
            return Ok(Layout { root: root.to_path_buf(), harness_rel: candidate.to_string(), skip: Vec::new() });
        }
    }
    let looked: Vec<String> =
        HARNESS_CANDIDATES.iter().map(|c| format!("`{}`", Path::new(c).join("exec-plans").display())).collect();
    bail!(
        "no harness found in `{}`: looked for {} (set `harness:` in planbook.yaml to point at it)",
        root.display(),
        looked.join(", ")
    )
}

/// What a discovered file is to the harness.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceKind {
    /// An exec plan, in the given state folder under `exec-plans/` (`active`, `active/drafts`).
    Plan {
        /// The state folder path.
        folder: String,
    },
    /// TECH_DEBT_TRACKER.md / tech-debt-tracker.md.
    DebtTracker,
    /// QUALITY_SCORE.md.
    QualityScore,
    /// Any other Markdown under the harness.
    HarnessDoc,
    /// AGENTS.md or PLANS.md at the root.
    RootDoc,
    /// Markdown elsewhere in the repository: read for references only.
    RepoMarkdown,
    /// Any other text file in the repository (source code): read for references only.
    RepoText,
    /// A plan's companion file (`NNN-x.progress.md` beside `NNN-x.md`, or a `companions:`
    /// glob's match).
    Companion {
        /// The owning plan's path.
        plan: String,
    },
    /// A planning-workflow draft (`drafts:`).
    Draft,
}

/// A file read from the repository.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// What it is.
    pub kind: SourceKind,
    /// Its text: BOM removed, `\r\n` and `\r` turned into `\n`.
    pub text: Arc<str>,
}

/// Files larger than this are not read for references (generated or vendored data).
pub const MAX_SCANNED_FILE: u64 = 1 << 20;

/// Walks the whole repository once, in parallel, honouring .gitignore and `exclude`: every
/// Markdown file of the harness, QUALITY_SCORE.md beside it and AGENTS.md / PLANS.md at the root
/// are read as sources; every other text file is read in the walker's thread and kept only if it
/// mentions `EP-`/`TD-` or a path under `exec-plans/` (or, for Markdown, links to a `.md` file).
/// Binary files (a NUL byte in the first 8 KiB), files over 1 MiB and non-UTF-8 files outside
/// the harness are skipped silently. Harness files over `max_file_size` are reported (E032) and not read; folders of the
/// harness that cannot be read are reported (E018). Folders holding a site planbook built
/// (`.planbook-site`) are never read, wherever they are. Sources come back sorted by path.
pub fn discover(layout: &Layout, config: &Config) -> anyhow::Result<(Vec<Source>, Vec<Diagnostic>)> {
    let skips = std::sync::Arc::new(Skips::new(layout, config)?);
    let found: Mutex<Vec<(String, SourceKind)>> = Mutex::new(Vec::new());
    let scanned: Mutex<Vec<Source>> = Mutex::new(Vec::new());
    let unreadable: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    // Files that are not Markdown but may be a plan's companion: beside plans, or named by a
    // `companions:` glob. Settled after the walk, once every plan's stem is known.
    let aside: Mutex<Vec<(String, u64)>> = Mutex::new(Vec::new());
    let companion_globs = glob_set("companions", &config.companions)?;
    let harness_dir = layout.harness();
    let root = layout.root.clone();
    let mut builder = WalkBuilder::new(&root);
    builder.require_git(false).follow_links(false);
    {
        let root = root.clone();
        let skips = skips.clone();
        builder.filter_entry(move |entry| {
            relative(&root, entry.path()).is_none_or(|rel| {
                !skips.leaves_out_entry(&rel, entry.path(), entry.file_type().is_some_and(|t| t.is_dir()))
            })
        });
    }
    builder.build_parallel().run(|| {
        let found = &found;
        let scanned = &scanned;
        let unreadable = &unreadable;
        let aside = &aside;
        let companion_globs = &companion_globs;
        let root = &root;
        let harness_dir = &harness_dir;
        Box::new(move |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    // A folder of the harness that cannot be read hides plans: say so.
                    if let Some(d) = walk_error(root, harness_dir, &e) {
                        unreadable.lock().expect("walker threads do not panic").push(d);
                    }
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let Some(rel_root) = relative(root, entry.path()) else { return WalkState::Continue };
            let harness_kind = relative(harness_dir, entry.path()).and_then(|rel| classify(&rel));
            let root_doc = matches!(rel_root.as_str(), "AGENTS.md" | "PLANS.md");
            match harness_kind {
                Some(kind) if !root_doc => found.lock().expect("walker threads do not panic").push((rel_root, kind)),
                _ if root_doc || is_quality_candidate(&rel_root) => {
                    // Settled after the walk, once we know whether the harness has its own.
                    found.lock().expect("walker threads do not panic").push((rel_root, SourceKind::RepoMarkdown));
                }
                None if is_beside_plans(harness_dir, entry.path()) || companion_globs.is_match(&rel_root) => {
                    let size = entry.metadata().map_or(0, |m| m.len());
                    aside.lock().expect("walker threads do not panic").push((rel_root, size));
                }
                _ => {
                    let size = entry.metadata().map_or(0, |m| m.len());
                    if let Some(source) = scan(entry.path(), rel_root, size) {
                        scanned.lock().expect("walker threads do not panic").push(source);
                    }
                }
            }
            WalkState::Continue
        })
    });
    let mut found = found.into_inner().expect("walker threads do not panic");
    found.sort();
    settle_singletons(&mut found);
    settle_outside_files(layout, &mut found);
    let mut aside = aside.into_inner().expect("walker threads do not panic");
    aside.sort();
    let not_companions = settle_companions(&mut found, &aside, &companion_globs);
    find_drafts(layout, config, &mut found)?;
    found.sort();
    let drafts: std::collections::HashSet<String> =
        found.iter().filter(|(_, k)| *k == SourceKind::Draft).map(|(p, _)| p.clone()).collect();

    let results: Vec<Result<Source, Box<Diagnostic>>> = {
        use rayon::prelude::*;
        found.into_par_iter().map(|(path, kind)| read_source(&layout.root, path, kind, config.max_file_size)).collect()
    };
    let mut sources = scanned.into_inner().expect("walker threads do not panic");
    // Files beside plans that belong to none are read for references like any other file.
    sources.extend(not_companions.into_iter().filter_map(|(rel, size)| scan(&layout.root.join(&rel), rel, size)));
    // A draft outside hidden folders was also met by the walk: it is read once, as a draft.
    sources.retain(|s| !drafts.contains(s.path.as_str()));
    let mut diagnostics = unreadable.into_inner().expect("walker threads do not panic");
    for r in results {
        match r {
            Ok(s) => sources.push(s),
            // Outside the harness a file planbook cannot read is not its business.
            Err(d) if d.path.ends_with(".md") => diagnostics.push(*d),
            Err(_) => {}
        }
    }
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((sources, diagnostics))
}

/// Whether `dir` holds a site planbook built: a `.planbook-site` whose first line says so.
/// A set of globs from planbook.yaml (`key:`); a folder (`notes/`) matches everything in it.
pub(crate) fn glob_set(key: &str, globs: &[String]) -> anyhow::Result<globset::GlobSet> {
    use anyhow::Context;
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        let g = g.trim().trim_end_matches('/');
        b.add(globset::Glob::new(g).with_context(|| format!("invalid `{key}` glob `{g}` in planbook.yaml"))?);
        if !g.ends_with("**") {
            b.add(globset::Glob::new(&format!("{g}/**")).with_context(|| format!("invalid `{key}` glob `{g}`"))?);
        }
    }
    Ok(b.build()?)
}

/// Whether `path` sits in a state folder under the harness's `exec-plans/`.
fn is_beside_plans(harness_dir: &Path, path: &Path) -> bool {
    relative(harness_dir, path).is_some_and(|rel| {
        let parts: Vec<&str> = rel.split('/').collect();
        parts.len() >= 3 && parts[0] == "exec-plans"
    })
}

/// Takes plans' companion files out of the plan list: a file in a plan's folder whose name is
/// the plan's stem, a dot and more (`012-x.progress.md`, `012-x.acceptance.json` beside
/// `012-x.md`), and any file a `companions:` glob names whose name starts with a plan's stem (or
/// number). Returns the files `aside` that belong to no plan.
fn settle_companions(
    found: &mut Vec<(String, SourceKind)>,
    aside: &[(String, u64)],
    globs: &globset::GlobSet,
) -> Vec<(String, u64)> {
    use std::collections::HashMap;
    let split = |path: &str| -> (String, String) {
        match path.rsplit_once('/') {
            Some((dir, name)) => (dir.to_string(), name.to_string()),
            None => (String::new(), path.to_string()),
        }
    };
    // Plans by folder and stem, and by number.
    let mut by_dir: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut by_number: HashMap<u32, String> = HashMap::new();
    for (path, kind) in found.iter() {
        if let SourceKind::Plan { .. } = kind {
            let (dir, name) = split(path);
            let stem = name.get(..name.len().saturating_sub(3)).unwrap_or_default().to_string();
            if let Some(n) = leading_number(&stem) {
                by_number.entry(n).or_insert_with(|| path.clone());
            }
            by_dir.entry(dir).or_default().insert(stem, path.clone());
        }
    }
    // The plan in the same folder whose stem the name extends by a dot and more (the longest
    // such stem: `012-x.v2.notes.md` belongs to `012-x.v2` when both exist). Looked up at each
    // dot of the name: linear in it, whatever the number of plans.
    let beside = |path: &str| -> Option<String> {
        let (dir, name) = split(path);
        let stems = by_dir.get(&dir)?;
        name.char_indices()
            .rev()
            .filter(|(_, c)| *c == '.')
            // `i` is the index of `.` in `name`: a boundary.
            .filter(|(i, _)| !name.get(*i..).unwrap_or_default().eq_ignore_ascii_case(".md"))
            .find_map(|(i, _)| stems.get(name.get(..i)?).filter(|p| p.as_str() != path))
            .cloned()
    };
    // For a glob's match anywhere: a plan whose stem starts the name (the longest such stem),
    // else its number. Stems are looked up at each `.`, `-` or `_` of the name: linear in it.
    let mut by_stem: HashMap<&str, &str> = HashMap::new();
    for (stem, path) in by_dir.values().flat_map(|m| m.iter()) {
        by_stem.entry(stem.as_str()).and_modify(|p| *p = (*p).min(path.as_str())).or_insert(path.as_str());
    }
    let named = |path: &str| -> Option<String> {
        beside(path).or_else(|| {
            let (_, name) = split(path);
            name.char_indices()
                .rev()
                .filter(|(_, c)| matches!(c, '.' | '-' | '_'))
                // `i` is the index of an ASCII character of `name`: a boundary.
                .find_map(|(i, _)| by_stem.get(name.get(..i)?).filter(|p| **p != path))
                .map(|p| p.to_string())
                .or_else(|| {
                    leading_number(&name).and_then(|n| by_number.get(&n)).filter(|p| p.as_str() != path).cloned()
                })
        })
    };
    for (path, kind) in found.iter_mut() {
        // A plan file is a companion only by sharing a plan's stem and a dot; a glob never
        // takes a plan (or AGENTS.md, the tracker, the quality score) away.
        let owner = match kind {
            SourceKind::Plan { .. } => beside(path),
            SourceKind::HarnessDoc | SourceKind::RepoMarkdown if globs.is_match(path.as_str()) => named(path),
            _ => None,
        };
        if let Some(plan) = owner {
            *kind = SourceKind::Companion { plan };
        }
    }
    let mut rest = Vec::new();
    for (path, size) in aside {
        let owner = beside(path).or_else(|| if globs.is_match(path.as_str()) { named(path) } else { None });
        match owner {
            Some(plan) if *size <= MAX_SCANNED_FILE => found.push((path.clone(), SourceKind::Companion { plan })),
            _ => rest.push((path.clone(), *size)),
        }
    }
    rest
}

/// The number a file name starts with (`012-x.md`, `12_x`, `0012.notes.md`): 1 to 6 digits
/// followed by `-`, `_`, `.` or nothing.
fn leading_number(name: &str) -> Option<u32> {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    // `2026-03-12-x`: a date, not a number.
    let b = name.as_bytes();
    if digits == 4 && b.get(4) == Some(&b'-') && b.get(5..7).is_some_and(|d| d.iter().all(u8::is_ascii_digit)) {
        return None;
    }
    let follows = name.as_bytes().get(digits);
    if (1..=6).contains(&digits) && matches!(follows, None | Some(b'-' | b'_' | b'.')) {
        name.get(..digits)?.parse().ok()
    } else {
        None
    }
}

/// Adds the drafts `drafts:` names: Markdown files under each folder (or matching each glob),
/// hidden folders included (`.vtcode/plans/`), ignore files not consulted (drafts are often
/// kept out of git on purpose), `exclude` and symlinks still left out. A draft named inside the
/// harness is a draft, not a plan.
fn find_drafts(layout: &Layout, config: &Config, found: &mut Vec<(String, SourceKind)>) -> anyhow::Result<()> {
    if config.drafts.is_empty() {
        return Ok(());
    }
    let set = glob_set("drafts", &config.drafts)?;
    let excludes = glob_set("exclude", &config.exclude)?;
    let mut drafts = Vec::new();
    for entry in &config.drafts {
        // Walk from the part of the entry before its first glob character.
        let base: Vec<&str> = entry.trim().split('/').take_while(|part| !part.contains(['*', '?', '[', '{'])).collect();
        let base = layout.root.join(base.join("/"));
        // The folder itself must be inside the repository once symlinks are resolved (a
        // `.vtcode -> /elsewhere` link is not followed); entries below are never followed.
        let inside = match (crate::paths::canonical(&base), crate::paths::canonical(&layout.root)) {
            (Ok(b), Ok(r)) => crate::paths::within(&b, &r),
            _ => false,
        };
        if !inside || !base.is_dir() {
            continue;
        }
        let walk = WalkBuilder::new(&base).standard_filters(false).follow_links(false).build();
        for e in walk.flatten() {
            if !e.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let Some(rel) = relative(&layout.root, e.path()) else { continue };
            let skipped = layout.skip.iter().any(|s| rel == *s || rel.starts_with(&format!("{s}/")));
            if rel.to_ascii_lowercase().ends_with(".md")
                && set.is_match(&rel)
                && !excludes.is_match(&rel)
                && !skipped
                && !rel.split('/').any(|p| p == ".git")
            {
                drafts.push(rel);
            }
        }
    }
    drafts.sort();
    drafts.dedup();
    found.retain(|(p, _)| drafts.binary_search(p).is_err());
    found.extend(drafts.into_iter().map(|p| (p, SourceKind::Draft)));
    Ok(())
}

fn is_site(dir: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(dir.join(crate::paths::SITE_MARKER)) else { return false };
    let mut head = [0u8; 14];
    file.take(14).read_exact(&mut head).is_ok() && &head == b"planbook-site "
}

/// `path` relative to `base`, `/`-separated; `None` when it is not under `base`.
pub(crate) fn relative(base: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(base).ok()?;
    let parts: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    Some(parts.join("/"))
}

fn is_named(name: &str, candidates: &[&str]) -> bool {
    candidates.iter().any(|c| name.eq_ignore_ascii_case(c))
}

const TRACKER_NAMES: &[&str] = &["TECH_DEBT_TRACKER.md", "tech-debt-tracker.md"];
const QUALITY_NAMES: &[&str] = &["QUALITY_SCORE.md"];

/// What a Markdown file is, from its path relative to the harness folder; `None` for non-Markdown.
pub fn classify(rel: &str) -> Option<SourceKind> {
    if !rel.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let parts: Vec<&str> = rel.split('/').collect();
    let name = *parts.last()?;
    match parts.as_slice() {
        [_] if is_named(name, TRACKER_NAMES) => Some(SourceKind::DebtTracker),
        [_] if is_named(name, QUALITY_NAMES) => Some(SourceKind::QualityScore),
        ["exec-plans", _] if is_named(name, TRACKER_NAMES) => Some(SourceKind::DebtTracker),
        ["exec-plans", folders @ .., _] if !folders.is_empty() => {
            let is_index = is_named(name, &["README.md", "index.md"]);
            let is_template = folders.iter().any(|f| is_named(f, &["templates", "template"]));
            if is_index || is_template {
                Some(SourceKind::HarnessDoc)
            } else {
                Some(SourceKind::Plan { folder: folders.join("/") })
            }
        }
        _ => Some(SourceKind::HarnessDoc),
    }
}

/// Keeps one debt tracker and one quality score (the first by path); others become docs.
fn settle_singletons(found: &mut [(String, SourceKind)]) {
    let mut seen_tracker = false;
    let mut seen_quality = false;
    for (_, kind) in found.iter_mut() {
        let seen = match kind {
            SourceKind::DebtTracker => &mut seen_tracker,
            SourceKind::QualityScore => &mut seen_quality,
            _ => continue,
        };
        if *seen {
            *kind = SourceKind::HarnessDoc;
        }
        *seen = true;
    }
}

/// Whether `rel` could be QUALITY_SCORE.md beside the harness (in its parent folder).
fn is_quality_candidate(rel: &str) -> bool {
    rel.rsplit('/').next().is_some_and(|name| is_named(name, QUALITY_NAMES))
}

/// Decides what the files found outside the harness are: AGENTS.md / PLANS.md at the root are
/// root docs; QUALITY_SCORE.md in the harness's parent is the quality score when the harness has
/// none; anything else stays a repository Markdown file (read for references).
fn settle_outside_files(layout: &Layout, found: &mut [(String, SourceKind)]) {
    let has_quality = found.iter().any(|(_, k)| *k == SourceKind::QualityScore);
    let parent = match Path::new(&layout.harness_rel).parent() {
        Some(p) if layout.harness_rel != "." => relative(Path::new(""), p).unwrap_or_default(),
        _ => String::from("\0none"),
    };
    let quality_path =
        if parent.is_empty() { "QUALITY_SCORE.md".to_string() } else { format!("{parent}/QUALITY_SCORE.md") };
    for (path, kind) in found.iter_mut() {
        if *kind != SourceKind::RepoMarkdown {
            continue;
        }
        if path == "AGENTS.md" || path == "PLANS.md" {
            *kind = SourceKind::RootDoc;
        } else if !has_quality && path.eq_ignore_ascii_case(&quality_path) {
            *kind = SourceKind::QualityScore;
        }
    }
}

/// Reads a repository file for references, if it is small, text, and mentions something.
pub(crate) fn scan(path: &Path, rel: String, size: u64) -> Option<Source> {
    if size > MAX_SCANNED_FILE {
        return None;
    }
    let mut bytes = Vec::with_capacity(size.min(MAX_SCANNED_FILE) as usize);
    // Read at most one byte past the limit: a file that grew since its size was taken is
    // still caught.
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).ok()?, MAX_SCANNED_FILE + 1),
        &mut bytes,
    )
    .ok()?;
    if bytes.len() as u64 > MAX_SCANNED_FILE || bytes[..bytes.len().min(8192)].contains(&0) {
        return None;
    }
    let markdown = rel.to_ascii_lowercase().ends_with(".md");
    let text = decode(bytes).ok()?;
    let relevant = text.contains("EP-")
        || text.contains("TD-")
        || text.contains("exec-plans/")
        || (markdown && text.contains(".md"));
    relevant.then(|| Source {
        path: rel,
        kind: if markdown { SourceKind::RepoMarkdown } else { SourceKind::RepoText },
        text: text.into(),
    })
}

/// The diagnostic for a walk error inside the harness (an unreadable folder); errors elsewhere
/// in the repository are not planbook's business.
fn walk_error(root: &Path, harness_dir: &Path, e: &ignore::Error) -> Option<Diagnostic> {
    fn path_of(e: &ignore::Error) -> Option<&Path> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => path_of(err),
            ignore::Error::Loop { child, .. } => Some(child),
            _ => None,
        }
    }
    let path = path_of(e)?;
    relative(harness_dir, path)?;
    let rel = relative(root, path)?;
    let what = if path.is_dir() { "folder" } else { "file" };
    Some(
        Diagnostic::new(Code::UnreadableFile, rel, None, format!("cannot read this {what}: {e}"))
            .help("plans in it are missing from the site; check its permissions"),
    )
}

/// Reads a harness file (`path` relative to `root`) as `kind`; a diagnostic when it cannot be
/// read, is larger than `limit` bytes or is not UTF-8. The caller vouches that the path is a
/// regular file inside the repository (the walk never follows symlinks; watch mode checks with
/// `paths::Fence`).
pub(crate) fn read_source(root: &Path, path: String, kind: SourceKind, limit: u64) -> Result<Source, Box<Diagnostic>> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        Box::new(Diagnostic::new(Code::UnreadableFile, path.clone(), None, format!("cannot read file: {e}")))
    };
    let file = std::fs::File::open(root.join(&path)).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    let mut bytes = Vec::with_capacity(size.min(limit) as usize);
    // Read one byte past the limit: a file that grew since `metadata` is caught too.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > limit {
        return Err(Box::new(
            Diagnostic::new(
                Code::FileTooLarge,
                path.clone(),
                None,
                format!("file is {} bytes, over the limit of {limit}: not read", size.max(bytes.len() as u64)),
            )
            .help("raise `max_file_size` in planbook.yaml if this file belongs in the harness"),
        ));
    }
    match decode(bytes) {
        Ok(text) => Ok(Source { path, kind, text: text.into() }),
        Err(bad) => Err(Box::new(
            Diagnostic::new(
                Code::UnreadableFile,
                path,
                Some(Span { line: bad.line, col: bad.col, len: 0 }),
                format!("file is not valid UTF-8: invalid byte at offset {}", bad.offset),
            )
            .help("save the file as UTF-8; the rest of the harness was still read"),
        )),
    }
}

/// Where a file stops being UTF-8.
#[derive(Debug, PartialEq, Eq)]
pub struct BadUtf8 {
    /// Byte offset in the file (after any BOM).
    pub offset: usize,
    /// 1-based line of that byte.
    pub line: u32,
    /// 1-based byte column.
    pub col: u32,
}

/// UTF-8 text with a BOM removed and line endings normalised to `\n`.
pub fn decode(mut bytes: Vec<u8>) -> Result<String, BadUtf8> {
    let bom = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) { 3 } else { 0 };
    if bom > 0 {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let col = (valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1)) as u32 + 1;
        BadUtf8 { offset: valid.len() + bom, line, col }
    })?;
    if text.contains('\r') { Ok(text.replace("\r\n", "\n").replace('\r', "\n")) } else { Ok(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_harness_paths() {
        let plan = |f: &str| Some(SourceKind::Plan { folder: f.into() });
        assert_eq!(classify("exec-plans/active/001-x.md"), plan("active"));
        assert_eq!(classify("exec-plans/active/drafts/2026-02-15-x.md"), plan("active/drafts"));
        assert_eq!(classify("exec-plans/in-progress/x.md"), plan("in-progress"));
        assert_eq!(classify("exec-plans/active/README.md"), Some(SourceKind::HarnessDoc));
        assert_eq!(classify("exec-plans/templates/plan.md"), Some(SourceKind::HarnessDoc));
        assert_eq!(classify("exec-plans/tech-debt-tracker.md"), Some(SourceKind::DebtTracker));
        assert_eq!(classify("TECH_DEBT_TRACKER.md"), Some(SourceKind::DebtTracker));
        assert_eq!(classify("QUALITY_SCORE.md"), Some(SourceKind::QualityScore));
        assert_eq!(classify("exec-plans/index.md"), Some(SourceKind::HarnessDoc));
        assert_eq!(classify("notes/arch.md"), Some(SourceKind::HarnessDoc));
        assert_eq!(classify("exec-plans/active/diagram.png"), None);
    }

    #[test]
    fn decodes_bom_crlf_and_reports_bad_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBF# T\r\nx\r\n".to_vec()).unwrap(), "# T\nx\n");
        assert_eq!(decode(Vec::new()).unwrap(), "");
        let bad = decode(b"# T\nab\xFFc\n".to_vec()).unwrap_err();
        assert_eq!(bad, BadUtf8 { offset: 6, line: 2, col: 3 });
    }
}
