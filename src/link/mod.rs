//! Link: where every page lives, and what refers to what.
//!
//! In: the `Harness`. Out: a `SiteIndex` (page URLs for plans and docs, the source path → page
//! map used to rewrite `.md` links, lookups by number) and, in `graph.rs`, the reference `Graph`
//! with the diagnostics of references that do not resolve. Page URLs are the site's contract:
//! `plans/<stem>/index.html`, `docs/<stem>/index.html`, `debt/index.html`, `quality/index.html`.
//! Pure: no filesystem.

pub mod graph;

pub use graph::{Edge, Graph, NodeId, resolve};

use crate::model::{DebtId, DocKind, Harness, PlanNumber};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// URLs of the fixed pages.
pub const DASHBOARD: &str = "index.html";
/// All plans.
pub const PLANS: &str = "plans/index.html";
/// The debt tracker.
pub const DEBT: &str = "debt/index.html";
/// Quality scores.
pub const QUALITY: &str = "quality/index.html";
/// The list of docs.
pub const DOCS: &str = "docs/index.html";
/// The relation graph.
pub const GRAPH: &str = "graph/index.html";
/// The decision timeline (first page).
pub const TIMELINE: &str = "timeline/index.html";
/// Undated decisions.
pub const TIMELINE_UNDATED: &str = "timeline/undated/index.html";
/// The retrospective archive (first page).
pub const RETROSPECTIVES: &str = "retrospectives/index.html";
/// The lessons list (first page).
pub const LESSONS: &str = "retrospectives/lessons/index.html";
/// Charts.
pub const CHARTS: &str = "charts/index.html";
/// The Atom feed.
pub const FEED: &str = "feed.xml";
/// The search page.
pub const SEARCH: &str = "search/index.html";
/// Where drafts' pages go: `proposals/<stem>/index.html`; they are listed on the docs page.
pub const PROPOSALS: &str = "proposals/";

/// Every page URL (relative to the site root, `/`-separated, ending in `index.html`).
#[derive(Debug, Default, Clone)]
pub struct SiteIndex {
    /// URL of each plan, by index into `Harness::plans`.
    pub plan_urls: Vec<String>,
    /// URL of each doc, by index into `Harness::docs`.
    pub doc_urls: Vec<String>,
    /// Source path (relative to the root) → page URL, for every file that became a page.
    pub by_source: HashMap<String, String>,
    /// Plan index by number (the first plan when numbers collide).
    pub plan_by_number: BTreeMap<PlanNumber, usize>,
    /// Debt items that exist, by ID, with their anchors.
    pub debt_anchors: HashMap<DebtId, String>,
    /// Debt item index (into `DebtTracker::items`) by ID.
    pub debt_by_id: HashMap<DebtId, usize>,
    /// Files whose page path differed only in letter case from an earlier file's (given a
    /// suffix instead; reported as W035): (path, the earlier path).
    pub case_collisions: Vec<(String, String)>,
    /// Companion files (indices into `Harness::docs`) by their plan's path, in path order.
    pub companions_of: HashMap<String, Vec<usize>>,
    /// The harness folder (`Harness::harness_dir`), for paths written from it
    /// (`exec-plans/active/x.md`).
    pub harness_dir: String,
    /// Plan indices by lower-cased file stem (two when the same file is in two state folders).
    pub plan_by_stem: HashMap<String, Vec<usize>>,
    /// Plan indices by lower-cased slug: the stem without its number or date (`x-cutover` for
    /// `0033-x-cutover`).
    pub plan_by_slug: HashMap<String, Vec<usize>>,
}

/// How a plan name or the path of a file that is not there was matched to a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    /// The same file name (the plan moved to another folder).
    Stem,
    /// The same name without its number or date (the plan was renumbered).
    Slug,
    /// The same number alone: no plan has the name now.
    Number,
}

/// A plan file stem without its number or date prefix: `x-cutover` for `0033-x-cutover` and
/// `2026-03-12-x-cutover`; the stem itself when it has neither.
pub fn plan_slug(stem: &str) -> &str {
    let prefix = match crate::parse::date_prefix_len(stem) {
        Some(len) => len,
        None if crate::parse::file_number(stem).is_some() => stem.bytes().take_while(u8::is_ascii_digit).count(),
        None => 0,
    };
    // The prefix is ASCII (digits and `-`): the cut is on a character boundary.
    stem.get(prefix..).unwrap_or(stem).trim_start_matches(['-', '_'])
}

impl SiteIndex {
    /// The page a link to `target` (a path relative to the root, possibly with `#fragment`)
    /// reaches, if the file became a page: the page URL and the fragment.
    pub fn page_for<'a>(&self, target: &'a str) -> Option<(&str, Option<&'a str>)> {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        let path = self.from_harness(path);
        if let Some(url) = self.by_source.get(path.as_ref()) {
            return Some((url.as_str(), fragment));
        }
        // The old path of a plan that moved or was renumbered (reported as W029).
        let (i, _) = self.moved_plan(&path)?;
        Some((self.plan_urls[i].as_str(), fragment))
    }

    /// `path` (root-relative, without fragment) as the file it means: a path starting
    /// `exec-plans/` that is no page is read from the harness folder (`exec-plans/active/x.md`
    /// written in AGENTS.md or a doc).
    pub fn from_harness<'a>(&self, path: &'a str) -> Cow<'a, str> {
        if self.harness_dir != "." && path.starts_with("exec-plans/") && !self.by_source.contains_key(path) {
            Cow::Owned(format!("{}/{path}", self.harness_dir))
        } else {
            Cow::Borrowed(path)
        }
    }

    /// Whether `path` (root-relative) is inside the harness folder.
    pub fn in_harness(&self, path: &str) -> bool {
        self.harness_dir == "."
            || path.strip_prefix(self.harness_dir.as_str()).is_some_and(|rest| rest.starts_with('/'))
    }

    /// The plan that the path of a plan file which is not there names: a `.md` file under the
    /// harness's `exec-plans/`, matched by `plan_named`.
    pub fn moved_plan(&self, path: &str) -> Option<(usize, Found)> {
        let in_plans = path.starts_with("exec-plans/") || path.contains("/exec-plans/");
        if !in_plans || !self.in_harness(path) {
            return None;
        }
        let name = path.rsplit('/').next()?;
        let stem = name.get(..name.len().checked_sub(3)?).filter(|_| name.to_ascii_lowercase().ends_with(".md"))?;
        self.plan_named(stem)
    }

    /// The plan a file stem names: the plan with that stem; else the one with its slug (the
    /// one with the same number first when several share it); else, only when no plan has the
    /// slug, the plan with its number.
    pub fn plan_named(&self, stem: &str) -> Option<(usize, Found)> {
        let lower = stem.to_lowercase();
        if let Some(&i) = self.plan_by_stem.get(&lower).and_then(|v| v.first()) {
            return Some((i, Found::Stem));
        }
        let number = crate::parse::file_number(stem);
        let slug = plan_slug(&lower);
        if let Some(same) = self.plan_by_slug.get(slug).filter(|_| !slug.is_empty()) {
            let numbered = number.and_then(|n| self.plan_by_number.get(&n));
            let pick = same.iter().copied().find(|i| Some(i) == numbered);
            if let Some(i) = pick.or_else(|| same.first().copied()) {
                return Some((i, Found::Slug));
            }
        }
        let &i = self.plan_by_number.get(&number?)?;
        Some((i, Found::Number))
    }
}

/// A file stem as a URL path segment: ASCII characters that would need percent-encoding (`#`,
/// `?`, `%`, spaces...) become `-`, so a URL can be written into `href`s, the sitemap and the
/// search index as is. `NNN-short-name` stems are unchanged.
pub fn url_segment(stem: &str) -> String {
    stem.chars()
        .map(|c| if !c.is_ascii() || c.is_ascii_alphanumeric() || "-._~".contains(c) { c } else { '-' })
        .collect()
}

/// Page path segments taken so far, compared without regard to case: on a case-insensitive disk
/// (macOS, Windows) `plans/001-Foo/` and `plans/001-foo/` are one folder, so the second page
/// would overwrite the first.
#[derive(Default)]
struct Segments {
    taken: crate::slug::Taken,
    /// Lower-cased segment → (the segment as first given, its file).
    first: HashMap<String, (String, String)>,
}

impl Segments {
    /// `segment` for the file at `path`, with `-2`, `-3`... appended when it is taken (in any
    /// letter case); a case-only collision is recorded.
    fn unique(&mut self, segment: String, path: &str, collisions: &mut Vec<(String, String)>) -> String {
        let lower = segment.to_lowercase();
        let got = crate::slug::unique(lower.clone(), &mut self.taken);
        // `got` is `lower` or `lower` plus a suffix: the cut is on a character boundary.
        let suffix = got.get(lower.len()..).unwrap_or_default();
        match self.first.get(&lower) {
            Some((seen, other)) if !suffix.is_empty() && *seen != segment => {
                collisions.push((path.to_string(), other.clone()));
            }
            Some(_) => {}
            None => {
                self.first.insert(lower, (segment.clone(), path.to_string()));
            }
        }
        format!("{segment}{suffix}")
    }
}

/// Assigns every page its URL.
pub fn index(harness: &Harness) -> SiteIndex {
    let mut idx = SiteIndex { harness_dir: harness.harness_dir.clone(), ..SiteIndex::default() };
    let mut segments = Segments::default();
    for (i, plan) in harness.plans.iter().enumerate() {
        let stem = plan.stem.to_lowercase();
        idx.plan_by_slug.entry(plan_slug(&stem).to_string()).or_default().push(i);
        idx.plan_by_stem.entry(stem).or_default().push(i);
        // Stems are unique in a healthy tree; a duplicate (the same file in two state folders)
        // gets a suffix rather than overwriting the other page.
        let stem = segments.unique(url_segment(&plan.stem), &plan.path, &mut idx.case_collisions);
        let url = format!("plans/{stem}/index.html");
        idx.by_source.insert(plan.path.clone(), url.clone());
        idx.plan_urls.push(url);
        if let Some(n) = plan.number {
            idx.plan_by_number.entry(n).or_insert(i);
        }
    }
    // Docs are keyed by stem; stems that repeat (README.md in two folders) use their path.
    let mut stem_count: HashMap<&str, usize> = HashMap::new();
    for d in &harness.docs {
        *stem_count.entry(d.stem.as_str()).or_default() += 1;
    }
    let mut segments = Segments::default();
    let mut drafts = Segments::default();
    let mut anchors: HashMap<String, crate::slug::Taken> = HashMap::new();
    for (i, d) in harness.docs.iter().enumerate() {
        // A companion is a panel on its plan's page.
        if let Some(owner) = d.owner.as_deref().filter(|_| d.kind == DocKind::Companion) {
            idx.companions_of.entry(owner.to_string()).or_default().push(i);
            // Unique on the plan's page: `a.x-y.md` and `a.x.y.md` slug alike.
            let anchor = crate::slug::unique(companion_anchor(&d.path), anchors.entry(owner.to_string()).or_default());
            let page = idx.by_source.get(owner).cloned().unwrap_or_else(|| PLANS.to_string());
            idx.by_source.insert(d.path.clone(), page.clone());
            idx.doc_urls.push(format!("{page}#{anchor}"));
            continue;
        }
        let key = if stem_count[d.stem.as_str()] > 1 {
            crate::slug::slugify(d.path.trim_end_matches(".md"))
        } else {
            url_segment(&d.stem)
        };
        let url = if d.kind == DocKind::Draft {
            format!("{PROPOSALS}{}/index.html", drafts.unique(key, &d.path, &mut idx.case_collisions))
        } else {
            format!("docs/{}/index.html", segments.unique(key, &d.path, &mut idx.case_collisions))
        };
        idx.by_source.insert(d.path.clone(), url.clone());
        idx.doc_urls.push(url);
    }
    if let Some(debt) = &harness.debt {
        idx.by_source.insert(debt.path.clone(), DEBT.to_string());
        for (i, item) in debt.items.iter().enumerate() {
            if let Some(id) = item.id {
                idx.debt_anchors.entry(id).or_insert_with(|| item.anchor.clone());
                idx.debt_by_id.entry(id).or_insert(i);
            }
        }
    }
    if let Some(q) = &harness.quality {
        idx.by_source.insert(q.path.clone(), QUALITY.to_string());
    }
    idx
}

/// The anchor of a companion file's panel on its plan's page: `file-` and the file name's slug.
pub fn companion_anchor(path: &str) -> String {
    format!("file-{}", crate::slug::slugify(&path.rsplit('/').next().unwrap_or(path).replace('.', "-")))
}

/// The prefix that leads from a page back to the site root: `../../` for `plans/x/index.html`.
pub fn root_prefix(page_url: &str) -> String {
    "../".repeat(page_url.matches('/').count())
}

#[cfg(test)]
mod url_tests {
    #[test]
    fn stems_become_safe_url_segments() {
        assert_eq!(super::url_segment("009-garbage-collection"), "009-garbage-collection");
        assert_eq!(super::url_segment("001-c#-port v2?"), "001-c--port-v2-");
        assert_eq!(super::url_segment("003-缓存"), "003-缓存");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_prefixes() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("plans/x/index.html"), "../../");
    }

    #[test]
    fn pages_differing_only_in_case_get_their_own_folders() {
        let sources: Vec<crate::discover::Source> = [
            "x/exec-plans/active/001-Cache.md",
            "x/exec-plans/completed/001-cache.md",
            "x/exec-plans/active/002-ÉTÉ.md",
            "x/exec-plans/active/002-été.md",
            "x/exec-plans/active/003-same.md",
            "x/exec-plans/completed/003-same.md",
        ]
        .iter()
        .map(|p| crate::discover::Source {
            path: p.to_string(),
            kind: crate::discover::SourceKind::Plan { folder: "active".into() },
            text: "# X\n".into(),
        })
        .collect();
        let (harness, _) = crate::parse::parse(&sources, "x", None);
        let idx = index(&harness);
        assert_eq!(
            idx.plan_urls,
            [
                "plans/001-Cache/index.html",
                "plans/001-cache-2/index.html",
                "plans/002-ÉTÉ/index.html",
                "plans/002-été-2/index.html",
                "plans/003-same/index.html",
                "plans/003-same-2/index.html",
            ]
        );
        let collided: Vec<&str> = idx.case_collisions.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            collided,
            ["x/exec-plans/completed/001-cache.md", "x/exec-plans/active/002-été.md"],
            "same stems are E014's business"
        );
    }
}
