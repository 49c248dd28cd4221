//! Header fields: `**Status**: x`, `**Status:** x`, `- **Status:** x`, `> **Status**: x`,
//! `Status: x`.
//!
//! The outline says which lines are header lines (paragraphs, list items and quotes before the
//! first section); this module reads one such line. Bold keys may be anything; a plain `Key:`
//! line counts only for keys the convention uses, so prose like "Note: ..." is not a field.

/// A field read from one line.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct FieldLine {
    pub key: String,
    pub value: String,
    /// 1-based byte column where the value starts.
    pub value_col: u32,
}

/// Keys recognised without bold.
const PLAIN_KEYS: &[&str] = &[
    "status",
    "state",
    "author",
    "authors",
    "owner",
    "owners",
    "created",
    "opened",
    "started",
    "completed",
    "closed",
    "finished",
    "last reviewed",
    "updated",
    "last updated",
    "id",
    "depends on",
    "supersedes",
    "reviewers",
    "priority",
    "goal",
    "date",
    "start date",
    "end date",
    "estimated effort",
    "effort",
    "overall",
    "grade",
    "score",
];

/// Lower case, `_` and `-` as spaces: `last_reviewed` and `Last-Reviewed` are `last reviewed`.
pub(crate) fn normalize_key(key: &str) -> String {
    let k: String = key.chars().map(|c| if c == '_' || c == '-' { ' ' } else { c.to_ascii_lowercase() }).collect();
    crate::parse::markdown::collapse_whitespace(&k)
}

/// Reads the lines of one block (a paragraph, a list item) as fields, with their line numbers:
/// a line that is no field and starts with a lower-case letter continues the field right before
/// it (a value wrapped over two lines), joined with a space.
pub(crate) fn parse_block<'l>(
    lines: impl IntoIterator<Item = (u32, &'l str)>,
    extra: &[&str],
) -> Vec<(u32, FieldLine)> {
    let mut out: Vec<(u32, FieldLine)> = Vec::new();
    let mut continues = false;
    for (line_no, line) in lines {
        if let Some(f) = parse_line_with(line, extra) {
            out.push((line_no, f));
            continues = true;
            continue;
        }
        let t = line.trim();
        // Only a line that reads as the rest of a sentence continues it: a capitalised line
        // (or one in a script without case, a list item, a quote) is something of its own.
        let starts_block = !t.starts_with(char::is_lowercase);
        match out.last_mut() {
            Some((_, last)) if continues && !starts_block => {
                last.value.push(' ');
                last.value.push_str(&clean_value(t));
            }
            _ => continues = false,
        }
    }
    out
}

/// Reads `line` as a field, if it is one.
#[cfg(test)]
pub(crate) fn parse_line(line: &str) -> Option<FieldLine> {
    parse_line_with(line, &[])
}

/// Like `parse_line`, also taking plain `Key: value` lines for the `extra` keys (normalised, as
/// `normalize_key` writes them) a document kind uses (a debt item's `Resolved:`, `Plan:`).
pub(crate) fn parse_line_with(line: &str, extra: &[&str]) -> Option<FieldLine> {
    let mut rest = line;
    // Container markers: quotes, bullets, ordered-list numbers.
    loop {
        let t = rest.trim_start();
        if let Some(r) = t.strip_prefix('>') {
            rest = r;
        } else if let Some(r) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")).or_else(|| t.strip_prefix("+ ")) {
            rest = r;
        } else {
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            match t[digits..].strip_prefix(". ") {
                Some(r) if digits > 0 => rest = r,
                _ => {
                    rest = t;
                    break;
                }
            }
        }
    }
    let (key, value) = bold_field(rest).or_else(|| plain_field(rest, extra))?;
    let value = value.trim_start();
    // `value` is a slice of `line`, so its offset is its column.
    let value_start = value.as_ptr() as usize - line.as_ptr() as usize;
    let value = clean_value(value);
    Some(FieldLine { key: key.trim().to_string(), value, value_col: value_start as u32 + 1 })
}

/// `**Key**: value`, `**Key:** value`, `__Key__: value`.
fn bold_field(s: &str) -> Option<(&str, &str)> {
    let fence = if s.starts_with("**") {
        "**"
    } else if s.starts_with("__") {
        "__"
    } else {
        return None;
    };
    let inner_and_rest = &s[2..];
    let close = inner_and_rest.find(fence)?;
    let inner = &inner_and_rest[..close];
    let after = &inner_and_rest[close + 2..];
    let (key, value) = if let Some(key) = inner.strip_suffix(':') {
        (key, after)
    } else if let Some(value) = after.strip_prefix(':') {
        (inner, value)
    } else if after.trim().is_empty() && inner.contains(':') {
        // `**Overall: B**`: the whole field in bold.
        let (key, value) = inner.split_once(':')?;
        (key, value)
    } else {
        return None;
    };
    let key_ok = !key.trim().is_empty() && key.len() <= 40 && !key.contains(['*', '[', '`']);
    key_ok.then_some((key, value.trim_start()))
}

/// `Key: value` for known keys only.
fn plain_field<'s>(s: &'s str, extra: &[&str]) -> Option<(&'s str, &'s str)> {
    let (key, value) = s.split_once(':')?;
    let key_n = normalize_key(key);
    let known = PLAIN_KEYS.contains(&key_n.as_str()) || extra.contains(&key_n.as_str());
    (known && !key.starts_with(' ')).then_some((key, value.trim_start()))
}

/// Unwraps a value written entirely in bold or italics (code spans are kept: they are markup).
fn clean_value(v: &str) -> String {
    let mut v = v.trim();
    for wrap in ["**", "__", "*", "_"] {
        if v.len() > 2 * wrap.len()
            && v.starts_with(wrap)
            && v.ends_with(wrap)
            && !v[wrap.len()..v.len() - wrap.len()].contains(wrap)
        {
            v = v[wrap.len()..v.len() - wrap.len()].trim();
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(line: &str) -> Option<(String, String, u32)> {
        parse_line(line).map(|f| (f.key, f.value, f.value_col))
    }

    #[test]
    fn reads_every_header_form() {
        let want = |v: &str, col| Some(("Status".to_string(), v.to_string(), col));
        assert_eq!(kv("**Status**: active"), want("active", 13));
        assert_eq!(kv("**Status:** active"), want("active", 13));
        assert_eq!(kv("- **Status:** active"), want("active", 15));
        assert_eq!(kv("> **Status**: active"), want("active", 15));
        assert_eq!(kv("Status: active"), want("active", 9));
        assert_eq!(kv("**Status**: **Active**"), want("Active", 13));
        assert_eq!(kv("1. **Status:** active"), want("active", 16));
    }

    #[test]
    fn a_wrapped_value_continues_on_the_next_line() {
        let lines = [
            "**Scope**: the workflows, the Dockerfile and",
            "the release checklist.",
            "**Owner**: ops",
            "- a list",
            "**Status**: active",
            "This plan moves the cache.",
            "and this is not a field either",
        ];
        let got = parse_block(lines.iter().enumerate().map(|(i, l)| (i as u32 + 1, *l)), &[]);
        let got: Vec<(u32, &str, &str)> = got.iter().map(|(n, f)| (*n, f.key.as_str(), f.value.as_str())).collect();
        assert_eq!(
            got,
            [
                (1, "Scope", "the workflows, the Dockerfile and the release checklist."),
                (3, "Owner", "ops"),
                (5, "Status", "active")
            ]
        );
    }

    #[test]
    fn rejects_prose() {
        assert_eq!(kv("Note: this is prose"), None);
        assert_eq!(kv("**Bold statement** without colon"), None);
        assert_eq!(kv("Plain text"), None);
        assert_eq!(
            kv("**Gate:** SRTP round-trip test — **PASSED**"),
            Some(("Gate".into(), "SRTP round-trip test — **PASSED**".into(), 11))
        );
        assert_eq!(normalize_key("Last_Reviewed"), "last reviewed");
        assert_eq!(kv("**Overall: B+**"), Some(("Overall".into(), "B+".into(), 12)));
    }
}
