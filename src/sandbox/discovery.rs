//! The discovery document (OIDC Discovery 1.0 §3, §4; RFC 8414 §2) and the JWKS (RFC 7517 §5),
//! both serialized once at start.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::client::{AuthMethod, GrantType};
use super::client_assertion;
use super::defect::{Defect, DefectSet};
use super::endpoints::Endpoints;
use super::signing_key::SigningKey;
use super::state::SharedState;

const CONFIDENTIAL_METHODS: [&str; 3] = [
    "client_secret_basic",
    "client_secret_post",
    "private_key_jwt",
];

/// The metadata of what the sandbox implements, and nothing else: no empty array
/// (RFC 8414 §3.2), every endpoint it serves.
pub(crate) fn document(
    endpoints: &Endpoints,
    defects: DefectSet,
    scopes_supported: &[String],
) -> Value {
    let mut doc = json!({
        "issuer": endpoints.issuer,
        "authorization_endpoint": endpoints.authorize,
        "token_endpoint": endpoints.token,
        "jwks_uri": endpoints.jwks,
        "userinfo_endpoint": endpoints.userinfo,
        "introspection_endpoint": endpoints.introspect,
        "revocation_endpoint": endpoints.revoke,
        "end_session_endpoint": endpoints.logout,
        "registration_endpoint": endpoints.register,
        "scopes_supported": scopes_supported,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": GrantType::ALL.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported":
            AuthMethod::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        "token_endpoint_auth_signing_alg_values_supported": client_assertion::ALGORITHMS,
        "introspection_endpoint_auth_methods_supported": CONFIDENTIAL_METHODS,
        "revocation_endpoint_auth_methods_supported":
            AuthMethod::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        "code_challenge_methods_supported": ["S256", "plain"],
        "claims_supported": [
            "iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "at_hash", "acr",
            "name", "given_name", "family_name", "roles", "login_type", "user_type",
            "target_identity", "partnerId",
        ],
        "authorization_response_iss_parameter_supported": true,
    });
    if let Some(map) = doc.as_object_mut() {
        if defects.has(Defect::DiscoveryEmptyArrays) {
            map.insert("acr_values_supported".into(), json!([]));
        }
        if defects.has(Defect::ImplicitAdvertised) {
            map.insert(
                "response_types_supported".into(),
                json!([
                    "code",
                    "id_token",
                    "code id_token",
                    "token id_token",
                    "token"
                ]),
            );
        }
    }
    doc
}

/// The JWKS: the public half of the signing key only.
pub(crate) fn jwks(key: &SigningKey) -> Value {
    json!({ "keys": [key.public_jwk()] })
}

/// `GET {issuer}/.well-known/openid-configuration`.
pub(crate) async fn discovery(State(state): State<SharedState>) -> Response {
    cached_json(state.discovery_json.clone())
}

/// `GET {issuer}/jwks.json`.
pub(crate) async fn jwks_endpoint(State(state): State<SharedState>) -> Response {
    cached_json(state.jwks_json.clone())
}

fn cached_json(body: Bytes) -> Response {
    (
        StatusCode::OK,
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}
