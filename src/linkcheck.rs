//! Link checking of a built site: every internal `href`/`src` (and the search index a page
//! names) resolves to a file in the output, every `#fragment` to an id on its target page.
//! External links are not fetched (no network), but malformed ones are reported.
//!
//! Links are resolved as a browser would from the page's URL; links into the site written as
//! absolute URLs (`base_url` + path, or a root-absolute `/widgets/...` path) count as internal.

use lol_html::{RewriteStrSettings, element, rewrite_str};
use rayon::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// A link that does not lead where it should.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Broken {
    /// The page it is on (site-relative).
    pub page: String,
    /// The link as written.
    pub link: String,
    /// What is wrong.
    pub reason: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: `{}`: {}", self.page, self.link, self.reason)
    }
}

/// Every file of `site`, relative and `/`-separated.
pub fn files(site: &Path) -> anyhow::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    let mut stack = vec![site.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(rel) = crate::discover::relative(site, &path) {
                out.insert(rel);
            }
        }
    }
    Ok(out)
}

/// The links (with the attribute they are in) and the ids of one page.
pub fn links_and_ids(html: &str) -> (Vec<String>, HashSet<String>) {
    let links = RefCell::new(Vec::new());
    let ids = RefCell::new(HashSet::new());
    let result = rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("[href], [src], form[action], [data-search-index]", |el| {
                for attr in ["href", "src", "action", "data-search-index"] {
                    if let Some(v) = el.get_attribute(attr) {
                        links.borrow_mut().push(v);
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("[id], a[name]", |el| {
                for attr in ["id", "name"] {
                    if let Some(v) = el.get_attribute(attr) {
                        ids.borrow_mut().insert(v);
                    }
                }
                Ok(())
            })),
    );
    if result.is_err() {
        return (Vec::new(), HashSet::new());
    }
    (links.into_inner(), ids.into_inner())
}

/// Checks every page of `site`. `base_url` makes absolute links into the site internal.
pub fn check(site: &Path, base_url: Option<&str>) -> anyhow::Result<Vec<Broken>> {
    let all = files(site)?;
    let pages: HashMap<&str, (Vec<String>, HashSet<String>)> = all
        .par_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| Ok((f.as_str(), links_and_ids(&std::fs::read_to_string(site.join(f))?))))
        .collect::<anyhow::Result<_>>()?;
    let base = base_url.map(|b| format!("{}/", b.trim_end_matches('/')));
    let base_path = base.as_deref().and_then(|b| url::Url::parse(b).ok()).map(|u| u.path().to_string());
    let mut broken: Vec<Broken> = pages
        .par_iter()
        .flat_map_iter(|(page, (links, _))| {
            let mut out = Vec::new();
            for link in links {
                let problem = check_link(page, link, &all, &pages, base.as_deref(), base_path.as_deref());
                if let Some(reason) = problem {
                    out.push(Broken { page: page.to_string(), link: link.clone(), reason });
                }
            }
            out
        })
        .collect();
    broken.sort();
    broken.dedup();
    Ok(broken)
}

fn check_link(
    page: &str,
    link: &str,
    all: &BTreeSet<String>,
    pages: &HashMap<&str, (Vec<String>, HashSet<String>)>,
    base: Option<&str>,
    base_path: Option<&str>,
) -> Option<String> {
    let link = link.trim();
    // Absolute URLs into the site are internal (root-absolute); other absolute URLs are parsed.
    let internal = match base {
        Some(b) if link.starts_with(b) => format!("{}{}", base_path.unwrap_or("/"), &link[b.len()..]),
        Some(b) if link == b.trim_end_matches('/') => base_path.unwrap_or("/").to_string(),
        _ if link.starts_with("//") => return None,
        _ => match url::Url::parse(link) {
            Err(url::ParseError::RelativeUrlWithoutBase) => link.to_string(),
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_none_or(str::is_empty) => {
                return Some("malformed URL: no host".to_string());
            }
            Ok(_) => return None,
            Err(e) => return Some(format!("malformed URL: {e}")),
        },
    };
    let (path, fragment) = match internal.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (internal.as_str(), None),
    };
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return finish(page, fragment, all, pages);
    }
    // Where resolution starts: the site's root for root-absolute paths (below the base path),
    // else the page's folder.
    let (start, rel): (&str, &str) = match path.strip_prefix('/') {
        Some(abs) => {
            let base = base_path.unwrap_or("/").trim_matches('/');
            match abs.strip_prefix(base) {
                Some(rest) if base.is_empty() || rest.is_empty() || rest.starts_with('/') => ("", rest),
                _ => return Some(format!("outside the site's base path `/{base}/`")),
            }
        }
        None => (crate::href::folder_of(page), path),
    };
    let Some(joined) = crate::href::join(start, rel) else {
        return Some("goes above the site's root".to_string());
    };
    let mut target = crate::href::percent_decode(&joined);
    if target.is_empty()
        || rel.is_empty()
        || rel.ends_with('/')
        || (!all.contains(&target) && all.contains(&format!("{target}/index.html")))
    {
        target = if target.is_empty() {
            "index.html".to_string()
        } else {
            format!("{}/index.html", target.trim_end_matches('/'))
        };
    }
    finish(&target, fragment, all, pages)
}

fn finish(
    target: &str,
    fragment: Option<&str>,
    all: &BTreeSet<String>,
    pages: &HashMap<&str, (Vec<String>, HashSet<String>)>,
) -> Option<String> {
    if !all.contains(target) {
        return Some(format!("no file `{target}` in the site"));
    }
    let fragment = fragment.filter(|f| !f.is_empty() && *f != "top")?;
    let ids = pages.get(target).map(|p| &p.1);
    if ids.is_some_and(|ids| ids.contains(&crate::href::percent_decode(fragment))) {
        None
    } else {
        Some(format!("no `#{}` on `{target}`", crate::href::percent_decode(fragment)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (p, html) in pages {
            let f = dir.path().join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, html).unwrap();
        }
        dir
    }

    #[test]
    fn finds_missing_files_and_fragments_and_malformed_urls() {
        let dir = site(&[
            (
                "index.html",
                r##"<a href="plans/a/index.html#goal">ok</a><a href="plans/a/">dir</a><a href="plans/b/index.html">gone</a>
                <a href="plans/a/index.html#nope">frag</a><a href="#top">top</a><a href="https://ok.example/x">ext</a>
                <a href="https://">bad</a><a href="http://exa mple.com/">bad2</a><img src="assets/x.png"><a href="mailto:a@b.c">m</a>
                <a href="../outside.html">up</a><a href="/widgets/plans/a/index.html">abs</a><a href="https://acme.github.io/widgets/plans/a/index.html#goal">canon</a>"##,
            ),
            ("plans/a/index.html", r#"<h2 id="goal">Goal</h2><a href="../../index.html">home</a>"#),
        ]);
        let broken = check(dir.path(), Some("https://acme.github.io/widgets/")).unwrap();
        let links: Vec<&str> = broken.iter().map(|b| b.link.as_str()).collect();
        assert_eq!(
            links,
            [
                "../outside.html",
                "assets/x.png",
                "http://exa mple.com/",
                "https://",
                "plans/a/index.html#nope",
                "plans/b/index.html"
            ],
            "{broken:#?}"
        );
        assert!(broken.iter().all(|b| b.page == "index.html"));
        assert!(broken.iter().any(|b| b.reason.contains("no `#nope`")));
    }
}
