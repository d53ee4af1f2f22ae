//! What happened in a run, as plain serialisable data. The runner produces it; reports read
//! only this. Every string in here has already been redacted: no secret reaches this module.
//!
//! `RunResult` serialised with serde is `reports/results.json` (schema in
//! `docs/results-schema.json`); bump [`SCHEMA_VERSION`] on any incompatible change.

mod exchange;
mod result;
mod snapshot;
mod start;
mod time;

pub use exchange::{Exchange, RecordedRequest, RecordedResponse};
pub use result::{
    BaselineOutcome, CaptureRecord, CheckResult, Counts, ErrorKind, RuleRef, RunError, RunResult,
    RunStatus, ScenarioResult, StepError, StepResult, Summary, Verdict,
};
pub use snapshot::{SnapshotComparison, SnapshotRecord};
pub use start::RunStart;
pub use time::rfc3339;

/// Version of the `results.json` format.
pub const SCHEMA_VERSION: u32 = 1;
