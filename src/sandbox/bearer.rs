//! Reading a bearer access token from a request (RFC 6750 §2): the Authorization header or,
//! for POST, the form body; never the URI (RFC 9700 §4.3.2), never two at once.

use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};

use super::form::Form;
use super::oauth_error::OAuthError;

/// The token the request presents, or the RFC 6750 §3.1 error for how it presents it.
/// With `allow_query` (a deliberate defect), a token in the query string is accepted.
pub(crate) fn token(
    headers: &HeaderMap,
    query: Option<&str>,
    body: Option<&[u8]>,
    allow_query: bool,
) -> Result<String, OAuthError> {
    let header = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let in_query = query.and_then(|q| {
        Form::parse(q.as_bytes())
            .get("access_token")
            .map(str::to_owned)
    });
    if let (Some(token), true, None) = (&in_query, allow_query, &header) {
        return Ok(token.clone());
    }
    if in_query.is_some() {
        return Err(OAuthError::bearer(
            StatusCode::BAD_REQUEST,
            Some("invalid_request"),
            "access tokens are not accepted in the URI",
        ));
    }
    let in_body = match body {
        Some(body) if !body.is_empty() => Form::from_body(headers, body, false)
            .ok()
            .and_then(|form| form.get("access_token").map(str::to_owned)),
        _ => None,
    };
    match (header, in_body) {
        (Some(_), Some(_)) => Err(OAuthError::bearer(
            StatusCode::BAD_REQUEST,
            Some("invalid_request"),
            "more than one method was used to send the access token",
        )),
        (Some(token), None) | (None, Some(token)) if !token.is_empty() => Ok(token),
        _ => Err(OAuthError::bearer(
            StatusCode::UNAUTHORIZED,
            None,
            "no access token",
        )),
    }
}
