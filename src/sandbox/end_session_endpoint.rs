//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2–§3): ends the login session
//! and, when asked with a registered URI, redirects back with the state.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use serde_json::Value;

use super::form::Form;
use super::html_page;
use super::jws::Jws;
use super::redirect;
use super::session;
use super::state::{AppState, SharedState};

/// `GET` or `POST /logout`.
pub(crate) async fn end_session(
    State(state): State<SharedState>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let params = if method == Method::POST {
        match Form::from_body(&headers, &body, false) {
            Ok(form) => form,
            Err(e) => return html_page::error_page(StatusCode::BAD_REQUEST, &e.description),
        }
    } else {
        Form::parse(query.as_deref().unwrap_or("").as_bytes())
    };
    let target = match post_logout_target(&state, &params) {
        Ok(target) => target,
        Err(message) => return html_page::error_page(StatusCode::BAD_REQUEST, message),
    };
    if let Some(id) = session::session_id(&headers) {
        state.sessions.remove(id);
    }
    let cookie = Some(session::clear_cookie());
    match target {
        Some(uri) => {
            let location = match params.get("state") {
                Some(client_state) => redirect::with_params(&uri, &[("state", client_state)]),
                None => uri,
            };
            redirect::to(StatusCode::FOUND, &location, cookie)
        }
        None => {
            let mut page = html_page::page(
                StatusCode::OK,
                "Signed out",
                "<p>You are signed out.</p>",
                false,
            );
            if let Some(value) = cookie.and_then(|c| c.parse().ok()) {
                page.headers_mut().insert(SET_COOKIE, value);
            }
            page
        }
    }
}

/// The registered `post_logout_redirect_uri` to send the user to, if one was asked for. The
/// client comes from `client_id` or from the `id_token_hint`, which must be one of ours
/// (its expiry does not matter).
fn post_logout_target(state: &AppState, params: &Form) -> Result<Option<String>, &'static str> {
    let hinted_client = match params.get("id_token_hint") {
        Some(hint) => {
            let jws =
                Jws::parse(hint, &["RS256"]).map_err(|_| "id_token_hint is not an ID token")?;
            let signing = state
                .signing()
                .map_err(|_| "the server has no signing key")?;
            if !jws.verifies_with(std::slice::from_ref(&signing.own_key))
                || jws.claims.get("iss").and_then(Value::as_str) != Some(state.issuer())
            {
                return Err("id_token_hint was not issued by this server");
            }
            jws.claims
                .get("aud")
                .and_then(Value::as_str)
                .map(str::to_owned)
        }
        None => None,
    };
    let client_id = match (params.get("client_id"), hinted_client.as_deref()) {
        (Some(given), Some(hinted)) if given != hinted => {
            return Err("client_id does not match the id_token_hint");
        }
        (Some(given), _) => Some(given.to_owned()),
        (None, hinted) => hinted.map(str::to_owned),
    };
    let Some(uri) = params.get("post_logout_redirect_uri") else {
        return Ok(None);
    };
    let client = client_id
        .and_then(|id| state.client(&id))
        .ok_or("post_logout_redirect_uri needs client_id or id_token_hint")?;
    if client
        .client
        .post_logout_redirect_uris
        .iter()
        .any(|registered| registered == uri)
    {
        Ok(Some(uri.to_owned()))
    } else {
        Err("post_logout_redirect_uri is not registered for this client")
    }
}
