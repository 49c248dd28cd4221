//! An exec plan: header fields, sections, steps, decision log and retrospective.

use super::{PlanNumber, Span};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One exec plan file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Plan {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// File name without `.md`: the plan's URL slug, stable across moves between state folders.
    pub stem: String,
    /// The state folder under `exec-plans/` as written (`active`, `completed`, `active/drafts`).
    pub folder: String,
    /// What the folder says about the plan's state.
    pub folder_state: FolderState,
    /// The plan number, from the file name, front matter `id` or an `EP-NNN` H1.
    pub number: Option<PlanNumber>,
    /// Front matter `id` as written (`0032` stays `0032`).
    pub id_raw: Option<String>,
    /// How many digits the file name (or `id`) writes the number with: `EP-0035` for
    /// `0035-x.md`; 0 when unknown (labels use three).
    #[serde(default)]
    pub number_width: u8,
    /// Title without the `EP-NNN:` prefix.
    pub title: String,
    /// Where the H1 is (line 1 when there is none).
    pub title_span: Span,
    /// Whether the file has front matter.
    pub has_front_matter: bool,
    /// The written status, normalised.
    pub status: Status,
    /// `Author` (or `Owner` when no author is written).
    pub author: Option<String>,
    /// `Owner`, when written.
    pub owner: Option<String>,
    /// `Created` / `Opened` / `Started`; for date-named files, the date in the name.
    pub created: Option<DateField>,
    /// `Completed` / `Closed`, or a date in a status like `Completed (2026-03-26)`.
    pub completed: Option<DateField>,
    /// `Last reviewed` / `Updated`.
    pub last_reviewed: Option<DateField>,
    /// Every header field as written, in order (front matter first).
    pub fields: Vec<Field>,
    /// Sections by heading, in document order.
    pub sections: Vec<Section>,
    /// The Goal: a Goal section's text or an inline `**Goal:**` field.
    pub goal: Option<String>,
    /// The Goal, rendered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub goal_html: String,
    /// Blocks between the header fields and the first section (an introduction), rendered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub intro_html: String,
    /// Plain text of the Context section.
    pub context: Option<String>,
    /// Steps, in document order (nested task items keep their depth).
    pub steps: Vec<Step>,
    /// Checklists outside the steps (acceptance criteria, validation, any other section), in
    /// document order: kept apart from steps, their counts and their rules.
    pub criteria: Vec<Criterion>,
    /// Decision-log entries, in document order.
    pub decisions: Vec<Decision>,
    /// The Retrospective section, when present.
    pub retrospective: Option<Retrospective>,
    /// Number of lines in the file.
    pub line_count: u32,
    /// Every reference the plan makes (text, links, front matter), in file order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<super::Reference>,
    /// What git says about the file, when the repository has history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<PlanGit>,
}

/// A commit a date comes from: shown as "from git" with the commit and its author.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitStamp {
    /// The commit's date (UTC).
    pub date: Date,
    /// The abbreviated commit id.
    pub commit: String,
    /// The author's name (empty with `git_authors: none`); never an e-mail address.
    pub author: String,
}

/// What git says about a plan file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanGit {
    /// The commit that added the file.
    pub created: Option<GitStamp>,
    /// For a finished plan, the commit that moved it to a finished folder or wrote its status.
    pub finished: Option<GitStamp>,
    /// The last commit that touched it.
    pub last: Option<GitStamp>,
    /// Whether the file has uncommitted changes.
    pub dirty: bool,
    /// For an active plan no commit has touched for `stale_after_days` before the repository's
    /// newest commit: how many days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale_days: Option<i64>,
}

/// When git first saw a step, and each of its states.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepGit {
    /// The commit that added the step.
    pub added: Option<GitStamp>,
    /// The first commit with `[~]`.
    pub started: Option<GitStamp>,
    /// The first commit with `[x]`.
    pub done: Option<GitStamp>,
    /// The first commit with `[!]`.
    pub blocked: Option<GitStamp>,
}

impl Plan {
    /// The state the plan is in: the written status when it is a known one, else the folder's.
    pub fn state(&self) -> StatusKind {
        match self.status.kind {
            StatusKind::Other => match self.folder_state {
                FolderState::Active => StatusKind::Active,
                FolderState::Draft => StatusKind::Draft,
                FolderState::Completed => StatusKind::Completed,
                FolderState::Abandoned => StatusKind::Abandoned,
                FolderState::Other => StatusKind::Other,
            },
            kind => kind,
        }
    }

    /// Steps counted as done and the total (checklists outside the steps are not steps: see
    /// `Plan::criteria`).
    pub fn progress(&self) -> (usize, usize) {
        let done = self.steps.iter().filter(|s| s.marker == StepMarker::Done).count();
        (done, self.steps.len())
    }

    /// The first section of a kind.
    pub fn section(&self, kind: SectionKind) -> Option<&Section> {
        self.sections.iter().find(|s| s.kind == kind)
    }

    /// The Created date as written, else the commit that added the file.
    pub fn created_date(&self) -> Option<Date> {
        self.created.as_ref().and_then(|d| d.date).or_else(|| self.git_created().map(|s| s.date))
    }

    /// The commit that added the file, when the text writes no Created date.
    pub fn git_created(&self) -> Option<&GitStamp> {
        if self.created.as_ref().is_some_and(|d| d.date.is_some()) {
            return None;
        }
        self.git.as_ref()?.created.as_ref()
    }

    /// The Completed date as written, else (for a finished plan) the commit that finished it.
    pub fn completed_date(&self) -> Option<Date> {
        self.completed.as_ref().and_then(|d| d.date).or_else(|| self.git_completed().map(|s| s.date))
    }

    /// The commit that finished the plan, when the text writes no Completed date.
    pub fn git_completed(&self) -> Option<&GitStamp> {
        if self.completed.as_ref().is_some_and(|d| d.date.is_some()) {
            return None;
        }
        self.git.as_ref()?.finished.as_ref()
    }

    /// `EP-012` (`EP-0035` when the repository writes four digits) or the file stem: how
    /// diagnostics and pages name the plan.
    pub fn label(&self) -> String {
        match self.number {
            Some(n) if self.number_width > 3 => format!("EP-{:0width$}", n.0, width = usize::from(self.number_width)),
            Some(n) => n.to_string(),
            None => self.stem.clone(),
        }
    }
}

/// The state a plan's folder implies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FolderState {
    /// `active/`, `in-progress/`.
    Active,
    /// `active/drafts/`, `drafts/`, `proposed/`.
    Draft,
    /// `completed/`, `done/`, `archive/`.
    Completed,
    /// `abandoned/`, `cancelled/`.
    Abandoned,
    /// Anything else.
    Other,
}

/// A plan's status as written, normalised.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Status {
    /// The normalised kind. `Other` also when nothing is written (see `raw`).
    pub kind: StatusKind,
    /// The text as written, e.g. `Complete (2026-04-05)`; `None` when there is no status.
    pub raw: Option<String>,
    /// Where it is written.
    pub span: Option<Span>,
}

/// The lifecycle states planbook understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusKind {
    /// Being worked on (`Active`, `In progress`, `WIP`, `Blocked`, `Approved`).
    Active,
    /// Finished (`Done`, `Shipped`, `Implemented`).
    Completed,
    /// Stopped before finishing (`Cancelled`, `Rejected`, `Deprecated`).
    Abandoned,
    /// Finished by another plan taking over (`Superseded by EP-012`): its open steps moved there.
    Superseded,
    /// Not started: written down to be discussed (`Draft`, `Proposed`, `Planned`).
    Draft,
    /// Unknown or not written.
    Other,
}

impl StatusKind {
    /// Lower-case name, as used in CSS classes and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            StatusKind::Active => "active",
            StatusKind::Completed => "completed",
            StatusKind::Abandoned => "abandoned",
            StatusKind::Superseded => "superseded",
            StatusKind::Draft => "draft",
            StatusKind::Other => "other",
        }
    }

    /// Whether the plan's work is over: completed, abandoned or superseded.
    pub fn is_finished(self) -> bool {
        matches!(self, StatusKind::Completed | StatusKind::Abandoned | StatusKind::Superseded)
    }

    /// Whether the plan stopped without being completed: abandoned or superseded.
    pub fn is_stopped(self) -> bool {
        matches!(self, StatusKind::Abandoned | StatusKind::Superseded)
    }
}

/// A date written in a header field.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DateField {
    /// The date, when it could be read.
    pub date: Option<Date>,
    /// The text as written.
    pub raw: String,
    /// Where it is written.
    pub span: Span,
}

/// A `Key: value` header field (front matter or `**Key**: value` lines).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Field {
    /// The key as written (`Status`, `last_reviewed`).
    pub key: String,
    /// The value as written, trimmed.
    pub value: String,
    /// Where the value starts.
    pub span: Span,
    /// Taken into a field of the plan that pages show in a place of its own (title, status,
    /// people, dates, goal, id): pages list only the others as they are written.
    #[serde(default)]
    pub placed: bool,
}

/// A section of a plan, started by a heading.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Section {
    /// What the heading names.
    pub kind: SectionKind,
    /// The heading text.
    pub title: String,
    /// Heading level (2 for `##`).
    pub level: u8,
    /// The heading's position.
    pub span: Span,
    /// Last line of the section (before the next heading of the same or a higher level).
    pub end_line: u32,
    /// Whether the section is not nested in another section.
    #[serde(default)]
    pub top: bool,
    /// For a top-level section: everything below its heading (sub-headings included), rendered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
    /// For a top-level section: its plain text (sub-sections included), for search.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Whether the section holds more than its structured view shows (tables between steps,
    /// prose in a decision log), so the page also shows it as written.
    #[serde(default)]
    pub has_extra: bool,
}

/// The sections the convention names, recognised through their common spellings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Goal / Objective.
    Goal,
    /// Context / Background / Motivation.
    Context,
    /// Steps / Implementation Steps / Tasks / Progress.
    Steps,
    /// Decision Log / Decisions.
    DecisionLog,
    /// Retrospective / Lessons learned.
    Retrospective,
    /// Acceptance criteria / Exit criteria / Done when / Validation / Verification / Test plan.
    Criteria,
    /// Scope / Non-goals.
    Scope,
    /// Risks.
    Risks,
    /// Anything else.
    Other,
}

impl SectionKind {
    /// The canonical name, used in messages.
    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Goal => "Goal",
            SectionKind::Context => "Context",
            SectionKind::Steps => "Steps",
            SectionKind::DecisionLog => "Decision Log",
            SectionKind::Retrospective => "Retrospective",
            SectionKind::Criteria => "Exit Criteria",
            SectionKind::Scope => "Scope",
            SectionKind::Risks => "Risks",
            SectionKind::Other => "Other",
        }
    }
}

/// A step marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepMarker {
    /// `[ ]`
    Todo,
    /// `[~]`
    InProgress,
    /// `[x]` or `[X]`
    Done,
    /// `[!]`
    Blocked,
    /// Anything else between the brackets (`[-]`, `[/]`): a rule violation, kept to report it.
    Invalid(char),
}

impl StepMarker {
    /// The marker's state as pages and reports name it: `todo`, `in-progress`, `done`,
    /// `blocked`, `invalid`.
    pub fn name(self) -> &'static str {
        match self {
            StepMarker::Todo => "todo",
            StepMarker::InProgress => "in-progress",
            StepMarker::Done => "done",
            StepMarker::Blocked => "blocked",
            StepMarker::Invalid(_) => "invalid",
        }
    }

    /// Reads the character between the brackets (`None` for a space).
    pub fn from_symbol(symbol: Option<char>) -> StepMarker {
        match symbol {
            None | Some(' ') => StepMarker::Todo,
            Some('~') => StepMarker::InProgress,
            Some('x' | 'X') => StepMarker::Done,
            Some('!') => StepMarker::Blocked,
            Some(c) => StepMarker::Invalid(c),
        }
    }

    /// Whether the step still needs work.
    pub fn is_open(self) -> bool {
        !matches!(self, StepMarker::Done)
    }
}

/// How a step was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepSource {
    /// A task-list item (`- [ ] ...`, `1. [x] ...`).
    TaskItem,
    /// A `### Step N: ...` heading.
    Heading,
}

/// One step of a plan.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Step {
    /// Its marker.
    pub marker: StepMarker,
    /// `N` of `Step N:`, when written.
    pub number: Option<u32>,
    /// The step's text without `Step N:`, `Outcome:` and `Verify:` parts.
    pub title: String,
    /// The full text of the step as one line.
    pub text: String,
    /// The title, rendered inline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title_html: String,
    /// The `Outcome:` part of the preferred step pattern.
    pub outcome: Option<String>,
    /// The `Outcome:` part, rendered inline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outcome_html: String,
    /// The `Verify:` part.
    pub verify: Option<String>,
    /// The `Verify:` part, rendered inline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub verify_html: String,
    /// Nested content that is not a sub-step (notes under the step), rendered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail_html: String,
    /// For a blocked step: why (the last parenthesised part, or what follows "blocked").
    pub reason: Option<String>,
    /// 0 for a top-level item, 1 for a nested one...
    pub depth: u8,
    /// Task item or heading.
    pub source: StepSource,
    /// Where the marker is.
    pub span: Span,
    /// When git saw the step added, started, finished or blocked.
    #[serde(default, skip_serializing_if = "StepGit::is_empty")]
    pub git: StepGit,
}

impl StepGit {
    /// Whether git said nothing.
    pub fn is_empty(&self) -> bool {
        *self == StepGit::default()
    }
}

/// A checklist item outside the steps (acceptance or exit criteria, validation, a checklist in
/// any other section): shown with its section, never counted as a step.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Criterion {
    /// Index in `Plan::sections` of the top-level section it is written in (the page groups
    /// criteria by it).
    #[serde(default)]
    pub section: usize,
    /// Checked or not (or another marker).
    pub marker: StepMarker,
    /// Its text.
    pub text: String,
    /// Its text, rendered inline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
    /// Where it is.
    pub span: Span,
}

/// How a decision entry was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionForm {
    /// `- 2026-02-13: text` (or with a bold date).
    ListItem,
    /// `### 2026-02-13 — title` with a body.
    Heading,
    /// A table row (`Date | Decision | Rationale`).
    TableRow,
}

/// One decision-log entry.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Decision {
    /// The date, when one is written and readable.
    pub date: Option<Date>,
    /// The date as written.
    pub date_raw: Option<String>,
    /// The decision, without its date prefix.
    pub text: String,
    /// The decision, rendered inline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text_html: String,
    /// Further text: a heading entry's body, a list item's nested content, a table's rationale.
    pub detail: Option<String>,
    /// The further text, rendered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail_html: String,
    /// Other columns of a table row, by header.
    pub columns: Vec<super::NamedValue>,
    /// How it was written.
    pub form: DecisionForm,
    /// Where it is.
    pub span: Span,
    /// For an undated entry, the commit that added its line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<GitStamp>,
}

impl Decision {
    /// The date as written, else the date of the commit that added the entry.
    pub fn when(&self) -> Option<Date> {
        self.date.or_else(|| self.git.as_ref().map(|g| g.date))
    }
}

/// The three parts of a retrospective.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RetroPart {
    /// What went well.
    WentWell,
    /// What didn't.
    WentWrong,
    /// What to change.
    ToChange,
    /// Text under the Retrospective heading outside the three parts.
    Other,
}

/// One entry of a retrospective.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RetroEntry {
    /// Which part it belongs to.
    pub part: RetroPart,
    /// Its text (never empty: bare `-` entries are counted in `Retrospective::placeholders`).
    pub text: String,
    /// Its text, rendered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub html: String,
    /// Where it is.
    pub span: Span,
}

/// A plan's Retrospective section.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Retrospective {
    /// The heading's position.
    pub span: Span,
    /// Entries with text, in document order.
    pub entries: Vec<RetroEntry>,
    /// Entries left as a bare `-` (the template's placeholders).
    pub placeholders: u32,
}

impl Retrospective {
    /// Whether anything was written in it.
    pub fn is_filled(&self) -> bool {
        !self.entries.is_empty()
    }

    /// The entries of one part.
    pub fn part(&self, part: RetroPart) -> impl Iterator<Item = &RetroEntry> {
        self.entries.iter().filter(move |e| e.part == part)
    }
}
