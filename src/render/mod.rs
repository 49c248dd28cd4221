//! Render: the model and the site index → HTML pages, through the theme's Tera templates.
//!
//! In: `Harness` (with HTML fragments), `SiteIndex`, `Theme`. Out: one `Page` per URL, not yet
//! rewritten. Pages are rendered in parallel; each page kind has one function here and one
//! template, and `context.rs` holds the types templates see. Pure: no filesystem, no clock (ages
//! relative to "now" are computed in the browser, so output is reproducible).

pub mod archive;
pub mod backlinks;
pub mod charts;
pub mod context;
pub mod feed;
pub mod graph;
pub mod pager;
pub mod summary;
pub mod theme;
pub mod timeline;

use crate::link::{self, SiteIndex};
use crate::model::{DebtStatusKind, DocKind, Harness, StatusKind};
use context::{Link, PageView, PlanSummary, SiteView};
use rayon::prelude::*;
use serde::Serialize;
use theme::Theme;

/// A rendered page.
#[derive(Debug, Clone)]
pub struct Page {
    /// Site-relative path (`plans/001-x/index.html`).
    pub url: String,
    /// The HTML.
    pub html: String,
    /// Which group of pages it belongs to.
    pub group: Group,
}

/// Pages that are rendered (and go stale) together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// A plan's page.
    Plan,
    /// A doc's page.
    Doc,
    /// The decision timeline's pages.
    Timeline,
    /// The retrospective archive and lessons pages.
    Archive,
    /// Every other listing: dashboard, plans, debt, quality, docs index, graph, charts, feed,
    /// search page, 404.
    Lists,
}

/// Which pages to render: all of them for a build; those an edit affects in watch mode.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Every page.
    pub all: bool,
    /// Plans (indices into `Harness::plans`) whose pages to render.
    pub plans: std::collections::BTreeSet<usize>,
    /// Docs (indices into `Harness::docs`) whose pages to render.
    pub docs: std::collections::BTreeSet<usize>,
    /// Groups of listing pages to render.
    pub groups: std::collections::BTreeSet<Group>,
}

impl Selection {
    /// Every page.
    pub fn all() -> Selection {
        Selection { all: true, ..Selection::default() }
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        !self.all && self.plans.is_empty() && self.docs.is_empty() && self.groups.is_empty()
    }

    fn group(&self, g: Group) -> bool {
        self.all || self.groups.contains(&g)
    }
}

/// What the renderer needs besides the model.
#[derive(Debug)]
pub struct RenderInput<'a> {
    /// Everything read.
    pub harness: &'a Harness,
    /// Page URLs.
    pub index: &'a SiteIndex,
    /// The reference graph.
    pub graph: &'a crate::link::Graph,
    /// Templates and assets.
    pub theme: &'a Theme,
    /// Site title.
    pub title: &'a str,
    /// `repo_url` from the config.
    pub repo_url: Option<&'a str>,
    /// The URL the site is published at (`base_url`), for canonical links.
    pub base_url: Option<&'a str>,
    /// Site-relative path of the search index's meta file.
    pub search_index: &'a str,
    /// `language` from the config; detected from the harness when absent.
    pub language: Option<&'a str>,
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    crate::escape::escape_into(&mut out, s);
    out
}

/// Renders the selected pages and hands each to `sink` (in parallel, in no particular order),
/// so a large site is never held in memory whole. The first error (a template failing, or
/// `sink` failing) stops the build.
pub fn render(
    input: &RenderInput<'_>,
    select: &Selection,
    sink: &(dyn Fn(Page) -> anyhow::Result<()> + Sync),
) -> anyhow::Result<()> {
    let h = input.harness;
    let idx = input.index;
    let site = SiteView {
        title: input.title.to_string(),
        css: input.theme.css.path.clone(),
        js: input.theme.js.path.clone(),
        icon: input.theme.icon.path.clone(),
        search_index: input.search_index.to_string(),
        has_debt: h.debt.is_some(),
        has_quality: h.quality.is_some(),
        docs: doc_links(h, idx, DocKind::Harness),
        proposals: doc_links(h, idx, DocKind::Draft),
        lang: input.language.map_or_else(|| detect_language(h).to_string(), str::to_string),
        repo_url: input.repo_url.map(str::to_string),
        base_url: input.base_url.map(|b| format!("{}/", b.trim_end_matches('/'))),
        generator: format!("planbook {}", env!("CARGO_PKG_VERSION")),
    };
    let r = Renderer { input, site, newest: newest_date(h) };
    let tagged = |group: Group| {
        move |mut page: Page| {
            page.group = group;
            sink(page)
        }
    };
    let (plan_sink, doc_sink) = (tagged(Group::Plan), tagged(Group::Doc));
    let (timeline_sink, archive_sink, lists_sink) =
        (tagged(Group::Timeline), tagged(Group::Archive), tagged(Group::Lists));
    (0..h.plans.len())
        .into_par_iter()
        .filter(|i| select.all || select.plans.contains(i))
        .try_for_each(|i| plan_sink(r.plan(i)?))?;
    (0..h.docs.len())
        .into_par_iter()
        .filter(|i| h.docs[*i].kind != DocKind::Companion && (select.all || select.docs.contains(i)))
        .try_for_each(|i| doc_sink(r.doc(i)?))?;
    // Listings built once, rendered page by page.
    if select.group(Group::Timeline) {
        let (dated, undated) = timeline::entries(h, idx);
        let timeline_pages = timeline::pages(&dated, undated.len());
        timeline_pages.par_iter().try_for_each(|p| timeline_sink(r.timeline(p)?))?;
        if !undated.is_empty() {
            timeline_sink(r.undated(&undated)?)?;
        }
    }
    if select.group(Group::Archive) {
        let (archive_pages, lesson_pages) = archive::build(h, idx);
        archive_pages.par_iter().try_for_each(|p| archive_sink(r.archive(p)?))?;
        lesson_pages.par_iter().try_for_each(|p| archive_sink(r.lessons(p)?))?;
    }
    if !select.group(Group::Lists) {
        return Ok(());
    }
    (0..10).into_par_iter().try_for_each(|k| {
        let page = match k {
            0 => r.dashboard(),
            1 => r.plans(),
            2 => r.debt(),
            3 => r.quality(),
            4 => r.docs(),
            5 => r.graph(),
            6 => r.charts(),
            7 => Ok(r.feed()),
            8 => r.search(),
            _ => r.not_found(),
        }?;
        lists_sink(page)
    })
}

/// Links to the docs of `kind` (root docs go with harness docs; companions have no page).
fn doc_links(h: &Harness, idx: &crate::link::SiteIndex, kind: DocKind) -> Vec<Link> {
    h.docs
        .iter()
        .zip(&idx.doc_urls)
        .filter(|(d, _)| match kind {
            DocKind::Harness | DocKind::Root => matches!(d.kind, DocKind::Harness | DocKind::Root),
            k => d.kind == k,
        })
        .map(|(d, url)| Link { url: url.clone(), label: d.title.clone(), title: d.path.clone() })
        .collect()
}

/// The language most of the harness is written in, by script: `zh`, `ja` or `ko` when CJK
/// text makes up a fifth of its letters (`ja` when kana are among them), a script's language
/// when another non-Latin script dominates, else `en`. Reads titles, goals, steps and decisions
/// (up to 200,000 characters), so it is cheap and the same for the same input.
pub fn detect_language(h: &Harness) -> &'static str {
    let texts = h.plans.iter().flat_map(|p| {
        std::iter::once(p.title.as_str())
            .chain(p.goal.as_deref())
            .chain(p.steps.iter().map(|s| s.title.as_str()))
            .chain(p.decisions.iter().map(|d| d.text.as_str()))
    });
    let (mut letters, mut han, mut kana, mut hangul) = (0usize, 0usize, 0usize, 0usize);
    let mut other: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for c in texts.flat_map(str::chars).take(200_000) {
        if !c.is_alphabetic() {
            continue;
        }
        letters += 1;
        let script = match c as u32 {
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => {
                kana += 1;
                continue;
            }
            0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => {
                hangul += 1;
                continue;
            }
            0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => {
                han += 1;
                continue;
            }
            0x0400..=0x04FF => "ru",
            0x0600..=0x06FF => "ar",
            0x0590..=0x05FF => "he",
            0x0370..=0x03FF => "el",
            0x0E00..=0x0E7F => "th",
            0x0900..=0x097F => "hi",
            _ => continue,
        };
        *other.entry(script).or_default() += 1;
    }
    let cjk = han + kana + hangul;
    if cjk > 0 && cjk * 5 >= letters {
        return if kana * 20 >= cjk {
            "ja"
        } else if hangul * 2 >= cjk {
            "ko"
        } else {
            "zh"
        };
    }
    match other.iter().max_by_key(|(_, n)| **n) {
        Some((lang, n)) if n * 2 >= letters => lang,
        _ => "en",
    }
}

/// The newest date written anywhere in the plans: "now" for everything that needs one, so a
/// build does not depend on when it ran.
pub fn newest_date(h: &Harness) -> Option<jiff::civil::Date> {
    h.plans
        .iter()
        .flat_map(|p| {
            [p.created_date(), p.completed_date()]
                .into_iter()
                .flatten()
                .chain(p.decisions.iter().filter_map(|d| d.when()))
        })
        .chain(h.newest_commit)
        .max()
}

struct Renderer<'a> {
    input: &'a RenderInput<'a>,
    site: SiteView,
    newest: Option<jiff::civil::Date>,
}

impl Renderer<'_> {
    fn page(
        &self,
        template: &str,
        url: &str,
        title: &str,
        section: &'static str,
        description: &str,
        data: &impl Serialize,
    ) -> anyhow::Result<Page> {
        self.page_at(template, url, link::root_prefix(url), title, section, description, data)
    }

    /// Like `page`, with links relative to `root` instead of the page's own folder.
    #[allow(clippy::too_many_arguments)]
    fn page_at(
        &self,
        template: &str,
        url: &str,
        root: String,
        title: &str,
        section: &'static str,
        description: &str,
        data: &impl Serialize,
    ) -> anyhow::Result<Page> {
        let page = PageView {
            root,
            url: url.to_string(),
            title: title.to_string(),
            section,
            description: description.to_string(),
        };
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("page", &page);
        ctx.insert("data", data);
        let html =
            self.input.theme.tera.render(template, &ctx).map_err(|e| {
                anyhow::anyhow!("rendering `{url}` with template `{template}`: {}", theme::tera_error(&e))
            })?;
        Ok(Page { url: url.to_string(), html, group: Group::Lists })
    }

    fn summaries(&self, state: StatusKind) -> Vec<PlanSummary> {
        let h = self.input.harness;
        h.plans
            .iter()
            .enumerate()
            .filter(|(_, p)| p.state() == state)
            .map(|(i, p)| context::plan_summary(p, &self.input.index.plan_urls[i]))
            .collect()
    }

    fn plan(&self, i: usize) -> anyhow::Result<Page> {
        let h = self.input.harness;
        let view = context::plan_view(h, self.input.index, self.input.graph, i, self.input.repo_url, self.newest);
        let plan = &h.plans[i];
        let title =
            if plan.number.is_some() { format!("{}: {}", plan.label(), plan.title) } else { plan.title.clone() };
        let description = plan.goal.clone().unwrap_or_else(|| format!("Exec plan {title}"));
        self.page("plan.html", &self.input.index.plan_urls[i], &title, "plans", &description, &view)
    }

    fn doc(&self, i: usize) -> anyhow::Result<Page> {
        #[derive(Serialize)]
        struct DocView<'d> {
            title: &'d str,
            path: &'d str,
            html: &'d str,
            source_url: Option<String>,
            /// A planning-workflow draft, shown as a Proposal.
            draft: bool,
        }
        let d = &self.input.harness.docs[i];
        let source_url = self.input.repo_url.map(|r| format!("{}/blob/HEAD/{}", r.trim_end_matches('/'), d.path));
        let draft = d.kind == DocKind::Draft;
        let view = DocView { title: &d.title, path: &d.path, html: &d.html, source_url, draft };
        self.page("doc.html", &self.input.index.doc_urls[i], &d.title, "docs", &d.path, &view)
    }

    fn dashboard(&self) -> anyhow::Result<Page> {
        #[derive(Serialize)]
        struct Counts {
            plans: usize,
            active: usize,
            blocked: usize,
            completed_in_quarter: usize,
            quarter: Option<String>,
            open_debt: usize,
            stale: usize,
        }
        #[derive(Serialize)]
        struct Dashboard {
            counts: Counts,
            active: Vec<PlanSummary>,
            drafts: Vec<PlanSummary>,
            other: Vec<PlanSummary>,
            completed: Vec<PlanSummary>,
            superseded: Vec<PlanSummary>,
            abandoned: Vec<PlanSummary>,
            stale: Vec<PlanSummary>,
        }
        let h = self.input.harness;
        let mut completed = self.summaries(StatusKind::Completed);
        // Most recently completed first; undated ones last, by number.
        completed.sort_by(|a, b| b.completed.cmp(&a.completed));
        // "This quarter" is the quarter of the newest date in the harness, so the page does not
        // depend on when it was built; the browser updates it to today's quarter.
        let newest = self.newest;
        let quarter_of = |d: jiff::civil::Date| (d.year(), (d.month() - 1) / 3 + 1);
        let quarter = newest.map(quarter_of);
        let completed_in_quarter = h
            .plans
            .iter()
            .filter(|p| p.state() == StatusKind::Completed)
            .filter_map(|p| p.completed_date())
            .filter(|d| Some(quarter_of(*d)) == quarter)
            .count();
        let active = self.summaries(StatusKind::Active);
        // Longest untouched first.
        let mut stale: Vec<PlanSummary> = active.iter().filter(|p| p.stale_days.is_some()).cloned().collect();
        stale.sort_by(|a, b| b.stale_days.cmp(&a.stale_days).then(a.number.cmp(&b.number)));
        let counts = Counts {
            stale: stale.len(),
            plans: h.plans.len(),
            active: active.len(),
            blocked: h.plans.iter().filter(|p| context::is_blocked(p)).count(),
            completed_in_quarter,
            quarter: quarter.map(|(y, q)| format!("{y} Q{q}")),
            open_debt: h.debt.as_ref().map_or(0, |d| d.items.iter().filter(|i| i.status.kind.is_open()).count()),
        };
        let data = Dashboard {
            counts,
            active,
            drafts: self.summaries(StatusKind::Draft),
            other: self.summaries(StatusKind::Other),
            completed,
            superseded: self.summaries(StatusKind::Superseded),
            abandoned: self.summaries(StatusKind::Abandoned),
            stale,
        };
        let title = self.site.title.clone();
        self.page("dashboard.html", link::DASHBOARD, &title, "dashboard", "Where the exec plans stand", &data)
    }

    fn plans(&self) -> anyhow::Result<Page> {
        #[derive(Serialize)]
        struct Group {
            state: &'static str,
            title: &'static str,
            plans: Vec<PlanSummary>,
        }
        let mut groups: Vec<Group> = [
            (StatusKind::Active, "Active"),
            (StatusKind::Draft, "Drafts"),
            (StatusKind::Completed, "Completed"),
            (StatusKind::Superseded, "Superseded"),
            (StatusKind::Abandoned, "Abandoned"),
            (StatusKind::Other, "Other"),
        ]
        .into_iter()
        .map(|(s, title)| Group { state: s.as_str(), title, plans: self.summaries(s) })
        .filter(|g| !g.plans.is_empty())
        .collect();
        // Stale plans (from git history) again as a group of their own, so the filter finds them.
        let stale: Vec<PlanSummary> = groups
            .first()
            .map(|g| g.plans.iter().filter(|p| p.stale_days.is_some()).cloned().collect())
            .unwrap_or_default();
        if !stale.is_empty() && groups.first().is_some_and(|g| g.state == "active") {
            groups.insert(1, Group { state: "stale", title: "Stale", plans: stale });
        }
        self.page("plans.html", link::PLANS, "All plans", "plans", "Every exec plan, by status", &groups)
    }

    fn debt(&self) -> anyhow::Result<Page> {
        #[derive(Serialize)]
        struct DebtPage {
            present: bool,
            path: Option<String>,
            title: String,
            open: Vec<context::DebtView>,
            closed: Vec<context::DebtView>,
            /// Whether any item has an ID (else the tables have no ID column).
            with_ids: bool,
            html: String,
        }
        let h = self.input.harness;
        let views: Vec<_> = h
            .debt
            .iter()
            .flat_map(|d| d.items.iter().enumerate())
            .map(|(i, item)| {
                (item.status.kind, context::debt_view(i, h, self.input.index, self.input.graph, self.input.repo_url))
            })
            .collect();
        let (open, closed): (Vec<_>, Vec<_>) =
            views.into_iter().partition(|(k, _)| !matches!(k, DebtStatusKind::Resolved | DebtStatusKind::WontFix));
        let data = DebtPage {
            present: h.debt.is_some(),
            path: h.debt.as_ref().map(|d| d.path.clone()),
            title: h.debt.as_ref().map_or_else(|| "Tech Debt".to_string(), |d| d.title.clone()),
            open: open.into_iter().map(|(_, v)| v).collect(),
            closed: closed.into_iter().map(|(_, v)| v).collect(),
            with_ids: h.debt.iter().flat_map(|d| &d.items).any(|i| i.id.is_some()),
            html: h.debt.as_ref().map(|d| d.html.clone()).unwrap_or_default(),
        };
        let title = data.title.clone();
        self.page("debt.html", link::DEBT, &title, "debt", "Known technical debt and the plans addressing it", &data)
    }

    fn quality(&self) -> anyhow::Result<Page> {
        #[derive(Serialize)]
        struct QualityPage {
            present: bool,
            path: Option<String>,
            title: String,
            domains: Vec<context::DomainView>,
            html: String,
        }
        let q = self.input.harness.quality.as_ref();
        let data = QualityPage {
            present: q.is_some(),
            path: q.map(|q| q.path.clone()),
            title: q.map_or_else(|| "Quality Score".to_string(), |q| q.title.clone()),
            domains: q.iter().flat_map(|q| &q.domains).map(|d| context::domain_view(d, self.input.index)).collect(),
            html: q.map(|q| q.html.clone()).unwrap_or_default(),
        };
        let title = data.title.clone();
        self.page("quality.html", link::QUALITY, &title, "quality", "Quality grades by domain", &data)
    }

    fn docs(&self) -> anyhow::Result<Page> {
        #[derive(Serialize)]
        struct DocsView<'s> {
            docs: &'s [Link],
            proposals: &'s [Link],
        }
        let view = DocsView { docs: &self.site.docs, proposals: &self.site.proposals };
        self.page("docs.html", link::DOCS, "Docs", "docs", "Harness documents and proposals", &view)
    }

    fn graph(&self) -> anyhow::Result<Page> {
        let data = graph::graph_page(self.input.harness, self.input.index, self.input.graph);
        self.page(
            "graph.html",
            link::GRAPH,
            "Relations",
            "graph",
            "How plans and debt items refer to each other",
            &data,
        )
    }

    fn timeline(&self, p: &timeline::TimelinePage) -> anyhow::Result<Page> {
        let url = &p.pager.urls[p.pager.current - 1];
        let title = if p.pager.current == 1 {
            "Decision timeline".to_string()
        } else {
            format!("Decision timeline, page {}", p.pager.current)
        };
        self.page("timeline.html", url, &title, "timeline", "Every decision of every plan, newest first", p)
    }

    fn undated(&self, entries: &[timeline::TimelineEntry]) -> anyhow::Result<Page> {
        self.page(
            "timeline_undated.html",
            link::TIMELINE_UNDATED,
            "Undated decisions",
            "timeline",
            "Decision-log entries without a date",
            &entries,
        )
    }

    fn archive(&self, p: &archive::ArchivePage) -> anyhow::Result<Page> {
        let url = &p.pager.urls[p.pager.current - 1];
        self.page(
            "retrospectives.html",
            url,
            "Retrospectives",
            "retrospectives",
            "What finished plans learned, by quarter",
            p,
        )
    }

    fn lessons(&self, p: &archive::LessonsPage) -> anyhow::Result<Page> {
        let url = &p.pager.urls[p.pager.current - 1];
        self.page(
            "lessons.html",
            url,
            "Lessons",
            "retrospectives",
            "Every \"What to change\" of every retrospective",
            p,
        )
    }

    fn charts(&self) -> anyhow::Result<Page> {
        let data = charts::build(self.input.harness, self.input.index, self.newest);
        self.page(
            "charts.html",
            link::CHARTS,
            "Charts",
            "charts",
            "Plans over time, cycle times, lifelines and open debt",
            &data,
        )
    }

    fn feed(&self) -> Page {
        let xml = feed::atom(self.input.harness, self.input.index, &self.site.title, self.input.base_url);
        Page { url: link::FEED.to_string(), html: xml, group: Group::Lists }
    }

    fn search(&self) -> anyhow::Result<Page> {
        self.page("search.html", link::SEARCH, "Search", "search", "Search plans, decisions, lessons and debt", &())
    }

    /// GitHub Pages serves `404.html` for a missing page at any depth, so its links cannot be
    /// relative to where it sits: with a `base_url` they start at the site's path (`/widgets/`).
    fn not_found(&self) -> anyhow::Result<Page> {
        let root = self
            .input
            .base_url
            .and_then(|b| url::Url::parse(b).ok())
            .map(|u| format!("{}/", u.path().trim_end_matches('/')))
            .unwrap_or_default();
        self.page_at("404.html", "404.html", root, "Page not found", "", "Page not found", &())
    }
}
