//! Marks: what parse leaves in HTML fragments where the markup depends on the page that shows the
//! fragment, for the rewrite stage to resolve page by page.
//!
//! A fragment of one file is shown on many pages at different depths, and only the link stage
//! knows which page a repository file or an `EP-NNN` becomes. So parse writes a mark where such
//! an element goes, and `rewrite` replaces each mark with markup for its page in one linear scan
//! (no HTML parsing per page: that pass was a quarter of a build's CPU).
//!
//! A mark is NUL, a letter, then fields each ended by NUL. No document text can make one: comrak
//! replaces NUL with U+FFFD (CommonMark requires it), so does html5ever behind ammonia, and so
//! does `escape::escape_into`. Fields are HTML-escaped text, so they hold no NUL, `<`, `>` or
//! `"`; the rewrite writes them inside quoted attributes only. A mark forged some other way
//! (Tera escapes neither NUL nor letters) therefore resolves to a link within the site, plain
//! text or nothing, never to markup.
//!
//! - `\0Ls<path>\0<title>\0` opens a link to a repository file (`path` root-relative, maybe
//!   with `#fragment`); `\0Lr<ID>\0<title>\0` opens a link to a plan or debt item (`EP-009`);
//! - `\0E\0` closes the link opened last;
//! - `\0I<path>\0` stands for an image's ` src="…"` attribute (leading space included);
//! - `\0H<slug>\0` stands before `</hN>` of a heading that gets an anchor (`slug` before it is
//!   made unique on the page).

/// What a link mark points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTo {
    /// A file in the repository (root-relative path, maybe `#fragment`).
    Source,
    /// A plan or debt item by ID.
    Reference,
}

/// A mark read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark<'a> {
    /// A link's start tag. `target` and `title` are HTML-escaped.
    Link {
        /// What it points at.
        to: LinkTo,
        /// The path or the ID.
        target: &'a str,
        /// The link's title attribute (may be empty).
        title: &'a str,
    },
    /// The end tag of the link opened last.
    End,
    /// An image's `src` attribute. `path` is HTML-escaped.
    Image {
        /// Root-relative path.
        path: &'a str,
    },
    /// A heading's anchor.
    Heading {
        /// The slug of the heading's text, before it is made unique.
        slug: &'a str,
    },
}

/// Writes a link's start tag mark.
pub fn link(out: &mut String, to: LinkTo, target: &str, title: &str) {
    out.push_str(match to {
        LinkTo::Source => "\0Ls",
        LinkTo::Reference => "\0Lr",
    });
    crate::escape::escape_into(out, target);
    out.push('\0');
    crate::escape::escape_into(out, title);
    out.push('\0');
}

/// Writes a link's end tag mark.
pub fn end(out: &mut String) {
    out.push_str("\0E\0");
}

/// Writes an image `src` mark.
pub fn image(out: &mut String, path: &str) {
    out.push_str("\0I");
    crate::escape::escape_into(out, path);
    out.push('\0');
}

/// Writes a heading anchor mark for the heading text `text`.
pub fn heading(out: &mut String, text: &str) {
    out.push_str("\0H");
    crate::escape::escape_into(out, &crate::slug::slugify(text));
    out.push('\0');
}

/// The mark `s` starts with and its length in bytes, or `None` when `s` does not start with a
/// whole mark. Cuts only at NUL bytes and after ASCII letters: character boundaries.
pub fn read(s: &str) -> Option<(Mark<'_>, usize)> {
    let rest = s.strip_prefix('\0')?;
    // (fields, length so far)
    let field = |from: usize| -> Option<(&str, usize)> {
        let tail = s.get(from..)?;
        let end = memchr::memchr(0, tail.as_bytes())?;
        Some((tail.get(..end)?, from + end + 1))
    };
    match rest.as_bytes().first()? {
        b'L' => {
            let to = match rest.as_bytes().get(1)? {
                b's' => LinkTo::Source,
                b'r' => LinkTo::Reference,
                _ => return None,
            };
            let (target, at) = field(3)?;
            let (title, at) = field(at)?;
            Some((Mark::Link { to, target, title }, at))
        }
        b'E' => rest.as_bytes().get(1).filter(|&&b| b == 0).map(|_| (Mark::End, 3)),
        b'I' => field(2).map(|(path, at)| (Mark::Image { path }, at)),
        b'H' => field(2).map(|(slug, at)| (Mark::Heading { slug }, at)),
        _ => None,
    }
}

/// Undoes `escape::escape_into` on a field (its four entities; nothing else is escaped).
pub fn unescape(field: &str) -> std::borrow::Cow<'_, str> {
    if !field.contains('&') {
        return std::borrow::Cow::Borrowed(field);
    }
    std::borrow::Cow::Owned(
        field.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_read_back_what_was_written() {
        let mut s = String::new();
        link(&mut s, LinkTo::Source, "docs/a b&c.md#x", "say \"hi\"");
        let first = s.len();
        end(&mut s);
        image(&mut s, "img/<x>.png");
        heading(&mut s, "Steps & more");
        let (m, n) = read(&s).unwrap();
        assert_eq!(n, first);
        assert_eq!(m, Mark::Link { to: LinkTo::Source, target: "docs/a b&amp;c.md#x", title: "say &quot;hi&quot;" });
        if let Mark::Link { target, .. } = m {
            assert_eq!(unescape(target), "docs/a b&c.md#x");
        }
        let (m, n2) = read(&s[n..]).unwrap();
        assert_eq!(m, Mark::End);
        let (m, n3) = read(&s[n + n2..]).unwrap();
        assert_eq!(m, Mark::Image { path: "img/&lt;x&gt;.png" });
        let (m, _) = read(&s[n + n2 + n3..]).unwrap();
        assert_eq!(m, Mark::Heading { slug: "steps--more" });
    }

    #[test]
    fn partial_or_unknown_marks_are_not_read() {
        for s in ["\0", "\0L", "\0Lx\0\0", "\0Ls\0", "\0E", "\0Ex", "\0Iabc", "\0Z\0", "x\0E\0", "\0Hé"] {
            assert_eq!(read(s), None, "{s:?}");
        }
        assert_eq!(read("\0Lré\0\0"), Some((Mark::Link { to: LinkTo::Reference, target: "é", title: "" }, 7)));
    }
}
