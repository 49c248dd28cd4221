//! Any other harness document (and AGENTS.md / PLANS.md): its title and headings.

use crate::diag::Diagnostic;
use crate::model::{Doc, DocKind, Heading};
use crate::parse::html::Html;
use crate::parse::markdown::{self, Node, heading_level, plain_text, span_of};
use comrak::Arena;
use comrak::nodes::NodeValue;

/// The text under each heading. Anchors are made as the rewrite stage makes them for the page:
/// GitHub slugs of `h2`–`h6`, numbered when repeated.
fn sections(root: Node<'_>) -> Vec<crate::model::DocSection> {
    let mut out = vec![crate::model::DocSection { heading: String::new(), anchor: String::new(), text: String::new() }];
    let mut taken = crate::slug::Taken::default();
    let mut seen_h1 = false;
    for n in root.children() {
        match heading_level(n) {
            Some(1) if !seen_h1 => seen_h1 = true,
            Some(level) => {
                let heading = plain_text(n);
                let anchor = if level >= 2 {
                    crate::slug::unique(crate::slug::slugify(&heading), &mut taken)
                } else {
                    String::new()
                };
                out.push(crate::model::DocSection { heading, anchor, text: String::new() });
            }
            None => {
                let last = out.last_mut().expect("the first section always exists");
                if !last.text.is_empty() {
                    last.text.push(' ');
                }
                last.text.push_str(&plain_text(n));
            }
        }
    }
    out.retain(|s| !s.text.is_empty() || !s.heading.is_empty());
    out
}

/// A whole document rendered, except its first H1 and front matter (the page shows the title).
pub(crate) fn body_html(root: Node<'_>, html: Html<'_>) -> String {
    let first_h1 = root.children().find(|n| heading_level(n) == Some(1));
    let body = root.children().filter(|n| {
        !first_h1.is_some_and(|h| std::ptr::eq(*n, h)) && !matches!(n.data.borrow().value, NodeValue::FrontMatter(_))
    });
    html.blocks(body)
}

/// Parses the document at `path`, with what reading its Markdown found (nesting cut, malformed IDs).
pub(crate) fn parse_doc(path: &str, kind: DocKind, text: &str, html: Html<'_>) -> (Doc, Vec<Diagnostic>) {
    let arena = Arena::new();
    let mut diags = Vec::new();
    let root = markdown::parse_file(&arena, text, path, &mut diags);
    let headings: Vec<Heading> = root
        .children()
        .filter_map(|n| heading_level(n).map(|level| Heading { level, text: plain_text(n), span: span_of(n) }))
        .collect();
    let stem = path.rsplit('/').next().unwrap_or(path);
    let stem =
        stem.get(..stem.len().saturating_sub(3)).filter(|_| stem.to_ascii_lowercase().ends_with(".md")).unwrap_or(stem);
    let title = headings.iter().find(|h| h.level == 1).map(|h| h.text.clone()).unwrap_or_else(|| stem.to_string());
    let building = html.enabled();
    let html = body_html(root, html);
    let mut refs = Vec::new();
    crate::parse::refs::collect(root, path, &mut refs);
    // Sections feed the search index, which only `build` writes.
    let sections = if building { sections(root) } else { Vec::new() };
    (
        Doc {
            path: path.to_string(),
            stem: stem.to_string(),
            kind,
            title,
            headings,
            refs,
            sections,
            html,
            owner: None,
        },
        diags,
    )
}

/// A plan's companion file. Markdown is read as a document; any other text (`.json`, `.yaml`,
/// `.txt`) is shown whole as a code block in its language, titled by its file name.
pub(crate) fn parse_companion(path: &str, plan: &str, text: &str, html: Html<'_>) -> (Doc, Vec<Diagnostic>) {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (mut doc, diags) = if name.to_ascii_lowercase().ends_with(".md") {
        parse_doc(path, DocKind::Companion, text, html)
    } else {
        // A fence longer than any run of backticks in the text, so nothing in it closes it.
        let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        let lang = name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
        let lang: String = lang.chars().filter(char::is_ascii_alphanumeric).collect();
        let (mut doc, diags) = parse_doc(path, DocKind::Companion, &format!("{fence}{lang}\n{text}\n{fence}\n"), html);
        doc.title = name.to_string();
        // Lines of the wrapped text are one below the file's.
        for r in &mut doc.refs {
            r.span.line = r.span.line.saturating_sub(1).max(1);
        }
        (doc, diags)
    };
    doc.owner = Some(plan.to_string());
    (doc, diags)
}
