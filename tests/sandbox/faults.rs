use std::time::{Duration, Instant};

use grantspec::sandbox::{Faults, SandboxConfig};

use crate::support::{Harness, expect_error, start_with};

async fn with_faults(faults: Faults) -> Harness {
    start_with(SandboxConfig {
        faults,
        ..SandboxConfig::default()
    })
    .await
}

#[tokio::test]
async fn latency_delays_every_response() {
    let h = with_faults(Faults {
        latency: Duration::from_millis(300),
        ..Faults::default()
    })
    .await;
    let started = Instant::now();
    let res = h.http.get(h.url("/jwks.json")).send().await.expect("get");
    assert_eq!(res.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_full_fail_rate_answers_500_server_error() {
    let h = with_faults(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    })
    .await;
    let res = h.http.get(h.url("/jwks.json")).send().await.expect("get");
    expect_error(res, 500, "server_error").await;
}

#[tokio::test]
async fn a_partial_fail_rate_fails_some_requests_only() {
    let h = with_faults(Faults {
        fail_rate: 0.5,
        ..Faults::default()
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..40 {
        let res = h.http.get(h.url("/jwks.json")).send().await.expect("get");
        statuses.push(res.status().as_u16());
    }
    assert!(statuses.contains(&200));
    assert!(statuses.contains(&500));
}

#[tokio::test]
async fn a_full_drop_rate_closes_the_connection_mid_response() {
    let h = with_faults(Faults {
        drop_rate: 1.0,
        ..Faults::default()
    })
    .await;
    let res = h
        .http
        .get(h.url("/jwks.json"))
        .send()
        .await
        .expect("the head arrives");
    assert_eq!(res.status(), 200);
    assert!(res.bytes().await.is_err(), "the body must not complete");
}

#[tokio::test]
async fn no_fault_leaves_responses_alone() {
    let h = with_faults(Faults::default()).await;
    for _ in 0..10 {
        let res = h.http.get(h.url("/jwks.json")).send().await.expect("get");
        assert_eq!(res.status(), 200);
    }
}
