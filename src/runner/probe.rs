//! Requests that probe the server beside a step's own, and carry no credential: a bare
//! request to every endpoint a discovery document advertises (is it reachable? B-09), and a
//! request with canary values to the plain-http side of an https server (is plain http
//! refused? A-01). The harness must not leak what A-01 protects: nothing of the environment
//! (no client secret, token or password) ever goes into a probe.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde_json::Value;
use tokio::sync::OnceCell;
use tokio::task::JoinSet;

use super::http::{Received, Sent, classify, record};
use crate::oauth::{advertised_endpoints, random_string};
use crate::outcome::ErrorKind;
use crate::rules::{Probe, ProbeAnswer, SentRequest};

/// How long a probe waits for an answer, at most: it only asks whether something answers.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);
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
    for (index, (name, url)) in advertised_endpoints(document).into_iter().enumerate() {
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
    let received = read(client, request, &sent.url).await?;
    Ok(ProbeAnswer {
        status: received.status,
        headers: received.headers,
        json: received.json,
    })
}

fn build(sent: &SentRequest, timeout: Duration) -> Result<reqwest::Request, (ErrorKind, String)> {
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

fn form_body(form: &[(String, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form.iter())
        .finish()
}

/// The answer, its body cut at [`MAX_PROBE_BODY`]; a transport failure as its classified
/// message.
async fn read(
    client: &reqwest::Client,
    request: reqwest::Request,
    url: &str,
) -> Result<Received, String> {
    let mut response = client
        .execute(request)
        .await
        .map_err(|e| classify(&e, url).1)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
            (n.as_str().to_string(), value)
        })
        .collect();
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

/// Where plain http to the https `endpoint` goes: the same URL with the scheme `http`, on the
/// host and port of `plain_origin` when the environment declares one; otherwise on port 80
/// when the endpoint uses 443, else on the endpoint's own port (a TLS port that must refuse
/// plain text).
pub(super) fn plain_url(endpoint: &str, plain_origin: Option<&str>) -> Result<url::Url, String> {
    let mut url =
        url::Url::parse(endpoint).map_err(|e| format!("invalid endpoint {endpoint}: {e}"))?;
    if url.scheme() != "https" {
        return Err(format!(
            "the endpoint {} is not https: there is no plain-http side to probe",
            url.origin().ascii_serialization()
        ));
    }
    let port = url.port();
    url.set_scheme("http")
        .map_err(|()| format!("cannot make {endpoint} plain http"))?;
    // `https://h:80/` keeps port 80; `https://h/` (443) becomes `http://h/` (80).
    let _ = url.set_port(port);
    if let Some(origin) = plain_origin {
        let origin = url::Url::parse(origin)
            .map_err(|e| format!("invalid plain_http origin {origin}: {e}"))?;
        url.set_host(origin.host_str())
            .map_err(|e| format!("invalid plain_http origin host: {e}"))?;
        let _ = url.set_port(origin.port());
    }
    Ok(url)
}

/// The canary request to `endpoint` (`token`, `introspection` or `revocation`): the shape of a real
/// one, every value made up for this probe and worthless anywhere else.
fn canary_form(endpoint: &str) -> Vec<(String, String)> {
    let canary = |what: &str| format!("grantspec-canary-{what}-{}", random_string::<9>());
    let mut form = match endpoint {
        "token" => vec![
            ("grant_type".to_string(), "client_credentials".to_string()),
            ("scope".to_string(), canary("scope")),
        ],
        _ => vec![("token".to_string(), canary("token"))],
    };
    form.push(("client_id".into(), canary("client")));
    form.push(("client_secret".into(), canary("secret")));
    form
}

/// Sends the canary request for `endpoint` over plain http to `url`, once: no answer is an
/// outcome here (the plain-http side refuses), not a reason to try again.
pub(super) async fn plain_http(
    client: &reqwest::Client,
    endpoint: &str,
    url: &url::Url,
    timeout: Duration,
) -> Result<(Probe, Sent), (ErrorKind, String)> {
    let sent = SentRequest {
        method: "POST".into(),
        url: url.to_string(),
        form: canary_form(endpoint),
        ..SentRequest::default()
    };
    let request = build(&sent, timeout.min(PROBE_TIMEOUT))?;
    let recorded = record(&request, Some(form_body(&sent.form)));
    let started = std::time::Instant::now();
    let received = read(client, request, &sent.url).await;
    let answer = received
        .as_ref()
        .map_err(Clone::clone)
        .map(|r| ProbeAnswer {
            status: r.status,
            headers: r.headers.clone(),
            json: r.json.clone(),
        });
    let exchange = Sent {
        request: recorded,
        result: received.map_err(|message| (ErrorKind::Connect, message)),
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
    };
    let probe = Probe {
        name: endpoint.to_string(),
        request: sent,
        answer,
    };
    Ok((probe, exchange))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_url_keeps_the_path_and_finds_the_plain_port() {
        let plain = |e: &str, o: Option<&str>| plain_url(e, o).map(|u| u.to_string());
        assert_eq!(
            plain("https://as.example/ap4/token", None).as_deref(),
            Ok("http://as.example/ap4/token")
        );
        assert_eq!(
            plain("https://as.example:8443/token", None).as_deref(),
            Ok("http://as.example:8443/token")
        );
        assert_eq!(
            plain(
                "https://127.0.0.1:8443/token",
                Some("http://127.0.0.1:8080")
            )
            .as_deref(),
            Ok("http://127.0.0.1:8080/token")
        );
        assert_eq!(
            plain("https://as.example/token", Some("http://as.example")).as_deref(),
            Ok("http://as.example/token")
        );
        assert!(plain("http://127.0.0.1:1/token", None).is_err());
    }

    #[test]
    fn canaries_are_fresh_and_carry_nothing_else() {
        let form = canary_form("token");
        assert_eq!(form[0], ("grant_type".into(), "client_credentials".into()));
        for (name, value) in &form[1..] {
            assert!(value.starts_with("grantspec-canary-"), "{name}={value}");
        }
        assert_ne!(canary_form("token")[3].1, form[3].1, "fresh every time");
        let names: Vec<String> = canary_form("revocation")
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, ["token", "client_id", "client_secret"]);
    }

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
