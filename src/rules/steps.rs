//! Rules 2 and 3: valid markers, exactly one step in progress in an active plan, blocked steps
//! say why.

use super::{is_draft, plural};
use crate::diag::{Code, Diagnostic};
use crate::model::{Plan, StatusKind, StepMarker};

pub(super) fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let markers = plan.steps.iter().map(|s| (s.marker, s.span)).chain(plan.criteria.iter().map(|c| (c.marker, c.span)));
    for (marker, span) in markers {
        if let StepMarker::Invalid(c) = marker {
            out.push(
                Diagnostic::new(
                    Code::InvalidStepMarker,
                    &plan.path,
                    Some(span),
                    format!("invalid step marker `[{c}]`"),
                )
                .label("not a step marker")
                .help("use `[ ]` (to do), `[~]` (in progress), `[x]` (done) or `[!]` (blocked, with a reason)"),
            );
        }
    }
    for step in plan.steps.iter().filter(|s| s.marker == StepMarker::Blocked && s.reason.is_none()) {
        out.push(
            Diagnostic::new(Code::BlockedWithoutReason, &plan.path, Some(step.span), "blocked step does not say why")
                .label("blocked")
                .help("say what blocks it: `- [!] Step 4: deploy (waiting for staging access)`"),
        );
    }
    if plan.state() != StatusKind::Active {
        return;
    }
    let in_progress: Vec<_> = plan.steps.iter().filter(|s| s.marker == StepMarker::InProgress).collect();
    if in_progress.len() > 1 {
        let first = in_progress[0].span.line;
        for step in &in_progress[1..] {
            out.push(
                Diagnostic::new(
                    Code::SeveralInProgress,
                    &plan.path,
                    Some(step.span),
                    format!("active plan has {} in progress", plural(in_progress.len(), "step")),
                )
                .label("another step in progress")
                .note(format!("the first `[~]` step is on line {first}"))
                .help("keep exactly one step `[~]`: mark finished ones `[x]` and waiting ones `[ ]`"),
            );
        }
    }
    // Blocked steps cannot be worked on, so only `[ ]` steps count as open work here.
    let open = plan.steps.iter().filter(|s| matches!(s.marker, StepMarker::Todo)).count();
    if in_progress.is_empty() && open > 0 && !is_draft(plan) {
        let at = plan.steps.iter().find(|s| s.marker == StepMarker::Todo).map_or(plan.title_span, |s| s.span);
        out.push(
            Diagnostic::new(
                Code::NothingInProgress,
                &plan.path,
                Some(at),
                format!("active plan has {} but none marked `[~]`", plural(open, "open step")),
            )
            .label("next step?")
            .help("mark the step being worked on with `[~]`"),
        );
    }
}
