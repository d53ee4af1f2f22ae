//! What can go wrong with snapshot files, as opposed to a snapshot that does not match.

use std::path::PathBuf;

/// A snapshot file that could not be read, understood or written: the harness could not do its
/// job, as opposed to a snapshot that does not match (a failed check).
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read the snapshot {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a snapshot file: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}
