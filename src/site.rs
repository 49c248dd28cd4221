//! Site: the render → rewrite pass over a selection of pages, shared by `build` (every page,
//! into a fresh folder) and watch mode (the pages an edit affects, into the live folder).
//!
//! Pages are rendered, rewritten and handed to an `emit` callback one by one, in parallel, so a
//! large site is never held in memory whole. Where the bytes go is the caller's business.

use crate::link::{Graph, SiteIndex};
use crate::model::Harness;
use crate::render::{self, Group, Selection, theme::Theme};
use crate::rewrite;
use crate::write::{Contents, SiteWriter};
use anyhow::Context;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Everything the pages are made from.
#[derive(Debug, Clone, Copy)]
pub struct SiteInput<'a> {
    /// The model, with HTML fragments.
    pub harness: &'a Harness,
    /// Page URLs.
    pub index: &'a SiteIndex,
    /// The reference graph.
    pub graph: &'a Graph,
    /// Templates and assets.
    pub theme: &'a Theme,
    /// Site title.
    pub title: &'a str,
    /// `repo_url` from the config.
    pub repo_url: Option<&'a str>,
    /// The URL the site is published at.
    pub base_url: Option<&'a str>,
    /// `language` from the config (detected from the harness when absent).
    pub language: Option<&'a str>,
}

/// Everything a whole site is written from besides the pages: where repository images come
/// from and the custom domain.
#[derive(Debug, Clone, Copy)]
pub struct Whole<'a> {
    /// The repository root (images are copied from it).
    pub root: &'a Path,
    /// `cname` from the config.
    pub cname: Option<&'a str>,
}

/// What `write_all` wrote besides the pages.
#[derive(Debug)]
pub struct Written {
    /// The pages pass.
    pub pass: Pass,
    /// The search index (its files are written).
    pub search: crate::search::SearchIndex,
    /// Time spent building the search index.
    pub search_time: Duration,
    /// Sitemap, robots.txt, CNAME: (path, bytes).
    pub publishing: Vec<(String, Vec<u8>)>,
}

/// Writes a whole site into `writer`: every page (each also shown to `on_page`), the search
/// index, built while the pages render (pages name only its fixed meta file, so neither waits
/// for the other), the theme's assets, sitemap/robots/CNAME and the images the pages show.
/// `build` and the first build of a watch session both go through here.
pub fn write_all(
    input: &SiteInput<'_>,
    whole: Whole<'_>,
    writer: &SiteWriter,
    on_page: &Emit<'_>,
) -> anyhow::Result<Written> {
    let urls = Mutex::new(Vec::new());
    let (searched, rendered) = rayon::join(
        || -> anyhow::Result<(crate::search::SearchIndex, Duration)> {
            let t = Instant::now();
            let index = crate::search::build(&crate::search::records::records(input.harness, input.index));
            let took = t.elapsed();
            index.files.par_iter().try_for_each(|(path, bytes)| writer.write(path, Contents::Bytes(bytes)))?;
            Ok((index, took))
        },
        || {
            render(input, &Selection::all(), &|url, group, bytes| {
                on_page(url, group, bytes)?;
                urls.lock().expect("no panic while holding the lock").push(url.to_string());
                writer.write(url, Contents::Bytes(bytes))
            })
        },
    );
    let pass = rendered?;
    let (search, search_time) = searched?;
    for asset in [&input.theme.css, &input.theme.js, &input.theme.icon] {
        writer.write(&asset.path, Contents::Bytes(&asset.bytes))?;
    }
    let fence = crate::paths::Fence::new(whole.root)
        .with_context(|| format!("resolving the repository `{}`", whole.root.display()))?;
    for image in &pass.images {
        if let Some(src) = image_source(&fence, image) {
            writer.write(&format!("{}/{image}", crate::rewrite::FILES_DIR), Contents::CopyOf(src))?;
        }
    }
    let urls = urls.into_inner().expect("no panic while holding the lock");
    let publishing = publishing_files(urls.iter().map(String::as_str), input.base_url, whole.cname);
    for (path, bytes) in &publishing {
        writer.write(path, Contents::Bytes(bytes))?;
    }
    Ok(Written { pass, search, search_time, publishing })
}

/// The file to copy for the repository image at `image` (root-relative), if it may be copied:
/// with symlinks resolved, a regular file inside the repository, outside `.git`, that is an
/// image itself (`logo.png -> /etc/passwd` or `-> ../.env` is not copied).
pub fn image_source(fence: &crate::paths::Fence, image: &str) -> Option<std::path::PathBuf> {
    let real = fence.regular_file(image)?;
    let rel = real.strip_prefix(fence.root()).ok()?;
    let is_image = rel
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| crate::rewrite::IMAGE_EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)));
    let in_git = rel.components().any(|c| c.as_os_str().eq_ignore_ascii_case(".git"));
    (is_image && !in_git).then_some(real)
}

/// What a pass produced besides the pages it emitted.
#[derive(Debug, Default)]
pub struct Pass {
    /// HTML pages emitted.
    pub pages: usize,
    /// Repository images the pages show (root-relative), to copy to `files/`.
    pub images: BTreeSet<String>,
}

/// Where a finished page goes: `(url, group, bytes)`.
pub type Emit<'a> = dyn Fn(&str, Group, &[u8]) -> anyhow::Result<()> + Sync + 'a;

/// Renders the `select`ed pages, rewrites them and hands each to `emit(url, group, bytes)`.
pub fn render(input: &SiteInput<'_>, select: &Selection, emit: &Emit<'_>) -> anyhow::Result<Pass> {
    let ref_links = rewrite::RefLinks::new(input.harness, input.index);
    let cx = rewrite::RewriteContext { index: input.index, repo_url: input.repo_url, refs: &ref_links };
    let images = Mutex::new(BTreeSet::new());
    let pages = AtomicUsize::new(0);
    let render_input = render::RenderInput {
        harness: input.harness,
        graph: input.graph,
        index: input.index,
        theme: input.theme,
        title: input.title,
        repo_url: input.repo_url,
        base_url: input.base_url,
        language: input.language,
        search_index: crate::search::META,
    };
    render::render(&render_input, select, &|page| {
        if !page.url.ends_with(".html") {
            // The feed: XML, emitted as rendered.
            return emit(&page.url, page.group, page.html.as_bytes());
        }
        let rewritten = rewrite::rewrite(&page.html, &page.url, &cx);
        drop(page.html);
        emit(&page.url, page.group, rewritten.html.as_bytes())?;
        pages.fetch_add(1, Ordering::Relaxed);
        images.lock().expect("no panic while holding the lock").extend(rewritten.images);
        Ok(())
    })?;
    Ok(Pass { pages: pages.into_inner(), images: images.into_inner().expect("no panic while holding the lock") })
}

/// The files of a published site besides its pages: `sitemap.xml` (with a `base_url`: sitemaps
/// need absolute URLs), `robots.txt` (naming the sitemap) and `CNAME` (with a custom domain).
/// `pages` are the site's HTML pages; the 404 page is left out of the sitemap.
pub fn publishing_files<'a>(
    pages: impl Iterator<Item = &'a str>,
    base_url: Option<&str>,
    cname: Option<&str>,
) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let base = base_url.map(|b| format!("{}/", b.trim_end_matches('/')));
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &base {
        let mut urls: Vec<&str> = pages.filter(|u| u.ends_with(".html") && *u != "404.html").collect();
        urls.sort_unstable();
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for u in urls {
            xml.push_str("  <url><loc>");
            crate::escape::escape_into(&mut xml, &format!("{base}{}", crate::href::encode_path(u)));
            xml.push_str("</loc></url>\n");
        }
        xml.push_str("</urlset>\n");
        out.push((SITEMAP.to_string(), xml.into_bytes()));
        robots.push_str(&format!("Sitemap: {base}{SITEMAP}\n"));
    }
    out.push(("robots.txt".to_string(), robots.into_bytes()));
    if let Some(domain) = cname.map(str::trim).filter(|d| !d.is_empty()) {
        out.push(("CNAME".to_string(), format!("{domain}\n").into_bytes()));
    }
    out
}

/// The sitemap's path.
pub const SITEMAP: &str = "sitemap.xml";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_robots_and_cname() {
        let files = publishing_files(
            ["index.html", "404.html", "plans/a&b/index.html", "feed.xml"].into_iter(),
            Some("https://acme.github.io/widgets"),
            Some(" docs.acme.dev "),
        );
        let get = |name: &str| String::from_utf8(files.iter().find(|f| f.0 == name).unwrap().1.clone()).unwrap();
        let sitemap = get("sitemap.xml");
        assert!(sitemap.contains("<loc>https://acme.github.io/widgets/index.html</loc>"));
        assert!(sitemap.contains("<loc>https://acme.github.io/widgets/plans/a&amp;b/index.html</loc>"));
        assert!(!sitemap.contains("404") && !sitemap.contains("feed.xml"));
        assert!(get("robots.txt").contains("Sitemap: https://acme.github.io/widgets/sitemap.xml"));
        assert_eq!(get("CNAME"), "docs.acme.dev\n");
        let plain = publishing_files(["index.html"].into_iter(), None, None);
        assert_eq!(plain.len(), 1, "no sitemap without a base URL, no CNAME without a domain");
    }
}
