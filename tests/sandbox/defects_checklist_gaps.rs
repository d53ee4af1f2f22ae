//! Defects of the checklist items H, E, I and A that had no rule before: each lets exactly one
//! misbehaviour through, and the sandbox without it behaves as the clause says.

use grantspec::sandbox::Defect;
use serde_json::{Value, json};

use crate::private_key_jwt::{mutated, now, sign, valid_claims, with_assertion, with_claims};
use crate::support::{
    Harness, expect_error, location, pairs, query_param, start, start_with_defect, without,
};

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

fn to_token_endpoint(h: &Harness) -> Value {
    mutated(h, |c| drop(c.insert("aud".into(), json!(h.url("/token")))))
}

fn to_issuer_and_token_endpoint(h: &Harness) -> Value {
    let issuer = h.sandbox.issuer().to_string();
    mutated(h, |c| {
        drop(c.insert("aud".into(), json!([issuer, h.url("/token")])))
    })
}

fn not_yet_valid(h: &Harness) -> Value {
    mutated(h, |c| {
        c.insert("nbf".into(), json!(now() + 600));
        c.insert("exp".into(), json!(now() + 660));
    })
}

async fn with_client_id(h: &Harness, client_id: &str) -> reqwest::Response {
    let assertion = sign(h, &valid_claims(h));
    h.token(
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", assertion.as_str()),
            ("client_id", client_id),
        ],
    )
    .await
}

fn two_joined(h: &Harness) -> String {
    format!(
        "{}.{}",
        sign(h, &valid_claims(h)),
        sign(h, &valid_claims(h))
    )
}

/// An assertion signed with `typ` set as given (`None`: no `typ`).
fn typed(h: &Harness, typ: Option<&str>) -> String {
    let pem = h.client("app_cert").private_key_pem.as_ref().expect("pem");
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.typ = typ.map(str::to_owned);
    jsonwebtoken::encode(
        &header,
        &valid_claims(h),
        &jsonwebtoken::EncodingKey::from_rsa_pem(pem.expose().as_bytes()).expect("key"),
    )
    .expect("sign")
}

#[tokio::test]
async fn without_these_defects_each_case_is_refused_or_served_as_the_clause_says() {
    let h = start().await;
    for claims in [
        to_token_endpoint(&h),
        to_issuer_and_token_endpoint(&h),
        not_yet_valid(&h),
    ] {
        expect_error(with_claims(&h, &claims).await, 400, "invalid_client").await;
    }
    expect_error(with_client_id(&h, "app-basic").await, 400, "invalid_client").await;
    assert_eq!(with_client_id(&h, "app-cc-jwt").await.status(), 200);
    expect_error(
        with_assertion(&h, &two_joined(&h)).await,
        400,
        "invalid_client",
    )
    .await;
    for typ in [Some("JWT"), Some("client-authentication+jwt"), None] {
        assert_eq!(
            with_assertion(&h, &typed(&h, typ)).await.status(),
            200,
            "{typ:?}"
        );
    }
}

#[tokio::test]
async fn assertion_token_endpoint_aud_accepted_takes_the_documented_audience() {
    let h = start_with_defect(Defect::AssertionTokenEndpointAudAccepted).await;
    assert_eq!(with_claims(&h, &to_token_endpoint(&h)).await.status(), 200);
    expect_error(
        with_claims(&h, &to_issuer_and_token_endpoint(&h)).await,
        400,
        "invalid_client",
    )
    .await;
}

#[tokio::test]
async fn assertion_audience_array_accepted_takes_several_audiences() {
    let h = start_with_defect(Defect::AssertionAudienceArrayAccepted).await;
    let claims = to_issuer_and_token_endpoint(&h);
    assert_eq!(with_claims(&h, &claims).await.status(), 200);
    expect_error(
        with_claims(&h, &to_token_endpoint(&h)).await,
        400,
        "invalid_client",
    )
    .await;
}

#[tokio::test]
async fn assertion_nbf_ignored_takes_an_assertion_not_yet_valid() {
    let h = start_with_defect(Defect::AssertionNbfIgnored).await;
    assert_eq!(with_claims(&h, &not_yet_valid(&h)).await.status(), 200);
    let expired = mutated(&h, |c| drop(c.insert("exp".into(), json!(now() - 300))));
    expect_error(with_claims(&h, &expired).await, 400, "invalid_client").await;
}

#[tokio::test]
async fn assertion_client_id_unchecked_ignores_another_client_id() {
    let h = start_with_defect(Defect::AssertionClientIdUnchecked).await;
    assert_eq!(with_client_id(&h, "app-basic").await.status(), 200);
}

#[tokio::test]
async fn assertion_extra_segments_ignored_reads_the_first_of_two_jwts() {
    let h = start_with_defect(Defect::AssertionExtraSegmentsIgnored).await;
    assert_eq!(with_assertion(&h, &two_joined(&h)).await.status(), 200);
    expect_error(with_assertion(&h, "a.b").await, 400, "invalid_client").await;
}

#[tokio::test]
async fn assertion_refusal_403_answers_a_bad_assertion_with_403() {
    let h = start_with_defect(Defect::AssertionRefusal403).await;
    expect_error(
        with_claims(&h, &to_token_endpoint(&h)).await,
        403,
        "invalid_client",
    )
    .await;
    // Basic failures keep their 401.
    let res = h
        .token(
            Some(&crate::support::basic("app-basic", "wrong")),
            &[("grant_type", "client_credentials")],
        )
        .await;
    expect_error(res, 401, "invalid_client").await;
}

#[tokio::test]
async fn assertion_typ_jwt_required_refuses_typed_and_untyped_assertions() {
    let h = start_with_defect(Defect::AssertionTypJwtRequired).await;
    assert_eq!(
        with_assertion(&h, &typed(&h, Some("JWT"))).await.status(),
        200
    );
    for typ in [Some("client-authentication+jwt"), None] {
        expect_error(
            with_assertion(&h, &typed(&h, typ)).await,
            400,
            "invalid_client",
        )
        .await;
    }
}

/// A web_app code issued without a PKCE challenge, exchanged as RFC 6749 §4.1.3 shows.
async fn exchange_without_pkce(h: &Harness) -> reqwest::Response {
    let params = without(
        &without(&h.web_app_params(), "code_challenge"),
        "code_challenge_method",
    );
    let res = h.log_in(&pairs(&params)).await;
    assert_eq!(res.status(), 303);
    let code = query_param(&location(&res), "code").expect("code");
    let redirect_uri = h.client("web_app").redirect_uris[0].clone();
    h.token_basic(
        "web_app",
        &[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri.as_str()),
        ],
    )
    .await
}

#[tokio::test]
async fn code_exchange_needs_verifier_refuses_a_code_issued_without_a_challenge() {
    assert_eq!(exchange_without_pkce(&start().await).await.status(), 200);
    let h = start_with_defect(Defect::CodeExchangeNeedsVerifier).await;
    expect_error(exchange_without_pkce(&h).await, 400, "invalid_grant").await;
    assert_eq!(
        h.exchange_web_app(&h.web_app_code().await).await.status(),
        200
    );
}

#[tokio::test]
async fn token_endpoint_get_accepted_serves_a_token_on_get() {
    let h = start_with_defect(Defect::TokenEndpointGetAccepted).await;
    let res = h.token_by_get("app_basic").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert!(body["access_token"].is_string());
}

async fn refresh(h: &Harness, refresh_token: &str, scope: Option<&str>) -> reqwest::Response {
    let mut form = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    form.extend(scope.map(|s| ("scope", s)));
    h.token_basic("web_app", &form).await
}

#[tokio::test]
async fn refresh_scope_widened_grants_more_than_the_original() {
    let h = start_with_defect(Defect::RefreshScopeWidened).await;
    let tokens = h.web_app_tokens().await;
    let rt = tokens["refresh_token"].as_str().expect("refresh token");
    let res = refresh(
        &h,
        rt,
        Some("openid profile roles identifiers ConsommationConsult"),
    )
    .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert!(
        body["scope"]
            .as_str()
            .expect("scope")
            .contains("ConsommationConsult")
    );
}

#[tokio::test]
async fn refreshed_id_token_new_auth_time_replaces_the_original_auth_time() {
    let h = start_with_defect(Defect::RefreshedIdTokenNewAuthTime).await;
    let tokens = h.web_app_tokens().await;
    let original = h
        .verify_jwt(tokens["id_token"].as_str().expect("id_token"))
        .await;
    assert!(original["auth_time"].is_u64());
    let rt = tokens["refresh_token"].as_str().expect("refresh token");
    let body: Value = refresh(&h, rt, None).await.json().await.expect("json");
    let refreshed = h
        .verify_jwt(body["id_token"].as_str().expect("id_token"))
        .await;
    assert!(
        refreshed["auth_time"].as_u64() > original["auth_time"].as_u64(),
        "{refreshed}"
    );
    assert_eq!(refreshed["sub"], original["sub"]);
}

#[tokio::test]
async fn empty_parameter_refused_refuses_a_parameter_without_value() {
    let form = [("grant_type", "client_credentials"), ("scope", "")];
    assert_eq!(
        start().await.token_basic("app_basic", &form).await.status(),
        200
    );
    let h = start_with_defect(Defect::EmptyParameterRefused).await;
    expect_error(
        h.token_basic("app_basic", &form).await,
        400,
        "invalid_request",
    )
    .await;
}
