//! How index files are written: LEB128 varints, gzip, and content-derived names.
//!
//! Every file but the meta file is gzip-compressed by planbook (and decompressed by the client
//! with `DecompressionStream`), so the bytes a query fetches are small on any host, not only on
//! those that compress responses. The names end in `.bin`, not `.gz`, so that no server adds a
//! `Content-Encoding` the client would not expect.

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;

/// An index file: site-relative path and bytes.
pub type File = (String, Vec<u8>);

/// LEB128.
pub fn varint(out: &mut Vec<u8>, mut v: u64) {
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

/// The 64-bit content hash that names a file (xxh3): at 5,000 files a 32-bit name would collide,
/// silently, once in a few hundred builds.
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// `search/<prefix>.<hash of raw>.bin` and `raw` gzip-compressed. The gzip header carries no
/// time or name, so the same input gives the same bytes.
pub fn compressed(prefix: &str, raw: &[u8]) -> File {
    let mut gz =
        GzEncoder::new(Vec::with_capacity(raw.len() / 3 + 64), Compression::new(if prefix == "f" { 1 } else { 6 }));
    gz.write_all(raw).expect("writing to memory");
    let bytes = gz.finish().expect("writing to memory");
    (format!("search/{prefix}.{:016x}.bin", hash(raw)), bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        let mut v = Vec::new();
        varint(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
    }

    #[test]
    fn compression_is_deterministic_and_round_trips() {
        let raw = b"flaky test ".repeat(100);
        let (a, x) = compressed("t", &raw);
        let (b, y) = compressed("t", &raw);
        assert_eq!((a, &x), (b, &y));
        assert_eq!(&x[..2], [0x1f, 0x8b]);
        assert!(x.len() < raw.len() / 5);
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&x[..]), &mut out).unwrap();
        assert_eq!(out, raw);
    }
}
