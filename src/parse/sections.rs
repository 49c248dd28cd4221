//! Recognising section headings and retrospective parts through their common spellings.

use crate::model::{RetroPart, SectionKind};
use crate::parse::markdown::normalize_title;

/// What a section heading names.
pub(crate) fn section_kind(title: &str) -> SectionKind {
    // Lower-cased in full (`normalize_title` only lower-cases ASCII): `DÉCISIONS` is `décisions`.
    let t = normalize_title(title).to_lowercase();
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
    } else if is_decision_log(&t) {
        SectionKind::DecisionLog
    } else if first.starts_with("retro")
        || t.starts_with("lessons")
        || t.starts_with("post mortem")
        || first == "postmortem"
    {
        SectionKind::Retrospective
    } else if is_criteria(&t, first, &has) {
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

/// Names of a decision log (normalised, lower case). A heading is a log when it is one of these,
/// or one of them followed by more words (`Decisions locked in implementation`, `Decision log
/// (append only)`); a heading that only contains the word (`Decision point: X vs Y`, `Decision
/// gates`) is content.
const DECISION_LOG_NAMES: &[&str] = &[
    "decision log",
    "decision logs",
    "decisions log",
    "decisions",
    "decision record",
    "decision records",
    "decision history",
    "key decisions",
    "design decisions",
    "technical decisions",
    "log of decisions",
    // German, French, Spanish, Portuguese, Italian.
    "entscheidungen",
    "entscheidungslog",
    "entscheidungsprotokoll",
    "décisions",
    "journal des décisions",
    "registre des décisions",
    "decisiones",
    "registro de decisiones",
    "decisões",
    "registro de decisões",
    "decisioni",
    "registro delle decisioni",
];

/// Decision-log names in scripts written without spaces, matched at the start of the heading
/// (`决策记录（2026）`). Not the bare word for "decision": `决策点` is a decision point.
const DECISION_LOG_UNSPACED: &[&str] = &[
    "决策记录",
    "决策日志",
    "决策历史",
    "关键决策",
    "决定记录",
    "決策記錄",
    "決定事項",
    "決定ログ",
    "決定記録",
    "決定履歴",
    "意思決定ログ",
    "意思決定記録",
    "의사결정 기록",
    "결정 사항",
    "결정 기록",
];

/// Words after a decision-log name that make it a list of decisions still to take, not a log.
const PENDING_WORDS: &[&str] = &["needed", "pending", "open", "to", "required", "outstanding"];

fn is_decision_log(t: &str) -> bool {
    let rest = DECISION_LOG_NAMES
        .iter()
        .find_map(|name| t.strip_prefix(name).filter(|rest| rest.is_empty() || rest.starts_with(' ')));
    match rest {
        Some(rest) => !rest.split(' ').any(|w| PENDING_WORDS.contains(&w)),
        None => DECISION_LOG_UNSPACED.iter().any(|name| t.starts_with(name)),
    }
}

/// Checklist sections that are not steps: acceptance and exit criteria, validation,
/// verification, test plans, a definition of done.
fn is_criteria(t: &str, first: &str, has: &dyn Fn(&str) -> bool) -> bool {
    has("criteria")
        || matches!(first, "validation" | "verification" | "verify" | "acceptance" | "testing" | "qa")
        || ["done when", "definition of done", "test plan", "success criteria", "final verification"]
            .iter()
            .any(|p| t.starts_with(p))
        || [
            "akzeptanzkriterien",
            "abnahmekriterien",
            "critères",
            "criterios",
            "critérios",
            "验收",
            "受け入れ",
            "完了条件",
        ]
        .iter()
        .any(|p| t.starts_with(p))
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
        assert_eq!(k("Validation"), SectionKind::Criteria);
        assert_eq!(k("Verification commands"), SectionKind::Criteria);
        assert_eq!(k("Definition of Done"), SectionKind::Criteria);
        assert_eq!(k("Test plan"), SectionKind::Criteria);
        assert_eq!(k("Phase 5: data-path verification"), SectionKind::Other);
        assert_eq!(k("Akzeptanzkriterien"), SectionKind::Criteria);
        assert_eq!(k("验收标准"), SectionKind::Criteria);
    }

    #[test]
    fn decision_logs_are_named_not_merely_mentioned() {
        let k = section_kind;
        for log in [
            "Decision Log",
            "Decisions",
            "Decisions log",
            "Decision record",
            "Decision Records",
            "Key decisions",
            "4. Decision Log",
            "Decision log (append only)",
            "Decisions applied",
            "决策记录",
            "决策日志（2026）",
            "決定事項",
            "決定ログ",
            "Entscheidungen",
            "Décisions",
            "DÉCISIONS",
            "Journal des décisions",
            "Registro de decisiones",
        ] {
            assert_eq!(k(log), SectionKind::DecisionLog, "{log}");
        }
        for content in [
            "Decision point: SQLite vs Postgres",
            "Decision Gates (Resolve Before Coding)",
            "Decision matrix",
            "Decision: use SQLite",
            "Decisions needed",
            "Open decisions",
            "Decisions to make",
            "决策点：甲还是乙",
        ] {
            assert_ne!(k(content), SectionKind::DecisionLog, "{content}");
        }
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
