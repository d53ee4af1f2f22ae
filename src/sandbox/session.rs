//! Login sessions at the authorization endpoint (a cookie naming a server-side record) and
//! authorization requests waiting for the user to log in.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

use super::pkce::Challenge;

/// The session cookie's name.
pub(crate) const COOKIE_NAME: &str = "gs_session";

/// A logged-in user.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub(crate) user: usize,
    pub(crate) auth_time: u64,
}

/// A validated authorization request (RFC 6749 §4.1.1; OIDC Core §3.1.2.1).
#[derive(Clone, Debug)]
pub(crate) struct AuthorizationRequest {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) redirect_uri_given: bool,
    pub(crate) scope: String,
    pub(crate) state: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) challenge: Option<Challenge>,
    pub(crate) prompt: Option<String>,
    pub(crate) max_age: Option<u64>,
    /// `response_type=token`, served only under [`Defect::ImplicitGrantServed`](super::defect::Defect).
    pub(crate) implicit: bool,
}

/// The session id the request's cookie carries.
pub(crate) fn session_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value)
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, scoped to the server.
pub(crate) fn set_cookie(id: &str) -> String {
    format!("{COOKIE_NAME}={id}; Path=/; HttpOnly; SameSite=Lax")
}

/// `Set-Cookie` that ends the session in the browser.
pub(crate) fn clear_cookie() -> String {
    format!("{COOKIE_NAME}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("a=1; gs_session=s-42; b=2"),
        );
        assert_eq!(session_id(&headers), Some("s-42"));
        assert_eq!(session_id(&HeaderMap::new()), None);
    }
}
