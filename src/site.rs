//! Site: the render → rewrite pass over a selection of pages, shared by `build` (every page,
//! into a fresh folder) and watch mode (the pages an edit affects, into the live folder).
//!
//! Pages are rendered, rewritten and handed to an `emit` callback one by one, in parallel, so a
//! large site is never held in memory whole. Where the bytes go is the caller's business.

use crate::link::{Graph, SiteIndex};
use crate::model::Harness;
use crate::render::{self, Group, Selection, theme::Theme};
use crate::rewrite;
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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
        search_index: crate::search::META,
    };
    render::render(&render_input, select, &|page| {
        if !page.url.ends_with(".html") {
            // The feed: XML, emitted as rendered.
            return emit(&page.url, page.group, page.html.as_bytes());
        }
        let rewritten = rewrite::rewrite(&page.html, &page.url, &cx)?;
        drop(page.html);
        emit(&page.url, page.group, rewritten.html.as_bytes())?;
        pages.fetch_add(1, Ordering::Relaxed);
        images.lock().expect("no panic while holding the lock").extend(rewritten.images);
        Ok(())
    })?;
    Ok(Pass { pages: pages.into_inner(), images: images.into_inner().expect("no panic while holding the lock") })
}
