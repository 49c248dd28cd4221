//! Decision timelines: every decision of every plan in one chronological timeline (paginated, so
//! a page stays small at 10,000 plans), and each plan's life at a glance.

use crate::link::SiteIndex;
use crate::model::{Harness, Plan, StatusKind};
use crate::render::pager::{Pager, page_url};
use crate::render::summary::{PlanSummary, first_words, plan_summary};
use jiff::civil::Date;
use serde::Serialize;

/// Decisions per timeline page.
pub const PER_PAGE: usize = 250;

/// One decision on the site-wide timeline.
#[derive(Serialize, Clone, Debug)]
pub struct TimelineEntry {
    /// `YYYY-MM-DD` (empty when undated).
    pub date: String,
    /// `YYYY-MM`, the group and its anchor.
    pub month: String,
    /// Year, for filtering.
    pub year: String,
    /// The decision, rendered.
    pub text_html: String,
    /// Its rationale or body, rendered.
    pub detail_html: String,
    /// The plan's page with the decision's anchor.
    pub url: String,
    /// `EP-012` or the stem.
    pub plan_label: String,
    /// The plan's title.
    pub plan_title: String,
    /// The plan's state (`active`...).
    pub state: &'static str,
    /// The plan's author.
    pub author: String,
    /// The commit the date comes from, when the entry writes none.
    pub git: Option<crate::render::summary::GitView>,
}

/// A month of a timeline page.
#[derive(Serialize, Debug)]
pub struct MonthGroup {
    /// `2026-03`.
    pub month: String,
    /// `March 2026`.
    pub label: String,
    /// Its entries, newest first.
    pub entries: Vec<TimelineEntry>,
}

/// Where a year's decisions start, for the year index.
#[derive(Serialize, Debug, Clone)]
pub struct YearLink {
    /// `2026`.
    pub year: String,
    /// Root-relative URL of the page and month anchor where the year starts.
    pub url: String,
    /// Decisions that year.
    pub count: usize,
}

/// One page of the timeline.
#[derive(Serialize, Debug)]
pub struct TimelinePage {
    /// Months on this page.
    pub months: Vec<MonthGroup>,
    /// Years of the whole timeline, newest first.
    pub years: Vec<YearLink>,
    /// Authors and states present on this page, for the filters.
    pub authors: Vec<String>,
    /// States present on this page.
    pub states: Vec<&'static str>,
    /// Decisions in the whole timeline.
    pub total: usize,
    /// Undated decisions (listed on their own page).
    pub undated: usize,
    /// URL of the undated list.
    pub undated_url: String,
    /// Pages.
    pub pager: Pager,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `2026-03` → `March 2026`.
pub fn month_label(month: &str) -> String {
    let (y, m) = month.split_once('-').unwrap_or((month, "1"));
    let m: usize = m.parse().unwrap_or(1);
    format!("{} {y}", MONTHS[m.clamp(1, 12) - 1])
}

/// All decisions: dated ones newest first, and undated ones.
pub fn entries(h: &Harness, idx: &SiteIndex) -> (Vec<TimelineEntry>, Vec<TimelineEntry>) {
    let mut dated: Vec<(Date, u32, usize, TimelineEntry)> = Vec::new();
    let mut undated = Vec::new();
    for (i, plan) in h.plans.iter().enumerate() {
        for (k, d) in plan.decisions.iter().enumerate() {
            let when = d.when();
            let entry = TimelineEntry {
                date: when.map(|d| d.to_string()).unwrap_or_default(),
                month: when.map(|d| format!("{:04}-{:02}", d.year(), d.month())).unwrap_or_default(),
                year: when.map(|d| d.year().to_string()).unwrap_or_default(),
                git: d.git.as_ref().map(crate::render::summary::git_view),
                text_html: if d.text_html.is_empty() { crate::render::escape(&d.text) } else { d.text_html.clone() },
                detail_html: d.detail_html.clone(),
                url: format!("{}#decision-{}", idx.plan_urls[i], k + 1),
                plan_label: plan.label(),
                plan_title: plan.title.clone(),
                state: plan.state().as_str(),
                author: plan.author.clone().unwrap_or_default(),
            };
            match when {
                Some(date) => dated.push((date, plan.number.map_or(u32::MAX, |n| n.0), k, entry)),
                None => undated.push(entry),
            }
        }
    }
    // Newest first; on the same day, by plan number and order in the log.
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    (dated.into_iter().map(|d| d.3).collect(), undated)
}

/// The timeline's pages.
pub fn pages(dated: &[TimelineEntry], undated: usize) -> Vec<TimelinePage> {
    let chunks: Vec<&[TimelineEntry]> = if dated.is_empty() { vec![&[]] } else { dated.chunks(PER_PAGE).collect() };
    let urls: Vec<String> = (1..=chunks.len()).map(|n| page_url("timeline", n)).collect();
    let mut years: Vec<YearLink> = Vec::new();
    for (p, chunk) in chunks.iter().enumerate() {
        for e in chunk.iter() {
            match years.last_mut() {
                Some(y) if y.year == e.year => y.count += 1,
                _ => years.push(YearLink { year: e.year.clone(), url: format!("{}#m-{}", urls[p], e.month), count: 1 }),
            }
        }
    }
    chunks
        .iter()
        .enumerate()
        .map(|(p, chunk)| {
            let mut months: Vec<MonthGroup> = Vec::new();
            for e in chunk.iter() {
                match months.last_mut() {
                    Some(m) if m.month == e.month => m.entries.push(e.clone()),
                    _ => months.push(MonthGroup {
                        month: e.month.clone(),
                        label: month_label(&e.month),
                        entries: vec![e.clone()],
                    }),
                }
            }
            let mut authors: Vec<String> = chunk.iter().map(|e| e.author.clone()).filter(|a| !a.is_empty()).collect();
            authors.sort();
            authors.dedup();
            let mut states: Vec<&'static str> = chunk.iter().map(|e| e.state).collect();
            states.sort();
            states.dedup();
            TimelinePage {
                months,
                years: years.clone(),
                authors,
                states,
                total: dated.len(),
                undated,
                undated_url: "timeline/undated/index.html".to_string(),
                pager: Pager { current: p + 1, total: chunks.len(), urls: urls.clone() },
            }
        })
        .collect()
}

/// One event in a plan's life.
#[derive(Serialize, Clone, Debug)]
pub struct LifeEvent {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `created`, `decision`, `step`, `completed`, `abandoned`.
    pub kind: &'static str,
    /// Short description.
    pub label: String,
    /// Anchor on the plan page (`#decision-3`), when there is one.
    pub anchor: String,
}

/// A plan's life at a glance: Created, decisions (those that mark a step as such), the end.
pub fn life(plan: &Plan) -> Vec<LifeEvent> {
    let mut events = Vec::new();
    if let Some(d) = plan.created_date() {
        events.push(LifeEvent { date: d.to_string(), kind: "created", label: "Created".into(), anchor: String::new() });
    }
    for (k, d) in plan.decisions.iter().enumerate() {
        let Some(date) = d.when() else { continue };
        let step = step_mentioned(&d.text);
        let (kind, label) = match step {
            Some(n) => ("step", format!("Step {n}: {}", first_words(&d.text, 12))),
            None => ("decision", first_words(&d.text, 14)),
        };
        events.push(LifeEvent { date: date.to_string(), kind, label, anchor: format!("decision-{}", k + 1) });
    }
    let end = match plan.state() {
        StatusKind::Completed => Some(("completed", "Completed")),
        StatusKind::Abandoned => Some(("abandoned", "Abandoned")),
        StatusKind::Superseded => Some(("superseded", "Superseded")),
        _ => None,
    };
    if let (Some((kind, label)), Some(d)) = (end, plan.completed_date()) {
        events.push(LifeEvent { date: d.to_string(), kind, label: label.into(), anchor: String::new() });
    }
    events.sort_by(|a, b| a.date.cmp(&b.date));
    events
}

/// `N` when a decision says it completed or started `Step N`.
fn step_mentioned(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    let at = lower.find("step ")?;
    let digits: String = lower[at + 5..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Summaries used by the feed and charts: (plan index, completed date) of completed plans.
pub fn completed_plans(h: &Harness, idx: &SiteIndex) -> Vec<(Date, PlanSummary)> {
    let mut out: Vec<_> = h
        .plans
        .iter()
        .enumerate()
        .filter(|(_, p)| p.state() == StatusKind::Completed)
        .filter_map(|(i, p)| Some((p.completed_date()?, plan_summary(p, &idx.plan_urls[i]))))
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.number.cmp(&b.1.number)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(date: &str) -> TimelineEntry {
        TimelineEntry {
            git: None,
            date: date.into(),
            month: date[..7].into(),
            year: date[..4].into(),
            text_html: String::new(),
            detail_html: String::new(),
            url: String::new(),
            plan_label: String::new(),
            plan_title: String::new(),
            state: "active",
            author: "a".into(),
        }
    }

    #[test]
    fn pages_group_by_month_and_index_years() {
        let mut dated: Vec<TimelineEntry> =
            (0..PER_PAGE + 10).map(|i| entry(if i < 5 { "2026-03-01" } else { "2025-12-01" })).collect();
        dated.push(entry("2024-01-02"));
        let pages = pages(&dated, 2);
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].months[0].label, "March 2026");
        assert_eq!(pages[0].months.len(), 2);
        let years: Vec<_> = pages[0].years.iter().map(|y| (y.year.as_str(), y.url.as_str(), y.count)).collect();
        assert_eq!(
            years,
            [
                ("2026", "timeline/index.html#m-2026-03", 5),
                ("2025", "timeline/index.html#m-2025-12", PER_PAGE + 5),
                ("2024", "timeline/page/2/index.html#m-2024-01", 1),
            ]
        );
        assert_eq!(pages[1].pager.current, 2);
        assert_eq!(page_url("timeline", 1), "timeline/index.html");
    }

    #[test]
    fn steps_mentioned_in_decisions() {
        assert_eq!(step_mentioned("Completed Step 6 by extracting"), Some(6));
        assert_eq!(step_mentioned("Started step 5"), Some(5));
        assert_eq!(step_mentioned("No steps here"), None);
    }
}
