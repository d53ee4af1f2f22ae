//! Deliberate defects for checklist items A-01, B-08, B-09, B-12, C-04, D-07, D-12, D-14, F-09,
//! M-05 and M-07: each misbehaves as described, and the sandbox without it does not.

use grantspec::sandbox::Defect;

use crate::support::{
    Harness, location, pairs, query_param, start, start_with_defect, with, without,
};

/// The login form's action.
async fn login_action(h: &Harness) -> String {
    let form = h.authorize(&pairs(&h.web_app_params()), None).await;
    let html = form.text().await.expect("html");
    let start = html.find("action=\"").expect("action") + "action=\"".len();
    html[start..start + html[start..].find('"').expect("end")].to_owned()
}

/// The redirect after logging in with `params` (web_app's, changed).
async fn log_in_with(h: &Harness, params: &[(&'static str, String)]) -> reqwest::Response {
    h.log_in(&pairs(params)).await
}

#[tokio::test]
async fn login_over_plain_http_posts_the_password_to_localhost() {
    let h = start_with_defect(Defect::LoginOverPlainHttp).await;
    let action = login_action(&h).await;
    assert!(action.starts_with("http://localhost:"), "{action}");
    assert!(action.ends_with("/login"), "{action}");
    let fine = start().await;
    assert_eq!(login_action(&fine).await, fine.url("/login"));
}

#[tokio::test]
async fn grant_types_unadvertised_omits_grant_types_supported() {
    let h = start_with_defect(Defect::GrantTypesUnadvertised).await;
    assert!(h.discovery().await.get("grant_types_supported").is_none());
    let listed = start().await.discovery().await;
    assert!(
        listed["grant_types_supported"]
            .as_array()
            .is_some_and(|g| g.contains(&"client_credentials".into()))
    );
}

#[tokio::test]
async fn plain_http_endpoint_advertised_puts_the_logout_on_another_http_host() {
    let h = start_with_defect(Defect::PlainHttpEndpointAdvertised).await;
    let logout = h.discovery().await["end_session_endpoint"].clone();
    assert_eq!(logout, "http://sso.example/cas/logout");
}

#[tokio::test]
async fn authorization_iss_missing_omits_iss_though_advertised() {
    let h = start_with_defect(Defect::AuthorizationIssMissing).await;
    assert_eq!(
        h.discovery().await["authorization_response_iss_parameter_supported"],
        true
    );
    let res = h.log_in(&pairs(&h.web_app_params())).await;
    let loc = location(&res);
    assert!(query_param(&loc, "code").is_some());
    assert_eq!(query_param(&loc, "iss"), None);
    let refused = h
        .authorize(
            &pairs(&with(&h.web_app_params(), "response_type", "token")),
            None,
        )
        .await;
    assert_eq!(query_param(&location(&refused), "iss"), None);
}

#[tokio::test]
async fn jwks_enc_key_without_use_mixes_an_encryption_key_in() {
    let h = start_with_defect(Defect::JwksEncKeyWithoutUse).await;
    let jwks_uri = h.discovery().await["jwks_uri"]
        .as_str()
        .expect("jwks_uri")
        .to_owned();
    let keys = h.get_json(&jwks_uri).await["keys"].clone();
    assert_eq!(keys[0]["use"], "sig");
    assert_eq!(keys[1]["alg"], "RSA-OAEP");
    assert!(keys[1].get("use").is_none());
}

#[tokio::test]
async fn unknown_challenge_method_accepted_shows_the_login_form() {
    let h = start_with_defect(Defect::UnknownChallengeMethodAccepted).await;
    let params = with(&h.web_app_params(), "code_challenge_method", "S512");
    assert_eq!(h.authorize(&pairs(&params), None).await.status(), 200);
    let fine = start().await;
    let refused = fine.authorize(&pairs(&params), None).await;
    assert_eq!(
        query_param(&location(&refused), "error").as_deref(),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn http_redirect_uri_authorized_redirects_to_a_development_host() {
    let h = start_with_defect(Defect::HttpRedirectUriAuthorized).await;
    let params = with(
        &h.web_app_params(),
        "redirect_uri",
        "http://app.example/callback",
    );
    let res = log_in_with(&h, &params).await;
    assert!(location(&res).starts_with("http://app.example/callback?code="));
    let fine = start().await;
    assert_eq!(fine.authorize(&pairs(&params), None).await.status(), 400);
}

#[tokio::test]
async fn implicit_grant_served_returns_an_access_token_in_the_fragment() {
    let h = start_with_defect(Defect::ImplicitGrantServed).await;
    let params = with(&h.web_app_params(), "response_type", "token");
    let loc = location(&log_in_with(&h, &params).await);
    let fragment = loc.split_once('#').expect("a fragment").1;
    assert!(fragment.contains("access_token=at-"), "{loc}");
    assert!(fragment.contains("state=st-123"), "{loc}");
    let fine = start().await;
    let refused = fine.authorize(&pairs(&params), None).await;
    assert_eq!(
        query_param(&location(&refused), "error").as_deref(),
        Some("unsupported_response_type")
    );
}

#[tokio::test]
async fn auth_time_missing_drops_auth_time_from_id_tokens() {
    let h = start_with_defect(Defect::AuthTimeMissing).await;
    let body = h.web_app_tokens().await;
    let claims = h.verify_jwt(body["id_token"].as_str().expect("id")).await;
    assert!(claims.get("auth_time").is_none());
}

/// Logs in with `params` (web_app's, changed), then redeems the code with `verifier`.
async fn redeem_with(h: &Harness, params: &[(&'static str, String)], verifier: &str) -> u16 {
    let code = query_param(&location(&log_in_with(h, params).await), "code").expect("code");
    h.exchange_web_app_with(&code, verifier)
        .await
        .status()
        .as_u16()
}

/// A code for web_app whose S256 challenge is made from `verifier`, and its exchange.
async fn exchange_with_verifier(h: &Harness, verifier: &str) -> u16 {
    let challenge = grantspec::oauth::s256(verifier);
    let params = with(&h.web_app_params(), "code_challenge", &challenge);
    redeem_with(h, &params, verifier).await
}

#[tokio::test]
async fn malformed_verifier_accepted_redeems_a_short_verifier() {
    let short = "a".repeat(42);
    let h = start_with_defect(Defect::MalformedVerifierAccepted).await;
    assert_eq!(exchange_with_verifier(&h, &short).await, 200);
    assert_eq!(exchange_with_verifier(&start().await, &short).await, 400);
}

/// Logs in with a challenge and no method, then redeems the code with `verifier`.
async fn redeem_methodless(h: &Harness, verifier: &str) -> u16 {
    let params = without(
        &with(&h.web_app_params(), "code_challenge", verifier),
        "code_challenge_method",
    );
    redeem_with(h, &params, verifier).await
}

#[tokio::test]
async fn methodless_challenge_as_s256_refuses_the_plain_verifier() {
    let verifier = "b".repeat(43);
    let h = start_with_defect(Defect::MethodlessChallengeAsS256).await;
    assert_eq!(redeem_methodless(&h, &verifier).await, 400);
    assert_eq!(redeem_methodless(&start().await, &verifier).await, 200);
}
