//! The tech debt tracker, in the three shapes trackers take:
//!
//! - Tables: with an ID column (`~~TD-018~~` rows are resolved, `\|` escapes a pipe), or without
//!   one (`| Item | Status | Owner |`: the title is the Description / Title / Item column, else
//!   the first text column). A table is a tracker table when it has IDs, or a Status / Priority
//!   column after its first.
//! - A heading per item (`### TD-004: Flaky test`, or `### Flaky test` with no ID), at whatever
//!   level sits under the tracker's own sections; its fields as `- Status: x`, `- **Status**: x`
//!   or `**Status:** x` lines (`headings.rs` says which headings are items).
//! - Checkbox lists (`- [x] Add CI`) and lists of `TD-003: ...` items.
//!
//! An ID written in two tables (an "Active" row and a "Resolved" row) is one item with both rows'
//! fields. An item is resolved when its status says so, its ID cell or heading is struck through,
//! it has a `Resolved: <date>`, or it sits under a heading named Resolved, Closed, Done, Paid,
//! Fixed or Archive (at any level above it). Items without an ID are anchored by the slug of
//! their title (a heading's GitHub anchor), made unique with `-2`, `-3`... in document order.

mod headings;
#[cfg(test)]
mod tests;

use crate::diag::{Code, Diagnostic};
use crate::model::{DebtId, DebtItem, DebtStatus, DebtStatusKind, DebtTracker, NamedValue, Span};
use crate::parse::fields::{self, normalize_key};
use crate::parse::html::{Html, nonspace};
use crate::parse::markdown::{
    self, Node, Outline, Part, Table, is_struck, lines_of, own_text, plain_text, span_of, table, task_items,
    task_symbol,
};
use crate::parse::status::debt_status;
use crate::slug;
use comrak::Arena;
use comrak::nodes::NodeValue;
use headings::Role;
use std::collections::{HashMap, HashSet};

/// Parses the tracker at `path`.
pub(crate) fn parse_debt(path: &str, text: &str, html: Html<'_>) -> (DebtTracker, Vec<Diagnostic>) {
    let arena = Arena::new();
    let mut diags = Vec::new();
    let root = markdown::parse_file(&arena, text, path, &mut diags);
    let outline = Outline::new(root, u32::try_from(text.lines().count()).unwrap_or(u32::MAX));
    let lines: Vec<&str> = text.split('\n').collect();
    let roles = headings::roles(&outline.parts, &lines);
    let mut b =
        Builder { path, html, items: Vec::new(), extra: Vec::new(), by_id: HashMap::new(), diags, lines: &lines };
    b.blocks(None, false, &outline.preamble);
    for (i, part) in outline.parts.iter().enumerate() {
        match roles.role[i] {
            Role::Item => {
                let within: Vec<&Part<'_>> = roles.within(i).iter().filter_map(|&j| outline.parts.get(j)).collect();
                let group = roles.group(i).and_then(|g| outline.parts.get(g)).map(|g| g.title.clone());
                b.heading_item(part, &within, roles.resolved_under[i], group);
            }
            Role::Within(_) => {}
            Role::Group => b.blocks(Some(&part.title), roles.resolved(i), &part.blocks),
        }
    }
    let title = outline.h1.map(|(t, _)| t).unwrap_or_else(|| "Tech Debt Tracker".to_string());
    let html = crate::parse::doc::body_html(root, html);
    let items = b.take_items();
    (DebtTracker { path: path.to_string(), title, items, html }, b.diags)
}

/// Plain `Key: value` lines a debt item uses besides the common keys (`Status`, `Priority`,
/// `Owner`...): bold keys are read whatever they are.
const ITEM_KEYS: &[&str] = &[
    "resolved",
    "resolved on",
    "date resolved",
    "resolution",
    "plan",
    "plans",
    "exec plan",
    "impact",
    "severity",
    "area",
    "component",
    "category",
    "added",
    "discovered",
    "reported",
    "location",
    "files",
    "file",
    "type",
    "tags",
    "labels",
    "tracking",
    "risk",
    "cost",
    "notes",
];

/// Field keys that make a heading an item by themselves.
const ITEM_MARKERS: &[&str] = &["status", "state", "priority", "severity", "impact", "resolved", "resolved on"];

/// Column headers and keys an item's title is taken from, in column order.
const TITLE_KEYS: &[&str] = &["description", "title", "summary", "issue", "debt", "problem", "item", "name"];

/// Column headers that never hold an item's title.
const META_KEYS: &[&str] = &[
    "id",
    "td",
    "key",
    "#",
    "no",
    "number",
    "status",
    "state",
    "priority",
    "severity",
    "impact",
    "effort",
    "owner",
    "owners",
    "assignee",
    "date",
    "opened",
    "created",
    "added",
    "resolved",
    "closed",
    "updated",
    "last reviewed",
    "last updated",
    "due",
    "plan",
    "plans",
    "exec plan",
    "type",
    "estimate",
    "size",
    "link",
    "links",
    "pr",
];

/// The keys a resolution date is read from.
const RESOLVED_KEYS: &[&str] =
    &["resolved", "resolved on", "date resolved", "resolution date", "closed", "closed on", "fixed", "fixed on"];

/// A field line of a debt item: `- Status: open`, `**Priority**: P2`, `Resolved: 2026-03-02`.
fn item_field(line: &str) -> Option<fields::FieldLine> {
    fields::parse_line_with(line, ITEM_KEYS)
}

/// Whether a heading names a resolved group: `Resolved`, `Closed items`, `Paid down`, `Archive`.
fn names_resolved(title: &str) -> bool {
    crate::parse::markdown::normalize_title(title).split(' ').any(|w| {
        matches!(
            w,
            "resolved" | "closed" | "done" | "paid" | "fixed" | "completed" | "archive" | "archived" | "retired"
        )
    })
}

/// Headings about the tracker itself, not debt: never items, and their ID-less tables (a log of
/// reviews, a legend) are not read for items.
fn about_tracker(title: &str) -> bool {
    const NAMES: &[&str] = &[
        "overview",
        "introduction",
        "about",
        "legend",
        "key",
        "process",
        "template",
        "templates",
        "format",
        "fields",
        "columns",
        "schema",
        "conventions",
        "guidelines",
        "notes",
        "contributing",
        "priority levels",
        "priorities",
        "status values",
        "statuses",
        "status legend",
        "principles",
        "review cadence",
        "cadence",
        "scope",
        "goal",
        "goals",
        "summary",
        "definitions",
        "glossary",
        "background",
        "context",
        "risks",
        "exit criteria",
        "references",
        "categories",
        "changelog",
        "history",
    ];
    let t = crate::parse::markdown::normalize_title(title);
    NAMES.contains(&t.as_str())
        || t.starts_with("how ")
        || t.starts_with("when ")
        || t.split(' ').any(|w| matches!(w, "log" | "changelog" | "reviews"))
}

/// How a table holds debt items: its ID column, if any, and its title column.
struct Shape {
    id_col: Option<usize>,
    title_col: Option<usize>,
}

/// The shape of a tracker table; `None` for other tables (a legend of priorities).
fn shape(t: &Table<'_>) -> Option<Shape> {
    let n = t.header.len();
    let header_in =
        |i: usize, names: &[&str]| t.header.get(i).is_some_and(|h| names.contains(&normalize_key(h).as_str()));
    let holds_ids = |i: usize| {
        t.rows.iter().any(|(_, cells)| cells.get(i).is_some_and(|c| DebtId::parse(&plain_text(c)).is_some()))
    };
    let id_col = (0..n)
        .find(|&i| header_in(i, &["id", "item", "key", "td"]) && holds_ids(i))
        .or_else(|| (0..n).find(|&i| holds_ids(i)))
        .or_else(|| (0..n).find(|&i| header_in(i, &["id", "td", "key"])));
    let has_state = (1..n).any(|i| header_in(i, &["status", "state", "priority", "severity"]));
    if id_col.is_none() && !has_state {
        return None;
    }
    let texty = |i: usize| {
        t.rows.iter().any(|(_, cells)| cells.get(i).is_some_and(|c| plain_text(c).chars().any(char::is_alphabetic)))
    };
    let title_col = (0..n)
        .find(|&i| Some(i) != id_col && header_in(i, TITLE_KEYS))
        .or_else(|| (0..n).find(|&i| Some(i) != id_col && !header_in(i, META_KEYS) && texty(i)));
    Some(Shape { id_col, title_col })
}

/// The rows of a two-column table of an item's fields (`| Status | open |`), when one of its
/// keys marks an item.
fn key_value_rows<'a>(t: &Table<'a>) -> Option<Vec<(Node<'a>, Node<'a>)>> {
    if t.header.len() != 2 {
        return None;
    }
    let rows: Vec<(Node<'a>, Node<'a>)> =
        t.rows.iter().filter_map(|(_, cells)| Some((*cells.first()?, *cells.get(1)?))).collect();
    let key_of = |n: Node<'_>| normalize_key(plain_text(n).trim_end_matches(':'));
    // The header row may itself be a field (`| Status | open |` written as the first row).
    let marked =
        t.header.first().is_some_and(|h| ITEM_MARKERS.contains(&normalize_key(h.trim_end_matches(':')).as_str()))
            || rows.iter().any(|&(k, _)| ITEM_MARKERS.contains(&key_of(k).as_str()));
    marked.then_some(rows)
}

/// Whether a list holds debt items: checkboxes, or items starting with an ID.
fn list_has_items(node: Node<'_>) -> bool {
    let mut tasks = Vec::new();
    task_items(node, 0, &mut tasks);
    !tasks.is_empty() || node.children().any(|item| split_id(&own_text(item)).0.is_some())
}

struct Builder<'p> {
    path: &'p str,
    html: Html<'p>,
    items: Vec<DebtItem>,
    /// Per item, what only the parse needs.
    extra: Vec<Extra>,
    /// Index into `items` by ID, so a tracker of thousands of rows is read in linear time.
    by_id: HashMap<DebtId, usize>,
    diags: Vec<Diagnostic>,
    lines: &'p [&'p str],
}

/// What the parse keeps about an item until its anchor and title are final.
#[derive(Default)]
struct Extra {
    /// The heading text an ID-less heading item is anchored by (GitHub's anchor of the heading).
    heading: Option<String>,
    /// The first text column of its first row: its title when no row names one.
    fallback_title: Option<(String, String)>,
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
    extra: Extra,
}

impl Builder<'_> {
    fn blocks(&mut self, group: Option<&str>, resolved_group: bool, blocks: &[Node<'_>]) {
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
        let Some(shape) = shape(&t) else { return };
        if shape.id_col.is_none() && group.is_some_and(about_tracker) {
            return;
        }
        let mut seen_here = HashSet::new();
        for (row, cells) in &t.rows {
            let id_cell = shape.id_col.and_then(|c| cells.get(c));
            let id = id_cell.and_then(|c| DebtId::parse(&plain_text(c)));
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
            // The ID cell is a field only when it holds something other than a `TD-` ID.
            let fields: Vec<NamedValue> = cells
                .iter()
                .enumerate()
                .filter(|&(i, _)| Some(i) != shape.id_col || id.is_none())
                .map(|(i, c)| NamedValue {
                    name: t.header.get(i).cloned().unwrap_or_else(|| format!("Column {}", i + 1)),
                    text: plain_text(c),
                    html: self.html.inlines(c),
                })
                .collect();
            let fallback_title = shape
                .title_col
                .and_then(|c| cells.get(c))
                .map(|c| (plain_text(c), self.html.inlines(c)))
                .filter(|(t, _)| !t.is_empty());
            let struck = id_cell.is_some_and(|c| is_struck(c))
                || (id.is_none() && shape.title_col.and_then(|c| cells.get(c)).is_some_and(|c| is_struck(c)));
            let implied = (struck || resolved_group).then_some(DebtStatusKind::Resolved);
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
                extra: Extra { heading: None, fallback_title },
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
                extra: Extra::default(),
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
                    extra: Extra::default(),
                });
            }
        }
    }

    /// A list item's text after its `TD-NNN:` prefix, rendered.
    fn item_title_html(&self, item: Node<'_>, text: &str, title: &str) -> String {
        let para = item.first_child().filter(|p| matches!(p.data.borrow().value, NodeValue::Paragraph));
        para.map(|p| self.html.inlines_after(p, nonspace(text).saturating_sub(nonspace(title)))).unwrap_or_default()
    }

    /// An item written as a heading, with the sub-headings `within` it; `resolved_under` when a
    /// heading above it names a resolved group.
    fn heading_item<'a>(&mut self, part: &Part<'a>, within: &[&Part<'a>], resolved_under: bool, group: Option<String>) {
        let heading = part.heading;
        let full_title = plain_text(heading);
        let (id, title) = match crate::model::ids::parse_prefixed(part.title.trim(), "TD") {
            Some((n, len)) => (
                Some(DebtId(n)),
                part.title.trim().get(len..).unwrap_or_default().trim_start_matches([':', '—', '–', '-', ' ']),
            ),
            None => (None, part.title.trim()),
        };
        let mut fields = Vec::new();
        let mut description = Vec::new();
        let mut description_nodes = Vec::new();
        let own = part.blocks.iter().copied();
        let nested = within.iter().flat_map(|p| std::iter::once(p.heading).chain(p.blocks.iter().copied()));
        for block in own.chain(nested) {
            let may_hold_fields =
                matches!(block.data.borrow().value, NodeValue::Paragraph | NodeValue::List(_) | NodeValue::BlockQuote);
            let mut any_field = false;
            let t = table(block);
            if let Some(rows) = t.as_ref().and_then(key_value_rows) {
                // A header that is itself a field (`| Status | open |` on the first line).
                if let Some([key, value]) = t.as_ref().and_then(|t| <[String; 2]>::try_from(t.header.clone()).ok())
                    && ITEM_MARKERS.contains(&normalize_key(key.trim_end_matches(':')).as_str())
                {
                    let html = self.html.markdown_inline(&value);
                    fields.push(NamedValue { name: key.trim_end_matches(':').to_string(), text: value, html });
                }
                for (key, value) in rows {
                    let name = plain_text(key).trim_end_matches(':').to_string();
                    fields.push(NamedValue { name, text: plain_text(value), html: self.html.inlines(value) });
                }
                any_field = true;
            } else if may_hold_fields {
                let (a, b) = lines_of(block);
                for n in a..=b {
                    let line = n.checked_sub(1).and_then(|n| self.lines.get(n as usize));
                    if let Some(f) = line.and_then(|l| item_field(l)) {
                        let html = self.html.markdown_inline(&f.value);
                        fields.push(NamedValue { name: f.key, text: f.value, html });
                        any_field = true;
                    }
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
        let title = title.trim().trim_matches('~').trim().to_string();
        let title_html = self.html.inlines_after(heading, nonspace(&full_title).saturating_sub(nonspace(&title)));
        let struck =
            heading.children().next().is_some_and(|c| matches!(c.data.borrow().value, NodeValue::Strikethrough));
        let implied = (struck || resolved_under).then_some(DebtStatusKind::Resolved);
        let mut refs = Vec::new();
        crate::parse::refs::collect(heading, self.path, &mut refs);
        for &b in &part.blocks {
            crate::parse::refs::collect(b, self.path, &mut refs);
        }
        for p in within {
            crate::parse::refs::collect(p.heading, self.path, &mut refs);
            for &b in &p.blocks {
                crate::parse::refs::collect(b, self.path, &mut refs);
            }
        }
        self.upsert(Mention {
            refs,
            id,
            title: Some(title).filter(|t| !t.is_empty()),
            title_html,
            fields,
            implied,
            group,
            span: part.span,
            extra: Extra { heading: id.is_none().then_some(full_title), fallback_title: None },
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
                let extra = &mut self.extra[i];
                if extra.fallback_title.is_none() {
                    extra.fallback_title = m.extra.fallback_title;
                }
                i
            }
            None => {
                if let Some(id) = m.id {
                    self.by_id.insert(id, self.items.len());
                }
                self.items.push(DebtItem {
                    id: m.id,
                    anchor: m.id.map(DebtId::anchor).unwrap_or_default(),
                    title: m.title.unwrap_or_default(),
                    title_html: m.title_html,
                    status: DebtStatus { kind: DebtStatusKind::Other, raw: None },
                    priority: None,
                    resolved_on: None,
                    fields: m.fields,
                    group: m.group,
                    span: m.span,
                    refs: m.refs,
                });
                self.extra.push(m.extra);
                self.items.len() - 1
            }
        };
        let item = &mut self.items[index];
        finish(item, m.implied);
    }

    /// The items with their titles and anchors final.
    fn take_items(&mut self) -> Vec<DebtItem> {
        let mut items = std::mem::take(&mut self.items);
        let mut taken = slug::Taken::default();
        for item in &items {
            if item.id.is_some() {
                taken.insert(item.anchor.clone());
            }
        }
        for (item, extra) in items.iter_mut().zip(std::mem::take(&mut self.extra)) {
            if item.title.is_empty()
                && let Some((title, html)) = extra.fallback_title
            {
                (item.title, item.title_html) = (title, html);
            }
            if item.id.is_some() {
                continue;
            }
            let base = match &extra.heading {
                // A heading keeps GitHub's anchor, so links written for GitHub still land on it.
                Some(heading) => slug::slugify(heading),
                None => capped(slug::slugify(&item.title), MAX_ANCHOR),
            };
            let base = if base == "section" && !item.title.chars().any(char::is_alphanumeric) {
                "item".to_string()
            } else {
                base
            };
            item.anchor = slug::unique(base, &mut taken);
        }
        items
    }
}

/// The longest anchor made from a row's or checkbox's text, in characters.
const MAX_ANCHOR: usize = 64;

/// `slug` cut to at most `max` characters, at a `-` when one is in its second half.
fn capped(slug: String, max: usize) -> String {
    if slug.chars().count() <= max {
        return slug;
    }
    let cut: String = slug.chars().take(max).collect();
    // `rfind` gives the byte offset of an ASCII `-` in `cut`: a character boundary of `cut`.
    let cut = match cut.rfind('-') {
        Some(at) if cut.get(..at).is_some_and(|head| head.chars().count() >= max / 2) => {
            cut.get(..at).unwrap_or(&cut).to_string()
        }
        _ => cut,
    };
    cut.trim_end_matches('-').to_string()
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

/// A date written in `text`: the whole value (`March 3, 2026`) or an ISO date in it
/// (`yes (2026-03-02)`).
fn date_in(text: &str) -> Option<jiff::civil::Date> {
    match crate::parse::date::read(text) {
        crate::parse::date::DateText::Date(d) => Some(d),
        _ => crate::parse::date::find_any(text),
    }
}

/// Derives title, status, priority and resolution date from the fields gathered so far.
fn finish(item: &mut DebtItem, implied: Option<DebtStatusKind>) {
    let find = |names: &[&str]| {
        item.fields.iter().find(|f| names.contains(&normalize_key(&f.name).as_str()) && !f.text.trim().is_empty())
    };
    let get = |names: &[&str]| find(names).map(|f| f.text.clone());
    if item.title.is_empty()
        && let Some(f) = find(TITLE_KEYS)
    {
        (item.title, item.title_html) = (f.text.clone(), f.html.clone());
    }
    let resolved_field = get(RESOLVED_KEYS);
    let resolved_date = resolved_field.as_deref().and_then(date_in);
    // `Resolved: 2026-03-02` or `Resolved: yes` says it is resolved, like a struck row.
    let says_resolved = resolved_date.is_some()
        || resolved_field.as_deref().is_some_and(|v| {
            matches!(v.trim().to_lowercase().as_str(), "yes" | "y" | "true" | "✓" | "✔" | "✅")
                || debt_status(v) == DebtStatusKind::Resolved
        });
    let implied = if says_resolved { Some(DebtStatusKind::Resolved) } else { implied };
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
    item.resolved_on = match item.status.kind {
        DebtStatusKind::Resolved | DebtStatusKind::WontFix => {
            resolved_date.or_else(|| item.status.raw.as_deref().and_then(crate::parse::date::find_any))
        }
        _ => None,
    };
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
