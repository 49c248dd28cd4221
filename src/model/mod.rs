//! The harness model: what planbook knows about a repository's plans, debt and quality docs.
//!
//! Everything here is plain data (serde-serialisable, no comrak, tera or filesystem types), so the
//! same values feed `check`, the JSON output and the site. The parse stage builds it; nothing here
//! parses or renders. Collections are kept in a stable order (plans by number then file stem) so
//! everything derived from the model is deterministic.

mod debt;
pub mod ids;
mod plan;
mod quality;
mod refs;

pub use debt::{DebtItem, DebtStatus, DebtStatusKind, DebtTracker};
pub use ids::{DebtId, PlanNumber};
pub use plan::{
    Criterion, DateField, Decision, DecisionForm, Field, FolderState, GitStamp, Plan, PlanGit, RetroEntry, RetroPart,
    Retrospective, Section, SectionKind, Status, StatusKind, Step, StepGit, StepMarker, StepSource,
};
pub use quality::{Grade, GradeRow, QualityDomain, QualityScore, Scale, ScaleSource};
pub use refs::{FileMentions, RefTarget, Reference, Relation};

/// A named value as written (a table cell under its header, a `**Key**: value` field), with its
/// plain text and its rendered inline HTML (empty unless the parse rendered HTML).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NamedValue {
    /// The column header or key.
    pub name: String,
    /// Plain text.
    pub text: String,
    /// Inline HTML.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
}

use serde::{Deserialize, Serialize};

/// A position in a source file: 1-based line and column (columns count bytes, as comrak does).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based byte column.
    pub col: u32,
    /// Length in bytes of the highlighted text on that line (0: just a point).
    pub len: u32,
}

impl Span {
    /// A span at the start of `line`.
    pub fn line(line: u32) -> Span {
        Span { line, col: 1, len: 0 }
    }
}

/// Everything read from one repository.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Harness {
    /// The harness folder relative to the root, with `/` separators (`docs/harness`, `docs`, `.`).
    pub harness_dir: String,
    /// Every exec plan, sorted by number (unnumbered last), then file stem.
    pub plans: Vec<Plan>,
    /// The tech debt tracker, when the harness has one.
    pub debt: Option<DebtTracker>,
    /// QUALITY_SCORE.md, when the harness has one.
    pub quality: Option<QualityScore>,
    /// Every other Markdown document: harness docs and AGENTS.md / PLANS.md at the root.
    pub docs: Vec<Doc>,
    /// References from the rest of the repository (source code, other Markdown), by file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<FileMentions>,
    /// The date of the repository's newest commit, when it has history: "now" for staleness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_commit: Option<jiff::civil::Date>,
}

impl Harness {
    /// Puts collections in their canonical order. The parse stage calls this once.
    pub fn sort(&mut self) {
        self.plans.sort_by(|a, b| {
            (a.number.is_none(), a.number, &a.stem, &a.path).cmp(&(b.number.is_none(), b.number, &b.stem, &b.path))
        });
        self.docs.sort_by(|a, b| a.path.cmp(&b.path));
        self.mentions.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

/// What a non-plan document is to the harness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    /// A Markdown file under the harness folder (INDEX.md, architecture notes...).
    Harness,
    /// `AGENTS.md` or `PLANS.md` at the repository root.
    Root,
    /// A plan's companion file (`NNN-x.progress.md`, `NNN-x.acceptance.json`): shown on the
    /// plan's page, not as a page of its own. `Doc::owner` names the plan.
    Companion,
    /// A planning-workflow draft (`drafts:`, default `.vtcode/plans/`): a Proposal, not an exec
    /// plan; never numbered, not held to the rules.
    Draft,
}

impl DocKind {
    /// The kind's name in reports (`harness`, `root`).
    pub fn name(self) -> &'static str {
        match self {
            DocKind::Harness => "harness",
            DocKind::Root => "root",
            DocKind::Companion => "companion",
            DocKind::Draft => "draft",
        }
    }
}

/// A harness document that is neither a plan, the debt tracker nor the quality score.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Doc {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// File name without `.md`.
    pub stem: String,
    /// Where the document sits.
    pub kind: DocKind,
    /// The H1, front matter `title`, or the file stem.
    pub title: String,
    /// Every heading, in order, for tables of contents and search.
    pub headings: Vec<Heading>,
    /// References it makes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<Reference>,
    /// Its sections (text under each heading), for search.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<DocSection>,
    /// The document below its H1, rendered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
    /// For a companion file, the path of the plan it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

/// The text under one heading of a document (or before the first heading).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DocSection {
    /// The heading's text (empty for the text before the first heading).
    pub heading: String,
    /// The heading's anchor on the doc page (empty when it has none).
    pub anchor: String,
    /// Plain text of the section.
    pub text: String,
}

/// A heading of a document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text of the heading.
    pub text: String,
    /// Where it is.
    pub span: Span,
}
