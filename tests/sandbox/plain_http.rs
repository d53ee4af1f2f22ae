//! The sandbox's plain-http side next to HTTPS and what its discovery document
//! advertises being served (B-09): conformant, plain http is redirected to the same path over
//! https with the parameters left behind; each defect breaks exactly that.

use grantspec::sandbox::{Defect, Sandbox, SandboxConfig, SandboxTls};
use grantspec::secret::Secret;
use serde_json::Value;

use crate::pki::{Pki, pki_or_skip};
use crate::support::{loopback, start, start_with, start_with_defect};

const FORM: &[(&str, &str)] = &[
    ("grant_type", "client_credentials"),
    ("client_id", "canary-client"),
    ("client_secret", "canary-secret"),
];

/// The sandbox over HTTPS with a plain-http listener, and its defects.
async fn start_tls(pki: &Pki, defects: Vec<Defect>) -> Sandbox {
    let config = SandboxConfig {
        tls: Some(SandboxTls {
            cert_pem: pki.read("server.pem"),
            key_pem: Secret::new(pki.read("server.key")),
            client_ca_pem: None,
        }),
        plain_http: Some(loopback()),
        defects,
        ..SandboxConfig::default()
    };
    Sandbox::start(config, loopback())
        .await
        .expect("sandbox starts")
}

/// POSTs the canary form over plain http to `path` of the sandbox's plain-http listener.
async fn post_plain(sandbox: &Sandbox, path: &str) -> reqwest::Response {
    let origin = sandbox.plain_http_origin().expect("a plain-http listener");
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{origin}{path}?state=canary-state"))
        .form(FORM)
        .send()
        .await
        .expect("plain-http answer")
}

/// The sandbox over HTTPS with a plain-http listener and `defects`, and its answer to the canary
/// form posted over plain http to /token; `None` when the test PKI cannot be made.
async fn plain_token_answer(defects: Vec<Defect>) -> Option<(Sandbox, reqwest::Response)> {
    let dir = tempfile::tempdir().expect("dir");
    let pki = pki_or_skip(dir.path())?;
    let sandbox = start_tls(&pki, defects).await;
    let answer = post_plain(&sandbox, "/token").await;
    Some((sandbox, answer))
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("ASCII")
        .to_string()
}

#[tokio::test]
async fn plain_http_is_redirected_to_the_same_path_over_https_without_parameters() {
    let Some((sandbox, answer)) = plain_token_answer(Vec::new()).await else {
        return;
    };
    assert_eq!(answer.status(), 308);
    assert_eq!(location(&answer), format!("{}/token", sandbox.issuer()));
    assert!(sandbox.issuer().starts_with("https://127.0.0.1:"));
}

#[tokio::test]
async fn plain_http_served_processes_the_request() {
    let Some((_sandbox, answer)) = plain_token_answer(vec![Defect::PlainHttpServed]).await else {
        return;
    };
    assert!(matches!(answer.status().as_u16(), 400 | 401));
    let body: Value = answer.json().await.expect("an OAuth error");
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn plain_http_redirect_leaks_moves_query_and_form_into_the_location() {
    let Some((sandbox, answer)) = plain_token_answer(vec![Defect::PlainHttpRedirectLeaks]).await
    else {
        return;
    };
    assert_eq!(answer.status(), 308);
    let location = location(&answer);
    assert!(
        location.starts_with(&format!("{}/token?", sandbox.issuer())),
        "{location}"
    );
    for value in ["canary-state", "canary-client", "canary-secret"] {
        assert!(location.contains(value), "{location}");
    }
}

#[tokio::test]
async fn a_plain_http_listener_without_tls_is_refused() {
    let config = SandboxConfig {
        plain_http: Some(loopback()),
        ..SandboxConfig::default()
    };
    let refused = Sandbox::start(config, loopback())
        .await
        .err()
        .expect("refused");
    assert_eq!(refused.kind(), std::io::ErrorKind::InvalidInput);
}

async fn status(url: &str, method: reqwest::Method) -> u16 {
    reqwest::Client::new()
        .request(method, url)
        .send()
        .await
        .expect("an answer")
        .status()
        .as_u16()
}

#[tokio::test]
async fn unreachable_endpoint_advertised_adds_an_endpoint_nothing_serves() {
    let conformant = start().await;
    let doc = conformant.discovery().await;
    assert!(doc.get("device_authorization_endpoint").is_none(), "{doc}");
    let token = doc["token_endpoint"].as_str().expect("token_endpoint");
    assert_eq!(status(token, reqwest::Method::POST).await, 400);

    let broken = start_with_defect(Defect::UnreachableEndpointAdvertised).await;
    let doc = broken.discovery().await;
    let device = doc["device_authorization_endpoint"]
        .as_str()
        .expect("advertised");
    assert_eq!(status(device, reqwest::Method::POST).await, 404);
}

#[tokio::test]
async fn the_keycloak_flavour_serves_the_session_iframe_it_advertises() {
    let h = start_with(SandboxConfig {
        flavour: grantspec::sandbox::Flavour::Keycloak,
        ..SandboxConfig::default()
    })
    .await;
    let doc = h.discovery().await;
    let iframe = doc["check_session_iframe"].as_str().expect("advertised");
    assert_eq!(status(iframe, reqwest::Method::GET).await, 200);
}
