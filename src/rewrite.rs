//! Rewrite: one streaming lol_html pass over each rendered page.
//!
//! - `planbook-src:` links (written by parse for links between repository files) become page
//!   URLs relative to this page (`../../plans/003-x/index.html#steps`), or the repository's web
//!   URL when the file is not part of the site and `repo_url` is set, or plain text otherwise (a
//!   link that would 404 is worse than none);
//! - images in the repository are copied into the site (`files/<path>`), so the site requests
//!   nothing outside itself;
//! - content headings get anchors (`id` on an inner link, GitHub's pattern), unique among the
//!   page's headings;
//! - external links are marked (`class="external"`, `rel="external noopener noreferrer"`);
//! - `EP-NNN` and `TD-NNN` in the page's text become links to the plan or debt item, with a
//!   title saying what it is (never inside `<a>`, `<code>`, `<pre>`; unknown ones are marked).
//!
//! Pure: returns the new HTML and the repository files the page needs copied.

use crate::link::SiteIndex;
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, doc_text, element, rewrite_str, text};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::rc::Rc;

/// The scheme parse gives links to repository files.
const SOURCE: &str = "planbook-src:";

/// Image types copied into the site. Nothing else is: a Markdown link must not be able to publish
/// an arbitrary repository file (`.env`).
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp", "avif"];

/// Where copied repository files go in the site.
pub const FILES_DIR: &str = "files";

/// What the rewrite needs to know about the site.
#[derive(Debug)]
pub struct RewriteContext<'a> {
    /// Page URLs.
    pub index: &'a SiteIndex,
    /// `repo_url`, for links to repository files that are not pages.
    pub repo_url: Option<&'a str>,
    /// Where `EP-NNN` and `TD-NNN` lead.
    pub refs: &'a RefLinks,
}

/// Link targets of plan and debt IDs: number → (root-relative URL with fragment, hover title).
#[derive(Debug, Default)]
pub struct RefLinks {
    /// Plans by number.
    pub plans: HashMap<u32, (String, String)>,
    /// Debt items by number.
    pub debt: HashMap<u32, (String, String)>,
}

impl RefLinks {
    /// Targets and hover titles of every plan and debt item.
    pub fn new(h: &crate::model::Harness, index: &SiteIndex) -> RefLinks {
        let mut links = RefLinks::default();
        for (&n, &i) in &index.plan_by_number {
            let p = &h.plans[i];
            let title =
                format!("{}: {} ({})", p.label(), p.title, p.status.raw.as_deref().unwrap_or(p.state().as_str()));
            links.plans.insert(n.0, (index.plan_urls[i].clone(), title));
        }
        if let Some(t) = &h.debt {
            for (&id, &i) in &index.debt_by_id {
                let item = &t.items[i];
                let mut summary: String = item.title.chars().take(90).collect();
                if summary.len() < item.title.len() {
                    summary.push('…');
                }
                let status =
                    item.status.raw.clone().unwrap_or_else(|| format!("{:?}", item.status.kind).to_lowercase());
                links.debt.insert(
                    id.0,
                    (format!("{}#{}", crate::link::DEBT, item.anchor), format!("{id}: {summary} ({status})")),
                );
            }
        }
        links
    }
}

/// Elements whose text is never linkified.
const NO_LINKS: &str = "a, code, pre, script, style, textarea, title, svg, kbd, samp";

/// Text-node state shared by the handlers of one page.
#[derive(Default)]
struct TextState {
    in_main: bool,
    no_links: u32,
    pending: String,
}

/// The rewritten page and the repository images it shows.
#[derive(Debug)]
pub struct Rewritten {
    /// HTML.
    pub html: String,
    /// Root-relative paths of images to copy to `files/<path>`.
    pub images: BTreeSet<String>,
}

/// Rewrites one page at `page_url`.
pub fn rewrite(html: &str, page_url: &str, cx: &RewriteContext<'_>) -> anyhow::Result<Rewritten> {
    let root = crate::link::root_prefix(page_url);
    let images = RefCell::new(BTreeSet::new());
    let ids: Rc<RefCell<HashSet<String>>> = Rc::default();
    let heading_text: Rc<RefCell<Option<String>>> = Rc::default();
    let text_state: Rc<RefCell<TextState>> = Rc::default();
    let has_ids = html.contains("EP-") || html.contains("TD-");
    let out = rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("main", |el| {
                text_state.borrow_mut().in_main = has_ids;
                let state = text_state.clone();
                if let Some(handlers) = el.end_tag_handlers() {
                    handlers.push(lol_html::end_tag!(move |_end| {
                        state.borrow_mut().in_main = false;
                        Ok(())
                    }));
                }
                Ok(())
            }))
            .append_element_content_handler(element!(NO_LINKS, |el| {
                if !has_ids {
                    return Ok(());
                }
                text_state.borrow_mut().no_links += 1;
                let state = text_state.clone();
                if let Some(handlers) = el.end_tag_handlers() {
                    handlers.push(lol_html::end_tag!(move |_end| {
                        let mut s = state.borrow_mut();
                        s.no_links = s.no_links.saturating_sub(1);
                        Ok(())
                    }));
                }
                Ok(())
            }))
            // Only headings are checked for ids already taken: matching `[id]` on every element
            // made lol_html parse every attribute of every tag (a third of the rewrite's time).
            .append_element_content_handler(element!("h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    ids.borrow_mut().insert(id);
                }
                Ok(())
            }))
            .append_element_content_handler(element!("a[href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if let Some(target) = href.strip_prefix(SOURCE) {
                    match cx.index.page_for(target) {
                        Some((url, fragment)) => {
                            let mut new = format!("{root}{}", encode_path(url));
                            if let Some(f) = fragment {
                                new.push('#');
                                new.push_str(f);
                            }
                            el.set_attribute("href", &new)?;
                        }
                        None => match cx.repo_url {
                            Some(repo) => {
                                el.set_attribute("href", &format!("{}/blob/HEAD/{}", repo.trim_end_matches('/'), encode_path(target)))?;
                                mark_external(el)?;
                            }
                            None => {
                                // Not part of the site and nowhere to link to: keep the text.
                                el.set_tag_name("span")?;
                                el.remove_attribute("href");
                                el.set_attribute("class", "unlinked")?;
                                el.set_attribute("title", &format!("{} (not part of this site)", target))?;
                            }
                        },
                    }
                } else if href.starts_with("http://") || href.starts_with("https://") {
                    mark_external(el)?;
                }
                Ok(())
            }))
            .append_element_content_handler(element!("img[src]", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                if let Some(target) = src.strip_prefix(SOURCE) {
                    let path = target.split('#').next().unwrap_or(target);
                    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                    if IMAGE_EXTENSIONS.contains(&ext.as_str()) {
                        el.set_attribute("src", &format!("{root}{FILES_DIR}/{}", encode_path(path)))?;
                        images.borrow_mut().insert(path.to_string());
                    } else {
                        el.remove_attribute("src");
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("h2:not([id]), h3:not([id]), h4:not([id]), h5:not([id]), h6:not([id])", |el| {
                *heading_text.borrow_mut() = Some(String::new());
                let heading_text = heading_text.clone();
                let ids = ids.clone();
                if let Some(handlers) = el.end_tag_handlers() {
                    handlers.push(lol_html::end_tag!(move |end| {
                        let text = heading_text.borrow_mut().take().unwrap_or_default();
                        let slug = crate::slug::unique(crate::slug::slugify(&decode_entities(&text)), &mut ids.borrow_mut());
                        end.before(
                            &format!("<a class=\"anchor\" id=\"{slug}\" href=\"#{slug}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>"),
                            ContentType::Html,
                        );
                        Ok(())
                    }));
                }
                Ok(())
            }))
            .append_element_content_handler(text!("h2, h3, h4, h5, h6", |t| {
                if let Some(buf) = heading_text.borrow_mut().as_mut() {
                    buf.push_str(t.as_str());
                }
                Ok(())
            }))
            .append_document_content_handler(doc_text!(|chunk| {
                let mut st = text_state.borrow_mut();
                if !st.in_main || st.no_links > 0 {
                    return Ok(());
                }
                // A text node may come in several chunks and an ID may straddle two: collect
                // the node, then rewrite it whole.
                if !chunk.last_in_text_node() {
                    st.pending.push_str(chunk.as_str());
                    chunk.remove();
                    return Ok(());
                }
                let had_pending = !st.pending.is_empty();
                let mut text = std::mem::take(&mut st.pending);
                text.push_str(chunk.as_str());
                match linkify(&text, page_url, &root, cx.refs) {
                    Some(linked) => chunk.replace(&linked, ContentType::Html),
                    None if had_pending => chunk.replace(&text, ContentType::Html),
                    None => {}
                }
                Ok(())
            })),
    )?;
    Ok(Rewritten { html: out, images: images.into_inner() })
}

/// `text` (raw HTML text, entities still encoded) with every `EP-NNN` / `TD-NNN` made a link;
/// `None` when it has none.
fn linkify(text: &str, page_url: &str, root: &str, refs: &RefLinks) -> Option<String> {
    let mut found: Vec<(usize, usize, Option<&(String, String)>, &str)> = Vec::new();
    for (prefix, map, kind) in [("EP", &refs.plans, "plan"), ("TD", &refs.debt, "debt")] {
        for (n, at) in crate::model::ids::find_all(text, prefix) {
            let len = prefix.len() + 1 + text[at + prefix.len() + 1..].bytes().take_while(u8::is_ascii_digit).count();
            found.push((at, len, map.get(&n), kind));
        }
    }
    if found.is_empty() {
        return None;
    }
    found.sort_by_key(|f| f.0);
    let mut out = String::with_capacity(text.len() + found.len() * 96);
    let mut last = 0;
    for (at, len, target, kind) in found {
        out.push_str(&text[last..at]);
        let id = &text[at..at + len];
        match target {
            // A plan's own page does not link to itself.
            Some((url, _)) if url.split('#').next() == Some(page_url) && kind == "plan" => out.push_str(id),
            Some((url, title)) => {
                let (path, fragment) = url.split_once('#').map_or((url.as_str(), ""), |(p, f)| (p, f));
                let hash = if fragment.is_empty() { String::new() } else { format!("#{fragment}") };
                out.push_str(&format!(
                    "<a class=\"ref ref-{kind}\" href=\"{root}{}{hash}\" title=\"{}\">{id}</a>",
                    encode_path(path),
                    crate::render::escape(title)
                ));
            }
            None => out.push_str(&format!(
                "<span class=\"ref-unresolved\" title=\"no {} {id} in this harness\">{id}</span>",
                if kind == "plan" { "plan" } else { "debt item" }
            )),
        }
        last = at + len;
    }
    out.push_str(&text[last..]);
    Some(out)
}

fn mark_external(el: &mut lol_html::html_content::Element<'_, '_>) -> Result<(), lol_html::errors::AttributeNameError> {
    let class = el.get_attribute("class").map_or_else(|| "external".to_string(), |c| format!("{c} external"));
    el.set_attribute("class", &class)?;
    el.set_attribute("rel", "external noopener noreferrer")
}

/// Percent-encodes what may not appear raw in a URL path (spaces, quotes, non-ASCII).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Text chunks arrive with entities still encoded (`&amp;`); slugs are made from the text.
fn decode_entities(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SiteIndex {
        let mut idx = SiteIndex::default();
        idx.by_source.insert("docs/harness/exec-plans/completed/003-x.md".into(), "plans/003-x/index.html".into());
        idx.by_source.insert("docs/harness/TECH_DEBT_TRACKER.md".into(), "debt/index.html".into());
        idx
    }

    fn run(html: &str, repo: Option<&str>) -> Rewritten {
        let idx = index();
        let mut refs = RefLinks::default();
        refs.plans.insert(3, ("plans/003-x/index.html".into(), "EP-003: X \"quoted\" (completed)".into()));
        refs.plans.insert(9, ("plans/009-gc/index.html".into(), "EP-009: GC (active)".into()));
        refs.debt.insert(7, ("debt/index.html#td-007".into(), "TD-007: blobs (open)".into()));
        rewrite(html, "plans/009-gc/index.html", &RewriteContext { index: &idx, repo_url: repo, refs: &refs }).unwrap()
    }

    #[test]
    fn source_links_become_page_links() {
        let out = run(
            r#"<a href="planbook-src:docs/harness/exec-plans/completed/003-x.md">EP-003</a> <a href="planbook-src:docs/harness/TECH_DEBT_TRACKER.md#td-007">TD-007</a>"#,
            None,
        );
        assert!(out.html.contains(r#"href="../../plans/003-x/index.html""#), "{}", out.html);
        assert!(out.html.contains(r#"href="../../debt/index.html#td-007""#), "{}", out.html);
    }

    #[test]
    fn other_repo_files_link_to_the_repo_or_become_text() {
        let html = r#"<a href="planbook-src:src/gc/sweep.rs">sweep.rs</a>"#;
        let out = run(html, Some("https://github.com/acme/harbor/"));
        assert!(
            out.html.contains(r#"href="https://github.com/acme/harbor/blob/HEAD/src/gc/sweep.rs""#),
            "{}",
            out.html
        );
        assert!(out.html.contains("external"), "{}", out.html);
        let out = run(html, None);
        assert_eq!(
            out.html,
            r#"<span class="unlinked" title="src/gc/sweep.rs (not part of this site)">sweep.rs</span>"#
        );
    }

    #[test]
    fn images_are_copied_and_other_files_are_not() {
        let out =
            run(r#"<img src="planbook-src:docs/img/a b.png" alt="a"><img src="planbook-src:.env" alt="x">"#, None);
        assert!(out.html.contains(r#"src="../../files/docs/img/a%20b.png""#), "{}", out.html);
        assert!(!out.html.contains(".env"), "{}", out.html);
        assert_eq!(out.images.into_iter().collect::<Vec<_>>(), ["docs/img/a b.png"]);
    }

    #[test]
    fn ids_in_text_become_links_except_in_code_links_and_self() {
        let out = run(
            "<main><p>See EP-3, EP-009 and TD-007; EP-042 is gone.</p><code>EP-3</code><pre>TD-007</pre><a href=\"#x\">EP-3</a></main><p>EP-3</p>",
            None,
        );
        let html = out.html;
        assert!(html.contains(r#"<a class="ref ref-plan" href="../../plans/003-x/index.html" title="EP-003: X &quot;quoted&quot; (completed)">EP-3</a>"#), "{html}");
        assert!(html.contains(" EP-009 and"), "no link to the page itself: {html}");
        assert!(html.contains(r#"href="../../debt/index.html#td-007""#), "{html}");
        assert!(
            html.contains(r#"<span class="ref-unresolved" title="no plan EP-042 in this harness">EP-042</span>"#),
            "{html}"
        );
        assert!(
            html.contains("<code>EP-3</code><pre>TD-007</pre><a href=\"#x\">EP-3</a></main><p>EP-3</p>"),
            "untouched: {html}"
        );
    }

    #[test]
    fn headings_get_unique_anchors_and_external_links_are_marked() {
        let out = run(
            r#"<h2 id="steps">S</h2><h2>Steps &amp; more</h2><h3>Notes</h3><h3>Notes</h3><a href="https://x.org">x</a>"#,
            None,
        );
        assert!(out.html.contains(r##"<h2 id="steps">S</h2>"##), "{}", out.html);
        assert!(out.html.contains(r##"id="steps--more" href="#steps--more""##), "{}", out.html);
        assert!(out.html.contains(r##"id="notes-2""##), "{}", out.html);
        assert!(
            out.html.contains(r#"<a href="https://x.org" class="external" rel="external noopener noreferrer">"#),
            "{}",
            out.html
        );
    }
}
