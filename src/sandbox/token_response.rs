//! Issuing tokens and answering the token request in the client's documented shape
//! (RFC 6749 §5.1; the provider's consumer and certificate examples), or Keycloak's.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};

use super::client::{ResponseStyle, SandboxClient};
use super::clock::unix_now;
use super::defect::Defect;
use super::id_token;
use super::json_response::json;
use super::keycloak;
use super::oauth_error::OAuthError;
use super::random;
use super::state::AppState;
use super::token_store::{IssuedToken, TokenGrant, TokenKind};

/// Issues an access token (and a refresh token while `refresh_credit` > 0) for `grant`, and
/// builds the 200 response; with `id_token_nonce`, also an ID token carrying that nonce.
pub(crate) fn respond(
    state: &AppState,
    client: &SandboxClient,
    grant: TokenGrant,
    refresh_credit: Option<u32>,
    id_token_nonce: Option<Option<&str>>,
) -> Result<Response, OAuthError> {
    let now = unix_now();
    // Keycloak answers every client alike: a JWT access token and its own members.
    let style = if state.is_keycloak() {
        ResponseStyle::Certificate
    } else {
        client.response_style
    };
    let style_lifetime = match style {
        ResponseStyle::Consumer if state.has(Defect::ConsumerLifetime7200) => {
            std::time::Duration::from_secs(7200)
        }
        ResponseStyle::Consumer => state.lifetimes.access_token,
        ResponseStyle::Certificate => state.lifetimes.certificate_access_token,
    };
    let lifetime = client.access_token_lifetime.unwrap_or(style_lifetime);
    let expires_in = lifetime.as_secs();
    let access_token = match style {
        ResponseStyle::Consumer => random::token("at-"),
        ResponseStyle::Certificate => jwt_access_token(state, &grant, now, expires_in)?,
    };
    let issued = |expires_at: u64, credit: u32| IssuedToken {
        grant: grant.clone(),
        issued_at: now,
        expires_at,
        revoked: false,
        refresh_credit: credit,
    };
    state.tokens.insert(
        TokenKind::Access,
        access_token.clone(),
        issued(now + expires_in, 0),
        lifetime,
    );
    let refresh = refresh_credit.filter(|c| *c > 0).map(|credit| {
        let token = random::token("rt-");
        let ttl = state.lifetimes.refresh_token;
        state.tokens.insert(
            TokenKind::Refresh,
            token.clone(),
            issued(now + ttl.as_secs(), credit),
            ttl,
        );
        (token, ttl.as_secs())
    });

    let mut body = Map::new();
    body.insert("access_token".into(), json!(access_token));
    body.insert("expires_in".into(), json!(expires_in));
    match style {
        _ if state.is_keycloak() => {
            body.insert("token_type".into(), json!("Bearer"));
            let session = grant.grant_id.as_deref().filter(|_| grant.user.is_some());
            let refresh_ttl = refresh.as_ref().map(|(_, ttl)| *ttl);
            keycloak::token_members(state, &mut body, refresh_ttl, session);
        }
        ResponseStyle::Consumer => {
            body.insert("token_type".into(), json!("Bearer"));
            body.insert("refresh_credit".into(), json!(refresh_credit.unwrap_or(0)));
        }
        ResponseStyle::Certificate => {
            let refresh_expires_in = refresh.as_ref().map_or(0, |(_, ttl)| *ttl);
            if !state.has(Defect::CertificateRefreshExpiryMissing) {
                body.insert("refresh_expires_in".into(), json!(refresh_expires_in));
            }
            body.insert("token_type".into(), json!("Bearer"));
            body.insert("not-before-policy".into(), json!(0));
        }
    }
    body.insert("scope".into(), json!(grant.scope));
    if let Some((token, _)) = refresh {
        body.insert("refresh_token".into(), json!(token));
    }
    if let Some(nonce) = id_token_nonce.filter(|_| !state.has(Defect::IdTokenMissing)) {
        let id_token = id_token::issue(state, &grant, nonce, &access_token)?;
        body.insert("id_token".into(), json!(id_token));
    }
    let no_store = !state.has(Defect::NoStoreMissing);
    Ok(json(StatusCode::OK, &Value::Object(body), no_store))
}

/// A JWT access token (RFC 9068 §2.2 claims), signed with the sandbox key.
fn jwt_access_token(
    state: &AppState,
    grant: &TokenGrant,
    now: u64,
    expires_in: u64,
) -> Result<String, OAuthError> {
    let sub = match grant.user {
        Some(index) => state.subject(index).to_owned(),
        None => format!("service-account-{}", grant.client_id),
    };
    let mut claims = json!({
        "iss": state.issuer(),
        "sub": sub,
        "aud": state.issuer(),
        "exp": now + expires_in,
        "iat": now,
        "jti": random::token(""),
        "client_id": grant.client_id,
        "azp": grant.client_id,
        "scope": grant.scope,
    });
    if let (Some(thumbprint), Some(map)) = (&grant.bound_to, claims.as_object_mut()) {
        map.insert("cnf".into(), json!({ "x5t#S256": thumbprint }));
    }
    state
        .signing()
        .and_then(|s| s.key.sign("at+jwt", &claims))
        .map_err(|e| OAuthError::server_error(e.to_string()))
}
