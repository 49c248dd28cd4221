//! The Retrospective: entries of "What went well", "What didn't" and "What to change", written
//! as sub-headings with lists or as inline `**What went well:** text` labels. A bare `-` entry is
//! the template's placeholder: counted, never an entry.

use crate::model::{RetroEntry, RetroPart, Retrospective, Span};
use crate::parse::html::{Html, nonspace};
use crate::parse::markdown::{Node, is_empty_item, plain_text, span_of};
use crate::parse::sections::retro_part;
use comrak::nodes::NodeValue;

/// Builds a retrospective from its heading and its parts' blocks.
pub(crate) struct RetroReader<'h> {
    pub retro: Retrospective,
    html: Html<'h>,
    /// Whether something was not read as an entry (a table, a code block).
    pub has_extra: bool,
}

impl<'h> RetroReader<'h> {
    pub fn new(span: Span, html: Html<'h>) -> Self {
        RetroReader { retro: Retrospective { span, entries: Vec::new(), placeholders: 0 }, html, has_extra: false }
    }

    /// Reads `blocks` that sit under a heading of part `part`.
    pub fn blocks(&mut self, part: RetroPart, blocks: &[Node<'_>]) {
        // An inline label (`**What went well:**`) switches the part for what follows it.
        let mut current = part;
        for &block in blocks {
            let is_list = matches!(block.data.borrow().value, NodeValue::List(_));
            let is_para = matches!(block.data.borrow().value, NodeValue::Paragraph);
            if is_list {
                for item in block.children() {
                    if is_empty_item(item) {
                        self.retro.placeholders += 1;
                    } else {
                        let html = item_html(self.html, item);
                        self.entry(current, plain_text(item), html, span_of(item));
                    }
                }
            } else if is_para {
                let text = plain_text(block);
                let (labelled, rest, skip) = match inline_label(&text) {
                    Some((labelled, rest)) => {
                        current = labelled;
                        (labelled, rest, nonspace(&text) - nonspace(rest))
                    }
                    None => (current, text.as_str(), 0),
                };
                if rest.is_empty() && labelled != part {
                    continue; // a label line introducing a list
                }
                if rest.trim_matches(['-', ' ']).is_empty() {
                    self.retro.placeholders += 1;
                } else {
                    let html = self.html.inlines_after(block, skip);
                    self.entry(labelled, rest.to_string(), html, span_of(block));
                }
            } else {
                self.has_extra = true;
            }
        }
    }

    fn entry(&mut self, part: RetroPart, text: String, html: String, span: Span) {
        self.retro.entries.push(RetroEntry { part, text, html, span });
    }
}

/// A list item's content: inline when it is one paragraph, blocks otherwise.
pub(crate) fn item_html(html: Html<'_>, item: Node<'_>) -> String {
    let mut children = item.children();
    match (children.next(), children.next()) {
        (Some(p), None) if matches!(p.data.borrow().value, NodeValue::Paragraph) => html.inlines(p),
        _ => html.blocks(item.children()),
    }
}

/// `What went well: text` → (part, "text").
fn inline_label(text: &str) -> Option<(RetroPart, &str)> {
    let (label, rest) = text.split_once(':')?;
    if label.len() > 40 {
        return None;
    }
    let part = retro_part(label)?;
    Some((part, rest.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::{Outline, parse};
    use comrak::Arena;

    fn read(md: &str) -> Retrospective {
        let arena = Arena::new();
        let root = parse(&arena, md);
        let outline = Outline::new(root, 100);
        let mut r = RetroReader::new(outline.parts[0].span, Html(None));
        r.blocks(RetroPart::Other, &outline.parts[0].blocks);
        for p in &outline.parts[1..] {
            r.blocks(retro_part(&p.title).unwrap_or(RetroPart::Other), &p.blocks);
        }
        r.retro
    }

    #[test]
    fn template_placeholders_are_empty() {
        let r = read("## Retrospective\n### What went well\n\n-\n\n### What didn't\n\n-\n\n### What to change\n\n-\n");
        assert!(!r.is_filled());
        assert_eq!(r.placeholders, 3);
    }

    #[test]
    fn reads_three_parts() {
        let r = read(
            "## Retrospective\n### What went well\n- Fast reviews\n- Small PRs\n### What didn't\n- Flaky test\n### What to change\n- Pin versions\n",
        );
        assert_eq!(r.part(RetroPart::WentWell).count(), 2);
        assert_eq!(r.part(RetroPart::WentWrong).next().map(|e| e.text.as_str()), Some("Flaky test"));
        assert_eq!(r.part(RetroPart::ToChange).count(), 1);
    }

    #[test]
    fn reads_inline_labels() {
        let r = read(
            "## Retrospective\n\n**What went well:** the split.\n\n**What didn't:** -\n\n**What to change:**\n\n- pin tools\n",
        );
        assert_eq!(r.entries.len(), 2);
        assert_eq!(r.entries[0].part, RetroPart::WentWell);
        assert_eq!(r.entries[0].text, "the split.");
        assert_eq!((r.entries[1].part, r.entries[1].text.as_str()), (RetroPart::ToChange, "pin tools"));
        assert_eq!(r.placeholders, 1);
    }
}
