use std::sync::Arc;

use crate::outcome::ScenarioResult;

/// What the runner reports while it works; the console turns these into live output.
#[derive(Debug)]
pub enum Event {
    RunStarted {
        scenarios: usize,
        environment: String,
        issuer: Option<String>,
    },
    /// In the order scenarios finish (not the suite's); `index` is the scenario's place in the
    /// suite.
    ScenarioFinished {
        index: usize,
        result: Arc<ScenarioResult>,
    },
}
