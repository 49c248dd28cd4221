//! The retrospective archive: every finished plan's retrospective by quarter, the cross-plan
//! list of lessons ("What to change"), and the finished plans that owe one.

use crate::link::SiteIndex;
use crate::model::{Harness, RetroPart, StatusKind};
use crate::render::pager::{Pager, page_url};
use serde::Serialize;

/// Plans per archive page.
pub const PLANS_PER_PAGE: usize = 60;
/// Lessons per lessons page.
pub const LESSONS_PER_PAGE: usize = 300;

/// One plan's retrospective.
#[derive(Serialize, Clone, Debug)]
pub struct RetroCard {
    /// Plan page URL.
    pub url: String,
    /// `EP-012` or the stem.
    pub label: String,
    /// Title.
    pub title: String,
    /// `completed` or `abandoned`.
    pub state: &'static str,
    /// Completed (or abandoned) on, `YYYY-MM-DD`, when known.
    pub date: String,
    /// `2026 Q2`, or `Undated`.
    pub quarter: String,
    /// Entries, rendered.
    pub went_well: Vec<String>,
    /// Entries, rendered.
    pub went_wrong: Vec<String>,
    /// Entries, rendered.
    pub to_change: Vec<String>,
    /// Other entries, rendered.
    pub other: Vec<String>,
}

/// A quarter of the archive.
#[derive(Serialize, Debug)]
pub struct QuarterGroup {
    /// `2026 Q2`.
    pub quarter: String,
    /// Anchor.
    pub anchor: String,
    /// Its plans, most recent first.
    pub plans: Vec<RetroCard>,
}

/// A finished plan without a retrospective.
#[derive(Serialize, Clone, Debug)]
pub struct Missing {
    /// Plan page URL.
    pub url: String,
    /// `EP-012`.
    pub label: String,
    /// Title.
    pub title: String,
    /// State.
    pub state: &'static str,
    /// Completed on.
    pub date: String,
}

/// One page of the archive.
#[derive(Serialize, Debug)]
pub struct ArchivePage {
    /// Quarters on this page.
    pub quarters: Vec<QuarterGroup>,
    /// Finished plans with a retrospective, in all.
    pub total: usize,
    /// Finished plans owing one (listed on the first page).
    pub missing: Vec<Missing>,
    /// Lessons in all.
    pub lessons: usize,
    /// Pages.
    pub pager: Pager,
}

/// One lesson ("What to change").
#[derive(Serialize, Clone, Debug)]
pub struct Lesson {
    /// The lesson, rendered.
    pub html: String,
    /// Plan page URL (retrospective anchor).
    pub url: String,
    /// `EP-012`.
    pub label: String,
    /// Plan title.
    pub title: String,
    /// When the plan finished.
    pub date: String,
}

/// One page of the lessons list.
#[derive(Serialize, Debug)]
pub struct LessonsPage {
    /// Lessons on this page, newest first.
    pub lessons: Vec<Lesson>,
    /// Lessons in all.
    pub total: usize,
    /// Pages.
    pub pager: Pager,
}

/// The archive's pages and the lessons' pages.
pub fn build(h: &Harness, idx: &SiteIndex) -> (Vec<ArchivePage>, Vec<LessonsPage>) {
    let mut cards = Vec::new();
    let mut missing = Vec::new();
    for (i, p) in h.plans.iter().enumerate() {
        let state = p.state();
        if !state.is_finished() {
            continue;
        }
        let date = p.completed_date();
        let date_s = date.map(|d| d.to_string()).unwrap_or_default();
        match p.retrospective.as_ref().filter(|r| r.is_filled()) {
            Some(r) => {
                let part = |which: RetroPart| {
                    r.part(which)
                        .map(|e| if e.html.is_empty() { crate::render::escape(&e.text) } else { e.html.clone() })
                        .collect()
                };
                cards.push((
                    date,
                    p.number.map_or(u32::MAX, |n| n.0),
                    RetroCard {
                        url: format!("{}#retrospective", idx.plan_urls[i]),
                        label: p.label(),
                        title: p.title.clone(),
                        state: state.as_str(),
                        date: date_s,
                        quarter: date.map_or_else(
                            || "Undated".to_string(),
                            |d| format!("{} Q{}", d.year(), (d.month() - 1) / 3 + 1),
                        ),
                        went_well: part(RetroPart::WentWell),
                        went_wrong: part(RetroPart::WentWrong),
                        to_change: part(RetroPart::ToChange),
                        other: part(RetroPart::Other),
                    },
                ));
            }
            // A superseded plan's lessons are its successor's to write.
            None if state == StatusKind::Superseded => {}
            None => missing.push(Missing {
                url: idx.plan_urls[i].clone(),
                label: p.label(),
                title: p.title.clone(),
                state: state.as_str(),
                date: date_s,
            }),
        }
    }
    // Most recent first; undated last.
    cards.sort_by(|a, b| b.0.is_some().cmp(&a.0.is_some()).then(b.0.cmp(&a.0)).then(a.1.cmp(&b.1)));
    let cards: Vec<RetroCard> = cards.into_iter().map(|c| c.2).collect();
    let lessons: Vec<Lesson> = cards
        .iter()
        .flat_map(|c| {
            c.to_change.iter().map(|html| Lesson {
                html: html.clone(),
                url: c.url.clone(),
                label: c.label.clone(),
                title: c.title.clone(),
                date: c.date.clone(),
            })
        })
        .collect();

    let chunks: Vec<&[RetroCard]> = if cards.is_empty() { vec![&[]] } else { cards.chunks(PLANS_PER_PAGE).collect() };
    let urls: Vec<String> = (1..=chunks.len()).map(|n| page_url("retrospectives", n)).collect();
    let archive = chunks
        .iter()
        .enumerate()
        .map(|(p, chunk)| {
            let mut quarters: Vec<QuarterGroup> = Vec::new();
            for c in chunk.iter() {
                match quarters.last_mut() {
                    Some(q) if q.quarter == c.quarter => q.plans.push(c.clone()),
                    _ => quarters.push(QuarterGroup {
                        anchor: crate::slug::slugify(&c.quarter),
                        quarter: c.quarter.clone(),
                        plans: vec![c.clone()],
                    }),
                }
            }
            ArchivePage {
                quarters,
                total: cards.len(),
                missing: if p == 0 { missing.clone() } else { Vec::new() },
                lessons: lessons.len(),
                pager: Pager { current: p + 1, total: chunks.len(), urls: urls.clone() },
            }
        })
        .collect();

    let lchunks: Vec<&[Lesson]> =
        if lessons.is_empty() { vec![&[]] } else { lessons.chunks(LESSONS_PER_PAGE).collect() };
    let lurls: Vec<String> = (1..=lchunks.len()).map(|n| page_url("retrospectives/lessons", n)).collect();
    let lesson_pages = lchunks
        .iter()
        .enumerate()
        .map(|(p, chunk)| LessonsPage {
            lessons: chunk.to_vec(),
            total: lessons.len(),
            pager: Pager { current: p + 1, total: lchunks.len(), urls: lurls.clone() },
        })
        .collect();
    (archive, lesson_pages)
}
