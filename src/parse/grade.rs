//! Grades in any scale, read from a cell or a field value: letters (`B+`, `A−`), numbers with
//! their scale (`3/5`, `85%`; a bare `3` on the scale its column header states, `Score (0–4)`,
//! `Rating /10`, `out of 5`, or else the one inferred from the largest number of its table),
//! stars (`★★★☆☆`) and words (`good`, `needs work`, `poor`, `🟢`).
//!
//! Every grade keeps its text as written and gets a 0–100 score so the theme can colour grades
//! of different scales alike. Never fails: text that reads as no grade is `None`, and the caller
//! shows it as written. Linear in the text; cuts only at character boundaries.

use crate::model::{Grade, Scale, ScaleSource};

/// A numeric range, `min` worst to `max` best.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Range {
    pub min: f64,
    pub max: f64,
    pub from: ScaleSource,
}

/// The largest range a number is read on: above it, `85` is a percentage or nothing.
const MAX_SCALE: f64 = 100.0;

/// Reads `text` as a grade; a bare number needs `scale` (its column's or field's).
pub(crate) fn read(text: &str, scale: Option<Range>) -> Option<Grade> {
    let t = unwrap_markup(text);
    if t.is_empty() {
        return None;
    }
    letter(t).or_else(|| numeric(t, scale)).or_else(|| stars(t)).or_else(|| word(t))
}

/// A bare number at the start of `text` (`3`, `**2.5**`, `3 (solid)`), for inferring a scale:
/// `None` for `3/5`, `85%` and anything that is not a number.
pub(crate) fn bare_number(text: &str) -> Option<f64> {
    match number_form(unwrap_markup(text))? {
        (Form::Bare(v), _) => Some(v),
        _ => None,
    }
}

/// The scale a column header or field key states: `Score (0-4)`, `Grade (1–5)`, `Rating /10`,
/// `Score out of 5`, `Coverage %`.
pub(crate) fn header_scale(header: &str) -> Option<Range> {
    let h = header.to_lowercase();
    let header_range = |min: f64, max: f64| {
        (min >= 0.0 && max > min && max <= MAX_SCALE).then_some(Range { min, max, from: ScaleSource::Header })
    };
    if h.contains('%') || h.contains("percent") {
        return header_range(0.0, 100.0);
    }
    if let Some(rest) = h.split_once("out of").map(|(_, r)| r).or_else(|| h.split_once('/').map(|(_, r)| r))
        && let Some((max, _)) = leading_number(rest.trim_start())
    {
        return header_range(0.0, max);
    }
    // `0-4`, `0–10`, `1 to 5`, `0..4`: the first number followed by a range separator and another.
    let start = h.find(|c: char| c.is_ascii_digit())?;
    let (min, len) = leading_number(h.get(start..)?)?;
    let rest = h.get(start + len..)?.trim_start();
    let rest = ["-", "–", "—", "..", "to "].iter().find_map(|sep| rest.strip_prefix(sep))?.trim_start();
    let (max, _) = leading_number(rest)?;
    header_range(min, max)
}

/// The scale of bare numbers whose largest is `max`: 0–1, 0–4, 0–5, 0–10 or 0–100, the smallest
/// that holds it (`3` alone reads as 3 of 4). `None` above 100.
pub(crate) fn inferred_scale(max: f64) -> Option<Range> {
    let top = [1.0, 4.0, 5.0, 10.0, MAX_SCALE].into_iter().find(|&top| max <= top)?;
    Some(Range { min: 0.0, max: top, from: ScaleSource::Inferred })
}

/// Whether a column header or field key names a grade: `Grade`, `Score`, `Rating`, `Level`,
/// `Overall`, optionally qualified (`Current score`, `Quality grade`, `Maturity level`) and
/// with a scale (`Score (0–4)`). `Target score` and `Previous grade` are not the grade.
pub(crate) fn is_grade_header(header: &str) -> bool {
    // The words before any scale: `Score (0-4)` → `score`.
    let cut = header.find(['(', '/', '%', '[']).unwrap_or(header.len());
    let words = crate::parse::markdown::normalize_title(header.get(..cut).unwrap_or(header));
    let words: Vec<&str> =
        words.split(' ').filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit())).collect();
    let words = match words.as_slice() {
        [rest @ .., "out", "of"] => rest,
        w => w,
    };
    match words {
        ["overall"] | ["current"] => true,
        [qualifiers @ .., last] => {
            matches!(*last, "grade" | "score" | "rating" | "level")
                && qualifiers.iter().all(|q| {
                    matches!(
                        *q,
                        "current" | "overall" | "quality" | "latest" | "maturity" | "health" | "total" | "final"
                    )
                })
        }
        [] => false,
    }
}

/// `**B+**`, `_good_`, `` `3` `` → the text inside, trimmed.
fn unwrap_markup(text: &str) -> &str {
    text.trim().trim_matches(|c| matches!(c, '*' | '_' | '`')).trim()
}

/// `A`, `B+`, `c`, `A−` as the first word (`A- (close)`).
fn letter(t: &str) -> Option<Grade> {
    let first = t.split(|c: char| c.is_whitespace() || c == '(' || c == ',').next()?.trim_matches('*');
    let mut chars = first.chars();
    let c = chars.next()?.to_ascii_uppercase();
    let rest = chars.as_str();
    if !('A'..='F').contains(&c) || !matches!(rest, "" | "+" | "-" | "−" | "–") {
        return None;
    }
    let base: i32 = match c {
        'A' => 95,
        'B' => 85,
        'C' => 75,
        'D' => 65,
        'E' => 55,
        _ => 40,
    };
    let adj = match rest {
        "+" => 3,
        "" => 0,
        _ => -3,
    };
    Some(Grade { raw: first.to_string(), letter: Some(c), score: (base + adj) as u8, scale: Scale::Letter })
}

enum Form {
    Bare(f64),
    Percent(f64),
    Fraction(f64, f64),
}

/// A number at the start of `t` and the bytes it takes: `3`, `3.5`, `.5`.
fn leading_number(t: &str) -> Option<(f64, usize)> {
    let len = t.bytes().take_while(|b| b.is_ascii_digit() || *b == b'.').count();
    // ASCII digits and dots: `len` is a character boundary.
    let v: f64 = t.get(..len)?.trim_end_matches('.').parse().ok()?;
    v.is_finite().then_some((v, len))
}

/// `3`, `85%`, `3/5`, `3 / 5`, `7.5/10` at the start of `t`, followed by nothing or by a word
/// boundary (`3/5 (solid)`); with the text as written.
fn number_form(t: &str) -> Option<(Form, &str)> {
    let (a, len) = leading_number(t)?;
    let after_a = t.get(len..)?;
    let rest = after_a.trim_start();
    let (form, rest) = if let Some(r) = rest.strip_prefix('%') {
        (Form::Percent(a), r)
    } else if let Some(r) = rest.strip_prefix('/') {
        let r = r.trim_start();
        let (b, blen) = leading_number(r)?;
        (Form::Fraction(a, b), r.get(blen..)?)
    } else {
        (Form::Bare(a), after_a)
    };
    if rest.starts_with(|c: char| c.is_alphanumeric() || c == '.' || c == '-' || c == '/') {
        return None;
    }
    // `rest` is a suffix of `t`: what comes before it is the grade as written.
    let raw = t.get(..t.len() - rest.len())?.trim_end();
    Some((form, raw))
}

fn numeric(t: &str, scale: Option<Range>) -> Option<Grade> {
    let (form, raw) = number_form(t)?;
    let (score, scale) = match form {
        Form::Percent(v) => (v, Scale::Percent),
        Form::Fraction(a, b) if b > 0.0 => (a / b * 100.0, Scale::Range { min: 0.0, max: b, from: ScaleSource::Value }),
        Form::Fraction(..) => return None,
        Form::Bare(v) => {
            let r = scale?;
            if v < r.min || r.max <= r.min {
                return None;
            }
            ((v - r.min) / (r.max - r.min) * 100.0, Scale::Range { min: r.min, max: r.max, from: r.from })
        }
    };
    if !(0.0..=100.0).contains(&score) {
        return None;
    }
    Some(Grade { raw: raw.to_string(), letter: None, score: score.round() as u8, scale })
}

/// `★★★☆☆`: filled stars of all the stars written.
fn stars(t: &str) -> Option<Grade> {
    let run: String = t.chars().take_while(|c| matches!(c, '★' | '☆' | '⭐')).collect();
    let total = run.chars().count();
    if total == 0 {
        return None;
    }
    let filled = run.chars().filter(|&c| c != '☆').count();
    let score = if run.contains('☆') { filled * 100 / total } else { filled * 100 / 5 };
    (score <= 100).then_some(Grade { raw: run, letter: None, score: score as u8, scale: Scale::Stars })
}

/// Words, scored like the letter grades they stand for (A 95, B 85, C 75, D 65, F 40).
const WORDS: &[(&str, u8)] = &[
    ("excellent", 95),
    ("outstanding", 95),
    ("exemplary", 95),
    ("very good", 90),
    ("great", 90),
    ("strong", 90),
    ("good", 85),
    ("solid", 85),
    ("healthy", 85),
    ("green", 85),
    ("fair", 75),
    ("okay", 75),
    ("ok", 75),
    ("adequate", 75),
    ("acceptable", 75),
    ("moderate", 75),
    ("average", 75),
    ("medium", 75),
    ("amber", 75),
    ("yellow", 75),
    ("mixed", 70),
    ("needs work", 65),
    ("needs improvement", 65),
    ("needs attention", 65),
    ("partial", 65),
    ("weak", 65),
    ("limited", 65),
    ("basic", 65),
    ("at risk", 50),
    ("poor", 45),
    ("bad", 40),
    ("red", 40),
    ("critical", 35),
    ("failing", 35),
    ("broken", 35),
    ("missing", 35),
];

/// Traffic-light emoji, and the word each stands for.
const LIGHTS: &[(char, u8)] = &[('🟢', 85), ('🟡', 75), ('🟠', 65), ('🔴', 40)];

fn word(t: &str) -> Option<Grade> {
    let light = t.chars().next().and_then(|c| LIGHTS.iter().find(|(l, _)| *l == c).copied());
    let rest = match light {
        Some((l, _)) => t.get(l.len_utf8()..).unwrap_or_default().trim_start(),
        None => t,
    };
    let named = WORDS.iter().find_map(|&(phrase, score)| {
        let head = rest.get(..phrase.len())?;
        let boundary = rest.get(phrase.len()..)?.chars().next().is_none_or(|c| !c.is_alphanumeric());
        (head.eq_ignore_ascii_case(phrase) && boundary).then_some((head, score))
    });
    let (raw, score) = match (light, named) {
        // The words win over the light beside them: `🟡 Good` is good.
        (Some(_), Some((head, score))) => (t.get(..t.len() - rest.len() + head.len())?.to_string(), score),
        (None, Some((head, score))) => (head.to_string(), score),
        (Some((l, score)), None) => (l.to_string(), score),
        (None, None) => return None,
    };
    Some(Grade { raw, letter: None, score, scale: Scale::Word })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(text: &str) -> Option<(String, u8)> {
        read(text, None).map(|g| (g.raw, g.score))
    }

    fn on(text: &str, scale: Option<Range>) -> Option<(String, u8)> {
        read(text, scale).map(|g| (g.raw, g.score))
    }

    fn some(raw: &str, score: u8) -> Option<(String, u8)> {
        Some((raw.to_string(), score))
    }

    #[test]
    fn letters_with_plus_and_minus() {
        assert_eq!(g("**A**"), some("A", 95));
        assert_eq!(g("B+"), some("B+", 88));
        assert_eq!(g("A- (close)"), some("A-", 92));
        assert_eq!(g("A−"), some("A−", 92));
        assert_eq!(g("F"), some("F", 40));
        assert_eq!(read("c", None).and_then(|g| g.letter), Some('C'));
        assert_eq!(g("Grade"), None);
        assert_eq!(g("Apple"), None);
    }

    #[test]
    fn numbers_carry_or_borrow_their_scale() {
        assert_eq!(g("7/10"), some("7/10", 70));
        assert_eq!(g("3.5/5"), some("3.5/5", 70));
        assert_eq!(g("3 / 5 (solid)"), some("3 / 5", 60));
        assert_eq!(g("85%"), some("85%", 85));
        assert_eq!(g("12/0"), None);
        assert_eq!(g("6/5"), None, "over the scale");
        assert_eq!(g("3"), None, "a bare number needs a scale");
        let four = header_scale("Score (0-4)");
        assert_eq!(on("3", four), some("3", 75));
        assert_eq!(on("**2.5**", four), some("2.5", 63));
        assert_eq!(on("5", four), None, "over the scale");
        let one_to_five = header_scale("Rating (1–5)");
        assert_eq!(on("3", one_to_five), some("3", 50));
        assert_eq!(on("3/5", four), some("3/5", 60), "a value's own scale wins");
        assert_eq!(on("2026-01-01", four), None);
        assert_eq!(on("3x", four), None);
        assert_eq!(on("-1", four), None);
        assert_eq!(bare_number("3 (ok)"), Some(3.0));
        assert_eq!(bare_number("3/5"), None);
        assert_eq!(bare_number("good"), None);
    }

    #[test]
    fn header_scales_and_inference() {
        let r = |h: &str| header_scale(h).map(|r| (r.min, r.max));
        assert_eq!(r("Score (0-4)"), Some((0.0, 4.0)));
        assert_eq!(r("Score (0–10)"), Some((0.0, 10.0)));
        assert_eq!(r("Rating /10"), Some((0.0, 10.0)));
        assert_eq!(r("Score out of 5"), Some((0.0, 5.0)));
        assert_eq!(r("Coverage %"), Some((0.0, 100.0)));
        assert_eq!(r("Rating 1 to 5"), Some((1.0, 5.0)));
        assert_eq!(r("Score"), None);
        assert_eq!(r("Score (5-1)"), None);
        let i = |m: f64| inferred_scale(m).map(|r| r.max);
        assert_eq!(
            (i(0.8), i(3.0), i(4.0), i(4.5), i(7.0), i(42.0), i(101.0)),
            (Some(1.0), Some(4.0), Some(4.0), Some(5.0), Some(10.0), Some(100.0), None)
        );
    }

    #[test]
    fn grade_headers() {
        for h in [
            "Grade",
            "Score",
            "Rating",
            "Level",
            "Overall",
            "Current score",
            "Score (0-4)",
            "Quality Grade",
            "Score /10",
            "Maturity level",
        ] {
            assert!(is_grade_header(h), "{h}");
        }
        for h in ["Target score", "Previous grade", "Notes", "Area", "Level of effort", ""] {
            assert!(!is_grade_header(h), "{h}");
        }
    }

    #[test]
    fn words_stars_and_lights() {
        assert_eq!(g("Good"), some("Good", 85));
        assert_eq!(g("**needs work** (flaky)"), some("needs work", 65));
        assert_eq!(g("Excellent"), some("Excellent", 95));
        assert_eq!(g("poor"), some("poor", 45));
        assert_eq!(g("okay"), some("okay", 75));
        assert_eq!(g("Not good"), None);
        assert_eq!(g("goodish"), None);
        assert_eq!(g("🟢"), some("🟢", 85));
        assert_eq!(g("🟡 Good"), some("🟡 Good", 85));
        assert_eq!(g("★★★☆☆"), some("★★★☆☆", 60));
        assert_eq!(g("★★★★"), some("★★★★", 80));
        assert_eq!(g("Ärger"), None);
    }
}
