//! References in a Markdown AST and in plain text files.
//!
//! In Markdown: `EP-NNN` / `TD-NNN` in text (bare, bold, as link text; never in code), links to
//! `.md` files (resolved against the file they are in), and backticked or bare repository paths
//! (`` `docs/harness/exec-plans/active/001-y.md` ``, `See docs/harness/exec-plans/active/001-y.md`,
//! which the parser wraps in links; never in fenced code). In front matter relations: IDs and
//! plan file names (`depends-on: 0032-some-plan`). In other text files (source code in any
//! language): `EP-NNN` / `TD-NNN` and bare plan paths anywhere on a line, with the line kept for
//! context. The text right before a reference names its relation ("resolves TD-004").

use crate::diag::{Code, Diagnostic};
use crate::model::ids::{find_all, scan};
use crate::model::{DebtId, FileMentions, PlanNumber, RefTarget, Reference, Relation, Span};
use crate::parse::markdown::{Node, plain_text};
use comrak::nodes::NodeValue;

/// Every reference under `node` (and `node` itself), written in the file at `from`.
pub(crate) fn collect(node: Node<'_>, from: &str, out: &mut Vec<Reference>) {
    let (span, kind) = {
        let ast = node.data.borrow();
        let pos = ast.sourcepos;
        let span = Span { line: to_u32(pos.start.line), col: to_u32(pos.start.column), len: 0 };
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
            // The text before the node is the same for every reference in it: read it once.
            let mut before_node: Option<String> = None;
            for (prefix, make) in [("EP", plan as fn(u32) -> RefTarget), ("TD", debt)] {
                for (n, at) in find_all(&text, prefix) {
                    // `at` comes from `find_all` on this text: a character boundary.
                    let head = text.get(..at).unwrap_or_default();
                    let relation = if head.trim_end().chars().nth(32).is_some() {
                        Relation::before(head)
                    } else {
                        let node_text = before_node.get_or_insert_with(|| preceding(node));
                        Relation::before(&format!("{node_text}{head}"))
                    };
                    let len = id_len(text.get(at..).unwrap_or_default());
                    out.push(Reference {
                        target: make(n),
                        relation,
                        span: Span { line: span.line, col: span.col.saturating_add(to_u32(at)), len: to_u32(len) },
                    });
                }
            }
        }
        Kind::Link(url) if url.starts_with(crate::parse::markdown::REF_SCHEME) => {
            // `EP-NNN` / `TD-NNN` the parser marked as a link.
            let id = url.strip_prefix(crate::parse::markdown::REF_SCHEME).unwrap_or_default();
            let target = match (crate::model::PlanNumber::parse(id), DebtId::parse(id)) {
                (Some(n), _) => Some(RefTarget::Plan(n)),
                (_, Some(d)) => Some(RefTarget::Debt(d)),
                _ => None,
            };
            if let Some(target) = target {
                let relation = Relation::before(&preceding(node));
                out.push(Reference { target, relation, span: Span { len: to_u32(id.len()), ..span } });
            }
        }
        Kind::Link(url) => {
            if let Some(path) = crate::href::resolve(from, &url).filter(|p| is_markdown_path(p)) {
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

/// References written in front matter: keys naming a relation (`depends-on: [EP-002]`), and
/// plans named by file name in the relations between plans (`depends-on: 0032-some-plan`).
pub(crate) fn from_fields(fields: &[crate::model::Field], out: &mut Vec<Reference>) {
    for f in fields {
        let Some(relation) = Relation::from_key(&f.key) else { continue };
        for (prefix, make) in [("EP", plan as fn(u32) -> RefTarget), ("TD", debt)] {
            for (n, _) in find_all(&f.value.to_ascii_uppercase(), prefix) {
                out.push(Reference { target: make(n), relation: Some(relation), span: f.span });
            }
        }
        // `resolves:` and `debt:` name debt items; a word there may be anything.
        if relation == Relation::Resolves {
            continue;
        }
        for name in f.value.split(',').filter_map(plan_name) {
            out.push(Reference { target: RefTarget::Name(name.to_string()), relation: Some(relation), span: f.span });
        }
    }
}

/// A list item of a front matter relation that names a plan file: `0032-some-plan`,
/// `some-plan`, `0032-some-plan.md`, `../completed/0032-some-plan.md`. Not an ID (read as
/// one), a word alone (`none`, `tbd`), a number alone, a URL or a phrase.
fn plan_name(item: &str) -> Option<&str> {
    let item = item.trim().trim_matches(['[', ']', '"', '\'', '`']).trim();
    let upper = item.to_ascii_uppercase();
    if item.is_empty() || item.contains(char::is_whitespace) || item.contains("://") {
        return None;
    }
    if upper.contains("EP-") || upper.contains("TD-") {
        return None;
    }
    let file = item.rsplit('/').next().unwrap_or(item);
    let is_md = file.to_ascii_lowercase().ends_with(".md");
    let stem = if is_md { file.get(..file.len() - 3).unwrap_or(file) } else { file };
    let word = stem.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let has_name = stem.chars().any(char::is_alphabetic);
    (word && has_name && (is_md || stem.contains(['-', '_']))).then_some(item)
}

/// Bare paths to plan files in `text`: `docs/harness/exec-plans/active/009-gc.md`,
/// `./docs/...`, `exec-plans/completed/003-x.md` (written from the harness folder), with an
/// optional `#fragment`; sentence punctuation after one is not part of it. Not patterns
/// (`exec-plans/{active,completed}/NNN-x.md`), URLs, or paths climbing with `..`. Returns (byte
/// offset, length as written, the root-relative path with its fragment), in text order. Linear.
pub(crate) fn bare_paths(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    if !text.contains("exec-plans/") {
        return out;
    }
    let delimits =
        |c: char| c.is_whitespace() || matches!(c, '(' | ')' | '"' | '\'' | '`' | '<' | '>' | '“' | '”' | '‘' | '’');
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if !delimits(c) {
            start = start.or(Some(i));
            continue;
        }
        // `s` and `i` come from `char_indices` of `text`: character boundaries.
        if let Some(s) = start.take()
            && let Some((len, path)) = text.get(s..i).and_then(bare_path)
        {
            out.push((s, len, path));
        }
    }
    out
}

/// One token of `bare_paths`: (its length without trailing punctuation, the path).
fn bare_path(token: &str) -> Option<(usize, String)> {
    if !token.contains("exec-plans/") {
        return None;
    }
    let written = token.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    let (path, fragment) = match written.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (written, None),
    };
    if fragment.is_some_and(|f| f.is_empty() || !f.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))) {
        return None;
    }
    let path = path.strip_prefix("./").unwrap_or(path);
    let path = path.strip_prefix('/').unwrap_or(path);
    let pattern = path.contains(['{', '}', '[', ']', '*', '|', '$', '\\', '?', '%']) || path.contains("NNN");
    if pattern || path.contains("://") || !path.to_ascii_lowercase().ends_with(".md") {
        return None;
    }
    let segments: Vec<&str> = path.split('/').collect();
    if segments.iter().any(|s| s.is_empty() || *s == "." || *s == "..") {
        return None;
    }
    let at = segments.iter().position(|s| *s == "exec-plans")?;
    // `exec-plans/<folder>/<file>.md`, and no host name in front (`example.com/docs/...`).
    if segments.len() < at + 3 || (at > 0 && segments[0].contains('.')) {
        return None;
    }
    let mut root_relative = path.to_string();
    if let Some(f) = fragment {
        root_relative.push('#');
        root_relative.push_str(f);
    }
    Some((written.len(), root_relative))
}

/// E034 for an `EP-`/`TD-` ID at `span` whose number is too long to name anything.
pub(crate) fn malformed_id(path: &str, span: Span, written: &str) -> Diagnostic {
    let shown: String = written.chars().take(16).collect();
    let ellipsis = if shown.len() < written.len() { "…" } else { "" };
    Diagnostic::new(
        Code::MalformedId,
        path,
        Some(span),
        format!(
            "`{shown}{ellipsis}` has {} digits: plan and debt numbers have at most {}",
            written.len().saturating_sub(3),
            crate::model::ids::MAX_DIGITS
        ),
    )
    .label("not a plan or debt item")
    .help("write the number with at most six digits (`EP-042`), or put the text in backticks")
}

/// E034 for every `EP-`/`TD-` with an overlong number in front matter relation keys.
pub(crate) fn malformed_in_fields(path: &str, fields: &[crate::model::Field], diags: &mut Vec<Diagnostic>) {
    for f in fields.iter().filter(|f| Relation::from_key(&f.key).is_some()) {
        let upper = f.value.to_ascii_uppercase();
        for prefix in ["EP", "TD"] {
            for m in scan(&upper, prefix).into_iter().filter(|m| m.number.is_none()) {
                let written = upper.get(m.at..m.at + m.len).unwrap_or_default();
                diags.push(malformed_id(path, f.span, written));
            }
        }
    }
}

/// References in a plain text file: `EP-NNN` / `TD-NNN` and bare plan paths anywhere, with
/// their lines, in file order; IDs whose number is too long are reported into `diags` (E034).
pub(crate) fn scan_text(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> FileMentions {
    let mut mentions = FileMentions { path: path.to_string(), refs: Vec::new(), lines: Vec::new() };
    for (i, line) in text.lines().enumerate() {
        if !(line.contains("EP-") || line.contains("TD-") || line.contains("exec-plans/")) {
            continue;
        }
        let line_no = to_u32(i + 1);
        let mut found: Vec<(usize, RefTarget, usize)> = Vec::new();
        for (prefix, make) in [("EP", plan as fn(u32) -> RefTarget), ("TD", debt)] {
            for m in scan(line, prefix) {
                let span = Span { line: line_no, col: to_u32(m.at + 1), len: to_u32(m.len) };
                match m.number {
                    Some(n) => found.push((m.at, make(n), id_len(line.get(m.at..).unwrap_or_default()))),
                    None => diags.push(malformed_id(path, span, line.get(m.at..m.at + m.len).unwrap_or_default())),
                }
            }
        }
        for (at, len, path) in bare_paths(line) {
            found.push((at, RefTarget::Path(path), len));
        }
        // In line order, so references are sorted by position (backlinks look them up so).
        found.sort_by_key(|f| f.0);
        let shown: String = line.trim().chars().take(160).collect();
        for (at, target, len) in found {
            mentions.refs.push(Reference {
                target,
                relation: Relation::before(line.get(..at).unwrap_or_default()),
                span: Span { line: line_no, col: to_u32(at + 1), len: to_u32(len) },
            });
            mentions.lines.push(shown.clone());
        }
    }
    mentions
}

/// The length of the reference at the start of `text`: up to the first character that is not
/// alphanumeric or `-` (`EP-012` in `EP-012:`).
fn id_len(text: &str) -> usize {
    text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(text.len())
}

/// Positions are `u32` in the model; a file over 4 GiB is refused long before.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
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
    fn bare_plan_paths_in_prose_and_inline_code_but_not_fenced_code() {
        let md = "See docs/harness/exec-plans/active/001-y.md. Then ./exec-plans/completed/002-z.md#steps, \
                  and `exec-plans/active/003-w.md`.\n\n```\ndocs/harness/exec-plans/active/004-v.md\n```\n\n\
                  [docs/harness/exec-plans/active/005-u.md](../x.md)\n";
        let got: Vec<_> = refs(md).into_iter().map(|r| (r.0, r.2, r.3)).collect();
        let path = |p: &str| RefTarget::Path(p.into());
        assert_eq!(
            got,
            [
                (path("docs/harness/exec-plans/active/001-y.md"), 1, 5),
                (path("exec-plans/completed/002-z.md#steps"), 1, 51),
                (path("exec-plans/active/003-w.md"), 1, 94),
                (path("docs/harness/exec-plans/x.md"), 7, 1),
            ],
            "the written link counts, not its text"
        );
    }

    #[test]
    fn bare_paths_are_paths_not_patterns_urls_or_climbs() {
        let found = bare_paths;
        assert_eq!(
            found("(docs/harness/exec-plans/active/0032-x.md), \"exec-plans/a/b.md\"; é exec-plans/done/c.MD!"),
            [
                (1, 40, "docs/harness/exec-plans/active/0032-x.md".to_string()),
                (45, 17, "exec-plans/a/b.md".to_string()),
                (68, 20, "exec-plans/done/c.MD".to_string()),
            ]
        );
        for not_one in [
            "docs/harness/exec-plans/{active,completed}/NNN-name.md",
            "docs/harness/exec-plans/active/NNN-description.md",
            "docs/harness/exec-plans/*/x.md",
            "https://example.com/docs/harness/exec-plans/active/001-x.md",
            "example.com/docs/harness/exec-plans/active/001-x.md",
            "docs/harness/exec-plans/../secrets/x.md",
            "../exec-plans/active/001-x.md/..",
            "docs/harness/exec-plans/001-x.md",
            "docs/harness/exec-plans/active/001-x.txt",
            "docs/harness/exec-plans/active/001-x.md#",
            "docs/harness/exec-plans/active/001-x.md#a:b",
            "docs/harness/exec-plans/active/",
            "exec-plansX/active/001-x.md",
        ] {
            assert!(found(not_one).is_empty(), "{not_one}: {:?}", found(not_one));
        }
        let long = format!("{} docs/harness/exec-plans/active/1-a.md", "exec-plans/ ".repeat(100_000));
        let start = std::time::Instant::now();
        assert_eq!(found(&long).len(), 1);
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }

    #[test]
    fn source_files_name_plans_by_path() {
        let m = scan_text(
            "scripts/ship.sh",
            "#!/bin/sh\n# Runbook: docs/harness/exec-plans/active/0007-ship.md (EP-7)\necho exec-plans/\n",
            &mut Vec::new(),
        );
        let got: Vec<_> = m.refs.iter().map(|r| (r.target.clone(), r.span.line, r.span.col, r.span.len)).collect();
        assert_eq!(
            got,
            [(RefTarget::Path("docs/harness/exec-plans/active/0007-ship.md".into()), 2, 12, 43), (plan(7), 2, 57, 4)]
        );
        assert_eq!(m.lines, ["# Runbook: docs/harness/exec-plans/active/0007-ship.md (EP-7)"; 2]);
    }

    #[test]
    fn front_matter_names_plans_by_file_name() {
        let field = |key: &str, value: &str| crate::model::Field {
            key: key.into(),
            value: value.into(),
            span: Span::line(2),
            placed: false,
        };
        let mut out = Vec::new();
        from_fields(
            &[
                field(
                    "depends-on",
                    "0032-some-plan, some-plan, 0032-some-plan.md, ../completed/9-x.md, EP-4, none, 12",
                ),
                field("supersedes", "tbd, n/a, see the old one, https://e.com/a-b"),
                field("resolves", "td-cleanup"),
                field("owner", "some-one"),
            ],
            &mut out,
        );
        let got: Vec<_> = out.into_iter().map(|r| (r.target, r.relation)).collect();
        let name = |n: &str| (RefTarget::Name(n.into()), Some(Relation::DependsOn));
        assert_eq!(
            got,
            [
                (plan(4), Some(Relation::DependsOn)),
                name("0032-some-plan"),
                name("some-plan"),
                name("0032-some-plan.md"),
                name("../completed/9-x.md"),
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
        let mut diags = Vec::new();
        let m = scan_text(
            "src/a.rs",
            "fn a() {}\n// See EP-012 for why\n# TODO(EP-3): x\n/* resolves TD-004 */ let STEP-1 = 0;\n",
            &mut diags,
        );
        assert!(diags.is_empty());
        let got: Vec<_> = m.refs.iter().map(|r| (r.target.clone(), r.span.line, r.span.col)).collect();
        assert_eq!(got, [(plan(12), 2, 8), (plan(3), 3, 8), (debt(4), 4, 13)]);
        assert_eq!(m.refs[2].relation, Some(Relation::Resolves));
        assert_eq!(m.lines[0], "// See EP-012 for why");
    }

    #[test]
    fn overlong_ids_are_reported_not_linked() {
        let long = format!("EP-{}", "1".repeat(50));
        let mut diags = Vec::new();
        let m = scan_text("src/a.rs", &format!("// é {long} and TD-{} but EP-2\n", "9".repeat(40)), &mut diags);
        assert_eq!(m.refs.iter().map(|r| r.target.clone()).collect::<Vec<_>>(), [plan(2)]);
        let got: Vec<_> = diags.iter().map(|d| (d.code, d.span.map(|s| (s.line, s.col, s.len)))).collect();
        assert_eq!(
            got,
            [(crate::diag::Code::MalformedId, Some((1, 7, 53))), (crate::diag::Code::MalformedId, Some((1, 65, 43)))]
        );
        let arena = Arena::new();
        let mut diags = Vec::new();
        let root =
            crate::parse::markdown::parse_file(&arena, &format!("# T\n\nSee {long}, `{long}`.\n"), "p.md", &mut diags);
        let mut out = Vec::new();
        collect(root, "p.md", &mut out);
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(diags.len(), 1, "reported once, not in code: {diags:?}");
        assert_eq!(
            (diags[0].code, diags[0].span.map(|s| (s.line, s.col))),
            (crate::diag::Code::MalformedId, Some((3, 5)))
        );
        let fields = [crate::model::Field {
            key: "depends-on".into(),
            value: format!("ep-2, {long}"),
            span: Span::line(2),
            placed: false,
        }];
        let mut diags = Vec::new();
        malformed_in_fields("p.md", &fields, &mut diags);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn many_references_on_one_line_take_linear_time() {
        let line = format!("{}{}\n", "x ".repeat(50_000), "resolves EP-1 ".repeat(20_000));
        let start = std::time::Instant::now();
        let m = scan_text("src/a.rs", &line, &mut Vec::new());
        assert_eq!(m.refs.len(), 20_000);
        assert_eq!(m.refs[19_999].relation, Some(Relation::Resolves));
        let got = refs(&format!("[{}](x.md)\n", "resolves EP-1 ".repeat(10_000)));
        assert_eq!(got.len(), 10_001);
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
    }
}
