//! Write: the only code that touches the output folder.
//!
//! The whole site is written into a temporary folder beside the output folder and moved into
//! place only when everything was written, so a failed or interrupted build never leaves a
//! half-written site, and a rebuild leaves no stale files (the old folder is replaced whole).
//! An existing folder that planbook did not write (no `.nojekyll`) is never replaced.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// Where an output file's bytes come from.
#[derive(Debug)]
pub enum Contents<'a> {
    /// In memory.
    Bytes(&'a [u8]),
    /// Copied from this file.
    CopyOf(PathBuf),
}

/// The marker planbook writes in every site (GitHub Pages also needs it to serve `_`-folders).
pub const MARKER: &str = ".nojekyll";

/// Refuses output folders that would destroy sources: the root itself, a folder containing it,
/// or an existing non-empty folder planbook did not write.
pub fn check_output(out: &Path, root: &Path) -> anyhow::Result<()> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (out_abs, root_abs) = (abs(out), abs(root));
    if root_abs.starts_with(&out_abs) {
        bail!("refusing to write the site to `{}`: it contains the repository", out.display());
    }
    if out.is_dir() && !out.join(MARKER).exists() && std::fs::read_dir(out)?.next().is_some() {
        bail!(
            "refusing to replace `{}`: it exists and was not built by planbook (no `{MARKER}`); remove it or choose another --out",
            out.display()
        );
    }
    if out.exists() && !out.is_dir() {
        bail!("`{}` exists and is not a folder", out.display());
    }
    Ok(())
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
    committed: bool,
}

impl SiteWriter {
    /// Starts a new site for `out`.
    pub fn create(out: &Path) -> anyhow::Result<SiteWriter> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = out.file_name().context("the output folder has no name")?.to_string_lossy().to_string();
        std::fs::create_dir_all(&parent).with_context(|| format!("creating `{}`", parent.display()))?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).with_context(|| format!("removing `{}`", tmp.display()))?;
        }
        std::fs::create_dir(&tmp).with_context(|| format!("creating `{}`", tmp.display()))?;
        Ok(SiteWriter { tmp, out: out.to_path_buf(), parent, name, committed: false })
    }

    /// The temporary folder the new site is written into (for checks before `commit`).
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Writes one file (site-relative path); safe to call from many threads.
    pub fn write(&self, path: &str, contents: Contents<'_>) -> anyhow::Result<()> {
        let target = self.tmp.join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
        }
        match contents {
            Contents::Bytes(b) => std::fs::write(&target, b),
            Contents::CopyOf(src) => std::fs::copy(src, &target).map(|_| ()),
        }
        .with_context(|| format!("writing `{}`", target.display()))
    }

    /// Writes the marker and moves the new site into place.
    pub fn commit(mut self) -> anyhow::Result<()> {
        self.write(MARKER, Contents::Bytes(b""))?;
        swap_into_place(&self.tmp, &self.out, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for SiteWriter {
    fn drop(&mut self) {
        if !self.committed && self.tmp.exists() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

fn swap_into_place(tmp: &Path, out: &Path, parent: &Path, name: &str) -> anyhow::Result<()> {
    if out.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        std::fs::rename(out, &old).with_context(|| format!("moving the previous site `{}` aside", out.display()))?;
        if let Err(e) = std::fs::rename(tmp, out) {
            // Put the previous site back: the build failed, the old site stays.
            let _ = std::fs::rename(&old, out);
            return Err(e).with_context(|| format!("moving the new site into `{}`", out.display()));
        }
        std::fs::remove_dir_all(&old).with_context(|| format!("removing the previous site `{}`", old.display()))?;
    } else {
        std::fs::rename(tmp, out).with_context(|| format!("moving the new site into `{}`", out.display()))?;
    }
    Ok(())
}

/// Replaces one file of a live site (watch mode): written beside its final name, then renamed
/// over it, so the preview server never serves half a file.
pub fn replace_file(out: &Path, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let dest = out.join(path);
    let dir = dest.parent().unwrap_or(out);
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let name = dest.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.planbook-tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write `{}`", tmp.display()))?;
    std::fs::rename(&tmp, &dest).with_context(|| format!("cannot write `{}`", dest.display()))
}

/// Removes one file of a live site, and the folders it leaves empty (a deleted plan's
/// `plans/<stem>/`), up to the output folder.
pub fn remove_file(out: &Path, path: &str) -> anyhow::Result<()> {
    let dest = out.join(path);
    match std::fs::remove_file(&dest) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot remove `{}`", dest.display())),
    }
    let mut dir = dest.parent();
    while let Some(d) = dir.filter(|d| *d != out && d.starts_with(out)) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_site(out: &Path, files: &[(&str, Contents<'_>)]) -> anyhow::Result<()> {
        let w = SiteWriter::create(out)?;
        for (path, contents) in files {
            let c = match contents {
                Contents::Bytes(b) => Contents::Bytes(b),
                Contents::CopyOf(p) => Contents::CopyOf(p.clone()),
            };
            w.write(path, c)?;
        }
        w.commit()
    }

    #[test]
    fn replaces_whole_site_and_leaves_no_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[("a/index.html", Contents::Bytes(b"one"))]).unwrap();
        write_site(&out, &[("b/index.html", Contents::Bytes(b"two"))]).unwrap();
        assert!(!out.join("a").exists(), "stale page removed");
        assert_eq!(std::fs::read(out.join("b/index.html")).unwrap(), b"two");
        assert!(out.join(MARKER).exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["site"], "no temporary folders left");
    }

    #[test]
    fn failed_write_keeps_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[("index.html", Contents::Bytes(b"old"))]).unwrap();
        let missing = dir.path().join("missing.png");
        let err =
            write_site(&out, &[("index.html", Contents::Bytes(b"new")), ("files/x.png", Contents::CopyOf(missing))]);
        assert!(err.is_err());
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "temporary folder removed");
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check_output(dir.path(), dir.path()).is_err(), "the root itself");
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/x.md"), "x").unwrap();
        let e = check_output(&dir.path().join("docs"), dir.path()).unwrap_err();
        assert!(e.to_string().contains("not built by planbook"), "{e}");
        assert!(check_output(&dir.path().join("site"), dir.path()).is_ok());
    }
}
