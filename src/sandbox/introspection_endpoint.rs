//! Token introspection (RFC 7662): authenticated clients learn whether a token is active.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::client::AuthMethod;
use super::client_auth;
use super::defect::Defect;
use super::form::Form;
use super::json_response::json;
use super::oauth_error::OAuthError;
use super::state::{AppState, SharedState};
use super::tls_listener::AtAlias;
use super::token_store::TokenKind;

/// `POST /introspect`.
pub(crate) async fn introspect(
    State(state): State<SharedState>,
    alias: Option<Extension<AtAlias>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let alias = alias.map(|Extension(a)| a);
    let mut response = handle(&state, &headers, &body, alias.as_ref())
        .map(|value| json(StatusCode::OK, &value, true))
        .unwrap_or_else(IntoResponse::into_response);
    if state.has(Defect::IntrospectionTextPlain) && response.status() == StatusCode::OK {
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    }
    response
}

fn handle(
    state: &AppState,
    headers: &HeaderMap,
    body: &[u8],
    alias: Option<&AtAlias>,
) -> Result<Value, OAuthError> {
    let form = Form::from_body(headers, body, false)?;
    let open = state.has(Defect::IntrospectionOpen);
    let client = match client_auth::authenticate(state, headers, &form, alias) {
        Err(_) if open => None,
        Err(e) if state.has(Defect::IntrospectionClientError400) => {
            return Err(OAuthError {
                status: StatusCode::BAD_REQUEST,
                challenge: None,
                ..e
            });
        }
        other => Some(other?),
    };
    if client.is_some_and(|c| c.client.auth_method == AuthMethod::None) {
        return Err(OAuthError::invalid_client_body(
            "public clients may not introspect tokens",
        ));
    }
    let token = form
        .get("token")
        .ok_or_else(|| OAuthError::invalid_request("missing parameter: token"))?;
    let hint = form.get("token_type_hint");
    let found = if state.has(Defect::IntrospectionTrustsHint)
        && let Some(kind) = hint.and_then(TokenKind::from_hint)
    {
        state.tokens.get(kind, token).map(|t| (kind, t))
    } else {
        state.tokens.find(token, hint)
    };
    let found = found
        .filter(|(_, t)| !t.revoked || state.has(Defect::RevokedTokenActive))
        .filter(|_| !state.has(Defect::IntrospectionAlwaysInactive));
    let Some((kind, issued)) = found else {
        return Ok(if state.has(Defect::InactiveTokenExplained) {
            json!({ "active": false, "reason": "the token is revoked, expired or unknown" })
        } else {
            json!({ "active": false })
        });
    };
    let mut answer = json!({
        "active": true,
        "scope": issued.grant.scope,
        "client_id": issued.grant.client_id,
        "token_type": if kind.hint() == "access_token" { "Bearer" } else { "refresh_token" },
        "exp": numeric_date(state, issued.expires_at),
        "iat": numeric_date(state, issued.issued_at),
        "iss": state.issuer(),
        "aud": issued.grant.client_id,
    });
    if let (Some(index), Some(map)) = (issued.grant.user, answer.as_object_mut())
        && let Some(user) = state.users.get(index)
    {
        map.insert("sub".into(), json!(state.subject(index)));
        map.insert("username".into(), json!(user.username));
    }
    // RFC 8705 §3.2: the certificate a bound token is bound to.
    if let (Some(thumbprint), Some(map)) = (&issued.grant.bound_to, answer.as_object_mut()) {
        map.insert("cnf".into(), json!({ "x5t#S256": thumbprint }));
    }
    Ok(answer)
}

/// A NumericDate (RFC 7519 §2), as a string under [`Defect::IntrospectionStringTimes`].
fn numeric_date(state: &AppState, seconds: u64) -> Value {
    if state.has(Defect::IntrospectionStringTimes) {
        json!(seconds.to_string())
    } else {
        json!(seconds)
    }
}
