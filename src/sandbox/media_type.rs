//! The media type of a request body.

use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;

/// Whether the request's `Content-Type` essence is `expected` (case-insensitive, parameters
/// such as `charset` allowed).
pub(crate) fn is(headers: &HeaderMap, expected: &str) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(expected))
}
