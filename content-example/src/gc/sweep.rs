//! Sweep phase of blob garbage collection (EP-009).

use crate::gc::mark::ReferencedSet;
use crate::meta::MetaStore;
use crate::storage::{BlobKey, StorageBackend};
use chrono::{Duration, Utc};
use tracing::{info, warn};

/// Blobs must be unreferenced in two marks at least this far apart before deletion.
pub const GRACE: Duration = Duration::days(7);

#[derive(Debug, Default)]
pub struct SweepReport {
    pub staging_parts_deleted: u64,
    pub bytes_freed: u64,
    pub errors: u64,
}

/// Deletes the staged parts of upload sessions that expired more than `GRACE` ago.
/// Listing is not needed here: each session row names its parts.
pub async fn sweep_staging(
    meta: &MetaStore,
    storage: &dyn StorageBackend,
    referenced: &ReferencedSet,
    dry_run: bool,
) -> anyhow::Result<SweepReport> {
    let mut report = SweepReport::default();
    let cutoff = Utc::now() - GRACE;
    for session in meta.expired_upload_sessions(cutoff).await? {
        for part in session.part_keys() {
            if referenced.contains(&part) {
                // A commit in flight still points at this part; leave it for the next run.
                continue;
            }
            let size = storage.head(&part).await?.map_or(0, |m| m.size);
            if dry_run {
                info!(blob = %part, bytes = size, "gc would delete staging part");
                continue;
            }
            match storage.delete(&part).await {
                Ok(()) => {
                    report.staging_parts_deleted += 1;
                    report.bytes_freed += size;
                }
                Err(e) => {
                    warn!(blob = %part, error = %e, "gc failed to delete staging part");
                    report.errors += 1;
                }
            }
        }
        if !dry_run {
            meta.forget_upload_session(session.id).await?;
        }
    }
    Ok(report)
}

// TODO(EP-009): sweep unreferenced content blobs once `StorageBackend::list` exists (TD-006).
// Until then there is no way to enumerate blobs that no row mentions.
pub async fn sweep_content(_storage: &dyn StorageBackend, _referenced: &ReferencedSet) -> anyhow::Result<u64> {
    let _ = BlobKey::sha256;
    Ok(0)
}
