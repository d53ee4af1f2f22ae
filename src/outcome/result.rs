use serde::{Deserialize, Serialize};

use super::{Exchange, SnapshotRecord};
use crate::diag::Location;

/// A whole run: every scenario, in the order of the suite.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunResult {
    pub schema_version: u32,
    pub tool: String,
    pub tool_version: String,
    /// The environment name (`sandbox` for the embedded server).
    pub environment: String,
    pub issuer: Option<String>,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub duration_ms: f64,
    pub status: RunStatus,
    /// Problems that kept the run from completing (target unreachable before any scenario,
    /// interruption), as opposed to failed expectations.
    pub errors: Vec<RunError>,
    /// Things the reader must know that are neither errors nor failures (TLS checks off).
    pub warnings: Vec<String>,
    pub summary: Summary,
    /// Each entry of the environment's baseline, and whether the run saw it.
    pub baseline: Vec<BaselineOutcome>,
    pub scenarios: Vec<ScenarioResult>,
}

impl RunResult {
    /// The run with no scenario: what reports write around the scenarios' parts
    /// (`scenarios` is the last field of `results.json`).
    pub fn without_scenarios(&self) -> RunResult {
        let RunResult {
            schema_version,
            tool,
            tool_version,
            environment,
            issuer,
            started_at,
            duration_ms,
            status,
            errors,
            warnings,
            summary,
            baseline,
            scenarios: _,
        } = self;
        RunResult {
            schema_version: *schema_version,
            tool: tool.clone(),
            tool_version: tool_version.clone(),
            environment: environment.clone(),
            issuer: issuer.clone(),
            started_at: started_at.clone(),
            duration_ms: *duration_ms,
            status: *status,
            errors: errors.clone(),
            warnings: warnings.clone(),
            summary: summary.clone(),
            baseline: baseline.clone(),
            scenarios: Vec::new(),
        }
    }
}

/// A known deviation of the baseline, after the run.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BaselineOutcome {
    /// A scenario name, or `*`.
    pub scenario: String,
    pub rule: String,
    pub comment: String,
    /// How many checks it turned into deviations; 0 means the deviation is fixed and the entry
    /// can go.
    pub occurrences: usize,
}

/// The run as a whole; maps to the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Every step passed (or was skipped on purpose).
    Passed,
    /// At least one expectation failed; everything ran.
    Failed,
    /// Something could not run: the target was unreachable, timed out, answered garbage.
    Incomplete,
    /// Stopped by SIGINT or SIGTERM before the end.
    Interrupted,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunError {
    pub kind: ErrorKind,
    pub message: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Summary {
    pub scenarios: Counts,
    pub steps: Counts,
    pub checks: Counts,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub errored: usize,
    pub skipped: usize,
    /// Checks of `should` rules that did not hold.
    pub warned: usize,
    /// Checks of `info` rules that did not hold (recorded, never a failure).
    pub info: usize,
    /// Failures that the environment's baseline expects.
    pub deviations: usize,
}

impl Counts {
    pub fn add(&mut self, verdict: Verdict) {
        self.total += 1;
        match verdict {
            Verdict::Passed => self.passed += 1,
            Verdict::Failed => self.failed += 1,
            Verdict::Error => self.errored += 1,
            Verdict::Skipped => self.skipped += 1,
            Verdict::Warned => self.warned += 1,
            Verdict::Info => self.info += 1,
            Verdict::Deviation => self.deviations += 1,
        }
    }
}

/// The verdict of a scenario, a step or a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Passed,
    Skipped,
    /// A check of an `info` rule did not hold: recorded, not a failure.
    Info,
    /// A check of a `should` rule did not hold: a warning, not a failure.
    Warned,
    /// A failure the environment's baseline expects (a known deviation): reported, not failing.
    Deviation,
    /// An expectation did not hold: the server is wrong (or the scenario is).
    Failed,
    /// The step could not be carried out: the target is unreachable, slow, or the harness
    /// failed. Not a conformance verdict.
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Passed => "passed",
            Verdict::Skipped => "skipped",
            Verdict::Info => "info",
            Verdict::Warned => "warned",
            Verdict::Deviation => "deviation",
            Verdict::Failed => "failed",
            Verdict::Error => "error",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScenarioResult {
    pub name: String,
    /// The scenario file, relative to where grantspec was started.
    pub file: String,
    pub location: Location,
    pub doc: Option<String>,
    pub tags: Vec<String>,
    pub verdict: Verdict,
    pub duration_ms: f64,
    pub steps: Vec<StepResult>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StepResult {
    pub name: String,
    /// The step kind as written in the scenario (`http`, ...).
    pub kind: String,
    pub location: Location,
    pub verdict: Verdict,
    /// Why the step was skipped, when it was.
    pub skip_reason: Option<String>,
    /// Why the step could not be carried out, when it could not.
    pub error: Option<StepError>,
    pub checks: Vec<CheckResult>,
    pub captures: Vec<CaptureRecord>,
    pub exchanges: Vec<Exchange>,
    pub duration_ms: f64,
    /// The step's response compared with its snapshot, when the step asks for one.
    pub snapshot: Option<SnapshotRecord>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StepError {
    pub kind: ErrorKind,
    pub message: String,
}

/// Why something could not run. Everything but `Internal` and `Interrupted` is the target's
/// doing (or the network's), never a conformance verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Connection refused, DNS failure, no route.
    Connect,
    Timeout,
    /// Connection closed or reset mid-exchange.
    ConnectionReset,
    Tls,
    /// Something else at the HTTP layer.
    Http,
    /// The target answered 5xx where the scenario expected no server error.
    ServerError,
    /// A value the step needed was missing at run time (a capture that found nothing, an
    /// endpoint the server does not advertise).
    MissingValue,
    /// A template that could not be rendered at run time.
    Template,
    Interrupted,
    /// A bug or an environment problem in the harness itself.
    Internal,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Connect => "connect",
            ErrorKind::Timeout => "timeout",
            ErrorKind::ConnectionReset => "connection_reset",
            ErrorKind::Tls => "tls",
            ErrorKind::Http => "http",
            ErrorKind::ServerError => "server_error",
            ErrorKind::MissingValue => "missing_value",
            ErrorKind::Template => "template",
            ErrorKind::Interrupted => "interrupted",
            ErrorKind::Internal => "internal",
        }
    }
}

/// One expectation, evaluated.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckResult {
    /// What was looked at: `status`, `header content-type`, `json $.token_type`.
    pub subject: String,
    /// How: `equals`, `regex`, `type`, ...
    pub matcher: String,
    /// The expectation as written, rendered for people.
    pub expected: String,
    /// What was observed, rendered for people (`<absent>` when there was nothing).
    pub actual: String,
    pub verdict: Verdict,
    /// The YAML node that declared the expectation (for a rule applied automatically: the step).
    pub location: Location,
    /// The conformance rule this check enforces, if any.
    pub rule: Option<RuleRef>,
}

/// A conformance rule, as reports show it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RuleRef {
    pub id: String,
    pub title: String,
    /// `must`, `should` or `info` (after any re-grading by the scenario).
    pub severity: String,
    pub clause: String,
    pub url: String,
}

/// A value captured for later steps. Captured values that are secrets appear redacted.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CaptureRecord {
    pub name: String,
    pub value: String,
}
