//! Pagination: the pages of a long listing (the timeline, the archive) and their URLs.

use serde::Serialize;

/// Page numbers and their URLs.
#[derive(Serialize, Debug, Clone)]
pub struct Pager {
    /// 1-based.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// URL of every page, in order.
    pub urls: Vec<String>,
}

/// The URL of page `n` (1-based) of a paginated listing rooted at `base` (`timeline`).
pub fn page_url(base: &str, n: usize) -> String {
    if n <= 1 { format!("{base}/index.html") } else { format!("{base}/page/{n}/index.html") }
}
