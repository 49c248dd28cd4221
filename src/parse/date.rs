//! Reading the dates people write: `2026-03-12`, `2026/03/12`, `March 12, 2026`, `12 Mar 2026`.
//!
//! A date may be followed by anything (`2026-03-26 (approx.)`, `2026-03-26T10:00Z`); what follows
//! is the caller's business. Placeholders (`TBD`, `-`, `YYYY-MM-DD`) read as "no date", not as
//! errors: the template ships them.

use jiff::civil::Date;

/// What a date field holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DateText {
    /// A date, then the rest of the text.
    Date(Date),
    /// Nothing written, or a template placeholder.
    Empty,
    /// Something that is not a date; the message says why.
    Invalid(String),
}

/// Reads a whole date field.
pub(crate) fn read(text: &str) -> DateText {
    let t = text.trim().trim_matches(|c| c == '*' || c == '_' || c == '`').trim();
    if is_placeholder(t) {
        return DateText::Empty;
    }
    match prefix(t) {
        Some((Ok(date), _)) => DateText::Date(date),
        Some((Err(e), _)) => DateText::Invalid(e),
        None => DateText::Invalid(format!("`{t}` is not a date")),
    }
}

/// Whether a field value is a template placeholder rather than a value.
pub(crate) fn is_placeholder(t: &str) -> bool {
    let lower = t.trim().to_ascii_lowercase();
    let lower = lower.trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace());
    lower.is_empty()
        || lower.chars().all(|c| matches!(c, '-' | '—' | '–' | '_' | '?' | '.'))
        || matches!(
            lower,
            "tbd" | "tba" | "n/a" | "na" | "none" | "pending" | "not yet" | "yyyy-mm-dd" | "if applicable" | "ongoing"
        )
        || lower.starts_with("yyyy-mm-dd")
}

/// A date at the start of `text` and the number of bytes it took. `Err` when the text starts like
/// a date but is not a real one (`2026-02-30`).
pub(crate) fn prefix(text: &str) -> Option<(Result<Date, String>, usize)> {
    iso_prefix(text).or_else(|| named_month_prefix(text))
}

/// The first date anywhere in `text`, ISO or with a named month, at the start of a word:
/// `Implemented (March 12, 2026).`, `Shipped on 12 March 2026`, `Done 2026-03-12`. A word that
/// starts like a date but is not one (`2026-02-30`) is passed over. Linear: a named-month date
/// is tried at each word start and reads at most three words.
pub(crate) fn find_any(text: &str) -> Option<Date> {
    let mut previous: Option<char> = None;
    for (i, c) in text.char_indices() {
        // Digits right after a word of another script start a word too (`已完成2026-03-12`).
        let word_start = c.is_alphanumeric()
            && !previous.is_some_and(|p| p.is_alphanumeric() && (p.is_ascii() || !c.is_ascii_digit()));
        previous = Some(c);
        if !word_start {
            continue;
        }
        // A date takes fewer than 32 bytes (`September 12th, 2026`): reading at most that much
        // at each word start keeps the search linear in long unspaced text. `i` and the end are
        // character boundaries of `text`.
        let end = (i + 32..=text.len().min(i + 36)).find(|&e| text.is_char_boundary(e)).unwrap_or(text.len());
        if let Some((Ok(d), _)) = text.get(i..end).and_then(prefix) {
            return Some(d);
        }
    }
    None
}

fn digits(s: &str, n: usize) -> Option<i32> {
    let part = s.get(..n)?;
    if part.bytes().all(|b| b.is_ascii_digit()) { part.parse().ok() } else { None }
}

fn make(year: i32, month: i32, day: i32, shown: &str) -> Result<Date, String> {
    let ok = (1..=9999).contains(&year) && (1..=12).contains(&month) && (1..=31).contains(&day);
    ok.then(|| Date::new(year as i16, month as i8, day as i8).ok())
        .flatten()
        .ok_or_else(|| format!("`{shown}` is not a valid date"))
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD` (month and day may be one digit).
fn iso_prefix(text: &str) -> Option<(Result<Date, String>, usize)> {
    let year = digits(text, 4)?;
    let sep = *text.as_bytes().get(4)?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    let rest = &text[5..];
    let m_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&m_len) || rest.as_bytes().get(m_len) != Some(&sep) {
        return None;
    }
    let month = digits(rest, m_len)?;
    let rest2 = &rest[m_len + 1..];
    let d_len = rest2.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&d_len) {
        return None;
    }
    let day = digits(rest2, d_len)?;
    let len = 5 + m_len + 1 + d_len;
    // `2026-03-120` is not a date followed by a zero.
    if text[len..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((make(year, month, day, &text[..len]), len))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<i32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let w = if w == "sept" { "sep".to_string() } else { w };
    MONTHS.iter().position(|m| m.starts_with(&w) && (w.len() == 3 || *m == w)).map(|i| i as i32 + 1)
}

/// `March 12, 2026`, `Mar 12 2026`, `12 March 2026`, `12 Mar. 2026`.
fn named_month_prefix(text: &str) -> Option<(Result<Date, String>, usize)> {
    let mut words = Vec::new(); // (word, byte offset where it starts in `text`)
    let mut offset = 0;
    for raw in text.split_inclusive(char::is_whitespace).take(3) {
        let start = offset + (raw.len() - raw.trim_start().len());
        offset += raw.len();
        let word = raw.trim().trim_end_matches(',');
        if word.is_empty() {
            continue;
        }
        words.push((word, start));
    }
    if words.len() < 3 {
        return None;
    }
    let num = |s: &str, max: usize| {
        let s = s.trim_end_matches(|c: char| c.is_ascii_alphabetic()); // 12th
        (s.len() <= max && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i32>().ok())
            .flatten()
    };
    let (month, day) = if let Some(m) = month_number(words[0].0) {
        (m, num(words[1].0, 2)?)
    } else {
        (month_number(words[1].0)?, num(words[0].0, 2)?)
    };
    // The year's digits start the third word (`2026,`, `2026.`, `2026—`).
    let year_word = words[2].0.trim_end_matches(|c: char| !c.is_ascii_digit());
    if year_word.len() != 4 {
        return None;
    }
    let year = num(year_word, 4)?;
    let end = words[2].1 + year_word.len();
    Some((make(year, month, day, text.get(..end)?), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn reads_iso_and_named_month_dates() {
        assert_eq!(read("2026-03-12"), DateText::Date(d("2026-03-12")));
        assert_eq!(read("2026/3/2"), DateText::Date(d("2026-03-02")));
        assert_eq!(read("**2026-03-12**"), DateText::Date(d("2026-03-12")));
        assert_eq!(read("2026-03-26 (approx.)"), DateText::Date(d("2026-03-26")));
        assert_eq!(read("March 12, 2026"), DateText::Date(d("2026-03-12")));
        assert_eq!(read("Mar 12 2026"), DateText::Date(d("2026-03-12")));
        assert_eq!(read("12 March 2026"), DateText::Date(d("2026-03-12")));
        assert_eq!(read("Sept. 3, 2026"), DateText::Date(d("2026-09-03")));
    }

    #[test]
    fn placeholders_are_empty_and_garbage_is_invalid() {
        for p in ["", "-", "TBD", "YYYY-MM-DD", "YYYY-MM-DD (if applicable)", "(if applicable)", "n/a"] {
            assert_eq!(read(p), DateText::Empty, "{p:?}");
        }
        assert!(matches!(read("2026-02-30"), DateText::Invalid(m) if m.contains("not a valid date")));
        assert!(matches!(read("Q1 2026"), DateText::Invalid(_)));
        assert!(matches!(read("soon"), DateText::Invalid(_)));
    }

    #[test]
    fn finds_prefixes_and_embedded_dates() {
        assert_eq!(prefix("2026-02-13: chose X").map(|(d, n)| (d.unwrap(), n)), Some((d("2026-02-13"), 10)));
        assert_eq!(prefix("Feb 13, 2026 — chose X").map(|(_, n)| n), Some(12));
        assert_eq!(prefix("Chose X"), None);
        assert_eq!(prefix("2026-03-120"), None);
        assert_eq!(find_any("Completed (2026-03-26)"), Some(d("2026-03-26")));
        assert_eq!(find_any("Implemented (March 12, 2026)."), Some(d("2026-03-12")));
        assert_eq!(find_any("Shipped on 12 March 2026"), Some(d("2026-03-12")));
        assert_eq!(find_any("Done 2026-03-12"), Some(d("2026-03-12")));
        assert_eq!(find_any("Done, see 2026-02-30 and then 2026-03-01"), Some(d("2026-03-01")));
        assert_eq!(find_any("已完成（2026-03-12）"), Some(d("2026-03-12")));
        assert_eq!(find_any("已完成2026-03-12"), Some(d("2026-03-12")));
        assert_eq!(find_any("Done in 12 sessions"), None);
        let long = "a-".repeat(100_000);
        let start = std::time::Instant::now();
        assert_eq!(find_any(&format!("{long} Sept. 3, 2026")), Some(d("2026-09-03")));
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
        assert_eq!(find_any("v12026-03-26"), None);
    }

    #[test]
    fn cuts_only_at_character_boundaries() {
        // The year's end was once computed past a trailing `ü`, inside it.
        assert_eq!(prefix("March 12, 2026ü, x").map(|(d, n)| (d.unwrap(), n)), Some((d("2026-03-12"), 14)));
        assert_eq!(prefix("12 März 2026"), None);
        assert_eq!(prefix("Mär 12 2026"), None);
        for t in ["2026-3-2-ü", "2026-03-1ü", "ü2026-03-01", "2026—03—01", "2026-03-", "2026-", "Ü", ""] {
            let _ = (read(t), find_any(t), prefix(t));
        }
        assert_eq!(prefix("2026-3-2-ü").map(|(_, n)| n), Some(8));
    }
}
