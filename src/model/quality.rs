//! QUALITY_SCORE.md: quality domains with their grades (in any scale) and the debt they name.

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

/// A quality domain: a section of QUALITY_SCORE.md that carries a grade or a table of grades, or
/// a row of a table that grades the domains themselves (`| Area | Score | Notes |`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QualityDomain {
    /// The heading text, or the row's first column.
    pub name: String,
    /// Anchor on the quality page (slug of the name).
    pub anchor: String,
    /// The overall grade (`**Overall: B**`, the row's grade), when it reads as one.
    pub grade: Option<Grade>,
    /// The grade as written, also when it does not read as one (`n/a`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// Graded rows of the section's tables (dimensions, modules).
    pub rows: Vec<GradeRow>,
    /// Debt items the section names.
    pub related_debt: Vec<DebtId>,
    /// References written in the section.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<super::Reference>,
    /// Other `**Key**: value` fields (Scope, Priority action, Verify), or the row's other columns.
    pub fields: Vec<super::NamedValue>,
    /// The heading's (or the row's) position.
    pub span: Span,
}

/// A graded row of a table.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GradeRow {
    /// The row's first column.
    pub name: String,
    /// Its grade, when it reads as one.
    pub grade: Option<Grade>,
    /// The grade cell as written (shown as it is when it does not read as a grade: `n/a`, `TBD`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    /// The rest of the row, joined.
    pub notes: String,
    /// The rest of the row, rendered inline and joined.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes_html: String,
}

/// A grade as written, with a 0–100 score so grades of different scales can be coloured alike.
/// `parse::grade` reads them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// As written (`B+`, `7/10`, `85%`, `3`, `Good`).
    pub raw: String,
    /// A letter grade's letter, upper case.
    pub letter: Option<char>,
    /// 0 (worst) to 100 (best).
    pub score: u8,
    /// What the score was read against.
    pub scale: Scale,
}

/// The scale a grade was read on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Scale {
    /// A to F, with `+` / `-`.
    Letter,
    /// Words: `excellent`, `good`, `fair`, `needs work`, `poor`...
    Word,
    /// A percentage.
    Percent,
    /// Stars (`★★★☆☆`): filled of all.
    Stars,
    /// A number from `min` (worst) to `max` (best).
    Range {
        /// The worst value.
        min: f64,
        /// The best value.
        max: f64,
        /// Where the range comes from.
        from: ScaleSource,
    },
}

/// Where a numeric grade's range comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScaleSource {
    /// The value itself (`3/5`).
    Value,
    /// The column header or field key (`Score (0–4)`, `Rating /10`).
    Header,
    /// The largest number of the same table (or of the document's overall grades).
    Inferred,
}

impl Grade {
    /// A sentence saying how the grade was read, for a tooltip: `3 on a 0–4 scale (inferred): 75/100`.
    pub fn explain(&self) -> String {
        let range = |min: f64, max: f64| format!("{}–{}", number(min), number(max));
        match self.scale {
            Scale::Letter | Scale::Percent => format!("score {}/100", self.score),
            Scale::Range { from: ScaleSource::Value, .. } => format!("score {}/100", self.score),
            Scale::Word => format!("{}, read as {}/100", self.raw, self.score),
            Scale::Stars => format!("{} stars, read as {}/100", self.raw, self.score),
            Scale::Range { min, max, from: ScaleSource::Header } => {
                format!("{} on a {} scale (from the header): {}/100", self.raw, range(min, max), self.score)
            }
            Scale::Range { min, max, from: ScaleSource::Inferred } => format!(
                "{} on a {} scale (inferred from the largest value): {}/100",
                self.raw,
                range(min, max),
                self.score
            ),
        }
    }
}

/// `4`, `0.5`: a number without a trailing `.0`.
fn number(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") }
}
