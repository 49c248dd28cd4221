//! Paths: canonical forms of the paths users give, and the fence that keeps planbook's reads
//! inside the repository.
//!
//! In: paths from the command line, planbook.yaml and Markdown. Out: canonical paths (`..` and
//! symlinks resolved, also for paths that do not exist yet) and `Fence` answers. This module
//! never writes; it only looks at the file system. Every check that decides whether planbook may
//! read or replace something runs on canonical paths, so `a/../b`, a symlinked folder or a case
//! variant cannot slip past a string comparison.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as a site planbook built, listing every file it wrote (see
/// `write`). The walk of the repository skips folders that hold one.
pub const SITE_MARKER: &str = ".planbook-site";

/// `path` made absolute with `..`, `.` and symlinks resolved. Unlike `fs::canonicalize` it
/// accepts paths that do not exist (yet). Components are taken one at a time: `..` goes up from
/// what is resolved so far, a name is appended and the result resolved again whenever it exists,
/// so a symlink after a missing folder (`missing/../link/docs`) is still followed, as the kernel
/// will follow it when the path is used.
pub fn canonical(path: &Path) -> io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    let mut resolved = PathBuf::new();
    for part in abs.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => resolved.push(part.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => {
                resolved.push(name);
                match resolved.canonicalize() {
                    Ok(real) => resolved = real,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(resolved)
}

/// Whether `inner` is `outer` or inside it, comparing canonical paths both as they are and
/// without regard to letter case (on a case-insensitive disk `Docs/` is `docs/`; refusing a case
/// variant on a case-sensitive one costs nothing).
pub fn within(inner: &Path, outer: &Path) -> bool {
    if inner.starts_with(outer) {
        return true;
    }
    let lower = |p: &Path| p.to_string_lossy().to_lowercase();
    let (i, o) = (lower(inner), lower(outer));
    let o = o.trim_end_matches(std::path::MAIN_SEPARATOR);
    i == o || i.strip_prefix(o).is_some_and(|rest| rest.starts_with(std::path::MAIN_SEPARATOR))
}

/// The repository root, canonical: answers whether a path planbook is about to read is a
/// regular file inside it.
#[derive(Debug, Clone)]
pub struct Fence {
    root: PathBuf,
}

impl Fence {
    /// The fence around `root` (which must exist).
    pub fn new(root: &Path) -> io::Result<Fence> {
        Ok(Fence { root: root.canonicalize()? })
    }

    /// The canonical root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The canonical path of `rel` (relative to the root, `/`-separated) when, with every
    /// symlink followed, it is a regular file inside the root; `None` otherwise (missing, a
    /// folder, a device, or a link out of the repository such as `img.png -> /etc/passwd`).
    pub fn regular_file(&self, rel: &str) -> Option<PathBuf> {
        self.regular_path(&self.root.join(rel))
    }

    /// Like `regular_file`, for a path given whole (absolute, or relative to the working folder).
    pub fn regular_path(&self, path: &Path) -> Option<PathBuf> {
        let real = path.canonicalize().ok()?;
        (real.starts_with(&self.root) && real.metadata().ok()?.is_file()).then_some(real)
    }

    /// Whether `path`, with symlinks resolved, is the root or inside it.
    pub fn contains(&self, path: &Path) -> bool {
        path.canonicalize().is_ok_and(|real| real.starts_with(&self.root))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_resolves_dot_dot_and_symlinks_of_missing_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(base.join("repo/docs")).unwrap();
        std::fs::create_dir_all(base.join("elsewhere")).unwrap();
        assert_eq!(canonical(&base.join("elsewhere/../repo")).unwrap(), base.join("repo"));
        assert_eq!(canonical(&base.join("new/../repo/x/../y")).unwrap(), base.join("repo/y"));
        assert_eq!(canonical(&base.join("repo/docs/../../repo")).unwrap(), base.join("repo"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(base.join("repo"), base.join("link")).unwrap();
            assert_eq!(canonical(&base.join("link/docs")).unwrap(), base.join("repo/docs"));
            assert_eq!(canonical(&base.join("link/new/..")).unwrap(), base.join("repo"));
            // A symlink after a missing folder is followed too, as the kernel would.
            assert_eq!(canonical(&base.join("missing/../link/docs")).unwrap(), base.join("repo/docs"));
            assert_eq!(canonical(&base.join("a/b/../../link")).unwrap(), base.join("repo"));
            std::os::unix::fs::symlink(".", base.join("repo/self")).unwrap();
            assert_eq!(canonical(&base.join("repo/nope/../self/docs")).unwrap(), base.join("repo/docs"));
        }
    }

    #[test]
    fn within_ignores_case_and_needs_whole_components() {
        let p = Path::new;
        assert!(within(p("/r/docs/harness"), p("/r/docs")));
        assert!(within(p("/r/Docs/harness"), p("/r/docs")));
        assert!(within(p("/r/docs"), p("/r/DOCS")));
        assert!(!within(p("/r/docs2"), p("/r/docs")));
        assert!(!within(p("/r"), p("/r/docs")));
    }

    #[cfg(unix)]
    #[test]
    fn the_fence_refuses_links_out_of_the_root() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(root.join("img")).unwrap();
        std::fs::write(root.join("img/a.png"), "png").unwrap();
        std::fs::write(tmp.path().join("secret.png"), "no").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.png"), root.join("img/out.png")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", root.join("img/passwd.png")).unwrap();
        std::os::unix::fs::symlink(root.join("img/a.png"), root.join("img/in.png")).unwrap();
        let fence = Fence::new(&root).unwrap();
        assert!(fence.regular_file("img/a.png").is_some());
        assert!(fence.regular_file("img/in.png").is_some(), "a link that stays inside is fine");
        for bad in ["img/out.png", "img/passwd.png", "../secret.png", "img", "img/missing.png"] {
            assert_eq!(fence.regular_file(bad), None, "{bad}");
        }
    }
}
