//! Analysis: the repository read, parsed, linked and checked: one model that `check`, `build`
//! and watch mode all drive.
//!
//! In: the harness layout and the config. Out: the `Harness` model, its `SiteIndex` and
//! reference `Graph`, and the diagnostics of reading, parsing, linking and the rules. `load`
//! does it for the whole repository (discover → parse → link → rules); `apply` does it again
//! for the files that changed, re-reading and re-parsing only those, and says what changed so
//! that a driver can choose what to render. A file that stops being readable keeps its last
//! good version in the model while its diagnostic is reported. Never renders or writes.

use crate::config::Config;
use crate::diag::{Code, Diagnostic, Report};
use crate::discover::{self, Layout, Source, SourceKind};
use crate::history::{self, History};
use crate::link::{self, Graph, SiteIndex};
use crate::model::{Harness, Plan};
use crate::parse::{self, HtmlOptions, Parsed};
use crate::rules;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

/// The analysed repository.
pub struct Analysis {
    layout: Layout,
    config: Config,
    /// With HTML options, files are parsed with their HTML fragments (`build`, watch mode).
    html: Option<HtmlOptions>,
    sources: BTreeMap<String, Source>,
    /// Diagnostics from reading and parsing, by file.
    file_diags: HashMap<String, Vec<Diagnostic>>,
    /// Diagnostics from linking and the rules.
    model_diags: Vec<Diagnostic>,
    /// The model.
    pub harness: Harness,
    /// Page URLs and lookups.
    pub index: SiteIndex,
    /// The reference graph.
    pub graph: Graph,
    /// How long `load`'s stages took.
    pub timings: Timings,
    /// What git says about the plans (empty without history).
    pub history: History,
    /// History was read again since the last `apply`: every plan's git dates are redone.
    history_reread: bool,
}

/// How long each stage of `load` took.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// Walking and reading files.
    pub discover: Duration,
    /// Parsing them.
    pub parse: Duration,
    /// Resolving references.
    pub link: Duration,
    /// Running the rules.
    pub rules: Duration,
    /// Reading git history (beside discover and parse).
    pub history: Duration,
    /// Number of files read.
    pub files: usize,
}

/// What `apply` changed.
#[derive(Debug, Default)]
pub struct Applied {
    /// Files that changed (read again, gone, or unreadable), in path order.
    pub paths: Vec<String>,
    /// Plans whose file changed: the path and the plan as it was (`None` when it is new).
    pub plans: Vec<(String, Option<Box<Plan>>)>,
    /// A file that is not a plan changed: a doc, the tracker, the quality score, a source file.
    pub other: bool,
    /// Files whose new version could not be read: the model keeps their last good version.
    pub kept: Vec<String>,
    /// The debt tracker's path before the change.
    pub debt_path: Option<String>,
    /// The reference graph before the change (what the changed files referred to).
    pub old_graph: Graph,
}

/// Codes that mean a file could not be read at all (as opposed to read with problems).
const UNREADABLE: [Code; 3] = [Code::UnreadableFile, Code::InvalidFrontMatter, Code::InternalError];

/// A changed file, read.
enum Change {
    Read(Source),
    Removed,
    Unreadable(Box<Diagnostic>),
}

impl Analysis {
    /// Reads the whole repository: discover → parse (with HTML fragments when `html` is given)
    /// → link → rules.
    pub fn load(layout: &Layout, config: &Config, html: Option<HtmlOptions>) -> anyhow::Result<Analysis> {
        let mut timings = Timings::default();
        // History is read (gix, its own I/O) while the files are read and parsed.
        let (read, (history, history_time)) = rayon::join(
            || -> anyhow::Result<_> {
                let t = Instant::now();
                let (sources, read_diags) = discover::discover(layout, config)?;
                let discover_time = t.elapsed();
                let t = Instant::now();
                let (harness, parse_diags) = parse::parse(&sources, &layout.harness_rel, html.as_ref());
                Ok((sources, read_diags, harness, parse_diags, discover_time, t.elapsed()))
            },
            || {
                let t = Instant::now();
                (history::read(&layout.root, &layout.harness_rel, history_options(config)), t.elapsed())
            },
        );
        let (sources, read_diags, harness, parse_diags, discover_time, parse_time) = read?;
        timings.discover = discover_time;
        timings.parse = parse_time;
        timings.history = history_time;
        timings.files = sources.len();
        let mut file_diags: HashMap<String, Vec<Diagnostic>> = HashMap::new();
        for d in read_diags.into_iter().chain(parse_diags) {
            file_diags.entry(d.path.clone()).or_default().push(d);
        }
        let mut analysis = Analysis {
            layout: layout.clone(),
            config: config.clone(),
            html,
            sources: sources.into_iter().map(|s| (s.path.clone(), s)).collect(),
            file_diags,
            model_diags: Vec::new(),
            harness,
            index: SiteIndex::default(),
            graph: Graph::default(),
            timings,
            history,
            history_reread: false,
        };
        let sources = &analysis.sources;
        history::apply(&analysis.history, &mut analysis.harness, &|p| sources.get(p).map(|s| s.text.clone()), None);
        analysis.link_and_check();
        Ok(analysis)
    }

    /// The diagnostics of the current model, ordered, with severities from planbook.yaml.
    pub fn report(&self) -> Report {
        let diagnostics: Vec<Diagnostic> =
            self.file_diags.values().flatten().chain(&self.model_diags).cloned().collect();
        let flagged: HashSet<&str> = diagnostics.iter().map(|d| d.path.as_str()).collect();
        let texts = self
            .sources
            .values()
            .filter(|s| flagged.contains(s.path.as_str()))
            .map(|s| (s.path.clone(), s.text.clone()))
            .collect();
        Report::new(diagnostics, texts, &self.config.rules, self.harness.plans.len())
    }

    /// The model, its index and graph, and the report, without the file texts (a one-off
    /// `check` or `build` frees them before rendering).
    pub fn finish(self) -> (Harness, SiteIndex, Graph, Report, Timings, Option<String>) {
        let report = self.report();
        let note = self.history.note.filter(|n| !n.is_empty());
        (self.harness, self.index, self.graph, report, self.timings, note)
    }

    /// The config it was read with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Links and rules, again, after the model changed (cheap: no file is read); git dates for
    /// the plans at `changed` (all when `None`).
    fn link_and_check(&mut self) {
        let t = Instant::now();
        self.index = link::index(&self.harness);
        let (graph, mut diags) = link::resolve(&self.harness, &self.index);
        self.graph = graph;
        self.timings.link = t.elapsed();
        let t = Instant::now();
        diags.extend(rules::check(&self.harness));
        self.model_diags = diags;
        self.timings.rules = t.elapsed();
    }

    /// Takes the files at `paths` (relative to the root, `/`-separated) again: re-reads the
    /// changed ones (a new walk when harness files appeared or disappeared), re-parses them and
    /// patches the model (git dates included). The index, graph and diagnostics still describe
    /// the model before until `link_again`: watch mode renders an edited plan's own page in
    /// between.
    pub fn apply(&mut self, paths: &[String]) -> anyhow::Result<Applied> {
        // History is read again only when HEAD moved (a commit, a checkout); an edit alone
        // changes which lines are uncommitted, which `git status` tells cheaply.
        if self.config.git {
            let head = history::head(&self.layout.root);
            if head != self.history.head {
                self.history =
                    history::read(&self.layout.root, &self.layout.harness_rel, history_options(&self.config));
                self.history_reread = true;
            } else if head.is_some() {
                self.history.refresh_dirty(&self.layout.root, paths);
            }
        }
        let changes = self.read_changes(paths)?;
        if changes.is_empty() {
            return Ok(Applied::default());
        }
        // Parse what changed.
        let html = self.html.as_ref();
        let parsed: Vec<Reparsed> = changes
            .into_par_iter()
            .map(|(path, change)| match change {
                Change::Removed => (path, None, Vec::new()),
                Change::Unreadable(d) => (path, None, vec![*d]),
                Change::Read(source) => {
                    let (p, d) = parse::parse_one_source(&source, html);
                    (path, Some((source, p, d)), Vec::new())
                }
            })
            .collect();
        let mut applied = Applied {
            paths: parsed.iter().map(|p| p.0.clone()).collect(),
            debt_path: self.harness.debt.as_ref().map(|d| d.path.clone()),
            ..Applied::default()
        };
        for (path, new, unreadable) in parsed {
            let broken = !unreadable.is_empty()
                || new.as_ref().is_some_and(|(_, _, d)| d.iter().any(|d| UNREADABLE.contains(&d.code)));
            if broken && self.sources.contains_key(&path) {
                // Keep the last good version; report why the new one was not taken.
                let diags = if unreadable.is_empty() { new.map(|n| n.2).unwrap_or_default() } else { unreadable };
                self.file_diags.insert(path.clone(), diags);
                applied.kept.push(path);
                continue;
            }
            let old_plan = self.remove_model(&path);
            let was_plan = old_plan.is_some();
            self.file_diags.remove(&path);
            self.sources.remove(&path);
            let is_plan = match new {
                Some((source, parsed, diags)) => {
                    let is_plan = matches!(parsed, Parsed::Plan(_));
                    if !diags.is_empty() {
                        self.file_diags.insert(path.clone(), diags);
                    }
                    self.insert_model(parsed);
                    self.sources.insert(path.clone(), source);
                    is_plan
                }
                None => {
                    if !unreadable.is_empty() {
                        self.file_diags.insert(path.clone(), unreadable);
                    }
                    false
                }
            };
            if is_plan || was_plan {
                applied.plans.push((path, old_plan));
            } else {
                applied.other = true;
            }
        }
        self.harness.sort();
        // Git dates change only for the edited plans, unless history itself was read again.
        let sources = &self.sources;
        let only = if self.history_reread { None } else { Some(applied.paths.as_slice()) };
        history::apply(&self.history, &mut self.harness, &|p| sources.get(p).map(|s| s.text.clone()), only);
        Ok(applied)
    }

    /// Links and checks the model again after `apply`, whose `Applied` gets the graph as it was.
    pub fn link_again(&mut self, applied: &mut Applied) {
        applied.old_graph = std::mem::take(&mut self.graph);
        self.history_reread = false;
        self.link_and_check();
    }

    /// Reads the changed paths: again if known, for references if new outside the harness;
    /// by a new walk when files appeared or disappeared in the harness.
    fn read_changes(&mut self, paths: &[String]) -> anyhow::Result<Vec<(String, Change)>> {
        let root = self.layout.root.clone();
        let harness_rel = &self.layout.harness_rel;
        let in_harness = |p: &str| harness_rel == "." || p.starts_with(&format!("{harness_rel}/"));
        let structural = paths.iter().any(|p| {
            let abs = root.join(p);
            let known = self.sources.get(p);
            let harness_kind =
                known.is_some_and(|s| !matches!(s.kind, SourceKind::RepoText | SourceKind::RepoMarkdown));
            abs.is_dir()
                || (!abs.exists() && (harness_kind || self.sources.keys().any(|k| k.starts_with(&format!("{p}/")))))
                || (known.is_none()
                    && abs.is_file()
                    && ((p.to_ascii_lowercase().ends_with(".md") && (in_harness(p) || is_root_doc(p)))
                        // A new companion (any extension) or draft: the walk settles what it is.
                        || p.contains("exec-plans/")
                        || named_by(&self.config.drafts, p)
                        || named_by(&self.config.companions, p)))
        });
        if structural {
            return self.rediscover();
        }
        let mut out = Vec::new();
        for p in paths {
            let abs = root.join(p);
            match self.sources.get(p) {
                Some(old) if abs.is_file() => match self.read_as(p, &old.kind) {
                    // Changed, or back to the last good text after a broken save.
                    Ok(Some(s)) if s.text != old.text || self.kept_broken(p) => out.push((p.clone(), Change::Read(s))),
                    Ok(Some(_)) => {}
                    Ok(None) => out.push((p.clone(), Change::Removed)),
                    Err(d) => out.push((p.clone(), Change::Unreadable(d))),
                },
                Some(_) => out.push((p.clone(), Change::Removed)),
                None if abs.is_file() => {
                    if let Ok(Some(s)) = self.read_as(p, &SourceKind::RepoText) {
                        out.push((p.clone(), Change::Read(s)));
                    }
                }
                None => {}
            }
        }
        Ok(out)
    }

    /// Walks the repository again and returns what differs from the files known.
    fn rediscover(&mut self) -> anyhow::Result<Vec<(String, Change)>> {
        let (sources, diags) = discover::discover(&self.layout, &self.config)?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for s in sources {
            seen.insert(s.path.clone());
            match self.sources.get(&s.path) {
                Some(old) if old.text == s.text && old.kind == s.kind && !self.kept_broken(&s.path) => {}
                _ => out.push((s.path.clone(), Change::Read(s))),
            }
        }
        for d in diags {
            seen.insert(d.path.clone());
            out.push((d.path.clone(), Change::Unreadable(Box::new(d))));
        }
        for path in self.sources.keys().filter(|p| !seen.contains(*p)) {
            out.push((path.clone(), Change::Removed));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// Reads a known file again as `kind`: harness files must be UTF-8 (else a diagnostic);
    /// repository files are kept only while they are small text mentioning something. A path
    /// that is no longer a regular file inside the repository (replaced by a symlink to
    /// `/etc/passwd`, say) reads as gone, as the walk would see it.
    fn read_as(&self, rel: &str, kind: &SourceKind) -> Result<Option<Source>, Box<Diagnostic>> {
        let root = &self.layout.root;
        let inside = std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.is_file())
            && crate::paths::Fence::new(root).ok().and_then(|f| f.regular_file(rel)).is_some();
        if !inside {
            return Ok(None);
        }
        match kind {
            SourceKind::RepoText | SourceKind::RepoMarkdown => {
                let abs = root.join(rel);
                let size = abs.metadata().map_or(0, |m| m.len());
                Ok(discover::scan(&abs, rel.to_string(), size))
            }
            kind => discover::read_source(root, rel.to_string(), kind.clone(), self.config.max_file_size).map(Some),
        }
    }

    /// Whether `path` is in the model at its last good version because its new one cannot be
    /// read.
    fn kept_broken(&self, path: &str) -> bool {
        self.file_diags.get(path).is_some_and(|d| d.iter().any(|d| UNREADABLE.contains(&d.code)))
    }

    /// Takes the file at `path` out of the model; the plan it was, if it was one.
    fn remove_model(&mut self, path: &str) -> Option<Box<Plan>> {
        let h = &mut self.harness;
        let plan = h.plans.iter().position(|p| p.path == path).map(|i| Box::new(h.plans.remove(i)));
        h.docs.retain(|d| d.path != path);
        h.mentions.retain(|m| m.path != path);
        if h.debt.as_ref().is_some_and(|d| d.path == path) {
            h.debt = None;
        }
        if h.quality.as_ref().is_some_and(|q| q.path == path) {
            h.quality = None;
        }
        plan
    }

    fn insert_model(&mut self, parsed: Parsed) {
        parse::insert(&mut self.harness, parsed);
    }
}

/// A changed file after parsing: its path, what it now is (source, model, diagnostics), and why
/// it could not be read.
type Reparsed = (String, Option<(Source, Parsed, Vec<Diagnostic>)>, Vec<Diagnostic>);

/// AGENTS.md, PLANS.md and QUALITY_SCORE.md: read even outside the harness.
fn is_root_doc(p: &str) -> bool {
    matches!(p, "AGENTS.md" | "PLANS.md")
        || p.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case("QUALITY_SCORE.md"))
}

impl std::fmt::Debug for Analysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analysis")
            .field("files", &self.sources.len())
            .field("plans", &self.harness.plans.len())
            .finish()
    }
}

/// History options from the config.
fn history_options(config: &Config) -> history::Options {
    history::Options { enabled: config.git, authors: config.git_authors, stale_after_days: config.stale_after_days }
}

/// Whether a `drafts:` or `companions:` list names `rel`.
fn named_by(globs: &[String], rel: &str) -> bool {
    !globs.is_empty() && discover::glob_set("", globs).is_ok_and(|set| set.is_match(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `apply` and `link_again`, as watch mode runs them.
    fn apply_and_link(a: &mut Analysis, paths: &[String]) -> Applied {
        let mut applied = a.apply(paths).unwrap();
        a.link_again(&mut applied);
        applied
    }

    const PLAN: &str = "docs/harness/exec-plans/active";

    fn plan(n: u32, title: &str) -> String {
        format!("# EP-{n:03}: {title}\n\n**Status**: active\n\n## Goal\n\nSee EP-002.\n")
    }

    fn load(root: &std::path::Path) -> Analysis {
        let config = Config::default();
        let layout = discover::locate(root, &config).unwrap();
        Analysis::load(&layout, &config, None).unwrap()
    }

    #[test]
    fn apply_takes_edits_new_files_removals_and_keeps_broken_files() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join(PLAN)).unwrap();
        std::fs::write(root.join(PLAN).join("001-a.md"), plan(1, "A")).unwrap();
        std::fs::write(root.join(PLAN).join("002-b.md"), plan(2, "B")).unwrap();
        let mut a = load(root);
        assert_eq!(a.harness.plans.len(), 2);
        let rel = |f: &str| format!("{PLAN}/{f}");

        // An edit: the plan as it was comes back, the model has the new title.
        std::fs::write(root.join(rel("001-a.md")), plan(1, "A renamed")).unwrap();
        let applied = apply_and_link(&mut a, &[rel("001-a.md")]);
        assert_eq!(applied.paths, [rel("001-a.md")]);
        assert_eq!(applied.plans[0].1.as_ref().map(|p| p.title.as_str()), Some("A"));
        assert_eq!(a.harness.plans[0].title, "A renamed");
        assert!(!applied.old_graph.edges.is_empty(), "the graph before the edit");

        // Nothing changed: nothing applied.
        assert!(apply_and_link(&mut a, &[rel("001-a.md")]).paths.is_empty());

        // A new plan (a new walk) and a removed one.
        std::fs::write(root.join(rel("003-c.md")), plan(3, "C")).unwrap();
        std::fs::remove_file(root.join(rel("002-b.md"))).unwrap();
        let applied = apply_and_link(&mut a, &[rel("003-c.md"), rel("002-b.md")]);
        assert_eq!(applied.plans.len(), 2);
        let titles: Vec<&str> = a.harness.plans.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["A renamed", "C"]);
        assert!(a.report().diagnostics().iter().any(|d| d.code == Code::UnresolvedPlan), "EP-002 is gone");

        // A file that becomes unreadable keeps its last good version, with the diagnostic.
        std::fs::write(root.join(rel("003-c.md")), b"# EP-003: \xff\n").unwrap();
        let applied = apply_and_link(&mut a, &[rel("003-c.md")]);
        assert_eq!(applied.kept, [rel("003-c.md")]);
        assert!(a.harness.plans.iter().any(|p| p.title == "C"));
        assert!(a.report().diagnostics().iter().any(|d| d.code == Code::UnreadableFile));
        // Restored: taken again.
        std::fs::write(root.join(rel("003-c.md")), plan(3, "C")).unwrap();
        assert_eq!(apply_and_link(&mut a, &[rel("003-c.md")]).kept.len(), 0);
        assert!(!a.report().diagnostics().iter().any(|d| d.code == Code::UnreadableFile));
    }

    #[test]
    fn load_equals_a_fresh_load_after_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join(PLAN)).unwrap();
        std::fs::write(root.join(PLAN).join("001-a.md"), plan(1, "A")).unwrap();
        let mut a = load(root);
        std::fs::write(root.join(PLAN).join("002-b.md"), plan(2, "B")).unwrap();
        std::fs::write(root.join("AGENTS.md"), "Read EP-001 first.\n").unwrap();
        apply_and_link(&mut a, &[format!("{PLAN}/002-b.md"), "AGENTS.md".to_string()]);
        let fresh = load(root);
        let json = |a: &Analysis| serde_json::to_string(&a.harness).unwrap();
        assert_eq!(json(&a), json(&fresh));
        assert_eq!(a.report().render_json(&Default::default()), fresh.report().render_json(&Default::default()));
    }
}
