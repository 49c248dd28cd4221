//! Cache validators and directives per route.
//!
// See EP-008 for the policy table; keep `policy_for` and the table in the plan in step.

/* EP-006 was abandoned: a Redis layer in front of MetaStore and StorageBackend was
 * superseded by plain HTTP caching. Blobs are content-addressed and never change, so
 * `immutable` lets the CDN and clients do the work. Do not reintroduce an app-level
 * blob cache without reading that plan's Decision Log. */

use http::header::{CACHE_CONTROL, ETAG};
use http::{HeaderMap, HeaderValue};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CachePolicy {
    /// Content-addressed blobs.
    Immutable,
    /// Package index: short-lived so a yank shows up within 30 seconds.
    Index,
    /// Package pages and other public metadata.
    Public { max_age: u32 },
    /// Anything tied to the caller (tokens, `/me`).
    Private,
}

pub fn policy_for(route: &str) -> CachePolicy {
    match route {
        r if r.starts_with("/blobs/") => CachePolicy::Immutable,
        r if r.starts_with("/api/v1/index/") => CachePolicy::Index,
        "/api/v1/me" | "/api/v1/tokens" => CachePolicy::Private,
        _ => CachePolicy::Public { max_age: 60 },
    }
}

pub fn apply(policy: CachePolicy, etag: Option<&str>, headers: &mut HeaderMap) {
    let value = match policy {
        CachePolicy::Immutable => "public, max-age=31536000, immutable".to_string(),
        CachePolicy::Index => "public, max-age=30, stale-while-revalidate=60".to_string(),
        CachePolicy::Public { max_age } => format!("public, max-age={max_age}"),
        CachePolicy::Private => "private, no-store".to_string(),
    };
    headers.insert(CACHE_CONTROL, HeaderValue::from_str(&value).expect("ascii"));
    if let (Some(tag), false) = (etag, policy == CachePolicy::Private) {
        if let Ok(v) = HeaderValue::from_str(&format!("\"{tag}\"")) {
            headers.insert(ETAG, v);
        }
    }
}

/// True when the client's `If-None-Match` already names `etag`: answer 304 without a body.
pub fn not_modified(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(http::header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| t.trim().trim_start_matches("W/").trim_matches('"') == etag)
}
