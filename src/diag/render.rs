//! Rendering a `Report`: rustc-style text with source excerpts, or one JSON document.

use super::{Diagnostic, Report, Severity};
use crate::model::Span;
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

/// Output format of diagnostics (`--format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// rustc-style text with source excerpts.
    #[default]
    Human,
    /// One JSON document, for editors and CI.
    Json,
}

/// When to colour output (`--color`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// What a rendering shows.
#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    /// ANSI colours.
    pub color: bool,
    /// Only errors, no summary.
    pub quiet: bool,
    /// Prepended to every path shown (the root as the user typed it), e.g. `content-example/`.
    pub path_prefix: String,
}

impl Report {
    /// The human rendering: every diagnostic, then the summary line.
    pub fn render_human(&self, opts: &RenderOptions) -> String {
        let renderer = if opts.color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii);
        let mut out = String::new();
        let lines = Lines::new(self);
        for d in self.diagnostics() {
            if opts.quiet && d.severity != Severity::Error {
                continue;
            }
            out.push_str(&self.render_one(d, &renderer, opts, &lines));
            out.push_str("\n\n");
        }
        if !opts.quiet {
            out.push_str(&self.summary());
            out.push('\n');
        }
        out
    }

    fn render_one(&self, d: &Diagnostic, renderer: &Renderer, opts: &RenderOptions, lines: &Lines<'_>) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = format!("{}{}", opts.path_prefix, d.path);
        let title = level.clone().primary_title(d.message.as_str()).id(d.code.id());
        let line_text = d.span.and_then(|s| lines.line(&d.path, s.line));
        let mut group = match (d.span, line_text) {
            (Some(span), Some(line)) if line.len() > MAX_SNIPPET_LINE => {
                // annotate-snippets reads the whole line for every diagnostic on it (2,000
                // diagnostics on a 200 KB line took a minute): a long line is quoted in part.
                let range = byte_range(line, span);
                let col = lines.char_column(&d.path, span.line, line, range.start);
                let mut note = format!("line {} is long; at column {col}: `{}`", span.line, excerpt(line, range));
                if let Some(label) = &d.label {
                    note.push_str(&format!(" ({label})"));
                }
                title
                    .element(annotate_snippets::Origin::path(path.as_str()).line(span.line as usize).char_column(col))
                    .element(Level::NOTE.message(note))
            }
            (Some(span), Some(line)) => {
                let mut annotation = AnnotationKind::Primary.span(byte_range(line, span));
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                title.element(
                    Snippet::source(line).line_start(span.line as usize).path(path.as_str()).annotation(annotation),
                )
            }
            (Some(span), None) => title.element(
                annotate_snippets::Origin::path(path.as_str()).line(span.line as usize).char_column(span.col as usize),
            ),
            (None, _) => title.element(annotate_snippets::Origin::path(path.as_str())),
        };
        for note in &d.notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        for help in &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: Vec<Group<'_>> = vec![group];
        renderer.render(&report)
    }

    /// The JSON rendering: `{"version":1,"summary":{...},"diagnostics":[...]}`.
    pub fn render_json(&self, opts: &RenderOptions) -> String {
        self.render_json_with(opts, None)
    }

    /// [`Report::render_json`] with `recognised` (what `check --summary` counted) beside the
    /// diagnostics.
    pub fn render_json_with(&self, opts: &RenderOptions, recognised: Option<serde_json::Value>) -> String {
        #[derive(Serialize)]
        struct Summary {
            plans: usize,
            errors: usize,
            warnings: usize,
        }
        #[derive(Serialize)]
        struct Entry<'a> {
            file: String,
            line: Option<u32>,
            column: Option<u32>,
            code: &'static str,
            severity: Severity,
            message: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            label: Option<&'a str>,
            help: &'a [String],
            notes: &'a [String],
        }
        #[derive(Serialize)]
        struct Doc<'a> {
            version: u32,
            summary: Summary,
            #[serde(skip_serializing_if = "Option::is_none")]
            recognised: Option<serde_json::Value>,
            diagnostics: Vec<Entry<'a>>,
        }
        let lines = Lines::new(self);
        let doc = Doc {
            version: 1,
            summary: Summary { plans: self.plans, errors: self.errors(), warnings: self.warnings() },
            recognised,
            diagnostics: self
                .diagnostics()
                .iter()
                .filter(|d| !opts.quiet || d.severity == Severity::Error)
                .map(|d| Entry {
                    file: format!("{}{}", opts.path_prefix, d.path),
                    line: d.span.map(|s| s.line),
                    column: d.span.map(|s| lines.shown_column(&d.path, s)),
                    code: d.code.id(),
                    severity: d.severity,
                    message: &d.message,
                    label: d.label.as_deref(),
                    help: &d.help,
                    notes: &d.notes,
                })
                .collect(),
        };
        let mut s = serde_json::to_string_pretty(&doc).expect("diagnostics serialise to JSON");
        s.push('\n');
        s
    }
}

/// Lines longer than this are quoted in part instead of shown whole under the message.
const MAX_SNIPPET_LINE: usize = 4096;

/// The lines of the files diagnostics point into, split once per rendering (not once per
/// diagnostic: a file with thousands of diagnostics stays linear), and a cursor for counting
/// characters along a line (diagnostics come in order of position).
struct Lines<'r> {
    sources: &'r HashMap<String, Arc<str>>,
    starts: RefCell<HashMap<&'r str, Vec<usize>>>,
    /// The last character count: (path, line, byte offset, characters before it).
    cursor: RefCell<Option<(String, u32, usize, usize)>>,
}

impl<'r> Lines<'r> {
    fn new(report: &'r Report) -> Lines<'r> {
        Lines { sources: &report.sources, starts: RefCell::default(), cursor: RefCell::default() }
    }

    /// Line `line` (1-based) of the file at `path`, without its line ending.
    fn line(&self, path: &str, line: u32) -> Option<&'r str> {
        let (key, text) = self.sources.get_key_value(path)?;
        let mut starts = self.starts.borrow_mut();
        let starts = starts
            .entry(key.as_str())
            .or_insert_with(|| std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect());
        let n = usize::try_from(line.checked_sub(1)?).ok()?;
        let start = *starts.get(n)?;
        let end = starts.get(n + 1).map_or(text.len(), |&next| next - 1);
        let l = text.get(start..end)?;
        Some(l.strip_suffix('\r').unwrap_or(l))
    }

    /// The 1-based character column of byte offset `byte` (a character boundary) of `line`,
    /// counting on from the previous call when it was on the same line and not further along.
    fn char_column(&self, path: &str, line_no: u32, line: &str, byte: usize) -> usize {
        let mut cursor = self.cursor.borrow_mut();
        let (from, chars) = match cursor.as_ref() {
            Some((p, l, b, c)) if p == path && *l == line_no && *b <= byte => (*b, *c),
            _ => (0, 0),
        };
        let chars = chars + line.get(from..byte).map_or(0, |s| s.chars().count());
        *cursor = Some((path.to_string(), line_no, byte, chars));
        chars + 1
    }

    /// The column people see: the 1-based character column of `span` when its line is known,
    /// else its byte column as stored.
    fn shown_column(&self, path: &str, span: Span) -> u32 {
        match self.line(path, span.line) {
            Some(line) => {
                let col = self.char_column(path, span.line, line, byte_range(line, span).start);
                u32::try_from(col).unwrap_or(u32::MAX)
            }
            None => span.col,
        }
    }
}

/// `range` on `line` with up to 40 characters either side, 120 at most in all, with `…` where
/// the line goes on.
fn excerpt(line: &str, range: std::ops::Range<usize>) -> String {
    let start = line.get(..range.start).and_then(|b| b.char_indices().rev().nth(39)).map_or(0, |(i, _)| i);
    let end =
        line.get(range.start..).and_then(|a| a.char_indices().nth(80)).map_or(line.len(), |(i, _)| range.start + i);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(line.get(start..end).unwrap_or_default());
    if end < line.len() {
        out.push('…');
    }
    out
}

/// The byte range `span` marks on `line`, whatever the span says (a column past the end, in the
/// middle of a character, a length running off the line): clamped to the line, widened to
/// character boundaries, one character wide when the span is a point. annotate-snippets takes
/// byte ranges and panics on one that cuts a character.
fn byte_range(line: &str, span: Span) -> std::ops::Range<usize> {
    let mut start = usize::try_from(span.col.saturating_sub(1)).unwrap_or(usize::MAX).min(line.len());
    while !line.is_char_boundary(start) {
        start -= 1;
    }
    let len = usize::try_from(span.len).unwrap_or(usize::MAX);
    let mut end = if len == 0 {
        line.get(start..).and_then(|rest| rest.chars().next()).map_or(start, |c| start + c.len_utf8())
    } else {
        start.saturating_add(len).min(line.len())
    };
    while !line.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Diagnostic, Report};
    use crate::model::Span;
    use std::collections::{BTreeMap, HashMap};

    fn report() -> Report {
        let mut sources = HashMap::new();
        sources.insert("plans/a.md".to_string(), "# A\n- [~] one\n- [~] two\n".into());
        let d = Diagnostic::new(
            Code::SeveralInProgress,
            "plans/a.md",
            Some(Span { line: 3, col: 3, len: 3 }),
            "active plan has 2 steps marked `[~]`",
        )
        .label("second step in progress")
        .help("keep exactly one step `[~]`");
        Report::new(vec![d], sources, &BTreeMap::new(), 1)
    }

    #[test]
    fn human_output_is_rustc_style() {
        let out = report().render_human(&RenderOptions { path_prefix: "repo/".into(), ..Default::default() });
        assert!(out.starts_with("error[E004]: active plan has 2 steps marked `[~]`\n"), "{out}");
        assert!(out.contains("--> repo/plans/a.md:3:3"), "{out}");
        assert!(out.contains("3 | - [~] two"), "{out}");
        assert!(out.contains("^^^ second step in progress"), "{out}");
        assert!(out.contains("= help: keep exactly one step `[~]`"), "{out}");
        assert!(out.ends_with("1 plan, 1 error, 0 warnings\n"), "{out}");
    }

    #[test]
    fn json_output_has_every_field() {
        let out = report().render_json(&RenderOptions::default());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let d = &v["diagnostics"][0];
        assert_eq!(d["file"], "plans/a.md");
        assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(3), Some(3)));
        assert_eq!(d["code"], "E004");
        assert_eq!(d["severity"], "error");
        assert_eq!(v["summary"]["errors"], 1);
    }

    fn report_on(text: &str, spans: &[Span]) -> Report {
        let mut sources = HashMap::new();
        sources.insert("a.md".to_string(), text.into());
        let diags = spans
            .iter()
            .map(|&s| Diagnostic::new(Code::InvalidFrontMatter, "a.md", Some(s), "m").label("here"))
            .collect();
        Report::new(diags, sources, &BTreeMap::new(), 1)
    }

    #[test]
    fn any_span_renders_without_panicking() {
        let texts = ["---\ntitle: Ünïcödé — 計画書: x: y\n---\n", "é\r\n\n\u{1}\u{0}\t😀😀\n", "", "abc"];
        let mut spans = Vec::new();
        for line in [0, 1, 2, 3, 4, 99, u32::MAX] {
            for col in [0, 1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 30, u32::MAX] {
                for len in [0, 1, 2, 3, 7, u32::MAX] {
                    spans.push(Span { line, col, len });
                }
            }
        }
        for text in texts {
            let r = report_on(text, &spans);
            for color in [false, true] {
                let out = r.render_human(&RenderOptions { color, ..Default::default() });
                assert!(out.contains("error[E019]"));
            }
            let json: serde_json::Value = serde_json::from_str(&r.render_json(&RenderOptions::default())).unwrap();
            assert!(json["diagnostics"].as_array().is_some_and(|d| !d.is_empty()));
        }
    }

    #[test]
    fn columns_are_shown_in_characters() {
        // `x` is the 21st character of line 2 and its 29th byte.
        let text = "---\ntitle: Ünïcödé — 計: x\n";
        let line = text.lines().nth(1).unwrap();
        let col = u32::try_from(line.find(": x").unwrap() + 3).unwrap();
        let r = report_on(text, &[Span { line: 2, col, len: 1 }]);
        let out = r.render_human(&RenderOptions::default());
        assert!(out.contains("a.md:2:21"), "{out}");
        let json: serde_json::Value = serde_json::from_str(&r.render_json(&RenderOptions::default())).unwrap();
        assert_eq!(json["diagnostics"][0]["column"], 21);
        assert_eq!(byte_range("aé", Span { line: 1, col: 3, len: 0 }), 1..3, "snapped back into `é`");
        assert_eq!(byte_range("aé", Span { line: 1, col: 9, len: 9 }), 3..3);
    }

    #[test]
    fn many_diagnostics_on_a_long_line_render_in_linear_time() {
        let line = "EP-1 ".repeat(40_000);
        let text = format!("# x\n{line}\n");
        let spans: Vec<Span> = (0..20_000).map(|k| Span { line: 2, col: 1 + 10 * k, len: 4 }).collect();
        let r = report_on(&text, &spans);
        let start = std::time::Instant::now();
        let out = r.render_human(&RenderOptions::default());
        assert!(out.contains("--> a.md:2:199991\n"), "exact columns on long lines");
        assert!(out.contains(&format!("at column 11: `{}…` (here)", &line[..90])), "{out:.600}");
        let json = r.render_json(&RenderOptions::default());
        assert!(json.contains("\"column\": 199991"));
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
    }
}
