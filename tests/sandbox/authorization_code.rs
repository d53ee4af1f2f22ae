use std::time::Duration;

use grantspec::sandbox::{Lifetimes, SandboxConfig};
use serde_json::Value;

use crate::support::{
    CHALLENGE, Harness, VERIFIER, expect_error, header, location, pairs, query_param, request_id,
    start, start_with,
};

fn without(params: &[(&'static str, String)], name: &str) -> Vec<(&'static str, String)> {
    params.iter().filter(|(k, _)| *k != name).cloned().collect()
}

fn with(
    params: &[(&'static str, String)],
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    let mut out = without(params, name);
    out.push((name, value.to_owned()));
    out
}

/// Asserts an error redirect to web_app's redirect URI with `error` and the state.
async fn expect_redirect_error(h: &Harness, params: &[(&'static str, String)], error: &str) {
    let res = h.authorize(&pairs(params), None).await;
    assert_eq!(res.status(), 302, "{error}");
    let loc = location(&res);
    assert!(loc.starts_with(&h.client("web_app").redirect_uris[0]));
    assert_eq!(query_param(&loc, "error").as_deref(), Some(error));
    assert_eq!(query_param(&loc, "state").as_deref(), Some("st-123"));
    assert_eq!(
        query_param(&loc, "iss").as_deref(),
        Some(h.sandbox.issuer())
    );
}

async fn expect_error_page(h: &Harness, params: &[(&'static str, String)]) {
    let res = h.authorize(&pairs(params), None).await;
    assert_eq!(res.status(), 400);
    assert!(header(res.headers(), "location").is_none(), "no redirect");
    assert!(header(res.headers(), "content-type").is_some_and(|c| c.starts_with("text/html")));
}

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
async fn the_login_page_is_plain_html_and_not_framable() {
    let h = start().await;
    let res = h.authorize(&pairs(&h.web_app_params()), None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(res.headers(), "x-frame-options"), Some("DENY"));
    assert!(
        header(res.headers(), "content-security-policy")
            .is_some_and(|c| c.contains("frame-ancestors 'none'"))
    );
    assert_eq!(
        header(res.headers(), "referrer-policy"),
        Some("no-referrer")
    );
    let html = res.text().await.expect("html");
    assert!(html.contains("<form method=\"post\""));
    assert!(!html.to_lowercase().contains("<script"));
}

#[tokio::test]
async fn an_unknown_client_or_unregistered_redirect_gets_a_page_not_a_redirect() {
    let h = start().await;
    let params = h.web_app_params();
    expect_error_page(&h, &with(&params, "client_id", "nobody")).await;
    expect_error_page(&h, &without(&params, "client_id")).await;
    for bad in [
        "http://127.0.0.1:9/callback/",
        "http://127.0.0.1:9/callback?x=1",
        "http://127.0.0.1:9/Callback",
        "http://127.0.0.1:10/callback",
        "https://127.0.0.1:9/callback",
        "http://evil@127.0.0.1:9/callback",
        "http://127.0.0.1:9/callback/../evil",
    ] {
        expect_error_page(&h, &with(&params, "redirect_uri", bad)).await;
    }
}

#[tokio::test]
async fn request_errors_redirect_with_error_and_state() {
    let h = start().await;
    let params = h.web_app_params();
    expect_redirect_error(&h, &without(&params, "response_type"), "invalid_request").await;
    expect_redirect_error(
        &h,
        &with(&params, "response_type", "token"),
        "unsupported_response_type",
    )
    .await;
    expect_redirect_error(&h, &with(&params, "scope", "openid admin"), "invalid_scope").await;
    expect_redirect_error(
        &h,
        &with(&params, "code_challenge_method", "S512"),
        "invalid_request",
    )
    .await;
    expect_redirect_error(
        &h,
        &with(&params, "code_challenge", "short"),
        "invalid_request",
    )
    .await;
    expect_redirect_error(
        &h,
        &with(&params, "response_mode", "fragment"),
        "invalid_request",
    )
    .await;
    expect_redirect_error(
        &h,
        &with(&params, "request", "eyJhbGciOiJub25lIn0.e30."),
        "request_not_supported",
    )
    .await;
    expect_redirect_error(
        &h,
        &with(&params, "request_uri", "https://app.example/r"),
        "request_uri_not_supported",
    )
    .await;
    let mut repeated = params.clone();
    repeated.push(("scope", "openid".into()));
    expect_redirect_error(&h, &repeated, "invalid_request").await;
}

#[tokio::test]
async fn a_public_client_without_pkce_is_refused() {
    let h = start().await;
    let spa = h.client("spa").redirect_uris[0].clone();
    let res = h
        .authorize(
            &[
                ("response_type", "code"),
                ("client_id", "spa"),
                ("redirect_uri", &spa),
                ("state", "s"),
            ],
            None,
        )
        .await;
    assert_eq!(res.status(), 302);
    assert_eq!(
        query_param(&location(&res), "error").as_deref(),
        Some("invalid_request")
    );
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
async fn prompt_none_needs_a_session_and_a_session_skips_the_form() {
    let h = start().await;
    let params = with(&h.web_app_params(), "prompt", "none");
    expect_redirect_error(&h, &params, "login_required").await;

    let res = h.log_in(&pairs(&h.web_app_params())).await;
    let cookie = header(res.headers(), "set-cookie")
        .expect("session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly"));
    let cookie = cookie.split(';').next().expect("pair").to_owned();
    let res = h.authorize(&pairs(&params), Some(&cookie)).await;
    assert_eq!(res.status(), 302);
    assert!(query_param(&location(&res), "code").is_some());

    let login = with(&h.web_app_params(), "prompt", "login");
    let res = h.authorize(&pairs(&login), Some(&cookie)).await;
    assert_eq!(res.status(), 200, "prompt=login shows the form again");
}

#[tokio::test]
async fn a_wrong_password_shows_the_form_again_and_cancel_is_access_denied() {
    let h = start().await;
    let form = h.authorize(&pairs(&h.web_app_params()), None).await;
    let id = request_id(&form.text().await.expect("html"));
    let res = h.submit_login(&id, "topsi", "wrong").await;
    assert_eq!(res.status(), 200);
    assert!(header(res.headers(), "location").is_none());
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("Invalid username or password")
    );

    let res = h
        .http
        .post(h.url("/login"))
        .form(&[("request_id", id.as_str()), ("cancel", "1")])
        .send()
        .await
        .expect("cancel");
    assert_eq!(res.status(), 303);
    assert_eq!(
        query_param(&location(&res), "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(
        query_param(&location(&res), "state").as_deref(),
        Some("st-123")
    );
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
