//! Rule 1: the five mandatory sections; plans with no steps at all.

use super::is_draft;
use crate::diag::{Code, Diagnostic};
use crate::model::{Plan, SectionKind};

const MANDATORY: [SectionKind; 5] =
    [SectionKind::Goal, SectionKind::Context, SectionKind::Steps, SectionKind::DecisionLog, SectionKind::Retrospective];

pub(super) fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    if is_draft(plan) || plan.line_count == 0 {
        return;
    }
    let missing: Vec<&str> = MANDATORY
        .iter()
        .filter(|&&kind| {
            let inline_goal = kind == SectionKind::Goal && plan.goal.is_some();
            plan.section(kind).is_none() && !inline_goal
        })
        .map(|k| k.name())
        .collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        let noun = if missing.len() == 1 { "section" } else { "sections" };
        out.push(
            Diagnostic::new(
                Code::MissingSection,
                &plan.path,
                Some(plan.title_span),
                format!("plan is missing {noun} {}", list.join(", ")),
            )
            .help(format!(
                "add `## {}` (every plan has Goal, Context, Steps, Decision Log and Retrospective)",
                missing[0]
            )),
        );
    }
    // Acceptance criteria written as a checklist track progress when there are no steps.
    if plan.steps.is_empty() && plan.criteria.is_empty() {
        let at = plan.section(SectionKind::Steps).map_or(plan.title_span, |s| s.span);
        out.push(
            Diagnostic::new(Code::NoSteps, &plan.path, Some(at), "plan has no steps")
                .help("write steps as a task list: `- [ ] Step 1: <action>. Outcome: <result>. Verify: <check>.`"),
        );
    }
}
