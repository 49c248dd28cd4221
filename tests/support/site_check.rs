//! Checks on a built site: broken links (through planbook's own link checker) and IDs left
//! unlinked.

use std::collections::BTreeSet;
use std::path::Path;

/// All files of the site, relative, `/`-separated.
pub fn files(site: &Path) -> BTreeSet<String> {
    planbook::linkcheck::files(site).expect("the site is readable")
}

/// Every file of the site, relative, with its bytes.
pub fn snapshot(site: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files(site).into_iter().map(|f| (f.clone(), std::fs::read(site.join(&f)).expect("readable"))).collect()
}

/// Broken internal links, as `planbook build --check-links` finds them: (page, link) pairs.
pub fn broken_links(site: &Path) -> Vec<(String, String)> {
    planbook::linkcheck::check(site, None)
        .expect("the site is readable")
        .into_iter()
        .map(|b| (b.page, b.link))
        .collect()
}

/// `EP-NNN` / `TD-NNN` written in a page's main text but not linked (outside `<a>`, `<code>`,
/// `<pre>`), with the page.
pub fn unlinked_ids(site: &Path) -> Vec<(String, String)> {
    use lol_html::{RewriteStrSettings, doc_text, element, end_tag, rewrite_str};
    use std::cell::RefCell;
    use std::rc::Rc;
    let mut out = Vec::new();
    for page in files(site).into_iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(site.join(&page)).unwrap();
        let depth: Rc<RefCell<(bool, u32)>> = Rc::default();
        let found: RefCell<Vec<String>> = RefCell::default();
        let d1 = depth.clone();
        let d2 = depth.clone();
        rewrite_str(
            &html,
            RewriteStrSettings::new()
                .append_element_content_handler(element!("main", move |_el| {
                    d1.borrow_mut().0 = true;
                    Ok(())
                }))
                .append_element_content_handler(element!("a, code, pre, svg, title", move |el| {
                    d2.borrow_mut().1 += 1;
                    let d = d2.clone();
                    if let Some(h) = el.end_tag_handlers() {
                        h.push(end_tag!(move |_e| {
                            d.borrow_mut().1 -= 1;
                            Ok(())
                        }));
                    }
                    Ok(())
                }))
                .append_document_content_handler(doc_text!(|t| {
                    let (in_main, skip) = *depth.borrow();
                    if in_main && skip == 0 {
                        for prefix in ["EP-", "TD-"] {
                            let text = t.as_str();
                            let mut rest = text;
                            while let Some(at) = rest.find(prefix) {
                                let tail = &rest[at + 3..];
                                let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
                                let boundary = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric();
                                if !digits.is_empty() && boundary {
                                    found.borrow_mut().push(format!("{prefix}{digits}"));
                                }
                                rest = &rest[at + 3..];
                            }
                        }
                    }
                    Ok(())
                })),
        )
        .unwrap();
        for id in found.into_inner() {
            out.push((page.clone(), id));
        }
    }
    out
}
