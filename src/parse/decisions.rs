//! Decision-log entries: `- 2026-02-13: text`, `- **2026-02-13** — text`, `### 2026-02-13 — title`
//! with a body, and table rows (`Date | Decision | Rationale`). Entries without a date are kept
//! (with `date: None`) so the checker can flag them and the site can list them apart.

use crate::diag::{Code, Diagnostic};
use crate::model::{Decision, DecisionForm, NamedValue, Span};
use crate::parse::date;
use crate::parse::html::{Html, nonspace};
use crate::parse::markdown::{Node, Part, collapse_whitespace, own_text, plain_text, span_of, table};
use comrak::nodes::NodeValue;

/// Collects decisions into `out`, reporting unreadable dates into `diags`.
pub(crate) struct DecisionReader<'p> {
    pub path: &'p str,
    pub html: Html<'p>,
    pub out: Vec<Decision>,
    pub diags: Vec<Diagnostic>,
}

/// Where an entry's text is, for rendering it.
enum Source<'a> {
    /// Inline content of this node, after the date prefix.
    Inline(Node<'a>),
    /// Already rendered.
    Rendered(String),
}

impl DecisionReader<'_> {
    /// Entries written in the blocks directly under a Decision Log heading. Returns whether every
    /// block was read as entries (prose in between is shown as written by the site).
    pub fn blocks(&mut self, blocks: &[Node<'_>]) -> bool {
        let mut all_read = true;
        for &block in blocks {
            let value = block.data.borrow().value.clone();
            match value {
                NodeValue::List(_) => {
                    for item in block.children() {
                        self.list_item(item);
                    }
                }
                NodeValue::Table(_) => self.table(block),
                NodeValue::Paragraph => {
                    // A bare `2026-02-13: text` paragraph is an entry; other prose is not.
                    let text = plain_text(block);
                    if date::prefix(&text).is_some() {
                        self.push(
                            &text,
                            Source::Inline(block),
                            None,
                            String::new(),
                            Vec::new(),
                            DecisionForm::ListItem,
                            span_of(block),
                        );
                    } else {
                        all_read = false;
                    }
                }
                _ => all_read = false,
            }
        }
        all_read
    }

    /// A sub-heading of the decision log: an entry when it starts with a date; a group heading
    /// (`### 2026 Q1`) whose blocks hold entries otherwise.
    pub fn sub_part(&mut self, part: &Part<'_>) -> bool {
        let starts_with_date = matches!(date::prefix(&part.title), Some((Ok(_), _)));
        if starts_with_date {
            let body: Vec<String> = part.blocks.iter().map(|b| plain_text(b)).filter(|t| !t.is_empty()).collect();
            let detail = (!body.is_empty()).then(|| body.join(" "));
            let detail_html = self.html.blocks(part.blocks.iter().copied());
            self.push(
                &part.title,
                Source::Inline(part.heading),
                detail,
                detail_html,
                Vec::new(),
                DecisionForm::Heading,
                part.span,
            );
            true
        } else {
            self.blocks(&part.blocks)
        }
    }

    fn list_item(&mut self, item: Node<'_>) {
        let text = own_text(item);
        if text.is_empty() {
            return;
        }
        let nested: Vec<Node<'_>> =
            item.children().filter(|c| matches!(c.data.borrow().value, NodeValue::List(_))).collect();
        let detail = (!nested.is_empty()).then(|| nested.iter().map(|c| plain_text(c)).collect::<Vec<_>>().join(" "));
        let detail_html = self.html.blocks(nested);
        let first = item.first_child().filter(|c| matches!(c.data.borrow().value, NodeValue::Paragraph));
        let source = first.map_or(Source::Rendered(String::new()), Source::Inline);
        self.push(&text, source, detail, detail_html, Vec::new(), DecisionForm::ListItem, span_of(item));
    }

    fn table(&mut self, node: Node<'_>) {
        let Some(t) = table(node) else { return };
        let header: Vec<String> = t.header.iter().map(|h| h.to_lowercase()).collect();
        let find = |names: &[&str]| header.iter().position(|h| names.iter().any(|n| h.contains(n)));
        let date_col = find(&["date", "when"]);
        let rationale_col = find(&["rationale", "why", "reason", "because", "consequence"]);
        let decision_col = find(&["decision", "what", "title", "change", "choice"]).or_else(|| {
            (0..header.len()).find(|&i| Some(i) != date_col && Some(i) != rationale_col && header[i] != "#")
        });
        for (row, cells) in &t.rows {
            let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).copied();
            let text_of = |i: Option<usize>| cell(i).map(|c| plain_text(c)).unwrap_or_default();
            let html_of = |i: Option<usize>| cell(i).map(|c| self.html.inlines(c)).unwrap_or_default();
            let date_text = text_of(date_col);
            let decision = text_of(decision_col);
            let rationale = text_of(rationale_col);
            let columns: Vec<NamedValue> = cells
                .iter()
                .enumerate()
                .filter(|(i, _)| ![date_col, decision_col, rationale_col].contains(&Some(*i)))
                .map(|(i, c)| NamedValue {
                    name: t.header.get(i).cloned().unwrap_or_default(),
                    text: plain_text(c),
                    html: self.html.inlines(c),
                })
                .collect();
            let text = if date_text.is_empty() { decision } else { format!("{date_text}: {decision}") };
            let detail = (!rationale.is_empty()).then_some(rationale);
            let (text_html, detail_html) = (html_of(decision_col), html_of(rationale_col));
            self.push(
                &text,
                Source::Rendered(text_html),
                detail,
                detail_html,
                columns,
                DecisionForm::TableRow,
                span_of(row),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        text: &str,
        source: Source<'_>,
        detail: Option<String>,
        detail_html: String,
        columns: Vec<NamedValue>,
        form: DecisionForm,
        span: Span,
    ) {
        let text = text.trim();
        let (date, date_raw, rest) = match date::prefix(text) {
            Some((parsed, len)) => {
                let raw = text[..len].to_string();
                let rest = text[len..].trim_start_matches(|c: char| {
                    c.is_whitespace() || matches!(c, ':' | '—' | '–' | '-' | '|' | ']' | ')' | ',' | '.')
                });
                let date = match parsed {
                    Ok(d) => Some(d),
                    Err(message) => {
                        self.diags.push(
                            Diagnostic::new(Code::UnparsableDate, self.path, Some(span), message)
                                .help("write dates as YYYY-MM-DD"),
                        );
                        None
                    }
                };
                (date, Some(raw), rest)
            }
            None => (None, None, text.trim_start_matches('[')),
        };
        let text_html = match source {
            Source::Rendered(html) => html,
            Source::Inline(node) => {
                let skip = date_raw.as_deref().map_or(0, nonspace);
                self.html.inlines_after(node, skip)
            }
        };
        self.out.push(Decision {
            git: None,
            date,
            date_raw,
            text: collapse_whitespace(rest),
            text_html,
            detail,
            detail_html,
            columns,
            form,
            span,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::{Outline, parse};
    use comrak::Arena;

    fn read(md: &str) -> Vec<Decision> {
        let arena = Arena::new();
        let root = parse(&arena, md);
        let outline = Outline::new(root, 100);
        let mut r = DecisionReader { path: "p.md", html: Html(None), out: Vec::new(), diags: Vec::new() };
        r.blocks(&outline.parts[0].blocks);
        for part in &outline.parts[1..] {
            r.sub_part(part);
        }
        r.out
    }

    #[test]
    fn reads_list_entries_with_plain_and_bold_dates() {
        let d = read(
            "## Decision Log\n- 2026-02-13: Chose X over Y because Z.\n- **2026-04-13** — Planning done.\n  - nested detail\n- Undated thought\n",
        );
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].date.map(|d| d.to_string()).as_deref(), Some("2026-02-13"));
        assert_eq!(d[0].text, "Chose X over Y because Z.");
        assert_eq!(d[1].text, "Planning done.");
        assert_eq!(d[1].detail.as_deref(), Some("nested detail"));
        assert_eq!((d[2].date, d[2].text.as_str()), (None, "Undated thought"));
        assert_eq!(d[0].span.line, 2);
    }

    #[test]
    fn reads_heading_entries_with_bodies() {
        let d = read(
            "## Decision Log\n\n### 2026-03-01 — Use SQLite\n\nBecause it is simple.\n\n### 2026-03-05: Drop Redis\n",
        );
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].text, "Use SQLite");
        assert_eq!(d[0].detail.as_deref(), Some("Because it is simple."));
        assert_eq!(d[0].form, DecisionForm::Heading);
        assert_eq!(d[1].text, "Drop Redis");
    }

    #[test]
    fn reads_tables_with_and_without_dates() {
        let d = read(
            "## Decision Log\n\n| Date | Decision | Rationale |\n|---|---|---|\n| 2026-03-26 | Use `a` | Because \\| pipes |\n",
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].text, "Use a");
        assert_eq!(d[0].detail.as_deref(), Some("Because | pipes"));
        assert_eq!(d[0].form, DecisionForm::TableRow);
        let d = read("## Decision Log\n\n| # | Decision | Rationale |\n|---|---|---|\n| 1 | No flag | Small |\n");
        assert_eq!((d[0].date, d[0].text.as_str()), (None, "No flag"));
        assert_eq!((d[0].columns[0].name.as_str(), d[0].columns[0].text.as_str()), ("#", "1"));
    }
}
