//! The tech debt tracker: items with an ID, a status, a priority and their other fields by name.

use super::{DebtId, Span};
use serde::{Deserialize, Serialize};

/// TECH_DEBT_TRACKER.md (or `tech-debt-tracker.md`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DebtTracker {
    /// Path relative to the root.
    pub path: String,
    /// The H1, or "Tech Debt Tracker".
    pub title: String,
    /// Items in document order (an item written in two tables appears once, fields merged).
    pub items: Vec<DebtItem>,
    /// The whole tracker as written (its prose: priority levels, how to add an item), rendered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
}

/// One debt item.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DebtItem {
    /// `TD-NNN`, when the item has one (checkbox trackers often do not).
    pub id: Option<DebtId>,
    /// The anchor on the debt page: `td-004`; for an item without an ID the slug of its title
    /// (its heading's GitHub anchor), made unique with `-2`, `-3`...
    pub anchor: String,
    /// A one-line summary: the Description / Title column (else the first text column), heading
    /// or checkbox text.
    pub title: String,
    /// The summary, rendered inline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title_html: String,
    /// Normalised status.
    pub status: DebtStatus,
    /// Priority as written (`P1`, `High`), when there is one.
    pub priority: Option<String>,
    /// When it was resolved: the date of a `Resolved` field or column, or in its status
    /// (`resolved (2026-03-02)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved_on: Option<jiff::civil::Date>,
    /// Every field by column or key name, as written (struck-through text unwrapped).
    pub fields: Vec<super::NamedValue>,
    /// The heading the item sits under (`Active Debt`, `Resolved`...); for an item written as a
    /// heading, the nearest heading above it.
    pub group: Option<String>,
    /// References written in the item (its row, heading section or checkbox).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<super::Reference>,
    /// Where the item starts.
    pub span: Span,
}

impl DebtItem {
    /// A field by name, case-insensitively.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.name.eq_ignore_ascii_case(name)).map(|f| f.text.as_str())
    }
}

/// A debt item's status, normalised, with the text as written.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DebtStatus {
    /// Normalised kind.
    pub kind: DebtStatusKind,
    /// As written (`in-progress`, `Partially resolved`), or `None` when implied (struck row).
    pub raw: Option<String>,
}

/// Debt states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DebtStatusKind {
    /// Identified, not started.
    Open,
    /// Being worked on.
    InProgress,
    /// Fixed.
    Resolved,
    /// Accepted as is.
    WontFix,
    /// Unknown.
    Other,
}

impl DebtStatusKind {
    /// The state's one name, as serialised and as pages and the search index show it:
    /// `open`, `in-progress`, `resolved`, `wont-fix`, `other`.
    pub fn name(self) -> &'static str {
        match self {
            DebtStatusKind::Open => "open",
            DebtStatusKind::InProgress => "in-progress",
            DebtStatusKind::Resolved => "resolved",
            DebtStatusKind::WontFix => "wont-fix",
            DebtStatusKind::Other => "other",
        }
    }

    /// Whether the item still counts as debt.
    pub fn is_open(self) -> bool {
        matches!(self, DebtStatusKind::Open | DebtStatusKind::InProgress | DebtStatusKind::Other)
    }
}
