//! HTML fragments rendered from the same AST the parser reads, so `build` parses each file once.
//!
//! `check` passes no `HtmlOptions` and every fragment stays empty. Raw HTML in Markdown is
//! escaped (shown as text) unless `allow_html` is set, and then it is rendered and sanitised with
//! ammonia. Fenced code goes through syntect (CSS classes, see `highlight`).
//!
//! Fragments of one file end up on many pages (a step's title on the dashboard, a debt cell on a
//! plan page), so relative links cannot stay relative to the file they were written in: they are
//! resolved here, while the file's path is known, into `planbook-src:<root-relative path>` URLs,
//! which the rewrite stage turns into page URLs for each page.

use crate::highlight::Highlighter;
use crate::parse::markdown::{Node, options};
use comrak::nodes::NodeValue;
use comrak::options::Plugins;
use std::sync::Arc;

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
            resolve(&from, url).map_or_else(|| url.to_string(), |p| format!("{SOURCE_SCHEME}{p}"))
        });
        comrak.extension.link_url_rewriter = Some(rewrite.clone());
        comrak.extension.image_url_rewriter = Some(rewrite);
        FileHtml { base: self, comrak }
    }
}

/// Rendering options for one file.
pub(crate) struct FileHtml<'o> {
    base: &'o HtmlOptions,
    comrak: comrak::Options<'static>,
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

    fn finish(self, html: String) -> String {
        match self.0.and_then(|o| o.base.sanitizer.as_ref()) {
            Some(s) => s.clean(&html).to_string(),
            None => html,
        }
    }

    fn write(self, node: Node<'_>, out: &mut String) {
        if let Some(o) = self.0 {
            let mut plugins = Plugins::default();
            plugins.render.codefence_syntax_highlighter = Some(o.base.highlighter.adapter());
            // Writing into a String cannot fail.
            let _ = comrak::format_html_with_plugins(node, &o.comrak, out, &plugins);
        }
    }

    /// Block nodes rendered one after another.
    pub fn blocks<'a>(self, nodes: impl IntoIterator<Item = Node<'a>>) -> String {
        if !self.enabled() {
            return String::new();
        }
        let mut out = String::new();
        for n in nodes {
            self.write(n, &mut out);
        }
        self.finish(out)
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
        let mut out = String::new();
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
                    push_text(&mut out, &raw[at..], &mut trim_separator);
                    continue;
                }
                skip = 0;
            }
            if trim_separator && let NodeValue::Text(t) = &child.data.borrow().value {
                let t = t.to_string();
                push_text(&mut out, &t, &mut trim_separator);
                continue;
            }
            trim_separator = false;
            self.write(child, &mut out);
        }
        self.finish(out)
    }

    /// Renders a short Markdown value that was read as a line, not as its own node (a header
    /// field's value), as inline HTML.
    pub fn markdown_inline(self, text: &str) -> String {
        if !self.enabled() || text.is_empty() {
            return String::new();
        }
        let arena = comrak::Arena::new();
        let root = crate::parse::markdown::parse(&arena, text);
        match root.first_child() {
            Some(p) if p.next_sibling().is_none() && matches!(p.data.borrow().value, NodeValue::Paragraph) => {
                self.inlines(p)
            }
            _ => self.blocks(root.children()),
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

/// Resolves `href` written in the file at `from` (both relative to the root) into a root-relative
/// path with `.`/`..` removed; `None` for URLs with a scheme, anchors, and paths escaping the root.
pub(crate) fn resolve(from: &str, href: &str) -> Option<String> {
    let has_scheme = href.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if href.is_empty() || href.starts_with('#') || has_scheme || href.starts_with("//") {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let path = crate::link::percent_decode(path);
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        from.rsplit_once('/').map_or(Vec::new(), |(dir, _)| dir.split('/').collect())
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
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
    escape_into(out, text);
}

/// Escapes text for HTML element content.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The next `Outcome:` / `Verify:` label at element depth 0 (optionally wrapped in one
/// `<strong>` or `<em>`): (html before, which label, html after).
fn next_label(html: &str) -> Option<(&str, StepPart, &str)> {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut depth: i32 = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !lower.is_char_boundary(i) {
            i += 1;
            continue;
        }
        if bytes[i] == b'<' {
            // A wrapped label: <strong>Outcome:</strong> or <strong>Outcome</strong>:
            for tag in ["strong", "em"] {
                for label in ["outcome", "verify"] {
                    let open = format!("<{tag}>{label}");
                    if depth == 0 && lower[i..].starts_with(&open) {
                        let after_label = i + open.len();
                        let close = format!("</{tag}>");
                        let (end, colon) = if lower[after_label..].starts_with(&format!(":{close}")) {
                            (after_label + 1 + close.len(), true)
                        } else if lower[after_label..].starts_with(&format!("{close}:")) {
                            (after_label + close.len() + 1, true)
                        } else {
                            (0, false)
                        };
                        if colon {
                            let part = if label == "outcome" { StepPart::Outcome } else { StepPart::Verify };
                            return Some((&html[..i], part, &html[end..]));
                        }
                    }
                }
            }
            let closing = bytes.get(i + 1) == Some(&b'/');
            let end = lower[i..].find('>').map_or(bytes.len(), |e| i + e);
            let self_closing = end > 0 && bytes[end - 1] == b'/';
            if closing {
                depth -= 1;
            } else if !self_closing && !is_void(&lower[i + 1..end]) {
                depth += 1;
            }
            i = end + 1;
            continue;
        }
        if depth == 0 {
            for (label, part) in [("outcome:", StepPart::Outcome), ("verify:", StepPart::Verify)] {
                let at_word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
                if at_word_start && lower[i..].starts_with(label) {
                    return Some((&html[..i], part, &html[i + label.len()..]));
                }
            }
        }
        i += 1;
    }
    None
}

fn is_void(tag: &str) -> bool {
    let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
    matches!(name, "br" | "img" | "input" | "hr" | "wbr")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::parse;
    use comrak::Arena;

    fn para_html(md: &str, f: impl Fn(Html<'_>, Node<'_>) -> String, allow: bool) -> String {
        let opts = HtmlOptions::new(allow);
        let file = opts.for_file("docs/a.md");
        let arena = Arena::new();
        let root = parse(&arena, md);
        f(Html(Some(&file)), root.first_child().unwrap())
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed_then_sanitised() {
        let md = "<script>alert(1)</script>\n\nText <b onclick=\"x()\">bold</b>\n";
        let escaped = para_html(md, |h, _| h.blocks([]), false);
        assert_eq!(escaped, "");
        let opts = HtmlOptions::new(false);
        let file = opts.for_file("a.md");
        let arena = Arena::new();
        let root = parse(&arena, md);
        let out = Html(Some(&file)).blocks(root.children());
        assert!(out.contains("&lt;script&gt;") && !out.contains("<script>"), "{out}");
        let opts = HtmlOptions::new(true);
        let file = opts.for_file("a.md");
        let out = Html(Some(&file)).blocks(root.children());
        assert!(!out.contains("<script") && !out.contains("onclick") && out.contains("<b>bold</b>"), "{out}");
    }

    #[test]
    fn inlines_drop_prefixes() {
        let out = para_html("**2026-04-13** — Chose `X`.\n", |h, p| h.inlines_after(p, 10), false);
        assert_eq!(out, "Chose <code>X</code>.");
        let out = para_html("2026-02-13: Chose *Y*.\n", |h, p| h.inlines_after(p, 10), false);
        assert_eq!(out, "Chose <em>Y</em>.");
    }

    #[test]
    fn step_parts_split_outside_elements() {
        let parts = para_html(
            "Step 2: Split `a`. Outcome: **root** is small. Verify: `cargo test`.\n",
            |h, p| h.step_parts(p, 6).join("|"),
            false,
        );
        assert_eq!(parts, "Split <code>a</code>.|<strong>root</strong> is small.|<code>cargo test</code>.");
        let parts = para_html("Do it. **Outcome:** done. *Verify*: run\n", |h, p| h.step_parts(p, 0).join("|"), false);
        assert_eq!(parts, "Do it.|done.|run");
        let parts =
            para_html("Ship × 2 — §4 → done. Outcome: ✓ é. Verify: ok\n", |h, p| h.step_parts(p, 0).join("|"), false);
        assert_eq!(parts, "Ship × 2 — §4 → done.|✓ é.|ok", "non-ASCII text never splits inside a character");
        let parts = para_html("Keep [the outcome: x](http://a) link\n", |h, p| h.step_parts(p, 0).join("|"), false);
        assert_eq!(parts, "Keep <a href=\"http://a\">the outcome: x</a> link||");
    }

    #[test]
    fn relative_links_become_source_links() {
        let out =
            para_html("[a](../x/b.md#td-1) [c](https://e.com) [d](#top) ![i](img.png)\n", |h, p| h.inlines(p), false);
        assert!(out.contains("href=\"planbook-src:x/b.md#td-1\""), "{out}");
        assert!(out.contains("href=\"https://e.com\"") && out.contains("href=\"#top\""), "{out}");
        assert!(out.contains("src=\"planbook-src:docs/img.png\""), "{out}");
        let allowed = para_html("[a](b.md)\n", |h, p| h.inlines(p), true);
        assert!(allowed.contains("planbook-src:docs/b.md"), "the sanitiser keeps source links: {allowed}");
    }

    #[test]
    fn resolves_relative_links() {
        let from = "docs/harness/exec-plans/active/009-gc.md";
        assert_eq!(
            resolve(from, "../completed/003-x.md").as_deref(),
            Some("docs/harness/exec-plans/completed/003-x.md")
        );
        assert_eq!(
            resolve(from, "../../TECH_DEBT_TRACKER.md#td-007").as_deref(),
            Some("docs/harness/TECH_DEBT_TRACKER.md#td-007")
        );
        assert_eq!(resolve("AGENTS.md", "docs/harness/INDEX.md").as_deref(), Some("docs/harness/INDEX.md"));
        assert_eq!(resolve("AGENTS.md", "/docs/a%20b.md").as_deref(), Some("docs/a b.md"));
        assert_eq!(resolve("AGENTS.md", "../outside.md"), None);
        assert_eq!(resolve(from, "https://example.com/x.md"), None);
        assert_eq!(resolve(from, "mailto:a@b.c"), None);
        assert_eq!(resolve(from, "#local"), None);
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let opts = HtmlOptions::new(false);
        let file = opts.for_file("a.md");
        let arena = Arena::new();
        let root = parse(&arena, "```rust\nfn main() {}\n```\n");
        let out = Html(Some(&file)).blocks(root.children());
        assert!(out.contains("class=\"hl-"), "{out}");
        assert!(!out.contains("style="), "no inline styles: {out}");
        assert_eq!(Html(None).blocks(root.children()), "");
    }
}
