use grantspec::sandbox::{Defect, SandboxClient, SandboxConfig};
use grantspec::secret::Secret;
use serde_json::Value;

use crate::support::{basic, header, start_with, start_with_defect};

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
    let source = [
        include_str!("defects.rs"),
        include_str!("defects_checklist.rs"),
        include_str!("defects_code_flow.rs"),
        include_str!("defects_metadata.rs"),
        include_str!("defects_assertion.rs"),
        include_str!("defects_checklist_gaps.rs"),
        include_str!("defects_requests.rs"),
        include_str!("defects_tokens.rs"),
        include_str!("defects_kljg.rs"),
        include_str!("short_lived_and_unrevoked.rs"),
        include_str!("keycloak.rs"),
        include_str!("plain_http.rs"),
    ]
    .concat();
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

#[tokio::test]
async fn implicit_advertised_lists_front_channel_response_types() {
    let h = start_with_defect(Defect::ImplicitAdvertised).await;
    let doc: Value = h
        .http
        .get(h.url("/.well-known/openid-configuration"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let types = doc["response_types_supported"].as_array().expect("types");
    assert!(types.contains(&"token".into()));
}

#[tokio::test]
async fn token_in_query_accepted_serves_userinfo_for_a_uri_token() {
    let h = start_with_defect(Defect::TokenInQueryAccepted).await;
    let body = h.web_app_tokens().await;
    let at = body["access_token"].as_str().expect("at");
    let res = h
        .http
        .get(h.url("/userinfo"))
        .query(&[("access_token", at)])
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn http_redirect_uri_registered_accepts_plain_http() {
    let h = start_with_defect(Defect::HttpRedirectUriRegistered).await;
    let res = h
        .http
        .post(h.url("/register"))
        .bearer_auth(h.sandbox.initial_access_token().expose())
        .json(&serde_json::json!({"redirect_uris": ["http://app.example/cb"]}))
        .send()
        .await
        .expect("register");
    assert_eq!(res.status(), 201);
}
