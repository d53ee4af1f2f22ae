//! A sandbox running in the test process (its own runtime) with a known initial access token,
//! optionally behind a proxy that delays registrations, plus the registration API as a test
//! uses it to look behind grantspec's back.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use grantspec::sandbox::{Sandbox, SandboxConfig};
use grantspec::secret::Secret;
use serde_json::Value;

pub const IAT: &str = "iat-canary-7f3a9c";

pub struct Live {
    pub issuer: String,
    /// The registration endpoint grantspec is told to use (the slow proxy's, when asked).
    pub register: String,
    rt: tokio::runtime::Runtime,
    _sandbox: Sandbox,
}

impl Live {
    pub fn start() -> Self {
        Self::start_with(None)
    }

    /// With `delay`, registrations (POST) go through a proxy that waits that long first.
    pub fn start_with(delay: Option<Duration>) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let config = SandboxConfig {
            initial_access_token: Some(Secret::new(IAT)),
            ..SandboxConfig::default()
        };
        let sandbox = rt
            .block_on(Sandbox::start(
                config,
                SocketAddr::from(([127, 0, 0, 1], 0)),
            ))
            .expect("sandbox");
        let issuer = sandbox.issuer().to_string();
        let mut register = format!("{issuer}/register");
        if let Some(delay) = delay {
            let proxy = rt.block_on(start_proxy(register.clone(), delay));
            register = proxy;
        }
        Self {
            issuer,
            register,
            rt,
            _sandbox: sandbox,
        }
    }

    /// `environments/live.yaml` for this sandbox, with `provisioning: dynamic`.
    pub fn environment(&self) -> String {
        format!(
            "issuer: {}\nprovisioning: dynamic\nregistration:\n  endpoint: {}\n  initial_access_token: iat\nsecrets:\n  iat: {{ env: LIVE_IAT }}\n",
            self.issuer, self.register
        )
    }

    /// RFC 7592 GET: the status code.
    pub fn read_status(&self, uri: &str, token: &str) -> u16 {
        self.rt.block_on(async {
            reqwest::Client::new()
                .get(uri)
                .bearer_auth(token)
                .send()
                .await
                .expect("GET")
                .status()
                .as_u16()
        })
    }

    /// RFC 7592 DELETE, as someone else would do it.
    pub fn delete(&self, uri: &str, token: &str) {
        let status = self.rt.block_on(async {
            reqwest::Client::new()
                .delete(uri)
                .bearer_auth(token)
                .send()
                .await
                .expect("DELETE")
                .status()
        });
        assert_eq!(status.as_u16(), 204);
    }
}

impl Live {
    /// RFC 7592 PUT, as someone else would do it: the client's metadata with `scope` replaced.
    pub fn change_scope(&self, uri: &str, token: &str, scope: &str) {
        let status = self.rt.block_on(async {
            let http = reqwest::Client::new();
            let mut current: Value = http
                .get(uri)
                .bearer_auth(token)
                .send()
                .await
                .expect("GET")
                .json()
                .await
                .expect("JSON");
            let fields = current.as_object_mut().expect("object");
            for member in [
                "registration_access_token",
                "registration_client_uri",
                "client_secret_expires_at",
                "client_id_issued_at",
            ] {
                fields.remove(member);
            }
            fields.insert("scope".into(), Value::String(scope.into()));
            http.put(uri)
                .bearer_auth(token)
                .json(&current)
                .send()
                .await
                .expect("PUT")
                .status()
        });
        assert_eq!(status.as_u16(), 200);
    }
}

/// The clients of a state file: (address, client_id, registration_client_uri, token, secret).
pub fn state_clients(state: &Value) -> Vec<(String, String, String, String, Option<String>)> {
    state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter(|r| r["kind"] == "client")
        .map(|r| {
            (
                format!("client.{}", r["name"].as_str().unwrap_or_default()),
                r["client_id"].as_str().unwrap_or_default().to_string(),
                r["registration_client_uri"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["registration_access_token"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                r["client_secret"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    delay: Duration,
    http: reqwest::Client,
}

async fn start_proxy(upstream: String, delay: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = Proxy {
        upstream,
        delay,
        http: reqwest::Client::new(),
    };
    let app = axum::Router::new().fallback(forward).with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/register")
}

async fn forward(
    State(p): State<Proxy>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    tokio::time::sleep(p.delay).await;
    let _ = uri;
    let mut request = p.http.request(method, &p.upstream).body(body);
    for name in ["authorization", "content-type"] {
        if let Some(v) = headers.get(name) {
            request = request.header(name, v.as_bytes());
        }
    }
    match request.send().await {
        Ok(r) => {
            let status =
                StatusCode::from_u16(r.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
            let body = r.bytes().await.unwrap_or_default();
            (status, [("content-type", "application/json")], body).into_response()
        }
        Err(_) => StatusCode::BAD_GATEWAY.into_response(),
    }
}
