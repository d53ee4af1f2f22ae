//! Defects of `private_key_jwt` client authentication: each lets exactly one kind of bad
//! assertion through, while the others are still rejected.

use grantspec::sandbox::Defect;
use serde_json::{Value, json};

use crate::private_key_jwt::{mutated, now, sign, valid_claims, with_assertion, with_claims};
use crate::support::{Harness, expect_error, start_with_defect};

/// `{"alg":"none"}`, base64url.
const NONE_HEADER: &str = "eyJhbGciOiJub25lIn0";

async fn accepted(h: &Harness, claims: &Value) {
    assert_eq!(with_claims(h, claims).await.status(), 200, "{claims}");
}

async fn rejected(h: &Harness, claims: &Value) {
    expect_error(with_claims(h, claims).await, 400, "invalid_client").await;
}

#[tokio::test]
async fn assertion_exp_optional_accepts_an_assertion_without_exp() {
    let h = start_with_defect(Defect::AssertionExpOptional).await;
    accepted(&h, &mutated(&h, |c| drop(c.remove("exp")))).await;
    rejected(
        &h,
        &mutated(&h, |c| drop(c.insert("exp".into(), json!(now() - 300)))),
    )
    .await;
}

#[tokio::test]
async fn expired_assertion_accepted_takes_an_old_assertion() {
    let h = start_with_defect(Defect::ExpiredAssertionAccepted).await;
    let expired = mutated(&h, |c| {
        c.insert("iat".into(), json!(now() - 600));
        c.insert("exp".into(), json!(now() - 300));
    });
    accepted(&h, &expired).await;
    rejected(&h, &mutated(&h, |c| drop(c.remove("exp")))).await;
}

#[tokio::test]
async fn string_timestamps_accepted_reads_rfc3339_dates() {
    let h = start_with_defect(Defect::StringTimestampsAccepted).await;
    let date = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .expect("date")
            .to_rfc3339()
    };
    let strings = mutated(&h, |c| {
        c.insert("iat".into(), json!(date(now())));
        c.insert("exp".into(), json!(date(now() + 60)));
    });
    accepted(&h, &strings).await;
    rejected(
        &h,
        &mutated(&h, |c| drop(c.insert("exp".into(), json!("tomorrow")))),
    )
    .await;
}

#[tokio::test]
async fn future_assertion_accepted_takes_an_iat_an_hour_ahead() {
    let h = start_with_defect(Defect::FutureAssertionAccepted).await;
    let future = mutated(&h, |c| {
        c.insert("iat".into(), json!(now() + 3600));
        c.insert("exp".into(), json!(now() + 3660));
    });
    accepted(&h, &future).await;
}

#[tokio::test]
async fn assertion_jti_optional_accepts_an_assertion_without_jti() {
    let h = start_with_defect(Defect::AssertionJtiOptional).await;
    accepted(&h, &mutated(&h, |c| drop(c.remove("jti")))).await;
    rejected(&h, &mutated(&h, |c| drop(c.remove("exp")))).await;
}

#[tokio::test]
async fn assertion_sub_unchecked_names_the_client_by_iss() {
    let h = start_with_defect(Defect::AssertionSubUnchecked).await;
    accepted(
        &h,
        &mutated(&h, |c| drop(c.insert("sub".into(), json!("someone-else")))),
    )
    .await;
    rejected(
        &h,
        &mutated(&h, |c| drop(c.insert("iss".into(), json!("someone-else")))),
    )
    .await;
}

#[tokio::test]
async fn assertion_iss_unchecked_ignores_the_issuer() {
    let h = start_with_defect(Defect::AssertionIssUnchecked).await;
    accepted(
        &h,
        &mutated(&h, |c| drop(c.insert("iss".into(), json!("someone-else")))),
    )
    .await;
    rejected(
        &h,
        &mutated(&h, |c| drop(c.insert("sub".into(), json!("someone-else")))),
    )
    .await;
}

#[tokio::test]
async fn assertion_signature_unchecked_accepts_a_broken_signature() {
    let h = start_with_defect(Defect::AssertionSignatureUnchecked).await;
    let good = sign(&h, &valid_claims(&h));
    let (input, _) = good.rsplit_once('.').expect("jws");
    let broken = format!("{input}.AAAA");
    assert_eq!(with_assertion(&h, &broken).await.status(), 200);
    let claims = input.split_once('.').expect("claims").1;
    let unsigned = format!("{NONE_HEADER}.{claims}.");
    expect_error(with_assertion(&h, &unsigned).await, 400, "invalid_client").await;
}

#[tokio::test]
async fn assertion_alg_none_accepted_takes_an_unsigned_assertion() {
    let h = start_with_defect(Defect::AssertionAlgNoneAccepted).await;
    let good = sign(&h, &valid_claims(&h));
    let (input, _) = good.rsplit_once('.').expect("jws");
    let claims = input.split_once('.').expect("claims").1;
    let unsigned = format!("{NONE_HEADER}.{claims}.");
    assert_eq!(with_assertion(&h, &unsigned).await.status(), 200);
    let broken = format!("{input}.AAAA");
    expect_error(with_assertion(&h, &broken).await, 400, "invalid_client").await;
}

#[tokio::test]
async fn assertion_type_unchecked_accepts_any_type() {
    let h = start_with_defect(Defect::AssertionTypeUnchecked).await;
    let assertion = sign(&h, &valid_claims(&h));
    let res = h
        .token(
            None,
            &[
                ("grant_type", "client_credentials"),
                ("client_assertion_type", "urn:other"),
                ("client_assertion", assertion.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn assertion_with_basic_accepted_ignores_the_basic_header() {
    let h = start_with_defect(Defect::AssertionWithBasicAccepted).await;
    let assertion = sign(&h, &valid_claims(&h));
    let res = h
        .token(
            Some(&h.basic("app_basic")),
            &[
                ("grant_type", "client_credentials"),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", assertion.as_str()),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}
