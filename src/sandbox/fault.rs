//! Fault injection: latency, server errors and dropped connections, to test how a harness
//! copes with a flaky environment.

use std::time::Duration;

/// Faults applied to every request. Rates are probabilities in `[0, 1]`.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Added before every response.
    pub latency: Duration,
    /// Share of requests answered `500` with `{"error":"server_error"}`.
    pub fail_rate: f64,
    /// Share of requests whose connection is closed in the middle of the response.
    pub drop_rate: f64,
}

impl Faults {
    pub fn is_none(&self) -> bool {
        self.latency.is_zero() && self.fail_rate <= 0.0 && self.drop_rate <= 0.0
    }
}
