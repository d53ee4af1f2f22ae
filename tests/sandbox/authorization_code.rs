use std::time::Duration;

use grantspec::sandbox::{Lifetimes, SandboxConfig};
use serde_json::Value;

use crate::support::{
    CHALLENGE, VERIFIER, expect_error, header, location, pairs, query_param, start, start_with,
    with, without,
};

#[tokio::test]
async fn the_code_flow_returns_tokens_and_a_valid_id_token() {
    let h = start().await;
    let params = h.web_app_params();
    let res = h.log_in(&pairs(&params)).await;
    assert_eq!(res.status(), 303);
    let loc = location(&res);
    assert!(loc.starts_with("http://127.0.0.1:9/callback?"));
    let code = query_param(&loc, "code").expect("code");
    assert!(code.starts_with("ac-") && code.len() >= 3 + 22);
    assert_eq!(query_param(&loc, "state").as_deref(), Some("st-123"));
    assert_eq!(
        query_param(&loc, "iss").as_deref(),
        Some(h.sandbox.issuer())
    );

    let res = h.exchange_web_app(&code).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(res.headers(), "cache-control"), Some("no-store"));
    let body: Value = res.json().await.expect("json");
    assert!(
        body["access_token"]
            .as_str()
            .is_some_and(|t| t.starts_with("at-"))
    );
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["refresh_credit"], 5);
    assert!(body["refresh_token"].is_string());
    assert_eq!(body["scope"], "openid profile roles identifiers");

    let id_token = body["id_token"].as_str().expect("id_token");
    let claims = h.verify_jwt(id_token).await;
    assert_eq!(claims["iss"], h.sandbox.issuer());
    assert_eq!(claims["aud"], "web-app");
    assert_eq!(claims["azp"], "web-app");
    assert_eq!(claims["nonce"], "n-456");
    let sub = claims["sub"].as_str().expect("sub");
    assert_eq!(sub, h.sandbox.users()[0].subject());
    assert_eq!(sub.len(), 64);
    let at = body["access_token"].as_str().expect("at");
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, at.as_bytes());
    use base64::Engine as _;
    let expected = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16]);
    assert_eq!(claims["at_hash"], expected.as_str());
    assert!(claims["auth_time"].as_u64().is_some());
    assert!(claims["exp"].as_u64() > claims["iat"].as_u64());
}

#[tokio::test]
async fn without_openid_there_is_no_id_token() {
    let h = start().await;
    let params = with(&h.web_app_params(), "scope", "profile");
    let res = h.log_in(&pairs(&params)).await;
    let code = query_param(&location(&res), "code").expect("code");
    let body: Value = h.exchange_web_app(&code).await.json().await.expect("json");
    assert!(body.get("id_token").is_none());
    assert_eq!(body["scope"], "profile");
}

#[tokio::test]
async fn a_public_client_completes_the_flow_with_pkce() {
    let h = start().await;
    let spa = h.client("spa").redirect_uris[0].clone();
    let res = h
        .log_in(&[
            ("response_type", "code"),
            ("client_id", "spa"),
            ("redirect_uri", &spa),
            ("scope", "openid"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ])
        .await;
    let code = query_param(&location(&res), "code").expect("code");
    let res = h
        .token(
            None,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", "spa"),
                ("code", &code),
                ("redirect_uri", &spa),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_reused_code_is_refused_and_revokes_what_it_issued() {
    let h = start().await;
    let code = h.web_app_code().await;
    let first: Value = h.exchange_web_app(&code).await.json().await.expect("json");
    expect_error(h.exchange_web_app(&code).await, 400, "invalid_grant").await;
    let refresh = first["refresh_token"].as_str().expect("refresh");
    let res = h
        .token_basic(
            "web_app",
            &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
        )
        .await;
    expect_error(res, 400, "invalid_grant").await;
}

#[tokio::test]
async fn a_code_is_bound_to_its_client_and_redirect_uri() {
    let h = start().await;
    let code = h.web_app_code().await;
    let spa = h.client("spa").redirect_uris[0].clone();
    let res = h
        .token(
            None,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", "spa"),
                ("code", &code),
                ("redirect_uri", &spa),
                ("code_verifier", VERIFIER),
            ],
        )
        .await;
    expect_error(res, 400, "invalid_grant").await;

    for redirect in [None, Some("http://127.0.0.1:9/other")] {
        let code = h.web_app_code().await;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("code_verifier", VERIFIER),
        ];
        if let Some(r) = redirect {
            form.push(("redirect_uri", r));
        }
        expect_error(h.token_basic("web_app", &form).await, 400, "invalid_grant").await;
    }
}

#[tokio::test]
async fn failed_client_authentication_does_not_spend_the_code() {
    let h = start().await;
    let code = h.web_app_code().await;
    let res = h
        .token(
            Some(&crate::support::basic("web-app", "wrong")),
            &[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
            ],
        )
        .await;
    expect_error(res, 401, "invalid_client").await;
    assert_eq!(h.exchange_web_app(&code).await.status(), 200);
}

#[tokio::test]
async fn pkce_failures_are_invalid_grant() {
    let h = start().await;
    let redirect = h.client("web_app").redirect_uris[0].clone();
    let exchange = |code: String, verifier: Option<&'static str>| {
        let redirect = redirect.clone();
        let h = &h;
        async move {
            let mut form = vec![
                ("grant_type", "authorization_code".to_owned()),
                ("code", code),
                ("redirect_uri", redirect),
            ];
            if let Some(v) = verifier {
                form.push(("code_verifier", v.to_owned()));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            h.token_basic("web_app", &form).await
        }
    };
    let code = h.web_app_code().await;
    expect_error(exchange(code, None).await, 400, "invalid_grant").await;
    let code = h.web_app_code().await;
    expect_error(
        exchange(code, Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX")).await,
        400,
        "invalid_grant",
    )
    .await;

    let no_pkce = without(
        &without(&h.web_app_params(), "code_challenge"),
        "code_challenge_method",
    );
    let res = h.log_in(&pairs(&no_pkce)).await;
    let code = query_param(&location(&res), "code").expect("code");
    expect_error(exchange(code, Some(VERIFIER)).await, 400, "invalid_grant").await;

    let plain = with(
        &with(&h.web_app_params(), "code_challenge", VERIFIER),
        "code_challenge_method",
        "plain",
    );
    let res = h.log_in(&pairs(&plain)).await;
    let code = query_param(&location(&res), "code").expect("code");
    assert_eq!(exchange(code, Some(VERIFIER)).await.status(), 200);
}

#[tokio::test]
async fn an_expired_code_is_invalid_grant() {
    let h = start_with(SandboxConfig {
        lifetimes: Lifetimes {
            code: Duration::from_millis(300),
            ..Lifetimes::default()
        },
        ..SandboxConfig::default()
    })
    .await;
    let code = h.web_app_code().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    expect_error(h.exchange_web_app(&code).await, 400, "invalid_grant").await;
}
