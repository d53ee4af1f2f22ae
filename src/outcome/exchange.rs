use serde::{Deserialize, Serialize};

/// One HTTP request and its response, as sent and received, with secrets already redacted.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Exchange {
    pub request: RecordedRequest,
    /// `None` when no response arrived (timeout, connection refused, ...).
    pub response: Option<RecordedResponse>,
    pub duration_ms: f64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordedRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecordedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as text (lossy UTF-8), cut at a size limit.
    pub body: Option<String>,
    pub body_truncated: bool,
}
