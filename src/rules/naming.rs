//! Rule 6: file names `NNN-short-description.md`, plan numbers unique across all state folders.

use crate::diag::{Code, Diagnostic};
use crate::model::Plan;
use std::collections::BTreeMap;

/// The number width the repository's plans use. Zero-padded names say it (`0032-x`: four);
/// the most common padding wins (the wider on a tie). Without padding, the most common count of
/// digits; 3 when no plan is numbered. Numbers too large for the width simply take more digits
/// (`1000-x` beside `001-a`).
pub(super) fn number_width(plans: &[Plan]) -> usize {
    let (mut padded, mut all): (BTreeMap<usize, usize>, BTreeMap<usize, usize>) = Default::default();
    for p in plans {
        let Some(n) = crate::parse::file_number(&p.stem) else { continue };
        let digits = p.stem.bytes().take_while(u8::is_ascii_digit).count();
        *all.entry(digits).or_default() += 1;
        if digits > n.0.to_string().len() {
            *padded.entry(digits).or_default() += 1;
        }
    }
    let most = |counts: BTreeMap<usize, usize>| counts.into_iter().max_by_key(|&(w, n)| (n, w)).map(|(w, _)| w);
    most(padded).or_else(|| most(all)).unwrap_or(3)
}

/// Warns about a file name that is not `NNN-short-description` (with the repository's number
/// `width`): style, so a warning.
pub(super) fn check_name(plan: &Plan, width: usize, out: &mut Vec<Diagnostic>) {
    let stem = &plan.stem;
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    // ASCII digits: `digits` is a character boundary.
    let slug = stem.get(digits..).unwrap_or_default().strip_prefix('-').unwrap_or("");
    let numbered = crate::parse::file_number(stem);
    let problem = if numbered.is_none() && crate::parse::date_prefix_len(stem).is_some() {
        Some("plan file is named by date, not by number".to_string())
    } else if numbered.is_none() {
        Some("plan file name has no number".to_string())
    } else if digits != plan.number.map_or(width, |n| n.0.to_string().len().max(width)) {
        Some(format!("plan number in the file name has {digits} digits; this repository's plans use {width}"))
    } else if slug.is_empty()
        || !slug.split('-').all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
    {
        Some("plan file name is not `NNN-short-description` in kebab-case".to_string())
    } else {
        None
    };
    if let Some(problem) = problem {
        let suggestion = plan.number.map_or_else(|| "N".repeat(width), |n| format!("{:0width$}", n.0));
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
