//! `grant_type=authorization_code` (RFC 6749 §4.1.3; RFC 7636 §4.5–§4.6; RFC 9700 §2.1.1, §4.5).

use axum::response::Response;

use super::authorization_code::Redemption;
use super::client::GrantType;
use super::defect::Defect;
use super::form::Form;
use super::oauth_error::OAuthError;
use super::registered_client::RegisteredClient;
use super::scope;
use super::state::AppState;
use super::token_response;
use super::token_store::TokenGrant;

/// `bound_to`: the certificate the tokens are bound to (RFC 8705 §3), if any.
pub(crate) fn exchange(
    state: &AppState,
    client: &RegisteredClient,
    form: &Form,
    bound_to: Option<String>,
) -> Result<Response, OAuthError> {
    let code = form
        .get("code")
        .ok_or_else(|| OAuthError::invalid_request("missing parameter: code"))?;
    let record = match state.codes.redeem(
        code,
        state.has(Defect::CodeReuseAccepted),
        state.has(Defect::ExpiredCodeAccepted),
    ) {
        Redemption::Fresh(record) => record,
        Redemption::Reused(record) => {
            state.tokens.revoke_grant(&record.grant_id);
            return Err(OAuthError::invalid_grant(
                "Code not valid: already used; the tokens it issued are revoked",
            ));
        }
        Redemption::Expired => return Err(OAuthError::invalid_grant("Code not valid: expired")),
        Redemption::Unknown => return Err(OAuthError::invalid_grant("Code not valid")),
    };
    if record.client_id != client.client.client_id && !state.has(Defect::CodeNotBoundToClient) {
        return Err(OAuthError::invalid_grant(
            "the code was issued to another client",
        ));
    }
    match form.get("redirect_uri") {
        Some(uri) if uri == record.redirect_uri => {}
        None if !record.redirect_uri_given => {}
        _ if state.has(Defect::RedirectUriNotChecked) => {}
        _ => return Err(OAuthError::invalid_grant("Incorrect redirect_uri")),
    }
    if !state.has(Defect::PkceIgnored) {
        match (&record.challenge, form.get("code_verifier")) {
            (None, None) => {}
            (Some(_), None) if state.has(Defect::VerifierOptional) => {}
            (None, Some(_)) if state.has(Defect::PkceDowngradeAccepted) => {}
            (Some(_), None) => {
                return Err(OAuthError::invalid_grant(
                    "PKCE code verifier not specified",
                ));
            }
            (None, Some(_)) => {
                return Err(OAuthError::invalid_grant(
                    "PKCE code verifier specified but challenge not present in authorization",
                ));
            }
            (Some(challenge), Some(verifier)) => {
                let as_plain = state.has(Defect::S256VerifiedAsPlain);
                if !challenge.is_answered_by(verifier, as_plain) {
                    return Err(OAuthError::invalid_grant(
                        "PKCE verification failed: Invalid code verifier",
                    ));
                }
            }
        }
    }
    let grant = TokenGrant {
        client_id: record.client_id,
        scope: record.scope,
        user: Some(record.user),
        grant_id: Some(record.grant_id),
        auth_time: Some(record.auth_time),
        bound_to,
    };
    let refresh_credit = client
        .client
        .allows_grant(GrantType::RefreshToken)
        .then_some(state.lifetimes.refresh_credit);
    let nonce = scope::contains(&grant.scope, "openid").then_some(record.nonce.as_deref());
    token_response::respond(state, &client.client, grant, refresh_credit, nonce)
}
