//! Defects in how the sandbox answers requests that are wrong (or right) on purpose: error
//! codes, client authentication, scopes, refresh, introspection, registration, UserInfo and
//! prompt=none.

use grantspec::sandbox::Defect;
use serde_json::{Value, json};

use crate::support::{Harness, basic, expect_error, header, pairs, start_with_defect, with};

async fn token_error(h: &Harness, form: &[(&str, &str)]) -> Value {
    let res = h.token_basic("app_basic", form).await;
    assert_eq!(res.status(), 400);
    res.json().await.expect("json")
}

#[tokio::test]
async fn unregistered_error_code_names_an_unknown_grant_unsupported_grant() {
    let h = start_with_defect(Defect::UnregisteredErrorCode).await;
    let body = token_error(&h, &[("grant_type", "urn:example:none")]).await;
    assert_eq!(body["error"], "unsupported_grant");
}

#[tokio::test]
async fn unknown_grant_invalid_request_answers_invalid_request() {
    let h = start_with_defect(Defect::UnknownGrantInvalidRequest).await;
    let body = token_error(&h, &[("grant_type", "urn:example:none")]).await;
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn two_auth_methods_accepted_takes_basic_and_post_together() {
    let h = start_with_defect(Defect::TwoAuthMethodsAccepted).await;
    let secret = h.secret("app_basic");
    let res = h
        .token(
            Some(&h.basic("app_basic")),
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "app-basic"),
                ("client_secret", secret.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn requested_scope_refused_refuses_an_allowed_scope() {
    let h = start_with_defect(Defect::RequestedScopeRefused).await;
    let body = token_error(
        &h,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "PersonneConsult"),
        ],
    )
    .await;
    assert_eq!(body["error"], "invalid_scope");
    h.app_token().await;
}

#[tokio::test]
async fn unauthorized_scope_granted_grants_a_foreign_scope() {
    let h = start_with_defect(Defect::UnauthorizedScopeGranted).await;
    let res = h
        .token_basic(
            "app_basic",
            &[
                ("grant_type", "client_credentials"),
                ("scope", "ENT_ContratServicesManage"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["scope"], "ENT_ContratServicesManage");
}

#[tokio::test]
async fn missing_auth_invalid_request_answers_invalid_request() {
    let h = start_with_defect(Defect::MissingAuthInvalidRequest).await;
    let res = h.token(None, &[("grant_type", "client_credentials")]).await;
    expect_error(res, 400, "invalid_request").await;
    let res = h
        .token(
            Some(&basic("app-basic", "wrong")),
            &[("grant_type", "client_credentials")],
        )
        .await;
    expect_error(res, 401, "invalid_client").await;
}

#[tokio::test]
async fn assertion_needs_client_id_refuses_an_assertion_alone() {
    let h = start_with_defect(Defect::AssertionNeedsClientId).await;
    let res = h
        .token(
            None,
            &[
                ("grant_type", "client_credentials"),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", "a.b.c"),
            ],
        )
        .await;
    expect_error(res, 400, "invalid_request").await;
}

#[tokio::test]
async fn refresh_token_refused_refuses_a_fresh_refresh_token() {
    let h = start_with_defect(Defect::RefreshTokenRefused).await;
    let body = h.web_app_tokens().await;
    let rt = body["refresh_token"].as_str().expect("refresh token");
    let res = h
        .token_basic(
            "web_app",
            &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        )
        .await;
    expect_error(res, 400, "invalid_grant").await;
}

async fn introspect(h: &Harness, auth: Option<String>, token: &str) -> Value {
    let mut req = h.http.post(h.url("/introspect")).form(&[("token", token)]);
    if let Some(auth) = auth {
        req = req.header("authorization", auth);
    }
    let res = req.send().await.expect("introspect");
    assert_eq!(res.status(), 200);
    res.json().await.expect("json")
}

#[tokio::test]
async fn introspection_always_inactive_says_inactive_for_a_valid_token() {
    let h = start_with_defect(Defect::IntrospectionAlwaysInactive).await;
    let token = h.app_token().await;
    let body = introspect(&h, Some(h.basic("app_basic")), &token).await;
    assert_eq!(body, json!({ "active": false }));
}

#[tokio::test]
async fn introspection_open_answers_without_client_authentication() {
    let h = start_with_defect(Defect::IntrospectionOpen).await;
    let token = h.app_token().await;
    let body = introspect(&h, None, &token).await;
    assert_eq!(body["active"], true);
}

#[tokio::test]
async fn registration_200_answers_200() {
    let h = start_with_defect(Defect::Registration200).await;
    let res = h
        .http
        .post(h.url("/register"))
        .bearer_auth(h.sandbox.initial_access_token().expose())
        .json(&json!({"grant_types": ["client_credentials"]}))
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn unknown_client_404_answers_before_checking_the_token() {
    let h = start_with_defect(Defect::UnknownClient404).await;
    let res = h
        .http
        .get(h.url("/register/no-such-client"))
        .bearer_auth("rat-forged")
        .send()
        .await
        .expect("read");
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn userinfo_body_token_refused_answers_400() {
    let h = start_with_defect(Defect::UserinfoBodyTokenRefused).await;
    let body = h.web_app_tokens().await;
    let at = body["access_token"].as_str().expect("at");
    let res = h
        .http
        .post(h.url("/userinfo"))
        .form(&[("access_token", at)])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 400);
    let res = h
        .http
        .post(h.url("/userinfo"))
        .bearer_auth(at)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn missing_token_error_code_puts_an_error_in_the_challenge() {
    let h = start_with_defect(Defect::MissingTokenErrorCode).await;
    let res = h.http.get(h.url("/userinfo")).send().await.expect("get");
    assert_eq!(res.status(), 401);
    let challenge = header(res.headers(), "www-authenticate").expect("challenge");
    assert!(challenge.contains("error="), "{challenge}");
}

#[tokio::test]
async fn client_token_gets_a_profile_serves_the_first_user() {
    let h = start_with_defect(Defect::ClientTokenGetsAProfile).await;
    let token = h.app_token().await;
    let res = h
        .http
        .get(h.url("/userinfo"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["given_name"], "TOPSI");
}

#[tokio::test]
async fn prompt_none_shows_login_shows_the_form_without_a_session() {
    let h = start_with_defect(Defect::PromptNoneShowsLogin).await;
    let params = with(&h.web_app_params(), "prompt", "none");
    let res = h.authorize(&pairs(&params), None).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("html").contains("request_id"));
}

#[tokio::test]
async fn query_credentials_accepted_reads_the_secret_from_the_query() {
    let h = start_with_defect(Defect::QueryCredentialsAccepted).await;
    let secret = h.secret("app_post");
    let res = h
        .http
        .post(h.url("/token"))
        .query(&[
            ("client_id", "app-post"),
            ("client_secret", secret.as_str()),
        ])
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn assertion_use_checked_refuses_use_enc() {
    let h = start_with_defect(Defect::AssertionUseChecked).await;
    let claims = crate::private_key_jwt::valid_claims(&h);
    let signed = crate::private_key_jwt::sign(&h, &claims);
    assert_eq!(
        crate::private_key_jwt::with_assertion(&h, &signed)
            .await
            .status(),
        200,
        "use: sig is accepted"
    );
    let pem = h.client("app_cert").private_key_pem.as_ref().expect("pem");
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some("apim-provisioner".into());
    header.extras.insert("use", "enc");
    let enc = jsonwebtoken::encode(
        &header,
        &crate::private_key_jwt::valid_claims(&h),
        &jsonwebtoken::EncodingKey::from_rsa_pem(pem.expose().as_bytes()).expect("key"),
    )
    .expect("sign");
    let res = crate::private_key_jwt::with_assertion(&h, &enc).await;
    expect_error(res, 400, "invalid_client").await;
}

async fn web_app_refresh_token(h: &Harness) -> (String, String) {
    let body = h.web_app_tokens().await;
    let at = body["access_token"].as_str().expect("at").to_owned();
    let rt = body["refresh_token"].as_str().expect("rt").to_owned();
    (at, rt)
}

#[tokio::test]
async fn refresh_token_not_bound_to_client_lets_spa_refresh() {
    let h = start_with_defect(Defect::RefreshTokenNotBoundToClient).await;
    let (_, rt) = web_app_refresh_token(&h).await;
    let res = h
        .token(
            None,
            &[
                ("grant_type", "refresh_token"),
                ("client_id", "spa"),
                ("refresh_token", rt.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

async fn revoke(h: &Harness, client: &str, token: &str) -> u16 {
    h.http
        .post(h.url("/revoke"))
        .header("authorization", h.basic(client))
        .form(&[("token", token)])
        .send()
        .await
        .expect("revoke")
        .status()
        .as_u16()
}

#[tokio::test]
async fn refresh_revocation_keeps_access_tokens_leaves_the_grant_active() {
    let h = start_with_defect(Defect::RefreshRevocationKeepsAccessTokens).await;
    let (at, rt) = web_app_refresh_token(&h).await;
    assert_eq!(revoke(&h, "web_app", &rt).await, 200);
    let body = introspect(&h, Some(h.basic("web_app")), &at).await;
    assert_eq!(body["active"], true);
    let body = introspect(&h, Some(h.basic("web_app")), &rt).await;
    assert_eq!(body["active"], false);
}

#[tokio::test]
async fn cross_client_revocation_lets_app_basic_revoke_web_app_tokens() {
    let h = start_with_defect(Defect::CrossClientRevocation).await;
    let (at, _) = web_app_refresh_token(&h).await;
    assert_eq!(revoke(&h, "app_basic", &at).await, 200);
    let body = introspect(&h, Some(h.basic("web_app")), &at).await;
    assert_eq!(body["active"], false);
}
