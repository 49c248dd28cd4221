//! Identities of plans (`EP-NNN`) and debt items (`TD-NNN`).
//!
//! A number is the identity, not its spelling: `EP-1`, `EP-001` and `EP-0001` name the same plan.
//! Display always uses at least three digits, the width the convention writes.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The number of an exec plan: `EP-012` and `012-short-name.md` both name `PlanNumber(12)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PlanNumber(pub u32);

/// The number of a tech debt item: `TD-004` is `DebtId(4)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DebtId(pub u32);

impl fmt::Display for PlanNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EP-{:03}", self.0)
    }
}

impl fmt::Display for DebtId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TD-{:03}", self.0)
    }
}

impl DebtId {
    /// The anchor of this item on the debt page: `td-004`.
    pub fn anchor(self) -> String {
        format!("td-{:03}", self.0)
    }
}

/// Most digits a plan or debt number has: six fit in a `u32` with room to spare, and no harness
/// has a million plans. Longer runs are malformed IDs (`MAX_DIGITS` + 1 digits or more).
pub const MAX_DIGITS: usize = 6;

/// Parses `<prefix>-<digits>` at the start of `text` (case-insensitive prefix, 1 to 6 digits) and
/// returns the number and the byte length consumed. `EP-12a` does not match: the digits must end
/// at a non-alphanumeric character.
pub fn parse_prefixed(text: &str, prefix: &str) -> Option<(u32, usize)> {
    let digits = id_digits(text, prefix)?;
    if digits > MAX_DIGITS {
        return None;
    }
    let n = text.get(prefix.len() + 1..prefix.len() + 1 + digits)?.parse().ok()?;
    Some((n, prefix.len() + 1 + digits))
}

/// The number of digits of a `<prefix>-<digits>` at the start of `text`, however many there are
/// (the caller decides whether that is too many): `None` when `text` does not start with one.
fn id_digits(text: &str, prefix: &str) -> Option<usize> {
    let head = text.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) || text.as_bytes().get(prefix.len()) != Some(&b'-') {
        return None;
    }
    // `prefix` and `-` are ASCII, so this is a character boundary.
    let rest = text.get(prefix.len() + 1..)?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    // The digits are ASCII, so `digits` is a character boundary of `rest`.
    if rest.get(digits..)?.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    Some(digits)
}

/// An ID written in text: where it starts, its length in bytes, and its number (`None` when the
/// number has more than `MAX_DIGITS` digits: a malformed ID, reported as E034).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IdMatch {
    /// Byte offset of the prefix.
    pub at: usize,
    /// Byte length of prefix, `-` and digits.
    pub len: usize,
    /// The number, when it is one.
    pub number: Option<u32>,
}

/// Every `<prefix>-<digits>` in `text` that starts a word, well-formed or not, in text order. The
/// prefix must be written in upper case here (`ep-1` inside a URL slug is not a reference).
/// Linear in `text`: each digit run is read once, by the ID it follows.
pub fn scan(text: &str, prefix: &str) -> Vec<IdMatch> {
    let bytes = text.as_bytes();
    let Some(&first) = prefix.as_bytes().first() else { return Vec::new() };
    let mut out = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if b != first {
            continue;
        }
        let word_start = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if !word_start || !bytes[i..].starts_with(prefix.as_bytes()) {
            continue;
        }
        // `b` is ASCII, so `i` is a character boundary.
        let Some(digits) = text.get(i..).and_then(|t| id_digits(t, prefix)) else { continue };
        let len = prefix.len() + 1 + digits;
        let number = if digits > MAX_DIGITS {
            None
        } else {
            text.get(i + prefix.len() + 1..i + len).and_then(|d| d.parse().ok())
        };
        out.push(IdMatch { at: i, len, number });
    }
    out
}

/// Every well-formed `<prefix>-<digits>` in `text` that starts a word: the number and its byte
/// offset (see `scan`).
pub fn find_all(text: &str, prefix: &str) -> Vec<(u32, usize)> {
    scan(text, prefix).into_iter().filter_map(|m| Some((m.number?, m.at))).collect()
}

impl PlanNumber {
    /// `EP-1`, `EP-001`, `ep-0001` → 1.
    pub fn parse(text: &str) -> Option<PlanNumber> {
        parse_prefixed(text.trim(), "EP").filter(|&(_, len)| len == text.trim().len()).map(|(n, _)| PlanNumber(n))
    }
}

impl DebtId {
    /// `TD-4`, `TD-004` → 4.
    pub fn parse(text: &str) -> Option<DebtId> {
        parse_prefixed(text.trim(), "TD").filter(|&(_, len)| len == text.trim().len()).map(|(n, _)| DebtId(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_name_the_same_plan() {
        for s in ["EP-1", "EP-001", "EP-0001", "ep-01"] {
            assert_eq!(PlanNumber::parse(s), Some(PlanNumber(1)), "{s}");
        }
        assert_eq!(PlanNumber(7).to_string(), "EP-007");
        assert_eq!(PlanNumber(1234).to_string(), "EP-1234");
    }

    #[test]
    fn rejects_non_ids() {
        for s in ["EP-", "EP1", "EP-12a", "XEP-1", "EP-1234567"] {
            assert_eq!(PlanNumber::parse(s), None, "{s}");
        }
        assert_eq!(parse_prefixed("TD-005 is open", "TD"), Some((5, 6)));
        assert_eq!(DebtId::parse("TD-5").map(DebtId::anchor), Some("td-005".into()));
        assert_eq!(find_all("TD-1, (TD-02) xTD-3 TD-4a ~~TD-005~~", "TD"), vec![(1, 0), (2, 7), (5, 28)]);
    }

    #[test]
    fn overlong_numbers_are_malformed_not_overflowing() {
        let long = format!("EP-{}", "9".repeat(50));
        assert_eq!(PlanNumber::parse(&long), None);
        assert_eq!(parse_prefixed(&format!("TD-{} x", "1".repeat(40)), "TD"), None);
        let text = format!("é {long}, EP-7 and {long}x");
        let found = scan(&text, "EP");
        assert_eq!(found, [IdMatch { at: 3, len: 53, number: None }, IdMatch { at: 58, len: 4, number: Some(7) }]);
        assert_eq!(find_all(&text, "EP"), [(7, 58)]);
        assert_eq!(PlanNumber::parse("EP-999999"), Some(PlanNumber(999_999)));
        assert_eq!(scan("", "EP"), []);
        assert_eq!(scan("EP-", "EP"), []);
    }
}
