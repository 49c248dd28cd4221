//! Facet files (`k.`, `s.`, `y.`, `a.<hash>.bin`, gzip of): kind, status, year and author of
//! every record, for the search page's filters and counts.
//!
//! Format: `PBF1`, the values, then (value index, run length) pairs covering every record in
//! order. Records of one plan are adjacent and share status, year and author, so runs are long.

use super::encoding::{File, compressed, varint};
use super::records::Record;

/// (facet name, file) for kind, status, year and author.
pub fn files(records: &[Record]) -> Vec<(&'static str, File)> {
    type ValueOf = fn(&Record) -> &str;
    let facets: [(&str, ValueOf); 4] = [
        ("kind", |r| r.kind.as_str()),
        ("status", |r| r.status),
        ("year", |r| r.year.as_str()),
        ("author", |r| r.author.as_str()),
    ];
    facets
        .iter()
        .map(|(name, value_of)| (*name, compressed(&name[..1], &encode(records.iter().map(value_of)))))
        .collect()
}

/// `PBF1`, the values, then (value index, run length) pairs covering every record in order.
fn encode<'a>(values: impl Iterator<Item = &'a str>) -> Vec<u8> {
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

    #[test]
    fn facets_are_run_length_encoded() {
        let f = encode(["a", "a", "b", "a"].into_iter());
        assert_eq!(f, [b'P', b'B', b'F', b'1', 2, 1, b'a', 1, b'b', 3, 0, 2, 1, 1, 0, 1]);
    }
}
