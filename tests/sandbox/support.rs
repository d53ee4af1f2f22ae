//! A started sandbox plus an HTTP client that never follows redirects.

use std::net::SocketAddr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use grantspec::sandbox::{Defect, Sandbox, SandboxClient, SandboxConfig};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

pub struct Harness {
    pub sandbox: Sandbox,
    pub http: reqwest::Client,
}

pub fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

pub async fn start() -> Harness {
    start_with(SandboxConfig::default()).await
}

pub async fn start_with_defect(defect: Defect) -> Harness {
    start_with(SandboxConfig {
        defects: vec![defect],
        ..SandboxConfig::default()
    })
    .await
}

pub async fn start_with(config: SandboxConfig) -> Harness {
    let sandbox = Sandbox::start(config, loopback())
        .await
        .expect("sandbox starts");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Harness { sandbox, http }
}

impl Harness {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.issuer())
    }

    pub fn client(&self, name: &str) -> &SandboxClient {
        self.sandbox.client(name).expect("built-in client")
    }

    pub fn secret(&self, name: &str) -> String {
        self.client(name)
            .client_secret
            .as_ref()
            .expect("secret")
            .expose()
            .to_owned()
    }

    /// `Authorization: Basic` for a built-in client, encoded per RFC 6749 §2.3.1.
    pub fn basic(&self, name: &str) -> String {
        basic(&self.client(name).client_id, &self.secret(name))
    }

    /// POSTs a form to the token endpoint with Basic credentials of `name`.
    pub async fn token_basic(&self, name: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url("/token"))
            .header("authorization", self.basic(name))
            .form(form)
            .send()
            .await
            .expect("token request")
    }

    /// A client_credentials token of `app_basic`.
    pub async fn app_token(&self) -> String {
        let res = self
            .token_basic("app_basic", &[("grant_type", "client_credentials")])
            .await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.expect("json");
        body["access_token"].as_str().expect("token").to_owned()
    }
}

pub fn basic(id: &str, secret: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", enc(id), enc(secret)))
    )
}

pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
}

/// Asserts an RFC 6749 §5.2 error and returns its body.
pub async fn expect_error(res: reqwest::Response, status: u16, error: &str) -> Value {
    assert_eq!(res.status(), status, "status");
    assert!(
        header(res.headers(), "content-type").is_some_and(|c| c.starts_with("application/json")),
        "JSON error"
    );
    let body: Value = res.json().await.expect("json error body");
    assert_eq!(body["error"], error, "{body}");
    body
}
