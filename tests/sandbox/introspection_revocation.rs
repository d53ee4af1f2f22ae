use serde_json::Value;

use crate::support::{Harness, expect_error, header, start};

async fn introspect(h: &Harness, client: &str, token: &str, hint: Option<&str>) -> Value {
    let mut form = vec![("token", token)];
    if let Some(hint) = hint {
        form.push(("token_type_hint", hint));
    }
    let res = h
        .post_form("/introspect", Some(&h.basic(client)), &form)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(res.headers(), "cache-control"), Some("no-store"));
    res.json().await.expect("json")
}

async fn revoke(h: &Harness, client: &str, token: &str) -> reqwest::Response {
    h.post_form("/revoke", Some(&h.basic(client)), &[("token", token)])
        .await
}

#[tokio::test]
async fn an_active_token_is_described() {
    let h = start().await;
    let tokens = h.web_app_tokens().await;
    let at = tokens["access_token"].as_str().expect("at");
    let info = introspect(&h, "app_basic", at, None).await;
    assert_eq!(info["active"], true);
    assert_eq!(info["client_id"], "web-app");
    assert_eq!(info["scope"], "openid profile roles identifiers");
    assert_eq!(info["sub"], h.sandbox.users()[0].subject());
    assert_eq!(info["iss"], h.sandbox.issuer());
    let (exp, iat) = (
        info["exp"].as_u64().expect("exp"),
        info["iat"].as_u64().expect("iat"),
    );
    assert_eq!(exp - iat, 3600);

    let rt = tokens["refresh_token"].as_str().expect("rt");
    let info = introspect(&h, "web_app", rt, Some("access_token")).await;
    assert_eq!(info["active"], true, "a wrong hint still finds the token");
}

#[tokio::test]
async fn an_unknown_token_is_only_inactive() {
    let h = start().await;
    let info = introspect(&h, "app_basic", "garbage", None).await;
    assert_eq!(info, serde_json::json!({"active": false}));
}

#[tokio::test]
async fn introspection_needs_an_authenticated_confidential_client() {
    let h = start().await;
    let token = h.app_token().await;
    let res = h
        .post_form("/introspect", None, &[("token", token.as_str())])
        .await;
    expect_error(res, 401, "invalid_client").await;
    let res = h
        .post_form(
            "/introspect",
            None,
            &[("token", token.as_str()), ("client_id", "spa")],
        )
        .await;
    expect_error(res, 400, "invalid_client").await;
    let res = h
        .post_form(
            "/introspect",
            Some(&crate::support::basic("app-basic", "wrong")),
            &[("token", token.as_str())],
        )
        .await;
    expect_error(res, 401, "invalid_client").await;
}

#[tokio::test]
async fn a_revoked_access_token_is_inactive_and_refused_by_userinfo() {
    let h = start().await;
    let tokens = h.web_app_tokens().await;
    let at = tokens["access_token"].as_str().expect("at");
    let res = revoke(&h, "web_app", at).await;
    assert_eq!(res.status(), 200);
    assert_eq!(introspect(&h, "app_basic", at, None).await["active"], false);
    let res = h
        .http
        .get(h.url("/userinfo"))
        .bearer_auth(at)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 401);
    let rt = tokens["refresh_token"].as_str().expect("rt");
    assert_eq!(introspect(&h, "web_app", rt, None).await["active"], true);
}

#[tokio::test]
async fn revoking_a_refresh_token_revokes_its_grant() {
    let h = start().await;
    let tokens = h.web_app_tokens().await;
    let rt = tokens["refresh_token"].as_str().expect("rt");
    assert_eq!(revoke(&h, "web_app", rt).await.status(), 200);
    let res = h
        .token_basic(
            "web_app",
            &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        )
        .await;
    expect_error(res, 400, "invalid_grant").await;
    let at = tokens["access_token"].as_str().expect("at");
    assert_eq!(introspect(&h, "app_basic", at, None).await["active"], false);
}

#[tokio::test]
async fn revocation_is_200_for_unknown_tokens_and_refused_for_others_tokens() {
    let h = start().await;
    assert_eq!(revoke(&h, "app_basic", "unknown").await.status(), 200);
    let token = h.app_token().await;
    expect_error(revoke(&h, "web_app", &token).await, 400, "invalid_request").await;
    assert_eq!(
        introspect(&h, "app_basic", &token, None).await["active"],
        true
    );

    let res = h
        .post_form(
            "/revoke",
            Some(&h.basic("app_basic")),
            &[("token_type_hint", "access_token")],
        )
        .await;
    expect_error(res, 400, "invalid_request").await;
    let res = h
        .post_form(
            "/revoke",
            Some(&crate::support::basic("app-basic", "wrong")),
            &[("token", token.as_str())],
        )
        .await;
    expect_error(res, 401, "invalid_client").await;
    let res = h
        .post_form(
            "/revoke",
            Some(&h.basic("app_basic")),
            &[("token", token.as_str()), ("token_type_hint", "bogus")],
        )
        .await;
    assert_eq!(res.status(), 200, "an unknown hint is ignored");
    assert_eq!(
        introspect(&h, "app_basic", &token, None).await["active"],
        false
    );
}
