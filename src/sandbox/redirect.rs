//! Redirects back to the client: `redirect_uri` plus response parameters (RFC 6749 §4.1.2,
//! §4.1.2.1; RFC 9207 `iss`), as 302 or 303, never 307 (RFC 9700 §4.12).

use axum::http::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// `redirect_uri` with `params` appended to its query, keeping what it already had.
pub(crate) fn with_params(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(params);
            url.to_string()
        }
        Err(_) => redirect_uri.to_owned(),
    }
}

/// Not plain http off loopback (RFC 9700 §2.6; RFC 8252 §7.3), with the loopback hosts
/// registration accepts. Anything unparsable is left to the exact comparison to refuse.
pub(crate) fn is_allowed(uri: &str) -> bool {
    url::Url::parse(uri).map_or(true, |u| {
        u.scheme() != "http" || matches!(u.host_str(), Some("127.0.0.1" | "[::1]" | "localhost"))
    })
}

/// A redirect to `location` with `status`, optionally setting a cookie.
pub(crate) fn to(status: StatusCode, location: &str, cookie: Option<String>) -> Response {
    let mut response = status.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(LOCATION, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(value) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_appended_and_encoded() {
        assert_eq!(
            with_params(
                "http://127.0.0.1:9/cb?x=1",
                &[("code", "ac-1"), ("state", "a b&c")]
            ),
            "http://127.0.0.1:9/cb?x=1&code=ac-1&state=a+b%26c"
        );
    }

    #[test]
    fn http_redirect_uris_are_allowed_on_loopback_only() {
        assert!(is_allowed("http://127.0.0.1:9/cb"));
        assert!(is_allowed("http://[::1]:9/cb"));
        assert!(is_allowed("https://app.example/cb"));
        assert!(is_allowed("com.example.app:/cb"));
        assert!(!is_allowed("http://app.example/cb"));
    }
}
