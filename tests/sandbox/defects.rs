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
        .http
        .post(h.url("/token"))
        .header("authorization", basic("app-basic", "wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("send");
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
        .http
        .post(h.url("/token"))
        .header("authorization", basic("app-basic", "a+b:c"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("send");
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
