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

/// Whether `c` belongs to a script written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x20000..=0x2FFFF) // CJK Extensions B and later
}

/// Lower case, accents removed.
pub fn fold(word: &str) -> String {
    word.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The terms of `text`, in order (repeated terms repeated).
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = String::with_capacity(text.len());
    // Pass 1: IDs and CJK runs become terms and are blanked out of the text.
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some((term, len)) = id_at(&chars, i) {
            out.push(term);
            rest.push(' ');
            i += len;
            continue;
        }
        if is_cjk(chars[i]) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            let run = &chars[start..i];
            if run.len() == 1 {
                out.push(run[0].to_string());
            } else {
                out.extend(run.windows(2).map(|w| w.iter().collect::<String>()));
            }
            rest.push(' ');
            continue;
        }
        rest.push(chars[i]);
        i += 1;
    }
    // Pass 2: words.
    for w in rest.unicode_words() {
        let f = fold(w);
        if !f.is_empty() {
            out.push(f);
        }
    }
    out
}

/// `EP-12` / `td-004` at `i` (not inside a longer word): the canonical term and its length.
fn id_at(chars: &[char], i: usize) -> Option<(String, usize)> {
    if i > 0 && chars[i - 1].is_alphanumeric() {
        return None;
    }
    let prefix: String = chars.get(i..i + 2)?.iter().collect::<String>().to_ascii_lowercase();
    if !(prefix == "ep" || prefix == "td") || chars.get(i + 2) != Some(&'-') {
        return None;
    }
    let digits: String = chars[i + 3..].iter().take_while(|c| c.is_ascii_digit()).collect();
    if digits.is_empty() || digits.len() > 6 || chars.get(i + 3 + digits.len()).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let n: u32 = digits.parse().ok()?;
    Some((format!("{prefix}-{n:03}"), 3 + digits.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded() {
        assert_eq!(terms("Flaky tests, Café déjà-vu!"), ["flaky", "tests", "cafe", "deja", "vu"]);
        assert_eq!(terms("Über NAÏVE"), ["uber", "naive"]);
    }

    #[test]
    fn ids_are_one_term_in_any_width() {
        assert_eq!(terms("see EP-12 and td-4, STEP-1"), ["ep-012", "td-004", "see", "and", "step", "1"]);
        assert_eq!(terms("EP-0012"), ["ep-012"]);
    }

    #[test]
    fn cjk_becomes_bigrams() {
        assert_eq!(terms("缓存失效"), ["缓存", "存失", "失效"]);
        assert_eq!(terms("キャッシュ cache"), ["キャ", "ャッ", "ッシ", "シュ", "cache"]);
        assert_eq!(terms("的"), ["的"]);
    }
}
