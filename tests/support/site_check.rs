//! Checks on a built site: every internal `href`/`src` resolves to a file in the output and every
//! `#fragment` to an id on the target page.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

/// All files of the site, relative, `/`-separated.
pub fn files(site: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in walk(site) {
        out.insert(entry);
    }
    out
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel =
                    p.strip_prefix(dir).unwrap().components().map(|c| c.as_os_str().to_string_lossy().to_string());
                out.push(rel.collect::<Vec<_>>().join("/"));
            }
        }
    }
    out
}

/// (attribute values of `href`/`src`, ids) of one page.
pub fn links_and_ids(html: &str) -> (Vec<String>, HashSet<String>) {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let links = std::cell::RefCell::new(Vec::new());
    let ids = std::cell::RefCell::new(HashSet::new());
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("[href], [src]", |el| {
                for attr in ["href", "src"] {
                    if let Some(v) = el.get_attribute(attr) {
                        links.borrow_mut().push(v);
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("[id]", |el| {
                ids.borrow_mut().insert(el.get_attribute("id").unwrap());
                Ok(())
            })),
    )
    .unwrap();
    (links.into_inner(), ids.into_inner())
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 3 <= b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Broken internal links: (page, link) pairs.
pub fn broken_links(site: &Path) -> Vec<(String, String)> {
    let all = files(site);
    let mut pages: BTreeMap<String, (Vec<String>, HashSet<String>)> = BTreeMap::new();
    for f in all.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(site.join(f)).unwrap();
        pages.insert(f.clone(), links_and_ids(&html));
    }
    let mut broken = Vec::new();
    for (page, (links, _)) in &pages {
        for link in links {
            if link.contains("://") || link.starts_with("mailto:") || link.starts_with("//") {
                continue;
            }
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (link.as_str(), None),
            };
            let target = if path.is_empty() {
                page.clone()
            } else {
                let mut parts: Vec<&str> = page.rsplit_once('/').map_or(vec![], |(d, _)| d.split('/').collect());
                for seg in path.split('/') {
                    match seg {
                        "." | "" => {}
                        ".." => {
                            if parts.pop().is_none() {
                                broken.push((page.clone(), link.clone()));
                            }
                        }
                        s => parts.push(s),
                    }
                }
                decode(&parts.join("/"))
            };
            if !all.contains(&target) {
                broken.push((page.clone(), link.clone()));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let target_ids = &pages.get(&target).map(|p| &p.1);
                if !target_ids.is_some_and(|ids| ids.contains(&decode(f))) {
                    broken.push((page.clone(), link.clone()));
                }
            }
        }
    }
    broken
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
