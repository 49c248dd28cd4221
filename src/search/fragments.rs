//! Fragments: what the client shows of a result (title, heading, URL, kind, excerpt), in files
//! of `FRAGMENT_RECORDS` records (`f.<hash>.bin`, gzip of JSON), fetched only for results shown.
//!
//! A fragment is a JSON array of rows `[title, heading, url, kind, excerpt]`. Records of one plan
//! are adjacent, so a row's title is `null` when it repeats the row before, and its URL is only
//! `#anchor` when it is on the same page. The directory (`d.<hash>.bin`, gzip of) lists every
//! fragment's hash as a little-endian u64, in record order: the client finds a fragment's name
//! without the meta file listing thousands of names.

use super::encoding::{File, compressed, hash};
use super::records::Record;
use rayon::prelude::*;

/// Records per fragment file.
pub const FRAGMENT_RECORDS: usize = 20;
/// Characters of body text kept for the excerpt.
pub const EXCERPT_CHARS: usize = 240;

/// The fragment files and the directory file.
pub fn files(records: &[Record]) -> (Vec<File>, File) {
    let raws: Vec<Vec<u8>> = records.par_chunks(FRAGMENT_RECORDS).map(fragment).collect();
    let files: Vec<File> = raws.par_iter().map(|raw| compressed("f", raw)).collect();
    let directory: Vec<u8> = raws.iter().flat_map(|raw| hash(raw).to_le_bytes()).collect();
    (files, compressed("d", &directory))
}

/// The JSON of one fragment.
fn fragment(records: &[Record]) -> Vec<u8> {
    let mut rows = Vec::with_capacity(records.len());
    let mut prev: Option<&Record> = None;
    for r in records {
        let page = |url: &str| url.split('#').next().unwrap_or_default().to_string();
        let title = (prev.map(|p| p.title.as_str()) != Some(r.title.as_str())).then_some(r.title.as_str());
        let url = match (prev, r.url.split_once('#')) {
            (Some(p), Some((page_url, anchor))) if page(&p.url) == page_url => format!("#{anchor}"),
            _ => r.url.clone(),
        };
        rows.push((title, r.heading.as_str(), url, r.kind.as_str(), excerpt(&r.body)));
        prev = Some(r);
    }
    serde_json::to_vec(&rows).expect("fragments serialise")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::records::Kind;

    fn rec(title: &str, url: &str, body: &str) -> Record {
        Record {
            kind: Kind::Decision,
            title: title.into(),
            heading: "2026-01-02".into(),
            body: body.into(),
            url: url.into(),
            status: "active",
            year: "2026".into(),
            author: String::new(),
        }
    }

    #[test]
    fn rows_repeat_nothing_from_the_row_before() {
        let rows = [
            rec("EP-001 A", "plans/001-a/index.html", "x"),
            rec("EP-001 A", "plans/001-a/index.html#decision-1", "y"),
            rec("EP-002 B", "plans/002-b/index.html#decision-1", "z"),
        ];
        let json: serde_json::Value = serde_json::from_slice(&fragment(&rows)).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                ["EP-001 A", "2026-01-02", "plans/001-a/index.html", "decision", "x"],
                [null, "2026-01-02", "#decision-1", "decision", "y"],
                ["EP-002 B", "2026-01-02", "plans/002-b/index.html#decision-1", "decision", "z"]
            ])
        );
    }

    #[test]
    fn excerpts_are_cut_and_collapsed() {
        assert_eq!(excerpt("a\n  b\tc"), "a b c");
        assert_eq!(excerpt(&"word ".repeat(200)).chars().count(), EXCERPT_CHARS);
    }

    #[test]
    fn the_directory_names_every_fragment() {
        let records: Vec<Record> = (0..45).map(|i| rec(&format!("T{i}"), "p/index.html", "b")).collect();
        let (files, (dir_name, dir)) = files(&records);
        assert_eq!(files.len(), 3);
        assert!(dir_name.starts_with("search/d."));
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&dir[..]), &mut raw).unwrap();
        for (k, (name, _)) in files.iter().enumerate() {
            let h = u64::from_le_bytes(raw[k * 8..k * 8 + 8].try_into().unwrap());
            assert_eq!(name, &format!("search/f.{h:016x}.bin"));
        }
    }
}
