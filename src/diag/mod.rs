//! Diagnostics: what is wrong inside the user's files, as values.
//!
//! A problem in a plan is never an `Err`: stages return `Diagnostic`s and carry on, so one broken
//! file does not hide the other forty. `Err` is kept for when planbook cannot run at all (an
//! unreadable root, a broken config). The `Report` applies severity overrides from planbook.yaml,
//! orders diagnostics deterministically and renders them (rustc-style text or JSON).

mod codes;
mod render;

pub use codes::Code;
pub use render::{ColorChoice, Format, RenderOptions};

use crate::model::Span;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks a rule of the convention: `check` exits 1.
    Error,
    /// A deviation worth knowing about; an error under `--strict`.
    Warning,
}

/// One finding in one file.
#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// Effective severity (the code's default until the report applies overrides).
    pub severity: Severity,
    /// File, relative to the root, `/`-separated.
    pub path: String,
    /// Where in the file, when it is about a place rather than the whole file.
    pub span: Option<Span>,
    /// What is wrong: lower-case start, no trailing period.
    pub message: String,
    /// A short label under the highlighted text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `= help:` lines: how to fix it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<String>,
    /// `= note:` lines: context.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, path: impl Into<String>, span: Option<Span>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            path: path.into(),
            span,
            message: message.into(),
            label: None,
            help: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a label under the highlighted text.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a `= help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Adds a `= note:` line.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// Per-code severity overrides from planbook.yaml `rules:`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Do not report.
    Off,
    /// Report as a warning.
    Warning,
    /// Report as an error.
    Error,
}

/// The diagnostics of one run, with the sources they point into.
#[derive(Debug, Default)]
pub struct Report {
    diagnostics: Vec<Diagnostic>,
    sources: HashMap<String, Arc<str>>,
    /// Counts shown in the summary line.
    pub plans: usize,
}

impl Report {
    /// A report over `diagnostics`, keeping the texts of the files they point into for excerpts.
    /// Applies `levels` and sorts by file, position and code so output is deterministic.
    pub fn new(
        mut diagnostics: Vec<Diagnostic>,
        sources: HashMap<String, Arc<str>>,
        levels: &BTreeMap<Code, RuleLevel>,
        plans: usize,
    ) -> Report {
        diagnostics.retain_mut(|d| match levels.get(&d.code) {
            Some(RuleLevel::Off) => false,
            Some(RuleLevel::Warning) => {
                d.severity = Severity::Warning;
                true
            }
            Some(RuleLevel::Error) => {
                d.severity = Severity::Error;
                true
            }
            None => true,
        });
        diagnostics.sort_by(|a, b| (&a.path, a.span, a.code, &a.message).cmp(&(&b.path, b.span, b.code, &b.message)));
        diagnostics.dedup_by(|a, b| a.path == b.path && a.span == b.span && a.code == b.code && a.message == b.message);
        Report { diagnostics, sources, plans }
    }

    /// The part of the report about `paths` (watch mode prints only what a change is about; the
    /// summary line then counts those diagnostics).
    pub fn only_paths(&self, paths: &[String]) -> Report {
        let diagnostics: Vec<Diagnostic> =
            self.diagnostics.iter().filter(|d| paths.contains(&d.path)).cloned().collect();
        let sources =
            self.sources.iter().filter(|(p, _)| paths.contains(p)).map(|(p, t)| (p.clone(), t.clone())).collect();
        Report { diagnostics, sources, plans: self.plans }
    }

    /// The diagnostics, ordered.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Number of error-level diagnostics.
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    /// Number of warning-level diagnostics.
    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// Whether the run failed: any error, or with `strict` any warning.
    pub fn failed(&self, strict: bool) -> bool {
        self.errors() > 0 || (strict && self.warnings() > 0)
    }

    /// The summary line: `12 plans, 2 errors, 3 warnings`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {}, {}",
            plural(self.plans, "plan"),
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning")
        )
    }
}
