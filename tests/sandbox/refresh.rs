use serde_json::Value;

use crate::support::{expect_error, start};

#[tokio::test]
async fn refresh_rotates_counts_down_and_keeps_the_identity() {
    let h = start().await;
    let first = h.web_app_tokens().await;
    let first_claims = h.verify_jwt(first["id_token"].as_str().expect("id")).await;
    let mut refresh = first["refresh_token"].as_str().expect("rt").to_owned();
    for expected_credit in (0..5).rev() {
        let res = h
            .token_basic(
                "web_app",
                &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
            )
            .await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["refresh_credit"], expected_credit);
        let claims = h.verify_jwt(body["id_token"].as_str().expect("id")).await;
        assert_eq!(claims["sub"], first_claims["sub"]);
        assert_eq!(claims["auth_time"], first_claims["auth_time"]);
        assert!(claims.get("nonce").is_none());
        let old = refresh.clone();
        let reuse = h
            .token_basic(
                "web_app",
                &[("grant_type", "refresh_token"), ("refresh_token", &old)],
            )
            .await;
        expect_error(reuse, 400, "invalid_grant").await;
        match body["refresh_token"].as_str() {
            Some(next) => refresh = next.to_owned(),
            None => assert_eq!(
                expected_credit, 0,
                "no refresh token once the credit is spent"
            ),
        }
    }
}

#[tokio::test]
async fn refresh_refuses_a_wider_scope_and_another_client() {
    let h = start().await;
    let tokens = h.web_app_tokens().await;
    let refresh = tokens["refresh_token"].as_str().expect("rt");
    let res = h
        .token_basic(
            "web_app",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh),
                ("scope", "openid ConsommationConsult"),
            ],
        )
        .await;
    expect_error(res, 400, "invalid_scope").await;
    let res = h
        .token(
            None,
            &[
                ("grant_type", "refresh_token"),
                ("client_id", "spa"),
                ("refresh_token", refresh),
            ],
        )
        .await;
    expect_error(res, 400, "invalid_grant").await;
    let res = h
        .token_basic(
            "web_app",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh),
                ("scope", "openid"),
            ],
        )
        .await;
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["scope"], "openid");
}
