//! Rewrite: one streaming lol_html pass over each rendered page.
//!
//! - `planbook-src:` links (written by parse for links between repository files) become page
//!   URLs relative to this page (`../../plans/003-x/index.html#steps`), or the repository's web
//!   URL when the file is not part of the site and `repo_url` is set, or plain text otherwise (a
//!   link that would 404 is worse than none);
//! - images in the repository point at `files/<path>` and are returned for `site` to copy, so
//!   the site requests nothing outside itself;
//! - content headings get anchors (`id` on an inner link, GitHub's pattern), unique among the
//!   page's headings;
//! - external links are marked (`class="external"`, `rel="external noopener noreferrer"`);
//! - `planbook-ref:EP-NNN` links (parse marks `EP-NNN` / `TD-NNN` written in text, never in code)
//!   point at the plan or debt item, with a title saying what it is; unknown ones become marked
//!   text, and a plan's own page does not link to itself.
//!
//! Pure: returns the new HTML and the repository files the page needs copied.

use crate::link::SiteIndex;
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, rewrite_str, text};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// The scheme parse gives links to repository files.
const SOURCE: &str = "planbook-src:";

/// Image types copied into the site. Nothing else is: a Markdown link must not be able to publish
/// an arbitrary repository file (`.env`).
pub(crate) const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp", "avif"];

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

/// The scheme parse gives `EP-NNN` / `TD-NNN` written in text.
const REF: &str = "planbook-ref:";

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
    let ids: Rc<RefCell<crate::slug::Taken>> = Rc::default();
    let heading_text: Rc<RefCell<Option<String>>> = Rc::default();
    let out = rewrite_str(
        html,
        RewriteStrSettings::new()
            // Every id the page already has (headings, table rows, sections), so an anchor made
            // for a heading never repeats one: a debt item's row and its heading in the tracker
            // as written would otherwise share `slow-ci`.
            .append_element_content_handler(element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    ids.borrow_mut().insert(id);
                }
                Ok(())
            }))
            .append_element_content_handler(element!("a[href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if let Some(id) = href.strip_prefix(REF) {
                    point_reference(el, id, page_url, &root, cx.refs)?;
                } else if let Some(target) = href.strip_prefix(SOURCE) {
                    match cx.index.page_for(target) {
                        Some((url, fragment)) => {
                            let mut new = format!("{root}{}", crate::href::encode_path(url));
                            if let Some(f) = fragment {
                                new.push('#');
                                new.push_str(f);
                            }
                            el.set_attribute("href", &new)?;
                        }
                        None => match cx.repo_url {
                            Some(repo) => {
                                el.set_attribute("href", &format!("{}/blob/HEAD/{}", repo.trim_end_matches('/'), crate::href::encode_path(target)))?;
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
                    // Only a plain root-relative path (parse writes them so; raw HTML could
                    // write anything after the scheme).
                    let plain = path.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != "..")
                        && !path.chars().any(char::is_control);
                    if plain && IMAGE_EXTENSIONS.contains(&ext.as_str()) {
                        el.set_attribute("src", &format!("{root}{FILES_DIR}/{}", crate::href::encode_path(path)))?;
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
    )?;
    // Control characters written in a plan reach pages through templates and comrak: none may
    // remain in the output (they make a page invalid; `xml_safe` borrows when there are none).
    let html = match crate::escape::xml_safe(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(clean) => clean,
    };
    Ok(Rewritten { html, images: images.into_inner() })
}

/// Points a `planbook-ref:` link at its plan or debt item.
fn point_reference(
    el: &mut lol_html::html_content::Element<'_, '_>,
    id: &str,
    page_url: &str,
    root: &str,
    refs: &RefLinks,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (target, kind) = match (crate::model::PlanNumber::parse(id), crate::model::DebtId::parse(id)) {
        (Some(n), _) => (refs.plans.get(&n.0), "plan"),
        (_, Some(d)) => (refs.debt.get(&d.0), "debt"),
        _ => (None, "plan"),
    };
    match target {
        // A plan's own page does not link to itself.
        Some((url, _)) if kind == "plan" && url == page_url => el.remove_and_keep_content(),
        Some((url, title)) => {
            let (path, fragment) = url.split_once('#').map_or((url.as_str(), ""), |(p, f)| (p, f));
            let hash = if fragment.is_empty() { String::new() } else { format!("#{fragment}") };
            el.set_attribute("href", &format!("{root}{}{hash}", crate::href::encode_path(path)))?;
            el.set_attribute("class", &format!("ref ref-{kind}"))?;
            el.set_attribute("title", title)?;
        }
        None => {
            el.set_tag_name("span")?;
            el.remove_attribute("href");
            el.set_attribute("class", "ref-unresolved")?;
            let what = if kind == "plan" { "plan" } else { "debt item" };
            el.set_attribute("title", &format!("no {what} {id} in this harness"))?;
        }
    }
    Ok(())
}

fn mark_external(el: &mut lol_html::html_content::Element<'_, '_>) -> Result<(), lol_html::errors::AttributeNameError> {
    let class = el.get_attribute("class").map_or_else(|| "external".to_string(), |c| format!("{c} external"));
    el.set_attribute("class", &class)?;
    el.set_attribute("rel", "external noopener noreferrer")
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
    fn reference_links_point_at_plans_and_debt_items() {
        let out = run(
            r#"<p>See <a href="planbook-ref:EP-3">EP-3</a>, <a href="planbook-ref:EP-009">EP-009</a> and <a href="planbook-ref:TD-007">TD-007</a>; <a href="planbook-ref:EP-042">EP-042</a> is gone.</p><code>EP-3</code>"#,
            None,
        );
        let html = out.html;
        assert!(html.contains(r#"<a href="../../plans/003-x/index.html" class="ref ref-plan" title="EP-003: X &quot;quoted&quot; (completed)">EP-3</a>"#), "{html}");
        assert!(html.contains(", EP-009 and"), "no link to the page itself: {html}");
        assert!(html.contains(r#"href="../../debt/index.html#td-007""#), "{html}");
        assert!(
            html.contains(r#"<span class="ref-unresolved" title="no plan EP-042 in this harness">EP-042</span>"#),
            "{html}"
        );
        assert!(html.contains("<code>EP-3</code>"), "untouched: {html}");
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

    #[test]
    fn control_characters_leave_no_page() {
        let out = run("<h2>a\u{1}b</h2><p title=\"x\u{0}\">\u{FFFF}é\u{7}</p>", None);
        assert!(!out.html.chars().any(|c| c.is_control() || c == '\u{FFFF}'), "{:?}", out.html);
        assert!(out.html.contains("<p title=\"x\u{FFFD}\">\u{FFFD}é\u{FFFD}</p>"), "{:?}", out.html);
    }
}
