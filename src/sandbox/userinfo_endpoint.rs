//! The UserInfo endpoint, GET and POST (OIDC Core §5.3; RFC 6750 §3), answering the
//! documented payload, filtered by the granted scopes (OIDC Core §5.4).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header::{ACCEPT, ALLOW, AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::bearer;
use super::defect::Defect;
use super::form::Form;
use super::json_response::json;
use super::keycloak;
use super::mtls_auth;
use super::oauth_error::OAuthError;
use super::scope;
use super::state::{AppState, SharedState};
use super::tls_listener::AtAlias;
use super::token_store::TokenKind;

/// `GET /userinfo`.
pub(crate) async fn userinfo_get(
    State(state): State<SharedState>,
    alias: Option<Extension<AtAlias>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let alias = alias.map(|Extension(a)| a);
    let request = Request {
        headers: &headers,
        query: query.as_deref(),
        body: None,
        alias: alias.as_ref(),
    };
    if state.has(Defect::UserinfoGetSubOnly) {
        return claims(&state, &request)
            .map(|claims| json(StatusCode::OK, &json!({ "sub": claims["sub"] }), true))
            .unwrap_or_else(IntoResponse::into_response);
    }
    answer(&state, &request)
}

/// `POST /userinfo`.
pub(crate) async fn userinfo_post(
    State(state): State<SharedState>,
    alias: Option<Extension<AtAlias>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let alias = alias.map(|Extension(a)| a);
    if state.has(Defect::UserinfoGetOnly) {
        return (StatusCode::METHOD_NOT_ALLOWED, [(ALLOW, "GET")]).into_response();
    }
    if state.has(Defect::UserinfoBodyTokenRefused)
        && Form::parse(&body).get("access_token").is_some()
    {
        return OAuthError::bearer(
            StatusCode::BAD_REQUEST,
            Some("invalid_request"),
            "access tokens are not accepted in the body",
        )
        .into_response();
    }
    let request = Request {
        headers: &headers,
        query: query.as_deref(),
        body: Some(&body),
        alias: alias.as_ref(),
    };
    answer(&state, &request)
}

/// What a UserInfo request carries: the token's places, and at a mutual-TLS alias, the
/// client certificate.
struct Request<'a> {
    headers: &'a HeaderMap,
    query: Option<&'a str>,
    body: Option<&'a [u8]>,
    alias: Option<&'a AtAlias>,
}

fn answer(state: &AppState, request: &Request<'_>) -> Response {
    match claims(state, request) {
        Ok(claims) if state.has(Defect::UserinfoJwtOnAccept) && accepts_jwt(request.headers) => {
            signed(state, &claims)
        }
        Ok(claims) => json(StatusCode::OK, &claims, true),
        Err(e) => e.into_response(),
    }
}

/// Whether the request's `Accept` names `application/jwt`.
fn accepts_jwt(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|media| {
            media
                .split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/jwt"))
        })
}

/// The claims as a signed JWT (OIDC Core §5.3.2), which only a client that registered
/// `userinfo_signed_response_alg` may be sent: the sandbox's clients never do.
fn signed(state: &AppState, claims: &Value) -> Response {
    match state.signing().and_then(|s| s.key.sign("JWT", claims)) {
        Ok(jwt) => (
            StatusCode::OK,
            [
                (CONTENT_TYPE, "application/jwt"),
                (CACHE_CONTROL, "no-store"),
            ],
            jwt,
        )
            .into_response(),
        Err(e) => OAuthError::server_error(e.to_string()).into_response(),
    }
}

/// The end-user's claims, or the refusal as the flavour answers it.
fn claims(state: &AppState, request: &Request<'_>) -> Result<Value, OAuthError> {
    end_user_claims(state, request).map_err(|e| keycloak::userinfo_error(state, e))
}

fn end_user_claims(state: &AppState, request: &Request<'_>) -> Result<Value, OAuthError> {
    // With the defect, the header wins and a token in the body is not even looked at.
    let body = request.body.filter(|_| {
        !(state.has(Defect::TwoTokenMethodsAccepted) && request.headers.contains_key(AUTHORIZATION))
    });
    let token = bearer::token(
        request.headers,
        request.query,
        body,
        state.has(Defect::TokenInQueryAccepted),
    )
    .map_err(|e| {
        if e.code.is_empty() && state.has(Defect::MissingTokenErrorCode) {
            OAuthError::bearer(e.status, Some("invalid_request"), "no access token")
        } else {
            e
        }
    })?;
    let found = state.tokens.get(TokenKind::Access, &token);
    if found.is_none() && state.has(Defect::UnknownTokenBareChallenge) {
        return Err(OAuthError::bearer(
            StatusCode::UNAUTHORIZED,
            None,
            "unknown access token",
        ));
    }
    let issued = found.filter(|t| !t.revoked).ok_or_else(|| {
        OAuthError::bearer(
            StatusCode::UNAUTHORIZED,
            Some("invalid_token"),
            "the access token is invalid, expired or revoked",
        )
    })?;
    mtls_auth::check_binding(issued.grant.bound_to.as_deref(), request.alias)?;
    let granted: &str = &issued.grant.scope;
    let user_index = match issued.grant.user {
        None if state.has(Defect::ClientTokenGetsAProfile) => Some(0),
        index => index,
    };
    let granted = if user_index.is_some() && issued.grant.user.is_none() {
        "openid profile roles identifiers"
    } else {
        granted
    };
    let (index, user) = user_index
        .and_then(|index| state.users.get(index).map(|user| (index, user)))
        .filter(|_| scope::contains(granted, "openid") || state.has(Defect::UserinfoWithoutOpenid))
        .ok_or_else(|| {
            OAuthError::bearer(
                StatusCode::FORBIDDEN,
                Some("insufficient_scope"),
                "the access token was not granted the openid scope for an end-user",
            )
        })?;
    let every_claim = state.has(Defect::UserinfoIgnoresScopes);
    let profile = every_claim || scope::contains(granted, "profile");
    let roles = every_claim || scope::contains(granted, "roles");
    let identifiers = every_claim || scope::contains(granted, "identifiers");
    let mut claims = Map::new();
    let mut put = |include: bool, name: &str, value: Value| {
        if include {
            claims.insert(name.to_owned(), value);
        }
    };
    let sub = if state.has(Defect::UserinfoOtherSubject) {
        state.subject(index).chars().rev().collect()
    } else {
        state.subject(index).to_owned()
    };
    put(true, "sub", json!(sub));
    put(identifiers, "login_type", json!(user.login_type));
    let roles_value = if state.has(Defect::UserinfoRolesString) {
        json!(user.roles.join(","))
    } else {
        json!(user.roles)
    };
    put(roles, "roles", roles_value);
    put(profile, "given_name", json!(user.given_name));
    put(true, "acr", json!(user.acr));
    put(identifiers, "user_type", json!(user.user_type));
    put(profile, "name", json!(user.name));
    put(identifiers, "target_identity", json!(user.target_identity));
    put(identifiers, "partnerId", json!(user.partner_id));
    put(profile, "family_name", json!(user.family_name));
    Ok(Value::Object(claims))
}
