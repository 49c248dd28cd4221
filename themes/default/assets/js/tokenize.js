// Search terms, made exactly as src/search/tokenize.rs makes them (the shared vectors in
// tests/tokenizer-vectors.json check that the two agree).

// ---------------------------------------------------------------------------------------
// Search: the client of the index `planbook build` writes under search/ (see src/search/).
// Query terms are made exactly as the index's terms (src/search/tokenize.rs).

// Scripts written without spaces: the same ranges as `is_cjk` in src/search/tokenize.rs.
var CJK_CHARS = "\\u0e00-\\u0eff\\u1000-\\u109f\\u1780-\\u17ff\\u3040-\\u30ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af\\u{20000}-\\u{2ffff}";
var CJK = new RegExp("[" + CJK_CHARS + "]+", "gu");
var HAS_CJK = new RegExp("[" + CJK_CHARS + "]", "u");
// An ID not inside a longer word (CJK neighbours do not count).
var WORD_CHAR = "(?![" + CJK_CHARS + "])[\\p{L}\\p{N}]";
var ID = new RegExp("(^|(?!" + WORD_CHAR + ")[\\s\\S])(ep|td)-(\\d{1,6})(?!" + WORD_CHAR + ")", "giu");
var KIND_NAMES = { plan: "Plans", decision: "Decisions", lesson: "Lessons", debt: "Debt", quality: "Quality", doc: "Docs" };
var KIND_ORDER = ["plan", "decision", "lesson", "debt", "quality", "doc"];

function fold(w) {
  return w.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/ς/g, "σ");
}

// One word segmenter for the page: making one is slow.
var segmenter = null;
function words() {
  if (!segmenter) segmenter = new Intl.Segmenter(undefined, { granularity: "word" });
  return segmenter;
}

function tokenize(text) {
  var terms = [];
  text = text.replace(ID, function (_, before, kind, digits) {
    var n = String(parseInt(digits, 10));
    while (n.length < 3) n = "0" + n;
    terms.push(kind.toLowerCase() + "-" + n);
    return before + " ";
  });
  text = text.replace(CJK, function (run) {
    var chars = Array.from(run);
    if (chars.length === 1) terms.push(chars[0]);
    for (var i = 0; i + 1 < chars.length; i++) terms.push(chars[i] + chars[i + 1]);
    return " ";
  });
  for (var s of words().segment(text)) {
    if (s.isWordLike) {
      var f = fold(s.segment);
      if (f) terms.push(f);
    }
  }
  return terms;
}
