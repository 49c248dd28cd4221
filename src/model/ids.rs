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

/// Parses `<prefix>-<digits>` at the start of `text` (case-insensitive prefix, 1 to 6 digits) and
/// returns the number and the byte length consumed. `EP-12a` does not match: the digits must end
/// at a non-alphanumeric character.
pub fn parse_prefixed(text: &str, prefix: &str) -> Option<(u32, usize)> {
    let head = text.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) || text.as_bytes().get(prefix.len()) != Some(&b'-') {
        return None;
    }
    let rest = &text[prefix.len() + 1..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 6 {
        return None;
    }
    if rest[digits..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let n = rest[..digits].parse().ok()?;
    Some((n, prefix.len() + 1 + digits))
}

/// Every `<prefix>-<digits>` in `text` that starts a word: the number and its byte offset. The
/// prefix must be written in upper case here (`ep-1` inside a URL slug is not a reference).
pub fn find_all(text: &str, prefix: &str) -> Vec<(u32, usize)> {
    let bytes = text.as_bytes();
    let first = prefix.as_bytes()[0];
    let mut out = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if b != first
            || !text[i..].starts_with(prefix)
            || (i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
        {
            continue;
        }
        if let Some((n, _)) = text.get(i..).and_then(|t| parse_prefixed(t, prefix)) {
            out.push((n, i));
        }
    }
    out
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
}
