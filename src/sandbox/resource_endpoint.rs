//! A protected resource beside the authorization server (RFC 6750): the provider's staging mock
//! that checks an e-mail address, answering only to a live access token the sandbox issued.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::bearer;
use super::defect::Defect;
use super::form::Form;
use super::json_response::json;
use super::mtls_auth;
use super::oauth_error::OAuthError;
use super::state::SharedState;
use super::token_store::TokenKind;

/// The mock's description of a refused token (the provider's resource APIs say so, S6).
const INVALID_TOKEN: &str = "A valid Bearer token is required";

/// `GET /ap/trial/v1/customer-management/email-addresses/check?emailAddress=…`.
pub(crate) async fn check_email_address(
    State(state): State<SharedState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let token = match bearer::token(&headers, None, None, false) {
        Ok(token) => token,
        Err(e) => return e.into_response(),
    };
    let issued = state
        .tokens
        .get_expired_too(TokenKind::Access, &token)
        .filter(|(_, live)| *live || state.has(Defect::ResourceAcceptsExpiredTokens))
        .map(|(t, _)| t)
        .filter(|t| !t.revoked || state.has(Defect::ResourceAcceptsRevokedTokens));
    let Some(issued) = issued else {
        return OAuthError::bearer(
            StatusCode::UNAUTHORIZED,
            Some("invalid_token"),
            INVALID_TOKEN,
        )
        .into_response();
    };
    // The resource has no mutual-TLS route: a certificate-bound token cannot be used here.
    if let Err(e) = mtls_auth::check_binding(issued.grant.bound_to.as_deref(), None) {
        return e.into_response();
    }
    let address = query
        .and_then(|q| {
            Form::parse(q.as_bytes())
                .get("emailAddress")
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let valid = address
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
    json(
        StatusCode::OK,
        &json!({ "emailAddress": address, "valid": valid }),
        false,
    )
}
