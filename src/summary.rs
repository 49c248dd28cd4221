//! What planbook understood of a harness, counted per kind (`check --summary`, `build -v`): a new
//! user sees at once whether their tree was read right ("0 decisions" on a tree full of them says
//! it was not). Counts come from the model, the reference graph and the report; nothing is
//! re-read.

use crate::diag::{Code, Report};
use crate::link::Graph;
use crate::model::{DocKind, Harness, Plan};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Counts of what was recognised, per kind. Serialised as the `recognised` object of
/// `check --format json --summary`; its field names are a contract.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Exec plans by state (`active`, `completed`, …), with the total.
    pub plans: Tally,
    /// Steps by marker (`done`, `in-progress`, `todo`, `blocked`, `invalid`).
    pub steps: Tally,
    /// Checklist items outside Steps (acceptance criteria, validation) by marker.
    pub checklists: Tally,
    /// Decision-log entries: `dated`, `from-git` (undated, dated by the commit that added them),
    /// `undated`.
    pub decisions: Tally,
    /// Retrospectives: `filled`, `owed` (a finished plan without one), `not-due`.
    pub retrospectives: Tally,
    /// Debt items by status; absent when there is no tracker.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debt: Option<Tally>,
    /// Quality domains: `graded` (an overall grade), `by-row` (grades per row only), `ungraded`;
    /// absent when there is no quality score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality: Option<Tally>,
    /// Other harness documents (`harness`, `root`).
    pub docs: Tally,
    /// Plans' companion files, by the state of their plan.
    pub companions: Tally,
    /// Planning-workflow drafts (Proposals).
    pub drafts: Tally,
    /// References: `resolved`, `stale` (a moved plan's old path), `unresolved`.
    pub references: Tally,
}

/// A total and its parts, by name (sorted, so output is deterministic).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Everything counted.
    pub total: usize,
    /// The parts that are not zero.
    pub by: BTreeMap<&'static str, usize>,
}

impl Tally {
    fn add(&mut self, part: &'static str, n: usize) {
        if n > 0 {
            self.total += n;
            *self.by.entry(part).or_default() += n;
        }
    }

    fn get(&self, part: &str) -> usize {
        self.by.get(part).copied().unwrap_or(0)
    }
}

/// Counts what `harness` holds, how its references resolved (`graph`) and which were reported.
pub fn summarise(harness: &Harness, graph: &Graph, report: &Report) -> Summary {
    let mut s = Summary::default();
    for plan in &harness.plans {
        s.plans.add(plan.state().as_str(), 1);
        for step in &plan.steps {
            s.steps.add(step.marker.name(), 1);
        }
        for c in &plan.criteria {
            s.checklists.add(c.marker.name(), 1);
        }
        for d in &plan.decisions {
            s.decisions.add(
                match (d.date, &d.git) {
                    (Some(_), _) => "dated",
                    (None, Some(_)) => "from-git",
                    (None, None) => "undated",
                },
                1,
            );
        }
        s.retrospectives.add(retro_state(plan), 1);
    }
    if let Some(debt) = &harness.debt {
        let mut t = Tally::default();
        for item in &debt.items {
            t.add(item.status.kind.name(), 1);
        }
        s.debt = Some(t);
    }
    if let Some(q) = &harness.quality {
        let mut t = Tally::default();
        for d in &q.domains {
            let part = match (&d.grade, d.rows.iter().any(|r| r.grade.is_some())) {
                (Some(_), _) => "graded",
                (None, true) => "by-row",
                (None, false) => "ungraded",
            };
            t.add(part, 1);
        }
        s.quality = Some(t);
    }
    for doc in &harness.docs {
        match doc.kind {
            DocKind::Companion => s.companions.add("companion", 1),
            DocKind::Draft => s.drafts.add("draft", 1),
            kind => s.docs.add(kind.name(), 1),
        }
    }
    s.references.add("resolved", graph.edges.len());
    let reported = |code: Code| report.diagnostics().iter().filter(|d| d.code == code).count();
    s.references.add("stale", reported(Code::StalePath));
    s.references.add(
        "unresolved",
        reported(Code::UnresolvedPlan) + reported(Code::UnresolvedDebt) + reported(Code::MissingFile),
    );
    s
}

/// A retrospective is owed once a plan is finished (completed or abandoned) and has none filled.
fn retro_state(plan: &Plan) -> &'static str {
    use crate::model::StatusKind;
    match (&plan.retrospective, plan.state()) {
        (Some(r), _) if r.is_filled() => "filled",
        (_, StatusKind::Completed | StatusKind::Abandoned) => "owed",
        _ => "not-due",
    }
}

impl Summary {
    /// The human form: one line per kind, parts in a fixed order (most telling first).
    pub fn render_human(&self, harness_dir: &str) -> String {
        let mut out = format!("recognised in `{harness_dir}`:\n");
        let mut line = |kind: &str, t: Option<&Tally>, order: &[(&str, &str)], none: &str| {
            let shown = t.map_or_else(|| none.to_string(), |t| parts(t, order));
            let _ = writeln!(out, "  {kind:<15}{shown}");
        };
        line(
            "plans",
            Some(&self.plans),
            &[
                ("active", "active"),
                ("draft", "draft"),
                ("completed", "completed"),
                ("superseded", "superseded"),
                ("abandoned", "abandoned"),
                ("other", "other"),
            ],
            "",
        );
        let markers = [
            ("done", "done"),
            ("in-progress", "in progress"),
            ("todo", "to do"),
            ("blocked", "blocked"),
            ("invalid", "invalid"),
        ];
        line("steps", Some(&self.steps), &markers, "");
        line("checklists", Some(&self.checklists), &markers, "");
        line(
            "decisions",
            Some(&self.decisions),
            &[("dated", "dated"), ("from-git", "dated from git"), ("undated", "undated")],
            "",
        );
        line(
            "retrospectives",
            Some(&self.retrospectives),
            &[("filled", "filled"), ("owed", "owed"), ("not-due", "not yet due")],
            "",
        );
        line(
            "debt items",
            self.debt.as_ref(),
            &[
                ("open", "open"),
                ("in-progress", "in progress"),
                ("resolved", "resolved"),
                ("wont-fix", "won't fix"),
                ("other", "other"),
            ],
            "no tracker",
        );
        line(
            "quality",
            self.quality.as_ref(),
            &[("graded", "graded"), ("by-row", "graded by row"), ("ungraded", "ungraded")],
            "no quality score",
        );
        line("docs", Some(&self.docs), &[("harness", "in the harness"), ("root", "at the root")], "");
        line("companions", Some(&self.companions), &[], "");
        line("drafts", Some(&self.drafts), &[], "");
        line(
            "references",
            Some(&self.references),
            &[("resolved", "resolved"), ("stale", "stale"), ("unresolved", "unresolved")],
            "",
        );
        out
    }
}

/// `12: 10 done, 2 to do` (parts that are zero are left out; parts not in `order` come last).
fn parts(t: &Tally, order: &[(&str, &str)]) -> String {
    if order.is_empty() {
        return t.total.to_string();
    }
    let mut shown: Vec<String> =
        order.iter().filter(|(k, _)| t.get(k) > 0).map(|(k, label)| format!("{} {label}", t.get(k))).collect();
    shown.extend(t.by.iter().filter(|(k, _)| !order.iter().any(|(o, _)| o == *k)).map(|(k, n)| format!("{n} {k}")));
    if shown.is_empty() { "0".to_string() } else { format!("{}: {}", t.total, shown.join(", ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_follow_the_given_order_and_leave_out_zeros() {
        let mut t = Tally::default();
        t.add("todo", 2);
        t.add("done", 10);
        t.add("blocked", 0);
        t.add("weird", 1);
        assert_eq!(
            parts(&t, &[("done", "done"), ("todo", "to do"), ("blocked", "blocked")]),
            "13: 10 done, 2 to do, 1 weird"
        );
        assert_eq!(parts(&Tally::default(), &[("done", "done")]), "0");
    }
}
