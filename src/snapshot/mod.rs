//! Response snapshots: `.snap` files in insta's format under `snapshots/`, the redactions that
//! keep them stable and secret-free, the comparison with a unified diff, and the review of
//! pending `.snap.new` files. Called by the runner (one check per step that asks for it) and by
//! the `snapshots` command; reads nothing of the runner but the `Redactor`.
//!
//! - `snapshot_spec.rs`: `expect: { snapshot: ... }`, resolved ([`SnapshotSpec`])
//! - `path_redaction.rs`: a declared redaction, by JSONPath with wildcards
//! - `default_redactions.rs`: typed placeholders for what changes every run
//! - `jwt.rs`: JWTs shown decoded, never compact
//! - `contents.rs`: a response → the snapshot text (redacted, sorted, pretty JSON)
//! - `snap_file.rs`: insta's `.snap` format, written and read by hand
//! - `snapshot_path.rs`: `<root>/[<env>/]<scenario>/<step>.snap`, slugs
//! - `path_conflicts.rs`: two steps sharing a file is an input error
//! - `snapshot_session.rs`: one run's comparisons and writes ([`SnapshotSession`])
//! - `update_mode.rs`: `--update-snapshots` and CI
//! - `diff.rs`: unified diffs (similar)
//! - `files.rs`: reading and writing snapshot files
//! - `pending_snapshot.rs`, `review.rs`: accept, reject, review

mod contents;
mod default_redactions;
mod diff;
mod files;
mod jwt;
mod path_conflicts;
mod path_redaction;
mod pending_snapshot;
mod review;
mod snap_file;
mod snapshot_error;
mod snapshot_path;
mod snapshot_session;
mod snapshot_spec;
mod update_mode;

pub use path_conflicts::{check_paths, check_uses};
pub use path_redaction::PathRedaction;
pub use pending_snapshot::{PendingSnapshot, find_pending};
pub use review::{ReviewTally, review};
pub use snapshot_error::SnapshotError;
pub use snapshot_session::{SnapshotSession, StepSnapshot};
pub use snapshot_spec::SnapshotSpec;
pub use update_mode::{UpdateMode, running_in_ci};
