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

/// The first match in `text`: a phrase of `table` (space-separated words, matched word by word)
/// or a keyword of `unspaced` (scripts written without spaces between words, matched inside a
/// word: `已完成` in `本计划已完成`). At one word, a phrase beats a keyword inside it; inside a
/// word, the earliest keyword wins (`未完成` before the `完成` in it), then the table's order.
/// Linear: each word is compared with each entry once.
fn first_keyword<T: Copy>(text: &str, table: &[(&str, T)], unspaced: &[(&str, T)]) -> Option<T> {
    let words = words(text);
    for i in 0..words.len() {
        for (phrase, value) in table {
            let mut at = i;
            let matches = phrase.split(' ').all(|part| {
                let ok = words.get(at).is_some_and(|w| w == part);
                at += 1;
                ok
            });
            if matches {
                return Some(*value);
            }
        }
        // Unspaced keywords are never ASCII: skip the search in ASCII words.
        if words[i].is_ascii() {
            continue;
        }
        let earliest = unspaced
            .iter()
            .filter_map(|(keyword, value)| words[i].find(keyword).map(|at| (at, *value)))
            .min_by_key(|(at, _)| *at);
        if let Some((_, value)) = earliest {
            return Some(value);
        }
    }
    None
}

/// Plan statuses as people write them, in English and the common words of Spanish, French,
/// German, Portuguese and Italian. Phrases come before the single words they start with.
const PLAN_STATUS: &[(&str, StatusKind)] = &[
    // Phrases whose last word alone would say something else.
    ("not started", StatusKind::Draft),
    ("not yet started", StatusKind::Draft),
    ("not done", StatusKind::Active),
    ("not complete", StatusKind::Active),
    ("not completed", StatusKind::Active),
    ("not finished", StatusKind::Active),
    ("won't do", StatusKind::Abandoned),
    ("wont do", StatusKind::Abandoned),
    ("will not do", StatusKind::Abandoned),
    ("not doing", StatusKind::Abandoned),
    ("to do", StatusKind::Draft),
    ("on hold", StatusKind::Other),
    // Active.
    ("in progress", StatusKind::Active),
    ("in review", StatusKind::Active),
    ("under review", StatusKind::Active),
    ("in flight", StatusKind::Active),
    ("active", StatusKind::Active),
    ("wip", StatusKind::Active),
    ("ongoing", StatusKind::Active),
    ("started", StatusKind::Active),
    ("open", StatusKind::Active),
    ("blocked", StatusKind::Active),
    ("implementing", StatusKind::Active),
    ("approved", StatusKind::Active),
    ("accepted", StatusKind::Active),
    ("review", StatusKind::Active),
    ("underway", StatusKind::Active),
    ("incomplete", StatusKind::Active),
    ("en curso", StatusKind::Active),
    ("en progreso", StatusKind::Active),
    ("en proceso", StatusKind::Active),
    ("activo", StatusKind::Active),
    ("aprobado", StatusKind::Active),
    ("en cours", StatusKind::Active),
    ("actif", StatusKind::Active),
    ("approuvé", StatusKind::Active),
    ("in arbeit", StatusKind::Active),
    ("in bearbeitung", StatusKind::Active),
    ("aktiv", StatusKind::Active),
    ("laufend", StatusKind::Active),
    ("em andamento", StatusKind::Active),
    ("em progresso", StatusKind::Active),
    ("em curso", StatusKind::Active),
    ("ativo", StatusKind::Active),
    ("aprovado", StatusKind::Active),
    ("in corso", StatusKind::Active),
    ("attivo", StatusKind::Active),
    // Completed.
    ("completed", StatusKind::Completed),
    ("complete", StatusKind::Completed),
    ("done", StatusKind::Completed),
    ("finished", StatusKind::Completed),
    ("closed", StatusKind::Completed),
    ("shipped", StatusKind::Completed),
    ("landed", StatusKind::Completed),
    ("merged", StatusKind::Completed),
    ("delivered", StatusKind::Completed),
    ("implemented", StatusKind::Completed),
    ("released", StatusKind::Completed),
    ("deployed", StatusKind::Completed),
    ("resolved", StatusKind::Completed),
    ("accomplished", StatusKind::Completed),
    ("completado", StatusKind::Completed),
    ("completada", StatusKind::Completed),
    ("terminado", StatusKind::Completed),
    ("terminada", StatusKind::Completed),
    ("finalizado", StatusKind::Completed),
    ("finalizada", StatusKind::Completed),
    ("hecho", StatusKind::Completed),
    ("implementado", StatusKind::Completed),
    ("terminé", StatusKind::Completed),
    ("terminée", StatusKind::Completed),
    ("achevé", StatusKind::Completed),
    ("fini", StatusKind::Completed),
    ("complété", StatusKind::Completed),
    ("livré", StatusKind::Completed),
    ("abgeschlossen", StatusKind::Completed),
    ("erledigt", StatusKind::Completed),
    ("fertig", StatusKind::Completed),
    ("umgesetzt", StatusKind::Completed),
    ("concluído", StatusKind::Completed),
    ("concluída", StatusKind::Completed),
    ("concluido", StatusKind::Completed),
    ("entregue", StatusKind::Completed),
    ("completato", StatusKind::Completed),
    // Superseded.
    ("superseded", StatusKind::Superseded),
    ("replaced", StatusKind::Superseded),
    ("subsumed", StatusKind::Superseded),
    ("reemplazado", StatusKind::Superseded),
    ("sustituido", StatusKind::Superseded),
    ("remplacé", StatusKind::Superseded),
    ("ersetzt", StatusKind::Superseded),
    ("abgelöst", StatusKind::Superseded),
    ("substituído", StatusKind::Superseded),
    ("substituido", StatusKind::Superseded),
    // Abandoned.
    ("abandoned", StatusKind::Abandoned),
    ("cancelled", StatusKind::Abandoned),
    ("canceled", StatusKind::Abandoned),
    ("dropped", StatusKind::Abandoned),
    ("rejected", StatusKind::Abandoned),
    ("declined", StatusKind::Abandoned),
    ("deprecated", StatusKind::Abandoned),
    ("obsolete", StatusKind::Abandoned),
    ("withdrawn", StatusKind::Abandoned),
    ("scrapped", StatusKind::Abandoned),
    ("cancelado", StatusKind::Abandoned),
    ("cancelada", StatusKind::Abandoned),
    ("abandonado", StatusKind::Abandoned),
    ("rechazado", StatusKind::Abandoned),
    ("descartado", StatusKind::Abandoned),
    ("abandonné", StatusKind::Abandoned),
    ("annulé", StatusKind::Abandoned),
    ("rejeté", StatusKind::Abandoned),
    ("abgebrochen", StatusKind::Abandoned),
    ("verworfen", StatusKind::Abandoned),
    ("abgelehnt", StatusKind::Abandoned),
    ("eingestellt", StatusKind::Abandoned),
    ("rejeitado", StatusKind::Abandoned),
    // Draft.
    ("draft", StatusKind::Draft),
    ("proposed", StatusKind::Draft),
    ("proposal", StatusKind::Draft),
    ("planned", StatusKind::Draft),
    ("planning", StatusKind::Draft),
    ("pending", StatusKind::Draft),
    ("todo", StatusKind::Draft),
    ("backlog", StatusKind::Draft),
    ("queued", StatusKind::Draft),
    ("idea", StatusKind::Draft),
    ("rfc", StatusKind::Draft),
    ("borrador", StatusKind::Draft),
    ("propuesto", StatusKind::Draft),
    ("propuesta", StatusKind::Draft),
    ("pendiente", StatusKind::Draft),
    ("brouillon", StatusKind::Draft),
    ("proposé", StatusKind::Draft),
    ("proposée", StatusKind::Draft),
    ("entwurf", StatusKind::Draft),
    ("geplant", StatusKind::Draft),
    ("vorgeschlagen", StatusKind::Draft),
    ("rascunho", StatusKind::Draft),
    ("proposto", StatusKind::Draft),
    ("pendente", StatusKind::Draft),
    ("bozza", StatusKind::Draft),
    // Known, but no lifecycle state: the folder decides.
    ("paused", StatusKind::Other),
    ("deferred", StatusKind::Other),
    ("postponed", StatusKind::Other),
    ("stable", StatusKind::Other),
];

/// Plan statuses in Chinese, Japanese and Korean, matched inside words (see `first_keyword`).
const PLAN_STATUS_UNSPACED: &[(&str, StatusKind)] = &[
    ("未完成", StatusKind::Active),
    ("未完了", StatusKind::Active),
    ("进行中", StatusKind::Active),
    ("進行中", StatusKind::Active),
    ("进行", StatusKind::Active),
    ("進行", StatusKind::Active),
    ("实施中", StatusKind::Active),
    ("実施中", StatusKind::Active),
    ("开发中", StatusKind::Active),
    ("開発中", StatusKind::Active),
    ("作業中", StatusKind::Active),
    ("対応中", StatusKind::Active),
    ("진행", StatusKind::Active),
    ("已完成", StatusKind::Completed),
    ("完成", StatusKind::Completed),
    ("完了", StatusKind::Completed),
    ("已实现", StatusKind::Completed),
    ("已上线", StatusKind::Completed),
    ("已交付", StatusKind::Completed),
    ("已关闭", StatusKind::Completed),
    ("実装済", StatusKind::Completed),
    ("완료", StatusKind::Completed),
    ("已取代", StatusKind::Superseded),
    ("被取代", StatusKind::Superseded),
    ("已替代", StatusKind::Superseded),
    ("被替代", StatusKind::Superseded),
    ("取代", StatusKind::Superseded),
    ("置き換え", StatusKind::Superseded),
    ("대체", StatusKind::Superseded),
    ("已废弃", StatusKind::Abandoned),
    ("已廢棄", StatusKind::Abandoned),
    ("废弃", StatusKind::Abandoned),
    ("廃止", StatusKind::Abandoned),
    ("已放弃", StatusKind::Abandoned),
    ("放弃", StatusKind::Abandoned),
    ("已取消", StatusKind::Abandoned),
    ("取消", StatusKind::Abandoned),
    ("中止", StatusKind::Abandoned),
    ("却下", StatusKind::Abandoned),
    ("취소", StatusKind::Abandoned),
    ("중단", StatusKind::Abandoned),
    ("未着手", StatusKind::Draft),
    ("未开始", StatusKind::Draft),
    ("未開始", StatusKind::Draft),
    ("草案", StatusKind::Draft),
    ("草稿", StatusKind::Draft),
    ("提案", StatusKind::Draft),
    ("计划中", StatusKind::Draft),
    ("計画中", StatusKind::Draft),
    ("초안", StatusKind::Draft),
];

/// Statuses written as a symbol at the start (`✅ Done`, `🚧`).
const PLAN_STATUS_SYMBOLS: &[(char, StatusKind)] = &[
    ('✅', StatusKind::Completed),
    ('✔', StatusKind::Completed),
    ('☑', StatusKind::Completed),
    ('🚧', StatusKind::Active),
    ('❌', StatusKind::Abandoned),
    ('📝', StatusKind::Draft),
];

/// The kind of a written plan status; `None` when no keyword is known (`W020`).
pub(crate) fn plan_status(text: &str) -> Option<StatusKind> {
    let first = text.trim_start().chars().next();
    let symbol = PLAN_STATUS_SYMBOLS.iter().find(|(c, _)| Some(*c) == first).map(|(_, k)| *k);
    symbol.or_else(|| first_keyword(text, PLAN_STATUS, PLAN_STATUS_UNSPACED))
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
    let done = text.trim_start().starts_with(['✅', '✔']).then_some(DebtStatusKind::Resolved);
    done.or_else(|| first_keyword(text, DEBT_STATUS, &[])).unwrap_or(DebtStatusKind::Other)
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
        assert_eq!(s("draft"), Some(StatusKind::Draft));
        assert_eq!(s("human"), None);
    }

    #[test]
    fn the_vocabulary_people_write() {
        use StatusKind::*;
        for (text, kind) in [
            ("Approved", Active),
            ("Accepted", Active),
            ("WIP", Active),
            ("Blocked on infra", Active),
            ("Ready for review.", Active),
            ("Done", Completed),
            ("Shipped on 12 March 2026", Completed),
            ("Implemented (March 12, 2026).", Completed),
            ("Superseded (by EP-012)", Superseded),
            ("superseded by EP-4", Superseded),
            ("Replaced by the v2 plan", Superseded),
            ("Deprecated", Abandoned),
            ("Rejected", Abandoned),
            ("Proposed", Draft),
            ("Not started", Draft),
            ("Pending.", Draft),
            ("Paused", Other),
            ("not done yet", Active),
            ("📝 idea", Draft),
            ("🚧", Active),
            // Spanish, French, German, Portuguese.
            ("Completado", Completed),
            ("Terminé", Completed),
            ("terminado el 2026-03-12", Completed),
            ("En curso", Active),
            ("en cours", Active),
            ("Abgeschlossen", Completed),
            ("In Arbeit", Active),
            ("Entwurf", Draft),
            ("Concluído", Completed),
            ("Em andamento", Active),
            ("Borrador", Draft),
            ("Annulé", Abandoned),
            ("Ersetzt durch EP-7", Superseded),
        ] {
            assert_eq!(plan_status(text), Some(kind), "{text}");
        }
    }

    #[test]
    fn unspaced_scripts_match_inside_words() {
        use StatusKind::*;
        for (text, kind) in [
            ("已完成", Completed),
            ("完成", Completed),
            ("本计划已完成（2026-03-12）", Completed),
            ("进行中", Active),
            ("进行", Active),
            ("未完成", Active),
            ("尚未完成", Active),
            ("完了", Completed),
            ("実装完了", Completed),
            ("未着手", Draft),
            ("草案", Draft),
            ("草稿", Draft),
            ("已废弃", Abandoned),
            ("廃止", Abandoned),
            ("已取代", Superseded),
            ("被 EP-12 取代", Superseded),
            ("진행 중", Active),
            ("완료", Completed),
        ] {
            assert_eq!(plan_status(text), Some(kind), "{text}");
        }
        assert_eq!(plan_status("说明"), None);
        // The first keyword decides across scripts too.
        assert_eq!(plan_status("Active（进行中，部分完成）"), Some(Active));
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
