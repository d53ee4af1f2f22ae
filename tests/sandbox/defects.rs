use std::time::Duration;

use grantspec::sandbox::{Defect, Lifetimes, SandboxClient, SandboxConfig};
use grantspec::secret::Secret;
use serde_json::Value;

use crate::support::{basic, header, location, pairs, query_param, start_with, start_with_defect};

#[tokio::test]
async fn no_store_missing_drops_the_caching_headers() {
    let h = start_with_defect(Defect::NoStoreMissing).await;
    let res = h
        .token_basic("app_basic", &[("grant_type", "client_credentials")])
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(header(res.headers(), "cache-control"), None);
    assert_eq!(header(res.headers(), "pragma"), None);
}

#[tokio::test]
async fn repeated_parameters_accepted_takes_the_last_value() {
    let h = start_with_defect(Defect::RepeatedParametersAccepted).await;
    let res = h
        .token_basic(
            "app_basic",
            &[
                ("grant_type", "client_credentials"),
                ("grant_type", "client_credentials"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn discovery_empty_arrays_publishes_an_empty_array() {
    let h = start_with_defect(Defect::DiscoveryEmptyArrays).await;
    let doc: Value = h
        .http
        .get(h.url("/.well-known/openid-configuration"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let empty = doc
        .as_object()
        .expect("object")
        .values()
        .any(|v| v.as_array().is_some_and(Vec::is_empty));
    assert!(empty);
}

#[tokio::test]
async fn no_basic_challenge_omits_www_authenticate() {
    let h = start_with_defect(Defect::NoBasicChallenge).await;
    let res = h
        .token(
            Some(&basic("app-basic", "wrong")),
            &[("grant_type", "client_credentials")],
        )
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(header(res.headers(), "www-authenticate"), None);
}

#[tokio::test]
async fn basic_not_urldecoded_rejects_encoded_credentials() {
    let odd = SandboxClient {
        client_secret: Some(Secret::new("a+b:c")),
        ..SandboxClient::builtin().remove(0)
    };
    let h = start_with(SandboxConfig {
        clients: vec![odd],
        defects: vec![Defect::BasicNotUrlDecoded],
        ..SandboxConfig::default()
    })
    .await;
    let res = h
        .token(
            Some(&basic("app-basic", "a+b:c")),
            &[("grant_type", "client_credentials")],
        )
        .await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn every_defect_has_a_test_here() {
    let source = include_str!("defects.rs");
    for defect in Defect::ALL {
        let test_name = defect.name().replace('-', "_");
        assert!(
            source.contains(&format!("async fn {test_name}_")),
            "{}",
            defect.name()
        );
    }
}

#[tokio::test]
async fn assertion_replay_accepted_lets_a_jti_be_reused() {
    crate::private_key_jwt::assertion_replay_accepted_case().await;
}

#[tokio::test]
async fn assertion_audience_unchecked_accepts_any_aud() {
    crate::private_key_jwt::assertion_audience_unchecked_case().await;
}

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
async fn revoked_token_active_reports_a_revoked_token_as_active() {
    let h = start_with_defect(Defect::RevokedTokenActive).await;
    let token = h.app_token().await;
    let res = h
        .http
        .post(h.url("/revoke"))
        .header("authorization", h.basic("app_basic"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("revoke");
    assert_eq!(res.status(), 200);
    let info: Value = h
        .http
        .post(h.url("/introspect"))
        .header("authorization", h.basic("app_basic"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("introspect")
        .json()
        .await
        .expect("json");
    assert_eq!(info["active"], true);
}

#[tokio::test]
async fn revocation_ignored_leaves_the_token_working() {
    let h = start_with_defect(Defect::RevocationIgnored).await;
    let body = h.web_app_tokens().await;
    let at = body["access_token"].as_str().expect("at");
    let res = h
        .http
        .post(h.url("/revoke"))
        .header("authorization", h.basic("web_app"))
        .form(&[("token", at)])
        .send()
        .await
        .expect("revoke");
    assert_eq!(res.status(), 200);
    let res = h
        .http
        .get(h.url("/userinfo"))
        .bearer_auth(at)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn userinfo_get_only_refuses_post() {
    let h = start_with_defect(Defect::UserinfoGetOnly).await;
    let body = h.web_app_tokens().await;
    let at = body["access_token"].as_str().expect("at");
    let res = h
        .http
        .post(h.url("/userinfo"))
        .bearer_auth(at)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 405);
    let res = h
        .http
        .get(h.url("/userinfo"))
        .bearer_auth(at)
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn registration_open_registers_without_a_token() {
    crate::registration::registration_open_case().await;
}

#[test]
fn every_defect_is_documented() {
    let docs = include_str!("../../docs/sandbox.md");
    for defect in Defect::ALL {
        assert!(
            docs.contains(&format!("| `{}` |", defect.name())),
            "{}",
            defect.name()
        );
    }
}
