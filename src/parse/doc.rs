//! Any other harness document (and AGENTS.md / PLANS.md): its title and headings.

use crate::model::{Doc, DocKind, Heading};
use crate::parse::markdown::{self, heading_level, plain_text, span_of};
use comrak::Arena;

/// Parses the document at `path`.
pub(crate) fn parse_doc(path: &str, kind: DocKind, text: &str) -> Doc {
    let arena = Arena::new();
    let root = markdown::parse(&arena, text);
    let headings: Vec<Heading> = root
        .children()
        .filter_map(|n| heading_level(n).map(|level| Heading { level, text: plain_text(n), span: span_of(n) }))
        .collect();
    let stem = path.rsplit('/').next().unwrap_or(path);
    let stem =
        stem.get(..stem.len().saturating_sub(3)).filter(|_| stem.to_ascii_lowercase().ends_with(".md")).unwrap_or(stem);
    let title = headings.iter().find(|h| h.level == 1).map(|h| h.text.clone()).unwrap_or_else(|| stem.to_string());
    Doc { path: path.to_string(), stem: stem.to_string(), kind, title, headings }
}
