//! `grant_type=refresh_token` (RFC 6749 §6; OIDC Core §12.2): rotation, with `refresh_credit`
//! counting the refreshes left.

use axum::response::Response;

use super::clock::unix_now;
use super::defect::Defect;
use super::form::Form;
use super::oauth_error::OAuthError;
use super::registered_client::RegisteredClient;
use super::scope;
use super::state::AppState;
use super::token_response;
use super::token_store::TokenKind;

/// The new access token is bound to the certificate of this request, if any (RFC 8705 §3).
pub(crate) fn refresh(
    state: &AppState,
    client: &RegisteredClient,
    form: &Form,
    bound_to: Option<String>,
) -> Result<Response, OAuthError> {
    let token = form
        .get("refresh_token")
        .ok_or_else(|| OAuthError::invalid_request("missing parameter: refresh_token"))?;
    if state.has(Defect::RefreshTokenRefused) {
        return Err(OAuthError::invalid_grant("the refresh token is not valid"));
    }
    let rotate = !state.has(Defect::RefreshReuseAccepted);
    let client_id = client.client.client_id.as_str();
    let requested = form.get("scope");
    let previous = state
        .tokens
        .update(TokenKind::Refresh, token, |t| {
            let bound =
                t.grant.client_id == client_id || state.has(Defect::RefreshTokenNotBoundToClient);
            if t.revoked || !bound {
                return Err(OAuthError::invalid_grant("the refresh token is invalid"));
            }
            if requested.is_some_and(|r| !scope::is_subset(r, &t.grant.scope))
                && !state.has(Defect::RefreshScopeWidened)
            {
                return Err(OAuthError::invalid_scope(
                    "the requested scope exceeds the original grant (RFC 6749 §6)",
                ));
            }
            t.revoked = rotate;
            Ok(t.clone())
        })
        .unwrap_or_else(|| Err(OAuthError::invalid_grant("the refresh token is invalid")))?;
    let mut grant = previous.grant;
    grant.bound_to = bound_to;
    if state.has(Defect::RefreshedIdTokenNewAuthTime) {
        // As if the refresh were a new login: later than the original, even within its second.
        grant.auth_time = Some(
            grant
                .auth_time
                .map_or(unix_now(), |t| (t + 1).max(unix_now())),
        );
    }
    if let Some(requested) = requested {
        grant.scope = requested.to_owned();
    }
    let credit = previous.refresh_credit.saturating_sub(1);
    let nonce = scope::contains(&grant.scope, "openid").then_some(None);
    token_response::respond(state, &client.client, grant, Some(credit), nonce)
}
