use grantspec::sandbox::{Defect, SandboxConfig};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};

use crate::support::{Harness, expect_error, start, start_with, start_with_defect};

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}

fn jti() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("jti-{n}-{:?}", std::time::SystemTime::now())
}

/// The documented assertion: header kid apim-provisioner, use sig, typ JWT; aud = issuer.
pub(crate) fn valid_claims(h: &Harness) -> Value {
    json!({
        "iss": "app-cc-jwt",
        "sub": "app-cc-jwt",
        "aud": h.sandbox.issuer(),
        "iat": now(),
        "exp": now() + 60,
        "jti": jti(),
    })
}

fn sign_with(h: &Harness, alg: Algorithm, claims: &Value) -> String {
    let pem = h.client("app_cert").private_key_pem.as_ref().expect("pem");
    let mut header = Header::new(alg);
    header.kid = Some("apim-provisioner".into());
    header.extras.insert("use", "sig");
    jsonwebtoken::encode(
        &header,
        claims,
        &EncodingKey::from_rsa_pem(pem.expose().as_bytes()).expect("key"),
    )
    .expect("sign")
}

pub(crate) fn sign(h: &Harness, claims: &Value) -> String {
    sign_with(h, Algorithm::RS256, claims)
}

pub(crate) async fn with_assertion(h: &Harness, assertion: &str) -> reqwest::Response {
    h.token(
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_assertion_type", JWT_BEARER),
            ("client_assertion", assertion),
        ],
    )
    .await
}

pub(crate) async fn with_claims(h: &Harness, claims: &Value) -> reqwest::Response {
    with_assertion(h, &sign(h, claims)).await
}

pub(crate) fn mutated(h: &Harness, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut claims = valid_claims(h);
    f(claims.as_object_mut().expect("object"));
    claims
}

#[tokio::test]
async fn a_valid_assertion_gets_the_certificate_response() {
    let h = start().await;
    let res = with_claims(&h, &valid_claims(&h)).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    let keys: Vec<&str> = body
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "access_token",
            "expires_in",
            "refresh_expires_in",
            "token_type",
            "not-before-policy",
            "scope"
        ]
    );
    assert_eq!(body["expires_in"], 300);
    assert_eq!(body["refresh_expires_in"], 0);
    assert_eq!(body["not-before-policy"], 0);
    assert_eq!(body["token_type"], "Bearer");

    let jwks: Value = h
        .http
        .get(h.url("/jwks.json"))
        .send()
        .await
        .expect("jwks")
        .json()
        .await
        .expect("json");
    let jwks: jsonwebtoken::jwk::JwkSet = serde_json::from_value(jwks).expect("jwk set");
    let token = body["access_token"].as_str().expect("jwt");
    let kid = jsonwebtoken::decode_header(token)
        .expect("header")
        .kid
        .expect("kid");
    let key = DecodingKey::from_jwk(jwks.find(&kid).expect("kid in jwks")).expect("key");
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[h.sandbox.issuer()]);
    validation.set_audience(&[h.sandbox.issuer()]);
    let claims = jsonwebtoken::decode::<Value>(token, &key, &validation)
        .expect("valid JWT")
        .claims;
    assert_eq!(
        claims["exp"].as_i64().expect("exp") - claims["iat"].as_i64().expect("iat"),
        300
    );
    assert_eq!(claims["client_id"], "app-cc-jwt");
}

#[tokio::test]
async fn ps256_is_accepted_and_the_token_endpoint_audience_refused() {
    let h = start().await;
    let claims = valid_claims(&h);
    let res = with_assertion(&h, &sign_with(&h, Algorithm::PS256, &claims)).await;
    assert_eq!(res.status(), 200);
    // RFC 10070: the issuer is the sole audience, whatever the documentation says (F3).
    let claims = mutated(&h, |c| {
        c.insert("aud".into(), json!(format!("{}/token", h.sandbox.issuer())));
    });
    expect_error(with_claims(&h, &claims).await, 400, "invalid_client").await;
}

#[tokio::test]
async fn a_typed_assertion_without_kid_is_accepted() {
    let h = start().await;
    let pem = h.client("app_cert").private_key_pem.as_ref().expect("pem");
    let mut header = Header::new(Algorithm::RS256);
    header.typ = Some("client-authentication+jwt".into());
    let assertion = jsonwebtoken::encode(
        &header,
        &valid_claims(&h),
        &EncodingKey::from_rsa_pem(pem.expose().as_bytes()).expect("key"),
    )
    .expect("sign");
    assert_eq!(with_assertion(&h, &assertion).await.status(), 200);
}

#[tokio::test]
async fn a_replayed_assertion_is_rejected() {
    let h = start().await;
    let assertion = sign(&h, &valid_claims(&h));
    assert_eq!(with_assertion(&h, &assertion).await.status(), 200);
    let body = expect_error(with_assertion(&h, &assertion).await, 400, "invalid_client").await;
    assert_eq!(body["error_description"], "Token reuse detected");
}

#[tokio::test]
async fn each_claim_mutation_is_rejected() {
    let h = start().await;
    let issuer = h.sandbox.issuer().to_owned();
    let cases: Vec<(&str, Value)> = vec![
        (
            "other aud",
            mutated(&h, |c| {
                c.insert("aud".into(), json!("https://elsewhere.example"));
            }),
        ),
        (
            "two auds",
            mutated(&h, |c| {
                c.insert("aud".into(), json!([issuer, format!("{issuer}/token")]));
            }),
        ),
        (
            "no aud",
            mutated(&h, |c| {
                c.remove("aud");
            }),
        ),
        (
            "no exp",
            mutated(&h, |c| {
                c.remove("exp");
            }),
        ),
        (
            "expired",
            mutated(&h, |c| {
                c.insert("exp".into(), json!(now() - 120));
            }),
        ),
        (
            "rfc3339 exp",
            mutated(&h, |c| {
                c.insert("exp".into(), json!("2030-01-01T00:00:00Z"));
            }),
        ),
        (
            "rfc3339 iat",
            mutated(&h, |c| {
                c.insert("iat".into(), json!("2026-01-01T00:00:00Z"));
            }),
        ),
        (
            "future nbf",
            mutated(&h, |c| {
                c.insert("nbf".into(), json!(now() + 600));
            }),
        ),
        (
            "future iat",
            mutated(&h, |c| {
                c.insert("iat".into(), json!(now() + 600));
            }),
        ),
        (
            "old iat",
            mutated(&h, |c| {
                c.insert("iat".into(), json!(now() - 4388));
                c.insert("exp".into(), json!(now() + 600));
            }),
        ),
        (
            "no iat, far exp",
            mutated(&h, |c| {
                c.remove("iat");
                c.insert("exp".into(), json!(now() + 600));
            }),
        ),
        (
            "no jti",
            mutated(&h, |c| {
                c.remove("jti");
            }),
        ),
        (
            "other sub",
            mutated(&h, |c| {
                c.insert("sub".into(), json!("app-basic"));
            }),
        ),
        (
            "no sub",
            mutated(&h, |c| {
                c.remove("sub");
            }),
        ),
        (
            "iss differs",
            mutated(&h, |c| {
                c.insert("iss".into(), json!("someone"));
            }),
        ),
    ];
    for (case, claims) in cases {
        let res = with_claims(&h, &claims).await;
        assert_eq!(res.status(), 400, "{case}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"], "invalid_client", "{case}");
    }
}

#[tokio::test]
async fn a_bad_signature_alg_none_and_hmac_are_rejected() {
    let h = start().await;
    let good = sign(&h, &valid_claims(&h));
    let (input, _) = good.rsplit_once('.').expect("jws");
    let other = sign(&h, &valid_claims(&h));
    let (_, other_sig) = other.rsplit_once('.').expect("jws");
    let swapped = format!("{input}.{other_sig}");
    let b64 = |v: &Value| {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    };
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none"})),
        b64(&valid_claims(&h))
    );
    let hmac = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &valid_claims(&h),
        &EncodingKey::from_secret(b"public key as secret"),
    )
    .expect("hs256");
    for (case, assertion) in [
        ("swapped signature", swapped),
        ("alg none", none),
        ("hs256", hmac),
        ("two jwts", format!("{good}.{good}")),
        ("garbage", "not-a-jwt".to_owned()),
    ] {
        let res = with_assertion(&h, &assertion).await;
        expect_error(res, 400, "invalid_client").await;
        let _ = case;
    }
}

#[tokio::test]
async fn a_wrong_assertion_type_and_mixed_methods_are_rejected() {
    let h = start().await;
    let assertion = sign(&h, &valid_claims(&h));
    for kind in [
        " urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "urn:other",
    ] {
        let res = h
            .token(
                None,
                &[
                    ("grant_type", "client_credentials"),
                    ("client_assertion_type", kind),
                    ("client_assertion", assertion.as_str()),
                ],
            )
            .await;
        expect_error(res, 400, "invalid_client").await;
    }
    let res = h
        .token(
            Some(&h.basic("app_basic")),
            &[
                ("grant_type", "client_credentials"),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", assertion.as_str()),
            ],
        )
        .await;
    expect_error(res, 400, "invalid_request").await;
}

#[tokio::test]
async fn a_client_id_other_than_sub_is_rejected() {
    let h = start().await;
    let assertion = sign(&h, &valid_claims(&h));
    let res = h
        .token(
            None,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "app-basic"),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", assertion.as_str()),
            ],
        )
        .await;
    expect_error(res, 400, "invalid_client").await;
}

#[tokio::test]
async fn a_key_from_another_start_does_not_verify() {
    let h = start().await;
    let other = start_with(SandboxConfig::default()).await;
    let assertion = sign(&other, &valid_claims(&h));
    expect_error(with_assertion(&h, &assertion).await, 400, "invalid_client").await;
}

pub async fn assertion_replay_accepted_case() {
    let h = start_with_defect(Defect::AssertionReplayAccepted).await;
    let assertion = sign(&h, &valid_claims(&h));
    assert_eq!(with_assertion(&h, &assertion).await.status(), 200);
    assert_eq!(with_assertion(&h, &assertion).await.status(), 200);
}

pub async fn assertion_audience_unchecked_case() {
    let h = start_with_defect(Defect::AssertionAudienceUnchecked).await;
    let claims = mutated(&h, |c| {
        c.insert("aud".into(), json!("https://elsewhere.example"));
    });
    assert_eq!(with_claims(&h, &claims).await.status(), 200);
}
