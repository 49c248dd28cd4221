//! Recognising section headings and retrospective parts through their common spellings.

use crate::model::{RetroPart, SectionKind};
use crate::parse::markdown::normalize_title;

/// What a section heading names.
pub(crate) fn section_kind(title: &str) -> SectionKind {
    let t = normalize_title(title);
    let words: Vec<&str> = t.split(' ').collect();
    let first = words.first().copied().unwrap_or_default();
    let has = |w: &str| words.contains(&w);
    if matches!(t.as_str(), "goal" | "goals" | "objective" | "objectives" | "purpose" | "aim" | "the goal") {
        SectionKind::Goal
    } else if matches!(
        t.as_str(),
        "context" | "background" | "motivation" | "problem" | "problem statement" | "why" | "context and motivation"
    ) {
        SectionKind::Context
    } else if first.starts_with("decision") || t.starts_with("key decision") || t.starts_with("design decision") {
        SectionKind::DecisionLog
    } else if first.starts_with("retro")
        || t.starts_with("lessons")
        || t.starts_with("post mortem")
        || first == "postmortem"
    {
        SectionKind::Retrospective
    } else if has("criteria") || t.starts_with("done when") || t.starts_with("definition of done") {
        SectionKind::Criteria
    } else if has("steps")
        || matches!(
            t.as_str(),
            "tasks"
                | "task list"
                | "checklist"
                | "plan"
                | "work plan"
                | "implementation plan"
                | "milestones"
                | "progress"
                | "work items"
                | "todo"
                | "to do"
        )
    {
        SectionKind::Steps
    } else if first == "scope"
        || t.starts_with("non goals")
        || t.starts_with("out of scope")
        || t.starts_with("in scope")
    {
        SectionKind::Scope
    } else if first.starts_with("risk") {
        SectionKind::Risks
    } else {
        SectionKind::Other
    }
}

/// Which part of a retrospective a sub-heading (or inline label) names.
pub(crate) fn retro_part(title: &str) -> Option<RetroPart> {
    let t = normalize_title(title);
    if t.contains("went well")
        || t.contains("worked well")
        || t == "good"
        || t.starts_with("wins")
        || t.contains("what worked")
    {
        Some(RetroPart::WentWell)
    } else if t.contains("didn't")
        || t.contains("did not")
        || t.contains("went wrong")
        || t.contains("went badly")
        || t.contains("didnt")
        || t.contains("challenges")
        || t == "bad"
        || t.contains("could be better")
        || t.contains("what hurt")
    {
        Some(RetroPart::WentWrong)
    } else if t.contains("to change")
        || t.contains("change next")
        || t.contains("next time")
        || t.contains("differently")
        || t.contains("improve")
        || t.contains("action items")
        || t.contains("lessons")
        || t.contains("takeaways")
    {
        Some(RetroPart::ToChange)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_section_variants() {
        let k = section_kind;
        assert_eq!(k("Goal"), SectionKind::Goal);
        assert_eq!(k("Objective"), SectionKind::Goal);
        assert_eq!(k("Context"), SectionKind::Context);
        assert_eq!(k("Implementation Steps"), SectionKind::Steps);
        assert_eq!(k("Tasks"), SectionKind::Steps);
        assert_eq!(k("Decision Log"), SectionKind::DecisionLog);
        assert_eq!(k("Decisions log"), SectionKind::DecisionLog);
        assert_eq!(k("decisions"), SectionKind::DecisionLog);
        assert_eq!(k("Decisions Locked In Implementation"), SectionKind::DecisionLog);
        assert_eq!(k("Retrospective"), SectionKind::Retrospective);
        assert_eq!(k("Exit criteria"), SectionKind::Criteria);
        assert_eq!(k("Exit Criteria"), SectionKind::Criteria);
        assert_eq!(k("Acceptance Criteria (Phase 8 close)"), SectionKind::Criteria);
        assert_eq!(k("Risks"), SectionKind::Risks);
        assert_eq!(k("Non-goals"), SectionKind::Scope);
        assert_eq!(k("Architecture summary"), SectionKind::Other);
    }

    #[test]
    fn recognises_retro_parts() {
        assert_eq!(retro_part("What went well"), Some(RetroPart::WentWell));
        assert_eq!(retro_part("What didn't"), Some(RetroPart::WentWrong));
        assert_eq!(retro_part("What didn’t go well"), Some(RetroPart::WentWrong));
        assert_eq!(retro_part("What to change"), Some(RetroPart::ToChange));
        assert_eq!(retro_part("What we'd do differently"), Some(RetroPart::ToChange));
        assert_eq!(retro_part("Notes"), None);
    }
}
