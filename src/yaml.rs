//! The one place planbook uses serde_yaml: planbook.yaml and plan front matter.
//!
//! serde_yaml is unmaintained; keeping every call here means a maintained fork can replace it by
//! editing this file only. Front matter keeps scalars as written: `id: 0032` stays the string
//! `0032` (YAML would read a number, and YAML 1.1 readers an octal one).

use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::fmt;

/// A YAML error with its position (1-based line and column, relative to the text parsed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What serde_yaml says, without its " at line N column M" suffix.
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known, in characters (as shown to people; serde_yaml counts
    /// characters).
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

/// The largest front matter planbook reads: generous for `key: value` lines, small enough that
/// no YAML parser spends noticeable time on it.
pub const MAX_FRONT_MATTER: usize = 64 * 1024;

/// The deepest front matter planbook reads (flow `[`/`{` and block nesting together). libyaml's
/// scanner (serde_yaml 0.9, unsafe-libyaml 0.2) spends time proportional to the flow depth on
/// every token: 100,000 `[` after a key took 11 s (release) before this limit.
pub const MAX_FRONT_MATTER_DEPTH: usize = 64;

/// Why front matter was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontMatterError {
    /// It is not valid YAML, or not a mapping.
    Invalid(YamlError),
    /// It is larger than `MAX_FRONT_MATTER` bytes.
    TooLarge {
        /// Its size in bytes.
        size: usize,
    },
    /// It nests deeper than `MAX_FRONT_MATTER_DEPTH`.
    TooDeep {
        /// 1-based line (of the front matter text) where the limit is passed.
        line: u32,
    },
}

impl From<YamlError> for FrontMatterError {
    fn from(e: YamlError) -> Self {
        FrontMatterError::Invalid(e)
    }
}

impl From<serde_yaml::Error> for FrontMatterError {
    fn from(e: serde_yaml::Error) -> Self {
        FrontMatterError::Invalid(e.into())
    }
}

/// Parses front matter (the text between the `---` fences) into its top-level entries, in order.
/// Size and nesting are checked first, in one linear pass, so serde_yaml never sees a bomb.
pub fn front_matter(text: &str) -> Result<Vec<FrontEntry>, FrontMatterError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    if text.len() > MAX_FRONT_MATTER {
        return Err(FrontMatterError::TooLarge { size: text.len() });
    }
    if let Some(line) = nesting_exceeds(text, MAX_FRONT_MATTER_DEPTH) {
        return Err(FrontMatterError::TooDeep { line });
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
            }
            .into());
        }
    };
    let lines = key_lines(text);
    let mut entries = Vec::with_capacity(mapping.len());
    for (key, value) in mapping {
        let Some(key) = scalar_text(&key) else { continue };
        let (line, column, raw) = lines.get(key.as_str()).copied().unwrap_or((1, 1, ""));
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

/// The first line where `text` nests deeper than `max`, or `None`. One pass, no allocation per
/// character; it may overestimate the depth (a `[` inside a quoted string counts), never
/// underestimate it: a `]`/`}` only closes a level outside quotes and comments, and inside a flow
/// collection every quote character is taken to open a quoted scalar.
fn nesting_exceeds(text: &str, max: usize) -> Option<u32> {
    let mut flow = 0usize;
    let mut quote: Option<u8> = None;
    let mut indents: Vec<usize> = Vec::new();
    let mut block_scalar: Option<usize> = None;
    for (i, line) in text.split('\n').enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        let blank = line.trim().is_empty();
        // The content of a `|` / `>` block scalar is text, however it looks.
        if let Some(header) = block_scalar {
            if blank || indent > header {
                continue;
            }
            block_scalar = None;
        }
        if flow == 0 && quote.is_none() && !blank && !line.trim_start().starts_with('#') {
            while indents.last().is_some_and(|&l| l >= indent) {
                indents.pop();
            }
            indents.push(indent);
            if indents.len() + compact_levels(line.get(indent..).unwrap_or_default()) > max {
                return Some(line_no);
            }
            if opens_block_scalar(line) {
                block_scalar = Some(indent);
            }
        }
        let bytes = line.as_bytes();
        let mut k = 0;
        while k < bytes.len() {
            let b = bytes[k];
            match quote {
                Some(b'"') if b == b'\\' => k += 1, // skips the escaped byte
                Some(b'\'') if b == b'\'' && bytes.get(k + 1) == Some(&b'\'') => k += 1,
                Some(q) if b == q => quote = None,
                Some(_) => {
                    if matches!(b, b'[' | b'{') {
                        flow += 1;
                    }
                }
                None => match b {
                    b'#' if k == 0 || matches!(bytes[k - 1], b' ' | b'\t') => break, // a comment
                    b'[' | b'{' => flow += 1,
                    b']' | b'}' => flow = flow.saturating_sub(1),
                    b'"' | b'\'' if flow > 0 => quote = Some(b),
                    _ => {}
                },
            }
            if flow + indents.len() > max {
                return Some(line_no);
            }
            k += 1;
        }
    }
    None
}

/// Nested block collections that start on one line: `- - a`, `- ? a`.
fn compact_levels(line: &str) -> usize {
    let mut rest = line;
    let mut levels = 0;
    while let Some(r) = rest.strip_prefix("- ").or_else(|| rest.strip_prefix("? ")) {
        levels += 1;
        rest = r.trim_start_matches(' ');
    }
    levels
}

/// Whether a line ends with a block scalar header: `key: |`, `- >-`, `key: |2`.
fn opens_block_scalar(line: &str) -> bool {
    let t = line.trim_end().trim_end_matches(|c: char| c == '+' || c == '-' || c.is_ascii_digit());
    let Some(before) = t.strip_suffix(['|', '>']) else { return false };
    before.trim().is_empty() || before.ends_with(' ')
}

fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Top-level `key: raw value` lines by key (the first line of a key written twice): line, value
/// column (1-based, in bytes) and raw value text.
fn key_lines(text: &str) -> HashMap<String, (u32, u32, &str)> {
    let mut out = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some((key, rest)) = line.split_once(':') else { continue };
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        let value = rest.trim_start();
        let column = u32::try_from(line.len() - value.len() + 1).unwrap_or(u32::MAX);
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        out.entry(key.to_string()).or_insert((line_no, column, value.trim_end()));
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
        let Err(FrontMatterError::Invalid(e)) = front_matter("a: 1\n  b: [\n") else { panic!("not invalid") };
        assert_eq!(e.line, Some(2));
        assert!(!e.message.contains(" at line "), "{}", e.message);
        assert!(front_matter("- a\n- b\n").is_err());
    }

    fn too_deep(text: &str) -> Option<u32> {
        match front_matter(text) {
            Err(FrontMatterError::TooDeep { line }) => Some(line),
            _ => None,
        }
    }

    #[test]
    fn bracket_bombs_are_refused_before_serde_yaml_in_linear_time() {
        // 100,000 `[` after a key took 11 s in serde_yaml (release) before the limits.
        let start = std::time::Instant::now();
        assert_eq!(
            front_matter(&format!("a: {}\n", "[".repeat(100_000))),
            Err(FrontMatterError::TooLarge { size: 100_004 })
        );
        assert_eq!(too_deep(&format!("title: x\na: {}\n", "[".repeat(60_000))), Some(2));
        assert_eq!(too_deep(&format!("a: {}\n", "{a: ".repeat(10_000))), Some(1));
        // Quoted closers inside a flow collection do not close it.
        assert_eq!(too_deep(&format!("a: {}\n", "[ \"]\", ".repeat(5_000))), Some(1));
        assert_eq!(too_deep(&format!("a: {}\n", "[ ']', ".repeat(5_000))), Some(1));
        assert_eq!(too_deep(&format!("a: {}\n", "[ # ]\n".repeat(5_000))), Some(64));
        assert_eq!(too_deep(&"- ".repeat(30_000)), Some(1));
        let stairs: String = (0..100).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        assert_eq!(too_deep(&stairs), Some(65));
        // Just under the limit, serde_yaml's per-token cost stays small.
        let deep_ok = format!("a: {}{}{}\n", "[".repeat(60), "x, ".repeat(15_000), "]".repeat(60));
        assert!(front_matter(&deep_ok).is_ok());
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
    }

    #[test]
    fn ordinary_nesting_and_brackets_in_text_are_read() {
        let fm = front_matter(
            "title: \"A [draft] {x}\"\nnote: it's [fine\ntags: [a, [b, c], {d: e}]\nbody: |\n        deep\n            text\n",
        )
        .unwrap();
        assert_eq!(fm.len(), 4);
        assert_eq!(fm[0].value, FrontValue::Scalar("A [draft] {x}".into()));
        let nested: String = (0..20).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
        assert!(front_matter(&format!("{nested}{}v: 1\n", "  ".repeat(20))).is_ok());
    }

    #[test]
    fn many_keys_are_located_in_linear_time() {
        let text: String = (0..4_000).map(|i| format!("key{i}: {i}\n")).collect();
        let start = std::time::Instant::now();
        let fm = front_matter(&text).unwrap();
        assert_eq!((fm.len(), fm[3_999].line, fm[3_999].column), (4_000, 4_000, 10));
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
    }
}
