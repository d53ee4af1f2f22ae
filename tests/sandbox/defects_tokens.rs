//! Defects of ID tokens, the authorization response, UserInfo, introspection, revocation and
//! registration: each changes one thing of an otherwise correct answer.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use grantspec::sandbox::Defect;
use serde_json::{Value, json};

use crate::support::{Harness, header, location, pairs, query_param, start_with_defect};

/// The header and claims of a compact JWS, without verifying it.
fn decode(jws: &str) -> (Value, Value) {
    let part = |p: &str| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(p).expect("base64url")).expect("json")
    };
    let mut parts = jws.split('.');
    let header = part(parts.next().expect("header"));
    let claims = part(parts.next().expect("claims"));
    (header, claims)
}

async fn id_token_of(defect: Defect) -> (Harness, String) {
    let h = start_with_defect(defect).await;
    let body = h.web_app_tokens().await;
    let id_token = body["id_token"].as_str().expect("id_token").to_owned();
    (h, id_token)
}

#[tokio::test]
async fn id_token_jwk_header_embeds_the_key() {
    let (h, id_token) = id_token_of(Defect::IdTokenJwkHeader).await;
    let (header, _) = decode(&id_token);
    assert_eq!(header["jwk"]["kty"], "RSA");
    h.verify_jwt(&id_token).await;
}

#[tokio::test]
#[should_panic(expected = "valid signature")]
async fn id_token_bad_signature_does_not_verify() {
    let (h, id_token) = id_token_of(Defect::IdTokenBadSignature).await;
    h.verify_jwt(&id_token).await;
}

#[tokio::test]
async fn id_token_wrong_aud_addresses_another_audience() {
    let (h, id_token) = id_token_of(Defect::IdTokenWrongAud).await;
    let claims = h.verify_jwt(&id_token).await;
    assert_ne!(claims["aud"], "web-app");
    assert_eq!(claims["azp"], "web-app");
}

#[tokio::test]
async fn id_token_wrong_azp_names_another_party() {
    let (h, id_token) = id_token_of(Defect::IdTokenWrongAzp).await;
    let claims = h.verify_jwt(&id_token).await;
    assert_eq!(claims["aud"], "web-app");
    assert_ne!(claims["azp"], "web-app");
}

#[tokio::test]
async fn id_token_expired_is_issued_in_the_past() {
    let (_, id_token) = id_token_of(Defect::IdTokenExpired).await;
    let (_, claims) = decode(&id_token);
    let exp = claims["exp"].as_u64().expect("exp");
    assert!(exp < claims["iat"].as_u64().expect("iat"));
}

#[tokio::test]
async fn code_parameter_renamed_sends_authorization_code() {
    let h = start_with_defect(Defect::CodeParameterRenamed).await;
    let loc = location(&h.log_in(&pairs(&h.web_app_params())).await);
    assert_eq!(query_param(&loc, "code"), None);
    assert!(query_param(&loc, "authorization_code").is_some_and(|c| c.starts_with("ac-")));
    assert_eq!(query_param(&loc, "state").as_deref(), Some("st-123"));
}

#[tokio::test]
async fn no_referrer_policy_serves_the_login_page_without_it() {
    let h = start_with_defect(Defect::NoReferrerPolicy).await;
    let res = h.authorize(&pairs(&h.web_app_params()), None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(res.headers(), "referrer-policy"), None);
    assert_eq!(header(res.headers(), "x-frame-options"), Some("DENY"));
}

#[tokio::test]
async fn wrong_authorization_iss_names_another_issuer() {
    let h = start_with_defect(Defect::WrongAuthorizationIss).await;
    let loc = location(&h.log_in(&pairs(&h.web_app_params())).await);
    assert!(query_param(&loc, "code").is_some());
    let iss = query_param(&loc, "iss").expect("iss");
    assert_ne!(iss, h.sandbox.issuer());
}

#[tokio::test]
async fn client_credentials_refresh_token_issues_one() {
    let h = start_with_defect(Defect::ClientCredentialsRefreshToken).await;
    let res = h
        .token_basic("app_basic", &[("grant_type", "client_credentials")])
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert!(body["refresh_token"].is_string());
}

async fn userinfo(h: &Harness, token: &str) -> reqwest::Response {
    h.http
        .get(h.url("/userinfo"))
        .bearer_auth(token)
        .send()
        .await
        .expect("userinfo")
}

#[tokio::test]
async fn userinfo_other_subject_differs_from_the_id_token() {
    let (h, id_token) = id_token_of(Defect::UserinfoOtherSubject).await;
    let body = h.web_app_tokens().await;
    let info: Value = userinfo(&h, body["access_token"].as_str().expect("at"))
        .await
        .json()
        .await
        .expect("json");
    let (_, claims) = decode(&id_token);
    assert_ne!(info["sub"], claims["sub"]);
    assert_eq!(info["sub"].as_str().map(str::len), Some(64));
}

#[tokio::test]
async fn unknown_token_bare_challenge_omits_the_error_for_a_forged_token() {
    let h = start_with_defect(Defect::UnknownTokenBareChallenge).await;
    let res = userinfo(&h, "at-forged").await;
    assert_eq!(res.status(), 401);
    let challenge = header(res.headers(), "www-authenticate").expect("challenge");
    assert!(!challenge.contains("invalid_token"), "{challenge}");
}

async fn introspect(h: &Harness, token: &str) -> reqwest::Response {
    h.http
        .post(h.url("/introspect"))
        .header("authorization", h.basic("app_basic"))
        .form(&[("token", token)])
        .send()
        .await
        .expect("introspect")
}

#[tokio::test]
async fn inactive_token_explained_adds_a_reason() {
    let h = start_with_defect(Defect::InactiveTokenExplained).await;
    let body: Value = introspect(&h, "at-unknown")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["active"], false);
    assert!(body["reason"].is_string());
}

#[tokio::test]
async fn introspection_string_times_sends_exp_as_a_string() {
    let h = start_with_defect(Defect::IntrospectionStringTimes).await;
    let token = h.app_token().await;
    let body: Value = introspect(&h, &token).await.json().await.expect("json");
    assert_eq!(body["active"], true);
    assert!(body["exp"].is_string());
    assert!(body["iat"].is_string());
}

#[tokio::test]
async fn introspection_text_plain_labels_json_as_text() {
    let h = start_with_defect(Defect::IntrospectionTextPlain).await;
    let token = h.app_token().await;
    let res = introspect(&h, &token).await;
    assert_eq!(header(res.headers(), "content-type"), Some("text/plain"));
    let body: Value = serde_json::from_str(&res.text().await.expect("body")).expect("json");
    assert_eq!(body["active"], true);
}

#[tokio::test]
async fn unknown_token_revocation_refused_answers_400() {
    let h = start_with_defect(Defect::UnknownTokenRevocationRefused).await;
    let res = h
        .http
        .post(h.url("/revoke"))
        .header("authorization", h.basic("app_basic"))
        .form(&[("token", "at-unknown")])
        .send()
        .await
        .expect("revoke");
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn registration_cacheable_omits_no_store() {
    let h = start_with_defect(Defect::RegistrationCacheable).await;
    let res = h
        .http
        .post(h.url("/register"))
        .bearer_auth(h.sandbox.initial_access_token().expose())
        .json(&json!({"grant_types": ["client_credentials"]}))
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 201);
    assert_eq!(header(res.headers(), "cache-control"), None);
}

#[tokio::test]
async fn consumer_lifetime_7200_reports_two_hours() {
    let h = start_with_defect(Defect::ConsumerLifetime7200).await;
    let res = h
        .token_basic("app_basic", &[("grant_type", "client_credentials")])
        .await;
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["expires_in"], 7200);
}

#[tokio::test]
async fn certificate_refresh_expiry_missing_omits_refresh_expires_in() {
    let h = start_with_defect(Defect::CertificateRefreshExpiryMissing).await;
    let assertion = crate::private_key_jwt::sign(&h, &crate::private_key_jwt::valid_claims(&h));
    let res = crate::private_key_jwt::with_assertion(&h, &assertion).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert!(body.get("refresh_expires_in").is_none());
    assert_eq!(body["expires_in"], 300);
}

#[tokio::test]
async fn userinfo_roles_string_joins_the_roles() {
    let h = start_with_defect(Defect::UserinfoRolesString).await;
    let body = h.web_app_tokens().await;
    let info: Value = userinfo(&h, body["access_token"].as_str().expect("at"))
        .await
        .json()
        .await
        .expect("json");
    assert!(info["roles"].is_string());
}

#[tokio::test]
async fn userinfo_get_sub_only_answers_get_with_the_sub_alone() {
    let h = start_with_defect(Defect::UserinfoGetSubOnly).await;
    let body = h.web_app_tokens().await;
    let at = body["access_token"].as_str().expect("at");
    let info: Value = userinfo(&h, at).await.json().await.expect("json");
    assert_eq!(info.as_object().map(|o| o.len()), Some(1));
    let res = h
        .http
        .post(h.url("/userinfo"))
        .bearer_auth(at)
        .send()
        .await
        .expect("post");
    let posted: Value = res.json().await.expect("json");
    assert!(posted["given_name"].is_string());
}
