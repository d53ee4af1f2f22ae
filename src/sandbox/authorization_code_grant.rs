//! `grant_type=authorization_code` (RFC 6749 §4.1.3; RFC 7636 §4.5–§4.6; RFC 9700 §2.1.1, §4.5).

use axum::response::Response;

use super::authorization_code::Redemption;
use super::client::GrantType;
use super::defect::Defect;
use super::form::Form;
use super::keycloak::CodeRefusal;
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
            return Err(CodeRefusal::Reused.error(state));
        }
        Redemption::Expired => return Err(CodeRefusal::Expired.error(state)),
        Redemption::Unknown => return Err(CodeRefusal::Unknown.error(state)),
    };
    if record.client_id != client.client.client_id && !state.has(Defect::CodeNotBoundToClient) {
        return Err(CodeRefusal::OtherClient.error(state));
    }
    match form.get("redirect_uri") {
        Some(uri) if uri == record.redirect_uri => {}
        None if !record.redirect_uri_given => {}
        _ if state.has(Defect::RedirectUriNotChecked) => {}
        _ => return Err(CodeRefusal::RedirectUri.error(state)),
    }
    if !state.has(Defect::PkceIgnored) {
        match (&record.challenge, form.get("code_verifier")) {
            (None, None) if state.has(Defect::CodeExchangeNeedsVerifier) => {
                return Err(CodeRefusal::VerifierMissing.error(state));
            }
            (None, None) => {}
            (Some(_), None) if state.has(Defect::VerifierOptional) => {}
            (None, Some(_)) if state.has(Defect::PkceDowngradeAccepted) => {}
            (Some(_), None) => return Err(CodeRefusal::VerifierMissing.error(state)),
            (None, Some(_)) => return Err(CodeRefusal::VerifierWithoutChallenge.error(state)),
            (Some(challenge), Some(verifier)) => {
                let as_plain = state.has(Defect::S256VerifiedAsPlain);
                let any_shape = state.has(Defect::MalformedVerifierAccepted);
                if !challenge.is_answered_by(verifier, as_plain, any_shape) {
                    return Err(CodeRefusal::VerifierMismatch { verifier }.error(state));
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
