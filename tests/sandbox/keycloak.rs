//! The keycloak flavour: Keycloak's paths, members and strings, and each of its defects.

use grantspec::sandbox::{Defect, Flavour, SandboxConfig};
use serde_json::Value;

use crate::support::{
    Harness, VERIFIER, basic, expect_error, header, location, query_param, request_id, start_with,
};

const TOKEN: &str = "/protocol/openid-connect/token";
const USERINFO: &str = "/protocol/openid-connect/userinfo";

async fn keycloak(defects: &[Defect]) -> Harness {
    start_with(SandboxConfig {
        flavour: Flavour::Keycloak,
        defects: defects.to_vec(),
        ..SandboxConfig::default()
    })
    .await
}

async fn token(
    h: &Harness,
    authorization: Option<&str>,
    form: &[(&str, &str)],
) -> reqwest::Response {
    h.post_form(TOKEN, authorization, form).await
}

/// A web_app code through Keycloak's authorization path and the login form.
async fn code(h: &Harness) -> String {
    let params = h.web_app_params();
    let form = h
        .http
        .get(h.url("/protocol/openid-connect/auth"))
        .query(&params)
        .send()
        .await
        .expect("authorize");
    assert_eq!(form.status(), 200, "login form");
    let id = request_id(&form.text().await.expect("html"));
    let res = h.submit_login(&id, "topsi", &h.password()).await;
    assert_eq!(res.status(), 303);
    query_param(&location(&res), "code").expect("code")
}

async fn exchange(h: &Harness, code: &str, verifier: &str) -> reqwest::Response {
    let redirect_uri = h.client("web_app").redirect_uris[0].clone();
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri.as_str()),
        ("code_verifier", verifier),
    ];
    token(h, Some(&h.basic("web_app")), &form).await
}

async fn client_credentials(h: &Harness, client: &str) -> reqwest::Response {
    token(
        h,
        Some(&h.basic(client)),
        &[("grant_type", "client_credentials")],
    )
    .await
}

async fn userinfo(h: &Harness, bearer: Option<&str>) -> reqwest::Response {
    let mut request = h.http.get(h.url(USERINFO));
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("userinfo")
}

#[tokio::test]
async fn the_issuer_is_a_realm_and_the_endpoints_have_keycloaks_paths() {
    let h = keycloak(&[]).await;
    assert!(h.sandbox.issuer().ends_with("/realms/grantspec"));
    let doc = h.discovery().await;
    let issuer = h.sandbox.issuer();
    assert_eq!(doc["issuer"], issuer);
    assert_eq!(doc["token_endpoint"], format!("{issuer}{TOKEN}"));
    assert_eq!(
        doc["introspection_endpoint"],
        format!("{issuer}/protocol/openid-connect/token/introspect")
    );
    assert_eq!(
        doc["registration_endpoint"],
        format!("{issuer}/clients-registrations/openid-connect")
    );
    assert_eq!(doc["backchannel_logout_supported"], true);
    assert!(doc["check_session_iframe"].is_string());
    let certs = h
        .http
        .get(doc["jwks_uri"].as_str().expect("jwks_uri"))
        .send()
        .await
        .expect("certs");
    assert_eq!(certs.status(), 200);
    assert_eq!(h.token(None, &[]).await.status(), 404, "no /token");
}

#[tokio::test]
async fn token_responses_carry_keycloaks_members() {
    let h = keycloak(&[]).await;
    let app: Value = client_credentials(&h, "app_basic")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(app["refresh_expires_in"], 0);
    assert_eq!(app["not-before-policy"], 0);
    assert_eq!(app["token_type"], "Bearer");
    assert!(app["scope"].is_string() && app.get("refresh_credit").is_none());
    assert!(app.get("session_state").is_none(), "no user session");
    h.verify_jwt(app["access_token"].as_str().expect("JWT"))
        .await;

    let res = exchange(&h, &code(&h).await, VERIFIER).await;
    assert_eq!(res.status(), 200);
    let user: Value = res.json().await.expect("json");
    assert!(user["refresh_expires_in"].as_u64() > Some(0));
    let sid = h
        .verify_jwt(user["id_token"].as_str().expect("id_token"))
        .await["sid"]
        .clone();
    assert_eq!(user["session_state"], sid);
}

#[tokio::test]
async fn errors_carry_keycloaks_strings_and_its_known_departures() {
    let h = keycloak(&[]).await;
    let wrong = token(
        &h,
        Some(&basic("app-basic", "wrong")),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(
        header(wrong.headers(), "www-authenticate"),
        None,
        "E-11 departure"
    );
    let body = expect_error(wrong, 401, "unauthorized_client").await;
    assert_eq!(
        body["error_description"],
        "Invalid client or Invalid client credentials"
    );
    let unknown = token(
        &h,
        Some(&basic("nobody", "x")),
        &[("grant_type", "client_credentials")],
    )
    .await;
    expect_error(unknown, 401, "invalid_client").await;
    let anonymous = token(&h, None, &[("grant_type", "client_credentials")]).await;
    let body = expect_error(anonymous, 400, "invalid_client").await;
    assert_eq!(body["error_description"], "Missing client_id parameter");
    let body = expect_error(
        client_credentials(&h, "web_app").await,
        401,
        "unauthorized_client",
    )
    .await;
    assert_eq!(
        body["error_description"],
        "Client not enabled to retrieve service account"
    );

    let code = code(&h).await;
    let mismatch = "a-well-formed-verifier-that-does-not-match-the-challenge-at-all";
    let body = expect_error(exchange(&h, &code, mismatch).await, 400, "invalid_grant").await;
    assert_eq!(
        body["error_description"],
        "PKCE verification failed: Code mismatch"
    );
    let body = expect_error(exchange(&h, &code, VERIFIER).await, 400, "invalid_grant").await;
    assert_eq!(body["error_description"], "Code not valid", "used");

    let none = userinfo(&h, None).await;
    assert_eq!(
        header(none.headers(), "www-authenticate"),
        None,
        "J-09 departure"
    );
    let body = expect_error(none, 400, "invalid_request").await;
    assert_eq!(body["error_description"], "Token not provided");
    let forged = userinfo(&h, Some("forged")).await;
    assert_eq!(
        header(forged.headers(), "www-authenticate"),
        Some(
            "Bearer realm=\"grantspec\", error=\"invalid_token\", error_description=\"Token verification failed\""
        )
    );
    expect_error(forged, 401, "invalid_token").await;
}

#[tokio::test]
async fn not_before_policy_missing_drops_the_member() {
    let h = keycloak(&[Defect::NotBeforePolicyMissing]).await;
    let body: Value = client_credentials(&h, "app_basic")
        .await
        .json()
        .await
        .expect("json");
    assert!(body.get("not-before-policy").is_none() && body.get("refresh_expires_in").is_some());
}

#[tokio::test]
async fn session_state_missing_drops_the_member_but_not_the_sid() {
    let h = keycloak(&[Defect::SessionStateMissing]).await;
    let body: Value = exchange(&h, &code(&h).await, VERIFIER)
        .await
        .json()
        .await
        .expect("json");
    assert!(body.get("session_state").is_none());
    let claims = h
        .verify_jwt(body["id_token"].as_str().expect("id_token"))
        .await;
    assert!(claims["sid"].is_string());
}

#[tokio::test]
async fn code_errors_undescribed_refuse_without_a_description() {
    let h = keycloak(&[Defect::CodeErrorsUndescribed]).await;
    let body = expect_error(
        exchange(&h, "no-such-code", VERIFIER).await,
        400,
        "invalid_grant",
    )
    .await;
    assert!(body.get("error_description").is_none(), "{body}");
}

#[tokio::test]
async fn client_auth_error_undescribed_refuses_without_a_description() {
    let h = keycloak(&[Defect::ClientAuthErrorUndescribed]).await;
    let wrong = token(
        &h,
        Some(&basic("app-basic", "wrong")),
        &[("grant_type", "client_credentials")],
    )
    .await;
    let body = expect_error(wrong, 401, "unauthorized_client").await;
    assert!(body.get("error_description").is_none(), "{body}");
}

#[tokio::test]
async fn service_account_refusal_undescribed_refuses_without_a_description() {
    let h = keycloak(&[Defect::ServiceAccountRefusalUndescribed]).await;
    let body = expect_error(
        client_credentials(&h, "web_app").await,
        401,
        "unauthorized_client",
    )
    .await;
    assert!(body.get("error_description").is_none(), "{body}");
}

#[tokio::test]
async fn userinfo_challenge_undescribed_names_no_realm_nor_reason() {
    let h = keycloak(&[Defect::UserinfoChallengeUndescribed]).await;
    let forged = userinfo(&h, Some("forged")).await;
    assert_eq!(
        header(forged.headers(), "www-authenticate"),
        Some("Bearer error=\"invalid_token\"")
    );
}

#[tokio::test]
async fn generic_endpoint_paths_serve_the_realm_at_the_generic_paths() {
    let h = keycloak(&[Defect::GenericEndpointPaths]).await;
    let doc = h.discovery().await;
    assert_eq!(doc["token_endpoint"], h.url("/token"));
    assert!(
        doc["check_session_iframe"].is_string(),
        "still Keycloak otherwise"
    );
    assert_eq!(client_credentials(&h, "app_basic").await.status(), 404);
    assert_eq!(
        h.token_basic("app_basic", &[("grant_type", "client_credentials")])
            .await
            .status(),
        200
    );
}
