//! Turning text into search terms. The browser client (`app.js`, `tokenize`) does exactly the
//! same to a query, so the two must change together:
//!
//! 1. plan and debt IDs (`EP-12`, `td-004`) become one term each, `ep-012` / `td-004`;
//! 2. runs of CJK characters (Han, Hiragana, Katakana, Hangul) become overlapping character
//!    bigrams (a single character stays a unigram), so Chinese and Japanese text is searchable
//!    without a dictionary;
//! 3. the rest is split into words (Unicode word boundaries, UAX #29), lower-cased and
//!    accent-folded (`Café` → `cafe`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Whether `c` belongs to a script written without spaces between words (CJK, and Thai, Lao,
/// Myanmar, Khmer), whose runs are indexed as character pairs.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x20000..=0x2FFFF) // CJK Extensions B and later
}

/// Lower case, accents removed.
pub fn fold(word: &str) -> String {
    let mut buf = String::new();
    fold_into(word, &mut buf).to_string()
}

/// [`fold`] without allocating when `word` is already folded (most words are), else into `buf`.
fn fold_into<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        return word;
    }
    buf.clear();
    if word.is_ascii() {
        buf.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        // Final sigma folds to sigma: browsers lower-case a word-final `Σ` to `ς`.
        buf.extend(
            word.nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .map(|c| if c == 'ς' { 'σ' } else { c }),
        );
    }
    buf
}

/// The terms of `text`, in order (repeated terms repeated).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with every term of `text`, in order, allocating only for words that need folding.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    let mut words = |segment: &str, f: &mut dyn FnMut(&str)| {
        for w in segment.unicode_words() {
            let t = fold_into(w, &mut buf);
            if !t.is_empty() {
                f(t);
            }
        }
    };
    let mut plain = 0; // start of the text not yet split into words
    let mut prev_alnum = false;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !prev_alnum
            && matches!(c, 'e' | 'E' | 't' | 'T')
            && let Some((id, len)) = id_at(&text[i..])
        {
            words(&text[plain..i], &mut f);
            f(&id);
            plain = i + len;
            while chars.peek().is_some_and(|&(j, _)| j < plain) {
                chars.next();
            }
            prev_alnum = false;
            continue;
        }
        if is_cjk(c) {
            words(&text[plain..i], &mut f);
            let mut end = i + c.len_utf8();
            let mut last = (i, c);
            let mut single = true;
            while let Some(&(j, d)) = chars.peek().filter(|(_, d)| is_cjk(*d)) {
                f(&text[last.0..j + d.len_utf8()]);
                single = false;
                last = (j, d);
                end = j + d.len_utf8();
                chars.next();
            }
            if single {
                f(&text[i..end]);
            }
            plain = end;
            prev_alnum = false;
            continue;
        }
        prev_alnum = c.is_alphanumeric();
    }
    words(&text[plain..], &mut f);
}

/// `EP-12` / `td-004` at the start of `s` (not followed by more of a word; CJK text around an
/// ID does not count, as it is written without spaces): the canonical term
/// and its length in bytes.
fn id_at(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let prefix = b.get(..2)?.to_ascii_lowercase();
    if !(prefix == b"ep" || prefix == b"td") || b.get(2) != Some(&b'-') {
        return None;
    }
    let digits = b[3..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 6 || s[3 + digits..].chars().next().is_some_and(|c| c.is_alphanumeric() && !is_cjk(c)) {
        return None;
    }
    let n: u32 = s[3..3 + digits].parse().ok()?;
    let prefix = if prefix == b"ep" { "ep" } else { "td" };
    Some((format!("{prefix}-{n:03}"), 3 + digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded() {
        assert_eq!(terms("Flaky tests, Café déjà-vu!"), ["flaky", "tests", "cafe", "deja", "vu"]);
        assert_eq!(terms("Über NAÏVE"), ["uber", "naive"]);
        assert_eq!(terms("ΟΔΟΣ οδός"), ["οδοσ", "οδοσ"]);
    }

    #[test]
    fn ids_are_one_term_in_any_width() {
        assert_eq!(terms("see EP-12 and td-4, STEP-1"), ["see", "ep-012", "and", "td-004", "step", "1"]);
        assert_eq!(terms("EP-7x ep-"), ["ep", "7x", "ep"]);
        assert_eq!(terms("EP-0012"), ["ep-012"]);
    }

    #[test]
    fn cjk_becomes_bigrams() {
        assert_eq!(terms("缓存失效"), ["缓存", "存失", "失效"]);
        assert_eq!(terms("キャッシュ cache"), ["キャ", "ャッ", "ッシ", "シュ", "cache"]);
        assert_eq!(terms("的"), ["的"]);
        assert_eq!(terms("ภาษา"), ["ภา", "าษ", "ษา"], "Thai has no spaces either");
        assert_eq!(terms("a缓存b EP-3的"), ["a", "缓存", "b", "ep-003", "的"]);
    }

    /// The vectors the client's tokenizer is checked against too (a browser test runs them):
    /// `PLANBOOK_BLESS=1` writes this tokenizer's terms into the file after a deliberate change.
    #[test]
    fn shared_vectors() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tokenizer-vectors.json");
        let text = std::fs::read_to_string(path).expect("vectors");
        let mut vectors: Vec<serde_json::Value> = serde_json::from_str(&text).expect("vectors parse");
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        if std::env::var_os("PLANBOOK_BLESS").is_some() {
            for v in &mut vectors {
                v["terms"] = serde_json::json!(sorted(terms(v["text"].as_str().unwrap())));
            }
            std::fs::write(path, serde_json::to_string_pretty(&vectors).unwrap() + "\n").unwrap();
            return;
        }
        for v in &vectors {
            let want: Vec<String> = serde_json::from_value(v["terms"].clone()).unwrap();
            assert_eq!(sorted(terms(v["text"].as_str().unwrap())), want, "{}", v["text"]);
        }
    }
}
