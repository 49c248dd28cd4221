//! Rewrite: each rendered page's marks (`crate::marks`) resolved for that page, in one linear
//! scan (no HTML parsing: parse wrote the marks where it rendered the elements).
//!
//! - links to repository files become page URLs relative to this page
//!   (`../../plans/003-x/index.html#steps`), or the repository's web URL when the file is not part
//!   of the site and `repo_url` is set, or plain text otherwise (a link that would 404 is worse
//!   than none);
//! - images in the repository point at `files/<path>` and are returned for `site` to copy, so
//!   the site requests nothing outside itself;
//! - content headings get anchors (`id` on an inner link, GitHub's pattern), unique among the
//!   page's ids;
//! - `EP-NNN` / `TD-NNN` links (parse marks IDs written in text, never in code) point at the plan
//!   or debt item, with a title saying what it is; unknown ones become marked text, and a plan's
//!   own page does not link to itself;
//! - characters XML forbids are replaced.
//!
//! Pure: returns the new HTML and the repository files the page needs copied.

use crate::link::SiteIndex;
use crate::marks::{self, LinkTo, Mark};
use std::collections::{BTreeSet, HashMap};

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

/// The rewritten page and the repository images it shows.
#[derive(Debug)]
pub struct Rewritten {
    /// HTML.
    pub html: String,
    /// Root-relative paths of images to copy to `files/<path>`.
    pub images: BTreeSet<String>,
}

/// Rewrites one page at `page_url`.
pub fn rewrite(html: &str, page_url: &str, cx: &RewriteContext<'_>) -> Rewritten {
    let root = crate::link::root_prefix(page_url);
    let mut page = Page {
        out: String::with_capacity(html.len() + html.len() / 16),
        images: BTreeSet::new(),
        ids: crate::slug::Taken::default(),
        ids_seen_to: 0,
        closers: Vec::new(),
    };
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(off) = memchr::memchr(0, &bytes[at..]) {
        let i = at + off;
        // `i` is a NUL byte: a character boundary, like `at` (0 or just after a mark).
        page.out.push_str(&html[at..i]);
        match crate::marks::read(&html[i..]) {
            Some((mark, len)) => {
                page.resolve(mark, &html[..i], page_url, &root, cx);
                at = i + len;
            }
            None => {
                page.out.push('\u{FFFD}');
                at = i + 1;
            }
        }
    }
    page.out.push_str(&html[at..]);
    // Control characters written in a plan reach pages through templates: none may remain in
    // the output (they make a page invalid; `xml_safe` borrows when there are none).
    let html = match crate::escape::xml_safe(&page.out) {
        std::borrow::Cow::Borrowed(_) => page.out,
        std::borrow::Cow::Owned(clean) => clean,
    };
    Rewritten { html, images: page.images }
}

/// One page being rewritten.
struct Page {
    out: String,
    images: BTreeSet<String>,
    /// Ids on the page up to `ids_seen_to` (bytes of the input), and the anchors made.
    ids: crate::slug::Taken,
    ids_seen_to: usize,
    /// End tags of the links opened and not yet closed.
    closers: Vec<&'static str>,
}

impl Page {
    /// Writes what `mark` stands for; `before` is the page's input up to the mark.
    fn resolve(&mut self, mark: Mark<'_>, before: &str, page_url: &str, root: &str, cx: &RewriteContext<'_>) {
        let out = &mut self.out;
        match mark {
            Mark::Link { to: LinkTo::Reference, target, title } => {
                // Parse gives `EP-NNN` links no title of their own: the plan's is shown.
                let _ = title;
                let closer = point_reference(out, target, page_url, root, cx.refs);
                self.closers.push(closer);
            }
            Mark::Link { to: LinkTo::Source, target, title } => {
                let target = marks::unescape(target);
                let title_attr = |out: &mut String| {
                    if !title.is_empty() {
                        out.push_str(" title=\"");
                        out.push_str(title);
                        out.push('"');
                    }
                };
                match cx.index.page_for(&target) {
                    Some((url, fragment)) => {
                        out.push_str("<a href=\"");
                        let mut href = format!("{root}{}", crate::href::encode_path(url));
                        if let Some(f) = fragment {
                            href.push('#');
                            href.push_str(f);
                        }
                        crate::escape::escape_into(out, &href);
                        out.push('"');
                        title_attr(out);
                        out.push('>');
                        self.closers.push("</a>");
                    }
                    None => match cx.repo_url {
                        Some(repo) => {
                            out.push_str("<a href=\"");
                            let href = format!(
                                "{}/blob/HEAD/{}",
                                repo.trim_end_matches('/'),
                                crate::href::encode_path(&target)
                            );
                            crate::escape::escape_into(out, &href);
                            out.push('"');
                            title_attr(out);
                            out.push_str(" class=\"external\" rel=\"external noopener noreferrer\">");
                            self.closers.push("</a>");
                        }
                        None => {
                            // Not part of the site and nowhere to link to: keep the text.
                            out.push_str("<span class=\"unlinked\" title=\"");
                            crate::escape::escape_into(out, &format!("{target} (not part of this site)"));
                            out.push_str("\">");
                            self.closers.push("</span>");
                        }
                    },
                }
            }
            // A stray end (only a forged mark has none open) writes nothing.
            Mark::End => out.push_str(self.closers.pop().unwrap_or_default()),
            Mark::Image { path } => {
                let path = marks::unescape(path);
                let path = path.split('#').next().unwrap_or_default();
                let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
                // Only a plain root-relative path (parse writes them so; a forged mark could
                // write anything).
                let plain = path.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != "..")
                    && !path.chars().any(char::is_control);
                if plain && IMAGE_EXTENSIONS.contains(&ext.as_str()) {
                    out.push_str(" src=\"");
                    crate::escape::escape_into(out, &format!("{root}{FILES_DIR}/{}", crate::href::encode_path(path)));
                    out.push('"');
                    self.images.insert(path.to_string());
                }
            }
            Mark::Heading { slug } => {
                // Every id the page has before this point (headings, table rows, sections), so
                // an anchor never repeats one.
                let from = self.ids_seen_to.min(before.len());
                for id in ids_in(&before[from..]) {
                    self.ids.insert(id.to_string());
                }
                self.ids_seen_to = before.len();
                let slug = crate::slug::unique(slug.to_string(), &mut self.ids);
                out.push_str("<a class=\"anchor\" id=\"");
                out.push_str(&slug);
                out.push_str("\" href=\"#");
                out.push_str(&slug);
                out.push_str("\" aria-hidden=\"true\" tabindex=\"-1\">#</a>");
            }
        }
    }
}

/// The values of ` id="…"` attributes in `html` (rendered markup: attribute values are quoted
/// and text holds no `"`, so the pattern only occurs in tags).
fn ids_in(html: &str) -> impl Iterator<Item = &str> {
    memchr::memmem::find_iter(html.as_bytes(), b" id=\"").filter_map(move |at| {
        let start = at + 5;
        let len = memchr::memchr(b'"', html.as_bytes().get(start..)?)?;
        html.get(start..start + len)
    })
}

/// Writes the start of a link to the plan or debt item `id` (escaped); returns its end tag.
fn point_reference(out: &mut String, id: &str, page_url: &str, root: &str, refs: &RefLinks) -> &'static str {
    let id = marks::unescape(id);
    let (target, kind) = match (crate::model::PlanNumber::parse(&id), crate::model::DebtId::parse(&id)) {
        (Some(n), _) => (refs.plans.get(&n.0), "plan"),
        (_, Some(d)) => (refs.debt.get(&d.0), "debt"),
        _ => (None, "plan"),
    };
    match target {
        // A plan's own page does not link to itself.
        Some((url, _)) if kind == "plan" && url == page_url => "",
        Some((url, title)) => {
            let (path, fragment) = url.split_once('#').map_or((url.as_str(), ""), |(p, f)| (p, f));
            let hash = if fragment.is_empty() { String::new() } else { format!("#{fragment}") };
            out.push_str("<a href=\"");
            crate::escape::escape_into(out, &format!("{root}{}{hash}", crate::href::encode_path(path)));
            out.push_str("\" class=\"ref ref-");
            out.push_str(kind);
            out.push_str("\" title=\"");
            crate::escape::escape_into(out, title);
            out.push_str("\">");
            "</a>"
        }
        None => {
            let what = if kind == "plan" { "plan" } else { "debt item" };
            out.push_str("<span class=\"ref-unresolved\" title=\"");
            crate::escape::escape_into(out, &format!("no {what} {id} in this harness"));
            out.push_str("\">");
            "</span>"
        }
    }
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
        rewrite(html, "plans/009-gc/index.html", &RewriteContext { index: &idx, repo_url: repo, refs: &refs })
    }

    /// `text` as a marked link.
    fn link(to: LinkTo, target: &str, text: &str) -> String {
        let mut s = String::new();
        marks::link(&mut s, to, target, "");
        s.push_str(text);
        marks::end(&mut s);
        s
    }

    fn heading(level: u8, text: &str) -> String {
        let mut s = format!("<h{level}>{text}");
        marks::heading(&mut s, text);
        s.push_str(&format!("</h{level}>"));
        s
    }

    #[test]
    fn source_links_become_page_links() {
        let html = format!(
            "{} {}",
            link(LinkTo::Source, "docs/harness/exec-plans/completed/003-x.md", "EP-003"),
            link(LinkTo::Source, "docs/harness/TECH_DEBT_TRACKER.md#td-007", "TD-007")
        );
        let out = run(&html, None);
        assert_eq!(
            out.html,
            r#"<a href="../../plans/003-x/index.html">EP-003</a> <a href="../../debt/index.html#td-007">TD-007</a>"#
        );
    }

    #[test]
    fn other_repo_files_link_to_the_repo_or_become_text() {
        let html = link(LinkTo::Source, "src/gc/sweep.rs", "sweep.rs");
        let out = run(&html, Some("https://github.com/acme/harbor/"));
        assert_eq!(
            out.html,
            r#"<a href="https://github.com/acme/harbor/blob/HEAD/src/gc/sweep.rs" class="external" rel="external noopener noreferrer">sweep.rs</a>"#
        );
        let out = run(&html, None);
        assert_eq!(
            out.html,
            r#"<span class="unlinked" title="src/gc/sweep.rs (not part of this site)">sweep.rs</span>"#
        );
    }

    #[test]
    fn images_are_copied_and_other_files_are_not() {
        let mut html = String::from("<img");
        marks::image(&mut html, "docs/img/a b.png");
        html.push_str(r#" alt="a" /><img"#);
        marks::image(&mut html, ".env");
        html.push_str(r#" alt="x" />"#);
        let out = run(&html, None);
        assert_eq!(out.html, r#"<img src="../../files/docs/img/a%20b.png" alt="a" /><img alt="x" />"#);
        assert_eq!(out.images.into_iter().collect::<Vec<_>>(), ["docs/img/a b.png"]);
    }

    #[test]
    fn reference_links_point_at_plans_and_debt_items() {
        let html = format!(
            "<p>See {}, {} and {}; {} is gone.</p><code>EP-3</code>",
            link(LinkTo::Reference, "EP-3", "EP-3"),
            link(LinkTo::Reference, "EP-009", "EP-009"),
            link(LinkTo::Reference, "TD-007", "TD-007"),
            link(LinkTo::Reference, "EP-042", "EP-042"),
        );
        let html = run(&html, None).html;
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
    fn headings_get_anchors_unique_among_the_pages_ids() {
        let html = format!(
            r#"<section id="steps">{}{}{}{}</section>"#,
            heading(2, "Steps"),
            heading(2, "Steps &amp; more"),
            heading(3, "Notes"),
            heading(3, "Notes")
        );
        let out = run(&html, None).html;
        assert!(out.contains(r##"<h2>Steps<a class="anchor" id="steps-2" href="#steps-2" aria-hidden="true" tabindex="-1">#</a></h2>"##), "{out}");
        assert!(out.contains(r##"id="steps-amp-more""##) || out.contains(r##"id="steps--more""##), "{out}");
        assert!(out.contains(r##"id="notes""##) && out.contains(r##"id="notes-2""##), "{out}");
    }

    #[test]
    fn forged_or_broken_marks_make_no_markup() {
        // Tera escapes `<>"&'` but not NUL: the worst a template value can do is this.
        let out = run("a\0Ls\0 onclick=alert(1)\0b\0E\0\0E\0c\0Lx\0\0d\0", None).html;
        assert_eq!(
            out,
            r#"a<span class="unlinked" title=" (not part of this site)">b</span>c\u{FFFD}Lx\u{FFFD}\u{FFFD}d\u{FFFD}"#
                .replace("\\u{FFFD}", "\u{FFFD}")
        );
    }

    #[test]
    fn control_characters_leave_no_page() {
        let out = run("<h2>a\u{1}b</h2><p title=\"x\u{0}\">\u{FFFF}é\u{7}</p>", None);
        assert!(!out.html.chars().any(|c| c.is_control() || c == '\u{FFFF}'), "{:?}", out.html);
        assert!(out.html.contains("<p title=\"x\u{FFFD}\">\u{FFFD}é\u{FFFD}</p>"), "{:?}", out.html);
    }
}
