//! Deliberate defects of the authorization endpoint, the code exchange and ID tokens.

use std::time::Duration;

use grantspec::sandbox::{Defect, Lifetimes, SandboxConfig};

use crate::support::{header, location, pairs, query_param, start_with, start_with_defect};

#[tokio::test]
async fn state_not_echoed_drops_state_from_the_redirect() {
    let h = start_with_defect(Defect::StateNotEchoed).await;
    let res = h.log_in(&pairs(&h.web_app_params())).await;
    let loc = location(&res);
    assert!(query_param(&loc, "code").is_some());
    assert_eq!(query_param(&loc, "state"), None);
}

#[tokio::test]
async fn redirect_uri_prefix_match_redirects_to_an_unregistered_uri() {
    let h = start_with_defect(Defect::RedirectUriPrefixMatch).await;
    let mut params = h.web_app_params();
    params.retain(|(k, _)| *k != "redirect_uri");
    params.push((
        "redirect_uri",
        "http://127.0.0.1:9/callback.evil.example/x".into(),
    ));
    let res = h.log_in(&pairs(&params)).await;
    assert_eq!(res.status(), 303);
    assert!(location(&res).starts_with("http://127.0.0.1:9/callback.evil.example/x?code="));
}

#[tokio::test]
async fn framable_login_page_sends_no_anti_framing_header() {
    let h = start_with_defect(Defect::FramableLoginPage).await;
    let res = h.authorize(&pairs(&h.web_app_params()), None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(res.headers(), "x-frame-options"), None);
    assert_eq!(header(res.headers(), "content-security-policy"), None);
}

#[tokio::test]
async fn redirect_307_answers_the_login_post_with_307() {
    let h = start_with_defect(Defect::Redirect307).await;
    let res = h.log_in(&pairs(&h.web_app_params())).await;
    assert_eq!(res.status(), 307);
}

#[tokio::test]
async fn wrong_id_token_iss_signs_another_issuer() {
    let h = start_with_defect(Defect::WrongIdTokenIssuer).await;
    let body = h.web_app_tokens().await;
    let claims = h.verify_jwt(body["id_token"].as_str().expect("id")).await;
    assert_ne!(claims["iss"], h.sandbox.issuer());
}

#[tokio::test]
async fn nonce_not_returned_omits_the_nonce() {
    let h = start_with_defect(Defect::NonceNotReturned).await;
    let body = h.web_app_tokens().await;
    let claims = h.verify_jwt(body["id_token"].as_str().expect("id")).await;
    assert!(claims.get("nonce").is_none());
}

#[tokio::test]
async fn code_reuse_accepted_exchanges_a_code_twice() {
    let h = start_with_defect(Defect::CodeReuseAccepted).await;
    let code = h.web_app_code().await;
    assert_eq!(h.exchange_web_app(&code).await.status(), 200);
    assert_eq!(h.exchange_web_app(&code).await.status(), 200);
}

#[tokio::test]
async fn expired_code_accepted_exchanges_an_old_code() {
    let h = start_with(SandboxConfig {
        lifetimes: Lifetimes {
            code: Duration::from_millis(300),
            ..Lifetimes::default()
        },
        defects: vec![Defect::ExpiredCodeAccepted],
        ..SandboxConfig::default()
    })
    .await;
    let code = h.web_app_code().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(h.exchange_web_app(&code).await.status(), 200);
}

#[tokio::test]
async fn pkce_ignored_accepts_a_wrong_verifier() {
    let h = start_with_defect(Defect::PkceIgnored).await;
    let code = h.web_app_code().await;
    let redirect = h.client("web_app").redirect_uris[0].clone();
    let res = h
        .token_basic(
            "web_app",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", &redirect),
                (
                    "code_verifier",
                    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn refresh_reuse_accepted_keeps_a_rotated_token_usable() {
    let h = start_with_defect(Defect::RefreshReuseAccepted).await;
    let body = h.web_app_tokens().await;
    let refresh = body["refresh_token"].as_str().expect("rt");
    for _ in 0..2 {
        let res = h
            .token_basic(
                "web_app",
                &[("grant_type", "refresh_token"), ("refresh_token", refresh)],
            )
            .await;
        assert_eq!(res.status(), 200);
    }
}

#[tokio::test]
async fn redirect_uri_not_checked_exchanges_with_another_uri() {
    let h = start_with_defect(Defect::RedirectUriNotChecked).await;
    let code = h.web_app_code().await;
    let res = h
        .token_basic(
            "web_app",
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", "http://127.0.0.1:9/other"),
                ("code_verifier", crate::support::VERIFIER),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn code_not_bound_to_client_lets_another_client_redeem() {
    let h = start_with_defect(Defect::CodeNotBoundToClient).await;
    let code = h.web_app_code().await;
    let redirect = h.client("web_app").redirect_uris[0].clone();
    let res = h
        .token(
            None,
            &[
                ("grant_type", "authorization_code"),
                ("client_id", "spa"),
                ("code", &code),
                ("redirect_uri", &redirect),
                ("code_verifier", crate::support::VERIFIER),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn wrong_at_hash_breaks_the_binding_to_the_access_token() {
    let h = start_with_defect(Defect::WrongAtHash).await;
    let body = h.web_app_tokens().await;
    let claims = h.verify_jwt(body["id_token"].as_str().expect("id")).await;
    let at = body["access_token"].as_str().expect("at");
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, at.as_bytes());
    use base64::Engine as _;
    let right = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest.as_ref()[..16]);
    assert!(claims["at_hash"].is_string());
    assert_ne!(claims["at_hash"], right.as_str());
}

/// Exchanges `code` for web_app, with `verifier` when given.
async fn exchange(h: &crate::support::Harness, code: &str, verifier: Option<&str>) -> u16 {
    let redirect = h.client("web_app").redirect_uris[0].clone();
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect.as_str()),
    ];
    form.extend(verifier.map(|v| ("code_verifier", v)));
    h.token_basic("web_app", &form).await.status().as_u16()
}

#[tokio::test]
async fn verifier_optional_exchanges_a_challenged_code_without_verifier() {
    let h = start_with_defect(Defect::VerifierOptional).await;
    let code = h.web_app_code().await;
    assert_eq!(exchange(&h, &code, None).await, 200);
    let code = h.web_app_code().await;
    assert_eq!(exchange(&h, &code, Some(&"x".repeat(43))).await, 400);
}

#[tokio::test]
async fn pkce_downgrade_accepted_takes_a_verifier_without_challenge() {
    let h = start_with_defect(Defect::PkceDowngradeAccepted).await;
    let params = crate::support::without(&h.web_app_params(), "code_challenge");
    let params = crate::support::without(&params, "code_challenge_method");
    let loc = location(&h.log_in(&pairs(&params)).await);
    let code = query_param(&loc, "code").expect("code");
    assert_eq!(
        exchange(&h, &code, Some(crate::support::VERIFIER)).await,
        200
    );
}

#[tokio::test]
async fn public_client_without_pkce_lets_spa_in_without_a_challenge() {
    let h = start_with_defect(Defect::PublicClientWithoutPkce).await;
    let res = h
        .authorize(
            &[
                ("response_type", "code"),
                ("client_id", "spa"),
                ("redirect_uri", "http://127.0.0.1:9/spa/callback"),
                ("scope", "openid"),
            ],
            None,
        )
        .await;
    assert_eq!(res.status(), 200, "the login form, not an error redirect");
}

#[tokio::test]
async fn code_without_prefix_issues_codes_without_ac() {
    let h = start_with_defect(Defect::CodeWithoutPrefix).await;
    let code = h.web_app_code().await;
    assert!(!code.starts_with("ac-"), "{code}");
    assert_eq!(
        exchange(&h, &code, Some(crate::support::VERIFIER)).await,
        200
    );
}

#[tokio::test]
async fn long_subject_makes_every_sub_320_characters() {
    let h = start_with_defect(Defect::LongSubject).await;
    let body = h.web_app_tokens().await;
    let claims = h.verify_jwt(body["id_token"].as_str().expect("id")).await;
    assert_eq!(claims["sub"].as_str().map(str::len), Some(320));
}

#[tokio::test]
async fn error_page_for_bad_request_does_not_redirect_an_unsupported_response_type() {
    let h = start_with_defect(Defect::ErrorPageForBadRequest).await;
    let params = crate::support::with(&h.web_app_params(), "response_type", "token");
    let res = h.authorize(&pairs(&params), None).await;
    assert_eq!(res.status(), 400);
    assert_eq!(header(res.headers(), "location"), None);
}

#[tokio::test]
async fn id_token_missing_answers_openid_without_an_id_token() {
    let h = start_with_defect(Defect::IdTokenMissing).await;
    let body = h.web_app_tokens().await;
    assert!(body["access_token"].is_string());
    assert!(body.get("id_token").is_none());
}

#[tokio::test]
async fn s256_verified_as_plain_refuses_the_right_verifier() {
    let h = start_with_defect(Defect::S256VerifiedAsPlain).await;
    let code = h.web_app_code().await;
    assert_eq!(
        exchange(&h, &code, Some(crate::support::VERIFIER)).await,
        400
    );
    let code = h.web_app_code().await;
    assert_eq!(
        exchange(&h, &code, Some(crate::support::CHALLENGE)).await,
        200
    );
}
