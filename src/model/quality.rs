//! QUALITY_SCORE.md: quality domains with their grades and the debt they name.

use super::{DebtId, Span};
use serde::{Deserialize, Serialize};

/// The quality score document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QualityScore {
    /// Path relative to the root.
    pub path: String,
    /// The H1, or "Quality Score".
    pub title: String,
    /// Graded domains, in document order.
    pub domains: Vec<QualityDomain>,
    /// Rows of summary tables (sections named "Summary"/"Overview"), which restate domains.
    pub summary: Vec<GradeRow>,
    /// The whole document as written, rendered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
}

/// A section of QUALITY_SCORE.md that carries a grade or a table of grades.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QualityDomain {
    /// The heading text.
    pub name: String,
    /// Anchor on the quality page (slug of the name).
    pub anchor: String,
    /// The overall grade (`**Overall: B**`), when written.
    pub grade: Option<Grade>,
    /// Graded rows of the section's tables (dimensions, modules).
    pub rows: Vec<GradeRow>,
    /// Debt items the section names.
    pub related_debt: Vec<DebtId>,
    /// References written in the section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<super::Reference>,
    /// Other `**Key**: value` fields (Scope, Priority action, Verify).
    pub fields: Vec<super::NamedValue>,
    /// The heading's position.
    pub span: Span,
}

/// A graded row of a table.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GradeRow {
    /// The row's first column.
    pub name: String,
    /// Its grade, when it reads as one.
    pub grade: Option<Grade>,
    /// The rest of the row, joined.
    pub notes: String,
    /// The rest of the row, rendered inline and joined.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes_html: String,
}

/// A grade as written, with a 0–100 score so grades of different scales can be coloured alike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// As written (`B+`, `7/10`, `85%`).
    pub raw: String,
    /// A letter grade's letter, upper case.
    pub letter: Option<char>,
    /// 0 (worst) to 100 (best).
    pub score: u8,
}

impl Grade {
    /// Reads `A`, `B+`, `**A-**`, `C (needs work)`, `7/10`, `3.5/5`, `85%`, `85/100`.
    pub fn parse(text: &str) -> Option<Grade> {
        let t = text.trim().trim_matches('*').trim();
        let first = t.split(|c: char| c.is_whitespace() || c == '(' || c == ',').next()?;
        let first = first.trim_matches('*');
        if first.is_empty() {
            return None;
        }
        let mut chars = first.chars();
        let c = chars.next()?.to_ascii_uppercase();
        let rest = chars.as_str();
        if ('A'..='F').contains(&c) && matches!(rest, "" | "+" | "-" | "−") {
            let base: i32 = match c {
                'A' => 95,
                'B' => 85,
                'C' => 75,
                'D' => 65,
                'E' => 55,
                _ => 40,
            };
            let adj = match rest {
                "+" => 3,
                "" => 0,
                _ => -3,
            };
            return Some(Grade { raw: first.to_string(), letter: Some(c), score: (base + adj) as u8 });
        }
        let number = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0);
        let score = if let Some(p) = first.strip_suffix('%') {
            number(p)?
        } else if let Some((a, b)) = first.split_once('/') {
            let (a, b) = (number(a)?, number(b)?);
            if b <= 0.0 {
                return None;
            }
            a / b * 100.0
        } else {
            return None;
        };
        if score > 100.0 {
            return None;
        }
        Some(Grade { raw: first.to_string(), letter: None, score: score.round() as u8 })
    }
}

#[cfg(test)]
mod tests {
    use super::Grade;

    #[test]
    fn reads_letter_and_numeric_grades() {
        let g = |s| Grade::parse(s).map(|g| (g.raw, g.letter, g.score));
        assert_eq!(g("**A**"), Some(("A".into(), Some('A'), 95)));
        assert_eq!(g("B+"), Some(("B+".into(), Some('B'), 88)));
        assert_eq!(g("A- (close)"), Some(("A-".into(), Some('A'), 92)));
        assert_eq!(g("7/10"), Some(("7/10".into(), None, 70)));
        assert_eq!(g("3.5/5"), Some(("3.5/5".into(), None, 70)));
        assert_eq!(g("85%"), Some(("85%".into(), None, 85)));
        assert_eq!(g("—"), None);
        assert_eq!(g("Grade"), None);
        assert_eq!(g("Excellent"), None);
        assert_eq!(g("12/0"), None);
    }
}
