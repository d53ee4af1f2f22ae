//! The discovery document (OIDC Discovery 1.0 §3, §4; RFC 8414 §2) and the JWKS (RFC 7517 §5),
//! both serialized once at start.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::client::{AuthMethod, GrantType};
use super::client_assertion;
use super::defect::Defect;
use super::defect_set::DefectSet;
use super::endpoints::Endpoints;
use super::flavour::Flavour;
use super::random;
use super::signing_key::SigningKey;
use super::state::SharedState;

const CONFIDENTIAL_METHODS: [&str; 3] = [
    "client_secret_basic",
    "client_secret_post",
    "private_key_jwt",
];

/// The metadata of what the sandbox implements, and nothing else: no empty array
/// (RFC 8414 §3.2), every endpoint it serves; the keycloak flavour adds Keycloak's session
/// management and logout members. With `mtls` (the sandbox serves TLS), also the mutual-TLS
/// methods, aliases and bound tokens of RFC 8705.
pub(crate) fn document(
    endpoints: &Endpoints,
    flavour: Flavour,
    defects: DefectSet,
    scopes_supported: &[String],
    mtls: bool,
) -> Value {
    let methods: Vec<&str> = AuthMethod::ALL
        .iter()
        .filter(|m| mtls || !m.uses_certificate())
        .map(|m| m.as_str())
        .collect();
    let mut confidential = CONFIDENTIAL_METHODS.to_vec();
    if mtls {
        confidential.extend(["tls_client_auth", "self_signed_tls_client_auth"]);
    }
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
        "token_endpoint_auth_methods_supported": methods,
        "token_endpoint_auth_signing_alg_values_supported": client_assertion::ALGORITHMS,
        "introspection_endpoint_auth_methods_supported": confidential,
        "revocation_endpoint_auth_methods_supported": methods,
        "code_challenge_methods_supported": ["S256", "plain"],
        "claims_supported": [
            "iss", "sub", "aud", "azp", "exp", "iat", "auth_time", "nonce", "at_hash", "acr",
            "name", "given_name", "family_name", "roles", "login_type", "user_type",
            "target_identity", "partnerId",
        ],
        "authorization_response_iss_parameter_supported": true,
    });
    if let Some(map) = doc.as_object_mut() {
        if flavour == Flavour::Keycloak {
            map.extend(super::keycloak::discovery_members(&endpoints.issuer));
        }
        if mtls {
            map.insert(
                "tls_client_certificate_bound_access_tokens".into(),
                json!(true),
            );
            map.insert(
                "mtls_endpoint_aliases".into(),
                json!({
                    "token_endpoint": endpoints.mtls_token,
                    "userinfo_endpoint": endpoints.mtls_userinfo,
                    "introspection_endpoint": endpoints.mtls_introspect,
                    "revocation_endpoint": endpoints.mtls_revoke,
                }),
            );
        }
        if defects.has(Defect::DiscoveryEmptyArrays) {
            map.insert("acr_values_supported".into(), json!([]));
        }
        if defects.has(Defect::DiscoveryIssuerTrailingSlash) {
            map.insert("issuer".into(), json!(format!("{}/", endpoints.issuer)));
        }
        if defects.has(Defect::SubjectTypesMissing) {
            map.remove("subject_types_supported");
        }
        if defects.has(Defect::Rs256NotAdvertised) {
            map.insert(
                "id_token_signing_alg_values_supported".into(),
                json!(["PS256"]),
            );
        }
        if defects.has(Defect::ClaimsNotAdvertised) {
            map.remove("claims_supported");
        }
        if defects.has(Defect::PkceNotAdvertised) {
            map.remove("code_challenge_methods_supported");
        }
        if defects.has(Defect::AssertionAlgNoneAdvertised) {
            let mut algs: Vec<&str> = client_assertion::ALGORITHMS.to_vec();
            algs.push("none");
            map.insert(
                "token_endpoint_auth_signing_alg_values_supported".into(),
                json!(algs),
            );
        }
        if defects.has(Defect::GrantTypesUnadvertised) {
            map.remove("grant_types_supported");
        }
        if defects.has(Defect::UnreachableEndpointAdvertised) {
            map.insert(
                "device_authorization_endpoint".into(),
                json!(format!("{}/device", endpoints.issuer)),
            );
        }
        if defects.has(Defect::PlainHttpEndpointAdvertised) {
            map.insert(
                "end_session_endpoint".into(),
                json!("http://sso.example/cas/logout"),
            );
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

/// The JWKS: the public half of the signing key only; the `jwks-*` defects add a second key.
pub(crate) fn jwks(key: &SigningKey, defects: DefectSet) -> Value {
    let public = key.public_jwk();
    let mut keys = vec![public.clone()];
    let with = |members: &[(&str, Value)], without: &[&str]| {
        let mut extra = public.clone();
        if let Some(map) = extra.as_object_mut() {
            for name in without {
                map.remove(*name);
            }
            for (name, value) in members {
                map.insert((*name).to_owned(), value.clone());
            }
        }
        extra
    };
    if defects.has(Defect::JwksKeyWithoutExponent) {
        keys.push(with(&[("kid", json!("retired"))], &["e"]));
    }
    if defects.has(Defect::JwksSecretKey) {
        keys.push(json!({
            "kty": "oct",
            "kid": "hmac",
            "alg": "HS256",
            "k": random::token(""),
        }));
    }
    if defects.has(Defect::JwksKidMissing) {
        keys.push(with(&[], &["kid"]));
    }
    if defects.has(Defect::JwksEncKeyWithoutUse) {
        keys.push(with(
            &[("kid", json!("enc")), ("alg", json!("RSA-OAEP"))],
            &["use"],
        ));
    }
    if defects.has(Defect::JwksShortModulus) {
        // The leading 128 bytes of the real modulus: a 1024-bit number, as a legacy key has.
        let short = public
            .get("n")
            .and_then(Value::as_str)
            .and_then(|n| URL_SAFE_NO_PAD.decode(n).ok())
            .map(|n| URL_SAFE_NO_PAD.encode(&n[..n.len().min(128)]))
            .unwrap_or_default();
        keys.push(with(&[("kid", json!("legacy")), ("n", json!(short))], &[]));
    }
    json!({ "keys": keys })
}

/// `GET {issuer}/.well-known/openid-configuration`.
pub(crate) async fn discovery(State(state): State<SharedState>) -> Response {
    let mut response = cached_json(state.discovery_json.clone());
    if state.has(Defect::DiscoveryStatus203) {
        *response.status_mut() = StatusCode::NON_AUTHORITATIVE_INFORMATION;
    }
    response
}

/// `GET {issuer}/jwks.json`.
pub(crate) async fn jwks_endpoint(State(state): State<SharedState>) -> Response {
    match state.signing() {
        Ok(signing) => cached_json(signing.jwks_json.clone()),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
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
