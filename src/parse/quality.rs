//! QUALITY_SCORE.md: the quality domains and their grades, in the two shapes score files take.
//!
//! - A section per domain: a heading with an overall grade (`**Overall: B**`, `Score: 3`) or a
//!   table of graded dimensions (`| Dimension | Grade | Notes |`).
//! - A table of domains: `| Area | Score | Notes |` before the first section, or under a heading
//!   that names no domain (`Scores`, `Summary`, `Current grades`, `Overview`): each row is a
//!   domain, unless it restates a domain that has its own section (then it is a summary row).
//!
//! The grade column is the first headed Grade, Score, Rating, Level or Overall (`parse::grade`
//! reads the values in any scale). Rubric tables (whose first column is the grade) and sections
//! about the method (`Rubric`, `Scoring method`, `Criteria`) are not domains. No domain a table
//! lists is dropped: a value that reads as no grade is kept as written.

use crate::diag::Diagnostic;
use crate::model::{DebtId, Grade, GradeRow, NamedValue, QualityDomain, QualityScore, Reference, Span};
use crate::parse::fields::{self, normalize_key};
use crate::parse::grade::{self, Range};
use crate::parse::html::Html;
use crate::parse::markdown::{self, Node, Outline, lines_of, normalize_title, plain_text, span_of, table};
use crate::slug;
use comrak::Arena;
use comrak::nodes::NodeValue;
use std::collections::HashSet;

/// Parses the quality score at `path`.
pub(crate) fn parse_quality(path: &str, text: &str, html: Html<'_>) -> (QualityScore, Vec<Diagnostic>) {
    let arena = Arena::new();
    let mut diags = Vec::new();
    let root = markdown::parse_file(&arena, text, path, &mut diags);
    let outline = Outline::new(root, u32::try_from(text.lines().count()).unwrap_or(u32::MAX));
    let lines: Vec<&str> = text.split('\n').collect();
    let mut score = QualityScore {
        path: path.to_string(),
        title: outline.h1.as_ref().map(|(t, _)| t.clone()).unwrap_or_else(|| "Quality Score".to_string()),
        domains: Vec::new(),
        summary: Vec::new(),
        html: String::new(),
    };
    let reader = Reader { path, html, lines: &lines };

    // First every section as written, then the scale of bare overall numbers (`Score: 3`), which
    // is inferred from all of them, then the domains.
    let mut sections = Vec::new();
    let mut listed: Vec<Row> =
        outline.preamble.iter().filter_map(|&b| table(b)).flat_map(|t| reader.rows(&t)).collect();
    for part in &outline.parts {
        let title = normalize_title(&part.title);
        if is_about_method(&title) {
            continue;
        }
        let s = reader.section(part.heading, &part.blocks);
        if is_listing(&title) && !s.rows.is_empty() {
            listed.extend(s.rows);
        } else if is_listing(&title) && is_summary(&title) {
            // A summary's overall grade is the whole project's, not a domain's.
        } else if s.overall.is_some() || !s.rows.is_empty() {
            sections.push((part, s));
        }
    }
    let overall_scale = sections
        .iter()
        .filter_map(|(_, s)| {
            s.overall.as_ref().filter(|o| o.scale.is_none()).and_then(|o| grade::bare_number(&o.value))
        })
        .max_by(f64::total_cmp)
        .and_then(grade::inferred_scale);

    // Domains in document order: sections, and listed rows that restate none of them.
    let named: HashSet<String> = sections.iter().map(|(p, _)| restated_name(&p.title)).collect();
    let mut domains: Vec<QualityDomain> = Vec::new();
    let mut promoted = HashSet::new();
    for row in listed {
        let key = restated_name(&row.name);
        if named.contains(&key) || !promoted.insert(key) {
            score.summary.push(row.into_grade_row());
        } else {
            domains.push(row.into_domain());
        }
    }
    for (part, s) in sections {
        let (grade, value) = match s.overall {
            Some(o) => (grade::read(&o.value, o.scale.or(overall_scale)), o.value),
            None => (None, String::new()),
        };
        let mut related_debt: Vec<DebtId> =
            crate::model::ids::find_all(&s.mentions, "TD").into_iter().map(|(n, _)| DebtId(n)).collect();
        related_debt.sort();
        related_debt.dedup();
        let mut refs = Vec::new();
        crate::parse::refs::collect(part.heading, path, &mut refs);
        for &b in &part.blocks {
            crate::parse::refs::collect(b, path, &mut refs);
        }
        domains.push(QualityDomain {
            refs,
            anchor: String::new(),
            name: part.title.clone(),
            grade,
            value,
            rows: s.rows.into_iter().map(Row::into_grade_row).collect(),
            related_debt,
            fields: s.fields,
            span: part.span,
        });
    }
    domains.sort_by_key(|d| d.span.line);
    let mut anchors = slug::Taken::default();
    for d in &mut domains {
        d.anchor = slug::unique(slug::slugify(&d.name), &mut anchors);
    }
    score.domains = domains;
    score.html = crate::parse::doc::body_html(root, html);
    (score, diags)
}

/// A section that lists domains rather than being one: `Summary`, `Overview`, `Scores`,
/// `Current grades`, `Quality scores (2026 Q3)`, `Domains`.
fn is_listing(title: &str) -> bool {
    const GENERIC: &[&str] = &[
        "summary",
        "overview",
        "score",
        "scores",
        "scorecard",
        "scoring",
        "grade",
        "grades",
        "grading",
        "quality",
        "rating",
        "ratings",
        "domain",
        "domains",
        "area",
        "areas",
        "current",
        "latest",
        "overall",
        "status",
        "state",
        "snapshot",
        "at",
        "a",
        "glance",
        "by",
        "per",
        "and",
        "of",
        "the",
        "table",
        "assessment",
        "health",
        "report",
        "results",
        "matrix",
        "dashboard",
        "components",
        "modules",
        "subsystems",
        "services",
        "systems",
        "crates",
        "packages",
        "features",
        "all",
        "project",
        "codebase",
        "repository",
        "repo",
    ];
    is_summary(title)
        || title.split(' ').all(|w| {
            GENERIC.contains(&w)
                || w.chars().all(|c| c.is_ascii_digit())
                || (w.len() == 2 && w.starts_with('q') && w.ends_with(|c: char| c.is_ascii_digit()))
        })
}

fn is_summary(title: &str) -> bool {
    title.contains("summary") || title.contains("overview")
}

/// Sections about how grades are given, not about a domain.
fn is_about_method(title: &str) -> bool {
    title.split(' ').any(|w| matches!(w, "rubric" | "method" | "methodology" | "legend" | "criteria" | "definitions"))
}

/// The name a summary row and a section are compared by: `Storage (backend)` restates `Storage`.
fn restated_name(name: &str) -> String {
    let before_paren = name.split('(').next().unwrap_or(name);
    markdown::collapse_whitespace(before_paren).to_lowercase()
}

/// Plain `Key: value` keys a score file uses besides the common ones (`Score`, `Grade`, `Overall`).
const QUALITY_KEYS: &[&str] = &["rating", "level", "current score", "current grade", "quality score", "overall rating"];

struct Reader<'r> {
    path: &'r str,
    html: Html<'r>,
    lines: &'r [&'r str],
}

/// An overall grade as written, with the scale its key states (`Score (0-4): 3`).
struct Overall {
    value: String,
    scale: Option<Range>,
}

/// What one section holds.
struct Section {
    overall: Option<Overall>,
    fields: Vec<NamedValue>,
    rows: Vec<Row>,
    /// The section's text, for the debt it names.
    mentions: String,
}

/// A graded table row.
struct Row {
    name: String,
    grade: Option<Grade>,
    value: String,
    /// The other non-empty columns under their headers.
    cells: Vec<NamedValue>,
    span: Span,
    refs: Vec<Reference>,
    text: String,
}

impl Row {
    fn into_grade_row(self) -> GradeRow {
        let notes: Vec<&str> = self.cells.iter().map(|c| c.text.as_str()).collect();
        let notes_html: Vec<&str> = self.cells.iter().map(|c| c.html.as_str()).collect();
        GradeRow {
            name: self.name,
            grade: self.grade,
            value: self.value,
            notes: notes.join(" · "),
            notes_html: notes_html.join(" · "),
        }
    }

    fn into_domain(self) -> QualityDomain {
        let mut related_debt: Vec<DebtId> =
            crate::model::ids::find_all(&self.text, "TD").into_iter().map(|(n, _)| DebtId(n)).collect();
        related_debt.sort();
        related_debt.dedup();
        QualityDomain {
            name: self.name,
            anchor: String::new(),
            grade: self.grade,
            value: self.value,
            rows: Vec::new(),
            related_debt,
            refs: self.refs,
            fields: self.cells,
            span: self.span,
        }
    }
}

impl Reader<'_> {
    fn section(&self, heading: Node<'_>, blocks: &[Node<'_>]) -> Section {
        let mut s = Section { overall: None, fields: Vec::new(), rows: Vec::new(), mentions: plain_text(heading) };
        for &block in blocks {
            s.mentions.push(' ');
            s.mentions.push_str(&plain_text(block));
            if let Some(t) = table(block) {
                s.rows.extend(self.rows(&t));
                continue;
            }
            if !matches!(block.data.borrow().value, NodeValue::Paragraph | NodeValue::List(_)) {
                continue;
            }
            for (key, value) in self.block_fields(block) {
                let is_overall = matches!(normalize_key(&key).as_str(), "overall" | "overall grade" | "overall score")
                    || grade::is_grade_header(&key);
                if is_overall {
                    if s.overall.is_none() {
                        s.overall = Some(Overall { scale: grade::header_scale(&key), value });
                    }
                } else {
                    let value_html = self.html.markdown_inline(&value);
                    s.fields.push(NamedValue { name: key, text: value, html: value_html });
                }
            }
        }
        s
    }

    fn block_fields(&self, block: Node<'_>) -> Vec<(String, String)> {
        let (a, b) = lines_of(block);
        let lines = (a..=b).filter_map(|n| n.checked_sub(1).and_then(|i| self.lines.get(i as usize)).map(|l| (n, *l)));
        fields::parse_block(lines, QUALITY_KEYS).into_iter().map(|(_, f)| (f.key, f.value)).collect()
    }

    /// Rows of a table with a grade column, unless the grade is the first column (a rubric).
    /// Bare numbers are read on the header's scale, or on the one the largest of them implies.
    fn rows(&self, t: &markdown::Table<'_>) -> Vec<Row> {
        let Some(col) = t.header.iter().position(|h| grade::is_grade_header(h)) else { return Vec::new() };
        if col == 0 {
            return Vec::new();
        }
        let values: Vec<String> =
            t.rows.iter().map(|(_, cells)| cells.get(col).map(|c| plain_text(c)).unwrap_or_default()).collect();
        let scale = t.header.get(col).and_then(|h| grade::header_scale(h)).or_else(|| {
            values
                .iter()
                .filter_map(|v| grade::bare_number(v))
                .filter(|&v| v <= 100.0)
                .max_by(f64::total_cmp)
                .and_then(grade::inferred_scale)
        });
        t.rows
            .iter()
            .zip(values)
            .filter_map(|((row, cells), value)| {
                let name = cells.first().map(|c| plain_text(c)).filter(|n| !n.is_empty())?;
                let cells: Vec<NamedValue> = cells
                    .iter()
                    .enumerate()
                    .filter(|&(i, c)| i != 0 && i != col && !plain_text(c).is_empty())
                    .map(|(i, c)| NamedValue {
                        name: t.header.get(i).cloned().unwrap_or_else(|| format!("Column {}", i + 1)),
                        text: plain_text(c),
                        html: self.html.inlines(c),
                    })
                    .collect();
                let mut refs = Vec::new();
                crate::parse::refs::collect(row, self.path, &mut refs);
                Some(Row {
                    name,
                    grade: grade::read(&value, scale),
                    value,
                    cells,
                    span: span_of(row),
                    refs,
                    text: plain_text(row),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Scale, ScaleSource};

    fn parse(text: &str) -> QualityScore {
        parse_quality("QUALITY_SCORE.md", text, Html(None)).0
    }

    fn domains(q: &QualityScore) -> Vec<(&str, Option<&str>, Option<u8>)> {
        q.domains
            .iter()
            .map(|d| (d.name.as_str(), d.grade.as_ref().map(|g| g.raw.as_str()), d.grade.as_ref().map(|g| g.score)))
            .collect()
    }

    #[test]
    fn domains_with_overall_grades_and_dimension_tables() {
        let q = parse(
            "# Quality Score\n\n## Scoring Method\n\n| Grade | Criteria |\n|---|---|\n| A | great |\n\n## LLM System\n\n**Scope**: `llm/`\n**Related debt**: TD-010 (resolved)\n\n| Dimension | Grade | Notes |\n|---|---|---|\n| Tests | B | ok |\n| Errors | A | fine |\n\n**Overall: B+**\n\n## Summary Table\n\n| Domain | Overall |\n|---|---|\n| LLM System | B+ |\n",
        );
        assert_eq!(q.domains.len(), 1, "rubric and summary are not domains");
        let d = &q.domains[0];
        assert_eq!((d.name.as_str(), d.anchor.as_str()), ("LLM System", "llm-system"));
        assert_eq!(d.grade.as_ref().map(|g| g.raw.as_str()), Some("B+"));
        assert_eq!(d.rows.len(), 2);
        assert_eq!(d.rows[0].grade.as_ref().map(|g| g.score), Some(85));
        assert_eq!(d.related_debt, vec![DebtId(10)]);
        assert!(d.fields.iter().any(|f| f.name == "Scope" && f.text == "`llm/`"));
        assert_eq!(q.summary.len(), 1);
    }

    #[test]
    fn module_tables_and_numeric_scales() {
        let q = parse(
            "# Q\n\n## Module Grades\n\n### Core\n\n| Module | File | Grade | Tests |\n|---|---|---|---|\n| ICE | `ice.c` | **A** | 24 |\n\n## Perf\n\nScore: 7/10\n",
        );
        let names: Vec<_> = q.domains.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Core", "Perf"]);
        assert_eq!(q.domains[0].rows[0].notes, "ice.c · 24");
        assert_eq!(q.domains[1].grade.as_ref().map(|g| g.score), Some(70));
    }

    #[test]
    fn a_table_of_areas_is_one_domain_per_row() {
        let q = parse(
            "# Quality\n\n## Scores\n\n| Area | Score | Notes |\n|---|---|---|\n| Parser | 3 | solid, see TD-002 |\n| Renderer | 2 | |\n| CLI | 4 | |\n| Docs | n/a | not graded yet |\n",
        );
        assert_eq!(
            domains(&q),
            [
                ("Parser", Some("3"), Some(75)),
                ("Renderer", Some("2"), Some(50)),
                ("CLI", Some("4"), Some(100)),
                ("Docs", None, None)
            ]
        );
        let parser = &q.domains[0];
        assert_eq!(parser.anchor, "parser");
        assert_eq!(parser.related_debt, vec![DebtId(2)]);
        assert_eq!(parser.fields[0].name, "Notes");
        assert_eq!(
            parser.grade.as_ref().map(|g| g.scale),
            Some(Scale::Range { min: 0.0, max: 4.0, from: ScaleSource::Inferred })
        );
        assert_eq!(q.domains[3].value, "n/a", "kept as written");
        assert!(q.summary.is_empty());
    }

    #[test]
    fn every_scale_in_the_header_or_the_value() {
        let q = parse(
            "# Q\n\n| Component | Rating (1-5) | Owner |\n|---|---|---|\n| API | 5 | a |\n| Web | 3/5 | b |\n\n## Current grades\n\n| Domain | Grade |\n|---|---|\n| Sync | B- |\n| Auth | good |\n| Search | 62% |\n| Jobs | ★★☆☆☆ |\n",
        );
        assert_eq!(
            domains(&q),
            [
                ("API", Some("5"), Some(100)),
                ("Web", Some("3/5"), Some(60)),
                ("Sync", Some("B-"), Some(82)),
                ("Auth", Some("good"), Some(85)),
                ("Search", Some("62%"), Some(62)),
                ("Jobs", Some("★★☆☆☆"), Some(40)),
            ]
        );
    }

    #[test]
    fn summary_rows_restating_sections_stay_summary_rows() {
        let q = parse(
            "# Q\n\n## Overview\n\n| Area | Level |\n|---|---|\n| Storage (backend) | 2 |\n| Billing | 1 |\n\n## Storage\n\n**Level (0-3)**: 2\n",
        );
        assert_eq!(domains(&q), [("Billing", Some("1"), Some(25)), ("Storage", Some("2"), Some(67))]);
        assert_eq!(q.summary.len(), 1);
        assert_eq!(q.summary[0].name, "Storage (backend)");
    }

    #[test]
    fn bare_overall_numbers_share_one_inferred_scale() {
        let q = parse("# Q\n\n## API\n\nScore: 7\n\n## Web\n\nScore: 4\n");
        assert_eq!(domains(&q), [("API", Some("7"), Some(70)), ("Web", Some("4"), Some(40))]);
    }

    #[test]
    fn equal_names_get_distinct_anchors() {
        let q = parse(
            "| Area | Score |\n|---|---|\n| Build | A |\n\n## Build\n\n| Step | Grade |\n|---|---|\n| Lint | B |\n",
        );
        let anchors: Vec<_> = q.domains.iter().map(|d| d.anchor.as_str()).collect();
        assert_eq!(anchors, ["build"], "the row restates the section");
        let q = parse("| Area | Score |\n|---|---|\n| Build | A |\n| Build | B |\n");
        let anchors: Vec<_> = q.domains.iter().map(|d| d.anchor.as_str()).collect();
        assert_eq!(anchors, ["build"], "a repeated row is a summary row");
        assert_eq!(q.summary.len(), 1);
        let q = parse("| Area | Score |\n|---|---|\n| C | A |\n| C++ | B |\n");
        let anchors: Vec<_> = q.domains.iter().map(|d| d.anchor.as_str()).collect();
        assert_eq!(anchors, ["c", "c-2"]);
    }
}
