use grantspec::sandbox::SandboxConfig;
use serde_json::Value;

use crate::support::{start, start_with};

#[tokio::test]
async fn discovery_is_served_under_the_issuer_path() {
    let h = start_with(SandboxConfig {
        issuer_path: "/ap4".into(),
        ..SandboxConfig::default()
    })
    .await;
    let issuer = h.sandbox.issuer().to_owned();
    assert_eq!(issuer, format!("http://{}/ap4", h.sandbox.addr()));
    let res = h
        .http
        .get(format!("{issuer}/.well-known/openid-configuration"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.expect("json");
    assert_eq!(doc["issuer"], issuer.as_str());
    assert_eq!(doc["token_endpoint"], format!("{issuer}/token"));
    assert_eq!(doc["jwks_uri"], format!("{issuer}/jwks.json"));

    let root = format!(
        "http://{}/.well-known/openid-configuration",
        h.sandbox.addr()
    );
    assert_eq!(h.http.get(root).send().await.expect("get").status(), 404);
}

#[tokio::test]
async fn discovery_has_no_empty_array_and_every_endpoint_answers() {
    let h = start().await;
    let doc: Value = h
        .http
        .get(h.url("/.well-known/openid-configuration"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    for (name, value) in doc.as_object().expect("object") {
        if let Some(items) = value.as_array() {
            assert!(!items.is_empty(), "{name} is an empty array");
        }
        if name.ends_with("_endpoint") || name == "jwks_uri" {
            let url = value.as_str().expect("url");
            assert!(url.starts_with(h.sandbox.issuer()), "{name}");
            let status = h.http.get(url).send().await.expect("reach").status();
            assert_ne!(status, 404, "{name} is not served");
        }
    }
    assert!(
        doc["id_token_signing_alg_values_supported"]
            .as_array()
            .expect("algs")
            .contains(&"RS256".into())
    );
}

#[tokio::test]
async fn jwks_publishes_one_public_rs256_key() {
    let h = start().await;
    let jwks: Value = h
        .http
        .get(h.url("/jwks.json"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let keys = jwks["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 1);
    let key = &keys[0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    assert_eq!(key["alg"], "RS256");
    assert!(key["kid"].as_str().is_some_and(|k| !k.is_empty()));
    for private in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
        assert!(key.get(private).is_none(), "{private} published");
    }
    let n = key["n"].as_str().expect("n");
    assert!(n.len() >= 342, "modulus of at least 2048 bits");
}

#[tokio::test]
async fn a_base_url_names_the_issuer() {
    let h = start_with(SandboxConfig {
        issuer_path: "ap4".into(),
        base_url: Some("https://sandbox.example/".into()),
        ..SandboxConfig::default()
    })
    .await;
    assert_eq!(h.sandbox.issuer(), "https://sandbox.example/ap4");
    let doc: Value = h
        .http
        .get(format!(
            "http://{}/ap4/.well-known/openid-configuration",
            h.sandbox.addr()
        ))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(doc["issuer"], "https://sandbox.example/ap4");
    assert_eq!(doc["token_endpoint"], "https://sandbox.example/ap4/token");
}
