//! Plan summaries: a plan as listings, cards, the timeline, the archive and the feed show it.
//!
//! In: a plan and its page URL. Out: `PlanSummary` (part of the template API, like everything in
//! `context`). Its own module so that the history pages (timeline, archive, feed, charts) and
//! the page context can all use it without depending on one another.

use crate::model::{Plan, StatusKind, Step, StepMarker};
use jiff::civil::Date;
use serde::Serialize;

/// A step in a summary (the current step, a blocked step).
#[derive(Serialize, Clone, Debug)]
pub struct StepBrief {
    /// `Step N`, when numbered.
    pub number: Option<u32>,
    /// The step's title, rendered.
    pub title_html: String,
    /// Why it is blocked.
    pub reason: Option<String>,
}

/// A plan as lists and cards show it.
#[derive(Serialize, Clone, Debug)]
pub struct PlanSummary {
    /// `EP-012`, or empty for unnumbered plans.
    pub label: String,
    /// Number for sorting (`null` when unnumbered).
    pub number: Option<u32>,
    /// File stem.
    pub stem: String,
    /// Root-relative URL of its page.
    pub url: String,
    /// Title.
    pub title: String,
    /// `active`, `draft`, `completed`, `superseded`, `abandoned` or `other`.
    pub state: &'static str,
    /// The badge's text: the state's name (`completed`).
    pub status: String,
    /// The status as written, when it says more than the state's name (`Shipped on 12 March
    /// 2026`, `已完成`, `Superseded by EP-012`): pages show it beside the badge.
    pub status_written: Option<String>,
    /// The status as written when it is longer than 24 characters (kept for themes that show
    /// long statuses apart).
    pub status_note: Option<String>,
    /// The state folder.
    pub folder: String,
    /// Author (or owner).
    pub author: Option<String>,
    /// Created, `YYYY-MM-DD`.
    pub created: Option<String>,
    /// Completed, `YYYY-MM-DD`.
    pub completed: Option<String>,
    /// Days from Created to Completed.
    pub duration_days: Option<i32>,
    /// Steps done.
    pub done: usize,
    /// Steps in all.
    pub total: usize,
    /// `done / total` in percent, rounded down.
    pub percent: usize,
    /// The `[~]` step.
    pub current: Option<StepBrief>,
    /// `[!]` steps.
    pub blocked: Vec<StepBrief>,
    /// Date of the newest decision.
    pub last_decision: Option<String>,
    /// Number of decisions.
    pub decisions: usize,
    /// The commit the Created date comes from, when the header writes none.
    pub created_git: Option<GitView>,
    /// The commit the Completed date comes from, when the header writes none.
    pub completed_git: Option<GitView>,
    /// The last commit that touched the plan.
    pub last_activity: Option<GitView>,
    /// Days between that commit and the repository's newest one, for an active plan past
    /// `stale_after_days`.
    pub stale_days: Option<i64>,
    /// Whether the file has uncommitted changes.
    pub uncommitted: bool,
}

pub(crate) fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn brief(s: &Step) -> StepBrief {
    // `Deploy (waiting for ops)`: the reason is already in the title; do not say it twice.
    let reason = s.reason.clone().filter(|r| !s.title.contains(r.as_str()));
    let title_html = if s.title_html.is_empty() { crate::render::escape(&s.title) } else { s.title_html.clone() };
    StepBrief { number: s.number, title_html, reason }
}

/// A plan's summary.
pub fn plan_summary(plan: &Plan, url: &str) -> PlanSummary {
    let (done, total) = plan.progress();
    let created = plan.created_date();
    let completed = plan.completed_date();
    let duration_days = match (created, completed) {
        (Some(c), Some(d)) => d.since(c).ok().map(|span| span.get_days()),
        _ => None,
    };
    let state = plan.state();
    PlanSummary {
        label: if plan.number.is_some() { plan.label() } else { String::new() },
        number: plan.number.map(|n| n.0),
        stem: plan.stem.clone(),
        url: url.to_string(),
        title: plan.title.clone(),
        state: state.as_str(),
        status: state.as_str().to_string(),
        status_written: plan.status.raw.clone().filter(|r| !names_only(r, state)),
        status_note: plan.status.raw.clone().filter(|r| r.chars().count() > 24),
        folder: plan.folder.clone(),
        author: plan.author.clone(),
        created: date(created),
        completed: date(completed),
        duration_days,
        done,
        total,
        percent: (done * 100).checked_div(total).unwrap_or(0),
        current: plan.steps.iter().find(|s| s.marker == StepMarker::InProgress).map(brief),
        blocked: plan.steps.iter().filter(|s| s.marker == StepMarker::Blocked).map(brief).collect(),
        last_decision: date(plan.decisions.iter().filter_map(|d| d.when()).max()),
        decisions: plan.decisions.len(),
        created_git: plan.git_created().map(git_view),
        completed_git: plan.git_completed().map(git_view),
        last_activity: plan.git.as_ref().and_then(|g| g.last.as_ref()).map(git_view),
        stale_days: plan.git.as_ref().and_then(|g| g.stale_days),
        uncommitted: plan.git.as_ref().is_some_and(|g| g.dirty),
    }
}

/// Whether a written status is only the state's name (`Completed`, `**active**`).
fn names_only(raw: &str, state: StatusKind) -> bool {
    raw.trim_matches(|c: char| !c.is_alphanumeric()).eq_ignore_ascii_case(state.as_str())
}

/// Whether a plan counts as blocked (active with a `[!]` step).
pub fn is_blocked(plan: &Plan) -> bool {
    plan.state() == StatusKind::Active && plan.steps.iter().any(|s| s.marker == StepMarker::Blocked)
}

/// The first `n` words of `text`, with an ellipsis when cut.
pub fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n { words.join(" ") } else { format!("{}…", words[..n].join(" ")) }
}

/// A date that comes from git: shown with a "from git" marker whose title names the commit and
/// its author (never an e-mail address).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct GitView {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The abbreviated commit id.
    pub commit: String,
    /// The marker's title: `from git: commit 1a2b3c4d5e by Ann`.
    pub title: String,
}

/// The view of a git stamp.
pub fn git_view(s: &crate::model::GitStamp) -> GitView {
    let by = if s.author.is_empty() { String::new() } else { format!(" by {}", s.author) };
    GitView { date: s.date.to_string(), commit: s.commit.clone(), title: format!("from git: commit {}{by}", s.commit) }
}
