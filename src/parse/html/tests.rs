//! HTML fragments: escaping, sanitising, step parts, links, limits.

use super::*;
use crate::parse::markdown::parse;
use comrak::Arena;

fn para_html(md: &str, f: impl Fn(Html<'_>, Node<'_>) -> String, allow: bool) -> String {
    let opts = HtmlOptions::new(allow);
    let file = opts.for_file("docs/a.md");
    let arena = Arena::new();
    let root = parse(&arena, md);
    f(Html(Some(&file)), root.first_child().unwrap())
}

#[test]
fn raw_html_is_escaped_unless_allowed_then_sanitised() {
    let md = "<script>alert(1)</script>\n\nText <b onclick=\"x()\">bold</b>\n";
    let escaped = para_html(md, |h, _| h.blocks([]), false);
    assert_eq!(escaped, "");
    let opts = HtmlOptions::new(false);
    let file = opts.for_file("a.md");
    let arena = Arena::new();
    let root = parse(&arena, md);
    let out = Html(Some(&file)).blocks(root.children());
    assert!(out.contains("&lt;script&gt;") && !out.contains("<script>"), "{out}");
    let opts = HtmlOptions::new(true);
    let file = opts.for_file("a.md");
    let out = Html(Some(&file)).blocks(root.children());
    assert!(!out.contains("<script") && !out.contains("onclick") && out.contains("<b>bold</b>"), "{out}");
}

#[test]
fn inlines_drop_prefixes() {
    let out = para_html("**2026-04-13** — Chose `X`.\n", |h, p| h.inlines_after(p, 10), false);
    assert_eq!(out, "Chose <code>X</code>.");
    let out = para_html("2026-02-13: Chose *Y*.\n", |h, p| h.inlines_after(p, 10), false);
    assert_eq!(out, "Chose <em>Y</em>.");
}

#[test]
fn step_parts_split_outside_elements() {
    let parts = para_html(
        "Step 2: Split `a`. Outcome: **root** is small. Verify: `cargo test`.\n",
        |h, p| h.step_parts(p, 6).join("|"),
        false,
    );
    assert_eq!(parts, "Split <code>a</code>.|<strong>root</strong> is small.|<code>cargo test</code>.");
    let parts = para_html("Do it. **Outcome:** done. *Verify*: run\n", |h, p| h.step_parts(p, 0).join("|"), false);
    assert_eq!(parts, "Do it.|done.|run");
    let parts =
        para_html("Ship × 2 — §4 → done. Outcome: ✓ é. Verify: ok\n", |h, p| h.step_parts(p, 0).join("|"), false);
    assert_eq!(parts, "Ship × 2 — §4 → done.|✓ é.|ok", "non-ASCII text never splits inside a character");
    let parts = para_html("Keep [the outcome: x](http://a) link\n", |h, p| h.step_parts(p, 0).join("|"), false);
    assert_eq!(
        parts,
        "Keep <a href=\"http://a\" class=\"external\" rel=\"external noopener noreferrer\">the outcome: x</a> link||"
    );
    let parts = para_html("Keep [the outcome: x](b.md) link\n", |h, p| h.step_parts(p, 0).join("|"), false);
    assert_eq!(parts, "Keep \0Lsdocs/b.md\0\0the outcome: x\0E\0 link||", "a marked link is an element too");
}

#[test]
fn links_images_and_headings_are_marked() {
    let md = "[a](../x/b.md#td-1 \"T\") [c](https://e.com) [d](#top) ![i](img.png) EP-7 [m](mailto:x@y.z)\n";
    let out = para_html(md, |h, p| h.inlines(p), false);
    assert_eq!(
        out,
        "\0Lsx/b.md#td-1\0T\0a\0E\0 <a href=\"https://e.com\" class=\"external\" rel=\"external noopener noreferrer\">c</a> \
         <a href=\"#top\">d</a> <img\0Idocs/img.png\0 alt=\"i\" /> \0LrEP-7\0\0EP-7\0E\0 <a href=\"mailto:x@y.z\">m</a>"
    );
    // With raw HTML allowed, the sanitised fragment gets the same marks.
    let allowed = para_html(md, |h, p| h.inlines(p), true);
    assert_eq!(allowed, out);
    let opts = HtmlOptions::new(false);
    let file = opts.for_file("a.md");
    let arena = Arena::new();
    let root = parse(&arena, "# Title\n\n## Use `x` & <T>\n");
    let html = Html(Some(&file)).blocks(root.children());
    assert_eq!(html, "<h1>Title</h1>\n<h2>Use <code>x</code> &amp; &lt;T&gt;\0Huse-x--t\0</h2>\n");
    let opts = HtmlOptions::new(true);
    let file = opts.for_file("a.md");
    assert_eq!(
        Html(Some(&file)).blocks(root.children()),
        "<h1>Title</h1>\n<h2>Use <code>x</code> &amp; \0Huse-x-\0</h2>\n"
    );
}

#[test]
fn code_is_highlighted_with_classes() {
    let opts = HtmlOptions::new(false);
    let file = opts.for_file("a.md");
    let arena = Arena::new();
    let root = parse(&arena, "```rust\nfn main() {}\n```\n");
    let out = Html(Some(&file)).blocks(root.children());
    assert!(out.contains("class=\"hl-"), "{out}");
    assert!(!out.contains("style="), "no inline styles: {out}");
    assert_eq!(Html(None).blocks(root.children()), "");
}

fn render_allowed(md: &str) -> (String, Vec<Diagnostic>, std::time::Duration) {
    let opts = HtmlOptions::new(true);
    let file = opts.for_file("a.md");
    let arena = Arena::new();
    let root = parse(&arena, md);
    let start = std::time::Instant::now();
    let html = Html(Some(&file));
    let out = html.blocks(root.children());
    let elapsed = start.elapsed();
    let mut diags = Vec::new();
    html.report("a.md", &mut diags);
    (out, diags, elapsed)
}

#[test]
fn raw_html_nested_too_deep_is_escaped_with_a_diagnostic() {
    // 100,000 nested `<div>` took 29 s in html5ever before the limit.
    for (what, md, line) in [
        ("divs", format!("Intro\n\n{}\n", "<div>".repeat(100_000)), 3),
        ("reopened bold", (0..20_000).map(|k| format!("<p><b id={k}>x</p>")).collect::<String>() + "\n", 1),
        ("list items", format!("<div>\n\n{}\n", "<ul><li>".repeat(30_000)), 1),
    ] {
        let (out, diags, elapsed) = render_allowed(&md);
        assert!(elapsed < std::time::Duration::from_secs(10), "{what}: {elapsed:?}");
        assert!(out.contains("&lt;"), "{what}: raw HTML shown as text");
        assert!(!out.contains("<div") && !out.contains("<b "), "{what}");
        assert_eq!(diags.len(), 1, "{what}: {diags:?}");
        assert_eq!((diags[0].code, diags[0].span.map(|s| s.line)), (Code::TooDeep, Some(line)), "{what}");
    }
    let (out, diags, _) = render_allowed(&"<div><b>x</b></div>\n\n".repeat(5_000));
    assert!(diags.is_empty() && out.contains("<div><b>x</b></div>"), "{diags:?}");
}

#[test]
fn step_parts_are_linear_in_the_labels() {
    let md = format!("Step 1: do. {}\n", "Outcome: x. Verify: y. ".repeat(10_000));
    let start = std::time::Instant::now();
    let parts = para_html(&md, |h, p| h.step_parts(p, 0).join("|"), false);
    assert!(parts.starts_with("Step 1: do.|"), "{:.80}", parts);
    assert!(start.elapsed() < std::time::Duration::from_secs(10), "{:?}", start.elapsed());
}
