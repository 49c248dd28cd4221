//! Steps: task-list items (`- [~] Step 2: ...`) and `### Step N: ...` headings.
//!
//! The preferred pattern `Step N: <action>. Outcome: <result>. Verify: <check>.` is split into
//! fields. Heading steps take their state from a checkbox or a completion suffix
//! (`(Completed 2026-03-26)`, `— **COMPLETE**`); the same step number written twice (a plan with
//! both "Implementation Steps" and "Progress") is one step.

use crate::model::{Span, Step, StepMarker, StepSource};
use crate::parse::html::{Html, nonspace};
use crate::parse::markdown::{Node, own_text, task_symbol};
use comrak::nodes::NodeValue;

/// A step from a task item.
pub(crate) fn from_task_item(item: Node<'_>, depth: u8, html: Html<'_>) -> Option<Step> {
    let (symbol, span) = task_symbol(item)?;
    let text = own_text(item);
    let mut step = build(StepMarker::from_symbol(symbol), text, depth, StepSource::TaskItem, span);
    if html.enabled() {
        let mut children = item.children();
        let first = children.next();
        if let Some(para) = first.filter(|p| matches!(p.data.borrow().value, NodeValue::Paragraph)) {
            let [title, outcome, verify] = html.step_parts(para, prefix_chars(&step.text));
            (step.title_html, step.outcome_html, step.verify_html) = (title, outcome, verify);
        }
        // Notes under the step; nested task lists are sub-steps, not notes.
        let notes = item.children().skip(1).filter(|c| !has_task_items(c));
        step.detail_html = html.blocks(notes);
    }
    Some(step)
}

fn has_task_items(node: Node<'_>) -> bool {
    node.children().any(|c| matches!(c.data.borrow().value, NodeValue::TaskItem(_)))
}

/// Characters of a `Step N:` prefix (and a checkbox before it) at the start of `text`.
fn prefix_chars(text: &str) -> usize {
    let (_, after_box) = strip_checkbox(text);
    let (_, body) = step_number_prefix(after_box);
    nonspace(text).saturating_sub(nonspace(body))
}

/// `N` when `title` reads `Step N...` (optionally after a checkbox).
pub(crate) fn heading_step_number(title: &str) -> Option<u32> {
    let t = strip_checkbox(title).1;
    if !t.get(..5)?.eq_ignore_ascii_case("step ") {
        return None;
    }
    // Too many digits for a `u32` is not a step number (no overflow: `parse` says so).
    let digits: String = t.get(5..)?.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A step from a `### Step N: ...` heading.
pub(crate) fn from_heading(title: &str, span: Span, heading: Option<Node<'_>>, html: Html<'_>) -> Step {
    let (checkbox, rest) = strip_checkbox(title);
    let marker = checkbox.unwrap_or_else(|| suffix_state(rest));
    let mut step = build(marker, rest.to_string(), 0, StepSource::Heading, span);
    if let Some(h) = heading {
        step.title_html = html.inlines_after(h, prefix_chars(title));
    }
    step
}

/// Merges heading steps that share a number: the later mention updates the state when it is
/// further along (a "Progress" section marking Step 2 complete).
pub(crate) fn merge_heading_steps(steps: &mut Vec<Step>) {
    // The first heading step of each number, by index into `kept`: one pass, not one search per
    // step (a plan of thousands of `### Step 1` headings stays linear).
    let mut first_of: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    let mut kept: Vec<Step> = Vec::with_capacity(steps.len());
    for step in steps.drain(..) {
        if let (StepSource::Heading, Some(n)) = (step.source, step.number) {
            if let Some(&first) = first_of.get(&n) {
                if rank(step.marker) > rank(kept[first].marker) {
                    kept[first].marker = step.marker;
                }
                continue;
            }
            first_of.insert(n, kept.len());
        }
        kept.push(step);
    }
    *steps = kept;
}

fn rank(m: StepMarker) -> u8 {
    match m {
        StepMarker::Todo | StepMarker::Invalid(_) => 0,
        StepMarker::InProgress | StepMarker::Blocked => 1,
        StepMarker::Done => 2,
    }
}

fn strip_checkbox(title: &str) -> (Option<StepMarker>, &str) {
    let t = title.trim_start();
    let b = t.as_bytes();
    // `[`, `]` and the byte between are ASCII (a wider character would put a continuation byte
    // at `b[2]`), so 1 and 3 are character boundaries.
    if b.len() >= 3 && b[0] == b'[' && b[2] == b']' {
        let c = t.get(1..).and_then(|r| r.chars().next());
        return (Some(StepMarker::from_symbol(c)), t.get(3..).unwrap_or_default().trim_start());
    }
    (None, t)
}

/// State from a completion suffix: `(Completed 2026-03-26)`, `— COMPLETE`, `[DONE]`, `✅`.
fn suffix_state(title: &str) -> StepMarker {
    let lower = title.to_lowercase();
    let done_words = ["completed", "complete", "done", "finished"];
    let bracketed = lower.split(['(', '[']).skip(1).any(|part| {
        let p = part.trim_start_matches(['*', ' ']);
        done_words.iter().any(|w| p.starts_with(w))
    });
    if bracketed || lower.contains('✅') || lower.contains('✓') {
        return StepMarker::Done;
    }
    // A status after a dash: `Step 2: RTCP — **COMPLETE**`, `Step 3: Deploy - blocked on ops`.
    let segments: Vec<&str> = lower.split(['—', '–']).flat_map(|s| s.split(" - ")).collect();
    if segments.len() > 1 {
        let tail = segments[segments.len() - 1].trim().trim_matches(|c: char| c == '*' || c.is_whitespace());
        let is = |word: &str| {
            tail.strip_prefix(word).is_some_and(|rest| {
                let rest = rest.trim_start_matches(['*', ' ']);
                rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit() || c == '(' || c == '[' || c == ',')
            })
        };
        if done_words.iter().any(|w| is(w)) {
            return StepMarker::Done;
        }
        if is("in progress") || is("wip") {
            return StepMarker::InProgress;
        }
        if tail.starts_with("blocked") {
            return StepMarker::Blocked;
        }
    }
    StepMarker::Todo
}

fn build(marker: StepMarker, text: String, depth: u8, source: StepSource, span: Span) -> Step {
    let (number, body) = step_number_prefix(&text);
    let (title, outcome, verify) = split_pattern(body);
    // The reason usually ends the action (`Deploy (waiting for ops)`), but may follow Verify.
    let reason =
        if marker == StepMarker::Blocked { blocked_reason(&title).or_else(|| blocked_reason(body)) } else { None };
    Step {
        git: Default::default(),
        marker,
        number,
        title,
        title_html: String::new(),
        text,
        outcome,
        outcome_html: String::new(),
        verify,
        verify_html: String::new(),
        detail_html: String::new(),
        reason,
        depth,
        source,
        span,
    }
}

/// `Step 3: do x` → (3, "do x").
fn step_number_prefix(text: &str) -> (Option<u32>, &str) {
    let Some(after) = text.get(..5).filter(|p| p.eq_ignore_ascii_case("step ")).and_then(|_| text.get(5..)) else {
        return (None, text);
    };
    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
    let (Some(number), Some(rest)) = (after.get(..digits), after.get(digits..)) else { return (None, text) };
    if digits == 0 {
        return (None, text);
    }
    let n = number.parse().ok();
    let rest = rest.trim_start_matches([':', '.', ')', ' ', '—', '–', '-']).trim_start();
    (n, rest)
}

/// Splits `action. Outcome: x. Verify: y.` into its three parts.
fn split_pattern(text: &str) -> (String, Option<String>, Option<String>) {
    let lower = text.to_ascii_lowercase();
    let outcome_at = find_label(&lower, "outcome:");
    let verify_at = find_label(&lower, "verify:");
    let end_of_title = [outcome_at, verify_at].into_iter().flatten().min().unwrap_or(text.len());
    // Offsets come from the ASCII-lower-cased copy, which has the same byte offsets.
    let title = text.get(..end_of_title).unwrap_or(text).trim().to_string();
    let part = |start: Option<usize>, label: usize, other: Option<usize>| {
        start.map(|s| {
            let end = other.filter(|&o| o > s).unwrap_or(text.len());
            text.get(s + label..end).unwrap_or_default().trim().to_string()
        })
    };
    let outcome = part(outcome_at, "outcome:".len(), verify_at);
    let verify = part(verify_at, "verify:".len(), outcome_at);
    (title, outcome.filter(|s| !s.is_empty()), verify.filter(|s| !s.is_empty()))
}

/// Position of `label` at a word start.
fn find_label(lower: &str, label: &str) -> Option<usize> {
    lower.match_indices(label).map(|(i, _)| i).find(|&i| i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric())
}

/// Why a step is blocked: the last parenthesised part, or what follows "blocked"/"waiting".
pub(crate) fn blocked_reason(title: &str) -> Option<String> {
    let t = title.trim().trim_end_matches('.');
    if let Some(body) = t.strip_suffix(')')
        && let Some((_, inner)) = body.rsplit_once('(')
        && !inner.trim().is_empty()
    {
        return Some(inner.trim().to_string());
    }
    // ASCII lower-casing keeps byte offsets (`to_lowercase` does not: `İ` grows), and the keys
    // are ASCII.
    let lower = t.to_ascii_lowercase();
    for key in [
        "blocked by",
        "blocked on",
        "blocked:",
        "blocked until",
        "waiting for",
        "waiting on",
        "because",
        "reason:",
        "until",
    ] {
        if let Some(at) = lower.find(key) {
            let reason = t.get(at..).unwrap_or_default().trim();
            if reason.len() > key.len() {
                return Some(reason.to_string());
            }
        }
    }
    for sep in [" — ", " -- ", " – "] {
        if let Some((_, reason)) = t.rsplit_once(sep)
            && !reason.trim().is_empty()
        {
            return Some(reason.trim().to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_the_preferred_pattern() {
        let s = build(
            StepMarker::Done,
            "Step 2: Split the module. Outcome: root is 27 lines. Verify: `cargo test`.".into(),
            0,
            StepSource::TaskItem,
            Span::line(1),
        );
        assert_eq!(s.number, Some(2));
        assert_eq!(s.title, "Split the module.");
        assert_eq!(s.outcome.as_deref(), Some("root is 27 lines."));
        assert_eq!(s.verify.as_deref(), Some("`cargo test`."));
    }

    #[test]
    fn heading_steps_read_their_state() {
        let m = |t: &str| from_heading(t, Span::line(1), None, Html(None)).marker;
        assert_eq!(m("Step 1: STUN + ICE (Completed 2026-03-26, 1 session)"), StepMarker::Done);
        assert_eq!(m("Step 2: RTCP + Jitter Buffer (1 agent session) — COMPLETE"), StepMarker::Done);
        assert_eq!(m("Step 3: ESP32 example (1 agent session, optional — can parallel)"), StepMarker::Todo);
        assert_eq!(m("[x] Step 4: ship"), StepMarker::Done);
        assert_eq!(m("[~] Step 5: wire"), StepMarker::InProgress);
        assert_eq!(m("Step 6: Complete the migration"), StepMarker::Todo);
        assert_eq!(m("Step 7: deploy — blocked on ops"), StepMarker::Blocked);
        assert_eq!(heading_step_number("Step 12: x"), Some(12));
        assert_eq!(heading_step_number("[x] Step 3"), Some(3));
        assert_eq!(heading_step_number("Steps"), None);
    }

    #[test]
    fn merges_repeated_heading_steps() {
        let mut steps = vec![
            from_heading("Step 1: a", Span::line(1), None, Html(None)),
            from_heading("Step 2: b", Span::line(2), None, Html(None)),
            from_heading("Step 1: a (Completed 2026-03-26)", Span::line(9), None, Html(None)),
        ];
        merge_heading_steps(&mut steps);
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].marker, StepMarker::Done);
        assert_eq!(steps[0].span.line, 1);
    }

    #[test]
    fn finds_blocked_reasons() {
        assert_eq!(
            blocked_reason("Step 4: deploy (waiting for ops approval)").as_deref(),
            Some("waiting for ops approval")
        );
        assert_eq!(blocked_reason("Deploy, blocked on TD-004").as_deref(), Some("blocked on TD-004"));
        assert_eq!(blocked_reason("Deploy — needs a staging cluster").as_deref(), Some("needs a staging cluster"));
        assert_eq!(blocked_reason("Deploy"), None);
        let s = build(
            StepMarker::Blocked,
            "Step 4: Deploy. Outcome: live. Verify: curl (blocked on DNS)".into(),
            0,
            StepSource::TaskItem,
            Span::line(1),
        );
        assert_eq!(s.reason.as_deref(), Some("blocked on DNS"));
        assert_eq!(blocked_reason("Deploy ()"), None);
    }
}
