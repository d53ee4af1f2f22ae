//! A client's own access-token lifetime and the expiry of its tokens at the protected resource
//! (G-08), and access tokens the sandbox is set not to revoke (L-06), each next to the defect
//! that breaks it.

use std::time::Duration;

use grantspec::sandbox::{AccessTokenRevocation, Defect, SandboxConfig};
use serde_json::Value;

use crate::support::{Harness, expect_error, start_with};

/// A client_credentials token of `client`, with its `expires_in`.
async fn token_of(h: &Harness, client: &str) -> (String, u64) {
    let res = h
        .token_basic(client, &[("grant_type", "client_credentials")])
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    let token = body["access_token"].as_str().expect("token").to_owned();
    (token, body["expires_in"].as_u64().expect("expires_in"))
}

async fn resource_status(h: &Harness, token: &str) -> u16 {
    h.http
        .get(h.sandbox.resource())
        .bearer_auth(token)
        .send()
        .await
        .expect("resource")
        .status()
        .as_u16()
}

async fn revoke(h: &Harness, client: &str, token: &str) -> reqwest::Response {
    h.post_form(
        "/revoke",
        Some(&h.basic(client)),
        &[("token", token), ("token_type_hint", "access_token")],
    )
    .await
}

fn short_lived(defects: Vec<Defect>) -> SandboxConfig {
    let mut config = SandboxConfig {
        defects,
        ..SandboxConfig::default()
    };
    for c in config
        .clients
        .iter_mut()
        .filter(|c| c.name == "app_short_lived")
    {
        c.access_token_lifetime = Some(Duration::from_secs(1));
    }
    config
}

#[tokio::test]
async fn resource_accepts_expired_tokens_serves_what_is_refused_once_the_short_lifetime_is_up() {
    for (defect, expired_status) in [
        (None, 401),
        (Some(Defect::ResourceAcceptsExpiredTokens), 200),
    ] {
        let h = start_with(short_lived(defect.into_iter().collect())).await;
        let (short, short_expires_in) = token_of(&h, "app_short_lived").await;
        let (usual, usual_expires_in) = token_of(&h, "app_basic").await;
        assert_eq!((short_expires_in, usual_expires_in), (1, 3600));
        assert_eq!(resource_status(&h, &short).await, 200, "live");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(
            resource_status(&h, &short).await,
            expired_status,
            "{defect:?}"
        );
        assert_eq!(resource_status(&h, &usual).await, 200, "its hour is not up");
    }
}

#[tokio::test]
async fn the_short_lived_client_keeps_a_short_lifetime_of_its_own_by_default() {
    let h = start_with(SandboxConfig::default()).await;
    let (_, expires_in) = token_of(&h, "app_short_lived").await;
    assert_eq!(expires_in, 60);
}

fn refresh_only(defects: Vec<Defect>) -> SandboxConfig {
    SandboxConfig {
        access_token_revocation: AccessTokenRevocation::None,
        defects,
        ..SandboxConfig::default()
    }
}

#[tokio::test]
async fn a_server_that_revokes_no_access_token_says_unsupported_token_type() {
    let h = start_with(refresh_only(Vec::new())).await;
    let (token, _) = token_of(&h, "app_basic").await;
    expect_error(
        revoke(&h, "app_basic", &token).await,
        400,
        "unsupported_token_type",
    )
    .await;
    assert_eq!(resource_status(&h, &token).await, 200, "not revoked");
    // Refresh tokens it revokes (RFC 7009 §2: MUST).
    let tokens = h.web_app_tokens().await;
    let rt = tokens["refresh_token"].as_str().expect("rt");
    assert_eq!(revoke(&h, "web_app", rt).await.status(), 200);
    let refreshed = h
        .token_basic(
            "web_app",
            &[("grant_type", "refresh_token"), ("refresh_token", rt)],
        )
        .await;
    expect_error(refreshed, 400, "invalid_grant").await;
}

#[tokio::test]
async fn unsupported_token_type_invalid_request_refuses_an_access_token_as_a_bad_request() {
    let h = start_with(refresh_only(vec![
        Defect::UnsupportedTokenTypeInvalidRequest,
    ]))
    .await;
    let (token, _) = token_of(&h, "app_basic").await;
    expect_error(
        revoke(&h, "app_basic", &token).await,
        400,
        "invalid_request",
    )
    .await;
    assert_eq!(resource_status(&h, &token).await, 200, "still not revoked");
}

#[tokio::test]
async fn a_server_that_revokes_opaque_access_tokens_still_revokes_them() {
    let h = start_with(SandboxConfig {
        access_token_revocation: AccessTokenRevocation::Opaque,
        ..SandboxConfig::default()
    })
    .await;
    let (token, _) = token_of(&h, "app_basic").await;
    assert_eq!(revoke(&h, "app_basic", &token).await.status(), 200);
    assert_eq!(resource_status(&h, &token).await, 401);
}
