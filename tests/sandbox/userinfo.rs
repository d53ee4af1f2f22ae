use serde_json::Value;

use crate::support::{Harness, header, start};

async fn web_app_access_token(h: &Harness) -> String {
    h.web_app_tokens().await["access_token"]
        .as_str()
        .expect("at")
        .to_owned()
}

#[tokio::test]
async fn get_and_post_return_the_documented_payload() {
    let h = start().await;
    let token = web_app_access_token(&h).await;
    let get = h
        .http
        .get(h.url("/userinfo"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(get.status(), 200);
    assert!(
        header(get.headers(), "content-type").is_some_and(|c| c.starts_with("application/json"))
    );
    let get: Value = get.json().await.expect("json");
    let post: Value = h
        .http
        .post(h.url("/userinfo"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    assert_eq!(get, post);
    let keys: Vec<&str> = get
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "sub",
            "login_type",
            "roles",
            "given_name",
            "acr",
            "user_type",
            "name",
            "target_identity",
            "partnerId",
            "family_name"
        ]
    );
    assert_eq!(get["sub"], h.sandbox.users()[0].subject());
    assert_eq!(get["name"], "Topsi Testtopsiun");
    assert_eq!(get["given_name"], "TOPSI");
    assert_eq!(get["family_name"], "TESTTOPSIUN");
    assert_eq!(get["target_identity"], false);
    assert!(get["roles"].is_array());
}

#[tokio::test]
async fn the_token_may_come_in_a_form_body_but_not_in_the_uri_nor_twice() {
    let h = start().await;
    let token = web_app_access_token(&h).await;
    let res = h
        .http
        .post(h.url("/userinfo"))
        .form(&[("access_token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 200);
    let res = h
        .http
        .get(h.url("/userinfo"))
        .query(&[("access_token", token.as_str())])
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 400);
    let res = h
        .http
        .post(h.url("/userinfo"))
        .bearer_auth(&token)
        .form(&[("access_token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 400);
    assert!(
        header(res.headers(), "www-authenticate").is_some_and(|c| c.contains("invalid_request"))
    );
}

#[tokio::test]
async fn claims_follow_the_granted_scopes() {
    let h = start().await;
    let mut params = h.web_app_params();
    params.retain(|(k, _)| *k != "scope");
    params.push(("scope", "openid".into()));
    let res = h.log_in(&crate::support::pairs(&params)).await;
    let code = crate::support::query_param(&crate::support::location(&res), "code").expect("code");
    let body: Value = h.exchange_web_app(&code).await.json().await.expect("json");
    let claims: Value = h
        .http
        .get(h.url("/userinfo"))
        .bearer_auth(body["access_token"].as_str().expect("at"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(claims.get("sub").is_some());
    assert!(claims.get("name").is_none());
    assert!(claims.get("roles").is_none());
}

#[tokio::test]
async fn no_token_is_401_with_a_bare_bearer_challenge() {
    let h = start().await;
    let res = h.http.get(h.url("/userinfo")).send().await.expect("get");
    assert_eq!(res.status(), 401);
    let challenge = header(res.headers(), "www-authenticate").expect("challenge");
    assert!(challenge.starts_with("Bearer"));
    assert!(!challenge.contains("error="));
}

#[tokio::test]
async fn an_unknown_token_is_401_invalid_token() {
    let h = start().await;
    let res = h
        .http
        .get(h.url("/userinfo"))
        .bearer_auth("at-unknown")
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 401);
    assert!(
        header(res.headers(), "www-authenticate")
            .is_some_and(|c| c.contains("error=\"invalid_token\""))
    );
}

#[tokio::test]
async fn a_client_credentials_token_is_403_insufficient_scope() {
    let h = start().await;
    let token = h.app_token().await;
    let res = h
        .http
        .get(h.url("/userinfo"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 403);
    assert!(
        header(res.headers(), "www-authenticate").is_some_and(|c| c.contains("insufficient_scope"))
    );
}
