//! JSON success responses, with the caching headers token-bearing answers need.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// `value` as `application/json`; with `no_store`, also `Cache-Control: no-store` and
/// `Pragma: no-cache` (RFC 6749 §5.1).
pub(crate) fn json(status: StatusCode, value: &Value, no_store: bool) -> Response {
    let mut response = (status, value.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if no_store {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    }
    response
}
