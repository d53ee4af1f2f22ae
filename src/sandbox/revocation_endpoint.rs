//! Token revocation (RFC 7009): a client revokes its own access or refresh token; revoking a
//! refresh token revokes its whole grant (RFC 7009 §2.1).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, PRAGMA};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::client_auth;
use super::defect::Defect;
use super::form::Form;
use super::oauth_error::OAuthError;
use super::state::{AppState, SharedState};
use super::tls_listener::AtAlias;
use super::token_store::TokenKind;

/// `POST /revoke`.
pub(crate) async fn revoke(
    State(state): State<SharedState>,
    alias: Option<Extension<AtAlias>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let alias = alias.map(|Extension(a)| a);
    match handle(&state, &headers, &body, alias.as_ref()) {
        Ok(()) => (
            StatusCode::OK,
            [(CACHE_CONTROL, "no-store"), (PRAGMA, "no-cache")],
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

fn handle(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    alias: Option<&AtAlias>,
) -> Result<(), OAuthError> {
    let form = Form::from_body(headers, body, false)?;
    let client = client_auth::authenticate(state, headers, &form, alias)?;
    let token = form
        .get("token")
        .ok_or_else(|| OAuthError::invalid_request("missing parameter: token"))?;
    let Some((kind, issued)) = state.tokens.find(token, form.get("token_type_hint")) else {
        if state.has(Defect::UnknownTokenRevocationRefused) {
            return Err(OAuthError::invalid_grant("unknown token"));
        }
        return Ok(());
    };
    if issued.grant.client_id != client.client.client_id
        && !state.has(Defect::CrossClientRevocation)
    {
        return Err(OAuthError::invalid_request(
            "the token was issued to another client",
        ));
    }
    if state.has(Defect::RevocationIgnored) {
        return Ok(());
    }
    match (kind, issued.grant.grant_id.as_deref()) {
        (TokenKind::Refresh, Some(grant_id))
            if !state.has(Defect::RefreshRevocationKeepsAccessTokens) =>
        {
            state.tokens.revoke_grant(grant_id)
        }
        _ => {
            state.tokens.update(kind, token, |t| t.revoked = true);
        }
    }
    Ok(())
}
