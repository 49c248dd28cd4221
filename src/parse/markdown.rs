//! comrak setup and the document outline every parser works from.
//!
//! A file is parsed once into comrak's AST; `Outline` then groups its top-level blocks under their
//! headings (front matter, H1, preamble, nested parts). Headings inside code fences are code, not
//! headings, because comrak never parses them as headings.

use crate::diag::{Code, Diagnostic};
use crate::model::Span;
use crate::parse::nesting::{self, MAX_DEPTH};
use crate::parse::refs::malformed_id;
use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options};

/// A node of the AST.
pub(crate) type Node<'a> = &'a AstNode<'a>;

/// GFM plus the relaxed task lists the convention needs (`[~]`, `[!]` parse as task items, so
/// `[-]` does too and can be reported).
pub(crate) fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.tasklist = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.footnotes = true;
    o.extension.front_matter_delimiter = Some("---".to_string());
    o.parse.relaxed_tasklist_matching = true;
    o
}

/// The scheme of the links `parse` wraps around `EP-NNN` / `TD-NNN` in text
/// (`planbook-ref:EP-009`): the rewrite stage points them at the plan or debt item.
pub const REF_SCHEME: &str = "planbook-ref:";

/// What reading a file's Markdown found wrong, besides the convention.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    /// The first place where nesting was cut at `MAX_DEPTH`.
    pub too_deep: Option<Span>,
    /// `EP-`/`TD-` IDs whose number is too long (E034), with the text as written.
    pub malformed: Vec<(Span, String)>,
}

impl Findings {
    /// The findings as diagnostics for the file at `path`.
    pub fn report(self, path: &str, diags: &mut Vec<Diagnostic>) {
        if let Some(span) = self.too_deep {
            diags.push(
                Diagnostic::new(
                    Code::TooDeep,
                    path,
                    Some(span),
                    format!("this nests deeper than {MAX_DEPTH} levels (block quotes, lists, emphasis or links)"),
                )
                .label("nested too deep")
                .help("what lies deeper is read as plain text; the rest of the file was read"),
            );
        }
        for (span, id) in self.malformed {
            diags.push(malformed_id(path, span, &id));
        }
    }
}

/// Parses `text` into `arena`, then marks references in the AST: backticked repository paths to
/// Markdown files (`` `docs/harness/exec-plans/active/001-y.md` ``) become links around their code
/// span, bare paths to plan files in text (`See docs/harness/exec-plans/active/001-y.md`, never in
/// code or inside a link) become links around their text, and `EP-NNN` / `TD-NNN` in text (never
/// in code or inside a link) become `planbook-ref:` links. References are then links like any other, for the reference graph and for the site.
/// Nesting deeper than `MAX_DEPTH` is flattened to text (see `parse_file` for the diagnostics).
pub(crate) fn parse<'a>(arena: &'a Arena<'a>, text: &str) -> Node<'a> {
    parse_with_findings(arena, text).0
}

/// Like `parse`, reporting what reading the Markdown found (nesting cut, malformed IDs) for the
/// file at `path` into `diags`.
pub(crate) fn parse_file<'a>(arena: &'a Arena<'a>, text: &str, path: &str, diags: &mut Vec<Diagnostic>) -> Node<'a> {
    let (root, findings) = parse_with_findings(arena, text);
    findings.report(path, diags);
    root
}

fn parse_with_findings<'a>(arena: &'a Arena<'a>, text: &str) -> (Node<'a>, Findings) {
    let root = comrak::parse_document(arena, text, &options());
    // First, so that every later walk (here and in the readers) is bounded in depth.
    let too_deep = nesting::cut(arena, root);
    link_code_paths(arena, root);
    link_bare_paths(arena, root);
    let malformed = link_ids(arena, root);
    (root, Findings { too_deep, malformed })
}

/// A new node with `value` at `pos`.
pub(crate) fn new_node<'a>(arena: &'a Arena<'a>, value: NodeValue, pos: comrak::nodes::Sourcepos) -> Node<'a> {
    arena
        .alloc(comrak::nodes::AstNode::new(std::cell::RefCell::new(comrak::nodes::Ast::new_with_sourcepos(value, pos))))
}

/// Marks `EP-NNN` / `TD-NNN` in text as links; returns the malformed ones (numbers too long).
fn link_ids<'a>(arena: &'a Arena<'a>, root: Node<'a>) -> Vec<(Span, String)> {
    let texts: Vec<Node<'a>> = root
        .descendants()
        .filter(|n| match &n.data.borrow().value {
            NodeValue::Text(t) => t.contains("EP-") || t.contains("TD-"),
            _ => false,
        })
        .filter(|n| {
            !n.ancestors().skip(1).any(|a| matches!(a.data.borrow().value, NodeValue::Link(_) | NodeValue::Image(_)))
        })
        .collect();
    let mut malformed = Vec::new();
    for node in texts {
        let (text, pos) = {
            let ast = node.data.borrow();
            let NodeValue::Text(t) = &ast.value else { continue };
            (t.to_string(), ast.sourcepos)
        };
        let at_col = |offset: usize| {
            let mut p = pos;
            p.start.column += offset;
            p.end = p.start;
            p
        };
        let mut ids: Vec<(usize, usize)> = Vec::new();
        for prefix in ["EP", "TD"] {
            for m in crate::model::ids::scan(&text, prefix) {
                match m.number {
                    Some(_) => ids.push((m.at, m.len)),
                    None => {
                        let p = at_col(m.at).start;
                        let span = Span { line: p.line as u32, col: p.column.max(1) as u32, len: m.len as u32 };
                        malformed.push((span, text.get(m.at..m.at + m.len).unwrap_or_default().to_string()));
                    }
                }
            }
        }
        if ids.is_empty() {
            continue;
        }
        ids.sort();
        // Offsets come from `scan` on this same text and IDs are ASCII: every cut below is on a
        // character boundary; `get` keeps it so even if that changed.
        let piece = |a: usize, b: usize| text.get(a..b).unwrap_or_default().to_string();
        let mut last = 0;
        for (at, len) in ids {
            if at > last {
                node.insert_before(new_node(arena, NodeValue::Text(piece(last, at).into()), at_col(last)));
            }
            let id = piece(at, at + len);
            let url = format!("{REF_SCHEME}{id}");
            let mut span = at_col(at);
            span.end.column += len.saturating_sub(1);
            let link =
                new_node(arena, NodeValue::Link(Box::new(comrak::nodes::NodeLink { url, title: String::new() })), span);
            link.append(new_node(arena, NodeValue::Text(id.into()), span));
            node.insert_before(link);
            last = at + len;
        }
        if last < text.len() {
            node.insert_before(new_node(arena, NodeValue::Text(piece(last, text.len()).into()), at_col(last)));
        }
        node.detach();
    }
    malformed
}

/// Wraps bare paths to plan files in text (`refs::bare_paths`) in links to the path, from the
/// root: the reference graph and the site then treat them as links.
fn link_bare_paths<'a>(arena: &'a Arena<'a>, root: Node<'a>) {
    let texts: Vec<Node<'a>> = root
        .descendants()
        .filter(|n| match &n.data.borrow().value {
            NodeValue::Text(t) => t.contains("exec-plans/"),
            _ => false,
        })
        .filter(|n| {
            !n.ancestors().skip(1).any(|a| matches!(a.data.borrow().value, NodeValue::Link(_) | NodeValue::Image(_)))
        })
        .collect();
    for node in texts {
        let (text, pos) = {
            let ast = node.data.borrow();
            let NodeValue::Text(t) = &ast.value else { continue };
            (t.to_string(), ast.sourcepos)
        };
        let paths = crate::parse::refs::bare_paths(&text);
        if paths.is_empty() {
            continue;
        }
        let at_col = |offset: usize| {
            let mut p = pos;
            p.start.column += offset;
            p.end = p.start;
            p
        };
        // Offsets and lengths come from `bare_paths` on this same text (character boundaries).
        let piece = |a: usize, b: usize| text.get(a..b).unwrap_or_default().to_string();
        let mut last = 0;
        for (at, len, path) in paths {
            if at > last {
                node.insert_before(new_node(arena, NodeValue::Text(piece(last, at).into()), at_col(last)));
            }
            let url = match path.split_once('#') {
                Some((p, f)) => format!("/{}#{f}", crate::href::encode_path(p)),
                None => format!("/{}", crate::href::encode_path(&path)),
            };
            let mut span = at_col(at);
            span.end.column += len.saturating_sub(1);
            let link =
                new_node(arena, NodeValue::Link(Box::new(comrak::nodes::NodeLink { url, title: String::new() })), span);
            link.append(new_node(arena, NodeValue::Text(piece(at, at + len).into()), span));
            node.insert_before(link);
            last = at + len;
        }
        if last < text.len() {
            node.insert_before(new_node(arena, NodeValue::Text(piece(last, text.len()).into()), at_col(last)));
        }
        node.detach();
    }
}

fn link_code_paths<'a>(arena: &'a Arena<'a>, root: Node<'a>) {
    let codes: Vec<Node<'a>> = root
        .descendants()
        .filter(|n| match &n.data.borrow().value {
            NodeValue::Code(c) => is_repo_path(&c.literal),
            _ => false,
        })
        .filter(|n| !n.ancestors().skip(1).any(|a| matches!(a.data.borrow().value, NodeValue::Link(_))))
        .collect();
    for code in codes {
        let (literal, pos) = {
            let ast = code.data.borrow();
            let NodeValue::Code(c) = &ast.value else { continue };
            (c.literal.trim().trim_start_matches("./").to_string(), ast.sourcepos)
        };
        let link =
            NodeValue::Link(Box::new(comrak::nodes::NodeLink { url: format!("/{literal}"), title: String::new() }));
        let node = new_node(arena, link, pos);
        code.insert_before(node);
        code.detach();
        node.append(code);
    }
}

/// A code span that names a Markdown file of the repository by path: `docs/x/y.md`, not a
/// pattern (`exec-plans/{active,completed}/NNN-name.md`), a URL or a command.
fn is_repo_path(literal: &str) -> bool {
    let l = literal.trim();
    let path = l.split('#').next().unwrap_or(l);
    let placeholder = l.contains(['{', '}', '*', '<', '>', '[', ']', '|', '$']) || l.contains("NNN");
    l.contains('/')
        && !l.contains(char::is_whitespace)
        && !l.contains("://")
        && !l.starts_with("../")
        && !placeholder
        && path.to_ascii_lowercase().ends_with(".md")
}

/// The span of a node's first line: from its start to its end (or the end of that line).
pub(crate) fn span_of(node: Node<'_>) -> Span {
    let pos = node.data.borrow().sourcepos;
    let len = if pos.end.line == pos.start.line && pos.end.column >= pos.start.column {
        pos.end.column - pos.start.column + 1
    } else {
        0
    };
    Span { line: pos.start.line as u32, col: pos.start.column.max(1) as u32, len: len as u32 }
}

/// First and last line of a node.
pub(crate) fn lines_of(node: Node<'_>) -> (u32, u32) {
    let pos = node.data.borrow().sourcepos;
    (pos.start.line as u32, pos.end.line.max(pos.start.line) as u32)
}

/// The heading level of a heading node.
pub(crate) fn heading_level(node: Node<'_>) -> Option<u8> {
    match &node.data.borrow().value {
        NodeValue::Heading(h) => Some(h.level),
        _ => None,
    }
}

/// The text of a node and its descendants as one line: markup dropped, code spans kept, blocks
/// separated by a space, whitespace collapsed.
pub(crate) fn plain_text(node: Node<'_>) -> String {
    let mut out = Collapsed::default();
    collect_text(node, &mut out);
    out.0
}

/// Like `plain_text`, but skipping nested lists: an item's own text.
pub(crate) fn own_text(item: Node<'_>) -> String {
    let mut out = Collapsed::default();
    for child in item.children() {
        if !matches!(child.data.borrow().value, NodeValue::List(_)) {
            collect_text(child, &mut out);
            out.space();
        }
    }
    out.0
}

/// A string that collapses whitespace runs to one space as it is written (no leading or
/// trailing space), so text is copied once.
#[derive(Default)]
pub(crate) struct Collapsed(pub String, bool);

impl Collapsed {
    /// Appends `s`, collapsing whitespace.
    pub fn push(&mut self, s: &str) {
        if s.is_ascii() {
            // Byte-level fast path for the common case.
            if s.starts_with(|c: char| c.is_ascii_whitespace()) {
                self.1 = true;
            }
            for word in s.split_ascii_whitespace() {
                self.word(word);
                self.1 = true;
            }
            self.1 = s.ends_with(|c: char| c.is_ascii_whitespace()) || (self.1 && s.is_empty());
            return;
        }
        // Copy whole words at a time; `split` handles Unicode whitespace too.
        let mut words = s.split(char::is_whitespace);
        if let Some(first) = words.next() {
            self.word(first);
        }
        for word in words {
            self.1 = true;
            self.word(word);
        }
    }

    fn word(&mut self, word: &str) {
        if word.is_empty() {
            return;
        }
        if self.1 && !self.0.is_empty() {
            self.0.push(' ');
        }
        self.1 = false;
        self.0.push_str(word);
    }

    /// Separates what comes next by a space (unless nothing does).
    pub fn space(&mut self) {
        self.1 = true;
    }
}

fn collect_text(node: Node<'_>, out: &mut Collapsed) {
    match &node.data.borrow().value {
        NodeValue::Text(t) => out.push(t),
        NodeValue::Code(c) => out.push(&c.literal),
        NodeValue::CodeBlock(c) => {
            out.space();
            out.push(&c.literal);
            out.space();
        }
        NodeValue::SoftBreak | NodeValue::LineBreak => out.space(),
        NodeValue::HtmlInline(_) | NodeValue::HtmlBlock(_) | NodeValue::FrontMatter(_) => {}
        NodeValue::Math(m) => out.push(&m.literal),
        NodeValue::Paragraph
        | NodeValue::Heading(_)
        | NodeValue::Item(_)
        | NodeValue::TaskItem(_)
        | NodeValue::TableCell
        | NodeValue::TableRow(_)
        | NodeValue::BlockQuote => {
            out.space();
            for c in node.children() {
                collect_text(c, out);
            }
            out.space();
        }
        _ => {
            for c in node.children() {
                collect_text(c, out);
            }
        }
    }
}

/// `s` with whitespace runs collapsed to single spaces and trimmed.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    let mut out = Collapsed::default();
    out.push(s);
    out.0
}

/// A heading and the blocks up to the next heading.
pub(crate) struct Part<'a> {
    /// The heading text.
    pub title: String,
    /// Heading level.
    pub level: u8,
    /// The heading's span.
    pub span: Span,
    /// The heading node.
    pub heading: Node<'a>,
    /// Blocks between this heading and the next heading of any level.
    pub blocks: Vec<Node<'a>>,
    /// Index of the enclosing part (the nearest earlier part with a lower level).
    pub parent: Option<usize>,
    /// Last line before the next heading of the same or a higher level.
    pub end_line: u32,
}

/// A document grouped by headings.
pub(crate) struct Outline<'a> {
    /// Front matter YAML (without fences) and the document line of its first line.
    pub front_matter: Option<(String, u32)>,
    /// The first H1's text and span.
    pub h1: Option<(String, Span)>,
    /// Blocks before the first heading after the H1.
    pub preamble: Vec<Node<'a>>,
    /// Every other heading with its blocks.
    pub parts: Vec<Part<'a>>,
}

impl<'a> Outline<'a> {
    /// Groups the top-level blocks of `root`.
    pub fn new(root: Node<'a>, line_count: u32) -> Outline<'a> {
        let mut outline = Outline { front_matter: None, h1: None, preamble: Vec::new(), parts: Vec::new() };
        // The latest part of each heading level (1-6): a part's parent is the latest part of a
        // lower level, found without searching every earlier part.
        let mut latest: [Option<usize>; 7] = [None; 7];
        for node in root.children() {
            if let NodeValue::FrontMatter(fm) = &node.data.borrow().value {
                outline.front_matter = Some((strip_fences(fm), lines_of(node).0 + 1));
                continue;
            }
            match heading_level(node) {
                Some(1) if outline.h1.is_none() && outline.parts.is_empty() => {
                    outline.h1 = Some((plain_text(node), span_of(node)));
                }
                Some(level) => {
                    let lower = latest.get(..usize::from(level).min(latest.len())).unwrap_or_default();
                    let parent = lower.iter().flatten().max().copied();
                    if let Some(slot) = latest.get_mut(usize::from(level)) {
                        *slot = Some(outline.parts.len());
                    }
                    outline.parts.push(Part {
                        title: plain_text(node),
                        level,
                        span: span_of(node),
                        heading: node,
                        blocks: Vec::new(),
                        parent,
                        end_line: line_count,
                    });
                }
                None => match outline.parts.last_mut() {
                    Some(part) => part.blocks.push(node),
                    None => outline.preamble.push(node),
                },
            }
        }
        // Each part ends before the next heading of its level or a higher one: walking backwards,
        // the nearest such heading per level is known (six levels), so this is linear.
        let mut next_at_or_above: [Option<u32>; 7] = [None; 7];
        for part in outline.parts.iter_mut().rev() {
            let level = usize::from(part.level).min(6);
            if let Some(line) = next_at_or_above[level] {
                part.end_line = line.saturating_sub(1);
            }
            for slot in next_at_or_above.iter_mut().skip(level) {
                *slot = Some(part.span.line);
            }
        }
        outline
    }
}

fn strip_fences(fm: &str) -> String {
    let mut lines: Vec<&str> = fm.lines().collect();
    if lines.first().is_some_and(|l| l.trim() == "---") {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    if lines.last().is_some_and(|l| matches!(l.trim(), "---" | "...")) {
        lines.pop();
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}

/// Every task item under `node` (lists nested in lists included), with its depth. Recursive:
/// `parse` cut the tree at `MAX_DEPTH` levels.
pub(crate) fn task_items<'a>(node: Node<'a>, depth: u8, out: &mut Vec<(Node<'a>, u8)>) {
    for child in node.children() {
        let value = &child.data.borrow().value;
        match value {
            NodeValue::TaskItem(_) => {
                out.push((child, depth));
                task_items(child, depth.saturating_add(1), out);
            }
            NodeValue::Item(_) => task_items(child, depth.saturating_add(1), out),
            NodeValue::List(_) | NodeValue::BlockQuote => task_items(child, depth, out),
            _ => {}
        }
    }
}

/// The marker character of a task item (`None` for `[ ]`) and the marker's span (`[x]`).
pub(crate) fn task_symbol(item: Node<'_>) -> Option<(Option<char>, Span)> {
    match &item.data.borrow().value {
        NodeValue::TaskItem(t) => {
            let p = t.symbol_sourcepos.start;
            let col = (p.column as u32).saturating_sub(1).max(1);
            Some((t.symbol, Span { line: p.line as u32, col, len: 3 }))
        }
        _ => None,
    }
}

/// A table's header cells and body rows as plain text, with each row's node.
pub(crate) struct Table<'a> {
    pub header: Vec<String>,
    pub rows: Vec<(Node<'a>, Vec<Node<'a>>)>,
}

/// Reads a table node.
pub(crate) fn table<'a>(node: Node<'a>) -> Option<Table<'a>> {
    if !matches!(node.data.borrow().value, NodeValue::Table(_)) {
        return None;
    }
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for row in node.children() {
        let is_header = matches!(row.data.borrow().value, NodeValue::TableRow(true));
        let cells: Vec<Node<'a>> = row.children().collect();
        if is_header {
            header = cells.iter().map(|c| plain_text(c)).collect();
        } else {
            rows.push((row, cells));
        }
    }
    Some(Table { header, rows })
}

/// Whether a table cell's content is entirely struck through (`~~TD-001~~`).
pub(crate) fn is_struck(cell: Node<'_>) -> bool {
    let mut children = cell.children().filter(|c| match &c.data.borrow().value {
        NodeValue::Text(t) => !t.trim().is_empty(),
        _ => true,
    });
    let first = children.next();
    first.is_some_and(|c| matches!(c.data.borrow().value, NodeValue::Strikethrough)) && children.next().is_none()
}

/// Whether any node of the subtree is a list item with no content (a bare `-`).
pub(crate) fn is_empty_item(item: Node<'_>) -> bool {
    item.children().next().is_none() || own_text(item).trim_matches(|c: char| c == '-' || c.is_whitespace()).is_empty()
}

/// A normalised heading for matching: lower case, numbering and punctuation stripped.
pub(crate) fn normalize_title(title: &str) -> String {
    let t = title.trim();
    // "1. Goal", "2) Context", "A. Steps"
    let t = match t.split_once(['.', ')']) {
        Some((num, rest)) if !num.is_empty() && num.len() <= 3 && num.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => t,
    };
    let cleaned: String = t
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '\'' || c == '’' { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    collapse_whitespace(&cleaned.replace('’', "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_groups_blocks_and_ignores_fenced_headings() {
        let text = "---\nid: 1\n---\n# EP-001: T\n\n**Status**: active\n\n## Steps\n\n```md\n## Not a heading\n```\n\n### Step 1: x\n\n## Decision Log\n- 2026-01-01: y\n";
        let arena = Arena::new();
        let root = parse(&arena, text);
        let o = Outline::new(root, text.lines().count() as u32);
        assert_eq!(o.front_matter.as_ref().map(|(t, l)| (t.as_str(), *l)), Some(("id: 1\n", 2)));
        assert_eq!(o.h1.as_ref().map(|(t, s)| (t.as_str(), s.line)), Some(("EP-001: T", 4)));
        assert_eq!(o.preamble.len(), 1);
        let titles: Vec<_> = o.parts.iter().map(|p| (p.title.as_str(), p.level, p.parent)).collect();
        assert_eq!(titles, vec![("Steps", 2, None), ("Step 1: x", 3, Some(0)), ("Decision Log", 2, None)]);
        assert_eq!(o.parts[0].end_line, 15);
    }

    #[test]
    fn plain_text_collapses_whitespace_across_inlines() {
        let arena = Arena::new();
        let root = parse(&arena, "a **b**c `x  y`\nd\u{a0} é  f\n\n- [ ] item\n  - nested\n");
        let para = root.first_child().unwrap();
        assert_eq!(plain_text(para), "a bc x y d é f");
        let item = root.last_child().unwrap().first_child().unwrap();
        assert_eq!((plain_text(item), own_text(item)), ("item nested".to_string(), "item".to_string()));
        assert_eq!(collapse_whitespace("  a \t b  "), "a b");
    }

    #[test]
    fn normalizes_titles() {
        assert_eq!(normalize_title("1. Decision Log:"), "decision log");
        assert_eq!(normalize_title("What didn’t go well"), "what didn't go well");
        assert_eq!(normalize_title("Exit Criteria"), "exit criteria");
    }
}
