//! `planbook build --watch`: build, then rebuild what each change affects, and serve the site
//! with live reload.
//!
//! File events come from notify through a short debouncer (an editor's save is several events:
//! write aside, rename, chmod). Events under the output folder, `.git/`, gitignored or excluded
//! paths and editor scratch files (`.swp`, `~`, `.#x`, `4913`) are dropped. A change to
//! `planbook.yaml` or to the theme restarts the session (a full build); anything else goes to
//! [`Session::update`], then the search index catches up.

use crate::Project;
use crate::diag::RenderOptions;
use crate::serve::{Event, ServeOptions, Server};
use crate::session::Session;
use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, NoCache, new_debouncer_opt, notify};
use std::io::Write;
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How long the file system must be quiet before a rebuild starts.
pub const DEBOUNCE: Duration = Duration::from_millis(25);

/// What `build --watch` was asked for.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// `--base-url`.
    pub base_url: Option<String>,
    /// Serve the site (`--serve`, the default; `--no-serve` turns it off).
    pub serve: bool,
    /// Address to bind (loopback by default).
    pub bind: IpAddr,
    /// Host names accepted beyond loopback (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// Port to try first.
    pub port: u16,
    /// Open the browser once serving.
    pub open: bool,
    /// How diagnostics are printed.
    pub render: RenderOptions,
    /// `-q`.
    pub quiet: bool,
    /// `--force`: adopt an output folder of an earlier planbook.
    pub force: bool,
}

/// Builds, serves and rebuilds until Ctrl-C. `open_project` re-reads planbook.yaml when it
/// changes.
pub fn run(open_project: &dyn Fn() -> anyhow::Result<Project>, opts: &WatchOptions) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        // A second Ctrl-C while a rebuild runs is not worth refusing: the handler only sets a flag.
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let mut err = std::io::stderr();
    let mut session = start(open_project()?, opts)?;
    let server = if opts.serve {
        if crate::serve::beyond_loopback(opts.bind) {
            writeln!(
                err,
                "warning: serving on {} reaches beyond this machine: anyone who can connect can read the site (requests must name it by IP address{})",
                opts.bind,
                if opts.allow_hosts.is_empty() {
                    String::new()
                } else {
                    format!(" or as {}", opts.allow_hosts.join(", "))
                }
            )?;
        }
        let serve = ServeOptions::preview(opts.bind, opts.port, opts.allow_hosts.clone());
        let server = Server::start_with(&session.project().output, serve)?;
        let url = format!("http://{}/", server.addr);
        if opts.port != 0 && server.addr.port() != opts.port {
            writeln!(err, "port {} is taken; serving on {url} (Ctrl-C to stop)", opts.port)?;
        } else {
            writeln!(err, "serving {url} (Ctrl-C to stop)")?;
        }
        if opts.open {
            open_browser(&url);
        }
        Some(server)
    } else {
        None
    };
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let root = session.project().root.clone();
    let mut debouncer = new_debouncer_opt::<_, notify::RecommendedWatcher, NoCache>(
        DEBOUNCE,
        Some(DEBOUNCE / 5),
        tx,
        NoCache,
        notify::Config::default(),
    )?;
    debouncer.watch(&root, RecursiveMode::Recursive)?;
    let mut filter = Filter::new(session.project())?;
    writeln!(err, "watching `{}` for changes", root.display())?;
    let abs_root = std::path::absolute(&root).unwrap_or_else(|_| root.clone());
    let mut problems_shown = false;
    while !stop.load(Ordering::SeqCst) {
        let events = match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(events)) => events,
            Ok(Err(errors)) => {
                for e in errors {
                    writeln!(err, "warning: watching files: {e}")?;
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // The output folder removed (events under it are dropped below): build it again whole.
        match session.repair() {
            Ok(false) => {}
            Ok(true) => {
                writeln!(err, "the output folder was removed: rebuilt {} pages", session.page_count())?;
                if let Some(s) = &server {
                    s.send(&Event::Reload);
                }
            }
            Err(e) => writeln!(err, "error: rebuilding the removed output folder: {e:#}")?,
        }
        let mut paths: Vec<String> = events
            .iter()
            .filter(|e| changes_content(&e.kind))
            .flat_map(|e| e.paths.iter())
            .filter_map(|p| crate::discover::relative(&abs_root, &std::path::absolute(p).unwrap_or_else(|_| p.clone())))
            .filter(|rel| !rel.is_empty() && (filter.restarts(rel) || !filter.ignored(rel)))
            .collect();
        paths.sort();
        paths.dedup();
        if paths.is_empty() {
            continue;
        }
        if paths.iter().any(|p| filter.restarts(p)) {
            writeln!(err, "configuration or theme changed: rebuilding everything")?;
            match open_project().and_then(|p| start(p, opts)) {
                Ok(s) => {
                    session = s;
                    filter = Filter::new(session.project())?;
                    if let Some(s) = &server {
                        s.set_dir(&session.project().output);
                        s.send(&Event::Reload);
                    }
                    problems_shown = false;
                }
                Err(e) => writeln!(err, "error: {e:#}; still serving the last good site")?,
            }
            continue;
        }
        // A bug in an update must not stop the preview: report it, keep serving, and start a
        // fresh session (the half-updated one is not trusted).
        // The edited plans' own pages reload as soon as they are written, before the listings.
        let mut first_pages = |urls: &[String]| {
            if let Some(s) = &server {
                s.send(&Event::Changed(urls.to_vec()));
            }
        };
        let updated = match crate::panics::guard(|| session.update(&paths, &mut first_pages)) {
            Ok(updated) => updated,
            Err(panic) => {
                writeln!(err, "error: internal error: {panic} (a bug in planbook); rebuilding everything")?;
                if let Ok(s) = open_project().and_then(|p| start(p, opts)) {
                    session = s;
                }
                continue;
            }
        };
        match updated {
            Ok(update) if update.files == 0 => {}
            Ok(update) => {
                let report = session.report();
                if !opts.quiet {
                    // The diagnostics of the files that changed, then the summary of the whole
                    // harness (what `check` prints), not of those files only.
                    let mine = report.only_paths(&paths);
                    let text = mine.render_human(&opts.render);
                    let text = text.strip_suffix(&format!("{}\n", mine.summary())).unwrap_or(&text);
                    err.write_all(text.as_bytes())?;
                    writeln!(err, "{}", report.summary())?;
                    writeln!(
                        err,
                        "rebuilt {} page{} in {} ms (read in {} ms, {}{} rendered{}{}): {}",
                        update.written,
                        if update.written == 1 { "" } else { "s" },
                        update.took.as_millis(),
                        update.read.as_millis(),
                        update.first.map(|f| format!("the plan's page in {} ms, ", f.as_millis())).unwrap_or_default(),
                        update.rendered,
                        if update.removed > 0 { format!(", {} removed", update.removed) } else { String::new() },
                        if update.full { ", full" } else { "" },
                        paths.join(", ")
                    )?;
                }
                if let Some(s) = &server {
                    // Reload after a rebuild, and after a fix that only clears the problems
                    // shown (the pages may not have changed).
                    if update.full || (problems_shown && update.kept.is_empty()) {
                        s.send(&Event::Reload);
                        problems_shown = false;
                    } else if !update.pages.is_empty() {
                        s.send(&Event::Changed(update.pages.clone()));
                    }
                    if !update.kept.is_empty() {
                        let problems = report.only_paths(&update.kept);
                        let plain =
                            RenderOptions { color: false, quiet: false, path_prefix: opts.render.path_prefix.clone() };
                        s.send(&Event::Problems(problems.render_human(&plain)));
                        problems_shown = true;
                    }
                }
                match session.update_search() {
                    Ok(search) if !opts.quiet && search.written + search.removed > 0 => writeln!(
                        err,
                        "search index: {} files written, {} removed in {} ms",
                        search.written,
                        search.removed,
                        search.took.as_millis()
                    )?,
                    Ok(_) => {}
                    Err(e) => writeln!(err, "error: search index: {e:#}")?,
                }
            }
            Err(e) => writeln!(err, "error: {e:#}; still serving the last good site")?,
        }
    }
    writeln!(err, "stopped")?;
    Ok(())
}

/// Whether an event can change what a file holds (reading a file is an event too, on Linux).
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::EventKind::{Any, Create, Modify, Remove};
    use notify::event::ModifyKind;
    match kind {
        Create(_) | Remove(_) | Any => true,
        Modify(ModifyKind::Metadata(_)) => false,
        Modify(_) => true,
        _ => false,
    }
}

fn start(project: Project, opts: &WatchOptions) -> anyhow::Result<Session> {
    let t = std::time::Instant::now();
    let session = Session::start(project, opts.base_url.clone(), opts.force)?;
    let mut err = std::io::stderr();
    err.write_all(session.report().render_human(&opts.render).as_bytes())?;
    if !opts.quiet {
        writeln!(
            err,
            "built {} pages into `{}` in {} ms",
            session.page_count(),
            session.project().output.display(),
            t.elapsed().as_millis()
        )?;
    }
    Ok(session)
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("warning: could not open a browser; open {url}");
    }
}

/// Which changed paths matter: exactly what the build's walk reads (`discover::Skips`), less
/// editor scratch files; and which need a fresh session.
struct Filter {
    skips: crate::discover::Skips,
    theme: Option<String>,
}

impl Filter {
    fn new(project: &Project) -> anyhow::Result<Filter> {
        Ok(Filter {
            skips: crate::discover::Skips::new(&project.layout, &project.config)?,
            // Where `Theme::load` reads it: ROOT/<theme>, relative to the root.
            theme: project.config.theme.as_ref().and_then(|t| {
                let canonical = |p: &std::path::Path| crate::paths::canonical(p).ok();
                crate::discover::relative(&canonical(&project.root)?, &canonical(&project.root.join(t))?)
                    .map(|rel| format!("{rel}/"))
            }),
        })
    }

    /// What the walk leaves out (hidden files and folders such as `.git/` and the build's
    /// temporary folders, the output folder, ignored and excluded paths), and editor scratch
    /// files.
    fn ignored(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let scratch = name.ends_with('~')
            || name.starts_with(".#")
            || (name.starts_with('#') && name.ends_with('#'))
            || name == "4913"
            || name == ".DS_Store"
            || [".swp", ".swx", ".swo", ".tmp", ".planbook-tmp", ".crswap"].iter().any(|s| name.ends_with(s));
        scratch || self.skips.leaves_out(rel)
    }

    /// Whether a change to `rel` needs a fresh session: the config, ignore files, the theme.
    fn restarts(&self, rel: &str) -> bool {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        rel == "planbook.yaml"
            || matches!(name, ".gitignore" | ".ignore")
            || rel == ".git/info/exclude"
            || self.theme.as_deref().is_some_and(|t| rel.starts_with(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_ignored_and_output_paths_are_dropped() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("docs/harness/exec-plans/active")).unwrap();
        std::fs::write(root.join(".gitignore"), "target/\n*.log\n").unwrap();
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/.gitignore"), "generated.rs\n").unwrap();
        std::fs::write(root.join("planbook.yaml"), "exclude:\n  - vendor\n").unwrap();
        let project = Project::open(root).unwrap();
        let f = Filter::new(&project).unwrap();
        for dropped in [
            "site/index.html",
            ".git/index",
            "target/debug/x.rs",
            "build.log",
            "sub/generated.rs",
            "vendor/lib.rs",
            "docs/harness/exec-plans/active/.001-x.md.swp",
            "docs/harness/exec-plans/active/001-x.md~",
            "docs/harness/exec-plans/active/4913",
            "docs/harness/exec-plans/active/.#001-x.md",
        ] {
            assert!(f.ignored(dropped), "{dropped}");
        }
        for kept in ["docs/harness/exec-plans/active/001-x.md", "src/main.rs", "AGENTS.md", "planbook.yaml"] {
            assert!(!f.ignored(kept), "{kept}");
        }
        assert!(f.restarts("planbook.yaml") && !f.restarts("AGENTS.md"));
    }
}
