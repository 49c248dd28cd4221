//! planbook reads a repository's engineering harness (exec plans, the tech debt tracker, quality
//! scores, AGENTS.md) and checks it against the exec-plan convention; the static site builds on
//! the same model.
//!
//! ```text
//! discover ──▶ parse ──▶ link ──▶ render ──▶ rewrite ──▶ write     (planbook build)
//!  files       Harness   SiteIndex  pages      final HTML   site/
//!                 └──▶ rules ──▶ Report                           (check: discover, parse, rules)
//! ```
//!
//! * `discover` finds the harness, walks it with `ignore` and reads files (parallel I/O);
//! * `parse` turns each file into the model in one pass over comrak's AST (rayon), rendering
//!   its HTML fragments from that same AST when building;
//! * `rules` checks the convention on the model;
//! * `link` gives every page its URL; `render` fills the theme's templates (rayon);
//! * `rewrite` resolves the marks parse left in each page; `write` swaps the new site into place;
//! * `diag` collects, orders and renders diagnostics.
//!
//! Stages only use types from earlier stages. Everything in the user's files that is wrong is a
//! `Diagnostic`; `Err` means planbook could not run at all.

#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod config;
pub mod diag;
pub mod discover;
pub mod escape;
pub mod highlight;
pub mod history;
pub mod href;
pub mod init;
pub mod link;
pub mod linkcheck;
pub mod marks;
pub mod model;
pub mod panics;
pub mod parse;
pub mod paths;
pub mod render;
pub mod rewrite;
pub mod rules;
pub mod search;
pub mod serve;
pub mod session;
pub mod site;
pub mod slug;
pub mod summary;
pub mod watch;
pub mod write;
pub mod yaml;

use config::Config;
use diag::Report;
use discover::Layout;
use model::Harness;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A repository opened for planbook: its root, config and harness location.
#[derive(Debug, Clone)]
pub struct Project {
    /// The root as given.
    pub root: PathBuf,
    /// How paths are shown to the user: the root as typed plus `/`, or empty for `.`.
    pub shown_root: String,
    /// planbook.yaml.
    pub config: Config,
    /// Where the harness is.
    pub layout: Layout,
    /// Where `build` writes the site.
    pub output: PathBuf,
}

impl Project {
    /// Reads the config and locates the harness. Fails when planbook cannot run on `root`.
    pub fn open(root: &Path) -> anyhow::Result<Project> {
        Project::open_with_output(root, None)
    }

    /// Like `open`, with the output folder given on the command line (`--out`), which wins over
    /// `output:` in planbook.yaml.
    pub fn open_with_output(root: &Path, out: Option<&Path>) -> anyhow::Result<Project> {
        let shown = root.to_string_lossy();
        let shown_root = match shown.trim_end_matches('/') {
            "" | "." => String::new(),
            s => format!("{}/", s.trim_start_matches("./")),
        };
        if !root.is_dir() {
            anyhow::bail!("`{}` is not a folder", root.display());
        }
        let config = Config::load(root, &shown_root)?;
        let mut layout = discover::locate(root, &config)?;
        let canonical = |p: &Path| paths::canonical(p).unwrap_or_else(|_| p.to_path_buf());
        let output = match out {
            Some(o) => o.to_path_buf(),
            None => {
                // A repository decides where its site goes only inside itself: a cloned tree
                // must not make planbook write elsewhere on the machine (`--out` may).
                let o = root.join(config.output.as_deref().unwrap_or(config::DEFAULT_OUTPUT));
                if !canonical(&o).starts_with(canonical(root)) {
                    anyhow::bail!(
                        "`output:` in planbook.yaml leads outside the repository (`{}`); pass --out to build there",
                        o.display()
                    );
                }
                o
            }
        };
        // Never read the site back as input (a harness at the root would contain it).
        if let Some(rel) = discover::relative(&canonical(root), &canonical(&output)) {
            layout.skip.push(rel);
        }
        Ok(Project { root: root.to_path_buf(), shown_root, config, layout, output })
    }
}

pub use analysis::Timings;

/// The result of `check`: the model and its report.
#[derive(Debug)]
pub struct Checked {
    /// Everything that was read.
    pub harness: Harness,
    /// Page URLs and lookups.
    pub index: link::SiteIndex,
    /// The reference graph.
    pub graph: link::Graph,
    /// Diagnostics, ordered, with severities from planbook.yaml applied.
    pub report: Report,
    /// Stage timings (for `--verbose`).
    pub timings: Timings,
    /// What is missing from the history, said once (`history is shallow: …`).
    pub history_note: Option<String>,
}

/// discover → parse → link → rules.
pub fn check(project: &Project) -> anyhow::Result<Checked> {
    read(project, None)
}

/// The analysis of `project` (with HTML fragments when `html` is given), without the file texts.
fn read(project: &Project, html: Option<parse::HtmlOptions>) -> anyhow::Result<Checked> {
    let (harness, index, graph, report, timings, history_note) =
        analysis::Analysis::load(&project.layout, &project.config, html)?.finish();
    Ok(Checked { harness, index, graph, report, timings, history_note })
}

/// What `build` was asked for beyond the project.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Overrides `base_url` from planbook.yaml.
    pub base_url: Option<String>,
    /// Do not write the site when there are errors or warnings (or broken links).
    pub strict: bool,
    /// Check every internal link and fragment of the output before it is put in place.
    pub check_links: bool,
    /// Replace an output folder built by an earlier planbook (`.nojekyll`, no `.planbook-site`).
    pub force: bool,
}

/// The result of `build`.
#[derive(Debug)]
pub struct Built {
    /// The model and diagnostics (as `check` would report them).
    pub checked: Checked,
    /// Pages written (0 when `strict` stopped the build).
    pub pages: usize,
    /// Whether the site was written.
    pub written: bool,
    /// Time spent rendering, rewriting and writing.
    pub render: Duration,
    /// Time spent writing.
    pub write: Duration,
    /// Time spent building the search index.
    pub search: Duration,
    /// Files of the search index.
    pub search_files: usize,
    /// Links that lead nowhere (with `check_links` or `strict`).
    pub broken_links: Vec<linkcheck::Broken>,
}

/// discover → parse → rules → link → render → rewrite → write. Diagnostics never stop a build
/// (the caller decides with `--strict`); a broken theme or an unwritable output does, and then
/// the previous site is left as it was.
pub fn build(project: &Project, opts: &BuildOptions) -> anyhow::Result<Built> {
    // Whether the output folder may be replaced is I/O (a listing of the previous site): it runs
    // beside reading and parsing, and nothing is written before both are done.
    let (out, read) = rayon::join(
        || write::check_output(&project.output, &project.root, &project.layout.harness(), opts.force),
        || {
            let (html, theme) = rayon::join(
                || parse::HtmlOptions::new(project.config.allow_html),
                || render::theme::Theme::load(&project.root, project.config.theme.as_deref()),
            );
            anyhow::Ok((theme?, read(project, Some(html))?))
        },
    );
    let out = out?;
    let (theme, checked) = read?;
    let t = Instant::now();
    if opts.strict && checked.report.failed(true) {
        return Ok(Built {
            checked,
            pages: 0,
            written: false,
            render: t.elapsed(),
            write: Duration::ZERO,
            search: Duration::ZERO,
            search_files: 0,
            broken_links: Vec::new(),
        });
    }
    let title = project.config.title.clone().unwrap_or_else(|| default_title(&project.root));
    let input = site::SiteInput {
        harness: &checked.harness,
        index: &checked.index,
        graph: &checked.graph,
        theme: &theme,
        title: &title,
        repo_url: project.config.repo_url.as_deref(),
        base_url: opts.base_url.as_deref().or(project.config.base_url.as_deref()),
        language: project.config.language.as_deref(),
    };
    // render → rewrite → write, page by page in parallel: the site is never held in memory.
    let writer = write::SiteWriter::create(&out)?;
    let whole = site::Whole { root: &project.root, cname: project.config.cname.as_deref() };
    let done = site::write_all(&input, whole, &writer, &|_, _, _| Ok(()))?;
    // Links are checked in the new site before it replaces the old one: with --strict, a broken
    // link leaves the previous site in place.
    let broken_links =
        if opts.check_links || opts.strict { linkcheck::check(writer.path(), input.base_url)? } else { Vec::new() };
    let written = !opts.strict || broken_links.is_empty();
    let tw = Instant::now();
    if written {
        writer.commit()?;
    }
    Ok(Built {
        pages: done.pass.pages,
        written,
        checked,
        render: t.elapsed(),
        write: tw.elapsed(),
        search: done.search_time,
        search_files: done.search.files.len(),
        broken_links,
    })
}

/// The root folder's name, for sites without a `title`.
pub(crate) fn default_title(root: &Path) -> String {
    std::path::absolute(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
        .unwrap_or_else(|| "Plans".to_string())
}
