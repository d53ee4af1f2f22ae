//! Token revocation (RFC 7009): a client revokes its own access or refresh token; revoking a
//! refresh token revokes its whole grant (RFC 7009 §2.1). Access tokens the configuration
//! leaves out get 400 unsupported_token_type (§2.2.1).

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
    let client = match client_auth::authenticate(state, headers, &form, alias) {
        Err(e) if state.has(Defect::RevocationSecretUnchecked) => {
            client_auth::claimed_client_id(headers, &form)
                .and_then(|id| state.client(&id))
                .ok_or(e)?
        }
        other => other?,
    };
    let Some(token) = form.get("token") else {
        if state.has(Defect::MissingTokenRevocation200) {
            return Ok(());
        }
        return Err(OAuthError::invalid_request("missing parameter: token"));
    };
    // RFC 7009 §2.1: an unknown hint is no reason to stop looking.
    let hint = form.get("token_type_hint");
    if state.has(Defect::UnknownHintRefused)
        && hint.is_some_and(|h| TokenKind::from_hint(h).is_none())
    {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_token_type",
            "unknown token_type_hint",
        ));
    }
    let refuse_unusable = state.has(Defect::RevokedTokenRevocationRefused);
    if refuse_unusable && !is_b64token(token) {
        return Err(OAuthError::invalid_request("malformed token"));
    }
    let Some((kind, issued)) = state.tokens.find(token, hint) else {
        if state.has(Defect::UnknownTokenRevocationRefused) {
            return Err(OAuthError::invalid_grant("unknown token"));
        }
        return Ok(());
    };
    if refuse_unusable && issued.revoked {
        return Err(OAuthError::invalid_request("the token is already revoked"));
    }
    // Whose token it is comes before whether its type can be revoked (RFC 7009 §2.1).
    if issued.grant.client_id != client.client.client_id
        && !state.has(Defect::CrossClientRevocation)
    {
        return Err(OAuthError::invalid_request(
            "the token was issued to another client",
        ));
    }
    if kind == TokenKind::Refresh && state.has(Defect::RefreshRevocationUnsupported) {
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_token_type",
            "refresh tokens cannot be revoked",
        ));
    }
    if kind == TokenKind::Access && !state.access_token_revocation.revokes(token) {
        if state.has(Defect::UnsupportedTokenTypeInvalidRequest) {
            return Err(OAuthError::invalid_request("this token cannot be revoked"));
        }
        return Err(OAuthError::new(
            StatusCode::BAD_REQUEST,
            "unsupported_token_type",
            "this access token cannot be revoked",
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

/// RFC 6750 §2.1 `b64token`: the shape of every token the sandbox issues (opaque or JWT).
fn is_b64token(token: &str) -> bool {
    let body = token.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_are_b64tokens_and_spaces_are_not() {
        assert!(is_b64token("at-Ab_9-x"));
        assert!(is_b64token("eyJ.eyJ.sig=="));
        assert!(!is_b64token("not a token %%"));
        assert!(!is_b64token("=="));
    }
}
