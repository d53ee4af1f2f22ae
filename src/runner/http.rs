//! Renders a resolved HTTP request, sends it (never following redirects), and reads the
//! response. Transport failures are classified so that "the server was unreachable" is never
//! mistaken for "the server is wrong".

use std::error::Error as _;
use std::time::Instant;

use handlebars::Context;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use serde_json::Value;

use super::{Redactor, RunTarget};
use crate::environment::{HttpSettings, RetryOn};
use crate::oauth::basic_authorization;
use crate::outcome::{ErrorKind, RecordedRequest};
use crate::resolve::{BasicAuth, Body, HttpRequest, JsonTemplate};
use crate::template::{Renderer, Template};

/// Bodies longer than this are cut in reports (checks still see the whole body).
const MAX_RECORDED_BODY: usize = 64 * 1024;

/// A response as read, before redaction.
#[derive(Default)]
pub(super) struct Received {
    pub status: u16,
    /// Lower-case names, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub json: Option<Value>,
}

pub(super) struct Sent {
    pub request: RecordedRequest,
    pub result: Result<Received, (ErrorKind, String)>,
    pub duration_ms: f64,
}

pub(super) struct Sender<'a> {
    pub client: &'a reqwest::Client,
    pub transport: &'a super::client::Transport,
    pub identities: &'a super::identities::Identities,
    pub renderer: &'a Renderer,
    pub target: &'a RunTarget,
    pub probes: &'a std::sync::Arc<super::probe::ProbeCache>,
}

impl Sender<'_> {
    fn render(&self, t: &Template, ctx: &Context) -> Result<String, (ErrorKind, String)> {
        self.renderer.render(t, ctx).map_err(|message| {
            let kind = if message.contains("`endpoints.") {
                ErrorKind::MissingValue
            } else {
                ErrorKind::Template
            };
            let hint = if kind == ErrorKind::MissingValue {
                " (the server does not advertise this endpoint and the environment does not set it)"
            } else {
                ""
            };
            (kind, format!("{}: {message}{hint}", t.location))
        })
    }

    fn render_json(&self, t: &JsonTemplate, ctx: &Context) -> Result<Value, (ErrorKind, String)> {
        fn walk(
            s: &Sender<'_>,
            v: &Value,
            t: &JsonTemplate,
            ctx: &Context,
        ) -> Result<Value, (ErrorKind, String)> {
            Ok(match v {
                Value::String(text) => {
                    Value::String(s.render(&Template::new(text.clone(), t.location.clone()), ctx)?)
                }
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|i| walk(s, i, t, ctx))
                        .collect::<Result<_, _>>()?,
                ),
                Value::Object(map) => Value::Object(
                    map.iter()
                        .map(|(k, i)| Ok((k.clone(), walk(s, i, t, ctx)?)))
                        .collect::<Result<_, _>>()?,
                ),
                other => other.clone(),
            })
        }
        walk(self, &t.value, t, ctx)
    }

    /// Builds the request. Credentials it derives are registered with `redactor`.
    fn build(
        &self,
        req: &HttpRequest,
        ctx: &Context,
        redactor: &mut Redactor,
    ) -> Result<(reqwest::Request, RecordedRequest), (ErrorKind, String)> {
        let rendered_url = self.render(&req.url, ctx)?;
        let absolute = match (&self.target.issuer, rendered_url.starts_with('/')) {
            (Some(issuer), true) => format!("{issuer}{rendered_url}"),
            _ => rendered_url,
        };
        let mut url = url::Url::parse(&absolute).map_err(|e| {
            (
                ErrorKind::Template,
                format!("{}: invalid URL `{absolute}`: {e}", req.url.location),
            )
        })?;
        if !req.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (k, v) in &req.query {
                pairs.append_pair(k, &self.render(v, ctx)?);
            }
        }
        let mut request = reqwest::Request::new(req.method.clone(), url);
        let headers = request.headers_mut();
        for (name, value) in &req.headers {
            let rendered = self.render(value, ctx)?;
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|e| (ErrorKind::Template, e.to_string()))?;
            let value = HeaderValue::from_str(&rendered).map_err(|e| {
                (
                    ErrorKind::Template,
                    format!("{}: invalid header value: {e}", req.url.location),
                )
            })?;
            headers.append(name, value);
        }
        if let Some(auth) = &req.auth {
            let header = self.basic(auth, ctx, redactor)?;
            if let Some(credentials) = header.strip_prefix("Basic ") {
                redactor.add("basic", credentials);
            }
            let value =
                HeaderValue::from_str(&header).map_err(|e| (ErrorKind::Template, e.to_string()))?;
            headers.insert(AUTHORIZATION, value);
        }
        let (body, content_type) = match &req.body {
            Body::None => (None, None),
            Body::Form(fields) => {
                let mut form = url::form_urlencoded::Serializer::new(String::new());
                for (k, v) in fields {
                    form.append_pair(k, &self.render(v, ctx)?);
                }
                (
                    Some(form.finish()),
                    Some("application/x-www-form-urlencoded"),
                )
            }
            Body::Json(t) => (
                Some(self.render_json(t, ctx)?.to_string()),
                Some("application/json"),
            ),
            Body::Text(t) => (Some(self.render(t, ctx)?), None),
        };
        if let Some(ct) = content_type
            && !request.headers().contains_key(CONTENT_TYPE)
        {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        if let Some(b) = &body {
            *request.body_mut() = Some(b.clone().into());
        }
        let recorded = record(&request, body);
        Ok((request, recorded))
    }

    fn basic(
        &self,
        auth: &BasicAuth,
        ctx: &Context,
        redactor: &mut Redactor,
    ) -> Result<String, (ErrorKind, String)> {
        match auth {
            BasicAuth::Client(name) => {
                let client = self.target.client(name).ok_or_else(|| {
                    (
                        ErrorKind::MissingValue,
                        format!("client `{name}` is not available"),
                    )
                })?;
                let secret = client.client_secret.as_ref().ok_or_else(|| {
                    (
                        ErrorKind::MissingValue,
                        format!("client `{name}` has no secret"),
                    )
                })?;
                Ok(basic_authorization(&client.client_id, secret.expose()))
            }
            BasicAuth::Credentials { username, password } => {
                let password = self.render(password, ctx)?;
                redactor.add("password", &password);
                Ok(basic_authorization(&self.render(username, ctx)?, &password))
            }
        }
    }

    pub async fn send(
        &self,
        req: &HttpRequest,
        ctx: &Context,
        redactor: &mut Redactor,
    ) -> Result<Sent, (ErrorKind, String)> {
        let (request, recorded) = self.build(req, ctx, redactor)?;
        Ok(exchange(self.client, request, recorded, &self.target.http).await)
    }
}

/// The request as it will be recorded: method, URL, headers and the body text.
pub(super) fn record(request: &reqwest::Request, body: Option<String>) -> RecordedRequest {
    RecordedRequest {
        method: request.method().to_string(),
        url: request.url().to_string(),
        headers: request
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    }
}

/// Sends one request (redirects are never followed) and reads the whole response, up to
/// `http.max_body_bytes`. An idempotent request (GET, HEAD, OPTIONS) that fails in a way the
/// environment's retry policy names is tried again after a doubling backoff; nothing else is
/// ever replayed.
pub(super) async fn exchange(
    client: &reqwest::Client,
    request: reqwest::Request,
    recorded: RecordedRequest,
    http: &HttpSettings,
) -> Sent {
    let url = recorded.url.clone();
    let started = Instant::now();
    let idempotent = matches!(
        *request.method(),
        reqwest::Method::GET | reqwest::Method::HEAD | reqwest::Method::OPTIONS
    );
    let policy = &http.retries;
    let mut spare = if idempotent { policy.attempts } else { 0 };
    let mut backoff = policy.backoff;
    let mut request = request;
    let mut attempts = 1;
    let result = loop {
        let retry_copy = if spare > 0 { request.try_clone() } else { None };
        let result = attempt(client, request, &url, http.max_body_bytes).await;
        let retryable = match &result {
            Ok(r) => policy.on.contains(&RetryOn::Status(r.status)),
            Err((kind, _)) => match kind {
                ErrorKind::Connect => policy.on.contains(&RetryOn::Connect),
                ErrorKind::Timeout => policy.on.contains(&RetryOn::Timeout),
                ErrorKind::ConnectionReset => policy.on.contains(&RetryOn::Reset),
                _ => false,
            },
        };
        match retry_copy {
            Some(copy) if retryable => {
                tokio::time::sleep(backoff).await;
                backoff = backoff.saturating_mul(2);
                spare -= 1;
                attempts += 1;
                request = copy;
            }
            _ => break result,
        }
    };
    let result = result.map_err(|(kind, message)| {
        if attempts > 1 {
            (kind, format!("{message} (after {attempts} attempts)"))
        } else {
            (kind, message)
        }
    });
    Sent {
        request: recorded,
        result,
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
    }
}

async fn attempt(
    client: &reqwest::Client,
    request: reqwest::Request,
    url: &str,
    max_body: usize,
) -> Result<Received, (ErrorKind, String)> {
    let mut response = client
        .execute(request)
        .await
        .map_err(|e| classify(&e, url))?;
    let status = response.status().as_u16();
    let headers = headers_of(&response);
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| classify(&e, url))? {
        if bytes.len() + chunk.len() > max_body {
            return Err((
                ErrorKind::Http,
                format!(
                    "the response body of {url} exceeds {max_body} bytes (http.max_body_bytes)"
                ),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    let json = serde_json::from_slice(&bytes).ok();
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Ok(Received {
        status,
        headers,
        body,
        json,
    })
}

/// A response's headers, names lowercase, values as text (lossily, as a server may send
/// anything).
pub(super) fn headers_of(response: &reqwest::Response) -> Vec<(String, String)> {
    response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Cuts a body for the record, on a character boundary.
pub(super) fn recorded_body(body: &str) -> (Option<String>, bool) {
    if body.is_empty() {
        return (None, false);
    }
    if body.len() <= MAX_RECORDED_BODY {
        return (Some(body.to_string()), false);
    }
    let mut end = MAX_RECORDED_BODY;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    (Some(body[..end].to_string()), true)
}

/// Words of rustls' errors (as they appear in the error chain) that mean the TLS layer failed.
const TLS_MARKERS: &[&str] = &[
    "certificate",
    "tls",
    "handshake",
    "corrupt message",
    "invalidmessage",
    "invalidcontenttype",
    "alert received",
    "peer incompatible",
    "peer misbehaved",
];

/// Names the cause of a transport failure.
pub(super) fn classify(e: &reqwest::Error, url: &str) -> (ErrorKind, String) {
    let mut chain = Vec::new();
    let mut source = e.source();
    let mut io_kind = None;
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
        }
        chain.push(s.to_string());
        source = s.source();
    }
    let detail = chain.last().cloned().unwrap_or_else(|| e.to_string());
    let lower = chain.join(" ").to_ascii_lowercase();
    use std::io::ErrorKind as Io;
    let kind = if e.is_timeout() {
        ErrorKind::Timeout
    } else if TLS_MARKERS.iter().any(|m| lower.contains(m)) {
        ErrorKind::Tls
    } else if e.is_connect() {
        ErrorKind::Connect
    } else if matches!(
        io_kind,
        Some(Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe | Io::UnexpectedEof)
    ) || lower.contains("connection closed")
        || lower.contains("incomplete message")
        || lower.contains("connection reset")
    {
        ErrorKind::ConnectionReset
    } else {
        ErrorKind::Http
    };
    let what = match kind {
        ErrorKind::Timeout => "timed out",
        ErrorKind::Tls => "TLS failure",
        ErrorKind::Connect => "could not connect",
        ErrorKind::ConnectionReset => "connection closed mid-exchange",
        _ => "HTTP failure",
    };
    (kind, format!("{what}: {url}: {detail}"))
}
