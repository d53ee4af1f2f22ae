//! Requests that probe the server beside a step's own and carry no credential: here, a bare
//! request to every endpoint a discovery document advertises (is it reachable? B-09), and the
//! sending and reading shared with the plain-http probe (`plain_http.rs`, A-01).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde_json::Value;
use tokio::sync::OnceCell;
use tokio::task::JoinSet;

use super::http::{Received, classify};
use crate::oauth::advertised_endpoints;
use crate::outcome::ErrorKind;
use crate::rules::{Probe, ProbeAnswer, SentRequest};

/// How long a probe waits for an answer, at most: it only asks whether something answers.
pub(super) const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
/// The pause before the second and last attempt of an endpoint probe that got no answer, so
/// that one dropped connection is not taken for an unreachable endpoint.
const RETRY_PAUSE: Duration = Duration::from_millis(250);
/// The most of a probe's answer that is read.
const MAX_PROBE_BODY: usize = 64 * 1024;

/// Endpoints defined for POST only: a GET may find no route there on a server that routes by
/// method (oidc-provider answers 404 to a GET of its registration endpoint). They are probed
/// with an empty form, which authenticates nobody and, not being JSON, registers nothing.
const POST_ONLY: &[&str] = &[
    "registration_endpoint",
    "token_endpoint",
    "introspection_endpoint",
    "revocation_endpoint",
    "pushed_authorization_request_endpoint",
    "device_authorization_endpoint",
    "backchannel_authentication_endpoint",
];

type Answer = Result<ProbeAnswer, String>;

/// The answers of the run's endpoint probes, by method and URL: each is probed at most once
/// per run, however many scenarios ask.
#[derive(Default)]
pub(super) struct ProbeCache(Mutex<HashMap<String, Arc<OnceCell<Answer>>>>);

impl ProbeCache {
    fn cell(&self, key: String) -> Arc<OnceCell<Answer>> {
        let mut cells = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        cells.entry(key).or_default().clone()
    }
}

/// Probes every endpoint `metadata` advertises, concurrently, within `timeout` (at most
/// [`PROBE_TIMEOUT`]) each; the probes come back in the document's order.
pub(super) async fn endpoints(
    client: &reqwest::Client,
    cache: &Arc<ProbeCache>,
    metadata: &Value,
    timeout: Duration,
) -> Vec<Probe> {
    let Some(document) = metadata.as_object() else {
        return Vec::new();
    };
    let timeout = timeout.min(PROBE_TIMEOUT);
    let mut tasks = JoinSet::new();
    // Mutual-TLS aliases (RFC 8705 §5) may refuse a handshake without a client certificate,
    // which a probe does not present: only their scheme is judged (B-09's https half).
    let probed = advertised_endpoints(document)
        .into_iter()
        .filter(|(name, _)| !name.starts_with("mtls_endpoint_aliases."));
    for (index, (name, url)) in probed.enumerate() {
        let member = name.rsplit('.').next().unwrap_or_default();
        let method = if POST_ONLY.contains(&member) {
            "POST"
        } else {
            "GET"
        };
        let request = SentRequest {
            method: method.into(),
            url: url.to_string(),
            ..SentRequest::default()
        };
        let cell = cache.cell(format!("{method} {url}"));
        let client = client.clone();
        tasks.spawn(async move {
            let answer = cell
                .get_or_init(|| reach(&client, &request, timeout))
                .await
                .clone();
            (
                index,
                Probe {
                    name,
                    request,
                    answer,
                },
            )
        });
    }
    let mut probes: Vec<(usize, Probe)> = tasks.join_all().await;
    probes.sort_by_key(|(index, _)| *index);
    probes.into_iter().map(|(_, p)| p).collect()
}

/// An endpoint probe: a second attempt after a pause when the first got no answer.
async fn reach(client: &reqwest::Client, request: &SentRequest, timeout: Duration) -> Answer {
    match ask(client, request, timeout).await {
        Err(_) => {
            tokio::time::sleep(RETRY_PAUSE).await;
            ask(client, request, timeout)
                .await
                .map_err(|e| format!("{e} (after 2 attempts)"))
        }
        answered => answered,
    }
}

/// Sends `sent` (an empty form when it is a POST without one) and reads the answer.
async fn ask(client: &reqwest::Client, sent: &SentRequest, timeout: Duration) -> Answer {
    let request = build(sent, timeout).map_err(|(_, message)| message)?;
    let received = read(client, request, &sent.url)
        .await
        .map_err(|(_, message)| message)?;
    Ok(ProbeAnswer {
        status: received.status,
        headers: received.headers,
        json: received.json,
    })
}

pub(super) fn build(
    sent: &SentRequest,
    timeout: Duration,
) -> Result<reqwest::Request, (ErrorKind, String)> {
    let url = url::Url::parse(&sent.url).map_err(|e| {
        (
            ErrorKind::MissingValue,
            format!("not an absolute URL: {}: {e}", sent.url),
        )
    })?;
    let method = reqwest::Method::from_bytes(sent.method.as_bytes())
        .map_err(|e| (ErrorKind::Internal, e.to_string()))?;
    let mut request = reqwest::Request::new(method, url);
    *request.timeout_mut() = Some(timeout);
    if sent.method == "POST" {
        request.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        *request.body_mut() = Some(form_body(&sent.form).into());
    }
    Ok(request)
}

pub(super) fn form_body(form: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form.iter())
        .finish()
}

/// The answer, its body cut at [`MAX_PROBE_BODY`]; a transport failure classified.
pub(super) async fn read(
    client: &reqwest::Client,
    request: reqwest::Request,
    url: &str,
) -> Result<Received, (ErrorKind, String)> {
    let mut response = client
        .execute(request)
        .await
        .map_err(|e| classify(&e, url))?;
    let status = response.status().as_u16();
    let headers = super::http::headers_of(&response);
    let mut bytes = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        bytes.extend_from_slice(&chunk);
        if bytes.len() >= MAX_PROBE_BODY {
            break;
        }
    }
    Ok(Received {
        status,
        headers,
        json: serde_json::from_slice(&bytes).ok(),
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn each_endpoint_is_probed_once_per_run_with_the_method_it_takes() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let hits = Arc::new(AtomicUsize::new(0));
        let methods = Arc::new(Mutex::new(Vec::new()));
        let (counter, seen) = (hits.clone(), methods.clone());
        let app =
            axum::Router::new().fallback(move |method: reqwest::Method, uri: axum::http::Uri| {
                let (counter, seen) = (counter.clone(), seen.clone());
                async move {
                    counter.fetch_add(1, Ordering::SeqCst);
                    seen.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(format!("{method} {}", uri.path()));
                    axum::http::StatusCode::UNAUTHORIZED
                }
            });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        let metadata = serde_json::json!({
            "token_endpoint": format!("{base}/token"),
            "jwks_uri": format!("{base}/jwks"),
            // Nothing listens on port 1 of the loopback interface.
            "end_session_endpoint": "http://127.0.0.1:1/logout",
        });
        let (client, cache) = (reqwest::Client::new(), Arc::new(ProbeCache::default()));
        let first = endpoints(&client, &cache, &metadata, Duration::from_secs(2)).await;
        let again = endpoints(&client, &cache, &metadata, Duration::from_secs(2)).await;
        assert_eq!(hits.load(Ordering::SeqCst), 2, "once per URL, not per step");
        let mut seen = methods
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        seen.sort();
        assert_eq!(seen, ["GET /jwks", "POST /token"]);
        for probes in [&first, &again] {
            let names: Vec<&str> = probes.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(
                names,
                ["token_endpoint", "jwks_uri", "end_session_endpoint"]
            );
            assert_eq!(probes[0].answer.as_ref().map(|a| a.status), Ok(401));
            let refused = probes[2].answer.as_ref().expect_err("refused");
            assert!(refused.contains("after 2 attempts"), "{refused}");
        }
    }
}
