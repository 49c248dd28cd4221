//! Term shards: postings with BM25 weights, cut into shards at content-defined boundaries.
//!
//! A shard (`t.<hash>.bin`, gzip of) is `PBT1`, the term count, then per term (sorted): the
//! term's length and bytes, `df`, and its postings: record ids with a one-byte weight that
//! already includes the field boost (title > heading > body) and length normalisation. Sparse
//! lists are delta-encoded varints, dense ones a bitset over all records with 4-bit weights.

use super::encoding::{File, compressed, varint};
use super::records::Record;
use super::tokenize;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Target size of a term shard before compression: shards run from half to twice this.
pub const SHARD_BYTES: usize = 16 * 1024;

const K1: f64 = 1.2;
const B: f64 = 0.75;
const BOOST: [f64; 3] = [4.0, 2.0, 1.0];

/// The shards of `records`: files, (first term, file name) of each shard in term order, and the
/// number of distinct terms.
pub fn shards(records: &[Record]) -> (Vec<File>, Vec<(String, String)>, usize) {
    let n = records.len();
    // Postings with raw field counts, built in parallel over ranges of records and merged in
    // range order, so every list comes out sorted by record id without a sort.
    let chunk = n.div_ceil(rayon::current_num_threads() * 4).max(64);
    let partials: Vec<(Postings, Vec<f64>)> =
        records.par_chunks(chunk).enumerate().map(|(c, recs)| count_terms(recs, (c * chunk) as u32)).collect();
    let mut lengths = Vec::with_capacity(n);
    // Each term's lists from every range, in range order (borrowed: no list is copied).
    let mut merged: FxHashMap<&str, Vec<&[Counts]>> = FxHashMap::default();
    for (map, lens) in &partials {
        lengths.extend_from_slice(lens);
        for (term, list) in map {
            merged.entry(term.as_str()).or_default().push(list);
        }
    }
    let avg = stable_mean((lengths.iter().sum::<f64>() / lengths.len().max(1) as f64).max(1.0));
    let mut postings: Vec<(&str, Vec<&[Counts]>)> = merged.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(b.0));

    let entries: Vec<Vec<u8>> = postings
        .par_iter()
        .map(|(term, lists)| {
            let list: Vec<(u32, u8)> = lists
                .iter()
                .flat_map(|l| l.iter())
                .map(|&(rid, c)| (rid, weight(&c, lengths[rid as usize], avg)))
                .collect();
            let mut entry = Vec::with_capacity(term.len() + 4 + list.len() * 2);
            varint(&mut entry, term.len() as u64);
            entry.extend_from_slice(term.as_bytes());
            encode_postings(&mut entry, &list, n);
            entry
        })
        .collect();
    // Cut (sequential: each cut depends on the shard so far), then compress in parallel.
    let mut cuts: Vec<(usize, usize)> = Vec::new(); // (first term, end) of each shard
    let mut start = 0;
    let mut len = 0;
    for (i, ((term, _), entry)) in postings.iter().zip(&entries).enumerate() {
        if i > start && cut_before(term, len, entry.len()) {
            cuts.push((start, i));
            start = i;
            len = 0;
        }
        len += entry.len();
    }
    if start < postings.len() {
        cuts.push((start, postings.len()));
    }
    let files: Vec<File> = cuts
        .par_iter()
        .map(|&(from, to)| {
            let mut raw = b"PBT1".to_vec();
            varint(&mut raw, (to - from) as u64);
            for e in &entries[from..to] {
                raw.extend_from_slice(e);
            }
            compressed("t", &raw)
        })
        .collect();
    let index = cuts.iter().zip(&files).map(|(&(from, _), f)| (postings[from].0.to_string(), f.0.clone())).collect();
    (files, index, postings.len())
}

/// (record id, occurrences in title, heading, body).
type Counts = (u32, [u16; 3]);

/// Term → its counts, ids ascending.
type Postings = FxHashMap<String, Vec<Counts>>;

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
    let marker = xxhash_rust::xxh3::xxh3_64(term.as_bytes()).is_multiple_of(16);
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::search::records::Kind;

    pub(crate) fn rec(title: &str, body: &str) -> Record {
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
    fn postings_sparse_and_dense() {
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
    fn an_edit_rewrites_only_the_files_it_changes() {
        let words = ["flaky", "cache", "retry", "storage", "upload", "token", "mirror", "schema", "index", "graph"];
        let body = |i: usize| {
            (0..40)
                .map(|k| format!("{}{}", words[(i * 7 + k) % words.len()], (i * 31 + k * 17) % 997))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let records: Vec<Record> = (0..3000).map(|i| rec(&format!("Plan {i}"), &body(i))).collect();
        let mut edited = records.clone();
        // A word replaced by another (a typo fixed): the record's length stays in its step.
        edited[1234].body =
            edited[1234].body.replacen(' ', " zebra ", 1).split_once(' ').map(|(_, rest)| rest.to_string()).unwrap();
        let names = |r: &[Record]| shards(r).0.into_iter().map(|f| f.0).collect::<std::collections::BTreeSet<_>>();
        let (a, b) = (names(&records), names(&edited));
        let changed = b.difference(&a).count();
        assert!(a.len() > 40, "enough shards to mean something: {}", a.len());
        // The shard "zebra" joins and the one the old word leaves; not the rest.
        assert!(changed <= 2, "{changed} of {} shards changed", a.len());
    }

    #[test]
    fn shards_stay_within_bounds() {
        let records: Vec<Record> = (0..2000)
            .map(|i| rec(&format!("Plan {i}"), &format!("word{} other{} third{}", i, i % 300, i % 7)))
            .collect();
        let (files, index, _) = shards(&records);
        assert_eq!(files.len(), index.len());
        for (name, bytes) in &files {
            let mut raw = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut raw).unwrap();
            assert!(raw.len() <= SHARD_BYTES * 2 + 64, "{name}: {}", raw.len());
        }
        assert!(index.windows(2).all(|w| w[0].0 < w[1].0), "shards in term order");
    }
}
