//! HTML fragments rendered from the same AST the parser reads, so `build` parses each file once.
//!
//! `check` passes no `HtmlOptions` and every fragment stays empty. Raw HTML in Markdown is
//! escaped (shown as text) unless `allow_html` is set, and then it is rendered and sanitised with
//! ammonia. Fenced code goes through syntect (CSS classes, see `highlight`).
//!
//! Fragments of one file end up on many pages (a step's title on the dashboard, a debt cell on a
//! plan page), so relative links cannot stay relative to the file they were written in: they are
//! resolved here, while the file's path is known, into root-relative paths, written as marks
//! (`crate::marks`, see `marked.rs`) that the rewrite stage turns into page URLs for each page.

use crate::diag::{Code, Diagnostic};
use crate::highlight::Highlighter;
use crate::model::Span;
use crate::parse::markdown::{Node, options, span_of};
use crate::parse::raw_html;
use comrak::nodes::NodeValue;
use comrak::options::Plugins;
use std::sync::Arc;

mod marked;

/// The scheme of links to files in the repository, before the rewrite stage maps them to pages.
pub const SOURCE_SCHEME: &str = "planbook-src:";

/// How fragments are rendered: built once per build and shared by every parsing thread.
pub struct HtmlOptions {
    comrak: comrak::Options<'static>,
    highlighter: Highlighter,
    sanitizer: Option<ammonia::Builder<'static>>,
}

impl std::fmt::Debug for HtmlOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HtmlOptions").field("allow_html", &self.sanitizer.is_some()).finish()
    }
}

impl HtmlOptions {
    /// Loads the highlighter. With `allow_html`, raw HTML is kept and sanitised; without, escaped.
    pub fn new(allow_html: bool) -> HtmlOptions {
        let mut comrak = options();
        comrak.render.escape = !allow_html;
        comrak.render.r#unsafe = allow_html;
        comrak.render.tasklist_classes = true;
        let sanitizer = allow_html.then(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["class", "id"]);
            b.link_rel(None);
            b.add_url_schemes([SOURCE_SCHEME, crate::parse::markdown::REF_SCHEME].map(|s| s.trim_end_matches(':')));
            b
        });
        HtmlOptions { comrak, highlighter: Highlighter::new(), sanitizer }
    }

    /// The options for rendering the file at `path` (relative links resolved against it).
    pub(crate) fn for_file(&self, path: &str) -> FileHtml<'_> {
        let mut comrak = self.comrak.clone();
        let from = path.to_string();
        let rewrite: Arc<dyn comrak::options::URLRewriter> = Arc::new(move |url: &str| {
            crate::href::resolve(&from, url).map_or_else(|| url.to_string(), |p| format!("{SOURCE_SCHEME}{p}"))
        });
        comrak.extension.link_url_rewriter = Some(rewrite.clone());
        comrak.extension.image_url_rewriter = Some(rewrite);
        let mut escaped = comrak.clone();
        escaped.render.escape = true;
        escaped.render.r#unsafe = false;
        FileHtml { base: self, from: path.to_string(), comrak, escaped, too_deep: std::cell::RefCell::new(Vec::new()) }
    }
}

/// Rendering options for one file.
pub(crate) struct FileHtml<'o> {
    base: &'o HtmlOptions,
    /// The file's root-relative path: links in it are relative to it.
    from: String,
    comrak: comrak::Options<'static>,
    /// `comrak` with raw HTML escaped: for fragments whose HTML nests too deep to sanitise.
    escaped: comrak::Options<'static>,
    /// Where fragments nested too deep (their raw HTML was escaped), for `Html::report`.
    too_deep: std::cell::RefCell<Vec<Option<Span>>>,
}

/// Renders fragments when enabled; returns empty strings when not (for `check`).
#[derive(Clone, Copy)]
pub(crate) struct Html<'o>(pub Option<&'o FileHtml<'o>>);

/// The labels of the preferred step pattern.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum StepPart {
    Title,
    Outcome,
    Verify,
}

impl<'o> Html<'o> {
    /// Whether fragments are rendered.
    pub fn enabled(self) -> bool {
        self.0.is_some()
    }

    /// Renders a fragment with `write(out, escaped)`, then sanitises it (`allow_html`). A fragment
    /// that nests too deep for the sanitiser is rendered again with its raw HTML escaped, and
    /// noted at `at` for `report`.
    fn render(self, at: impl Fn() -> Option<Span>, write: impl Fn(&mut String, bool)) -> String {
        let mut out = String::new();
        write(&mut out, false);
        let Some((file, sanitizer)) = self.0.and_then(|o| Some((o, o.base.sanitizer.as_ref()?))) else {
            return out;
        };
        if raw_html::nests_too_deep(&out) {
            file.too_deep.borrow_mut().push(at());
            let mut escaped = String::new();
            write(&mut escaped, true);
            return escaped;
        }
        marked::from_sanitized(&sanitizer.clean(&out).to_string())
    }

    /// Reports the fragments whose raw HTML nested too deep to keep (E033).
    pub fn report(self, path: &str, diags: &mut Vec<Diagnostic>) {
        let Some(file) = self.0 else { return };
        let mut spans = file.too_deep.borrow_mut();
        spans.sort();
        spans.dedup();
        for span in spans.drain(..) {
            diags.push(
                Diagnostic::new(
                    Code::TooDeep,
                    path,
                    span,
                    format!(
                        "this HTML nests deeper than planbook sanitises ({} open elements, {} open formatting elements)",
                        raw_html::MAX_OPEN_ELEMENTS,
                        raw_html::MAX_OPEN_FORMATTING
                    ),
                )
                .help("its raw HTML is shown as text; close the elements you open"),
            );
        }
    }

    fn write(self, node: Node<'_>, out: &mut String, escaped: bool) {
        if let Some(o) = self.0 {
            let mut plugins = Plugins::default();
            plugins.render.codefence_syntax_highlighter = Some(o.base.highlighter.adapter());
            // Writing into a String cannot fail.
            if o.base.sanitizer.is_some() && !escaped {
                // Raw HTML kept: comrak's own output for ammonia, marked after it (`render`).
                let _ = comrak::format_html_with_plugins(node, &o.comrak, out, &plugins);
            } else {
                let options = if escaped { &o.escaped } else { &o.comrak };
                let _ = comrak::html::format_document_with_formatter(
                    node,
                    options,
                    out,
                    &plugins,
                    marked::format,
                    o.from.as_str(),
                );
            }
        }
    }

    /// Block nodes rendered one after another.
    pub fn blocks<'a>(self, nodes: impl IntoIterator<Item = Node<'a>>) -> String {
        if !self.enabled() {
            return String::new();
        }
        let nodes: Vec<Node<'a>> = nodes.into_iter().collect();
        self.render(
            || raw_html_span(&nodes),
            |out, escaped| {
                for n in &nodes {
                    self.write(n, out, escaped);
                }
            },
        )
    }

    /// The inline content of a paragraph, heading or table cell, without the wrapping tag.
    pub fn inlines(self, parent: Node<'_>) -> String {
        self.inlines_after(parent, 0)
    }

    /// Like `inlines`, dropping a prefix of plain text (a date or `Step N:`) and the separator
    /// after it. `skip` counts the prefix's non-whitespace characters (see `nonspace`), so
    /// whitespace differences between markup and plain text do not matter.
    pub fn inlines_after(self, parent: Node<'_>, skip: usize) -> String {
        if !self.enabled() {
            return String::new();
        }
        self.render(|| raw_html_span(&[parent]), |out, escaped| self.write_inlines_after(parent, skip, out, escaped))
    }

    fn write_inlines_after(self, parent: Node<'_>, skip: usize, out: &mut String, escaped: bool) {
        let mut skip = skip;
        let mut trim_separator = skip > 0;
        for child in parent.children() {
            if skip > 0 {
                let raw = match &child.data.borrow().value {
                    NodeValue::Text(t) => Some(t.to_string()),
                    _ => None,
                };
                let n = nonspace(&crate::parse::markdown::plain_text(child));
                if n <= skip {
                    skip -= n;
                    continue;
                }
                if let Some(raw) = raw {
                    let mut seen = 0;
                    let at = raw
                        .char_indices()
                        .find(|&(_, c)| {
                            if !c.is_whitespace() {
                                seen += 1;
                            }
                            seen > skip
                        })
                        .map_or(raw.len(), |(i, _)| i);
                    skip = 0;
                    // `at` comes from `char_indices` of `raw`: a character boundary.
                    push_text(out, raw.get(at..).unwrap_or_default(), &mut trim_separator);
                    continue;
                }
                skip = 0;
            }
            if trim_separator && let NodeValue::Text(t) = &child.data.borrow().value {
                let t = t.to_string();
                push_text(out, &t, &mut trim_separator);
                continue;
            }
            trim_separator = false;
            self.write(child, out, escaped);
        }
    }

    /// Renders a short Markdown value that was read as a line, not as its own node (a header
    /// field's value), as inline HTML.
    pub fn markdown_inline(self, text: &str) -> String {
        if !self.enabled() || text.is_empty() {
            return String::new();
        }
        let arena = comrak::Arena::new();
        let root = crate::parse::markdown::parse(&arena, text);
        // Positions in `text` are not positions in the file: a limit hit is reported for the file.
        match root.first_child() {
            Some(p) if p.next_sibling().is_none() && matches!(p.data.borrow().value, NodeValue::Paragraph) => {
                self.render(|| None, |out, escaped| self.write_inlines_after(p, 0, out, escaped))
            }
            _ => {
                let nodes: Vec<Node<'_>> = root.children().collect();
                self.render(
                    || None,
                    |out, escaped| {
                        for n in &nodes {
                            self.write(n, out, escaped);
                        }
                    },
                )
            }
        }
    }

    /// Splits a step paragraph into its title, `Outcome:` and `Verify:` parts, each as inline
    /// HTML. `skip` drops a `Step N:` prefix.
    pub fn step_parts(self, para: Node<'_>, skip: usize) -> [String; 3] {
        let mut parts: [String; 3] = Default::default();
        if !self.enabled() {
            return parts;
        }
        let whole = self.inlines_after(para, skip);
        // Labels are found in the rendered HTML only outside tags, at element depth 0 or as the
        // whole content of a <strong>/<em>, so no element is ever cut in two.
        let mut current = StepPart::Title;
        let mut rest = whole.as_str();
        while let Some((before, label, after)) = next_label(rest) {
            parts[current as usize].push_str(before);
            current = label;
            rest = after.trim_start();
        }
        parts[current as usize].push_str(rest);
        parts.map(|p| p.trim().to_string())
    }
}

/// Where the raw HTML of a fragment starts (the first raw HTML node), else where it starts.
fn raw_html_span(nodes: &[Node<'_>]) -> Option<Span> {
    let raw = nodes
        .iter()
        .flat_map(|n| n.descendants())
        .find(|d| matches!(d.data.borrow().value, NodeValue::HtmlBlock(_) | NodeValue::HtmlInline(_)));
    raw.or(nodes.first().copied()).map(span_of)
}

/// Non-whitespace characters in `s`: how `inlines_after` measures a prefix.
pub(crate) fn nonspace(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

fn push_text(out: &mut String, text: &str, trim_separator: &mut bool) {
    let text = if *trim_separator {
        let t = text.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '—' | '–' | '-' | '|' | ']' | ')' | ',' | '.')
        });
        if !t.is_empty() {
            *trim_separator = false;
        }
        t
    } else {
        text
    };
    crate::escape::escape_into(out, text);
}

/// The next `Outcome:` / `Verify:` label at element depth 0 (optionally wrapped in one
/// `<strong>` or `<em>`): (html before, which label, html after). Labels are ASCII and compared
/// byte by byte, ignoring ASCII case, so every cut is at an ASCII byte: a character boundary.
/// No allocation, and the scan stops at the label: `step_parts` is linear in the fragment.
fn next_label(html: &str) -> Option<(&str, StepPart, &str)> {
    let bytes = html.as_bytes();
    let mut depth: i32 = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0 {
            // A mark: a link's start and end count as an element's.
            match html.get(i..).and_then(crate::marks::read) {
                Some((mark, len)) => {
                    match mark {
                        crate::marks::Mark::Link { .. } => depth += 1,
                        crate::marks::Mark::End => depth -= 1,
                        _ => {}
                    }
                    i += len;
                }
                None => i += 1,
            }
            continue;
        }
        if bytes[i] == b'<' {
            if depth == 0
                && let Some((part, end)) = wrapped_label(bytes, i)
            {
                return Some((html.get(..i)?, part, html.get(end..)?));
            }
            let closing = bytes.get(i + 1) == Some(&b'/');
            let end = bytes[i..].iter().position(|&b| b == b'>').map_or(bytes.len(), |e| i + e);
            let self_closing = end > 0 && bytes[end - 1] == b'/';
            if closing {
                depth -= 1;
            } else if !self_closing && !is_void(html.get(i + 1..end).unwrap_or_default()) {
                depth += 1;
            }
            i = end + 1;
            continue;
        }
        if depth == 0 && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            for (label, part) in [("outcome:", StepPart::Outcome), ("verify:", StepPart::Verify)] {
                if let Some(end) = eat(bytes, i, label) {
                    return Some((html.get(..i)?, part, html.get(end..)?));
                }
            }
        }
        i += 1;
    }
    None
}

/// A label wrapped in `<strong>` or `<em>` at `i`: `<strong>Outcome:</strong>` or
/// `<strong>Outcome</strong>:`, with the index after it.
fn wrapped_label(bytes: &[u8], i: usize) -> Option<(StepPart, usize)> {
    for (open, close) in [("<strong>", "</strong>"), ("<em>", "</em>")] {
        for (label, part) in [("outcome", StepPart::Outcome), ("verify", StepPart::Verify)] {
            let Some(after_label) = eat(bytes, i, open).and_then(|at| eat(bytes, at, label)) else { continue };
            let end = eat(bytes, after_label, ":")
                .and_then(|at| eat(bytes, at, close))
                .or_else(|| eat(bytes, after_label, close).and_then(|at| eat(bytes, at, ":")));
            if let Some(end) = end {
                return Some((part, end));
            }
        }
    }
    None
}

/// The index after `pat` when `bytes` has it at `at`, ignoring ASCII case.
fn eat(bytes: &[u8], at: usize, pat: &str) -> Option<usize> {
    let end = at.checked_add(pat.len())?;
    bytes.get(at..end).filter(|b| b.eq_ignore_ascii_case(pat.as_bytes())).map(|_| end)
}

fn is_void(tag: &str) -> bool {
    let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
    ["br", "img", "input", "hr", "wbr"].iter().any(|v| v.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests;
