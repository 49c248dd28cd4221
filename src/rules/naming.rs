//! Rule 6: file names `NNN-short-description.md`, plan numbers unique across all state folders.

use crate::diag::{Code, Diagnostic};
use crate::model::Plan;
use std::collections::BTreeMap;

/// Warns about a file name that is not `NNN-short-description`: style, so a warning.
pub(super) fn check_name(plan: &Plan, out: &mut Vec<Diagnostic>) {
    let stem = &plan.stem;
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let slug = stem[digits..].strip_prefix('-').unwrap_or("");
    let problem = if stem.len() >= 11 && stem.as_bytes()[4] == b'-' && stem.as_bytes()[7] == b'-' && digits == 4 {
        Some("plan file is named by date, not by number".to_string())
    } else if digits == 0 {
        Some("plan file name has no number".to_string())
    } else if digits != plan.number.map_or(3, |n| n.0.to_string().len().max(3)) {
        Some(format!("plan number in the file name has {digits} digits, not 3"))
    } else if slug.is_empty()
        || !slug.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    {
        Some("plan file name is not `NNN-short-description` in kebab-case".to_string())
    } else {
        None
    };
    if let Some(problem) = problem {
        let suggestion = plan.number.map_or_else(|| "NNN".to_string(), |n| format!("{:03}", n.0));
        out.push(Diagnostic::new(Code::FileNameStyle, &plan.path, None, problem).help(format!(
            "name plans `{suggestion}-short-description.md`; `EP-{suggestion}` then names the plan wherever it moves"
        )));
    }
}

/// Errors for every plan whose number an earlier plan already uses.
pub(super) fn check_unique_numbers(plans: &[Plan], out: &mut Vec<Diagnostic>) {
    let mut by_number: BTreeMap<_, Vec<&Plan>> = BTreeMap::new();
    for p in plans {
        if let Some(n) = p.number {
            by_number.entry(n).or_default().push(p);
        }
    }
    for (n, group) in by_number.into_iter().filter(|(_, g)| g.len() > 1) {
        let first = group[0];
        for dup in &group[1..] {
            out.push(
                Diagnostic::new(
                    Code::DuplicateNumber,
                    &dup.path,
                    Some(dup.title_span),
                    format!("plan number `{n}` is also used by `{}`", first.path),
                )
                .help("renumber one of them: `EP-NNN` references cannot tell them apart"),
            );
        }
    }
}
