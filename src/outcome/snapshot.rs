//! A step's snapshot comparison, as the reports show it.

use serde::{Deserialize, Serialize};

/// A step's response compared with its accepted snapshot. The check itself is one of the
/// step's `checks`; this carries what a report needs to show it (the file, the diff).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SnapshotRecord {
    /// The accepted `.snap` file, as a path from where grantspec was started.
    pub path: String,
    pub comparison: SnapshotComparison,
    /// The file this run wrote because of `--update-snapshots`: the pending `.snap.new`, or the
    /// accepted file itself with `always`.
    pub written: Option<String>,
    /// A unified diff from the accepted snapshot to this run's, when they differ (all
    /// additions for a new snapshot). Redacted like the snapshot itself.
    pub diff: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotComparison {
    /// The response matches the accepted snapshot.
    Matched,
    /// It differs from the accepted snapshot.
    Changed,
    /// There is no accepted snapshot yet.
    New,
}

impl SnapshotComparison {
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotComparison::Matched => "matched",
            SnapshotComparison::Changed => "changed",
            SnapshotComparison::New => "new",
        }
    }
}
