//! Normalising written states: plan statuses, state folders and debt statuses.
//!
//! People write `Active — Session 4 complete`, `Complete (2026-04-05)`, `in-progress`, `✅ Done`.
//! The first known keyword in the text decides, so a trailing remark does not flip the state.

use crate::model::{DebtStatusKind, FolderState, StatusKind};

/// Splits text into lower-case words (letters, digits and apostrophes).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase().replace('’', "'"))
        .collect()
}

/// The first match of `table` (phrases of one or two words) in `text`.
fn first_keyword<T: Copy>(text: &str, table: &[(&str, T)]) -> Option<T> {
    let words = words(text);
    for i in 0..words.len() {
        for (phrase, value) in table {
            let mut parts = phrase.split(' ');
            let first = parts.next().unwrap_or_default();
            let matches = match parts.next() {
                None => words[i] == first,
                Some(second) => words[i] == first && words.get(i + 1).is_some_and(|w| w == second),
            };
            if matches {
                return Some(*value);
            }
        }
    }
    // Emoji statuses.
    let t = text.trim_start();
    if t.starts_with(['✅', '✔']) {
        return table.iter().find(|(p, _)| *p == "done").map(|(_, v)| *v);
    }
    None
}

const PLAN_STATUS: &[(&str, StatusKind)] = &[
    ("not started", StatusKind::Other),
    ("in progress", StatusKind::Active),
    ("won't do", StatusKind::Abandoned),
    ("active", StatusKind::Active),
    ("wip", StatusKind::Active),
    ("ongoing", StatusKind::Active),
    ("started", StatusKind::Active),
    ("open", StatusKind::Active),
    ("blocked", StatusKind::Active),
    ("implementing", StatusKind::Active),
    ("completed", StatusKind::Completed),
    ("complete", StatusKind::Completed),
    ("done", StatusKind::Completed),
    ("finished", StatusKind::Completed),
    ("closed", StatusKind::Completed),
    ("shipped", StatusKind::Completed),
    ("landed", StatusKind::Completed),
    ("merged", StatusKind::Completed),
    ("delivered", StatusKind::Completed),
    ("abandoned", StatusKind::Abandoned),
    ("cancelled", StatusKind::Abandoned),
    ("canceled", StatusKind::Abandoned),
    ("dropped", StatusKind::Abandoned),
    ("superseded", StatusKind::Abandoned),
    ("rejected", StatusKind::Abandoned),
    ("obsolete", StatusKind::Abandoned),
    ("withdrawn", StatusKind::Abandoned),
    ("draft", StatusKind::Other),
    ("proposed", StatusKind::Other),
    ("planned", StatusKind::Other),
    ("paused", StatusKind::Other),
    ("stable", StatusKind::Other),
];

/// The kind of a written plan status; `None` when no keyword is known (`W020`).
pub(crate) fn plan_status(text: &str) -> Option<StatusKind> {
    first_keyword(text, PLAN_STATUS)
}

/// What a state folder (`active`, `completed`, `active/drafts`) says about its plans.
pub(crate) fn folder_state(folder: &str) -> FolderState {
    let last = folder.rsplit('/').next().unwrap_or(folder).to_ascii_lowercase();
    match last.as_str() {
        "active" | "in-progress" | "in_progress" | "current" | "wip" | "ongoing" => FolderState::Active,
        "drafts" | "draft" | "proposed" | "planned" | "backlog" => FolderState::Draft,
        "completed" | "complete" | "done" | "archive" | "archived" | "finished" | "closed" => FolderState::Completed,
        "abandoned" | "cancelled" | "canceled" | "dropped" | "rejected" => FolderState::Abandoned,
        _ => FolderState::Other,
    }
}

const DEBT_STATUS: &[(&str, DebtStatusKind)] = &[
    ("in progress", DebtStatusKind::InProgress),
    ("won't fix", DebtStatusKind::WontFix),
    ("wont fix", DebtStatusKind::WontFix),
    ("not started", DebtStatusKind::Open),
    ("open", DebtStatusKind::Open),
    ("new", DebtStatusKind::Open),
    ("todo", DebtStatusKind::Open),
    ("identified", DebtStatusKind::Open),
    ("active", DebtStatusKind::Open),
    ("wip", DebtStatusKind::InProgress),
    ("ongoing", DebtStatusKind::InProgress),
    ("started", DebtStatusKind::InProgress),
    ("resolved", DebtStatusKind::Resolved),
    ("fixed", DebtStatusKind::Resolved),
    ("done", DebtStatusKind::Resolved),
    ("closed", DebtStatusKind::Resolved),
    ("completed", DebtStatusKind::Resolved),
    ("complete", DebtStatusKind::Resolved),
    ("merged", DebtStatusKind::Resolved),
    ("addressed", DebtStatusKind::Resolved),
    ("wontfix", DebtStatusKind::WontFix),
    ("accepted", DebtStatusKind::WontFix),
    ("rejected", DebtStatusKind::WontFix),
    ("deferred", DebtStatusKind::Open),
];

/// The kind of a written debt status.
pub(crate) fn debt_status(text: &str) -> DebtStatusKind {
    // `in-progress` and `wont-fix` split into two words, which the table has.
    first_keyword(text, DEBT_STATUS).unwrap_or(DebtStatusKind::Other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_keyword_decides_plan_status() {
        let s = |t| plan_status(t);
        assert_eq!(s("active"), Some(StatusKind::Active));
        assert_eq!(s("Active — Session 4 complete. Remaining: ESP32"), Some(StatusKind::Active));
        assert_eq!(s("Complete (2026-04-05)"), Some(StatusKind::Completed));
        assert_eq!(s("Completed (2026-03-26)"), Some(StatusKind::Completed));
        assert_eq!(s("in-progress"), Some(StatusKind::Active));
        assert_eq!(s("In Progress"), Some(StatusKind::Active));
        assert_eq!(s("Abandoned: superseded by EP-004"), Some(StatusKind::Abandoned));
        assert_eq!(s("won’t do"), Some(StatusKind::Abandoned));
        assert_eq!(s("✅"), Some(StatusKind::Completed));
        assert_eq!(s("draft"), Some(StatusKind::Other));
        assert_eq!(s("human"), None);
    }

    #[test]
    fn folders_and_debt_statuses() {
        assert_eq!(folder_state("active"), FolderState::Active);
        assert_eq!(folder_state("active/drafts"), FolderState::Draft);
        assert_eq!(folder_state("in-progress"), FolderState::Active);
        assert_eq!(folder_state("completed"), FolderState::Completed);
        assert_eq!(folder_state("misc"), FolderState::Other);
        assert_eq!(debt_status("in-progress"), DebtStatusKind::InProgress);
        assert_eq!(debt_status("wont-fix"), DebtStatusKind::WontFix);
        assert_eq!(debt_status("Partially resolved"), DebtStatusKind::Resolved);
        assert_eq!(debt_status("open"), DebtStatusKind::Open);
        assert_eq!(debt_status("???"), DebtStatusKind::Other);
    }
}
