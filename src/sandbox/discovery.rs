//! The discovery document (OIDC Discovery 1.0 §3, §4; RFC 8414 §2) and the JWKS (RFC 7517 §5),
//! both serialized once at start.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::client::AuthMethod;
use super::client_assertion;
use super::defect::{Defect, DefectSet};
use super::endpoints::Endpoints;
use super::signing_key::SigningKey;
use super::state::SharedState;

/// The metadata of what the sandbox implements, and nothing else: no empty array
/// (RFC 8414 §3.2), every endpoint it serves.
pub(crate) fn document(endpoints: &Endpoints, defects: DefectSet) -> Value {
    let mut doc = json!({
        "issuer": endpoints.issuer,
        "token_endpoint": endpoints.token,
        "jwks_uri": endpoints.jwks,
        "grant_types_supported": ["client_credentials"],
        "token_endpoint_auth_methods_supported": AuthMethod::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        "token_endpoint_auth_signing_alg_values_supported": client_assertion::ALGORITHMS,
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    if defects.has(Defect::DiscoveryEmptyArrays)
        && let Some(map) = doc.as_object_mut()
    {
        map.insert("response_modes_supported".into(), json!([]));
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
