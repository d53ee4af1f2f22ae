use grantspec::sandbox::{AuthMethod, SandboxClient, SandboxConfig};
use grantspec::secret::Secret;
use serde_json::Value;

use crate::support::{basic, expect_error, header, start, start_with};

#[tokio::test]
async fn client_credentials_with_basic_returns_the_documented_shape() {
    let h = start().await;
    let res = h
        .token_basic("app_basic", &[("grant_type", "client_credentials")])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(res.headers(), "cache-control"), Some("no-store"));
    assert_eq!(header(res.headers(), "pragma"), Some("no-cache"));
    assert!(
        header(res.headers(), "content-type").is_some_and(|c| c.starts_with("application/json"))
    );
    let text = res.text().await.expect("body");
    let body: Value = serde_json::from_str(&text).expect("json");
    let keys: Vec<&str> = body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_in",
            "token_type",
            "refresh_credit",
            "scope"
        ]
    );
    let token = body["access_token"].as_str().expect("token");
    assert!(token.starts_with("at-"));
    assert!(token.len() - 3 >= 22, "at least 128 bits of base64url");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["refresh_credit"], 0);
    assert_eq!(body["scope"], "PersonneConsult UserConsult");
    assert!(body.get("refresh_token").is_none());
}

#[tokio::test]
async fn each_token_is_new() {
    let h = start().await;
    assert_ne!(h.app_token().await, h.app_token().await);
}

#[tokio::test]
async fn secrets_are_random_at_each_start() {
    let (a, b) = (start().await, start().await);
    assert_ne!(a.secret("app_basic"), b.secret("app_basic"));
    assert!(a.secret("app_basic").len() >= 22);
    assert_ne!(a.password(), b.password());
    let pem = |h: &crate::support::Harness| {
        h.client("app_cert")
            .private_key_pem
            .as_ref()
            .expect("pem")
            .expose()
            .to_owned()
    };
    assert_ne!(pem(&a), pem(&b));
}

#[tokio::test]
async fn a_narrower_scope_is_granted_as_asked() {
    let h = start().await;
    let res = h
        .token_basic(
            "app_basic",
            &[
                ("grant_type", "client_credentials"),
                ("scope", "UserConsult"),
            ],
        )
        .await;
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["scope"], "UserConsult");
}

#[tokio::test]
async fn a_scope_the_client_may_not_have_is_invalid_scope() {
    let h = start().await;
    let res = h
        .token_basic(
            "app_basic",
            &[("grant_type", "client_credentials"), ("scope", "openid")],
        )
        .await;
    expect_error(res, 400, "invalid_scope").await;
}

#[tokio::test]
async fn basic_credentials_with_reserved_characters_are_form_urldecoded() {
    let odd = SandboxClient {
        client_secret: Some(Secret::new("s3cr:t/+ é%&=")),
        ..SandboxClient::builtin().remove(0)
    };
    let odd = SandboxClient {
        client_id: "odd:client id".into(),
        ..odd
    };
    let h = start_with(SandboxConfig {
        clients: vec![odd],
        ..SandboxConfig::default()
    })
    .await;
    let res = h
        .token(
            Some(&basic("odd:client id", "s3cr:t/+ é%&=")),
            &[("grant_type", "client_credentials")],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_wrong_secret_is_401_invalid_client_with_a_basic_challenge() {
    let h = start().await;
    let res = h
        .token(
            Some(&basic("app-basic", "wrong")),
            &[("grant_type", "client_credentials")],
        )
        .await;
    let challenge = header(res.headers(), "www-authenticate").map(str::to_owned);
    assert!(challenge.is_some_and(|c| c.starts_with("Basic realm=")));
    assert_eq!(header(res.headers(), "cache-control"), Some("no-store"));
    expect_error(res, 401, "invalid_client").await;
}

#[tokio::test]
async fn an_unknown_client_is_invalid_client() {
    let h = start().await;
    let res = h
        .token(
            Some(&basic("nobody", "x")),
            &[("grant_type", "client_credentials")],
        )
        .await;
    expect_error(res, 401, "invalid_client").await;
}

#[tokio::test]
async fn no_client_authentication_is_invalid_client() {
    let h = start().await;
    let res = h.token(None, &[("grant_type", "client_credentials")]).await;
    expect_error(res, 401, "invalid_client").await;
}

#[tokio::test]
async fn a_missing_grant_type_is_invalid_request() {
    let h = start().await;
    let res = h
        .token_basic("app_basic", &[("scope", "UserConsult")])
        .await;
    expect_error(res, 400, "invalid_request").await;
}

#[tokio::test]
async fn unknown_grants_and_password_are_unsupported() {
    let h = start().await;
    for grant in ["urn:example:unknown", "password", "implicit"] {
        let res = h.token_basic("app_basic", &[("grant_type", grant)]).await;
        expect_error(res, 400, "unsupported_grant_type").await;
    }
}

#[tokio::test]
async fn a_repeated_parameter_is_invalid_request() {
    let h = start().await;
    let res = h
        .token_basic(
            "app_basic",
            &[
                ("grant_type", "client_credentials"),
                ("grant_type", "client_credentials"),
            ],
        )
        .await;
    expect_error(res, 400, "invalid_request").await;
}

#[tokio::test]
async fn a_non_form_body_is_invalid_request() {
    let h = start().await;
    let res = h
        .http
        .post(h.url("/token"))
        .header("authorization", h.basic("app_basic"))
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .expect("send");
    expect_error(res, 400, "invalid_request").await;
}

#[tokio::test]
async fn get_on_the_token_endpoint_is_405() {
    let h = start().await;
    let res = h.token_by_get("app_basic").await;
    assert_eq!(res.status(), 405);
}

#[tokio::test]
async fn two_authentication_methods_at_once_are_refused() {
    let h = start().await;
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
    expect_error(res, 400, "invalid_request").await;
}

#[tokio::test]
async fn client_secret_post_works_for_its_client_only() {
    let h = start().await;
    let secret = h.secret("app_post");
    let res = h
        .token(
            None,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "app-post"),
                ("client_secret", secret.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        h.client("app_post").auth_method,
        AuthMethod::ClientSecretPost
    );

    let basic_secret = h.secret("app_basic");
    let res = h
        .token(
            None,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "app-basic"),
                ("client_secret", basic_secret.as_str()),
            ],
        )
        .await;
    expect_error(res, 400, "invalid_client").await;
}

#[tokio::test]
async fn a_wrong_post_secret_is_invalid_client() {
    let h = start().await;
    let res = h
        .token(
            None,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "app-post"),
                ("client_secret", "wrong"),
            ],
        )
        .await;
    expect_error(res, 400, "invalid_client").await;
}

#[tokio::test]
async fn a_client_without_the_grant_is_unauthorized_client() {
    let h = start().await;
    let res = h
        .token_basic("web_app", &[("grant_type", "client_credentials")])
        .await;
    expect_error(res, 400, "unauthorized_client").await;
}
