//! The authorization endpoint: the login form, request validation, sessions and prompts.

use crate::support::{
    Harness, header, location, pairs, query_param, request_id, start, with, without,
};

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
