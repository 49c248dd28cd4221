//! Blob storage. Every read and write of package bytes goes through `StorageBackend`.
//!
// See EP-001 (docs/harness/exec-plans/completed/001-storage-backend-trait.md) for why this is a
// trait object and why there is no `list` yet (TD-006).

use async_trait::async_trait;
use bytes::Bytes;
use futures::stream::BoxStream;
use std::fmt;

pub mod fs;
#[cfg(feature = "s3")]
pub mod s3;

/// A stream of body chunks, as axum hands them to us.
pub type ByteStream = BoxStream<'static, Result<Bytes, StorageError>>;

/// A content address: `sha256/ab/cd/<hex digest>`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BlobKey(String);

impl BlobKey {
    pub fn sha256(hex: &str) -> Self {
        BlobKey(format!("sha256/{}/{}/{}", &hex[..2], &hex[2..4], hex))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BlobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug)]
pub struct BlobMeta {
    pub size: u64,
    pub digest: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("blob not found: {0}")]
    NotFound(BlobKey),
    #[error("digest mismatch for {key}: got {actual}")]
    DigestMismatch { key: BlobKey, actual: String },
    #[error("storage backend error: {0}")]
    Backend(#[from] anyhow::Error),
}

#[async_trait]
pub trait StorageBackend: Send + Sync + 'static {
    async fn put(&self, key: &BlobKey, body: ByteStream) -> Result<BlobMeta, StorageError>;
    async fn get(&self, key: &BlobKey) -> Result<ByteStream, StorageError>;
    async fn head(&self, key: &BlobKey) -> Result<Option<BlobMeta>, StorageError>;
    async fn delete(&self, key: &BlobKey) -> Result<(), StorageError>;
}
