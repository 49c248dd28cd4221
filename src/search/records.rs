//! Search records, taken from the model (never scraped back out of HTML): one per plan, decision,
//! retrospective entry, debt item, quality domain and doc section, each with the URL and anchor
//! of where it is shown and the facets the search page filters on.

use crate::link::SiteIndex;
use crate::model::SectionKind::{Context, DecisionLog, Goal, Retrospective, Steps};
use crate::model::{DebtStatusKind, Harness, Plan, RetroPart};
use rayon::prelude::*;

/// What a record is: the search page groups results by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// An exec plan.
    Plan,
    /// A decision-log entry.
    Decision,
    /// A retrospective entry.
    Lesson,
    /// A debt item.
    Debt,
    /// A quality domain.
    Quality,
    /// A section of a harness doc.
    Doc,
}

impl Kind {
    /// The name the index and the client use.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Decision => "decision",
            Kind::Lesson => "lesson",
            Kind::Debt => "debt",
            Kind::Quality => "quality",
            Kind::Doc => "doc",
        }
    }
}

/// One searchable thing.
#[derive(Clone, Debug)]
pub struct Record {
    /// What it is.
    pub kind: Kind,
    /// Title (ranked highest): a plan's title, a debt item's summary, a doc's title.
    pub title: String,
    /// Heading (ranked next): the section, date or retrospective part it sits under.
    pub heading: String,
    /// Body text.
    pub body: String,
    /// Site-relative URL with its anchor.
    pub url: String,
    /// The plan's state, or the debt item's.
    pub status: &'static str,
    /// Year (of the decision, of the plan's creation).
    pub year: String,
    /// The plan's author.
    pub author: String,
}

/// All records, grouped by plan (a plan, its decisions, its lessons), then debt, quality, docs:
/// records of one plan share their facets, which keeps the facet files short.
pub fn records(h: &Harness, idx: &SiteIndex) -> Vec<Record> {
    let mut out: Vec<Record> =
        h.plans.par_iter().zip(&idx.plan_urls).flat_map_iter(|(p, url)| plan_records(p, url)).collect();
    if let Some(t) = &h.debt {
        for item in &t.items {
            let status = item.status.kind.name();
            let label = item.id.map_or_else(|| item.title.clone(), |id| format!("{id} {}", item.title));
            let body: Vec<&str> = item.fields.iter().map(|f| f.text.as_str()).collect();
            // The year it was last reviewed or resolved, when the tracker says.
            let year = item
                .fields
                .iter()
                .filter(|f| f.name.to_ascii_lowercase().contains("review") || f.name.eq_ignore_ascii_case("resolved"))
                .filter_map(|f| f.text.get(..4).filter(|y| y.bytes().all(|b| b.is_ascii_digit())).map(str::to_string))
                .next()
                .or_else(|| item.resolved_on.map(|d| d.year().to_string()))
                .unwrap_or_default();
            out.push(Record {
                kind: Kind::Debt,
                title: label,
                heading: item.group.clone().unwrap_or_default(),
                body: body.join(" "),
                url: format!("{}#{}", crate::link::DEBT, item.anchor),
                status: if item.status.kind == DebtStatusKind::Other { "other" } else { status },
                year,
                author: String::new(),
            });
        }
    }
    if let Some(q) = &h.quality {
        for d in &q.domains {
            let mut body: Vec<String> = d.rows.iter().map(|r| format!("{} {}", r.name, r.notes)).collect();
            body.extend(d.fields.iter().map(|f| format!("{} {}", f.name, f.text)));
            out.push(Record {
                kind: Kind::Quality,
                title: d.name.clone(),
                heading: d.grade.as_ref().map(|g| format!("Overall {}", g.raw)).unwrap_or_default(),
                body: body.join(" "),
                url: format!("{}#{}", crate::link::QUALITY, d.anchor),
                status: "other",
                year: String::new(),
                author: String::new(),
            });
        }
    }
    for (i, d) in h.docs.iter().enumerate() {
        for s in &d.sections {
            // A companion's URL already names its panel on the plan's page.
            let anchor = if s.anchor.is_empty() || d.kind == crate::model::DocKind::Companion {
                String::new()
            } else {
                format!("#{}", s.anchor)
            };
            out.push(Record {
                kind: Kind::Doc,
                title: d.title.clone(),
                heading: s.heading.clone(),
                body: s.text.clone(),
                url: format!("{}{anchor}", idx.doc_urls[i]),
                status: "other",
                year: String::new(),
                author: String::new(),
            });
        }
    }
    out
}

/// The records of plan `p`, shown at `url`: the plan, its decisions, its retrospective entries.
fn plan_records(p: &Plan, url: &str) -> Vec<Record> {
    let mut out = Vec::new();
    let status = p.state().as_str();
    let author = p.author.clone().unwrap_or_default();
    let year = p.created_date().map(|d| d.year().to_string()).unwrap_or_default();
    let label = if p.number.is_some() { format!("{} {}", p.label(), p.title) } else { p.title.clone() };
    let mut body = String::new();
    for part in [p.goal.as_deref().unwrap_or(""), p.context.as_deref().unwrap_or("")] {
        body.push_str(part);
        body.push(' ');
    }
    for s in &p.steps {
        body.push_str(&s.text);
        body.push(' ');
    }
    // The rest of the plan; decisions and retrospective entries have records of their own.
    for s in
        p.sections.iter().filter(|s| s.top && !matches!(s.kind, Goal | Context | Steps | DecisionLog | Retrospective))
    {
        body.push_str(&s.text);
        body.push(' ');
    }
    let headings: Vec<&str> = p.sections.iter().map(|s| s.title.as_str()).collect();
    out.push(Record {
        kind: Kind::Plan,
        title: label.clone(),
        heading: headings.join(" · "),
        body,
        url: url.to_string(),
        status,
        year: year.clone(),
        author: author.clone(),
    });
    for (k, d) in p.decisions.iter().enumerate() {
        out.push(Record {
            kind: Kind::Decision,
            title: label.clone(),
            heading: d.when().map_or_else(|| "Decision".to_string(), |d| d.to_string()),
            body: format!("{} {}", d.text, d.detail.as_deref().unwrap_or("")),
            url: format!("{url}#decision-{}", k + 1),
            status,
            year: d.when().map_or_else(|| year.clone(), |d| d.year().to_string()),
            author: author.clone(),
        });
    }
    if let Some(r) = &p.retrospective {
        let done_year = p.completed_date().map_or_else(|| year.clone(), |d| d.year().to_string());
        for e in &r.entries {
            let part = match e.part {
                RetroPart::WentWell => "What went well",
                RetroPart::WentWrong => "What didn't",
                RetroPart::ToChange => "What to change",
                RetroPart::Other => "Retrospective",
            };
            out.push(Record {
                kind: Kind::Lesson,
                title: label.clone(),
                heading: part.to_string(),
                body: e.text.clone(),
                url: format!("{url}#retrospective"),
                status,
                year: done_year.clone(),
                author: author.clone(),
            });
        }
    }
    out
}
