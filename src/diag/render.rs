//! Rendering a `Report`: rustc-style text with source excerpts, or one JSON document.

use super::{Diagnostic, Report, Severity};
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

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
        for d in self.diagnostics() {
            if opts.quiet && d.severity != Severity::Error {
                continue;
            }
            out.push_str(&self.render_one(d, &renderer, opts));
            out.push_str("\n\n");
        }
        if !opts.quiet {
            out.push_str(&self.summary());
            out.push('\n');
        }
        out
    }

    fn render_one(&self, d: &Diagnostic, renderer: &Renderer, opts: &RenderOptions) -> String {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = format!("{}{}", opts.path_prefix, d.path);
        let title = level.clone().primary_title(d.message.as_str()).id(d.code.id());
        let line_text = d.span.and_then(|s| self.line_of(&d.path, s.line));
        let mut group = match (d.span, line_text) {
            (Some(span), Some(line)) => {
                let start = (span.col.saturating_sub(1) as usize).min(line.len());
                let mut end = (start + (span.len.max(1) as usize)).min(line.len());
                while !line.is_char_boundary(end) {
                    end += 1;
                }
                let mut annotation = AnnotationKind::Primary.span(start..end);
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                title.element(
                    Snippet::source(line).line_start(span.line as usize).path(path.as_str()).annotation(annotation),
                )
            }
            (Some(span), None) => title.element(
                annotate_snippets::Origin::path(path.as_str())
                    .line(span.line as usize)
                    .char_column(span.col.saturating_sub(1) as usize),
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

    fn line_of(&self, path: &str, line: u32) -> Option<&str> {
        let text = self.sources.get(path)?;
        text.split('\n').nth(line.checked_sub(1)? as usize)
    }

    /// The JSON rendering: `{"version":1,"summary":{...},"diagnostics":[...]}`.
    pub fn render_json(&self, opts: &RenderOptions) -> String {
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
            diagnostics: Vec<Entry<'a>>,
        }
        let doc = Doc {
            version: 1,
            summary: Summary { plans: self.plans, errors: self.errors(), warnings: self.warnings() },
            diagnostics: self
                .diagnostics()
                .iter()
                .filter(|d| !opts.quiet || d.severity == Severity::Error)
                .map(|d| Entry {
                    file: format!("{}{}", opts.path_prefix, d.path),
                    line: d.span.map(|s| s.line),
                    column: d.span.map(|s| s.col),
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
}
