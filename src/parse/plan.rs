//! One exec plan file → `Plan`, in one pass over its outline.
//!
//! Identity comes from the file name (`001-x.md`), front matter `id`, or an `EP-NNN` H1, in that
//! order; header fields from front matter and the lines before the first section; sections,
//! steps, decisions and the retrospective from the outline. Problems that only reading can see
//! (bad YAML, unreadable dates, an `EP-NNN` that contradicts the file name) are reported here;
//! the convention's rules are checked later, on the model.

use crate::diag::{Code, Diagnostic};
use crate::model::{
    Criterion, DateField, Field, Plan, PlanNumber, RetroPart, SectionKind, Span, Status, StatusKind, Step,
};
use crate::parse::date::{self, DateText};
use crate::parse::decisions::DecisionReader;
use crate::parse::fields::{self, normalize_key};
use crate::parse::html::Html;
use crate::parse::markdown::{self, Node, Outline, lines_of, plain_text, task_items};
use crate::parse::retro::RetroReader;
use crate::parse::sections::{retro_part, section_kind};
use crate::parse::{status, steps};
use crate::yaml::{self, FrontValue};
use comrak::Arena;

// Header keys (normalised: lower case, `_` and `-` as spaces) for each field of the model.
const ID_KEYS: &[&str] = &["id"];
const TITLE_KEYS: &[&str] = &["title"];
const STATUS_KEYS: &[&str] = &["status", "state"];
const OWNER_KEYS: &[&str] = &["owner", "owners", "assignee", "dri"];
const AUTHOR_KEYS: &[&str] = &["author", "authors", "created by", "driver"];
const CREATED_KEYS: &[&str] = &["created", "opened", "started", "date", "created at", "start date", "created on"];
const COMPLETED_KEYS: &[&str] =
    &["completed", "closed", "finished", "completed at", "completed on", "end date", "done"];
const REVIEWED_KEYS: &[&str] = &["last reviewed", "updated", "last updated", "reviewed"];
const GOAL_KEYS: &[&str] = &["goal"];

/// The fields pages show in a place of their own (`Field::placed`); the rest are listed.
const PLACED: &[&[&str]] =
    &[ID_KEYS, TITLE_KEYS, STATUS_KEYS, OWNER_KEYS, AUTHOR_KEYS, CREATED_KEYS, COMPLETED_KEYS, GOAL_KEYS];

/// Parses the plan at `path` (relative to the root) in state folder `folder`.
pub(crate) fn parse_plan(path: &str, folder: &str, text: &str, html: Html<'_>) -> (Plan, Vec<Diagnostic>) {
    let arena = Arena::new();
    let mut diags = Vec::new();
    let root = markdown::parse_file(&arena, text, path, &mut diags);
    let line_count = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
    let outline = Outline::new(root, line_count);
    let stem = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".md").trim_end_matches(".MD").to_string();

    let (fields, intro, has_front_matter) = read_fields(path, text, &outline, &mut diags);
    let find = |keys: &[&str]| fields.iter().find(|f| keys.contains(&normalize_key(&f.key).as_str()));

    // Identity and title.
    let (name_number, name_digits) = file_number(&stem);
    let id_field = find(ID_KEYS);
    let id_raw = id_field.map(|f| f.value.clone());
    let id_number = id_field.and_then(|f| number_from_id(&f.value));
    let (h1_number, h1_title) = match &outline.h1 {
        Some((h1, _)) => split_ep_prefix(h1),
        None => (None, None),
    };
    let number = name_number.or(id_number).or(h1_number);
    if let Some(n) = name_number {
        for (other, span, what) in [
            (id_number, id_field.map(|f| f.span), "front matter `id`"),
            (h1_number, outline.h1.as_ref().map(|h| h.1), "title"),
        ] {
            if let Some(other) = other.filter(|o| *o != n) {
                diags.push(
                    Diagnostic::new(
                        Code::NumberMismatch,
                        path,
                        span,
                        format!("{what} says `{other}` but the file name says `{n}`"),
                    )
                    .help(format!("the file name decides the plan's identity; rename the file or change the {what}")),
                );
            }
        }
    }
    let title_span = outline.h1.as_ref().map_or(Span::line(1), |h| h.1);
    if outline.h1.is_none() && find(TITLE_KEYS).is_none() && !text.trim().is_empty() {
        diags.push(
            Diagnostic::new(Code::MissingTitle, path, Some(Span::line(1)), "plan has no `# Title` heading")
                .help("start the plan with `# EP-NNN: Title`; the file name is used meanwhile"),
        );
    }
    let title = find(TITLE_KEYS)
        .map(|f| f.value.clone())
        .or(h1_title)
        .map(|t| strip_title_boilerplate(&t))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| humanize(&stem));

    // Status, people, dates.
    let status = match find(STATUS_KEYS) {
        Some(f) => {
            let kind = status::plan_status(&f.value);
            if kind.is_none() && !date::is_placeholder(&f.value) {
                diags.push(
                    Diagnostic::new(Code::UnknownStatus, path, Some(f.span), format!("unknown status `{}`", f.value))
                        .help("write `active`, `completed` or `abandoned`; the folder decides meanwhile"),
                );
            }
            Status { kind: kind.unwrap_or(StatusKind::Other), raw: Some(f.value.clone()), span: Some(f.span) }
        }
        None => Status { kind: StatusKind::Other, raw: None, span: None },
    };
    let text_of = |keys: &[&str]| find(keys).map(|f| f.value.clone()).filter(|v| !date::is_placeholder(v));
    let owner = text_of(OWNER_KEYS);
    let author = text_of(AUTHOR_KEYS).or_else(|| owner.clone());
    let mut date_of = |keys: &[&str]| find(keys).and_then(|f| date_field(path, f, &mut diags));
    let mut created = date_of(CREATED_KEYS);
    let mut completed = date_of(COMPLETED_KEYS);
    let last_reviewed = date_of(REVIEWED_KEYS);
    if created.is_none()
        && let Some((Ok(d), len)) = date::prefix(&stem)
    {
        let raw = stem.get(..len).unwrap_or_default().to_string();
        created = Some(DateField { date: Some(d), raw, span: Span::line(1) });
    }
    // `Implemented (March 12, 2026).`, `Done 2026-03-12`, `Shipped on 12 March 2026`.
    if completed.is_none()
        && status.kind == StatusKind::Completed
        && let (Some(raw), Some(span)) = (&status.raw, status.span)
        && let Some(d) = date::find_any(raw)
    {
        completed = Some(DateField { date: Some(d), raw: raw.clone(), span });
    }

    // How the repository writes this plan's number: `0035-x.md` or `id: 0035` is `EP-0035`.
    let digits = if name_number.is_some() {
        name_digits
    } else {
        id_raw.as_deref().map_or(0, |id| {
            let id = id.trim();
            let id = id.get(id.len().min(3)..).filter(|_| id.to_ascii_uppercase().starts_with("EP-")).unwrap_or(id);
            if id.bytes().all(|b| b.is_ascii_digit()) { id.len() } else { 0 }
        })
    };
    let mut plan = Plan {
        git: None,
        number_width: u8::try_from(digits).unwrap_or(0),
        path: path.to_string(),
        folder: folder.to_string(),
        folder_state: status::folder_state(folder),
        number,
        id_raw,
        title,
        title_span,
        has_front_matter,
        status,
        author,
        owner,
        created,
        completed,
        last_reviewed,
        goal: find(GOAL_KEYS).map(|f| f.value.clone()).filter(|g| !g.is_empty()),
        goal_html: find(GOAL_KEYS).map(|f| html.markdown_inline(&f.value)).unwrap_or_default(),
        intro_html: html.blocks(intro),
        fields: Vec::new(),
        sections: Vec::new(),
        context: None,
        steps: Vec::new(),
        criteria: Vec::new(),
        decisions: Vec::new(),
        retrospective: None,
        line_count,
        stem,
        refs: Vec::new(),
    };
    read_sections(&mut plan, &outline, html, &mut diags);
    crate::parse::refs::collect(root, path, &mut plan.refs);
    // Front matter is not in the AST's text: its relation keys (`depends-on`) are read apart.
    if let Some((yaml_text, first_line)) = &outline.front_matter {
        let last_line = first_line + yaml_text.lines().count() as u32;
        let front: Vec<Field> = fields.iter().filter(|f| f.span.line < last_line).cloned().collect();
        crate::parse::refs::from_fields(&front, &mut plan.refs);
        crate::parse::refs::malformed_in_fields(path, &front, &mut diags);
    }
    if plan.status.kind == StatusKind::Superseded {
        successors(&mut plan, find(STATUS_KEYS), &outline);
    }
    plan.refs.sort_by(|a, b| (a.span, &a.target).cmp(&(b.span, &b.target)));
    plan.refs.dedup_by(|a, b| a.span == b.span && a.target == b.target);
    let mut fields = fields;
    for keys in PLACED {
        // The field each key list took (the first that matches, as `find` takes it).
        if let Some(f) = fields.iter_mut().find(|f| keys.contains(&normalize_key(&f.key).as_str())) {
            f.placed = true;
        }
    }
    plan.fields = fields;
    (plan, diags)
}

/// A superseded plan's status names what replaced it (`Superseded by EP-012`, `status: superseded
/// (EP-012)`, a `## Status` section listing the new plans): those references become
/// `superseded by` relations, unless the text states another relation.
fn successors(plan: &mut Plan, status: Option<&Field>, outline: &Outline<'_>) {
    use crate::model::{RefTarget, Reference, Relation};
    let Some(field) = status else { return };
    let in_text = plan.refs.iter().any(|r| r.span.line == field.span.line);
    if !in_text {
        // Front matter: its text is not in the AST, so its references are read here.
        for (n, _) in crate::model::ids::find_all(&field.value.to_ascii_uppercase(), "EP") {
            plan.refs.push(Reference {
                target: RefTarget::Plan(PlanNumber(n)),
                relation: Some(Relation::SupersededBy),
                span: field.span,
            });
        }
    }
    // Lines inside a `## Status` section: a mask, so that marking stays linear (parts of one
    // name nest at most six deep).
    let mut status_lines = vec![false; plan.line_count as usize + 2];
    for p in outline.parts.iter().filter(|p| markdown::normalize_title(&p.title) == "status") {
        for line in p.span.line..=p.end_line.min(plan.line_count + 1) {
            status_lines[line as usize] = true;
        }
    }
    for r in plan.refs.iter_mut().filter(|r| r.relation.is_none()) {
        let names_a_plan = match &r.target {
            RefTarget::Plan(_) | RefTarget::Name(_) => true,
            RefTarget::Path(p) => p.contains("exec-plans/"),
            RefTarget::Debt(_) => false,
        };
        let line = r.span.line;
        let in_status = line == field.span.line || status_lines.get(line as usize).copied().unwrap_or(false);
        if names_a_plan && in_status {
            r.relation = Some(Relation::SupersededBy);
        }
    }
}

/// Header fields, the preamble blocks that are not fields (an introduction), and whether there
/// is front matter.
fn read_fields<'a>(
    path: &str,
    text: &str,
    outline: &Outline<'a>,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Field>, Vec<Node<'a>>, bool) {
    let mut fields = Vec::new();
    if let Some((yaml_text, first_line)) = &outline.front_matter {
        match yaml::front_matter(yaml_text) {
            Ok(entries) => {
                for e in entries {
                    let value = match e.value {
                        FrontValue::Scalar(s) => s,
                        FrontValue::List(items) => items.join(", "),
                        FrontValue::Nested => continue,
                    };
                    let line = first_line.saturating_add(e.line).saturating_sub(1);
                    let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
                    fields.push(Field { key: e.key, value, span: Span { line, col: e.column, len }, placed: false });
                }
            }
            Err(e) => diags.push(front_matter_error(path, yaml_text, *first_line, e)),
        }
    }
    let header_blocks = outline.preamble.iter().copied().chain(
        outline
            .parts
            .iter()
            .filter(|p| {
                matches!(
                    markdown::normalize_title(&p.title).as_str(),
                    "metadata" | "meta" | "status" | "header" | "details"
                )
            })
            .flat_map(|p| p.blocks.iter().copied()),
    );
    let lines: Vec<&str> = text.split('\n').collect();
    let mut intro = Vec::new();
    for (i, block) in header_blocks.enumerate() {
        let before = fields.len();
        let block_lines = header_lines(block)
            .into_iter()
            .filter_map(|line_no| line_no.checked_sub(1).and_then(|n| lines.get(n as usize)).map(|l| (line_no, *l)));
        for (line_no, f) in fields::parse_block(block_lines, &[]) {
            // The span covers the value on its first line (a wrapped value goes on).
            let first_line = lines.get(line_no as usize - 1).map_or(0, |l| l.len());
            let len = first_line.saturating_sub(f.value_col as usize - 1).min(f.value.len());
            let span = Span { line: line_no, col: f.value_col, len: u32::try_from(len).unwrap_or(0) };
            fields.push(Field { key: f.key, value: f.value, span, placed: false });
        }
        // The preamble's blocks come first in `header_blocks`.
        let in_preamble = i < outline.preamble.len();
        if fields.len() == before && in_preamble {
            intro.push(block);
        }
    }
    (fields, intro, outline.front_matter.is_some())
}

/// The diagnostic for front matter that was not read. serde_yaml counts columns in characters;
/// spans count bytes.
fn front_matter_error(path: &str, yaml_text: &str, first_line: u32, e: yaml::FrontMatterError) -> Diagnostic {
    let help = "front matter is YAML between `---` lines; the plan was read without it";
    match e {
        yaml::FrontMatterError::Invalid(e) => {
            // serde_yaml reports an unclosed `[` or quote at the end of the text, past its last
            // line: point at the last line of the front matter, not at the closing fence.
            let last = u32::try_from(yaml_text.lines().count()).unwrap_or(u32::MAX).max(1);
            let (line_in, column) = match e.line.unwrap_or(1).max(1) {
                l if l > last => (last, u32::MAX),
                l => (l, e.column.unwrap_or(1)),
            };
            let line_text = yaml_text.split('\n').nth(line_in as usize - 1).unwrap_or_default();
            let col = byte_column(line_text, column);
            let span = Span { line: first_line.saturating_add(line_in).saturating_sub(1), col, len: 0 };
            Diagnostic::new(Code::InvalidFrontMatter, path, Some(span), format!("invalid front matter: {}", e.message))
                .help(help)
        }
        yaml::FrontMatterError::TooLarge { size } => Diagnostic::new(
            Code::TooDeep,
            path,
            Some(Span::line(first_line)),
            format!("front matter is {size} bytes, more than the {} planbook reads", yaml::MAX_FRONT_MATTER),
        )
        .help(help),
        yaml::FrontMatterError::TooDeep { line } => Diagnostic::new(
            Code::TooDeep,
            path,
            Some(Span::line(first_line.saturating_add(line).saturating_sub(1))),
            format!("front matter nests deeper than {} levels", yaml::MAX_FRONT_MATTER_DEPTH),
        )
        .label("nested too deep")
        .help(help),
    }
}

/// The 1-based byte column of 1-based character column `chars` in `line` (past the end: the end).
fn byte_column(line: &str, chars: u32) -> u32 {
    let skip = chars.saturating_sub(1) as usize;
    let at = line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i);
    u32::try_from(at + 1).unwrap_or(u32::MAX)
}

/// The lines of a paragraph, list or quote that can hold `Key: value` fields.
fn header_lines(block: Node<'_>) -> Vec<u32> {
    use comrak::nodes::NodeValue;
    let value = &block.data.borrow().value;
    match value {
        NodeValue::Paragraph | NodeValue::BlockQuote | NodeValue::List(_) => {
            let (a, b) = lines_of(block);
            (a..=b).collect()
        }
        _ => Vec::new(),
    }
}

fn date_field(path: &str, f: &Field, diags: &mut Vec<Diagnostic>) -> Option<DateField> {
    match date::read(&f.value) {
        DateText::Empty => None,
        DateText::Date(d) => Some(DateField { date: Some(d), raw: f.value.clone(), span: f.span }),
        DateText::Invalid(message) => {
            diags.push(
                Diagnostic::new(
                    Code::UnparsableDate,
                    path,
                    Some(f.span),
                    format!("cannot read `{}` date: {message}", f.key),
                )
                .label("expected a date")
                .help("write dates as YYYY-MM-DD (March 12, 2026 is read too)"),
            );
            Some(DateField { date: None, raw: f.value.clone(), span: f.span })
        }
    }
}

/// Number and digit width from a file stem: `001-x` → (1, 3); date-named and unnumbered → None.
pub(crate) fn file_number(stem: &str) -> (Option<PlanNumber>, usize) {
    if matches!(date::prefix(stem), Some((Ok(_), _))) {
        return (None, 0);
    }
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    let follows = stem.as_bytes().get(digits);
    if digits == 0 || digits > 6 || !matches!(follows, None | Some(b'-' | b'_')) {
        return (None, 0);
    }
    (stem.get(..digits).and_then(|d| d.parse().ok()).map(PlanNumber), digits)
}

/// The plan number a file stem carries (`004-x` → 4; date-named and unnumbered stems: none).
pub fn file_number_of(stem: &str) -> Option<PlanNumber> {
    file_number(stem).0
}

/// `0032`, `32`, `EP-032` → 32.
fn number_from_id(id: &str) -> Option<PlanNumber> {
    let id = id.trim();
    if !id.is_empty() && id.len() <= 6 && id.bytes().all(|b| b.is_ascii_digit()) {
        return id.parse().ok().map(PlanNumber);
    }
    PlanNumber::parse(id)
}

/// `EP-001: Title` → (1, "Title").
fn split_ep_prefix(h1: &str) -> (Option<PlanNumber>, Option<String>) {
    match crate::model::ids::parse_prefixed(h1.trim(), "EP") {
        Some((n, len)) => {
            let rest = h1.trim().get(len..).unwrap_or_default().trim_start_matches([':', '—', '–', '-', '.', ' ']);
            (Some(PlanNumber(n)), Some(rest.to_string()))
        }
        None => (None, Some(h1.trim().to_string())),
    }
}

/// `Exec Plan: Title` → `Title`. The prefixes are ASCII; the title may be any script, so it is
/// cut only where `get` finds a character boundary.
fn strip_title_boilerplate(title: &str) -> String {
    let t = title.trim();
    for prefix in ["Execution Plan:", "Exec Plan:", "ExecPlan:", "Plan:"] {
        if let Some((head, rest)) = t.split_at_checked(prefix.len())
            && head.eq_ignore_ascii_case(prefix)
            && !rest.is_empty()
        {
            return rest.trim().to_string();
        }
    }
    t.to_string()
}

/// `2026-03-12-phase-2-delivery` → "Phase 2 delivery"; `001-tui-split` → "Tui split".
fn humanize(stem: &str) -> String {
    let (_, width) = file_number(stem);
    // `width` counts ASCII digits and `len` a date's bytes: both are boundaries of what they measure.
    let rest = stem.get(width..).unwrap_or(stem).trim_start_matches(['-', '_']);
    let rest = match date::prefix(rest) {
        Some((Ok(_), len)) => rest.get(len..).unwrap_or(rest).trim_start_matches(['-', '_']),
        _ => rest,
    };
    let words = rest.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => stem.to_string(),
    }
}

/// Sections, goal, context, steps, criteria, decisions and retrospective from the outline.
fn read_sections(plan: &mut Plan, outline: &Outline<'_>, html: Html<'_>, diags: &mut Vec<Diagnostic>) {
    let own: Vec<SectionKind> = outline.parts.iter().map(|p| section_kind(&p.title)).collect();
    // A sub-heading without a kind of its own belongs to its parent's kind; `top` is the
    // top-level section a part sits in (the page renders top-level sections).
    let mut effective = Vec::with_capacity(own.len());
    let mut top = Vec::with_capacity(own.len());
    for (i, part) in outline.parts.iter().enumerate() {
        let parent = part.parent;
        effective.push(match (own[i], parent) {
            (SectionKind::Other, Some(p)) => effective[p],
            (kind, _) => kind,
        });
        top.push(parent.map_or(i, |p| top[p]));
    }
    let mut decisions = DecisionReader { path: &plan.path, html, out: Vec::new(), diags: Vec::new() };
    let mut retro: Option<RetroReader<'_>> = None;
    let mut steps_found = false;
    let mut loose_steps: Vec<Step> = Vec::new();
    let mut loose_criteria: Vec<Criterion> = Vec::new();
    let mut steps_in_sections: Vec<Step> = Vec::new();
    let mut goal_parts = Vec::new();
    let mut goal_html = String::new();
    let mut context_parts = Vec::new();
    let mut extra = vec![false; outline.parts.len()];

    for (i, part) in outline.parts.iter().enumerate() {
        plan.sections.push(crate::model::Section {
            kind: own[i],
            title: part.title.clone(),
            level: part.level,
            span: part.span,
            end_line: part.end_line,
            top: part.parent.is_none(),
            text: String::new(),
            html: String::new(),
            has_extra: false,
        });
        let text_of_blocks =
            || part.blocks.iter().map(|b| plain_text(b)).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" ");
        let is_extra = match effective[i] {
            SectionKind::Goal => {
                goal_parts.push(text_of_blocks());
                goal_html.push_str(&html.blocks(part.blocks.iter().copied()));
                false
            }
            SectionKind::Context => {
                context_parts.push(text_of_blocks());
                false
            }
            SectionKind::Steps => {
                steps_found = true;
                let heading_step = steps::heading_step_number(&part.title).is_some();
                if heading_step {
                    steps_in_sections.push(steps::from_heading(&part.title, part.span, Some(part.heading), html));
                }
                let only_tasks = collect_task_steps(&part.blocks, html, &mut steps_in_sections);
                !only_tasks || (part.parent.is_some() && !heading_step)
            }
            SectionKind::Criteria => {
                criteria_from(&part.blocks, top[i], html, &mut plan.criteria);
                // Under a section shown through its structured view (a `### Validation` under
                // the steps), the checklist is not in that view: show the section as written.
                part.parent.is_some()
            }
            SectionKind::DecisionLog => {
                if own[i] == SectionKind::DecisionLog {
                    !decisions.blocks(&part.blocks)
                } else {
                    !decisions.sub_part(part)
                }
            }
            SectionKind::Retrospective => {
                let reader = retro.get_or_insert_with(|| RetroReader::new(part.span, html));
                let which = if own[i] == SectionKind::Retrospective {
                    RetroPart::Other
                } else {
                    // The nearest heading that names a part decides (`#### Tooling` under
                    // `### What didn't` is still "what didn't").
                    let mut j = i;
                    loop {
                        if let Some(p) = retro_part(&outline.parts[j].title) {
                            break p;
                        }
                        match outline.parts[j].parent {
                            Some(p) if own[p] != SectionKind::Retrospective => j = p,
                            _ => break RetroPart::Other,
                        }
                    }
                };
                let before = reader.has_extra;
                reader.blocks(which, &part.blocks);
                let unnamed_subheading = part.parent.is_some() && retro_part(&part.title).is_none();
                std::mem::replace(&mut reader.has_extra, before) || unnamed_subheading
            }
            _ => {
                if steps::heading_step_number(&part.title).is_some() {
                    loose_steps.push(steps::from_heading(&part.title, part.span, Some(part.heading), html));
                }
                collect_task_steps(&part.blocks, html, &mut loose_steps);
                criteria_from(&part.blocks, top[i], html, &mut loose_criteria);
                false
            }
        };
        extra[top[i]] |= is_extra;
    }
    // Top-level sections are rendered as written, except the first of each structured kind
    // (steps, decision log, retrospective), which the page shows through its structured view,
    // unless that view would miss some of its content.
    let mut structured_seen = std::collections::HashSet::new();
    for (i, (section, extra)) in plan.sections.iter_mut().zip(extra).enumerate() {
        section.has_extra = extra;
        let part = &outline.parts[i];
        if part.parent.is_some() {
            continue;
        }
        let structured = matches!(
            section.kind,
            SectionKind::Goal | SectionKind::Steps | SectionKind::DecisionLog | SectionKind::Retrospective
        );
        let shown_structured = structured && structured_seen.insert(section.kind);
        let structured_kind = matches!(section.kind, SectionKind::DecisionLog | SectionKind::Retrospective);
        if !structured_kind && html.enabled() {
            // Decisions and retrospective entries are indexed as records of their own.
            let nested = outline.parts[i + 1..].iter().take_while(|p| p.level > part.level);
            let mut text = String::new();
            for n in part
                .blocks
                .iter()
                .copied()
                .chain(nested.flat_map(|p| std::iter::once(p.heading).chain(p.blocks.iter().copied())))
            {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&plain_text(n));
            }
            section.text = text;
        }
        if !shown_structured || extra {
            let nested = outline.parts[i + 1..].iter().take_while(|p| p.level > part.level);
            let nodes = part
                .blocks
                .iter()
                .copied()
                .chain(nested.flat_map(|p| std::iter::once(p.heading).chain(p.blocks.iter().copied())));
            section.html = html.blocks(nodes);
        }
    }
    let mut preamble_steps = Vec::new();
    collect_task_steps(&outline.preamble, html, &mut preamble_steps);
    // With a Steps section, a checklist anywhere else is not steps: it is shown with its section.
    let mut steps = if steps_found {
        plan.criteria.append(&mut loose_criteria);
        plan.criteria.sort_by_key(|c| (c.span.line, c.span.col));
        steps_in_sections
    } else {
        preamble_steps.extend(loose_steps);
        preamble_steps
    };
    steps::merge_heading_steps(&mut steps);
    plan.steps = steps;
    if plan.goal.is_none() {
        plan.goal = Some(goal_parts.join(" ")).filter(|g| !g.is_empty());
        plan.goal_html = goal_html;
    }
    plan.context = Some(context_parts.join(" ")).filter(|c| !c.is_empty());
    plan.decisions = decisions.out;
    diags.extend(decisions.diags);
    plan.retrospective = retro.map(|r| r.retro);
}

/// The task items in `blocks` as criteria of the top-level section `section`.
fn criteria_from(blocks: &[Node<'_>], section: usize, html: Html<'_>, out: &mut Vec<Criterion>) {
    let mut items = Vec::new();
    for b in blocks {
        task_items(b, 0, &mut items);
    }
    for (item, _) in items {
        if let Some(s) = steps::from_task_item(item, 0, html) {
            let inline = item.first_child().map(|p| html.inlines(p)).unwrap_or_default();
            out.push(Criterion { section, marker: s.marker, text: s.text, html: inline, span: s.span });
        }
    }
}

/// Steps from the task lists in `blocks`; whether every block was a task list.
fn collect_task_steps(blocks: &[Node<'_>], html: Html<'_>, out: &mut Vec<Step>) -> bool {
    let mut items = Vec::new();
    let mut only_tasks = true;
    for b in blocks {
        let before = items.len();
        task_items(b, 0, &mut items);
        only_tasks &= items.len() > before;
    }
    out.extend(items.into_iter().filter_map(|(item, depth)| steps::from_task_item(item, depth, html)));
    only_tasks
}

#[cfg(test)]
mod tests;
