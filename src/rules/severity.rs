use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// How much a rule's failure counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// A failure fails the run.
    Must,
    /// A failure is a warning.
    Should,
    /// Recorded; never a failure.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Must => "must",
            Severity::Should => "should",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "must" => Ok(Severity::Must),
            "should" => Ok(Severity::Should),
            "info" => Ok(Severity::Info),
            other => Err(format!(
                "unknown severity `{other}`, expected must, should or info"
            )),
        }
    }
}
