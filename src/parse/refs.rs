//! References in a Markdown AST and in plain text files.
//!
//! In Markdown: `EP-NNN` / `TD-NNN` in text (bare, bold, as link text; never in code), links to
//! `.md` files (resolved against the file they are in), and backticked repository paths
//! (`` `docs/harness/exec-plans/active/001-y.md` ``, which the parser wraps in links). In other text files (source code in any
//! language): `EP-NNN` / `TD-NNN` anywhere on a line, with the line kept for context. The text
//! right before a reference names its relation ("resolves TD-004").

use crate::model::ids::find_all;
use crate::model::{DebtId, FileMentions, PlanNumber, RefTarget, Reference, Relation, Span};
use crate::parse::html::resolve;
use crate::parse::markdown::{Node, plain_text};
use comrak::nodes::NodeValue;

/// Every reference under `node` (and `node` itself), written in the file at `from`.
pub(crate) fn collect(node: Node<'_>, from: &str, out: &mut Vec<Reference>) {
    let (span, kind) = {
        let ast = node.data.borrow();
        let pos = ast.sourcepos;
        let span = Span { line: pos.start.line as u32, col: pos.start.column as u32, len: 0 };
        let kind = match &ast.value {
            NodeValue::Text(t) => Kind::Text(t.to_string()),
            NodeValue::Link(l) => Kind::Link(l.url.clone()),
            NodeValue::CodeBlock(_)
            | NodeValue::HtmlBlock(_)
            | NodeValue::HtmlInline(_)
            | NodeValue::FrontMatter(_) => Kind::Skip,
            _ => Kind::Container,
        };
        (span, kind)
    };
    match kind {
        Kind::Text(text) => {
            for (prefix, make) in [("EP", plan as fn(u32) -> RefTarget), ("TD", debt)] {
                for (n, at) in find_all(&text, prefix) {
                    let before = format!("{}{}", preceding(node), &text[..at]);
                    let len =
                        text[at..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(text.len() - at);
                    out.push(Reference {
                        target: make(n),
                        relation: Relation::before(&before),
                        span: Span { line: span.line, col: span.col + at as u32, len: len as u32 },
                    });
                }
            }
        }
        Kind::Link(url) if url.starts_with(crate::parse::markdown::REF_SCHEME) => {
            // `EP-NNN` / `TD-NNN` the parser marked as a link.
            let id = &url[crate::parse::markdown::REF_SCHEME.len()..];
            let target = match (crate::model::PlanNumber::parse(id), DebtId::parse(id)) {
                (Some(n), _) => Some(RefTarget::Plan(n)),
                (_, Some(d)) => Some(RefTarget::Debt(d)),
                _ => None,
            };
            if let Some(target) = target {
                let relation = Relation::before(&preceding(node));
                out.push(Reference { target, relation, span: Span { len: id.len() as u32, ..span } });
            }
        }
        Kind::Link(url) => {
            if let Some(path) = resolve(from, &url).filter(|p| is_markdown_path(p)) {
                out.push(Reference {
                    target: RefTarget::Path(path),
                    relation: Relation::before(&preceding(node)),
                    span,
                });
            }
            for child in node.children() {
                collect(child, from, out);
            }
        }
        Kind::Skip => {}
        Kind::Container => {
            for child in node.children() {
                collect(child, from, out);
            }
        }
    }
}

enum Kind {
    Text(String),
    Link(String),
    Skip,
    Container,
}

fn plan(n: u32) -> RefTarget {
    RefTarget::Plan(PlanNumber(n))
}

fn debt(n: u32) -> RefTarget {
    RefTarget::Debt(DebtId(n))
}

/// Whether a path (possibly with `#fragment`) names a Markdown file.
fn is_markdown_path(p: &str) -> bool {
    let path = p.split('#').next().unwrap_or(p);
    path.to_ascii_lowercase().ends_with(".md")
}

/// Up to ~48 characters of text before `node` within its block (previous siblings, then the
/// parent's previous siblings while the parent is inline): where "resolves" would be written.
fn preceding(node: Node<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut len = 0;
    let mut current = node;
    loop {
        let mut sibling = current.previous_sibling();
        while let Some(s) = sibling {
            let t = match &s.data.borrow().value {
                NodeValue::SoftBreak | NodeValue::LineBreak => " ".to_string(),
                NodeValue::Text(t) => t.to_string(),
                _ => plain_text(s),
            };
            len += t.len();
            parts.push(t);
            if len > 48 {
                break;
            }
            sibling = s.previous_sibling();
        }
        let parent = current.parent();
        let inline_parent = parent.is_some_and(|p| {
            matches!(
                p.data.borrow().value,
                NodeValue::Strong | NodeValue::Emph | NodeValue::Link(_) | NodeValue::Strikethrough
            )
        });
        match parent {
            Some(p) if inline_parent && len <= 48 => current = p,
            _ => break,
        }
    }
    parts.reverse();
    parts.concat()
}

/// References written in front matter: keys naming a relation (`depends-on: [EP-002]`).
pub(crate) fn from_fields(fields: &[crate::model::Field], out: &mut Vec<Reference>) {
    for f in fields {
        let Some(relation) = Relation::from_key(&f.key) else { continue };
        for (prefix, make) in [("EP", plan as fn(u32) -> RefTarget), ("TD", debt)] {
            for (n, _) in find_all(&f.value.to_ascii_uppercase(), prefix) {
                out.push(Reference { target: make(n), relation: Some(relation), span: f.span });
            }
        }
    }
}

/// References in a plain text file: `EP-NNN` / `TD-NNN` anywhere, with their lines.
pub(crate) fn scan_text(path: &str, text: &str) -> FileMentions {
    let mut mentions = FileMentions { path: path.to_string(), refs: Vec::new(), lines: Vec::new() };
    for (i, line) in text.lines().enumerate() {
        if !(line.contains("EP-") || line.contains("TD-")) {
            continue;
        }
        for (prefix, make) in [("EP", plan as fn(u32) -> RefTarget), ("TD", debt)] {
            for (n, at) in find_all(line, prefix) {
                let len =
                    line[at..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(line.len() - at);
                mentions.refs.push(Reference {
                    target: make(n),
                    relation: Relation::before(&line[..at]),
                    span: Span { line: i as u32 + 1, col: at as u32 + 1, len: len as u32 },
                });
                let shown: String = line.trim().chars().take(160).collect();
                mentions.lines.push(shown);
            }
        }
    }
    mentions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::parse;
    use comrak::Arena;

    fn refs(md: &str) -> Vec<(RefTarget, Option<Relation>, u32, u32)> {
        let arena = Arena::new();
        let root = parse(&arena, md);
        let mut out = Vec::new();
        collect(root, "docs/harness/exec-plans/active/009-gc.md", &mut out);
        out.into_iter().map(|r| (r.target, r.relation, r.span.line, r.span.col)).collect()
    }

    #[test]
    fn ids_in_text_bold_and_link_text_but_not_code() {
        let got = refs("See EP-1, **EP-003** and [EP-0004](x.md).\n\n`EP-5` and\n\n```\nEP-6\n```\n");
        let targets: Vec<_> = got.iter().map(|r| r.0.clone()).collect();
        assert_eq!(
            targets,
            [plan(1), plan(3), RefTarget::Path("docs/harness/exec-plans/active/x.md".into()), plan(4)],
            "{got:?}"
        );
        assert_eq!((got[0].2, got[0].3), (1, 5), "line and column of EP-1");
    }

    #[test]
    fn links_and_backticked_paths() {
        let got = refs(
            "[done](../completed/003-x.md), [debt](../../TECH_DEBT_TRACKER.md#td-005), `docs/harness/exec-plans/active/001-y.md`, [web](https://e.com/a.md), `exec-plans/{active,completed}/NNN-x.md`\n",
        );
        let targets: Vec<_> = got.into_iter().map(|r| r.0).collect();
        assert_eq!(
            targets,
            [
                RefTarget::Path("docs/harness/exec-plans/completed/003-x.md".into()),
                RefTarget::Path("docs/harness/TECH_DEBT_TRACKER.md#td-005".into()),
                RefTarget::Path("docs/harness/exec-plans/active/001-y.md".into()),
            ]
        );
    }

    #[test]
    fn typed_relations() {
        let got = refs("This resolves TD-004 and supersedes **EP-003**; it depends on [EP-002](x.md). See EP-7.\n");
        let rel: Vec<_> = got.iter().filter(|r| !matches!(r.0, RefTarget::Path(_))).map(|r| r.1).collect();
        assert_eq!(rel, [Some(Relation::Resolves), Some(Relation::Supersedes), Some(Relation::DependsOn), None]);
    }

    #[test]
    fn scans_source_comments_in_any_language() {
        let m = scan_text(
            "src/a.rs",
            "fn a() {}\n// See EP-012 for why\n# TODO(EP-3): x\n/* resolves TD-004 */ let STEP-1 = 0;\n",
        );
        let got: Vec<_> = m.refs.iter().map(|r| (r.target.clone(), r.span.line, r.span.col)).collect();
        assert_eq!(got, [(plan(12), 2, 8), (plan(3), 3, 8), (debt(4), 4, 13)]);
        assert_eq!(m.refs[2].relation, Some(Relation::Resolves));
        assert_eq!(m.lines[0], "// See EP-012 for why");
    }
}
