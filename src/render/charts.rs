//! Charts drawn at build time as inline SVG (no JavaScript library): plans opened and completed
//! per month, cycle time distribution, a lifeline of recent plans with their decisions, open
//! debt by priority. Every chart comes with its numbers as a table, and its colours come from
//! CSS classes so dark mode and a strict Content-Security-Policy both work.

use crate::link::SiteIndex;
use crate::model::{Harness, StatusKind};
use crate::render::escape;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Months shown in the monthly chart (the most recent ones).
pub const MONTHS_SHOWN: usize = 24;
/// Plans shown in the lifeline chart (the most recently created).
pub const LIFELINES_SHOWN: usize = 40;

/// A row of a chart's table.
#[derive(Serialize, Debug, Clone)]
pub struct Row {
    /// The category (`2026-03`, `8–14 days`, `P1`).
    pub label: String,
    /// Its values, in the order of the table's columns.
    pub values: Vec<i64>,
}

/// One chart: its SVG and the same numbers as a table.
#[derive(Serialize, Debug)]
pub struct Chart {
    /// Anchor and title.
    pub id: &'static str,
    /// Heading.
    pub title: &'static str,
    /// One sentence saying what it shows.
    pub caption: String,
    /// The SVG (trusted markup built here).
    pub svg: String,
    /// Column headers of the table (after the label column).
    pub columns: Vec<&'static str>,
    /// The table.
    pub rows: Vec<Row>,
}

/// One plan of the lifeline chart.
#[derive(Serialize, Debug, Clone)]
pub struct Lifeline {
    /// Plan page URL.
    pub url: String,
    /// `EP-012`.
    pub label: String,
    /// Title.
    pub title: String,
    /// State.
    pub state: &'static str,
    /// Created.
    pub start: String,
    /// Completed, or the end of the chart for plans still open.
    pub end: String,
    /// Decisions logged.
    pub decisions: usize,
}

/// The charts page.
#[derive(Serialize, Debug)]
pub struct ChartsPage {
    /// The charts, in order.
    pub charts: Vec<Chart>,
    /// The lifelines' table.
    pub lifelines: Vec<Lifeline>,
    /// The date the charts end at (the newest date in the harness).
    pub as_of: String,
}

fn month_key(d: Date) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn next_month(key: &str) -> String {
    let (y, m) = key.split_once('-').unwrap_or(("2000", "01"));
    let (y, m): (i32, u32) = (y.parse().unwrap_or(2000), m.parse().unwrap_or(1));
    if m == 12 { format!("{:04}-01", y + 1) } else { format!("{y:04}-{:02}", m + 1) }
}

/// Builds the charts page. `as_of` is the newest date in the harness: "now" for open plans,
/// so the page does not depend on when it was built.
pub fn build(h: &Harness, idx: &SiteIndex, as_of: Option<Date>) -> ChartsPage {
    let mut charts = vec![monthly(h), cycle_times(h)];
    let (life_chart, lifelines) = lifelines(h, idx, as_of);
    charts.push(life_chart);
    charts.push(debt_by_priority(h));
    ChartsPage { charts, lifelines, as_of: as_of.map(|d| d.to_string()).unwrap_or_default() }
}

fn monthly(h: &Harness) -> Chart {
    let mut opened: BTreeMap<String, i64> = BTreeMap::new();
    let mut done: BTreeMap<String, i64> = BTreeMap::new();
    for p in &h.plans {
        if let Some(d) = p.created_date() {
            *opened.entry(month_key(d)).or_default() += 1;
        }
        if p.state() == StatusKind::Completed
            && let Some(d) = p.completed_date()
        {
            *done.entry(month_key(d)).or_default() += 1;
        }
    }
    let first = opened.keys().chain(done.keys()).min().cloned();
    let last = opened.keys().chain(done.keys()).max().cloned();
    let mut months = Vec::new();
    if let (Some(mut m), Some(last)) = (first, last) {
        while m <= last {
            months.push(m.clone());
            m = next_month(&m);
        }
    }
    let skip = months.len().saturating_sub(MONTHS_SHOWN);
    let rows: Vec<Row> = months[skip..]
        .iter()
        .map(|m| Row {
            label: m.clone(),
            values: vec![opened.get(m).copied().unwrap_or(0), done.get(m).copied().unwrap_or(0)],
        })
        .collect();
    let svg = grouped_bars(&rows, &["opened", "completed"], "Plans opened and completed per month");
    Chart {
        id: "per-month",
        title: "Plans opened and completed per month",
        caption: format!("The last {} months with activity, by month of Created and Completed.", rows.len()),
        svg,
        columns: vec!["Opened", "Completed"],
        rows,
    }
}

const BUCKETS: [(&str, i32, i32); 7] = [
    ("0–7 days", 0, 7),
    ("8–14 days", 8, 14),
    ("15–30 days", 15, 30),
    ("31–60 days", 31, 60),
    ("61–90 days", 61, 90),
    ("91–180 days", 91, 180),
    ("over 180 days", 181, i32::MAX),
];

fn cycle_times(h: &Harness) -> Chart {
    let mut counts = [0i64; BUCKETS.len()];
    for p in h.plans.iter().filter(|p| p.state() == StatusKind::Completed) {
        let (Some(c), Some(d)) = (p.created_date(), p.completed_date()) else {
            continue;
        };
        let Ok(span) = d.since(c) else { continue };
        let days = span.get_days();
        if let Some(b) = BUCKETS.iter().position(|&(_, lo, hi)| days >= lo && days <= hi) {
            counts[b] += 1;
        }
    }
    let rows: Vec<Row> =
        BUCKETS.iter().zip(counts).map(|(&(l, ..), n)| Row { label: l.to_string(), values: vec![n] }).collect();
    let svg = grouped_bars(&rows, &["completed"], "Cycle time of completed plans");
    let total: i64 = counts.iter().sum();
    Chart {
        id: "cycle-time",
        title: "Cycle time",
        caption: format!("Days from Created to Completed, for the {total} completed plans with both dates."),
        svg,
        columns: vec!["Plans"],
        rows,
    }
}

fn debt_by_priority(h: &Harness) -> Chart {
    let mut counts: BTreeMap<String, i64> = BTreeMap::new();
    for item in h.debt.iter().flat_map(|d| &d.items).filter(|i| i.status.kind.is_open()) {
        let p = item.priority.clone().unwrap_or_else(|| "unset".to_string());
        *counts.entry(p.split_whitespace().next().unwrap_or("unset").to_string()).or_default() += 1;
    }
    let rows: Vec<Row> = counts.into_iter().map(|(label, n)| Row { label, values: vec![n] }).collect();
    let svg = grouped_bars(&rows, &["open"], "Open debt items by priority");
    Chart {
        id: "debt-by-priority",
        title: "Open debt by priority",
        caption: "Debt items not yet resolved or accepted, by priority as written.".to_string(),
        svg,
        columns: vec!["Open items"],
        rows,
    }
}

/// Bars grouped by row (one bar per series), with a y axis and row labels.
fn grouped_bars(rows: &[Row], series: &[&str], title: &str) -> String {
    let (left, top, bottom, plot_h) = (40.0, 16.0, 54.0, 180.0);
    let group_w = (660.0 / rows.len().max(1) as f64).clamp(18.0, 90.0);
    let width = left + group_w * rows.len().max(1) as f64 + 20.0;
    let height = top + plot_h + bottom;
    let max = rows.iter().flat_map(|r| r.values.iter().copied()).max().unwrap_or(0).max(1);
    let step = nice_step(max);
    let ymax = ((max + step - 1) / step) * step;
    let y = |v: i64| top + plot_h - plot_h * v as f64 / ymax as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-label="{}">"#,
        escape(title)
    );
    let mut v = 0;
    while v <= ymax {
        let _ =
            write!(s, r#"<line class="grid" x1="{left}" x2="{:.0}" y1="{:.1}" y2="{:.1}"/>"#, width - 10.0, y(v), y(v));
        let _ =
            write!(s, r#"<text class="axis" x="{:.0}" y="{:.1}" text-anchor="end">{v}</text>"#, left - 6.0, y(v) + 4.0);
        v += step;
    }
    let bar_w = (group_w - 6.0) / series.len() as f64;
    let label_every = (rows.len() / 12).max(1);
    for (i, r) in rows.iter().enumerate() {
        let gx = left + group_w * i as f64 + 3.0;
        for (k, &value) in r.values.iter().enumerate() {
            let x = gx + bar_w * k as f64;
            let _ = write!(
                s,
                r#"<rect class="bar series-{k}" x="{x:.1}" y="{:.1}" width="{:.1}" height="{:.1}"><title>{}: {value} {}</title></rect>"#,
                y(value),
                (bar_w - 1.0).max(1.0),
                top + plot_h - y(value),
                escape(&r.label),
                series.get(k).copied().unwrap_or("")
            );
        }
        if i % label_every == 0 {
            let _ = write!(
                s,
                r#"<text class="axis" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                gx + (group_w - 6.0) / 2.0,
                top + plot_h + 16.0,
                escape(&r.label)
            );
        }
    }
    if series.len() > 1 {
        for (k, name) in series.iter().enumerate() {
            let lx = left + 110.0 * k as f64;
            let ly = height - 12.0;
            let _ = write!(
                s,
                r#"<rect class="bar series-{k}" x="{lx}" y="{:.0}" width="10" height="10"/><text class="axis" x="{:.0}" y="{:.0}">{}</text>"#,
                ly - 9.0,
                lx + 14.0,
                ly,
                escape(name)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// A round grid step for values up to `max`.
fn nice_step(max: i64) -> i64 {
    let raw = (max as f64 / 4.0).max(1.0);
    let magnitude = 10f64.powi(raw.log10().floor() as i32);
    let n = raw / magnitude;
    let nice = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    (nice * magnitude).max(1.0) as i64
}

fn lifelines(h: &Harness, idx: &SiteIndex, as_of: Option<Date>) -> (Chart, Vec<Lifeline>) {
    let mut plans: Vec<(Date, usize)> =
        h.plans.iter().enumerate().filter_map(|(i, p)| Some((p.created_date()?, i))).collect();
    plans.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    plans.truncate(LIFELINES_SHOWN);
    plans.sort();
    let end_of = |i: usize| {
        let p = &h.plans[i];
        match p.state() {
            // A finished plan ends when it was completed; an abandoned or superseded one without
            // a date, at its last decision.
            state if state.is_finished() => {
                p.completed_date().or_else(|| p.decisions.iter().filter_map(|d| d.when()).max()).or(as_of)
            }
            _ => as_of,
        }
    };
    let start = plans.first().map(|p| p.0);
    let end = plans.iter().filter_map(|&(_, i)| end_of(i)).chain(as_of).max();
    let (label_w, top, row, plot_w) = (170.0, 24.0, 18.0, 560.0);
    let width = label_w + plot_w + 20.0;
    let height = top + row * plans.len().max(1) as f64 + 24.0;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart gantt" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-label="Lifelines of the {} most recent plans">"#,
        plans.len()
    );
    let mut table = Vec::new();
    if let (Some(start), Some(end)) = (start, end) {
        let days = end.since(start).map(|s| s.get_days()).unwrap_or(0).max(1) as f64;
        let x = |d: Date| label_w + plot_w * (d.since(start).map(|s| s.get_days()).unwrap_or(0) as f64 / days);
        let _ = write!(
            s,
            r#"<text class="axis" x="{label_w}" y="14">{start}</text><text class="axis" x="{:.0}" y="14" text-anchor="end">{end}</text>"#,
            label_w + plot_w
        );
        let root = crate::link::root_prefix(crate::link::CHARTS);
        for (row_i, &(created, i)) in plans.iter().enumerate() {
            let p = &h.plans[i];
            let y = top + row * row_i as f64;
            let stop = end_of(i).unwrap_or(end).max(created);
            let state = p.state().as_str();
            let _ = write!(
                s,
                r#"<a href="{root}{}"><title>{} {} ({state}): {created} → {stop}</title><text class="axis plan-label" x="{:.0}" y="{:.1}" text-anchor="end">{}</text><rect class="life state-{state}" x="{:.1}" y="{:.1}" width="{:.1}" height="10" rx="3"/></a>"#,
                escape(&idx.plan_urls[i]),
                escape(&p.label()),
                escape(&p.title),
                label_w - 8.0,
                y + 9.0,
                escape(&p.label()),
                x(created),
                y,
                (x(stop) - x(created)).max(3.0),
            );
            for d in p.decisions.iter().filter_map(|d| d.when()) {
                let _ = write!(s, r#"<circle class="decision-dot" cx="{:.1}" cy="{:.1}" r="3"/>"#, x(d), y + 5.0);
            }
            table.push(Lifeline {
                url: idx.plan_urls[i].clone(),
                label: p.label(),
                title: p.title.clone(),
                state,
                start: created.to_string(),
                end: stop.to_string(),
                decisions: p.decisions.len(),
            });
        }
    }
    s.push_str("</svg>");
    let chart = Chart {
        id: "lifelines",
        title: "Plan lifelines",
        caption: format!(
            "The {} most recently created plans, from Created to Completed (or to {} when still open); dots are decisions.",
            table.len(),
            as_of.map(|d| d.to_string()).unwrap_or_else(|| "the newest date".into())
        ),
        svg: s,
        columns: Vec::new(),
        rows: Vec::new(),
    };
    (chart, table)
}

/// A plan's life as a strip: a line from Created to the end (Completed, or `newest` while open)
/// with a dot per event, each linked to its decision.
pub fn life_strip(events: &[crate::render::timeline::LifeEvent], newest: Option<Date>) -> String {
    let dates: Vec<Date> = events.iter().filter_map(|e| e.date.parse().ok()).collect();
    let (Some(&start), Some(&last)) = (dates.iter().min(), dates.iter().max()) else { return String::new() };
    let open = !events.iter().any(|e| matches!(e.kind, "completed" | "abandoned"));
    let end = if open { newest.unwrap_or(last).max(last) } else { last };
    let days = end.since(start).map(|s| s.get_days()).unwrap_or(0).max(1) as f64;
    let (left, width) = (8.0, 584.0);
    let x = |d: Date| left + width * (d.since(start).map(|s| s.get_days()).unwrap_or(0) as f64 / days);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="life-strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 34" width="600" height="34" aria-hidden="true"><line class="life-line{}" x1="{left}" x2="{:.1}" y1="12" y2="12"/>"#,
        if open { " open" } else { "" },
        left + width
    );
    for (e, d) in events.iter().filter_map(|e| Some((e, e.date.parse::<Date>().ok()?))) {
        let dot = format!(
            r#"<circle class="life-{}" cx="{:.1}" cy="12" r="{}"><title>{} {}</title></circle>"#,
            e.kind,
            x(d),
            if e.kind == "decision" { 4 } else { 6 },
            e.date,
            escape(&e.label)
        );
        if e.anchor.is_empty() {
            s.push_str(&dot);
        } else {
            let _ = write!(s, "<a href=\"#{}\">{dot}</a>", e.anchor);
        }
    }
    let _ = write!(
        s,
        r#"<text class="axis" x="{left}" y="31">{start}</text><text class="axis" x="{:.0}" y="31" text-anchor="end">{}{end}</text></svg>"#,
        left + width,
        if open { "open · " } else { "" }
    );
    s
}

/// A small burn-up of a plan's steps: how many were done by each date git saw a step finished,
/// against the number of steps. Empty when git dates no step.
pub fn burn_up(plan: &crate::model::Plan) -> String {
    let mut done: Vec<Date> = plan.steps.iter().filter_map(|s| s.git.done.as_ref().map(|g| g.date)).collect();
    if done.is_empty() {
        return String::new();
    }
    done.sort();
    let total = plan.steps.len().max(1);
    let start = plan.created_date().filter(|c| *c <= done[0]).unwrap_or(done[0]);
    let end = *done.last().unwrap_or(&start);
    let days = end.since(start).map(|s| s.get_days()).unwrap_or(0).max(1) as f64;
    let (left, width, top, height) = (8.0, 344.0, 8.0, 60.0);
    let x = |d: Date| left + width * (d.since(start).map(|s| s.get_days()).unwrap_or(0) as f64 / days);
    let y = |n: usize| top + height * (1.0 - n as f64 / total as f64);
    let mut points = format!("{left:.1},{:.1}", y(0));
    for (k, d) in done.iter().enumerate() {
        // A step: flat until the day, then up.
        let _ = write!(points, " {:.1},{:.1} {:.1},{:.1}", x(*d), y(k), x(*d), y(k + 1));
    }
    let label = format!("{} of {total} steps done by {end}, from git", done.len());
    format!(
        r#"<svg class="burn-up" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 92" width="360" height="92" role="img" aria-label="{label}"><title>{label}</title><line class="total" x1="{left}" x2="{:.1}" y1="{top}" y2="{top}"/><polyline class="done" points="{points}"/><text x="{left}" y="88">{start}</text><text x="{:.1}" y="88" text-anchor="end">{end}</text></svg>"#,
        left + width,
        left + width,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps_and_months() {
        assert_eq!(nice_step(3), 1);
        assert_eq!(nice_step(17), 5);
        assert_eq!(nice_step(230), 100);
        assert_eq!(next_month("2026-12"), "2027-01");
        assert_eq!(next_month("2026-03"), "2026-04");
    }

    #[test]
    fn bars_have_titles_and_no_inline_style() {
        let svg = grouped_bars(&[Row { label: "2026-03".into(), values: vec![2, 1] }], &["opened", "completed"], "t");
        assert!(svg.contains("<title>2026-03: 2 opened</title>"), "{svg}");
        assert!(!svg.contains("style="));
    }
}
