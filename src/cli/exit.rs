use crate::outcome::RunStatus;

/// Process exit codes (DESIGN §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Passed = 0,
    /// Conformance failures: an expectation did not hold.
    Failed = 1,
    /// Invalid input: a scenario, environment or fixtures file is wrong (file:line:column).
    InvalidInput = 2,
    /// The target could not be reached, or the run could not complete (or was interrupted).
    Incomplete = 3,
    /// A bug or an environment problem in grantspec itself.
    Internal = 4,
}

impl From<RunStatus> for Exit {
    fn from(status: RunStatus) -> Self {
        match status {
            RunStatus::Passed => Exit::Passed,
            RunStatus::Failed => Exit::Failed,
            RunStatus::Incomplete | RunStatus::Interrupted => Exit::Incomplete,
        }
    }
}
