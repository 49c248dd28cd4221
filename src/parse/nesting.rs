//! Nesting limits for the Markdown AST: what lies deeper than `MAX_DEPTH` becomes text.
//!
//! In: a document comrak just parsed. Out: the same document with every node at most
//! `MAX_DEPTH` + 2 levels deep, the deep content kept as plain text, and where it was cut (for
//! E033). Runs before anything else walks the tree, so planbook's recursive walks are bounded.
//! Never recurses itself.

use crate::model::Span;
use crate::parse::markdown::{Collapsed, Node, new_node, span_of};
use comrak::Arena;
use comrak::nodes::NodeValue;

/// The deepest nesting planbook reads: block quotes, lists, emphasis, links and images, counted as
/// levels of comrak's AST (a nested list item is two levels: list and item).
///
/// comrak 0.59 itself parses and renders any depth without recursing (measured on a 2 MiB thread
/// stack, rayon's default, in debug and release builds: 200,000 nested `>`, `*a`, `**a`, `~~a`,
/// `[`, `![` and `> - ` all pass), but planbook's own walks (`plain_text`, `refs::collect`,
/// `task_items`) recurse once per level, and html5ever (sanitising `allow_html` output) spends
/// time per level on every tag. Nothing written by hand nests even 20 deep.
pub(crate) const MAX_DEPTH: usize = 256;

/// Replaces the content of every node at depth `MAX_DEPTH` (or of the nearest ancestor that can
/// hold a paragraph or text) by its text, so no node is deeper than `MAX_DEPTH` + 2 (a paragraph
/// and its text). Iterative, linear in the nodes.
/// Returns the span of the first place cut.
pub(crate) fn cut<'a>(arena: &'a Arena<'a>, root: Node<'a>) -> Option<Span> {
    let mut cut: Vec<Node<'a>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if depth < MAX_DEPTH {
            stack.extend(node.children().map(|c| (c, depth + 1)));
            continue;
        }
        if node.first_child().is_none() {
            continue;
        }
        // A list or table row cannot hold text: go up to a node that can.
        let mut at = node;
        while !(at.can_contain_type(&NodeValue::Paragraph) || holds_text(at)) {
            match at.parent() {
                Some(p) => at = p,
                None => break,
            }
        }
        if seen.insert(std::ptr::from_ref(at)) {
            cut.push(at);
        }
    }
    let first = cut.iter().map(|n| span_of(n)).min();
    for node in cut {
        flatten(arena, node);
    }
    first
}

/// Replaces the children of `node` by their text, as one text node (in a paragraph when `node`
/// holds blocks).
fn flatten<'a>(arena: &'a Arena<'a>, node: Node<'a>) {
    let mut text = Collapsed::default();
    // `descendants` walks the arena's links, without recursion.
    for d in node.descendants().skip(1) {
        match &d.data.borrow().value {
            NodeValue::Text(t) => text.push(t),
            NodeValue::Code(c) => text.push(&c.literal),
            NodeValue::CodeBlock(c) => text.push(&c.literal),
            NodeValue::HtmlInline(h) => text.push(h),
            NodeValue::HtmlBlock(h) => text.push(&h.literal),
            _ => text.space(),
        }
    }
    let children: Vec<Node<'a>> = node.children().collect();
    for c in children {
        c.detach();
    }
    let pos = node.data.borrow().sourcepos;
    let leaf = new_node(arena, NodeValue::Text(text.0.into()), pos);
    if holds_text(node) {
        node.append(leaf);
    } else {
        let para = new_node(arena, NodeValue::Paragraph, pos);
        para.append(leaf);
        node.append(para);
    }
}

fn holds_text(node: Node<'_>) -> bool {
    node.can_contain_type(&NodeValue::Text(String::new().into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::{options, plain_text};

    fn depth(root: Node<'_>) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(root, 0)];
        while let Some((n, d)) = stack.pop() {
            deepest = deepest.max(d);
            stack.extend(n.children().map(|c| (c, d + 1)));
        }
        deepest
    }

    #[test]
    fn nesting_is_cut_at_the_limit_keeping_the_text() {
        for (text, inner) in [
            (format!("a\n\n{}deep text\n\nafter\n", "> ".repeat(5_000)), "deep text"),
            (format!("{}b{}\n", "*a ".repeat(5_000), " c*".repeat(5_000)), "a a b c c"),
            (format!("{}x{}\n", "![".repeat(3_000), "](y)".repeat(3_000)), "x"),
            (format!("| h |\n|---|\n| {}z{} |\n", "**a ".repeat(400), " b**".repeat(400)), "a z b"),
        ] {
            let arena = Arena::new();
            let root = comrak::parse_document(&arena, &text, &options());
            assert!(cut(&arena, root).is_some(), "{inner}");
            assert!(depth(root) <= MAX_DEPTH + 2, "a paragraph and its text at most: {}", depth(root));
            assert!(plain_text(root).contains(inner), "{inner}");
        }
        let arena = Arena::new();
        let root = comrak::parse_document(&arena, &format!("{}x\n", "> ".repeat(MAX_DEPTH - 2)), &options());
        assert!(cut(&arena, root).is_none(), "within the limit");
    }
}
