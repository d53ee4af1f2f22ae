//! ID tokens (OIDC Core §2, §3.1.3.6): RS256 with the JWKS `kid`.

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use super::clock::unix_now;
use super::defect::Defect;
use super::oauth_error::OAuthError;
use super::state::AppState;
use super::token_store::TokenGrant;

/// The ID token for `grant`, bound to `access_token` by `at_hash`.
pub(crate) fn issue(
    state: &AppState,
    grant: &TokenGrant,
    nonce: Option<&str>,
    access_token: &str,
) -> Result<String, OAuthError> {
    let index = grant
        .user
        .ok_or_else(|| OAuthError::server_error("an ID token needs an end-user"))?;
    let user = state
        .users
        .get(index)
        .ok_or_else(|| OAuthError::server_error("unknown end-user"))?;
    let now = unix_now();
    let issuer = if state.has(Defect::WrongIdTokenIssuer) {
        format!("{}/other", state.issuer())
    } else {
        state.issuer().to_owned()
    };
    let other = |defect: Defect| {
        if state.has(defect) {
            format!("{}-other", grant.client_id)
        } else {
            grant.client_id.clone()
        }
    };
    let exp = if state.has(Defect::IdTokenExpired) {
        now.saturating_sub(60)
    } else {
        now + state.lifetimes.access_token.as_secs()
    };
    let mut claims = json!({
        "iss": issuer,
        "sub": state.subject(index),
        "aud": other(Defect::IdTokenWrongAud),
        "azp": other(Defect::IdTokenWrongAzp),
        "exp": exp,
        "iat": now,
        "at_hash": if state.has(Defect::WrongAtHash) {
            at_hash(&format!("{access_token}x"))
        } else {
            at_hash(access_token)
        },
        "acr": user.acr,
    });
    // The time the end-user authenticated, kept on refresh (OIDC Core §12.2); never made up.
    if let (Some(auth_time), Some(map)) = (grant.auth_time, claims.as_object_mut()) {
        map.insert("auth_time".into(), json!(auth_time));
    }
    if let (true, Some(map)) = (state.has(Defect::AuthTimeMissing), claims.as_object_mut()) {
        map.remove("auth_time");
    }
    if let (Some(nonce), Some(map)) = (nonce, claims.as_object_mut())
        && !state.has(Defect::NonceNotReturned)
    {
        map.insert("nonce".into(), json!(nonce));
    }
    // Keycloak names the user's session in `sid` (and in the response's `session_state`).
    if let (true, Some(session), Some(map)) =
        (state.is_keycloak(), &grant.grant_id, claims.as_object_mut())
    {
        map.insert("sid".into(), json!(session));
    }
    let signing = state
        .signing()
        .map_err(|e| OAuthError::server_error(e.to_string()))?;
    let embedded = [("jwk", signing.key.public_jwk().clone())];
    let members: &[(&str, serde_json::Value)] = if state.has(Defect::IdTokenJwkHeader) {
        &embedded
    } else {
        &[]
    };
    let signed = signing
        .key
        .sign_with_header("JWT", members, &claims)
        .map_err(|e| OAuthError::server_error(e.to_string()))?;
    Ok(if state.has(Defect::IdTokenBadSignature) {
        tamper(&signed)
    } else {
        signed
    })
}

/// The same JWS with the first byte of its signature changed.
fn tamper(jws: &str) -> String {
    let Some((signed, signature)) = jws.rsplit_once('.') else {
        return jws.to_owned();
    };
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap_or_default();
    if let Some(first) = bytes.first_mut() {
        *first ^= 0xff;
    }
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Left half of SHA-256 of the token, base64url (OIDC Core §3.1.3.6).
pub(crate) fn at_hash(access_token: &str) -> String {
    let hash = digest::digest(&digest::SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&hash.as_ref()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_is_the_left_half_of_sha256() {
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y").len(),
            22
        );
        assert_ne!(at_hash("a"), at_hash("b"));
    }
}
