//! The template API: the serde types templates see, built from the model.
//!
//! This file is a contract with themes: renaming a field breaks user templates. Every field is
//! always present (`null` when empty) because Tera 2 errors on undefined variables. HTML fields
//! (`*_html`) hold rendered, trusted HTML for `| safe`; every other string is escaped by Tera.

use crate::link::{Graph, NodeId, SiteIndex};
use crate::model::{
    Criterion, DebtItem, Decision, Grade, Harness, NamedValue, Plan, QualityDomain, RetroPart, SectionKind, Step,
    StepMarker,
};
use crate::render::backlinks::{self, Backlinks, RefLink};
use crate::render::summary::{GitView, date, git_view};
pub use crate::render::summary::{PlanSummary, StepBrief, is_blocked, plan_summary};
use serde::Serialize;

/// A link to a page.
#[derive(Serialize, Clone, Debug)]
pub struct Link {
    /// Root-relative URL (templates prefix it with `page.root`).
    pub url: String,
    /// Text to show.
    pub label: String,
    /// Longer description (a plan's title next to its `EP-NNN`).
    pub title: String,
}

/// What every page knows about the site.
#[derive(Serialize, Clone, Debug)]
pub struct SiteView {
    /// Site title.
    pub title: String,
    /// Stylesheet URL (root-relative, content-hashed).
    pub css: String,
    /// Script URL (root-relative, content-hashed).
    pub js: String,
    /// Favicon URL (root-relative, content-hashed).
    pub icon: String,
    /// The search index's meta file (root-relative, content-hashed).
    pub search_index: String,
    /// Whether there is a debt tracker / quality score.
    pub has_debt: bool,
    /// Whether there is a quality score.
    pub has_quality: bool,
    /// Harness docs, for navigation.
    pub docs: Vec<Link>,
    /// Planning-workflow drafts (Proposals).
    pub proposals: Vec<Link>,
    /// The site's language (`lang` on every page).
    pub lang: String,
    /// The repository URL, when configured.
    pub repo_url: Option<String>,
    /// The published site's URL with a trailing `/`, when configured.
    pub base_url: Option<String>,
    /// The planbook version that built the site.
    pub generator: String,
}

/// What is specific to one page.
#[derive(Serialize, Clone, Debug)]
pub struct PageView {
    /// `../` repeated to reach the site root from this page.
    pub root: String,
    /// This page's root-relative URL.
    pub url: String,
    /// The page's `<title>`.
    pub title: String,
    /// Which navigation entry is current: `dashboard`, `plans`, `debt`, `quality`, `docs`.
    pub section: &'static str,
    /// A one-line description (meta description).
    pub description: String,
}

/// One step on a plan page.
#[derive(Serialize, Clone, Debug)]
pub struct StepView {
    /// `todo`, `in-progress`, `done`, `blocked`, `invalid`.
    pub state: &'static str,
    /// The marker as written: `[ ]`, `[~]`...
    pub marker: String,
    /// `N` of `Step N`.
    pub number: Option<u32>,
    /// Title, rendered.
    pub title_html: String,
    /// Outcome, rendered (empty when absent).
    pub outcome_html: String,
    /// Verify, rendered (empty when absent).
    pub verify_html: String,
    /// Notes under the step, rendered.
    pub detail_html: String,
    /// Why it is blocked, when the title does not already say it.
    pub reason: Option<String>,
    /// A blocked step that gives no reason (rule E006).
    pub reason_missing: bool,
    /// Nesting depth.
    pub depth: u8,
    /// Source line.
    pub line: u32,
    /// When git saw the step added (while still to do), started, blocked and finished.
    pub history: Vec<StepEvent>,
}

/// One decision on a timeline.
#[derive(Serialize, Clone, Debug)]
pub struct DecisionView {
    /// `YYYY-MM-DD`, when dated.
    pub date: Option<String>,
    /// The date as written, when it could not be read.
    pub date_raw: Option<String>,
    /// The decision, rendered.
    pub text_html: String,
    /// Rationale or body, rendered.
    pub detail_html: String,
    /// Other table columns.
    pub columns: Vec<NamedValue>,
    /// Source line.
    pub line: u32,
    /// The commit the date comes from, when the entry writes none.
    pub git: Option<GitView>,
    /// An undated entry git has not seen yet: the plan has uncommitted edits.
    pub uncommitted: bool,
}

/// The retrospective in its three parts.
#[derive(Serialize, Clone, Debug, Default)]
pub struct RetroView {
    /// Whether anything was written.
    pub filled: bool,
    /// Entries of "What went well", rendered.
    pub went_well: Vec<String>,
    /// Entries of "What didn't", rendered.
    pub went_wrong: Vec<String>,
    /// Entries of "What to change", rendered.
    pub to_change: Vec<String>,
    /// Other entries, rendered.
    pub other: Vec<String>,
    /// Bare `-` placeholders left.
    pub placeholders: u32,
}

/// A top-level section of a plan page, in document order.
#[derive(Serialize, Clone, Debug)]
pub struct SectionView {
    /// How the page shows it: `goal` (the callout above), `steps`, `decisions`, `retrospective`
    /// (structured views, for the first section of each kind) or `html` (as written).
    pub view: &'static str,
    /// The heading as written.
    pub title: String,
    /// Its anchor.
    pub anchor: String,
    /// The section as written, rendered.
    pub html: String,
    /// Whether the structured view misses content that `html` has.
    pub has_extra: bool,
    /// The checklist items written in the section outside the steps (acceptance criteria,
    /// validation...), with their own progress; `null` when it has none.
    pub checklist: Option<ChecklistView>,
}

/// A section's checklist: not steps, so not in the plan's step count.
#[derive(Serialize, Clone, Debug)]
pub struct ChecklistView {
    /// The items, in order.
    pub items: Vec<StepView>,
    /// Items checked `[x]`.
    pub done: usize,
    /// Items in all.
    pub total: usize,
    /// `done / total` in percent, rounded down.
    pub percent: usize,
}

/// Everything a plan page shows.
#[derive(Serialize, Clone, Debug)]
pub struct PlanView {
    /// The summary (badge, progress, dates).
    pub summary: PlanSummary,
    /// The Goal, rendered.
    pub goal_html: String,
    /// Text between the header fields and the first section, rendered.
    pub intro_html: String,
    /// Header fields not shown elsewhere.
    pub fields: Vec<NamedValue>,
    /// Sections in order.
    pub sections: Vec<SectionView>,
    /// Steps.
    pub steps: Vec<StepView>,
    /// Every checklist item outside the steps, in document order (each section's are also in its
    /// `SectionView::checklist`).
    pub criteria: Vec<StepView>,
    /// Decisions, oldest first.
    pub decisions: Vec<DecisionView>,
    /// The retrospective, when the plan has one.
    pub retrospective: Option<RetroView>,
    /// Source path relative to the repository root.
    pub source_path: String,
    /// "View source" URL, when `repo_url` is set.
    pub source_url: Option<String>,
    /// "Edit" URL, when `repo_url` is set.
    pub edit_url: Option<String>,
    /// Previous plan by number.
    pub prev: Option<Link>,
    /// Next plan by number.
    pub next: Option<Link>,
    /// What the plan says it resolves, supersedes, depends on.
    pub relations: Vec<RefLink>,
    /// Everything that refers to the plan.
    pub referenced_by: Backlinks,
    /// The plan's life: Created, decisions, steps marked in decisions, the end.
    pub life: Vec<crate::render::timeline::LifeEvent>,
    /// The same as a strip of dots (SVG), empty when there is nothing to draw.
    pub life_svg: String,
    /// The plan's companion files, shown as panels.
    pub files: Vec<FileView>,
    /// Steps done over time, from git (empty without).
    pub burn_up_svg: String,
}

/// A debt item on the debt page.
#[derive(Serialize, Clone, Debug)]
pub struct DebtView {
    /// `td-004` (the item's anchor).
    pub anchor: String,
    /// `TD-004`, or empty.
    pub label: String,
    /// Summary, rendered.
    pub title_html: String,
    /// `open`, `in-progress`, `resolved`, `wont-fix`, `other`.
    pub state: &'static str,
    /// Status as written.
    pub status: String,
    /// Priority as written.
    pub priority: Option<String>,
    /// `p0`..`p3`, `high`, `medium`, `low`, `critical`: a CSS class.
    pub priority_class: String,
    /// Plans linked to the item, in either direction, with the relation when stated (at most
    /// `MAX_PLANS_PER_ITEM`, stated relations first).
    pub plans: Vec<RefLink>,
    /// Plans left out of `plans`.
    pub more_plans: usize,
    /// Quality domains, docs and code that refer to the item.
    pub referenced_by: Backlinks,
    /// Other fields.
    pub fields: Vec<NamedValue>,
    /// The heading it sits under.
    pub group: Option<String>,
    /// When it was resolved (`2026-03-02`).
    pub resolved_on: Option<String>,
}

/// A grade badge.
#[derive(Serialize, Clone, Debug)]
pub struct GradeView {
    /// As written.
    pub raw: String,
    /// `a`..`f`: a CSS class from the score (90+, 80+, 70+, 60+, below), whatever the scale;
    /// empty for a value that does not read as a grade (`n/a`), shown as written without a badge.
    pub class: &'static str,
    /// 0–100.
    pub score: u8,
    /// How it was read (`3 on a 0–4 scale (inferred from the largest value): 75/100`), for a
    /// tooltip.
    pub title: String,
}

/// A graded table row.
#[derive(Serialize, Clone, Debug)]
pub struct GradeRowView {
    /// First column.
    pub name: String,
    /// Its grade.
    pub grade: Option<GradeView>,
    /// The other columns, rendered.
    pub notes_html: String,
}

/// A quality domain on the quality page.
#[derive(Serialize, Clone, Debug)]
pub struct DomainView {
    /// Heading.
    pub name: String,
    /// Anchor.
    pub anchor: String,
    /// Overall grade.
    pub grade: Option<GradeView>,
    /// Graded rows of the domain's tables.
    pub rows: Vec<GradeRowView>,
    /// Related debt items (links to the debt page; `url` empty when the tracker lacks the item).
    pub debt: Vec<Link>,
    /// Other fields.
    pub fields: Vec<NamedValue>,
}

fn step_view(s: &Step) -> StepView {
    let state = s.marker.name();
    let marker = match s.marker {
        StepMarker::Todo => "[ ]".to_string(),
        StepMarker::InProgress => "[~]".to_string(),
        StepMarker::Done => "[x]".to_string(),
        StepMarker::Blocked => "[!]".to_string(),
        StepMarker::Invalid(c) => format!("[{c}]"),
    };
    let title_html = if s.title_html.is_empty() { crate::render::escape(&s.title) } else { s.title_html.clone() };
    StepView {
        state,
        marker,
        number: s.number,
        title_html,
        outcome_html: s.outcome_html.clone(),
        verify_html: s.verify_html.clone(),
        detail_html: s.detail_html.clone(),
        reason: s.reason.clone().filter(|r| !s.title.contains(r.as_str())),
        reason_missing: s.marker == StepMarker::Blocked && s.reason.is_none(),
        depth: s.depth,
        line: s.span.line,
        history: [
            ("added", &s.git.added),
            ("started", &s.git.started),
            ("blocked", &s.git.blocked),
            ("done", &s.git.done),
        ]
        .into_iter()
        .filter_map(|(what, g)| g.as_ref().map(|g| StepEvent { what, git: git_view(g) }))
        .filter(|e| e.what != "added" || s.marker == StepMarker::Todo)
        .collect(),
    }
}

fn criterion_view(c: &Criterion) -> StepView {
    let mut view = step_view(&Step {
        git: Default::default(),
        marker: c.marker,
        number: None,
        title: c.text.clone(),
        title_html: c.html.clone(),
        text: c.text.clone(),
        outcome: None,
        outcome_html: String::new(),
        verify: None,
        verify_html: String::new(),
        detail_html: String::new(),
        reason: None,
        depth: 0,
        source: crate::model::StepSource::TaskItem,
        span: c.span,
    });
    // Only steps owe a reason for `[!]` (E006).
    view.reason_missing = false;
    view
}

fn decision_view(d: &Decision) -> DecisionView {
    DecisionView {
        date: date(d.when()),
        date_raw: if d.date.is_none() { d.date_raw.clone() } else { None },
        text_html: d.text_html.clone(),
        detail_html: d.detail_html.clone(),
        columns: d.columns.clone(),
        line: d.span.line,
        git: d.git.as_ref().filter(|_| d.date.is_none()).map(git_view),
        uncommitted: false,
    }
}

/// Header fields shown in the metadata table: those parse did not place elsewhere on the page.
fn extra_fields(plan: &Plan) -> Vec<NamedValue> {
    plan.fields
        .iter()
        .filter(|f| !f.placed)
        .map(|f| NamedValue { name: f.key.clone(), text: f.value.clone(), html: crate::render::escape(&f.value) })
        .collect()
}

/// The plan page's view.
pub fn plan_view(
    harness: &Harness,
    index: &SiteIndex,
    graph: &Graph,
    i: usize,
    repo_url: Option<&str>,
    newest: Option<jiff::civil::Date>,
) -> PlanView {
    let plan = &harness.plans[i];
    let summary = plan_summary(plan, &index.plan_urls[i]);
    let link = |j: usize| {
        let p = &harness.plans[j];
        Link { url: index.plan_urls[j].clone(), label: p.label(), title: p.title.clone() }
    };
    let mut seen = std::collections::HashSet::new();
    let mut anchors = crate::slug::Taken::default();
    // Each section's checklist, by section index (one pass, whatever the numbers of both).
    let mut checklists: Vec<Vec<StepView>> = vec![Vec::new(); plan.sections.len()];
    let criteria: Vec<StepView> = plan.criteria.iter().map(criterion_view).collect();
    for (c, view) in plan.criteria.iter().zip(&criteria) {
        if let Some(list) = checklists.get_mut(c.section) {
            list.push(view.clone());
        }
    }
    let sections = plan
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.top)
        .map(|(index, s)| {
            let structured = match s.kind {
                SectionKind::Goal => "goal",
                SectionKind::Steps => "steps",
                SectionKind::DecisionLog => "decisions",
                SectionKind::Retrospective => "retrospective",
                _ => "html",
            };
            // Only the first section of each structured kind shows the structured view, under a
            // fixed anchor other pages link to (`#retrospective`, `#decision-log`).
            let view = if structured != "html" && seen.insert(structured) { structured } else { "html" };
            let anchor = match view {
                "steps" => "steps".to_string(),
                "decisions" => "decision-log".to_string(),
                "retrospective" => "retrospective".to_string(),
                _ => crate::slug::slugify(&s.title),
            };
            let items = checklists.get_mut(index).map(std::mem::take).unwrap_or_default();
            let checklist = (!items.is_empty()).then(|| {
                let done = items.iter().filter(|v| v.state == "done").count();
                let total = items.len();
                ChecklistView { items, done, total, percent: done * 100 / total }
            });
            SectionView {
                view,
                title: s.title.clone(),
                anchor: crate::slug::unique(anchor, &mut anchors),
                html: s.html.clone(),
                has_extra: s.has_extra,
                checklist,
            }
        })
        .collect();
    let life = crate::render::timeline::life(plan);
    let retrospective = plan.retrospective.as_ref().map(|r| {
        let part = |p: RetroPart| r.part(p).map(|e| e.html.clone()).collect();
        RetroView {
            filled: r.is_filled(),
            went_well: part(RetroPart::WentWell),
            went_wrong: part(RetroPart::WentWrong),
            to_change: part(RetroPart::ToChange),
            other: part(RetroPart::Other),
            placeholders: r.placeholders,
        }
    });
    let source_url = repo_url.map(|r| format!("{}/blob/HEAD/{}", r.trim_end_matches('/'), plan.path));
    let edit_url = repo_url.map(|r| format!("{}/edit/HEAD/{}", r.trim_end_matches('/'), plan.path));
    // Previous and next by number among numbered plans (plans are sorted by number).
    let (prev, next) = if plan.number.is_some() {
        let prev = (0..i).rev().find(|&j| harness.plans[j].number.is_some()).map(link);
        let next = (i + 1..harness.plans.len()).find(|&j| harness.plans[j].number.is_some()).map(link);
        (prev, next)
    } else {
        (None, None)
    };
    PlanView {
        summary,
        goal_html: plan.goal_html.clone(),
        intro_html: plan.intro_html.clone(),
        fields: extra_fields(plan),
        sections,
        steps: plan.steps.iter().map(step_view).collect(),
        criteria,
        decisions: plan
            .decisions
            .iter()
            .map(|d| {
                let mut view = decision_view(d);
                view.uncommitted = d.date.is_none() && d.git.is_none() && plan.git.as_ref().is_some_and(|g| g.dirty);
                view
            })
            .collect(),
        retrospective,
        source_path: plan.path.clone(),
        source_url,
        edit_url,
        prev,
        next,
        life_svg: crate::render::charts::life_strip(&life, newest),
        files: files_of(harness, index, &plan.path),
        burn_up_svg: crate::render::charts::burn_up(plan),
        life,
        relations: backlinks::relations(harness, index, graph, NodeId::Plan(i)),
        referenced_by: backlinks::referenced_by(harness, index, graph, NodeId::Plan(i), repo_url),
    }
}

/// Plans listed in a debt item's row.
pub const MAX_PLANS_PER_ITEM: usize = 20;

/// The view of debt item `i`.
pub fn debt_view(i: usize, harness: &Harness, index: &SiteIndex, graph: &Graph, repo_url: Option<&str>) -> DebtView {
    let item: &DebtItem = &harness.debt.as_ref().expect("debt items come from the tracker").items[i];
    let state = item.status.kind.name();
    let (plans, more_plans) = backlinks::capped(backlinks::plans_of_debt(harness, index, graph, i), MAX_PLANS_PER_ITEM);
    let mut referenced_by = backlinks::referenced_by(harness, index, graph, NodeId::Debt(i), repo_url);
    referenced_by.count -= referenced_by.plans.len();
    referenced_by.plans.clear();
    let shown = |name: &str| {
        let n = name.to_ascii_lowercase();
        !matches!(n.as_str(), "status" | "state" | "priority") && item.title != item.field(name).unwrap_or("-")
    };
    let priority_class = item
        .priority
        .as_deref()
        .map(|p| p.split_whitespace().next().unwrap_or("").to_ascii_lowercase())
        .filter(|p| matches!(p.as_str(), "p0" | "p1" | "p2" | "p3" | "critical" | "high" | "medium" | "low"))
        .unwrap_or_default();
    DebtView {
        anchor: item.anchor.clone(),
        label: item.id.map(|i| i.to_string()).unwrap_or_default(),
        title_html: if item.title_html.is_empty() {
            crate::render::escape(&item.title)
        } else {
            item.title_html.clone()
        },
        state,
        status: item.status.raw.clone().unwrap_or_else(|| state.to_string()),
        priority: item.priority.clone(),
        priority_class,
        plans,
        more_plans,
        referenced_by,
        fields: item.fields.iter().filter(|f| shown(&f.name) && !f.text.is_empty()).cloned().collect(),
        group: item.group.clone(),
        resolved_on: item.resolved_on.map(|d| d.to_string()),
    }
}

/// A grade's view.
pub fn grade_view(g: &Grade) -> GradeView {
    let class = match g.score {
        90.. => "a",
        80..=89 => "b",
        70..=79 => "c",
        60..=69 => "d",
        _ => "f",
    };
    GradeView { raw: g.raw.clone(), class, score: g.score, title: g.explain() }
}

/// A grade's view, or the value as written when it reads as no grade (`n/a`): no badge class.
fn grade_or_value(grade: Option<&Grade>, value: &str) -> Option<GradeView> {
    match grade {
        Some(g) => Some(grade_view(g)),
        None if !value.trim().is_empty() => Some(GradeView {
            raw: value.trim().to_string(),
            class: "",
            score: 0,
            title: "not read as a grade".to_string(),
        }),
        None => None,
    }
}

/// A quality domain's view.
pub fn domain_view(d: &QualityDomain, index: &SiteIndex) -> DomainView {
    DomainView {
        name: d.name.clone(),
        anchor: d.anchor.clone(),
        grade: grade_or_value(d.grade.as_ref(), &d.value),
        rows: d
            .rows
            .iter()
            .map(|r| GradeRowView {
                name: r.name.clone(),
                grade: grade_or_value(r.grade.as_ref(), &r.value),
                notes_html: r.notes_html.clone(),
            })
            .collect(),
        debt: d
            .related_debt
            .iter()
            .map(|id| Link {
                url: index.debt_anchors.get(id).map(|a| format!("{}#{a}", crate::link::DEBT)).unwrap_or_default(),
                label: id.to_string(),
                title: String::new(),
            })
            .collect(),
        fields: d.fields.clone(),
    }
}

/// A companion file's panel on its plan's page.
#[derive(Serialize, Clone, Debug)]
pub struct FileView {
    /// The panel's anchor (`file-012-x-progress-md`).
    pub anchor: String,
    /// The file's name.
    pub name: String,
    /// The file's title (its H1, or its name).
    pub title: String,
    /// Path relative to the root.
    pub path: String,
    /// The file, rendered.
    pub html: String,
}

/// The companion panels of the plan at `path`.
fn files_of(harness: &Harness, index: &SiteIndex, path: &str) -> Vec<FileView> {
    let Some(docs) = index.companions_of.get(path) else { return Vec::new() };
    docs.iter()
        .map(|&j| {
            let d = &harness.docs[j];
            FileView {
                anchor: index.doc_urls[j].rsplit_once('#').map_or_else(String::new, |(_, a)| a.to_string()),
                name: d.path.rsplit('/').next().unwrap_or(&d.path).to_string(),
                title: d.title.clone(),
                path: d.path.clone(),
                html: d.html.clone(),
            }
        })
        .collect()
}

/// A step's state change as git saw it.
#[derive(Serialize, Clone, Debug)]
pub struct StepEvent {
    /// `added`, `started`, `blocked`, `done`.
    pub what: &'static str,
    /// The commit.
    pub git: GitView,
}
