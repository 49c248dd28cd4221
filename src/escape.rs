//! Escape: text from documents made safe for HTML and XML.
//!
//! In: any text (titles, decisions, paths, whole pages). Out: the same text with `&`, `<`, `>`
//! and `"` escaped, and characters no XML 1.0 document may contain replaced by U+FFFD, so every
//! page, feed, sitemap and SVG built from user text is well-formed. Used by every stage that
//! writes markup; it knows nothing of them.

/// Whether `c` may appear in an XML 1.0 document (feeds, sitemaps, SVG) and in HTML without a
/// parse error: not a C0 control other than tab, LF and CR, not DEL or a C1 control, not U+FFFE
/// or U+FFFF (surrogates cannot be in a `str`).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
}

/// `text` with every character `is_xml_char` refuses replaced by U+FFFD; borrowed when there is
/// none (the usual case), so a whole page can go through it.
pub fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    if !has_refused_char(text.as_bytes()) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' }).collect())
}

/// Whether UTF-8 `bytes` hold a character `is_xml_char` refuses, found without decoding: C0
/// controls and DEL are single bytes, C1 controls are 0xC2 0x80-0x9F and U+FFFE/U+FFFF are
/// 0xEF 0xBF 0xBE/0xBF (0xC2 and 0xEF are never continuation bytes). A whole page goes through
/// it, so it is a plain byte scan.
fn has_refused_char(bytes: &[u8]) -> bool {
    let suspect = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) | matches!(b, 0x7F | 0xC2 | 0xEF);
    let refused_at = |i: usize| match bytes[i] {
        0xC2 => matches!(bytes.get(i + 1), Some(0x80..=0x9F)),
        0xEF => bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)),
        _ => true,
    };
    // Blocks of 64 bytes are tested without branching (vectorised); only a block with a suspect
    // byte is looked at closely.
    for (k, block) in bytes.chunks(64).enumerate() {
        if block.iter().fold(false, |hit, &b| hit | suspect(b)) {
            let start = k * 64;
            if (start..start + block.len()).any(|i| suspect(bytes[i]) && refused_at(i)) {
                return true;
            }
        }
    }
    false
}

/// Escapes text for HTML element content and attribute values, and for XML. Characters no XML
/// document may contain (`is_xml_char`) become U+FFFD, so every page, feed and SVG built from
/// user text is well-formed.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if !is_xml_char(c) => out.push('\u{FFFD}'),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_output() {
        let mut out = String::new();
        escape_into(&mut out, "a\u{1}b\0c\td\ne\u{7f}\u{85}\u{FFFE}\u{FFFF}f<&>\"é\u{1FFFE}");
        assert_eq!(out, "a\u{FFFD}b\u{FFFD}c\td\ne\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}f&lt;&amp;&gt;&quot;é\u{1FFFE}");
        assert!(matches!(xml_safe("plain é"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(xml_safe("a\u{0}\u{c}b"), "a\u{FFFD}\u{FFFD}b");
        // The byte scan agrees with the character test, neighbours of the refused ranges included.
        for c in ['\u{7e}', '\u{7f}', '\u{80}', '\u{9f}', '\u{a0}', '©', '\u{FFFD}', '\u{FFFE}', '\u{FFFF}', '\u{EFFF}']
        {
            let s = format!("x{c}y");
            assert_eq!(matches!(xml_safe(&s), std::borrow::Cow::Owned(_)), !is_xml_char(c), "{:?}", c);
        }
    }
}
