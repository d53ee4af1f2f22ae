//! What is known of a run before its first scenario: all that reports written while the run
//! goes need to start.

use super::{RunResult, rfc3339};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunStart {
    pub tool: String,
    pub environment: String,
    pub issuer: Option<String>,
    /// RFC 3339, UTC.
    pub started_at: String,
}

impl RunStart {
    /// A run starting now.
    pub fn now(environment: &str, issuer: Option<&str>) -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::SystemTime::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        Self {
            tool: env!("CARGO_PKG_NAME").into(),
            environment: environment.into(),
            issuer: issuer.map(Into::into),
            started_at: rfc3339(secs),
        }
    }

    /// The start of a finished run.
    pub fn of(run: &RunResult) -> Self {
        Self {
            tool: run.tool.clone(),
            environment: run.environment.clone(),
            issuer: run.issuer.clone(),
            started_at: run.started_at.clone(),
        }
    }
}
