use super::*;

fn write_site(out: &Path, files: &[(&str, &[u8])]) -> anyhow::Result<BTreeMap<String, u64>> {
    let w = SiteWriter::create(out)?;
    for (path, bytes) in files {
        w.write(path, Contents::Bytes(bytes))?;
    }
    w.commit()
}

/// A repository at `tmp/repo` with its harness in `docs/harness`.
fn repo(tmp: &Path) -> (PathBuf, PathBuf) {
    let root = tmp.join("repo");
    std::fs::create_dir_all(root.join("docs/harness/exec-plans/active")).unwrap();
    std::fs::write(root.join("docs/harness/exec-plans/active/001-x.md"), "# EP-001: X\n").unwrap();
    (root.clone(), root.join("docs/harness"))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    v.sort();
    v
}

#[test]
fn replaces_whole_site_and_leaves_no_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    write_site(&out, &[("a/index.html", b"one")]).unwrap();
    let files = write_site(&out, &[("b/index.html", b"two")]).unwrap();
    assert!(!out.join("a").exists(), "stale page removed");
    assert_eq!(std::fs::read(out.join("b/index.html")).unwrap(), b"two");
    assert_eq!(files.into_keys().collect::<Vec<_>>(), [".nojekyll", "b/index.html"]);
    assert_eq!(
        std::fs::read_to_string(out.join(SITE_MARKER)).unwrap(),
        "planbook-site 1\n0\t.nojekyll\n3\tb/index.html\n"
    );
    assert!(!out.join(BUILDING).exists());
    assert_eq!(names(dir.path()), ["site"], "no temporary folders left");
}

#[test]
fn failed_write_keeps_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    write_site(&out, &[("index.html", b"old")]).unwrap();
    let w = SiteWriter::create(&out).unwrap();
    w.write("index.html", Contents::Bytes(b"new")).unwrap();
    assert!(w.write("files/x.png", Contents::CopyOf(dir.path().join("missing.png"))).is_err());
    drop(w);
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"old");
    assert_eq!(names(dir.path()), ["site"], "temporary folder removed");
}

#[test]
fn paths_outside_the_site_are_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let w = SiteWriter::create(&dir.path().join("site")).unwrap();
    for bad in ["../x.html", "/etc/x", "a/../../x", "", "a/./b.html", "a//b.html", "a\nb.html", SITE_MARKER, BUILDING] {
        assert!(w.write(bad, Contents::Bytes(b"x")).is_err(), "{bad}");
    }
    assert!(!dir.path().join("x.html").exists());
}

#[test]
fn refuses_the_repository_the_harness_and_git_under_any_spelling() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, harness) = repo(tmp.path());
    std::fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let refused = |out: PathBuf, why: &str| {
        let e = check_output(&out, &root, &harness, true).expect_err(&out.display().to_string()).to_string();
        assert!(e.contains(why), "{}: {e}", out.display());
    };
    refused(root.clone(), "contains the repository");
    refused(tmp.path().to_path_buf(), "contains the repository");
    refused(tmp.path().join("elsewhere/.."), "contains the repository");
    refused(tmp.path().join("elsewhere/../repo/."), "contains the repository");
    refused(root.join("docs"), "contains the harness");
    refused(root.join("docs/harness"), "contains the harness");
    refused(root.join("DOCS"), "contains the harness");
    refused(root.join("elsewhere/../docs"), "contains the harness");
    refused(root.join(".git"), "`.git`");
    refused(root.join(".git/site"), "`.git`");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&root, tmp.path().join("link")).unwrap();
        refused(tmp.path().join("link"), "contains the repository");
        std::os::unix::fs::symlink(root.join("docs"), tmp.path().join("docs-link")).unwrap();
        refused(tmp.path().join("docs-link"), "contains the harness");
    }
}

#[test]
fn refuses_folders_planbook_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, harness) = repo(tmp.path());
    let check =
        |rel: &str, force: bool| check_output(&root.join(rel), &root, &harness, force).map_err(|e| e.to_string());
    // A folder of the user's, with `.nojekyll` as GitHub Pages layouts have it.
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/main.rs"), "fn main() {}").unwrap();
    std::fs::write(root.join("src/.nojekyll"), "").unwrap();
    let e = check("src", false).unwrap_err();
    assert!(e.contains("--force"), "{e}");
    let e = check("src", true).unwrap_err();
    assert!(e.contains("`main.rs`"), "even --force keeps source files: {e}");
    // No marker at all.
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::write(root.join("notes/a.md"), "x").unwrap();
    assert!(check("notes", true).unwrap_err().contains("not built by planbook"));
    // A site of an earlier planbook: adopted with --force only.
    std::fs::create_dir_all(root.join("old/plans")).unwrap();
    std::fs::write(root.join("old/.nojekyll"), "").unwrap();
    std::fs::write(root.join("old/plans/index.html"), "x").unwrap();
    assert!(check("old", false).is_err());
    assert!(check("old", true).is_ok());
    // New, empty, a file.
    assert!(check("new", false).is_ok());
    std::fs::create_dir_all(root.join("empty")).unwrap();
    assert!(check("empty", false).is_ok());
    std::fs::write(root.join("file"), "x").unwrap();
    assert!(check("file", true).unwrap_err().contains("not a folder"));
}

#[test]
fn replaces_its_own_site_only_while_it_holds_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, harness) = repo(tmp.path());
    let out = root.join("site");
    write_site(&out, &[("index.html", b"x"), ("plans/a/index.html", b"y")]).unwrap();
    assert_eq!(check_output(&out, &root, &harness, false).unwrap(), out.canonicalize().unwrap());
    std::fs::write(out.join("plans/a/.index.html.planbook-tmp"), "half").unwrap();
    assert!(check_output(&out, &root, &harness, false).is_ok(), "a killed watch's temporary file is ours");
    std::fs::write(out.join("plans/notes.md"), "mine").unwrap();
    let e = check_output(&out, &root, &harness, true).unwrap_err().to_string();
    assert!(e.contains("1 file planbook did not write (`plans/notes.md`)"), "{e}");
    std::fs::remove_file(out.join("plans/notes.md")).unwrap();
    std::fs::write(out.join("index.html"), "changed size").unwrap();
    assert!(
        check_output(&out, &root, &harness, false).unwrap_err().to_string().contains("`index.html`"),
        "same name, other size"
    );
    std::fs::write(out.join(SITE_MARKER), "planbook-site 99\n").unwrap();
    assert!(check_output(&out, &root, &harness, true).unwrap_err().to_string().contains("newer"));
}

#[test]
fn a_marker_from_the_repository_cannot_claim_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, harness) = repo(tmp.path());
    let out = root.join("config");
    std::fs::create_dir_all(out.join(".git")).unwrap();
    std::fs::write(out.join(".env"), "SECRET=1\n").unwrap();
    std::fs::write(out.join(".git/HEAD"), "x").unwrap();
    let check = || check_output(&out, &root, &harness, true).map_err(|e| e.to_string());
    // A marker committed by someone else, listing the user's files with their exact sizes.
    std::fs::write(out.join(SITE_MARKER), "planbook-site 1\n9\t.env\n1\t.git/HEAD\n3\t../x\n").unwrap();
    assert!(check().unwrap_err().contains("`.git`"), "a `.git` inside is refused first");
    std::fs::remove_dir_all(out.join(".git")).unwrap();
    assert!(check().unwrap_err().contains("`.env`"), "`.env` is never a site file");
    std::fs::write(out.join("credentials.json"), "{}").unwrap();
    std::fs::write(out.join(SITE_MARKER), "planbook-site 1\n9\t.env\n2\tcredentials.json\n").unwrap();
    assert!(check().unwrap_err().contains("`credentials.json`"));
    #[cfg(unix)]
    {
        std::fs::remove_file(out.join(SITE_MARKER)).unwrap();
        std::os::unix::fs::symlink("/dev/zero", out.join(SITE_MARKER)).unwrap();
        assert!(check().unwrap_err().contains("not a regular file"));
    }
    assert_eq!(std::fs::read_to_string(out.join(".env")).unwrap(), "SECRET=1\n");
}

#[test]
fn planbooks_temporary_names_are_not_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, harness) = repo(tmp.path());
    for name in [".site.tmp-12", ".public.old-3"] {
        let e = check_output(&tmp.path().join(name), &root, &harness, false).unwrap_err().to_string();
        assert!(e.contains("temporary folders"), "{e}");
    }
}

#[test]
fn files_arriving_during_the_build_keep_the_previous_site() {
    for swap in [exchange as fn(&Path, &Path) -> anyhow::Result<bool>, |_: &Path, _: &Path| Ok(false)] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        write_site(&out, &[("index.html", b"old")]).unwrap();
        let w = SiteWriter::create(&out).unwrap();
        w.write("index.html", Contents::Bytes(b"new")).unwrap();
        // Checked before the build; then someone saves a file into the folder.
        std::fs::write(out.join("notes.md"), "mine").unwrap();
        w.write(NOJEKYLL, Contents::Bytes(b"")).unwrap();
        let files = w.files.lock().unwrap().clone();
        std::fs::write(w.tmp.join(SITE_MARKER), marker_text(&files, MARKER_HEADER)).unwrap();
        std::fs::remove_file(w.tmp.join(BUILDING)).unwrap();
        let e = swap_into_place(&w.tmp, &out, dir.path(), "site", swap).unwrap_err().to_string();
        assert!(e.contains("`notes.md`"), "{e}");
        assert_eq!(std::fs::read_to_string(out.join("notes.md")).unwrap(), "mine");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "old");
    }
}

#[test]
fn the_fallback_swap_replaces_the_site_and_leaves_nothing_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    write_site(&out, &[("index.html", b"old")]).unwrap();
    let w = SiteWriter::create(&out).unwrap();
    w.write("index.html", Contents::Bytes(b"new")).unwrap();
    w.write(NOJEKYLL, Contents::Bytes(b"")).unwrap();
    let files = w.files.lock().unwrap().clone();
    std::fs::write(w.tmp.join(SITE_MARKER), marker_text(&files, MARKER_HEADER)).unwrap();
    std::fs::remove_file(w.tmp.join(BUILDING)).unwrap();
    swap_into_place(&w.tmp, &out, dir.path(), "site", |_, _| Ok(false)).unwrap();
    std::mem::forget(w);
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "new");
    assert_eq!(names(dir.path()), ["site"]);
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_written_through_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, harness) = repo(tmp.path());
    std::fs::create_dir_all(tmp.path().join("real")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("real"), root.join("site")).unwrap();
    let out = check_output(&root.join("site"), &root, &harness, false).unwrap();
    assert_eq!(out, tmp.path().join("real").canonicalize().unwrap());
    write_site(&out, &[("index.html", b"x")]).unwrap();
    assert!(std::fs::symlink_metadata(root.join("site")).unwrap().file_type().is_symlink(), "the link stays");
    assert!(root.join("site/index.html").is_file());
}

#[test]
fn leftovers_of_killed_builds_are_removed_and_a_site_left_aside_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    // No process has an id this large.
    let dead = 4_999_999;
    let tmp = dir.path().join(format!(".site.tmp-{dead}"));
    std::fs::create_dir_all(tmp.join("plans")).unwrap();
    std::fs::write(tmp.join(BUILDING), format!("{dead}\n")).unwrap();
    let old = dir.path().join(format!(".site.old-{dead}"));
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join(SITE_MARKER), "planbook-site 1\n8\tindex.html\n").unwrap();
    std::fs::write(old.join("index.html"), "previous").unwrap();
    let stranger = dir.path().join(format!(".site.tmp-{dead}1"));
    std::fs::create_dir_all(&stranger).unwrap();
    // Says it is a build of another process than its name: not ours either.
    let lying = dir.path().join(format!(".site.tmp-{dead}2"));
    std::fs::create_dir_all(&lying).unwrap();
    std::fs::write(lying.join(BUILDING), "12\n").unwrap();
    // A build that is still running (init never exits).
    let running = dir.path().join(".site.tmp-1");
    std::fs::create_dir_all(&running).unwrap();
    std::fs::write(running.join(BUILDING), "1\n").unwrap();
    // The kill happened between the two renames: there is no `site/`.
    let w = SiteWriter::create(&out).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "previous", "put back before building");
    w.write("index.html", Contents::Bytes(b"new")).unwrap();
    w.commit().unwrap();
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "new");
    assert_eq!(
        names(dir.path()),
        [".site.tmp-1".to_string(), format!(".site.tmp-{dead}1"), format!(".site.tmp-{dead}2"), "site".to_string()],
        "running or not ours: kept"
    );
}

#[test]
fn a_live_site_lists_new_files_before_writing_them() {
    let tmp = tempfile::tempdir().unwrap();
    let (root, harness) = repo(tmp.path());
    let out = root.join("site");
    let files = write_site(&out, &[("index.html", b"x"), ("a/index.html", b"a")]).unwrap();
    let live = LiveSite::new(&out, files);
    live.begin().unwrap();
    live.replace_file("b/index.html", b"b").unwrap();
    live.replace_file("index.html", b"longer").unwrap();
    let marker = std::fs::read_to_string(out.join(SITE_MARKER)).unwrap();
    assert!(marker.contains("\n1\tb/index.html\n") && out.join(UPDATING).is_file(), "{marker}");
    assert!(check_output(&out, &root, &harness, false).is_ok(), "killed mid-update: still planbook's");
    live.remove_file("a/index.html").unwrap();
    assert!(!out.join("a").exists(), "emptied folder removed");
    live.finish().unwrap();
    assert!(!out.join(UPDATING).exists());
    assert_eq!(
        std::fs::read_to_string(out.join(SITE_MARKER)).unwrap(),
        "planbook-site 1\n0\t.nojekyll\n1\tb/index.html\n6\tindex.html\n"
    );
    assert!(check_output(&out, &root, &harness, false).is_ok());
    assert!(live.replace_file("../escape.html", b"x").is_err());
    // Removed and replaced by someone's own folder: nothing is written into it.
    std::fs::remove_dir_all(&out).unwrap();
    assert!(live.begin().is_err() && live.replace_file("index.html", b"x").is_err());
    assert!(!out.exists(), "not recreated");
}
