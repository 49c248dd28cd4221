//! Search: the static index the browser searches, written under `search/` at build time.
//!
//! In: the model. Out: files (path, bytes). This module defines a file format the client in
//! `themes/default/assets/app.js` reads; `FORMAT_VERSION` changes whenever it changes.
//!
//! - `index.<hash>.json`: the meta file: record count, the first term of every shard, fragment
//!   and facet file names. Pages name it in `data-search-index`.
//! - `t.<hash>.bin`: term shards. Terms are sorted and cut into shards of about `SHARD_BYTES`
//!   at content-defined boundaries (see `cut_before`; a term with a long postings list gets a
//!   shard of its own), so a query fetches only the shards its terms fall in, and a prefix query ("retro") the few shards its range spans. Each
//!   term's postings are record ids with a BM25 weight that already includes the field boost
//!   (title > heading > body); sparse lists are delta-encoded varints, dense ones a bitset.
//! - `f.<hash>.json`: record metadata (title, heading, URL, kind, facets, excerpt) in groups of
//!   `FRAGMENT_RECORDS`, fetched only for the results shown.
//! - `k.<hash>.bin`...: one facet each (kind, status, year, author): its values and the value of
//!   every record, run-length encoded (records of one plan are adjacent and share facets).
//!
//! Names carry content hashes, so an unchanged shard keeps its name from one build to the next.

pub mod records;
pub mod tokenize;

use records::Record;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Version of the files' format, read by the client.
pub const FORMAT_VERSION: u32 = 1;
/// Target size of a term shard: shards run from half to twice this.
pub const SHARD_BYTES: usize = 16 * 1024;
/// Records per fragment file.
pub const FRAGMENT_RECORDS: usize = 20;
/// Characters of body text kept for the excerpt.
pub const EXCERPT_CHARS: usize = 320;

const K1: f64 = 1.2;
const B: f64 = 0.75;
const BOOST: [f64; 3] = [4.0, 2.0, 1.0];

/// The written index.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Site-relative path of the meta file (`search/index.<hash>.json`).
    pub meta: String,
    /// Every file: (site-relative path, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// Records indexed.
    pub records: usize,
    /// Distinct terms.
    pub terms: usize,
}

/// Builds the index of `records`.
pub fn build(records: &[Record]) -> SearchIndex {
    let n = records.len();
    // Postings with raw field counts, built in parallel over ranges of records and merged in
    // range order, so every list comes out sorted by record id without a sort.
    let chunk = n.div_ceil(rayon::current_num_threads() * 4).max(64);
    let partials: Vec<(Postings, Vec<f64>)> =
        records.par_chunks(chunk).enumerate().map(|(c, recs)| count_terms(recs, (c * chunk) as u32)).collect();
    let mut lengths = Vec::with_capacity(n);
    // Each term's lists from every range, in range order (borrowed: no list is copied).
    let mut merged: FxHashMap<&str, Vec<&[(u32, [u16; 3])]>> = FxHashMap::default();
    for (map, lens) in &partials {
        lengths.extend_from_slice(lens);
        for (term, list) in map {
            merged.entry(term.as_str()).or_default().push(list);
        }
    }
    let avg = stable_mean((lengths.iter().sum::<f64>() / lengths.len().max(1) as f64).max(1.0));
    let mut postings: Vec<(&str, Vec<&[(u32, [u16; 3])]>)> = merged.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(b.0));

    let mut files = Vec::new();
    let mut shards: Vec<(String, String)> = Vec::new();
    let mut shard = Vec::new();
    let mut shard_terms = 0u32;
    let mut first = String::new();
    let mut flush = |shard: &mut Vec<u8>, count: &mut u32, first: &str, files: &mut Vec<(String, Vec<u8>)>| {
        if *count == 0 {
            return;
        }
        let mut bytes = b"PBT1".to_vec();
        varint(&mut bytes, u64::from(*count));
        bytes.append(shard);
        let name = format!("search/t.{:08x}.bin", crate::render::theme::fnv1a(&bytes) as u32);
        shards.push((first.to_string(), name.clone()));
        files.push((name, bytes));
        *count = 0;
    };
    let entries: Vec<Vec<u8>> = postings
        .par_iter()
        .map(|(term, lists)| {
            let list: Vec<(u32, u8)> =
                lists.iter().flat_map(|l| l.iter()).map(|&(rid, c)| (rid, weight(&c, lengths[rid as usize], avg))).collect();
            let mut entry = Vec::with_capacity(term.len() + 4 + list.len() * 2);
            varint(&mut entry, term.len() as u64);
            entry.extend_from_slice(term.as_bytes());
            encode_postings(&mut entry, &list, n);
            entry
        })
        .collect();
    for ((term, _), entry) in postings.iter().zip(entries) {
        if !shard.is_empty() && cut_before(term, shard.len(), entry.len()) {
            flush(&mut shard, &mut shard_terms, &first, &mut files);
        }
        if shard_terms == 0 {
            first.clear();
            first.push_str(term);
        }
        shard.extend_from_slice(&entry);
        shard_terms += 1;
    }
    flush(&mut shard, &mut shard_terms, &first, &mut files);

    let fragment_files: Vec<(String, Vec<u8>)> = records
        .par_chunks(FRAGMENT_RECORDS)
        .map(|chunk| {
            let rows: Vec<_> = chunk
                .iter()
                .map(|r| (&r.title, &r.heading, &r.url, r.kind.as_str(), r.status, &r.year, &r.author, excerpt(&r.body)))
                .collect();
            let bytes = serde_json::to_vec(&rows).expect("fragments serialise");
            (format!("search/f.{:08x}.json", crate::render::theme::fnv1a(&bytes) as u32), bytes)
        })
        .collect();
    let fragments: Vec<&str> = fragment_files.iter().map(|f| f.0.as_str()).collect();

    let mut facets = serde_json::Map::new();
    let facet_values: [(&str, Box<dyn Fn(&Record) -> &str>); 4] = [
        ("kind", Box::new(|r: &Record| r.kind.as_str())),
        ("status", Box::new(|r: &Record| r.status)),
        ("year", Box::new(|r: &Record| r.year.as_str())),
        ("author", Box::new(|r: &Record| r.author.as_str())),
    ];
    for (facet, value_of) in facet_values {
        let bytes = encode_facet(records.iter().map(|r| value_of(r)));
        let name = format!("search/{}.{:08x}.bin", &facet[..1], crate::render::theme::fnv1a(&bytes) as u32);
        facets.insert(facet.to_string(), serde_json::Value::String(name.clone()));
        files.push((name, bytes));
    }

    let meta = serde_json::json!({
        "version": FORMAT_VERSION,
        "records": n,
        "shards": shards,
        "fragment_size": FRAGMENT_RECORDS,
        "fragments": fragments,
        "facets": facets,
    });
    let bytes = serde_json::to_vec(&meta).expect("meta serialises");
    files.extend(fragment_files);
    let meta_name = format!("search/index.{:08x}.json", crate::render::theme::fnv1a(&bytes) as u32);
    files.push((meta_name.clone(), bytes));
    SearchIndex { meta: meta_name, files, records: n, terms: postings.len() }
}

/// Term → (record id, occurrences in title, heading, body), ids ascending.
type Postings = FxHashMap<String, Vec<(u32, [u16; 3])>>;

/// The postings and (bucketed) lengths of `records`, whose ids start at `first`.
fn count_terms(records: &[Record], first: u32) -> (Postings, Vec<f64>) {
    let mut map: Postings = FxHashMap::default();
    let mut lengths = Vec::with_capacity(records.len());
    for (k, r) in records.iter().enumerate() {
        let rid = first + k as u32;
        let mut len = 0.0;
        for (field, text) in [&r.title, &r.heading, &r.body].into_iter().enumerate() {
            tokenize::for_each_term(text, |t| {
                let list = match map.get_mut(t) {
                    Some(list) => list,
                    None => map.entry(t.to_string()).or_default(),
                };
                match list.last_mut() {
                    Some((id, counts)) if *id == rid => counts[field] = counts[field].saturating_add(1),
                    _ => {
                        let mut counts = [0; 3];
                        counts[field] = 1;
                        list.push((rid, counts));
                    }
                }
                len += BOOST[field];
            });
        }
        lengths.push(length_bucket(len));
    }
    (map, lengths)
}

/// BM25's term-frequency part, with field boosts, scaled to a byte. (IDF is computed by the
/// client from the list's length, so a new record does not rewrite every shard.)
fn weight(counts: &[u16; 3], length: f64, avg: f64) -> u8 {
    let tf: f64 = counts.iter().zip(BOOST).map(|(&n, b)| f64::from(n) * b).sum();
    let norm = tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * length / avg));
    (norm / (K1 + 1.0) * 255.0).round().clamp(1.0, 255.0) as u8
}

/// Whether a shard holding `len` bytes ends before `term` (whose entry takes `entry` bytes).
///
/// Boundaries are content-defined: past half the target size a shard ends before any term whose
/// hash has its low bits clear, and only a shard about to pass twice the target is cut by size.
/// A boundary thus depends on the terms around it, not on every byte before it, so an edit
/// that grows one shard leaves the boundaries (and the names) of the others alone.
fn cut_before(term: &str, len: usize, entry: usize) -> bool {
    let past_half = len >= SHARD_BYTES / 2;
    let marker = crate::render::theme::fnv1a(term.as_bytes()) % 16 == 0;
    (past_half && marker) || len + entry > SHARD_BYTES * 2
}

/// The mean document length BM25 normalises by, rounded to two significant digits so that an
/// edit to one record does not shift every weight (and rewrite every shard).
fn stable_mean(mean: f64) -> f64 {
    let scale = 10f64.powi(mean.log10().floor() as i32 - 1);
    ((mean / scale).round() * scale).max(1.0)
}

/// A record's length for BM25, rounded to a step of a geometric scale (10% apart). Weights then
/// move only when an edit changes a record's length by a step, not with every word, so a typo
/// fix rewrites the shards of the words it touches and nothing else.
fn length_bucket(len: f64) -> f64 {
    const STEP: f64 = 1.1;
    STEP.powf((len.max(1.0).ln() / STEP.ln()).round())
}

/// The start of `body`, whitespace collapsed, at most `EXCERPT_CHARS` characters.
fn excerpt(body: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for w in body.split_whitespace() {
        if chars >= EXCERPT_CHARS {
            break;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        for c in w.chars().take(EXCERPT_CHARS.saturating_sub(chars)) {
            out.push(c);
            chars += 1;
        }
    }
    out
}

/// LEB128.
fn varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// `df`, then either `0` and (delta id, weight) pairs, or `1` and a bitset over all records
/// followed by 4-bit weights, whichever is smaller.
fn encode_postings(out: &mut Vec<u8>, list: &[(u32, u8)], records: usize) {
    varint(out, list.len() as u64);
    let mut sparse = Vec::with_capacity(list.len() * 2);
    let mut last = 0;
    for &(rid, w) in list {
        varint(&mut sparse, u64::from(rid - last));
        sparse.push(w);
        last = rid;
    }
    let dense_len = records.div_ceil(8) + list.len().div_ceil(2);
    if dense_len < sparse.len() {
        out.push(1);
        let mut bits = vec![0u8; records.div_ceil(8)];
        for &(rid, _) in list {
            bits[rid as usize / 8] |= 1 << (rid % 8);
        }
        out.extend_from_slice(&bits);
        for pair in list.chunks(2) {
            let hi = pair[0].1 >> 4;
            let lo = pair.get(1).map_or(0, |p| p.1 >> 4);
            out.push(hi << 4 | lo);
        }
    } else {
        out.push(0);
        varint(out, sparse.len() as u64);
        out.extend_from_slice(&sparse);
    }
}

/// `PBF1`, the values, then (value index, run length) pairs covering every record in order.
fn encode_facet<'a>(values: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut names: Vec<&str> = Vec::new();
    let mut runs: Vec<(usize, u64)> = Vec::new();
    for v in values {
        let i = names.iter().position(|n| *n == v).unwrap_or_else(|| {
            names.push(v);
            names.len() - 1
        });
        match runs.last_mut() {
            Some((last, len)) if *last == i => *len += 1,
            _ => runs.push((i, 1)),
        }
    }
    let mut out = b"PBF1".to_vec();
    varint(&mut out, names.len() as u64);
    for n in &names {
        varint(&mut out, n.len() as u64);
        out.extend_from_slice(n.as_bytes());
    }
    varint(&mut out, runs.len() as u64);
    for (i, len) in runs {
        varint(&mut out, i as u64);
        varint(&mut out, len);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use records::Kind;

    fn rec(title: &str, body: &str) -> Record {
        Record {
            kind: Kind::Plan,
            title: title.into(),
            heading: String::new(),
            body: body.into(),
            url: "plans/x/index.html".into(),
            status: "active",
            year: "2026".into(),
            author: "agent".into(),
        }
    }

    #[test]
    fn varints_and_postings() {
        let mut v = Vec::new();
        varint(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
        let mut sparse = Vec::new();
        encode_postings(&mut sparse, &[(3, 200), (10, 7)], 1000);
        assert_eq!(sparse, [2, 0, 4, 3, 200, 7, 7]);
        let mut dense = Vec::new();
        let all: Vec<(u32, u8)> = (0..16).map(|i| (i, 0xf0)).collect();
        encode_postings(&mut dense, &all, 16);
        assert_eq!(&dense[..4], [16, 1, 0xff, 0xff]);
        assert_eq!(dense[4], 0xff);
    }

    #[test]
    fn index_files_are_content_named_and_deterministic() {
        let records: Vec<Record> = (0..50).map(|i| rec(&format!("Plan {i}"), "flaky test retrospective cache")).collect();
        let a = build(&records);
        let b = build(&records);
        let names = |i: &SearchIndex| i.files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        assert!(a.meta.starts_with("search/index.") && a.meta.ends_with(".json"));
        let meta: serde_json::Value = serde_json::from_slice(&a.files.last().unwrap().1).unwrap();
        assert_eq!(meta["records"], 50);
        assert_eq!(meta["fragments"].as_array().unwrap().len(), 3);
        assert!(a.terms >= 54, "plan, 0..49 and the body words");
    }

    #[test]
    fn an_edit_rewrites_only_the_files_it_changes() {
        let words = ["flaky", "cache", "retry", "storage", "upload", "token", "mirror", "schema", "index", "graph"];
        let body = |i: usize| (0..40).map(|k| format!("{}{}", words[(i * 7 + k) % words.len()], (i * 31 + k * 17) % 997)).collect::<Vec<_>>().join(" ");
        let records: Vec<Record> = (0..3000).map(|i| rec(&format!("Plan {i}"), &body(i))).collect();
        let mut edited = records.clone();
        // A word replaced by another (a typo fixed): the record's length stays in its step.
        edited[1234].body = edited[1234].body.replacen(' ', " zebra ", 1).split_once(' ').map(|(_, rest)| rest.to_string()).unwrap();
        let names = |r: &[Record]| build(r).files.into_iter().map(|f| f.0).collect::<std::collections::BTreeSet<_>>();
        let (a, b) = (names(&records), names(&edited));
        let changed = b.difference(&a).count();
        assert!(a.len() > 40, "enough shards to mean something: {}", a.len());
        // The shard "zebra" joins, the one the old word leaves, the record's fragment and the
        // meta file (which names them); not the rest.
        assert!(changed <= 4, "{changed} of {} files changed", a.len());
    }

    #[test]
    fn shards_stay_within_bounds() {
        let records: Vec<Record> = (0..2000).map(|i| rec(&format!("Plan {i}"), &format!("word{} other{} third{}", i, i % 300, i % 7))).collect();
        let index = build(&records);
        for (name, bytes) in index.files.iter().filter(|f| f.0.starts_with("search/t.")) {
            assert!(bytes.len() <= SHARD_BYTES * 2 + 64, "{name}: {}", bytes.len());
        }
    }

    #[test]
    fn facets_are_run_length_encoded() {
        let f = encode_facet(["a", "a", "b", "a"].into_iter());
        assert_eq!(f, [b'P', b'B', b'F', b'1', 2, 1, b'a', 1, b'b', 3, 0, 2, 1, 1, 0, 1]);
    }
}
