//! Raw HTML limits: how deeply a fragment may nest before ammonia sanitises it (`allow_html`).
//!
//! In: a rendered fragment (comrak's output, with the user's raw HTML in it). Out: whether
//! html5ever, which ammonia parses with, would take more than linear time on it. html5ever 0.40
//! looks through its stack of open elements for many start tags (closing a `<p>`, an `<li>`...),
//! so 100,000 nested `<div>` took 29 s, and it re-opens unclosed formatting elements (`<b id=1>`,
//! `<b id=2>`...) at every paragraph, so `<p><b id=N>x</p>` grows the output quadratically. Both
//! costs are bounded by the elements left open, which this counts in one pass. Never parses
//! HTML for any other purpose.

use std::collections::HashMap;

/// Most elements a fragment may leave open at once. Markdown nesting is cut at
/// `markdown::MAX_DEPTH` (256) levels first, and comrak's own elements count here too.
pub(crate) const MAX_OPEN_ELEMENTS: usize = 512;

/// Most formatting elements (`<b>`, `<em>`, `<a>`...) a fragment may leave open at once: html5ever
/// copies every open one into each new paragraph.
pub(crate) const MAX_OPEN_FORMATTING: usize = 32;

/// Elements html5ever reopens in later paragraphs when they are left open.
const FORMATTING: &[&str] =
    &["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"];

/// Elements that never have content.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

/// Elements closed by their next sibling (`<li>a<li>b`): they do not pile up.
const SELF_CLOSING_SIBLINGS: &[&str] = &["p", "li", "dd", "dt", "option", "td", "th", "tr"];

/// Whether `html` leaves more elements open than html5ever handles in linear time. It may
/// overcount (an unclosed `<x>` counts even where html5ever would close it implicitly), never
/// undercount: an end tag closes only an element of its own name that is open.
pub(crate) fn nests_too_deep(html: &str) -> bool {
    let bytes = html.as_bytes();
    let mut open: HashMap<String, usize> = HashMap::new();
    let (mut total, mut formatting, mut foreign) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while let Some(lt) = bytes.get(i..).and_then(|rest| rest.iter().position(|&b| b == b'<')) {
        i += lt + 1;
        if bytes[i..].starts_with(b"!--") {
            i = find(bytes, i, b"-->").map_or(bytes.len(), |e| e + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            continue; // `<!doctype>`, `<?x>`, a lone `<`: not an element
        }
        let name_len = bytes[name_start..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'-').count();
        // Each tag's `>` is searched from its name on, and scanning resumes after it: linear.
        let end = find(bytes, name_start, b">").unwrap_or(bytes.len());
        let name = String::from_utf8_lossy(&bytes[name_start..name_start + name_len]).to_ascii_lowercase();
        i = end;
        let is_formatting = FORMATTING.contains(&name.as_str());
        let is_foreign = matches!(name.as_str(), "svg" | "math");
        if closing {
            if let Some(n) = open.get_mut(&name).filter(|n| **n > 0) {
                *n -= 1;
                total -= 1;
                formatting -= usize::from(is_formatting);
                foreign -= usize::from(is_foreign);
            }
            continue;
        }
        // `<x/>` closes itself only inside SVG and MathML; in HTML it opens `<x>`.
        let self_closed = foreign > 0 && end > 0 && bytes.get(end - 1) == Some(&b'/');
        if VOID.contains(&name.as_str()) || SELF_CLOSING_SIBLINGS.contains(&name.as_str()) || self_closed {
            continue;
        }
        *open.entry(name).or_default() += 1;
        total += 1;
        formatting += usize::from(is_formatting);
        foreign += usize::from(is_foreign);
        if total > MAX_OPEN_ELEMENTS || formatting > MAX_OPEN_FORMATTING {
            return true;
        }
    }
    false
}

/// The index of the first `needle` at or after `from`.
fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_html_is_within_limits() {
        let table = format!("<table><tr><td>a{}</table>", "<tr><td>b<td>c".repeat(2_000));
        assert!(!nests_too_deep(&table), "rows closed by the next row");
        let list = format!("<ul>{}</ul>", "<li>x".repeat(2_000));
        assert!(!nests_too_deep(&list));
        let closed = "<div><b>x</b><br><img src=a></div><!-- <div><div> -->".repeat(2_000);
        assert!(!nests_too_deep(&closed));
        let svg = format!("<svg>{}</svg>", "<path d='M 0 0'/>".repeat(2_000));
        assert!(!nests_too_deep(&svg), "`/>` closes elements in SVG");
        let nested: String = "<div>".repeat(100) + &"</DIV>".repeat(100);
        assert!(!nests_too_deep(&nested.repeat(50)), "end tags close their elements, in any case");
    }

    #[test]
    fn piles_of_open_elements_are_too_deep() {
        assert!(nests_too_deep(&"<div>".repeat(MAX_OPEN_ELEMENTS + 1)));
        assert!(nests_too_deep(&"<div></x>".repeat(MAX_OPEN_ELEMENTS + 1)), "unmatched end tags close nothing");
        assert!(nests_too_deep(&"<div/>".repeat(MAX_OPEN_ELEMENTS + 1)), "`/>` does not close an HTML element");
        let reopened: String = (0..40).map(|k| format!("<p><b id={k}>x</p>")).collect();
        assert!(nests_too_deep(&reopened), "a `</p>` does not close the `<b>` html5ever reopens");
        assert!(!nests_too_deep(&"<".repeat(10_000)));
    }
}
