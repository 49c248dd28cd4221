//! Hrefs: what a link written in a file or a page means as a path.
//!
//! In: a link's path and the folder it was written in. Out: the root-relative path it names
//! (dot segments resolved; `None` when it climbs above the root), and paths percent-encoded for
//! `href`s and percent-decoded back. Parse resolves links in Markdown with it, the link checker
//! links between built pages, rewrite and the sitemap encode page paths. Pure string work: it
//! never looks at the file system.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// `rel` (`/`-separated, possibly with `.`, `..` and empty segments) resolved against the folder
/// `dir` (root-relative, `/`-separated, empty for the root): the root-relative path, or `None`
/// when it climbs above the root.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Resolves `href` written in the file at `from` (both relative to the root) into a root-relative
/// path with `.`/`..` removed; `None` for URLs with a scheme, anchors, and paths escaping the root.
pub fn resolve(from: &str, href: &str) -> Option<String> {
    let has_scheme = href.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    if href.is_empty() || href.starts_with('#') || has_scheme || href.starts_with("//") {
        return None;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let path = percent_decode(path);
    let dir = if path.starts_with('/') { "" } else { folder_of(from) };
    let mut out = join(dir, &path)?;
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

/// The folder part of a root-relative file path: `a/b` for `a/b/c.md`, empty for `c.md`.
pub fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// `%XX` sequences decoded (as in URLs and fragments); invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// What stays as written in a URL path: unreserved characters, sub-delimiters, `:`, `@`, `/`.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// Percent-encodes what may not appear raw in a URL path (spaces, quotes, non-ASCII).
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_resolve_within_the_root() {
        assert_eq!(join("docs/harness", "../img/a.png").as_deref(), Some("docs/img/a.png"));
        assert_eq!(join("docs", "./x//y/../z.md").as_deref(), Some("docs/x/z.md"));
        assert_eq!(join("", "a/b").as_deref(), Some("a/b"));
        assert_eq!(join("docs", "../../x"), None, "above the root");
        assert_eq!(folder_of("a/b/c.md"), "a/b");
        assert_eq!(folder_of("c.md"), "");
    }

    #[test]
    fn resolves_relative_links() {
        let from = "docs/harness/exec-plans/active/009-gc.md";
        assert_eq!(
            resolve(from, "../completed/003-x.md").as_deref(),
            Some("docs/harness/exec-plans/completed/003-x.md")
        );
        assert_eq!(
            resolve(from, "../../TECH_DEBT_TRACKER.md#td-007").as_deref(),
            Some("docs/harness/TECH_DEBT_TRACKER.md#td-007")
        );
        assert_eq!(resolve("AGENTS.md", "docs/harness/INDEX.md").as_deref(), Some("docs/harness/INDEX.md"));
        assert_eq!(resolve("AGENTS.md", "/docs/a%20b.md").as_deref(), Some("docs/a b.md"));
        assert_eq!(resolve("AGENTS.md", "../outside.md"), None);
        assert_eq!(resolve(from, "https://example.com/x.md"), None);
        assert_eq!(resolve(from, "mailto:a@b.c"), None);
        assert_eq!(resolve(from, "#local"), None);
    }

    #[test]
    fn paths_encode_and_decode() {
        assert_eq!(encode_path("plans/a b/é#?%\"<>.html"), "plans/a%20b/%C3%A9%23%3F%25%22%3C%3E.html");
        assert_eq!(encode_path("a-b_c.d~e/!$&'()*+,;=:@"), "a-b_c.d~e/!$&'()*+,;=:@");
        assert_eq!(percent_decode("a%20b%C3%A9%zz"), "a bé%zz");
    }
}
