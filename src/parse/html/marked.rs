//! Fragments with marks (see `crate::marks`) where markup depends on the page showing them.
//!
//! Without raw HTML (the default), comrak renders through `format`, which writes links to
//! repository files and to `EP-NNN`, images from the repository and heading anchors as marks, and
//! marks external links, straight from the AST. With `allow_html`, fragments are rendered by
//! comrak as they are (`planbook-src:` links), sanitised by ammonia, then `from_sanitized` turns
//! the same elements into the same marks, once per fragment.

use crate::marks::{self, LinkTo};
use crate::parse::html::SOURCE_SCHEME;
use crate::parse::markdown::{Node, REF_SCHEME};
use comrak::html::{ChildRendering, Context, format_node_default};
use comrak::nodes::NodeValue;
use std::fmt::{self, Write};

/// The attributes external links get.
const EXTERNAL: &str = " class=\"external\" rel=\"external noopener noreferrer\"";

/// Where a link in Markdown goes.
enum Target {
    /// Marked: resolved per page.
    Mark(LinkTo, String),
    /// `http(s)://`: marked as leaving the site.
    External,
    /// Anything else (`mailto:`, a dangerous URL comrak empties): comrak's own rendering.
    Plain,
}

fn target(from: &str, url: &str, raw_html: bool) -> Target {
    if let Some(id) = url.strip_prefix(REF_SCHEME) {
        return Target::Mark(LinkTo::Reference, id.to_string());
    }
    if !raw_html && comrak::html::dangerous_url(url) {
        return Target::Plain;
    }
    if let Some(path) = crate::href::resolve(from, url) {
        return Target::Mark(LinkTo::Source, path);
    }
    if url.starts_with("http://") || url.starts_with("https://") {
        return Target::External;
    }
    Target::Plain
}

/// comrak's formatter with links, images and headings of levels 2–6 written with marks. `user` is
/// the path of the file being rendered (links are relative to it).
pub(super) fn format<'a>(
    cx: &mut Context<'_, '_, &str>,
    node: Node<'a>,
    entering: bool,
) -> Result<ChildRendering, fmt::Error> {
    let raw_html = cx.options.render.r#unsafe;
    match &node.data().value {
        // A link inside a link (relaxed autolinks) is not rendered: comrak's rule.
        NodeValue::Link(_)
            if cx.options.parse.relaxed_autolinks
                && node.parent().is_some_and(|p| matches!(p.data().value, NodeValue::Link(..))) =>
        {
            format_node_default(cx, node, entering)
        }
        NodeValue::Link(nl) => match target(cx.user, &nl.url, raw_html) {
            Target::Mark(to, path) => {
                let mut mark = String::new();
                if entering {
                    marks::link(&mut mark, to, &path, &nl.title);
                } else {
                    marks::end(&mut mark);
                }
                cx.write_str(&mark)?;
                Ok(ChildRendering::HTML)
            }
            Target::External => {
                if entering {
                    cx.write_str("<a href=\"")?;
                    cx.escape_href(&nl.url)?;
                    if !nl.title.is_empty() {
                        cx.write_str("\" title=\"")?;
                        cx.escape(&nl.title)?;
                    }
                    cx.write_str("\"")?;
                    cx.write_str(EXTERNAL)?;
                    cx.write_str(">")?;
                } else {
                    cx.write_str("</a>")?;
                }
                Ok(ChildRendering::HTML)
            }
            Target::Plain => format_node_default(cx, node, entering),
        },
        NodeValue::Image(nl) if !cx.options.render.figure_with_caption => {
            let Target::Mark(LinkTo::Source, path) = target(cx.user, &nl.url, raw_html) else {
                return format_node_default(cx, node, entering);
            };
            if entering {
                let mut mark = String::from("<img");
                marks::image(&mut mark, &path);
                mark.push_str(" alt=\"");
                cx.write_str(&mark)?;
                // The alt text: the children as plain text, as comrak writes it.
                return Ok(ChildRendering::Plain);
            }
            if !nl.title.is_empty() {
                cx.write_str("\" title=\"")?;
                cx.escape(&nl.title)?;
            }
            cx.write_str("\" />")?;
            Ok(ChildRendering::HTML)
        }
        NodeValue::Heading(h) if h.level >= 2 && !entering => {
            let mut mark = String::new();
            marks::heading(&mut mark, &heading_text(node));
            cx.write_str(&mark)?;
            format_node_default(cx, node, entering)
        }
        _ => format_node_default(cx, node, entering),
    }
}

/// A heading's text as a reader sees it: text, code, and inline HTML shown as text; not an
/// image's alt text.
fn heading_text(heading: Node<'_>) -> String {
    let mut out = String::new();
    let mut stack = vec![heading];
    while let Some(n) = stack.pop() {
        match &n.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::HtmlInline(h) => out.push_str(h),
            NodeValue::LineBreak | NodeValue::SoftBreak => out.push(' '),
            NodeValue::Image(_) => {}
            _ => stack.extend(n.reverse_children()),
        }
    }
    out
}

/// A sanitised fragment (raw HTML kept) with the same marks `format` writes: links with
/// `planbook-src:` and `planbook-ref:` URLs, repository images, anchors of headings without an
/// id; external links get their attributes. Attributes of internal links other than `title` are
/// dropped (comrak writes no others; raw HTML cannot link into the repository by path).
pub(super) fn from_sanitized(html: &str) -> String {
    use lol_html::html_content::ContentType;
    use lol_html::{RewriteStrSettings, element, end_tag, rewrite_str, text};
    use std::cell::RefCell;
    use std::rc::Rc;

    let heading_text: Rc<RefCell<Option<String>>> = Rc::default();
    let result = rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("a[href]", |el| {
                let href = decode_entities(&el.get_attribute("href").unwrap_or_default());
                let title = decode_entities(&el.get_attribute("title").unwrap_or_default());
                let to = if let Some(id) = href.strip_prefix(REF_SCHEME) {
                    Some((LinkTo::Reference, id.to_string()))
                } else {
                    href.strip_prefix(SOURCE_SCHEME).map(|p| (LinkTo::Source, source_path(p)))
                };
                if let Some((to, target)) = to {
                    let mut open = String::new();
                    marks::link(&mut open, to, &target, &title);
                    let mut close = String::new();
                    marks::end(&mut close);
                    el.before(&open, ContentType::Html);
                    el.after(&close, ContentType::Html);
                    el.remove_and_keep_content();
                } else if href.starts_with("http://") || href.starts_with("https://") {
                    let class =
                        el.get_attribute("class").map_or_else(|| "external".to_string(), |c| format!("{c} external"));
                    el.set_attribute("class", &class)?;
                    el.set_attribute("rel", "external noopener noreferrer")?;
                }
                Ok(())
            }))
            .append_element_content_handler(element!("img[src]", |el| {
                let src = decode_entities(&el.get_attribute("src").unwrap_or_default());
                if let Some(path) = src.strip_prefix(SOURCE_SCHEME) {
                    let mut tag = String::from("<img");
                    marks::image(&mut tag, &source_path(path));
                    for attr in el.attributes().iter().filter(|a| a.name() != "src") {
                        tag.push(' ');
                        tag.push_str(&attr.name());
                        tag.push_str("=\"");
                        crate::escape::escape_into(&mut tag, &decode_entities(&attr.value()));
                        tag.push('"');
                    }
                    tag.push_str(" />");
                    el.replace(&tag, ContentType::Html);
                }
                Ok(())
            }))
            .append_element_content_handler(element!(
                "h2:not([id]), h3:not([id]), h4:not([id]), h5:not([id]), h6:not([id])",
                |el| {
                    *heading_text.borrow_mut() = Some(String::new());
                    let heading_text = heading_text.clone();
                    if let Some(handlers) = el.end_tag_handlers() {
                        handlers.push(end_tag!(move |end| {
                            let text = heading_text.borrow_mut().take().unwrap_or_default();
                            let mut mark = String::new();
                            marks::heading(&mut mark, &decode_entities(&text));
                            end.before(&mark, ContentType::Html);
                            Ok(())
                        }));
                    }
                    Ok(())
                }
            ))
            .append_element_content_handler(text!("h2, h3, h4, h5, h6", |t| {
                if let Some(buf) = heading_text.borrow_mut().as_mut() {
                    buf.push_str(t.as_str());
                }
                Ok(())
            })),
    );
    // The input is ammonia's serialisation of a fragment: lol_html accepts any such string.
    result.unwrap_or_else(|_| html.to_string())
}

/// A `planbook-src:` path as written by comrak (percent-encoded): the root-relative path, its
/// `#fragment` kept as written.
fn source_path(written: &str) -> String {
    match written.split_once('#') {
        Some((p, f)) => format!("{}#{f}", crate::href::percent_decode(p)),
        None => crate::href::percent_decode(written),
    }
}

/// Attribute values and text chunks arrive with entities still encoded (`&amp;`).
fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}
