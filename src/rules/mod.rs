//! Rules: the convention's checks over the model (`planbook check`).
//!
//! In: the `Harness`. Out: diagnostics with each rule's stable code. Rules only read the model;
//! they never look at files or Markdown, so they run the same on a model built incrementally in
//! watch mode. Each file holds the rules of one part of the spec.

mod decisions;
mod lifecycle;
mod naming;
mod sections;
mod steps;

use crate::diag::Diagnostic;
use crate::model::{FolderState, Harness, Plan, StatusKind};
use rayon::prelude::*;

/// Runs every rule on every plan.
pub fn check(harness: &Harness) -> Vec<Diagnostic> {
    let width = naming::number_width(&harness.plans);
    let mut out: Vec<Diagnostic> = harness
        .plans
        .par_iter()
        .flat_map_iter(|plan| {
            let mut d = Vec::new();
            sections::check(plan, &mut d);
            steps::check(plan, &mut d);
            decisions::check(plan, &mut d);
            lifecycle::check(plan, &mut d);
            naming::check_name(plan, width, &mut d);
            lifecycle::check_stale(plan, &mut d);
            d
        })
        .collect();
    naming::check_unique_numbers(&harness.plans, &mut out);
    out
}

/// Drafts (`active/drafts/`, or a `Draft` / `Proposed` status) are exploration: rules about
/// completeness and work in progress do not apply yet.
fn is_draft(plan: &Plan) -> bool {
    plan.folder_state == FolderState::Draft || plan.status.kind == StatusKind::Draft
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests;
