//! Session: the last build kept in memory, so that watch mode rebuilds only what an edit changes.
//!
//! A session starts with a full build (atomic, like `planbook build`) and keeps the `Analysis`
//! (the files read and the model, which `Analysis::apply` keeps current: only changed files are
//! read and parsed again) and what is watch mode's own: what each page in the output folder
//! holds (a hash per URL), the live folder and the theme. An update applies the changed files
//! to the analysis and works out which pages the edit can have changed:
//!
//! - the edited plan's page, always;
//! - when what listings show of a plan changed (its title, status, steps, decisions, dates,
//!   retrospective: `PlanKeys`), the listing groups that show that part, its neighbours (which
//!   show its title) and every page that refers to it or that it refers to (hover titles,
//!   backlinks);
//! - pages whose incoming references changed ("Referenced by");
//! - everything, when plans appear, disappear or move, or the navigation changes.
//!
//! The edited plans' own pages are rendered and written first and handed to the caller (watch
//! mode reloads them at once), then the rest. Those pages are rendered; a page is written only when its bytes differ from what is on disk
//! (unchanged pages keep their mtime), each file atomically (written aside, then renamed), and
//! pages that no longer exist are removed. A file that stops being readable (bad UTF-8, broken
//! front matter) keeps its last good version in the model, so the site keeps serving it while
//! the diagnostic is shown.

use crate::analysis::Analysis;
use crate::diag::Report;
use crate::link::{Graph, NodeId};
use crate::model::Plan;
use crate::parse::HtmlOptions;
use crate::render::{Group, Selection, theme::Theme};
use crate::{Project, search, site, write};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A live site and what it was built from.
pub struct Session {
    project: Project,
    base_url: Option<String>,
    theme: Theme,
    title: String,
    /// The model, kept up to date by `Analysis::apply`.
    analysis: Analysis,
    /// What the output folder holds: URL → (group, hash of the bytes).
    pages: HashMap<String, (Group, u64)>,
    /// Files of the search index in the output folder: path → hash.
    search_files: HashMap<String, u64>,
    /// Sitemap, robots.txt, CNAME: path → hash.
    extras: HashMap<String, u64>,
    /// Repository images the pages show (copied to `files/`).
    images: std::collections::BTreeSet<String>,
    /// A write failed: the next update renders every page.
    render_all: bool,
    /// The output folder, canonical, and the files it holds.
    live: write::LiveSite,
    /// `--force` as given (checked again before a rebuild of a removed folder).
    force: bool,
}

/// What an update did.
#[derive(Debug, Default)]
pub struct Update {
    /// Files that changed (read again, or gone).
    pub files: usize,
    /// Pages rendered.
    pub rendered: usize,
    /// Pages (and other files) written because their bytes changed.
    pub written: usize,
    /// Pages removed because they no longer exist.
    pub removed: usize,
    /// Whether every page was rendered.
    pub full: bool,
    /// Time from the first read to the last page written.
    pub took: Duration,
    /// Files whose new version could not be read: the site keeps their last good version.
    pub kept: Vec<String>,
    /// Time to read, parse, link and check the changed files.
    pub read: Duration,
    /// Time from the first read to the edited plans' own pages written, when there were any.
    pub first: Option<Duration>,
    /// URLs of the pages written or removed after those (all of them with `full`).
    pub pages: Vec<String>,
}

/// What the search index update did.
#[derive(Debug, Default)]
pub struct SearchUpdate {
    /// Files written.
    pub written: usize,
    /// Files removed.
    pub removed: usize,
    /// Time taken.
    pub took: Duration,
}

impl Session {
    /// Builds the whole site (atomically, as `planbook build` does) and keeps what it was built
    /// from.
    pub fn start(project: Project, base_url: Option<String>, force: bool) -> anyhow::Result<Session> {
        let out = write::check_output(&project.output, &project.root, &project.layout.harness(), force)?;
        let (html, theme) = rayon::join(
            || HtmlOptions::new(project.config.allow_html),
            || Theme::load(&project.root, project.config.theme.as_deref()),
        );
        let theme = theme?;
        let analysis = Analysis::load(&project.layout, &project.config, Some(html))?;
        let title = project.config.title.clone().unwrap_or_else(|| crate::default_title(&project.root));
        let mut session = Session {
            project,
            base_url,
            theme,
            title,
            analysis,
            pages: HashMap::new(),
            search_files: HashMap::new(),
            extras: HashMap::new(),
            images: Default::default(),
            render_all: false,
            live: write::LiveSite::new(&out, Default::default()),
            force,
        };
        session.write_all()?;
        Ok(session)
    }

    /// The diagnostics of the current model, as `check` would report them.
    pub fn report(&self) -> Report {
        self.analysis.report()
    }

    /// The project being watched.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Number of pages in the output folder.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Sitemap, robots.txt and CNAME for the pages in `urls`.
    fn publishing_files<'a>(&self, urls: impl Iterator<Item = &'a String>) -> Vec<(String, Vec<u8>)> {
        let base = self.base_url.as_deref().or(self.project.config.base_url.as_deref());
        site::publishing_files(urls.map(String::as_str), base, self.project.config.cname.as_deref())
    }

    fn input(&self) -> site::SiteInput<'_> {
        site::SiteInput {
            harness: &self.analysis.harness,
            index: &self.analysis.index,
            graph: &self.analysis.graph,
            theme: &self.theme,
            title: &self.title,
            repo_url: self.project.config.repo_url.as_deref(),
            base_url: self.base_url.as_deref().or(self.project.config.base_url.as_deref()),
            language: self.project.config.language.as_deref(),
        }
    }

    /// Whether the output folder is still the site written; when someone removed it, builds
    /// it again whole and says so.
    pub fn repair(&mut self) -> anyhow::Result<bool> {
        if self.live.is_intact() {
            return Ok(false);
        }
        self.write_all()?;
        Ok(true)
    }

    /// The first build: every page and the search index into a fresh folder, swapped into place.
    fn write_all(&mut self) -> anyhow::Result<()> {
        let project = &self.project;
        let out = write::check_output(&project.output, &project.root, &project.layout.harness(), self.force)?;
        let writer = write::SiteWriter::create(&out)?;
        let pages: Mutex<HashMap<String, (Group, u64)>> = Mutex::default();
        let whole = site::Whole { root: &self.project.root, cname: self.project.config.cname.as_deref() };
        let done = site::write_all(&self.input(), whole, &writer, &|url, group, bytes| {
            pages.lock().expect("no panic while holding the lock").insert(url.to_string(), (group, hash(bytes)));
            Ok(())
        })?;
        self.live = write::LiveSite::new(&out, writer.commit()?);
        // `--force` adopts an old site once; from now on the folder carries planbook's marker.
        self.force = false;
        self.render_all = false;
        self.pages = pages.into_inner().expect("no panic while holding the lock");
        self.images = done.pass.images;
        self.search_files = done.search.files.iter().map(|(p, b)| (p.clone(), hash(b))).collect();
        self.extras = done.publishing.iter().map(|(p, b)| (p.clone(), hash(b))).collect();
        Ok(())
    }

    /// Rebuilds after the files at `paths` (relative to the root, `/`-separated) changed. Writes
    /// nothing when the output folder is no longer the site written (see `repair`). When pages
    /// changed, the folder stays flagged as being updated until `update_search` (which follows
    /// every update that read files) writes its marker: the marker, a megabyte at 10,000 plans,
    /// is not written between an edit and the reload of its page.
    ///
    /// `first` is called with the URLs of the edited plans' own pages as soon as those are
    /// written (before listings and other pages are rendered), when any changed.
    pub fn update(&mut self, paths: &[String], first: &mut dyn FnMut(&[String])) -> anyhow::Result<Update> {
        self.live.begin()?;
        let update = self.update_pages(paths, first);
        if update.as_ref().is_ok_and(|u| u.files > 0) {
            return update;
        }
        let finished = self.live.finish();
        let update = update?;
        finished?;
        Ok(update)
    }

    fn update_pages(&mut self, paths: &[String], first: &mut dyn FnMut(&[String])) -> anyhow::Result<Update> {
        let t = Instant::now();
        let mut images_written = 0;
        for image in paths.iter().filter(|p| self.images.contains(*p)) {
            images_written += usize::from(self.copy_image(image)?);
        }
        let before = Snapshot::of(self);
        let mut applied = self.analysis.apply(paths)?;
        let mut update = Update {
            files: applied.paths.len() + images_written,
            written: images_written,
            kept: applied.kept.clone(),
            read: t.elapsed(),
            ..Update::default()
        };
        if applied.paths.is_empty() {
            update.took = t.elapsed();
            return Ok(update);
        }
        // The edited plans' own pages first, before linking the whole model again and rendering
        // the listings (at 10,000 plans, a tenth of a second and megabytes of pages): the page
        // being edited shows the edit at once. Rendered with the links as they were; the pages
        // are rendered again below, and written again if linking changed them (a new
        // reference, say).
        let own = self.own_pages(&applied, &before);
        if !own.is_empty() {
            let done = self
                .write_selected(&Selection { plans: own, ..Selection::default() })
                .inspect_err(|_| self.render_all = true)?;
            update.rendered += done.rendered;
            update.written += done.written;
            update.first = Some(t.elapsed());
            if !done.urls.is_empty() {
                first(&done.urls);
            }
        }
        self.analysis.link_again(&mut applied);
        // What the changed files referred to before (their "Referenced by" panels may change).
        let refs_before: Vec<(Vec<NodeId>, u64)> =
            applied.paths.iter().map(|p| refs_written_in(&applied.old_graph, p)).collect();
        let changed_plans: Vec<(String, Option<PlanKeys>)> =
            applied.plans.iter().map(|(path, old)| (path.clone(), old.as_deref().map(PlanKeys::of))).collect();
        let (other_changed, paths_changed, debt_path) = (applied.other, &applied.paths, applied.debt_path.as_deref());
        let mut select = self.affected(&before, &changed_plans, other_changed, paths_changed, debt_path);
        if std::mem::take(&mut self.render_all) {
            select = Selection::all();
        }
        // "Referenced by" panels of what the changed files refer to (before and after).
        if !select.all {
            for (path, (old_targets, old_hash)) in paths_changed.iter().zip(refs_before) {
                let (new_targets, new_hash) = refs_written_in(&self.analysis.graph, path);
                if new_hash != old_hash {
                    for n in old_targets.into_iter().chain(new_targets) {
                        self.select_node(&mut select, n);
                    }
                }
            }
        }
        update.full = select.all;
        if !select.is_empty() {
            let done = self.write_selected(&select).inspect_err(|_| self.render_all = true)?;
            update.rendered += done.rendered;
            update.written += done.written;
            update.removed += done.removed;
            update.pages = done.urls;
        }
        update.took = t.elapsed();
        Ok(update)
    }

    /// Rebuilds the search index and writes the files that changed (content-named shards keep
    /// their names when their content is unchanged), removing the ones no longer used.
    pub fn update_search(&mut self) -> anyhow::Result<SearchUpdate> {
        self.live.begin()?;
        let update = self.write_search();
        let finished = self.live.finish();
        let update = update?;
        finished?;
        Ok(update)
    }

    fn write_search(&mut self) -> anyhow::Result<SearchUpdate> {
        let t = Instant::now();
        let index = search::build(&search::records::records(&self.analysis.harness, &self.analysis.index));
        let fresh: HashMap<String, u64> = index.files.iter().map(|(p, b)| (p.clone(), hash(b))).collect();
        let mut result = SearchUpdate::default();
        let changed = index
            .files
            .iter()
            .filter(|(path, _)| self.search_files.get(path) != Some(&fresh[path]))
            .map(|(path, bytes)| (path.as_str(), bytes.as_slice()));
        result.written = changed.clone().count();
        self.live.replace_files(changed)?;
        for path in self.search_files.keys().filter(|p| !fresh.contains_key(*p)) {
            self.live.remove_file(path)?;
            result.removed += 1;
        }
        self.search_files = fresh;
        result.took = t.elapsed();
        Ok(result)
    }

    /// Copies a repository image into `files/` when it differs from the copy there; whether it
    /// did.
    fn copy_image(&self, image: &str) -> anyhow::Result<bool> {
        // Only regular files inside the repository (see `site::write_all`).
        let fence = crate::paths::Fence::new(&self.project.root).ok();
        let Some(src) = fence.and_then(|f| site::image_source(&f, image)) else {
            return Ok(false);
        };
        let dest = format!("{}/{image}", crate::rewrite::FILES_DIR);
        let Ok(bytes) = std::fs::read(&src) else { return Ok(false) };
        if std::fs::read(self.live.path().join(&dest)).is_ok_and(|old| old == bytes) {
            return Ok(false);
        }
        self.live.replace_file(&dest, &bytes)?;
        Ok(true)
    }

    /// The plans (indices) whose own pages can be rendered right after `apply`, before linking
    /// again: every changed file is a plan that was there before and still is, at the same place
    /// in the plan list with the same number and URL, so the index and graph of before still
    /// describe the plan list. None when a plan appeared, went or moved.
    fn own_pages(&self, applied: &crate::analysis::Applied, before: &Snapshot) -> std::collections::BTreeSet<usize> {
        let plans = &self.analysis.harness.plans;
        let index = &self.analysis.index;
        let mut own = std::collections::BTreeSet::new();
        if applied.other || applied.plans.len() != applied.paths.len() || plans.len() != before.plan_urls.len() {
            return own;
        }
        for (path, old) in &applied.plans {
            let Some(old) = old else { return Default::default() };
            let Some(i) = plans.iter().position(|p| &p.path == path) else { return Default::default() };
            let same_place = index.by_source.get(path).is_some_and(|url| before.plan_urls.get(i) == Some(url));
            if !same_place || plans[i].number != old.number || plans[i].stem != old.stem {
                return Default::default();
            }
            own.insert(i);
        }
        own
    }

    /// The pages an update can have changed (see the module docs).
    fn affected(
        &self,
        before: &Snapshot,
        changed: &[(String, Option<PlanKeys>)],
        other: bool,
        paths: &[String],
        debt_path: Option<&str>,
    ) -> Selection {
        let now = Snapshot::of(self);
        if now.plan_urls != before.plan_urls || now.nav != before.nav || now.newest != before.newest {
            return Selection::all();
        }
        let mut select = Selection::default();
        let plan_at = |path: &str| self.analysis.harness.plans.iter().position(|p| p.path == path);
        for (path, old) in changed {
            let Some(i) = plan_at(path) else { return Selection::all() };
            select.plans.insert(i);
            let new = PlanKeys::of(&self.analysis.harness.plans[i]);
            let Some(old) = old else { return Selection::all() };
            if new.timeline != old.timeline {
                select.groups.insert(Group::Timeline);
            }
            if new.archive != old.archive {
                select.groups.insert(Group::Archive);
            }
            if new.label != old.label {
                // Its hover title on `EP-NNN` links, which decisions and lessons also carry.
                select.groups.extend([Group::Timeline, Group::Archive]);
            }
            if new.summary != old.summary {
                select.groups.insert(Group::Lists);
                select
                    .plans
                    .extend([i.wrapping_sub(1), i + 1].into_iter().filter(|&j| j < self.analysis.harness.plans.len()));
                let node = NodeId::Plan(i);
                let near = self
                    .analysis
                    .graph
                    .refs_to(node)
                    .map(|e| e.from)
                    .chain(self.analysis.graph.refs_from(node).map(|e| e.to));
                for n in near.collect::<Vec<_>>() {
                    self.select_node(&mut select, n);
                }
            }
        }
        if other {
            // A doc, the tracker, the quality score or a source file: listings show them all.
            select.groups.insert(Group::Lists);
            let h = &self.analysis.harness;
            for (i, d) in h.docs.iter().enumerate() {
                if paths.contains(&d.path) {
                    select.docs.insert(i);
                    // A companion is shown on its plan's page.
                    if let Some(owner) = &d.owner {
                        select.plans.extend(h.plans.iter().position(|p| &p.path == owner));
                    }
                }
            }
            // A companion that was removed, or one beside its plan: the plan sharing its stem.
            for path in paths.iter().filter(|p| p.contains("exec-plans/")) {
                let name = path.rsplit('/').next().unwrap_or(path);
                for (i, p) in h.plans.iter().enumerate() {
                    if name.len() > p.stem.len() && name.starts_with(&p.stem) && name[p.stem.len()..].starts_with('.') {
                        select.plans.insert(i);
                    }
                }
            }
            let tracker = self.analysis.harness.debt.as_ref().map(|d| d.path.as_str()).or(debt_path);
            if tracker.is_some_and(|t| paths.iter().any(|p| p == t)) {
                // Hover titles of `TD-NNN` links, in decisions and lessons too.
                select.groups.extend([Group::Timeline, Group::Archive]);
                // Hover titles of `TD-NNN` links on the pages that name debt items.
                let debt_refs: Vec<NodeId> = self
                    .analysis
                    .graph
                    .edges
                    .iter()
                    .filter(|e| matches!(e.to, NodeId::Debt(_) | NodeId::Tracker))
                    .map(|e| e.from)
                    .collect();
                for n in debt_refs {
                    self.select_node(&mut select, n);
                }
            }
        }
        select
    }

    fn select_node(&self, select: &mut Selection, node: NodeId) {
        match node {
            NodeId::Plan(i) => {
                select.plans.insert(i);
            }
            NodeId::Doc(i) => {
                select.docs.insert(i);
            }
            NodeId::Debt(_) | NodeId::Tracker | NodeId::Quality(_) | NodeId::QualityDoc => {
                select.groups.insert(Group::Lists);
            }
            NodeId::File(_) => {}
        }
    }

    /// Renders the selection into the live folder: changed pages written, stale ones removed.
    /// Returns (rendered, written, removed).
    fn write_selected(&mut self, select: &Selection) -> anyhow::Result<Written> {
        let live = &self.live;
        let emitted: Mutex<Vec<(String, Group, u64, bool)>> = Mutex::default();
        let pages = &self.pages;
        let pass = site::render(&self.input(), select, &|url, group, bytes| {
            let h = hash(bytes);
            let changed = pages.get(url).is_none_or(|(_, old)| *old != h);
            if changed {
                live.replace_file(url, bytes)?;
            }
            emitted.lock().expect("no panic while holding the lock").push((url.to_string(), group, h, changed));
            Ok(())
        })?;
        let emitted = emitted.into_inner().expect("no panic while holding the lock");
        let rendered = emitted.len();
        let written = emitted.iter().filter(|e| e.3).count();
        let emitted_urls: Vec<String> = emitted.iter().filter(|e| e.3).map(|e| e.0.clone()).collect();
        // Pages that no longer exist: plan and doc pages without a plan or doc, and pages of a
        // re-rendered listing group that it no longer has.
        let live: HashSet<&str> =
            self.analysis.index.plan_urls.iter().chain(&self.analysis.index.doc_urls).map(String::as_str).collect();
        let now: HashSet<&str> = emitted.iter().map(|e| e.0.as_str()).collect();
        let stale: Vec<String> = self
            .pages
            .iter()
            .filter(|(url, (group, _))| match group {
                Group::Plan | Group::Doc => !live.contains(url.as_str()),
                g => (select.all || select.groups.contains(g)) && !now.contains(url.as_str()),
            })
            .map(|(url, _)| url.clone())
            .collect();
        for url in &stale {
            self.live.remove_file(url)?;
            self.pages.remove(url);
        }
        for (url, group, h, _) in emitted {
            self.pages.insert(url, (group, h));
        }
        let mut written = written;
        let urls: Vec<String> = emitted_urls.into_iter().chain(stale.iter().cloned()).collect();
        for (path, bytes) in self.publishing_files(self.pages.keys()) {
            let h = hash(&bytes);
            if self.extras.get(&path) != Some(&h) {
                self.live.replace_file(&path, &bytes)?;
                self.extras.insert(path, h);
                written += 1;
            }
        }
        for image in pass.images {
            if !self.images.contains(&image) {
                self.copy_image(&image)?;
                self.images.insert(image);
            }
        }
        Ok(Written { rendered, written, removed: stale.len(), urls })
    }
}

/// What `write_selected` did.
struct Written {
    rendered: usize,
    written: usize,
    removed: usize,
    /// Pages written or removed.
    urls: Vec<String>,
}

/// What listings show of a plan, hashed by part, without positions (an edit above a decision
/// moves it down a line but does not change the timeline).
#[derive(Debug, Clone, PartialEq, Eq)]
struct PlanKeys {
    /// Everything but the body (sections' HTML, intro, context).
    summary: u64,
    /// What the timeline shows: identity, status, author and decisions.
    timeline: u64,
    /// What the archive shows: identity, status, dates and the retrospective.
    archive: u64,
    /// What `EP-NNN` links to it say on hover: number, title, status.
    label: u64,
}

impl PlanKeys {
    fn of(p: &Plan) -> PlanKeys {
        let mut v = serde_json::to_value(p).unwrap_or_default();
        strip(&mut v, &["span", "title_span", "end_line", "line_count"]);
        let pick = |keys: &[&str]| {
            let obj: serde_json::Map<String, serde_json::Value> =
                keys.iter().filter_map(|k| v.get(*k).map(|x| (k.to_string(), x.clone()))).collect();
            hash(&serde_json::to_vec(&obj).unwrap_or_default())
        };
        let identity = ["path", "stem", "number", "title", "status", "author", "owner", "folder"];
        let timeline = pick(&[&identity[..], &["decisions", "created", "completed"]].concat());
        let archive = pick(&[&identity[..], &["retrospective", "created", "completed"]].concat());
        let label = pick(&["number", "title", "status"]);
        strip(&mut v, &["sections", "intro_html", "context"]);
        PlanKeys { summary: hash(&serde_json::to_vec(&v).unwrap_or_default()), timeline, archive, label }
    }
}

/// Removes `keys` from every object in `v`, recursively.
fn strip(v: &mut serde_json::Value, keys: &[&str]) {
    match v {
        serde_json::Value::Object(map) => {
            for k in keys {
                map.remove(*k);
            }
            map.values_mut().for_each(|x| strip(x, keys));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|x| strip(x, keys)),
        _ => {}
    }
}

fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

fn model_hash<T: serde::Serialize>(t: &T) -> u64 {
    hash(&serde_json::to_vec(t).unwrap_or_default())
}

/// What decides whether every page must be rendered.
struct Snapshot {
    plan_urls: Vec<String>,
    /// The navigation every page shows: docs and their titles, which sections exist.
    nav: u64,
    /// "Now" for the whole site.
    newest: Option<jiff::civil::Date>,
}

impl Snapshot {
    fn of(s: &Session) -> Snapshot {
        let h = &s.analysis.harness;
        let nav: Vec<(&str, &str)> = h.docs.iter().map(|d| (d.path.as_str(), d.title.as_str())).collect();
        Snapshot {
            plan_urls: s.analysis.index.plan_urls.clone(),
            // The detected language is on every page's `<html lang>`.
            nav: model_hash(&(
                nav,
                h.debt.is_some(),
                h.quality.is_some(),
                &s.analysis.index.doc_urls,
                crate::render::detect_language(h),
            )),
            newest: crate::render::newest_date(h),
        }
    }
}

/// The references written in the file at `path`: their targets, and a hash of what the pages of
/// those targets show of them ("Referenced by": who, which relation, and the line for code).
fn refs_written_in(graph: &Graph, path: &str) -> (Vec<NodeId>, u64) {
    let mut buf = Vec::new();
    let mut targets = Vec::new();
    for e in graph.edges.iter().filter(|e| e.path == path) {
        targets.push(e.to);
        let line = if matches!(e.from, NodeId::File(_)) { e.span.line } else { 0 };
        buf.extend_from_slice(format!("{:?}\0{:?}\0{:?}\0{line}\0", e.from, e.to, e.relation).as_bytes());
    }
    (targets, hash(&buf))
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("root", &self.project.root).field("pages", &self.pages.len()).finish()
    }
}
