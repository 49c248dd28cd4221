//! The one place planbook uses serde_yaml: planbook.yaml and plan front matter.
//!
//! serde_yaml is unmaintained; keeping every call here means a maintained fork can replace it by
//! editing this file only. Front matter keeps scalars as written: `id: 0032` stays the string
//! `0032` (YAML would read a number, and YAML 1.1 readers an octal one).

use serde::de::DeserializeOwned;
use std::fmt;

/// A YAML error with its position (1-based line and column, relative to the text parsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What serde_yaml says, without its " at line N column M" suffix.
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<serde_yaml::Error> for YamlError {
    fn from(e: serde_yaml::Error) -> Self {
        let location = e.location();
        let mut message = e.to_string();
        // serde_yaml appends the position to the message; we report it separately.
        if let Some(at) = message.find(" at line ") {
            message.truncate(at);
        }
        YamlError {
            message,
            line: location.as_ref().map(|l| l.line() as u32),
            column: location.as_ref().map(|l| l.column() as u32),
        }
    }
}

/// Deserialises a whole YAML document (planbook.yaml). An empty document is `T::default()`'s job:
/// callers pass `"{}"` for an empty file.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(YamlError::from)
}

/// A front matter value, as planbook needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontValue {
    /// A scalar, as written (quotes removed).
    Scalar(String),
    /// A sequence of scalars (`depends-on: [EP-002, EP-003]`).
    List(Vec<String>),
    /// A mapping or nested sequence: kept out of the model.
    Nested,
}

/// One top-level front matter key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontEntry {
    /// The key as written.
    pub key: String,
    /// Its value.
    pub value: FrontValue,
    /// 1-based line of the key within the front matter text.
    pub line: u32,
    /// 1-based column where the value starts on that line (1 when it is on later lines).
    pub column: u32,
}

/// Parses front matter (the text between the `---` fences) into its top-level entries, in order.
pub fn front_matter(text: &str) -> Result<Vec<FrontEntry>, YamlError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text)?;
    let mapping = match value {
        serde_yaml::Value::Mapping(m) => m,
        serde_yaml::Value::Null => return Ok(Vec::new()),
        _ => {
            return Err(YamlError {
                message: "front matter must be a mapping of `key: value` lines".into(),
                line: Some(1),
                column: Some(1),
            });
        }
    };
    let lines = key_lines(text);
    let mut entries = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let Some(key) = scalar_text(&key) else { continue };
        let (line, column, raw) =
            lines.iter().find(|(k, ..)| *k == key).map(|(_, l, c, raw)| (*l, *c, *raw)).unwrap_or((1, 1, ""));
        let value = match value {
            serde_yaml::Value::Sequence(items) => {
                let scalars: Option<Vec<String>> = items.iter().map(scalar_text).collect();
                scalars.map_or(FrontValue::Nested, FrontValue::List)
            }
            serde_yaml::Value::Mapping(_) | serde_yaml::Value::Tagged(_) => FrontValue::Nested,
            serde_yaml::Value::Null => FrontValue::Scalar(String::new()),
            other => match plain_scalar(raw) {
                Some(raw) => FrontValue::Scalar(raw),
                None => FrontValue::Scalar(scalar_text(&other).unwrap_or_default()),
            },
        };
        entries.push(FrontEntry { key, value, line, column });
    }
    Ok(entries)
}

fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Top-level `key: raw value` lines: (key, line, value column, raw value text).
fn key_lines(text: &str) -> Vec<(String, u32, u32, &str)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, rest)) = line.split_once(':') else { continue };
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        let value = rest.trim_start();
        let column = (line.len() - value.len() + 1) as u32;
        out.push((key.to_string(), i as u32 + 1, column, value.trim_end()));
    }
    out
}

/// The written form of a one-line plain or quoted scalar; `None` for block scalars and flow
/// collections, whose parsed value is used instead.
fn plain_scalar(raw: &str) -> Option<String> {
    if raw.is_empty() || raw.starts_with(['|', '>', '[', '{', '&', '*', '!']) {
        return None;
    }
    for quote in ['"', '\''] {
        if raw.starts_with(quote) {
            return None; // serde_yaml already unescaped it correctly
        }
    }
    // A ` #` starts a comment in a plain scalar.
    let raw = raw.find(" #").map_or(raw, |at| &raw[..at]).trim_end();
    Some(raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_scalars_as_written() {
        let fm = front_matter("id: 0032\nstatus: active # note\ncreated: 2026-03-12\ntitle: \"A: b\"\n").unwrap();
        let get = |k: &str| fm.iter().find(|e| e.key == k).unwrap().value.clone();
        assert_eq!(get("id"), FrontValue::Scalar("0032".into()));
        assert_eq!(get("status"), FrontValue::Scalar("active".into()));
        assert_eq!(get("created"), FrontValue::Scalar("2026-03-12".into()));
        assert_eq!(get("title"), FrontValue::Scalar("A: b".into()));
        assert_eq!(fm[1].line, 2);
        assert_eq!(fm[1].column, 9);
    }

    #[test]
    fn reads_lists_and_skips_nested() {
        let fm = front_matter("depends-on: [EP-002, 3]\ntags:\n  - a\n  - b\nmeta: {a: 1}\n").unwrap();
        assert_eq!(fm[0].value, FrontValue::List(vec!["EP-002".into(), "3".into()]));
        assert_eq!(fm[1].value, FrontValue::List(vec!["a".into(), "b".into()]));
        assert_eq!(fm[2].value, FrontValue::Nested);
    }

    #[test]
    fn reports_position_of_bad_yaml() {
        let e = front_matter("a: 1\n  b: [\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(!e.message.contains(" at line "), "{}", e.message);
        assert!(front_matter("- a\n- b\n").is_err());
    }
}
