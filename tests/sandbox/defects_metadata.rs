//! The defects of the discovery document and the key set: each changes exactly the member it
//! is about.

use grantspec::sandbox::Defect;
use serde_json::Value;

use crate::support::{Harness, start, start_with_defect};

async fn get(h: &Harness, path: &str) -> (u16, Value) {
    let res = h.http.get(h.url(path)).send().await.expect("get");
    let status = res.status().as_u16();
    (status, res.json().await.expect("json"))
}

async fn discovery_of(defect: Defect) -> Value {
    let h = start_with_defect(defect).await;
    get(&h, "/.well-known/openid-configuration").await.1
}

async fn keys_of(defect: Defect) -> Vec<Value> {
    let h = start_with_defect(defect).await;
    let (_, jwks) = get(&h, "/jwks.json").await;
    jwks["keys"].as_array().expect("keys").clone()
}

#[tokio::test]
async fn discovery_status_203_serves_the_document_as_non_authoritative() {
    let h = start_with_defect(Defect::DiscoveryStatus203).await;
    let (status, doc) = get(&h, "/.well-known/openid-configuration").await;
    assert_eq!(status, 203);
    assert_eq!(doc["issuer"], h.sandbox.issuer());
    let (status, _) = get(&start().await, "/.well-known/openid-configuration").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn discovery_issuer_trailing_slash_differs_from_the_issuer() {
    let h = start_with_defect(Defect::DiscoveryIssuerTrailingSlash).await;
    let (_, doc) = get(&h, "/.well-known/openid-configuration").await;
    assert_eq!(doc["issuer"], format!("{}/", h.sandbox.issuer()));
}

#[tokio::test]
async fn subject_types_missing_drops_a_required_member() {
    let doc = discovery_of(Defect::SubjectTypesMissing).await;
    assert!(doc.get("subject_types_supported").is_none());
    assert!(doc.get("response_types_supported").is_some());
}

#[tokio::test]
async fn rs256_not_advertised_lists_ps256_only() {
    let doc = discovery_of(Defect::Rs256NotAdvertised).await;
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        serde_json::json!(["PS256"])
    );
}

#[tokio::test]
async fn claims_not_advertised_drops_claims_supported() {
    let doc = discovery_of(Defect::ClaimsNotAdvertised).await;
    assert!(doc.get("claims_supported").is_none());
    assert!(doc.get("scopes_supported").is_some());
}

#[tokio::test]
async fn pkce_not_advertised_drops_the_challenge_methods() {
    let doc = discovery_of(Defect::PkceNotAdvertised).await;
    assert!(doc.get("code_challenge_methods_supported").is_none());
}

#[tokio::test]
async fn assertion_alg_none_advertised_lists_none() {
    let doc = discovery_of(Defect::AssertionAlgNoneAdvertised).await;
    let algs = doc["token_endpoint_auth_signing_alg_values_supported"]
        .as_array()
        .expect("algs");
    assert!(algs.contains(&"none".into()));
    assert!(algs.contains(&"RS256".into()));
}

#[tokio::test]
async fn jwks_key_without_exponent_adds_an_incomplete_rsa_key() {
    let keys = keys_of(Defect::JwksKeyWithoutExponent).await;
    assert_eq!(keys.len(), 2);
    assert!(keys[0].get("e").is_some());
    assert_eq!(keys[1]["kty"], "RSA");
    assert!(keys[1].get("e").is_none());
}

#[tokio::test]
async fn jwks_secret_key_publishes_a_symmetric_secret() {
    let keys = keys_of(Defect::JwksSecretKey).await;
    assert_eq!(keys[1]["kty"], "oct");
    assert!(keys[1]["k"].as_str().is_some_and(|k| !k.is_empty()));
}

#[tokio::test]
async fn jwks_kid_missing_adds_a_key_without_kid() {
    let keys = keys_of(Defect::JwksKidMissing).await;
    assert_eq!(keys.len(), 2);
    assert!(keys[0].get("kid").is_some());
    assert!(keys[1].get("kid").is_none());
}

#[tokio::test]
async fn jwks_short_modulus_adds_a_1024_bit_key() {
    use base64::Engine as _;
    let keys = keys_of(Defect::JwksShortModulus).await;
    let bits = |k: &Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(k["n"].as_str().expect("n"))
            .expect("base64url")
            .len()
            * 8
    };
    assert_eq!(bits(&keys[0]), 2048);
    assert_eq!(bits(&keys[1]), 1024);
}
