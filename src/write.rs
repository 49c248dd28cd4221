//! Write: the only code that touches the output folder.
//!
//! The whole site is written into a temporary folder beside the output folder and moved into
//! place only when everything was written, so a failed or interrupted build never leaves a
//! half-written site, and a rebuild leaves no stale files (the old folder is replaced whole).
//!
//! **Ownership, not a guess.** The last file of every site is `.planbook-site`: a format version
//! and the list of every file planbook wrote. planbook replaces an existing folder only when
//! that list covers everything in it; anything else (a harness, source code, a file someone
//! added) makes it refuse, naming the folder and why. Before that, the output path is
//! canonicalised (`..`, symlinks, letter case) and refused when it is or contains the
//! repository, the harness or a `.git` folder.
//!
//! **Atomic and tidy.** On Linux the new folder is exchanged with the old one in one
//! `renameat2(RENAME_EXCHANGE)`, so the output folder is never missing; elsewhere (or on file
//! systems without it) the old folder is moved aside first and put back if the second rename
//! fails. Temporary and old folders left by a killed build carry the process id in their name
//! and a file saying what they are; the next build removes them (and restores a site a kill left
//! aside).

use crate::paths::{self, SITE_MARKER};
use anyhow::{Context, bail};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Where an output file's bytes come from.
#[derive(Debug)]
pub enum Contents<'a> {
    /// In memory.
    Bytes(&'a [u8]),
    /// Copied from this file (a canonical path the caller checked with `paths::Fence`).
    CopyOf(PathBuf),
}

/// The ownership marker's first line: the name and the format version of the file list.
const MARKER_HEADER: &str = "planbook-site 1";

/// What GitHub Pages needs to serve `_`-folders; sites of planbook before 0.2 had only this.
pub const NOJEKYLL: &str = ".nojekyll";

/// Inside a temporary folder while it is being written (with the process id): what the next
/// build looks for before removing a killed build's leftovers.
const BUILDING: &str = ".planbook-building";

/// Extensions of the files a site holds; `--force` adopts a folder of an earlier planbook only
/// when every file in it has one of these.
const SITE_EXTENSIONS: &[&str] = &[
    "html",
    "css",
    "js",
    "json",
    "xml",
    "txt",
    "gz",
    "bin",
    "svg",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "avif",
    "ico",
    "bmp",
    "woff",
    "woff2",
    "ttf",
    "otf",
    "map",
    "webmanifest",
];

/// Checks that `out` may be replaced by a new site and returns its canonical path (what
/// `SiteWriter::create` takes). Refused: the repository `root` or a folder containing it, a
/// folder containing the `harness`, anything inside a `.git` folder, an existing file, and an
/// existing non-empty folder unless its `.planbook-site` lists every file in it (or, with
/// `force`, a folder of an earlier planbook: `.nojekyll` and only site files).
pub fn check_output(out: &Path, root: &Path, harness: &Path, force: bool) -> anyhow::Result<PathBuf> {
    let shown = out.display();
    let canonical = |p: &Path| paths::canonical(p).with_context(|| format!("resolving `{}`", p.display()));
    let (out_c, root_c, harness_c) = (canonical(out)?, canonical(root)?, canonical(harness)?);
    let how = "choose another --out (or `output:` in planbook.yaml)";
    if paths::within(&root_c, &out_c) {
        bail!("refusing to write the site to `{shown}`: it is or contains the repository `{}`; {how}", root.display());
    }
    if paths::within(&harness_c, &out_c) {
        bail!("refusing to write the site to `{shown}`: it contains the harness `{}`; {how}", harness.display());
    }
    if out_c.components().any(|c| c.as_os_str().eq_ignore_ascii_case(".git")) {
        bail!("refusing to write the site to `{shown}`: it is inside a `.git` folder; {how}");
    }
    let meta = match std::fs::symlink_metadata(&out_c) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out_c),
        Err(e) => return Err(e).with_context(|| format!("reading `{shown}`")),
    };
    if !meta.is_dir() {
        bail!("refusing to write the site to `{shown}`: it exists and is not a folder; {how}");
    }
    let found = list_files(&out_c)?;
    if found.is_empty() {
        return Ok(out_c);
    }
    if let Some(listed) = read_marker(&out_c)? {
        let strangers: Vec<&String> =
            found.iter().filter(|f| *f != SITE_MARKER && !listed.contains(*f) && !is_live_temporary(f)).collect();
        if !strangers.is_empty() {
            bail!(
                "refusing to replace `{shown}`: it holds {} planbook did not write ({}); move {} out or {how}",
                plural(strangers.len(), "file"),
                some(&strangers),
                if strangers.len() == 1 { "it" } else { "them" }
            );
        }
        return Ok(out_c);
    }
    if found.iter().any(|f| f == NOJEKYLL) {
        if !force {
            bail!(
                "refusing to replace `{shown}`: it has `{NOJEKYLL}` but no `{SITE_MARKER}`, so it was built by an earlier planbook or by something else; if it is an old planbook site, build once with --force to adopt it, otherwise {how}"
            );
        }
        let strangers: Vec<&String> = found.iter().filter(|f| *f != NOJEKYLL && !looks_built(f)).collect();
        if !strangers.is_empty() {
            bail!(
                "refusing to replace `{shown}` even with --force: it holds {} that no site has ({}); {how}",
                plural(strangers.len(), "file"),
                some(&strangers)
            );
        }
        return Ok(out_c);
    }
    bail!(
        "refusing to replace `{shown}`: it exists, is not empty and was not built by planbook (no `{SITE_MARKER}`); {how}"
    )
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

/// The first few of `items`, in backticks, with how many more there are.
fn some(items: &[&String]) -> String {
    let mut s: Vec<String> = items.iter().take(3).map(|f| format!("`{f}`")).collect();
    if items.len() > 3 {
        s.push(format!("and {} more", items.len() - 3));
    }
    s.join(", ")
}

/// A file watch mode was writing when it was killed (`.name.planbook-tmp`, beside its final name).
fn is_live_temporary(rel: &str) -> bool {
    rel.rsplit('/').next().is_some_and(|n| n.starts_with('.') && n.ends_with(".planbook-tmp"))
}

fn looks_built(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name == "CNAME"
        || name.rsplit_once('.').is_some_and(|(_, ext)| SITE_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)))
}

/// Every file, symlink and other non-folder under `dir`, relative and `/`-separated, sorted;
/// symlinks are listed, never followed.
fn list_files(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, rel)) = stack.pop() {
        let entries = std::fs::read_dir(&path).with_context(|| format!("reading `{}`", path.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("reading `{}`", path.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            if entry.file_type()?.is_dir() {
                stack.push((entry.path(), child));
            } else {
                out.push(child);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The files a site's marker lists; `None` when there is no marker. A marker of another format
/// is an error (a newer planbook wrote it).
fn read_marker(dir: &Path) -> anyhow::Result<Option<BTreeSet<String>>> {
    let path = dir.join(SITE_MARKER);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading `{}`", path.display())),
    };
    let mut lines = text.lines();
    if lines.next() != Some(MARKER_HEADER) {
        bail!(
            "refusing to replace `{}`: its `{SITE_MARKER}` is not one this planbook reads (a newer version wrote it?)",
            dir.display()
        );
    }
    Ok(Some(lines.filter(|l| !l.is_empty()).map(str::to_string).collect()))
}

fn marker_text(files: &BTreeSet<String>) -> String {
    let mut text = String::with_capacity(files.len() * 48 + 32);
    text.push_str(MARKER_HEADER);
    text.push('\n');
    for f in files {
        text.push_str(f);
        text.push('\n');
    }
    text
}

/// A site-relative path planbook may write: `/`-separated plain names, none of them `..`, and
/// not one of the files that say what the folder is.
fn checked(path: &str) -> anyhow::Result<&str> {
    let plain = !path.is_empty() && Path::new(path).components().all(|c| matches!(c, Component::Normal(_)));
    if !plain || path == SITE_MARKER || path == BUILDING {
        bail!("internal error: `{path}` is not a path inside the site");
    }
    Ok(path)
}

/// A site being written: files go into a temporary folder beside the output folder, which
/// `commit` swaps into place. Dropped without `commit` (an error, a panic), it removes the
/// temporary folder and leaves the previous site as it was.
#[derive(Debug)]
pub struct SiteWriter {
    tmp: PathBuf,
    out: PathBuf,
    parent: PathBuf,
    name: String,
    files: Mutex<BTreeSet<String>>,
    committed: bool,
}

impl SiteWriter {
    /// Starts a new site for `out`, the canonical path `check_output` returned. Leftovers of
    /// killed builds of the same folder are removed first (a site a kill left aside is put back
    /// when `out` is missing).
    pub fn create(out: &Path) -> anyhow::Result<SiteWriter> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out.file_name().context("the output folder has no name")?.to_string_lossy().to_string();
        std::fs::create_dir_all(&parent).with_context(|| format!("creating `{}`", parent.display()))?;
        tidy_leftovers(&parent, &name, out);
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).with_context(|| format!("removing `{}`", tmp.display()))?;
        }
        std::fs::create_dir(&tmp).with_context(|| format!("creating `{}`", tmp.display()))?;
        std::fs::write(tmp.join(BUILDING), format!("{}\n", std::process::id()))
            .with_context(|| format!("writing into `{}`", tmp.display()))?;
        Ok(SiteWriter { tmp, out: out.to_path_buf(), parent, name, files: Mutex::default(), committed: false })
    }

    /// The temporary folder the new site is written into (for checks before `commit`).
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Writes one file (site-relative path); safe to call from many threads.
    pub fn write(&self, path: &str, contents: Contents<'_>) -> anyhow::Result<()> {
        let target = self.tmp.join(checked(path)?);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
        }
        match contents {
            Contents::Bytes(b) => std::fs::write(&target, b),
            Contents::CopyOf(src) => std::fs::copy(src, &target).map(|_| ()),
        }
        .with_context(|| format!("writing `{}`", target.display()))?;
        self.files.lock().expect("no panic while holding the lock").insert(path.to_string());
        Ok(())
    }

    /// Writes `.nojekyll` and the ownership marker (last), then moves the new site into place.
    /// Returns the files the site holds (what the marker lists).
    pub fn commit(mut self) -> anyhow::Result<BTreeSet<String>> {
        self.write(NOJEKYLL, Contents::Bytes(b""))?;
        let files = std::mem::take(&mut *self.files.lock().expect("no panic while holding the lock"));
        std::fs::write(self.tmp.join(SITE_MARKER), marker_text(&files))
            .with_context(|| format!("writing `{}`", self.tmp.join(SITE_MARKER).display()))?;
        std::fs::remove_file(self.tmp.join(BUILDING)).with_context(|| format!("finishing `{}`", self.tmp.display()))?;
        swap_into_place(&self.tmp, &self.out, &self.parent, &self.name)?;
        self.committed = true;
        Ok(files)
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if !self.committed && self.tmp.exists() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// Moves `tmp` to `out`. With an existing `out`: one atomic exchange where the OS offers it,
/// else move aside, move in, remove the old one (putting it back if moving in fails).
fn swap_into_place(tmp: &Path, out: &Path, parent: &Path, name: &str) -> anyhow::Result<()> {
    if !out.exists() {
        return std::fs::rename(tmp, out).with_context(|| format!("moving the new site into `{}`", out.display()));
    }
    if exchange(tmp, out)? {
        // `tmp` now holds the previous site.
        return std::fs::remove_dir_all(tmp)
            .with_context(|| format!("removing the previous site (moved to `{}`)", tmp.display()));
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    std::fs::rename(out, &old).with_context(|| format!("moving the previous site `{}` aside", out.display()))?;
    if let Err(e) = std::fs::rename(tmp, out) {
        // Put the previous site back: the build failed, the old site stays.
        let _ = std::fs::rename(&old, out);
        return Err(e).with_context(|| format!("moving the new site into `{}`", out.display()));
    }
    std::fs::remove_dir_all(&old).with_context(|| format!("removing the previous site `{}`", old.display()))
}

/// Swaps two folders atomically; `Ok(false)` when the OS or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> anyhow::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).context("a path with a NUL byte");
    let (ca, cb) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths that live across the call.
    let rc =
        unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(err).with_context(|| format!("moving the new site into `{}`", b.display())),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> anyhow::Result<bool> {
    Ok(false)
}

/// Removes `.{name}.tmp-PID` and `.{name}.old-PID` folders beside the output whose process is
/// gone and that say they are planbook's (a `.planbook-building` or `.planbook-site` file).
/// When `out` is missing (a kill between the two renames of the fallback swap), the newest old
/// site is put back first. Best effort: a leftover that cannot be removed stays.
fn tidy_leftovers(parent: &Path, name: &str, out: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let (tmp_prefix, old_prefix) = (format!(".{name}.tmp-"), format!(".{name}.old-"));
    let mut olds = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let pid = file_name.strip_prefix(&tmp_prefix).or_else(|| file_name.strip_prefix(&old_prefix));
        let Some(pid) = pid.and_then(|p| p.parse::<u32>().ok()) else { continue };
        let path = entry.path();
        let ours = path.join(BUILDING).is_file() || path.join(SITE_MARKER).is_file();
        if pid == std::process::id() || process_alive(pid) || !ours || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if file_name.starts_with(&old_prefix) && path.join(SITE_MARKER).is_file() {
            olds.push(path);
        } else {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
    olds.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    if !out.exists()
        && let Some(newest) = olds.pop()
    {
        let _ = std::fs::rename(&newest, out);
    }
    for old in olds {
        let _ = std::fs::remove_dir_all(old);
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: signal 0 only asks whether the process exists.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_: u32) -> bool {
    // Without a way to ask, assume it runs: a leftover is better than a removed live build.
    true
}

/// A site that watch mode updates in place, file by file. It keeps the list of files it holds
/// and rewrites the ownership marker when the list changes, so the folder stays one that
/// `check_output` accepts.
#[derive(Debug)]
pub struct LiveSite {
    out: PathBuf,
    files: Mutex<BTreeSet<String>>,
    listed: Mutex<BTreeSet<String>>,
}

impl LiveSite {
    /// The live folder `out` holding `files` (what `SiteWriter::commit` returned).
    pub fn new(out: &Path, files: BTreeSet<String>) -> LiveSite {
        LiveSite { out: out.to_path_buf(), listed: Mutex::new(files.clone()), files: Mutex::new(files) }
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// Whether the folder still looks like the site written (watch mode rebuilds it whole when
    /// someone removed it).
    pub fn is_intact(&self) -> bool {
        self.out.join(SITE_MARKER).is_file()
    }

    /// Replaces one file: written beside its final name, then renamed over it, so the preview
    /// server never serves half a file. A new file is listed in the marker before it is written,
    /// so a kill at any moment leaves a folder the next build accepts.
    pub fn replace_file(&self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let dest = self.out.join(checked(path)?);
        {
            let mut listed = self.listed.lock().expect("no panic while holding the lock");
            if !listed.contains(path) {
                listed.insert(path.to_string());
                self.write_marker(&listed)?;
            }
        }
        let dir = dest.parent().unwrap_or(&self.out);
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
        let name = dest.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let tmp = dir.join(format!(".{name}.planbook-tmp"));
        std::fs::write(&tmp, bytes).with_context(|| format!("cannot write `{}`", tmp.display()))?;
        std::fs::rename(&tmp, &dest).with_context(|| format!("cannot write `{}`", dest.display()))?;
        self.files.lock().expect("no panic while holding the lock").insert(path.to_string());
        Ok(())
    }

    /// Removes one file, and the folders it leaves empty (a deleted plan's `plans/<stem>/`), up
    /// to the output folder.
    pub fn remove_file(&self, path: &str) -> anyhow::Result<()> {
        let dest = self.out.join(checked(path)?);
        match std::fs::remove_file(&dest) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot remove `{}`", dest.display())),
        }
        self.files.lock().expect("no panic while holding the lock").remove(path);
        let mut dir = dest.parent();
        while let Some(d) = dir.filter(|d| *d != self.out && d.starts_with(&self.out)) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }

    /// Rewrites the marker when files were removed since it was last written (added files are
    /// listed as they are written), so it lists exactly what the folder holds, as a fresh build's
    /// marker would.
    pub fn sync_marker(&self) -> anyhow::Result<()> {
        let files = self.files.lock().expect("no panic while holding the lock");
        let mut listed = self.listed.lock().expect("no panic while holding the lock");
        if *files != *listed {
            self.write_marker(&files)?;
            *listed = files.clone();
        }
        Ok(())
    }

    fn write_marker(&self, files: &BTreeSet<String>) -> anyhow::Result<()> {
        let tmp = self.out.join(format!("{SITE_MARKER}.planbook-tmp"));
        std::fs::write(&tmp, marker_text(files)).with_context(|| format!("cannot write `{}`", tmp.display()))?;
        std::fs::rename(&tmp, self.out.join(SITE_MARKER))
            .with_context(|| format!("cannot write `{}`", self.out.join(SITE_MARKER).display()))
    }
}

#[cfg(test)]
mod tests;
