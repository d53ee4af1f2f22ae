use crate::outcome::ScenarioResult;

/// What the runner reports while it works; the console turns these into live output.
#[derive(Debug)]
pub enum Event {
    RunStarted {
        scenarios: usize,
        environment: String,
        issuer: Option<String>,
    },
    ScenarioFinished(Box<ScenarioResult>),
}
