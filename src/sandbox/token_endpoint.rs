//! The token endpoint: parses the request, authenticates the client and hands it to the grant
//! (RFC 6749 §3.2, §4.1.3, §4.4, §6; RFC 7523).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::authorization_code_grant;
use super::client::GrantType;
use super::client_auth;
use super::defect::Defect;
use super::form::Form;
use super::keycloak;
use super::mtls_auth;
use super::oauth_error::OAuthError;
use super::refresh_grant;
use super::scope;
use super::state::SharedState;
use super::tls_listener::AtAlias;
use super::token_response;
use super::token_store::TokenGrant;

/// `GET /token`, routed only with the `token-endpoint-get-accepted` defect: the query is read
/// as the form.
pub(crate) async fn token_from_query(
    State(state): State<SharedState>,
    alias: Option<Extension<AtAlias>>,
    mut headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    let body = query.unwrap_or_default();
    let alias = alias.map(|Extension(a)| a);
    handle(&state, &headers, body.as_bytes(), alias.as_ref())
        .unwrap_or_else(IntoResponse::into_response)
}

/// `POST /token`. Other methods get 405 from the router (RFC 6749 §3.2: POST only).
pub(crate) async fn token(
    State(state): State<SharedState>,
    alias: Option<Extension<AtAlias>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    // The defect reads the query string as if it were part of the body (RFC 6749 §2.3.1 forbids
    // credentials there).
    let body = match query {
        Some(query) if state.has(Defect::QueryCredentialsAccepted) => {
            Bytes::from([&body[..], b"&", query.as_bytes()].concat())
        }
        _ => body,
    };
    let alias = alias.map(|Extension(a)| a);
    handle(&state, &headers, &body, alias.as_ref()).unwrap_or_else(IntoResponse::into_response)
}

fn handle(
    state: &SharedState,
    headers: &HeaderMap,
    body: &[u8],
    alias: Option<&AtAlias>,
) -> Result<Response, OAuthError> {
    let form = Form::from_body(headers, body, state.has(Defect::RepeatedParametersAccepted))?;
    if state.has(Defect::EmptyParameterRefused)
        && let Some(name) = form.first_empty()
    {
        return Err(OAuthError::invalid_request(format!(
            "parameter `{name}` has no value"
        )));
    }
    let grant_type = form
        .get("grant_type")
        .ok_or_else(|| OAuthError::invalid_request("missing parameter: grant_type"))?;
    let grant = grant_type.parse::<GrantType>().map_err(|_| {
        let description = format!("grant type `{grant_type}` is not supported");
        if state.has(Defect::UnregisteredErrorCode) {
            OAuthError::new(StatusCode::BAD_REQUEST, "unsupported_grant", description)
        } else if state.has(Defect::UnknownGrantInvalidRequest) {
            OAuthError::invalid_request(description)
        } else {
            OAuthError::unsupported_grant_type(description)
        }
    })?;
    if state.has(Defect::AssertionNeedsClientId)
        && form.get("client_assertion").is_some()
        && form.get("client_id").is_none()
    {
        return Err(OAuthError::invalid_request("missing parameter: client_id"));
    }
    let client = client_auth::authenticate(state, headers, &form, alias)?;
    // Tokens issued over mutual TLS are bound to the certificate (RFC 8705 §3).
    let bound_to = mtls_auth::binding(alias);
    if !client.client.allows_grant(grant) {
        if grant == GrantType::ClientCredentials && state.is_keycloak() {
            return Err(keycloak::service_account_refusal(state, &client.client));
        }
        return Err(OAuthError::unauthorized_client(format!(
            "the client may not use {grant}"
        )));
    }
    match grant {
        GrantType::ClientCredentials => {
            let requested = form.get("scope");
            if requested.is_some() && state.has(Defect::RequestedScopeRefused) {
                return Err(OAuthError::invalid_scope(
                    "the scope parameter is not supported",
                ));
            }
            let granted = match requested {
                Some(asked) if state.has(Defect::UnauthorizedScopeGranted) => asked.to_owned(),
                _ => scope::grant(&client.client, requested)?,
            };
            let grant = TokenGrant {
                client_id: client.client.client_id.clone(),
                scope: granted,
                user: None,
                grant_id: None,
                auth_time: None,
                bound_to,
            };
            let refresh_credit = state
                .has(Defect::ClientCredentialsRefreshToken)
                .then_some(state.lifetimes.refresh_credit);
            token_response::respond(state, &client.client, grant, refresh_credit, None)
        }
        GrantType::AuthorizationCode => {
            authorization_code_grant::exchange(state, &client, &form, bound_to)
        }
        GrantType::RefreshToken => refresh_grant::refresh(state, &client, &form, bound_to),
    }
}
