//! Rule 4: decision-log entries start with a date and are in chronological order.

use crate::diag::{Code, Diagnostic};
use crate::model::Plan;

pub(super) fn check(plan: &Plan, out: &mut Vec<Diagnostic>) {
    for d in plan.decisions.iter().filter(|d| d.date.is_none() && d.date_raw.is_none()) {
        let mut diag =
            Diagnostic::new(Code::UndatedDecision, &plan.path, Some(d.span), "decision-log entry has no date");
        diag = match &d.git {
            // The site shows the commit's date; the tree should still say it.
            Some(g) => diag.help(format!(
                "git first saw this entry in commit {} on {}: write `- {}: …` to keep that date",
                g.commit, g.date, g.date
            )),
            None => diag.help("start the entry with its date: `- 2026-02-13: chose X over Y because Z`"),
        };
        out.push(diag);
    }
    let mut latest = None;
    let mut first_inversion = None;
    let mut inversions = 0;
    for d in &plan.decisions {
        let Some(date) = d.date else { continue };
        match latest {
            Some((prev, _)) if date < prev => {
                inversions += 1;
                first_inversion.get_or_insert((d, prev));
            }
            Some((prev, _)) if date == prev => {}
            _ => latest = Some((date, d.span)),
        }
    }
    if let Some((d, prev)) = first_inversion {
        let date = d.date.expect("inversions are dated");
        let mut diag = Diagnostic::new(
            Code::DecisionsOutOfOrder,
            &plan.path,
            Some(d.span),
            format!("decision-log entries are not in chronological order: `{date}` comes after `{prev}`"),
        )
        .help("keep the decision log oldest first and append new entries at the end");
        if inversions > 1 {
            diag = diag.note(format!("{inversions} entries are out of order"));
        }
        out.push(diag);
    }
}
