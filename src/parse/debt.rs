//! The tech debt tracker, in the three shapes trackers take: tables with an ID column
//! (`~~TD-018~~` rows are resolved, `\|` escapes a pipe), a heading per item (`### TD-004: ...`
//! with `**Status**:` lines), and checkbox lists (`- [x] Add CI`). An ID written in two tables
//! (an "Active" row and a "Resolved" row) is one item with both rows' fields.

use crate::diag::{Code, Diagnostic};
use crate::model::{DebtId, DebtItem, DebtStatus, DebtStatusKind, DebtTracker, NamedValue, Span};
use crate::parse::fields::{self, normalize_key};
use crate::parse::html::{Html, nonspace};
use crate::parse::markdown::{
    self, Node, Outline, is_struck, lines_of, own_text, plain_text, span_of, table, task_items, task_symbol,
};
use crate::parse::status::debt_status;
use comrak::Arena;
use comrak::nodes::NodeValue;
use std::collections::{HashMap, HashSet};

/// Parses the tracker at `path`.
pub(crate) fn parse_debt(path: &str, text: &str, html: Html<'_>) -> (DebtTracker, Vec<Diagnostic>) {
    let arena = Arena::new();
    let mut diags = Vec::new();
    let root = markdown::parse_file(&arena, text, path, &mut diags);
    let outline = Outline::new(root, u32::try_from(text.lines().count()).unwrap_or(u32::MAX));
    let lines: Vec<&str> = text.split('\n').collect();
    let mut b = Builder { path, html, items: Vec::new(), by_id: HashMap::new(), diags, unnamed: 0 };
    b.blocks(None, &outline.preamble);
    for part in &outline.parts {
        let struck_heading =
            part.heading.children().next().is_some_and(|c| matches!(c.data.borrow().value, NodeValue::Strikethrough));
        match crate::model::ids::parse_prefixed(part.title.trim(), "TD") {
            Some((n, len)) => b.heading_item(
                DebtId(n),
                part.title.trim().get(len..).unwrap_or_default().trim_start_matches([':', '—', '–', '-', ' ']),
                part.heading,
                struck_heading,
                part.blocks.as_slice(),
                &lines,
                part.span,
            ),
            None => b.blocks(Some(&part.title), &part.blocks),
        }
    }
    let title = outline.h1.map(|(t, _)| t).unwrap_or_else(|| "Tech Debt Tracker".to_string());
    let html = crate::parse::doc::body_html(root, html);
    (DebtTracker { path: path.to_string(), title, items: b.items, html }, b.diags)
}

struct Builder<'p> {
    path: &'p str,
    html: Html<'p>,
    items: Vec<DebtItem>,
    /// Index into `items` by ID, so a tracker of thousands of rows is read in linear time.
    by_id: HashMap<DebtId, usize>,
    diags: Vec<Diagnostic>,
    unnamed: usize,
}

/// What one row, heading or checkbox says about an item.
struct Mention {
    id: Option<DebtId>,
    title: Option<String>,
    title_html: String,
    fields: Vec<NamedValue>,
    /// Implied status: struck through, checked, or under a "Resolved" heading.
    implied: Option<DebtStatusKind>,
    group: Option<String>,
    span: Span,
    refs: Vec<crate::model::Reference>,
}

impl Builder<'_> {
    fn blocks(&mut self, group: Option<&str>, blocks: &[Node<'_>]) {
        let resolved_group = group.is_some_and(|g| {
            let g = g.to_lowercase();
            ["resolved", "closed", "done", "archive", "paid"].iter().any(|w| g.contains(w))
        });
        for &block in blocks {
            let is_table = matches!(block.data.borrow().value, NodeValue::Table(_));
            let is_list = matches!(block.data.borrow().value, NodeValue::List(_));
            if is_table {
                self.table(group, resolved_group, block);
            } else if is_list {
                self.list(group, resolved_group, block);
            }
        }
    }

    fn table(&mut self, group: Option<&str>, resolved_group: bool, node: Node<'_>) {
        let Some(t) = table(node) else { return };
        let id_col = t
            .header
            .iter()
            .position(|h| matches!(h.trim().to_lowercase().as_str(), "id" | "item" | "key" | "td"))
            .or_else(|| {
                (0..t.header.len()).find(|&i| {
                    t.rows
                        .iter()
                        .any(|(_, cells)| cells.get(i).is_some_and(|c| DebtId::parse(&plain_text(c)).is_some()))
                })
            });
        let Some(id_col) = id_col else { return };
        let mut seen_here = HashSet::new();
        for (row, cells) in &t.rows {
            let Some(id_cell) = cells.get(id_col) else { continue };
            let id = DebtId::parse(&plain_text(id_cell));
            if let Some(id) = id
                && !seen_here.insert(id)
            {
                self.diags.push(
                    Diagnostic::new(
                        Code::DuplicateDebtItem,
                        self.path,
                        Some(span_of(row)),
                        format!("`{id}` appears twice in this table"),
                    )
                    .help("give each debt item its own ID"),
                );
            }
            let fields: Vec<NamedValue> = cells
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != id_col)
                .map(|(i, c)| NamedValue {
                    name: t.header.get(i).cloned().unwrap_or_else(|| format!("Column {}", i + 1)),
                    text: plain_text(c),
                    html: self.html.inlines(c),
                })
                .collect();
            let implied = if is_struck(id_cell) || resolved_group { Some(DebtStatusKind::Resolved) } else { None };
            let mut refs = Vec::new();
            crate::parse::refs::collect(row, self.path, &mut refs);
            self.upsert(Mention {
                refs,
                id,
                title: None,
                title_html: String::new(),
                fields,
                implied,
                group: group.map(str::to_string),
                span: span_of(row),
            });
        }
    }

    fn list(&mut self, group: Option<&str>, resolved_group: bool, node: Node<'_>) {
        let mut tasks = Vec::new();
        task_items(node, 0, &mut tasks);
        for (item, _) in tasks {
            let Some((symbol, span)) = task_symbol(item) else { continue };
            let implied = match symbol {
                Some('x' | 'X') => DebtStatusKind::Resolved,
                Some('~') => DebtStatusKind::InProgress,
                _ if resolved_group => DebtStatusKind::Resolved,
                _ => DebtStatusKind::Open,
            };
            let text = own_text(item);
            let (id, title) = split_id(&text);
            let title_html = self.item_title_html(item, &text, &title);
            let mut refs = Vec::new();
            crate::parse::refs::collect(item, self.path, &mut refs);
            self.upsert(Mention {
                refs,
                id,
                title: Some(title),
                title_html,
                fields: Vec::new(),
                implied: Some(implied),
                group: group.map(str::to_string),
                span,
            });
        }
        // Plain items that start with an ID: `- TD-003: flaky test (open)`.
        for item in node.children() {
            if task_symbol(item).is_some() {
                continue;
            }
            let text = own_text(item);
            if let (Some(id), title) = split_id(&text) {
                let implied = resolved_group.then_some(DebtStatusKind::Resolved);
                let title_html = self.item_title_html(item, &text, &title);
                let mut refs = Vec::new();
                crate::parse::refs::collect(item, self.path, &mut refs);
                self.upsert(Mention {
                    refs,
                    id: Some(id),
                    title: Some(title),
                    title_html,
                    fields: Vec::new(),
                    implied,
                    group: group.map(str::to_string),
                    span: span_of(item),
                });
            }
        }
    }

    /// A list item's text after its `TD-NNN:` prefix, rendered.
    fn item_title_html(&self, item: Node<'_>, text: &str, title: &str) -> String {
        let para = item.first_child().filter(|p| matches!(p.data.borrow().value, NodeValue::Paragraph));
        para.map(|p| self.html.inlines_after(p, nonspace(text).saturating_sub(nonspace(title)))).unwrap_or_default()
    }

    #[allow(clippy::too_many_arguments)]
    fn heading_item(
        &mut self,
        id: DebtId,
        title: &str,
        heading: Node<'_>,
        struck: bool,
        blocks: &[Node<'_>],
        lines: &[&str],
        span: Span,
    ) {
        let mut fields = Vec::new();
        let mut description = Vec::new();
        let mut description_nodes = Vec::new();
        for &block in blocks {
            let (a, b) = lines_of(block);
            let mut any_field = false;
            for n in a..=b {
                let line = n.checked_sub(1).and_then(|n| lines.get(n as usize));
                if let Some(f) = line.and_then(|l| fields::parse_line(l)) {
                    let html = self.html.markdown_inline(&f.value);
                    fields.push(NamedValue { name: f.key, text: f.value, html });
                    any_field = true;
                }
            }
            if !any_field {
                description.push(plain_text(block));
                description_nodes.push(block);
            }
        }
        if !description.is_empty() {
            let html = self.html.blocks(description_nodes);
            fields.push(NamedValue { name: "Description".to_string(), text: description.join(" "), html });
        }
        let full_title = plain_text(heading);
        let title = title.trim().trim_matches('~').trim().to_string();
        let title_html = self.html.inlines_after(heading, nonspace(&full_title).saturating_sub(nonspace(&title)));
        let implied = struck.then_some(DebtStatusKind::Resolved);
        let mut refs = Vec::new();
        crate::parse::refs::collect(heading, self.path, &mut refs);
        for &b in blocks {
            crate::parse::refs::collect(b, self.path, &mut refs);
        }
        self.upsert(Mention {
            refs,
            id: Some(id),
            title: Some(title).filter(|t| !t.is_empty()),
            title_html,
            fields,
            implied,
            group: None,
            span,
        });
    }

    fn upsert(&mut self, m: Mention) {
        let existing = m.id.and_then(|id| self.by_id.get(&id).copied());
        let index = match existing {
            Some(i) => {
                let item = &mut self.items[i];
                merge_fields(&mut item.fields, m.fields);
                item.refs.extend(m.refs);
                if item.title.is_empty()
                    && let Some(t) = m.title
                {
                    item.title = t;
                    item.title_html = m.title_html;
                }
                i
            }
            None => {
                self.unnamed += usize::from(m.id.is_none());
                let anchor = match m.id {
                    Some(id) => id.anchor(),
                    None => format!("item-{}", self.unnamed),
                };
                if let Some(id) = m.id {
                    self.by_id.insert(id, self.items.len());
                }
                self.items.push(DebtItem {
                    id: m.id,
                    anchor,
                    title: m.title.unwrap_or_default(),
                    title_html: m.title_html,
                    status: DebtStatus { kind: DebtStatusKind::Other, raw: None },
                    priority: None,
                    fields: m.fields,
                    group: m.group,
                    span: m.span,
                    refs: m.refs,
                });
                self.items.len() - 1
            }
        };
        let item = &mut self.items[index];
        finish(item, m.implied);
    }
}

/// Adds a later mention's fields to an item's: a field the item lacks (or has empty) is replaced
/// by the new one, moved to the end; a filled one is kept. Linear in the fields, so an ID written
/// in thousands of wide rows stays cheap.
fn merge_fields(fields: &mut Vec<NamedValue>, new: Vec<NamedValue>) {
    let mut slots: Vec<Option<NamedValue>> = std::mem::take(fields).into_iter().map(Some).collect();
    // Live slots by ASCII-lower-cased name (names compare case-insensitively).
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (k, f) in slots.iter().enumerate() {
        if let Some(f) = f {
            by_name.entry(f.name.to_ascii_lowercase()).or_default().push(k);
        }
    }
    for f in new {
        let live = by_name.entry(f.name.to_ascii_lowercase()).or_default();
        let filled = live.first().and_then(|&k| slots[k].as_ref()).is_some_and(|e| !e.text.is_empty());
        if filled {
            continue;
        }
        for k in live.drain(..) {
            slots[k] = None;
        }
        live.push(slots.len());
        slots.push(Some(f));
    }
    *fields = slots.into_iter().flatten().collect();
}

/// Derives title, status and priority from the fields gathered so far.
fn finish(item: &mut DebtItem, implied: Option<DebtStatusKind>) {
    let find = |names: &[&str]| {
        item.fields.iter().find(|f| names.contains(&normalize_key(&f.name).as_str()) && !f.text.trim().is_empty())
    };
    let get = |names: &[&str]| find(names).map(|f| f.text.clone());
    if item.title.is_empty()
        && let Some(f) = find(&["description", "title", "summary", "issue", "debt", "problem", "item", "name"])
    {
        (item.title, item.title_html) = (f.text.clone(), f.html.clone());
    }
    if let Some(raw) = get(&["status", "state"]) {
        let kind = debt_status(&raw);
        // A struck row or a Resolved table outranks a stale "open" cell.
        let kind = match implied {
            Some(DebtStatusKind::Resolved) if kind == DebtStatusKind::Other || kind.is_open() => {
                DebtStatusKind::Resolved
            }
            _ => kind,
        };
        item.status = DebtStatus { kind, raw: Some(raw) };
    } else if let Some(kind) = implied {
        if item.status.kind == DebtStatusKind::Other || kind == DebtStatusKind::Resolved {
            item.status = DebtStatus { kind, raw: None };
        }
    } else if item.status.kind == DebtStatusKind::Other && item.status.raw.is_none() {
        item.status = DebtStatus { kind: DebtStatusKind::Open, raw: None };
    }
    let looks_like_priority = |v: &str| {
        let l = v.trim().to_lowercase();
        (l.len() == 2 && l.starts_with('p') && l.as_bytes()[1].is_ascii_digit())
            || ["critical", "high", "medium", "low", "urgent", "blocker", "major", "minor"]
                .iter()
                .any(|w| l.starts_with(w))
    };
    item.priority = get(&["priority"])
        .filter(|p| looks_like_priority(p))
        .or_else(|| get(&["severity", "impact"]).filter(|p| looks_like_priority(p)))
        .map(|p| p.trim().to_string());
}

/// `TD-003: text` → (3, "text"); otherwise (None, text).
fn split_id(text: &str) -> (Option<DebtId>, String) {
    match crate::model::ids::parse_prefixed(text.trim(), "TD") {
        Some((n, len)) => {
            let rest = text.trim().get(len..).unwrap_or_default();
            (Some(DebtId(n)), rest.trim_start_matches([':', '—', '–', '-', ' ']).to_string())
        }
        None => (None, text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> DebtTracker {
        let (t, d) = parse_debt("TECH_DEBT_TRACKER.md", text, Html(None));
        assert!(d.is_empty(), "{d:#?}");
        t
    }

    #[test]
    fn table_rows_by_column_name() {
        let t = parse(
            "# Tech Debt\n\n| ID | Area | Description | Priority | Status | Notes |\n|---|---|---|---|---|---|\n| TD-001 | Docs | Sprawl \\| stale | P1 | in-progress | see [EP-001](x.md) |\n| TD-2 | CI | No CI | P2 | resolved | |\n",
        );
        assert_eq!(t.title, "Tech Debt");
        assert_eq!(t.items.len(), 2);
        let a = &t.items[0];
        assert_eq!((a.id, a.anchor.as_str(), a.title.as_str()), (Some(DebtId(1)), "td-001", "Sprawl | stale"));
        assert_eq!((a.status.kind, a.priority.as_deref()), (DebtStatusKind::InProgress, Some("P1")));
        assert_eq!(a.field("notes"), Some("see EP-001"));
        assert_eq!(a.field("Area"), Some("Docs"));
        assert_eq!(t.items[1].status.kind, DebtStatusKind::Resolved);
        assert_eq!(a.span.line, 5);
    }

    #[test]
    fn struck_rows_are_resolved_and_tables_merge() {
        let t = parse(
            "## Active Debt\n\n| ID | Category | Description | Impact | Priority |\n|---|---|---|---|---|\n| ~~TD-018~~ | ~~ICE~~ | ~~Single txid~~ | ~~High~~ | ~~Phase 8~~ |\n| TD-019 | ICE | Relay | High | Phase 5 |\n\n## Resolved Debt\n\n| ID | Resolved | Resolution |\n|---|---|---|\n| TD-018 | 2026-04-13 | Pending table |\n",
        );
        assert_eq!(t.items.len(), 2);
        let a = &t.items[0];
        assert_eq!(a.status.kind, DebtStatusKind::Resolved);
        assert_eq!(a.field("Resolution"), Some("Pending table"));
        assert_eq!(a.priority.as_deref(), Some("High"), "Priority column holds a phase; Impact is used");
        assert_eq!(t.items[1].status.kind, DebtStatusKind::Open);
        assert_eq!(a.group.as_deref(), Some("Active Debt"));
    }

    #[test]
    fn heading_per_item() {
        let t = parse(
            "# Debt\n\n### TD-004: Flaky upload test\n\n**Status**: open\n**Priority**: P2\n\nRetries hide a race. See EP-003.\n\n### ~~TD-005~~: Old parser\n\n**Status**: resolved\n",
        );
        assert_eq!(t.items.len(), 2);
        let a = &t.items[0];
        assert_eq!(
            (a.title.as_str(), a.status.kind, a.priority.as_deref()),
            ("Flaky upload test", DebtStatusKind::Open, Some("P2"))
        );
        assert_eq!(a.field("Description"), Some("Retries hide a race. See EP-003."));
        assert_eq!(t.items[1].status.kind, DebtStatusKind::Resolved);
    }

    #[test]
    fn checkbox_lists() {
        let t = parse("## Tasks\n\n- [x] Add CI workflow\n- [ ] Define retention\n- [ ] TD-007: Evaluate Kafka\n");
        let got: Vec<_> = t.items.iter().map(|i| (i.anchor.as_str(), i.title.as_str(), i.status.kind)).collect();
        assert_eq!(
            got,
            [
                ("item-1", "Add CI workflow", DebtStatusKind::Resolved),
                ("item-2", "Define retention", DebtStatusKind::Open),
                ("td-007", "Evaluate Kafka", DebtStatusKind::Open),
            ]
        );
    }

    #[test]
    fn duplicate_ids_in_one_table_are_reported() {
        let (t, d) = parse_debt("t.md", "| ID | Description |\n|---|---|\n| TD-1 | a |\n| TD-1 | b |\n", Html(None));
        assert_eq!(t.items.len(), 1);
        assert_eq!(d[0].code, Code::DuplicateDebtItem);
        assert_eq!(d[0].span.map(|s| s.line), Some(4));
    }
}
