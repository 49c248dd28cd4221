//! Search: the static index the browser searches, written under `search/` at build time.
//!
//! In: the model. Out: files (path, bytes). This module defines a file format the client in
//! `themes/default/assets/js/search-index.js` reads; `FORMAT_VERSION` changes whenever it changes.
//!
//! - `index.json`: the meta file: record count, the first term and name of every shard, the
//!   fragment directory and the facet files. Its name is fixed, so pages do not change when the
//!   index does (the client revalidates it on each load); every other file is content-named.
//! - `t.<hash>.bin`: term shards ([`postings`]): a query fetches only the shards its terms fall
//!   in, and a prefix query ("retro") the few shards its range spans.
//! - `f.<hash>.bin` and `d.<hash>.bin`: what results show ([`fragments`]), fetched only for the
//!   results shown.
//! - `k.`, `s.`, `y.`, `a.<hash>.bin`: kind, status, year and author of every record
//!   ([`facets`]), for the search page's filters.
//!
//! Names carry content hashes, so an unchanged file keeps its name from one build to the next and
//! can be cached for good, and every file but the meta file is gzip-compressed ([`encoding`]).

pub mod encoding;
pub mod facets;
pub mod fragments;
pub mod postings;
pub mod records;
pub mod tokenize;

use records::Record;

/// Version of the files' format, read by the client.
pub const FORMAT_VERSION: u32 = 2;
/// Site-relative path of the meta file.
pub const META: &str = "search/index.json";

/// The written index.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// Every file: (site-relative path, bytes).
    pub files: Vec<encoding::File>,
    /// Records indexed.
    pub records: usize,
    /// Distinct terms.
    pub terms: usize,
}

/// Builds the index of `records`.
pub fn build(records: &[Record]) -> SearchIndex {
    let ((mut files, shards, terms), ((fragment_files, directory), facets)) = rayon::join(
        || postings::shards(records),
        || rayon::join(|| fragments::files(records), || facets::files(records)),
    );
    let meta = serde_json::json!({
        "version": FORMAT_VERSION,
        "records": records.len(),
        "shards": shards,
        "fragment_size": fragments::FRAGMENT_RECORDS,
        "directory": directory.0,
        "facets": facets.iter().map(|(name, file)| (name.to_string(), serde_json::Value::from(file.0.clone()))).collect::<serde_json::Map<_, _>>(),
    });
    files.extend(fragment_files);
    files.push(directory);
    files.extend(facets.into_iter().map(|(_, file)| file));
    files.push((META.to_string(), serde_json::to_vec(&meta).expect("meta serialises")));
    SearchIndex { files, records: records.len(), terms }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postings::tests::rec;

    #[test]
    fn index_files_are_content_named_and_deterministic() {
        let records: Vec<Record> =
            (0..50).map(|i| rec(&format!("Plan {i}"), "flaky test retrospective cache")).collect();
        let a = build(&records);
        let b = build(&records);
        let names = |i: &SearchIndex| i.files.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
        assert_eq!(names(&a), names(&b));
        assert_eq!(a.files.last().unwrap().0, META);
        let meta: serde_json::Value = serde_json::from_slice(&a.files.last().unwrap().1).unwrap();
        assert_eq!(meta["records"], 50);
        assert_eq!(meta["fragment_size"], 20);
        assert_eq!(a.files.iter().filter(|f| f.0.starts_with("search/f.")).count(), 3);
        assert!(a.terms >= 54, "plan, 0..49 and the body words");
    }

    #[test]
    fn an_edit_rewrites_only_the_files_it_changes() {
        let words = ["flaky", "cache", "retry", "storage", "upload", "token", "mirror", "schema"];
        let body = |i: usize| {
            (0..30)
                .map(|k| format!("{}{}", words[(i + k) % words.len()], (i * 31 + k * 17) % 997))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let records: Vec<Record> = (0..2000).map(|i| rec(&format!("Plan {i}"), &body(i))).collect();
        let mut edited = records.clone();
        edited[777].body = edited[777].body.replacen("flaky", "zebra", 1);
        let files = |r: &[Record]| build(r).files.into_iter().collect::<std::collections::BTreeSet<_>>();
        let (a, b) = (files(&records), files(&edited));
        // Two shards, the record's fragment, the directory naming it and the meta file.
        let changed: Vec<_> = b.difference(&a).map(|f| f.0.as_str()).collect();
        assert!(changed.len() <= 5, "{changed:?} of {} files", a.len());
        assert!(changed.iter().any(|f| f.starts_with("search/f.")) && changed.contains(&META), "{changed:?}");
    }
}
