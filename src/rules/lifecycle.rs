//! Rules 5, 7 and 8: what a completed plan owes (all steps done, a retrospective, a Completed
//! date not before Created), status and folder agreeing, abandoned plans saying why.
//!
//! A superseded plan is finished by another plan taking over its work: its open steps moved there,
//! so it owes neither `[x]` steps, a retrospective nor a Completed date; like an abandoned plan it
//! owes a reason, which naming its successor (`Superseded by EP-012`) gives. A draft is not
//! started: no rule here asks anything of it beyond agreeing with its folder.

use super::plural;
use crate::diag::{Code, Diagnostic};
use crate::model::{FolderState, Plan, Relation, StatusKind, StepMarker};

pub(super) fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    status_matches_folder(plan, out);
    match plan.state() {
        StatusKind::Completed => completed(plan, out),
        StatusKind::Abandoned => abandoned(plan, out),
        StatusKind::Superseded => superseded(plan, out),
        // In `completed/` a plan owes finished steps whatever its Status line says.
        _ if plan.folder_state == FolderState::Completed => open_steps(plan, out),
        _ => {}
    }
    finished_but_active(plan, out);
}

/// A title that says the plan is done (`... (COMPLETED)`) with every step `[x]`, in an active
/// folder: someone finished it and forgot to move it.
fn finished_but_active(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let title = plan.title.trim_end().to_lowercase();
    let says_done =
        ["(completed)", "(complete)", "(done)", "[completed]", "[done]", "✅"].iter().any(|m| title.ends_with(m));
    let (done, total) = plan.progress();
    if says_done && total > 0 && done == total && matches!(plan.folder_state, FolderState::Active | FolderState::Draft)
    {
        out.push(
            Diagnostic::new(
                Code::FinishedInActive,
                &plan.path,
                Some(plan.title_span),
                format!(
                    "the title says the plan is done and all {total} steps are `[x]`, but it is in `{}`",
                    folder_name(plan)
                ),
            )
            .help("set `**Status**: completed` with a Completed date and move it to `completed/`"),
        );
    }
}

fn folder_name(plan: &Plan) -> String {
    format!("{}/", plan.folder)
}

fn status_matches_folder(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let (status, folder) = (plan.status.kind, plan.folder_state);
    let at = plan.status.span.or(Some(plan.title_span));
    let mismatch = |help: &str| {
        Diagnostic::new(
            Code::StatusFolderMismatch,
            &plan.path,
            at,
            format!(
                "status is `{}` but the plan is in `{}`",
                plan.status.raw.as_deref().unwrap_or(status.as_str()),
                folder_name(plan)
            ),
        )
        .help(help.to_string())
    };
    match (status, folder) {
        (StatusKind::Completed, FolderState::Active | FolderState::Draft) => {
            out.push(mismatch("move the file to `completed/` (its URL and `EP-NNN` stay the same)"));
        }
        (StatusKind::Active, FolderState::Completed | FolderState::Abandoned) => {
            out.push(mismatch("set the status to `completed` or move the plan back to `active/`"));
        }
        (StatusKind::Completed, FolderState::Abandoned) => out.push(mismatch("move the file to `completed/`")),
        (StatusKind::Draft, FolderState::Completed | FolderState::Abandoned) => out.push(mismatch(
            "a draft has not started: move it back to `active/` (or a drafts folder), or write the status it ended with",
        )),
        (StatusKind::Abandoned | StatusKind::Superseded, FolderState::Active) => out.push(
            Diagnostic::new(
                Code::AbandonedInActive,
                &plan.path,
                at,
                format!("{} plan is still in `{}`", status.as_str(), folder_name(plan)),
            )
            .help("move it out of `active/` (to `completed/` or `abandoned/`) so the active list shows live work"),
        ),
        _ => {}
    }
}

fn completed(plan: &Plan, out: &mut Vec<Diagnostic>) {
    open_steps(plan, out);
    retrospective_and_dates(plan, out);
}

fn open_steps(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let open: Vec<_> = plan.steps.iter().filter(|s| s.marker != StepMarker::Done).collect();
    if let Some(first) = open.first() {
        let whose = if plan.folder_state == FolderState::Completed {
            format!("plan is in `{}`", folder_name(plan))
        } else {
            "plan is completed".to_string()
        };
        out.push(
            Diagnostic::new(Code::CompletedWithOpenSteps, &plan.path, Some(first.span), format!("{whose} but has {}", plural(open.len(), "unfinished step")))
                .label("not `[x]`")
                .help("mark finished steps `[x]`; drop or move unfinished ones to a follow-up plan and say so in the Decision Log"),
        );
    }
}

fn retrospective_and_dates(plan: &Plan, out: &mut Vec<Diagnostic>) {
    if !plan.retrospective.as_ref().is_some_and(|r| r.is_filled()) {
        let at = plan.retrospective.as_ref().map_or(plan.title_span, |r| r.span);
        let message = if plan.retrospective.is_some() {
            "completed plan has an empty retrospective"
        } else {
            "completed plan has no retrospective"
        };
        out.push(Diagnostic::new(Code::RetrospectiveMissing, &plan.path, Some(at), message).help(
            "fill in What went well, What didn't and What to change: completed plans are what the archive learns from",
        ));
    }
    match (&plan.completed, &plan.created) {
        (None, _) => out.push(
            Diagnostic::new(
                Code::CompletedDateMissing,
                &plan.path,
                plan.status.span.or(Some(plan.title_span)),
                "completed plan has no Completed date",
            )
            .help(match plan.git_completed() {
                Some(g) => format!(
                    "git says it was completed in commit {} on {}: add `**Completed**: {}` under the title",
                    g.commit, g.date, g.date
                ),
                None => "add `**Completed**: YYYY-MM-DD` under the title".to_string(),
            }),
        ),
        (Some(done), Some(created)) => {
            if let (Some(d), Some(c)) = (done.date, created.date)
                && d < c
            {
                out.push(
                    Diagnostic::new(
                        Code::CompletedBeforeCreated,
                        &plan.path,
                        Some(done.span),
                        format!("completed on `{d}`, before it was created on `{c}`"),
                    )
                    .label("before Created")
                    .note(format!("Created is on line {}", created.span.line)),
                );
            }
        }
        _ => {}
    }
}

/// Words that say why a plan stopped.
const REASON_WORDS: &[&str] = &[
    "abandon",
    "cancel",
    "drop",
    "stop",
    "supersed",
    "deprioriti",
    "replaced",
    "no longer",
    "obsolete",
    "why",
    "because",
    "instead",
];

/// Whether the retrospective or a decision says why the plan stopped.
fn says_why(plan: &Plan) -> bool {
    let retro = plan.retrospective.as_ref().is_some_and(|r| r.is_filled());
    let decision = plan.decisions.iter().any(|d| {
        let t = format!("{} {}", d.text, d.detail.as_deref().unwrap_or("")).to_lowercase();
        REASON_WORDS.iter().any(|w| t.contains(w))
    });
    retro || decision
}

fn superseded(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let names_successor = plan.refs.iter().any(|r| r.relation == Some(Relation::SupersededBy));
    if !names_successor && !says_why(plan) {
        out.push(
            Diagnostic::new(
                Code::AbandonedWithoutReason,
                &plan.path,
                plan.status.span.or(Some(plan.title_span)),
                "superseded plan does not say what replaced it",
            )
            .help("name the plan that took over: `**Status**: superseded by EP-012`"),
        );
    }
}

fn abandoned(plan: &Plan, out: &mut Vec<Diagnostic>) {
    if !says_why(plan) {
        out.push(
            Diagnostic::new(
                Code::AbandonedWithoutReason,
                &plan.path,
                plan.status.span.or(Some(plan.title_span)),
                "abandoned plan does not say why",
            )
            .help("add a dated Decision Log entry saying why it stopped, or fill in the Retrospective"),
        );
    }
}

/// An active plan no commit has touched for `stale_after_days` before the repository's newest
/// commit (W037): measured against that commit, not the clock, so the result does not depend on
/// when planbook runs.
pub(super) fn check_stale(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let Some(git) = &plan.git else { return };
    let (Some(days), Some(last)) = (git.stale_days, &git.last) else { return };
    out.push(
        Diagnostic::new(
            Code::StalePlan,
            &plan.path,
            Some(plan.title_span),
            format!("active plan untouched for {days} days (last commit {} on {})", last.commit, last.date),
        )
        .label("stale")
        .help("record where it stands (a decision, a `[~]` step, or `Status: blocked`), or finish or abandon it; `stale_after_days` in planbook.yaml sets the limit"),
    );
}
