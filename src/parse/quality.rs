//! QUALITY_SCORE.md: every section that carries a grade (`**Overall: B**`) or a table with a
//! grade column is a domain. Rubric tables (whose first column is the grade itself) and summary
//! sections are not domains; summary rows are kept apart.

use crate::diag::Diagnostic;
use crate::model::{DebtId, Grade, GradeRow, NamedValue, QualityDomain, QualityScore};
use crate::parse::fields::{self, normalize_key};
use crate::parse::html::Html;
use crate::parse::markdown::{self, Node, Outline, lines_of, normalize_title, plain_text, table};
use crate::slug;
use comrak::Arena;
use comrak::nodes::NodeValue;

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
    let mut anchors = slug::Taken::default();
    for part in &outline.parts {
        let mut grade = None;
        let mut field_list = Vec::new();
        let mut rows = Vec::new();
        let mut mentions = String::new();
        for &block in &part.blocks {
            mentions.push_str(&plain_text(block));
            mentions.push(' ');
            if let Some(t) = table(block) {
                rows.extend(grade_rows(&t, html));
                continue;
            }
            if !matches!(block.data.borrow().value, NodeValue::Paragraph | NodeValue::List(_)) {
                continue;
            }
            for f in block_fields(block, &lines) {
                if matches!(
                    normalize_key(&f.0).as_str(),
                    "overall" | "overall grade" | "grade" | "overall score" | "score"
                ) {
                    grade = grade.or_else(|| Grade::parse(&f.1));
                } else {
                    let value_html = html.markdown_inline(&f.1);
                    field_list.push(NamedValue { name: f.0, text: f.1, html: value_html });
                }
            }
        }
        let title = normalize_title(&part.title);
        if title.contains("summary") || title.contains("overview") {
            score.summary.extend(rows);
            continue;
        }
        if grade.is_none() && rows.is_empty() {
            continue;
        }
        let mut related_debt: Vec<DebtId> =
            crate::model::ids::find_all(&mentions, "TD").into_iter().map(|(n, _)| DebtId(n)).collect();
        related_debt.sort();
        related_debt.dedup();
        let mut refs = Vec::new();
        crate::parse::refs::collect(part.heading, path, &mut refs);
        for &b in &part.blocks {
            crate::parse::refs::collect(b, path, &mut refs);
        }
        score.domains.push(QualityDomain {
            refs,
            anchor: slug::unique(slug::slugify(&part.title), &mut anchors),
            name: part.title.clone(),
            grade,
            rows,
            related_debt,
            fields: field_list,
            span: part.span,
        });
    }
    score.html = crate::parse::doc::body_html(root, html);
    (score, diags)
}

fn block_fields(block: Node<'_>, lines: &[&str]) -> Vec<(String, String)> {
    let (a, b) = lines_of(block);
    (a..=b)
        .filter_map(|n| n.checked_sub(1).and_then(|n| lines.get(n as usize)).and_then(|l| fields::parse_line(l)))
        .map(|f| (f.key, f.value))
        .collect()
}

/// Rows of a table with a grade column, unless the grade is the first column (a rubric).
fn grade_rows(t: &markdown::Table<'_>, html: Html<'_>) -> Vec<GradeRow> {
    let is_grade = |h: &str| {
        let h = normalize_title(h);
        matches!(h.as_str(), "grade" | "overall" | "score" | "rating" | "overall grade" | "current grade")
    };
    let Some(col) = t.header.iter().position(|h| is_grade(h)) else { return Vec::new() };
    if col == 0 {
        return Vec::new();
    }
    t.rows
        .iter()
        .filter_map(|(_, cells)| {
            let name = cells.first().map(|c| plain_text(c))?;
            let grade = cells.get(col).and_then(|c| Grade::parse(&plain_text(c)));
            let others: Vec<_> = cells
                .iter()
                .enumerate()
                .filter(|&(i, c)| i != 0 && i != col && !plain_text(c).is_empty())
                .map(|(_, c)| *c)
                .collect();
            let notes: Vec<String> = others.iter().map(|c| plain_text(c)).collect();
            let notes_html: Vec<String> = others.iter().map(|c| html.inlines(c)).collect();
            Some(GradeRow { name, grade, notes: notes.join(" · "), notes_html: notes_html.join(" · ") })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_with_overall_grades_and_dimension_tables() {
        let (q, _) = parse_quality(
            "QUALITY_SCORE.md",
            "# Quality Score\n\n## Scoring Method\n\n| Grade | Criteria |\n|---|---|\n| A | great |\n\n## LLM System\n\n**Scope**: `llm/`\n**Related debt**: TD-010 (resolved)\n\n| Dimension | Grade | Notes |\n|---|---|---|\n| Tests | B | ok |\n| Errors | A | fine |\n\n**Overall: B+**\n\n## Summary Table\n\n| Domain | Overall |\n|---|---|\n| LLM System | B+ |\n",
            Html(None),
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
        let (q, _) = parse_quality(
            "docs/QUALITY_SCORE.md",
            "# Q\n\n## Module Grades\n\n### Core\n\n| Module | File | Grade | Tests |\n|---|---|---|---|\n| ICE | `ice.c` | **A** | 24 |\n\n## Perf\n\nScore: 7/10\n",
            Html(None),
        );
        let names: Vec<_> = q.domains.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["Core", "Perf"]);
        assert_eq!(q.domains[0].rows[0].notes, "ice.c · 24");
        assert_eq!(q.domains[1].grade.as_ref().map(|g| g.score), Some(70));
    }
}
