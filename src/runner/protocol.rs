//! The OAuth-native steps other than `authorize`: each builds a standards-correct request from
//! the flow's state, overridden where the scenario says so.

use std::sync::Arc;

use handlebars::Context;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use serde_json::{Map, Value};

use super::client_auth::{self, AuthInput};
use super::flow::{Flow, StepRun, Tokens};
use super::http::{Sender, exchange, record};
use super::probe;
use super::{Redactor, RuntimeClient};
use crate::oauth::decode_unverified;
use crate::outcome::ErrorKind;
use crate::resolve::{
    Choice, EndSessionStep, RegisterStep, TokenIn, TokenOperation, TokenStep, UserinfoStep,
};
use crate::rules::SentRequest;
use crate::template::Template;

type StepError = (ErrorKind, String);

pub(super) struct Env<'a, 'b> {
    pub s: &'a Sender<'b>,
    pub ctx: &'a Context,
    pub endpoints: &'a Map<String, Value>,
}

impl Env<'_, '_> {
    fn render(&self, t: &Template) -> Result<String, StepError> {
        self.s
            .renderer
            .render(t, self.ctx)
            .map_err(|m| (ErrorKind::Template, m))
    }

    pub fn endpoint(&self, name: &str) -> Result<String, StepError> {
        self.endpoints.get(name).and_then(Value::as_str).map(str::to_string).ok_or_else(|| {
            (ErrorKind::MissingValue, format!("the server does not advertise a {name} endpoint and the environment does not set one"))
        })
    }

    /// The endpoint a request made as `client` with `method` goes to: the server's mutual-TLS
    /// alias when the request uses mutual TLS (RFC 8705 §5), else the endpoint.
    fn endpoint_as(
        &self,
        name: &str,
        client: &RuntimeClient,
        method: &str,
    ) -> Result<String, StepError> {
        match self.s.identities.alias(name, client, method) {
            Some(alias) => Ok(alias.to_string()),
            None => self.endpoint(name),
        }
    }

    fn choice(&self, c: &Choice, default: Option<String>) -> Result<Option<String>, StepError> {
        Ok(match c {
            Choice::Omit => None,
            Choice::Value(t) => Some(self.render(t)?),
            Choice::Default => default,
        })
    }
}

/// Sends `request` and makes it the step's primary exchange. Made `as_client`, it presents
/// that client's TLS certificate, if it has one.
async fn send(
    e: &Env<'_, '_>,
    request: reqwest::Request,
    body: Option<String>,
    sent: SentRequest,
    as_client: Option<&RuntimeClient>,
) -> StepRun {
    let recorded = record(&request, body);
    let http = as_client
        .and_then(|c| e.s.identities.client(c))
        .unwrap_or(e.s.client);
    let result = exchange(http, request, recorded, &e.s.target.http).await;
    let primary = result.result.as_ref().ok().map(|r| super::http::Received {
        status: r.status,
        headers: r.headers.clone(),
        body: r.body.clone(),
        json: r.json.clone(),
    });
    StepRun {
        exchanges: vec![result],
        primary,
        sent,
        ..StepRun::default()
    }
}

fn form_request(
    url: &str,
    query: &[(String, String)],
    form: &[(String, String)],
    headers: HeaderMap,
) -> Result<(reqwest::Request, String), StepError> {
    let mut url = url::Url::parse(url).map_err(|e| {
        (
            ErrorKind::MissingValue,
            format!("invalid endpoint {url}: {e}"),
        )
    })?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query.iter());
    }
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form.iter())
        .finish();
    let mut request = reqwest::Request::new(reqwest::Method::POST, url);
    *request.headers_mut() = headers;
    request.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    *request.body_mut() = Some(body.clone().into());
    Ok((request, body))
}

pub(super) async fn get_document(e: &Env<'_, '_>, url: &str) -> Result<StepRun, StepError> {
    let parsed = url::Url::parse(url)
        .map_err(|err| (ErrorKind::MissingValue, format!("invalid URL {url}: {err}")))?;
    let sent = SentRequest {
        method: "GET".into(),
        url: url.into(),
        ..SentRequest::default()
    };
    Ok(send(
        e,
        reqwest::Request::new(reqwest::Method::GET, parsed),
        None,
        sent,
        None,
    )
    .await)
}

/// GETs a JSON document at `url`, or at the endpoint named `default`; a 200 JSON answer is
/// returned beside the run for the flow to keep.
async fn fetch_document(
    e: &Env<'_, '_>,
    url: Option<&Template>,
    default: &str,
) -> Result<(StepRun, Option<Value>), StepError> {
    let url = match url {
        Some(t) => e.render(t)?,
        None => e.endpoint(default)?,
    };
    let run = get_document(e, &url).await?;
    let document = run
        .primary
        .as_ref()
        .filter(|r| r.status == 200)
        .and_then(|r| r.json.clone());
    Ok((run, document))
}

pub(super) async fn discovery(
    e: &Env<'_, '_>,
    url: Option<&Template>,
    probe_endpoints: bool,
    flow: &mut Flow,
) -> Result<StepRun, StepError> {
    let (mut run, document) = fetch_document(e, url, "discovery").await?;
    if let Some(document) = document {
        if probe_endpoints {
            run.probes =
                probe::endpoints(e.s.client, e.s.probes, &document, e.s.target.timeout).await;
        }
        flow.metadata = Some(Arc::new(document));
    }
    Ok(run)
}

pub(super) async fn jwks(
    e: &Env<'_, '_>,
    url: Option<&Template>,
    flow: &mut Flow,
) -> Result<StepRun, StepError> {
    let (run, document) = fetch_document(e, url, "jwks").await?;
    if let Some(document) = document {
        flow.jwks = Some(Arc::new(document));
    }
    Ok(run)
}

/// User parameters replace defaults of the same name.
fn merge(base: &mut Vec<(String, String)>, extra: Vec<(String, String)>) {
    base.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    base.extend(extra);
}

pub(super) async fn token(
    e: &Env<'_, '_>,
    step: &TokenStep,
    step_name: &str,
    flow: &mut Flow,
    redactor: &mut Redactor,
) -> Result<StepRun, StepError> {
    let grant_type = e.render(&step.grant_type)?;
    let client_name = match (&step.client, grant_type.as_str()) {
        (Some(c), _) => Some(c.clone()),
        (None, "authorization_code") => flow.authorization.as_ref().map(|a| a.client.clone()),
        (None, _) => flow.tokens.as_ref().map(|t| t.client.clone()),
    }
    .ok_or_else(|| {
        (
            ErrorKind::MissingValue,
            "the token step names no client and no earlier step gives one".to_string(),
        )
    })?;
    let client = e.s.target.client(&client_name).ok_or_else(|| {
        (
            ErrorKind::MissingValue,
            format!("client `{client_name}` is not available"),
        )
    })?;
    let token_endpoint = e.endpoint("token")?;

    let mut form = vec![("grant_type".to_string(), grant_type.clone())];
    let authz = flow.authorization.clone().unwrap_or_default();
    if grant_type == "authorization_code" {
        let code = e.choice(&step.code, authz.code.clone())?;
        if let (Some(code), Choice::Default) = (&code, &step.code) {
            redactor.add("code", code);
        }
        if code.is_none() && matches!(step.code, Choice::Default) {
            return Err((
                ErrorKind::MissingValue,
                "no authorization code: the last authorize step did not return one".into(),
            ));
        }
        form.extend(code.map(|c| ("code".to_string(), c)));
        form.extend(
            e.choice(
                &step.redirect_uri,
                Some(authz.redirect_uri.clone()).filter(|r| !r.is_empty()),
            )?
            .map(|r| ("redirect_uri".to_string(), r)),
        );
        form.extend(
            e.choice(
                &step.code_verifier,
                authz.pkce.as_ref().map(|p| p.verifier.clone()),
            )?
            .map(|v| ("code_verifier".to_string(), v)),
        );
    } else {
        form.extend(e.choice(&step.code, None)?.map(|c| ("code".to_string(), c)));
        form.extend(
            e.choice(&step.code_verifier, None)?
                .map(|c| ("code_verifier".to_string(), c)),
        );
        form.extend(
            e.choice(&step.redirect_uri, None)?
                .map(|c| ("redirect_uri".to_string(), c)),
        );
    }
    let default_refresh = if grant_type == "refresh_token" {
        flow.tokens.as_ref().and_then(|t| t.refresh_token.clone())
    } else {
        None
    };
    if grant_type == "refresh_token"
        && default_refresh.is_none()
        && matches!(step.refresh_token, Choice::Default)
    {
        return Err((
            ErrorKind::MissingValue,
            "no refresh token: no earlier token response carried one".into(),
        ));
    }
    form.extend(
        e.choice(&step.refresh_token, default_refresh)?
            .map(|r| ("refresh_token".to_string(), r)),
    );
    if let Some(scope) = &step.scope {
        form.push(("scope".into(), e.render(scope)?));
    }

    let method = step
        .auth
        .clone()
        .unwrap_or_else(|| client.auth_method.clone());
    let replay = match step.assertion.as_ref().and_then(|a| a.reuse_from.as_ref()) {
        Some(from) => Some(flow.assertions.get(from).cloned().ok_or_else(|| {
            (
                ErrorKind::MissingValue,
                format!("step `{from}` sent no client assertion"),
            )
        })?),
        None => None,
    };
    let mut headers = HeaderMap::new();
    let issuer = e.s.target.issuer.clone().unwrap_or_default();
    let audience_override = match step.assertion.as_ref().map(|a| &a.audience) {
        Some(crate::resolve::Audience::Url(t)) => Some(e.render(t)?),
        _ => None,
    };
    let input = AuthInput {
        client,
        method: &method,
        assertion: step.assertion.as_ref(),
        replay,
        token_endpoint: &token_endpoint,
        issuer: &issuer,
        audience_override,
    };
    let assertion = client_auth::apply(&input, &mut form, &mut headers, redactor)?;
    if let Some(a) = assertion {
        flow.assertions.insert(step_name.to_string(), a);
    }

    let mut extra = Vec::new();
    for (k, t) in &step.params {
        extra.push((k.clone(), e.render(t)?));
    }
    merge(&mut form, extra);
    let mut query = Vec::new();
    for (k, t) in &step.query {
        query.push((k.clone(), e.render(t)?));
    }
    form.retain(|(k, _)| !query.iter().any(|(q, _)| q == k));

    let url = e.endpoint_as("token", client, &method)?;
    let (request, body) = form_request(&url, &query, &form, headers)?;
    let sent = SentRequest {
        method: "POST".into(),
        url,
        form: form.clone(),
        query: query.clone(),
        client_auth: Some(method.clone()),
    };
    let mut run = send(e, request, Some(body), sent, Some(client)).await;
    run.previous_id_token = flow.tokens.as_ref().and_then(|t| t.id_token.clone());
    if let Some(json) = run
        .primary
        .as_ref()
        .filter(|r| (200..300).contains(&r.status))
        .and_then(|r| r.json.as_ref())
    {
        let previous = flow.tokens.take().unwrap_or_default();
        let s = |k: &str| json.get(k).and_then(Value::as_str).map(str::to_string);
        let id_token = s("id_token");
        let id_token_sub = id_token
            .as_deref()
            .and_then(decode_unverified)
            .and_then(|j| {
                j.claims
                    .get("sub")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
        flow.tokens = Some(Tokens {
            client: client_name,
            access_token: s("access_token"),
            refresh_token: s("refresh_token").or(if grant_type == "refresh_token" {
                None
            } else {
                previous.refresh_token
            }),
            id_token_sub: id_token_sub.or(previous.id_token_sub),
            id_token: id_token.or(previous.id_token),
        });
    }
    Ok(run)
}

fn last_access_token(flow: &Flow) -> Option<String> {
    flow.tokens.as_ref().and_then(|t| t.access_token.clone())
}

pub(super) async fn userinfo(
    e: &Env<'_, '_>,
    step: &UserinfoStep,
    flow: &Flow,
) -> Result<StepRun, StepError> {
    // The token's client presents its certificate, to which the token may be bound
    // (RFC 8705 §3).
    let holder = flow
        .tokens
        .as_ref()
        .and_then(|t| e.s.target.client(&t.client));
    let endpoint = match holder {
        Some(c) => e.endpoint_as("userinfo", c, &c.auth_method)?,
        None => e.endpoint("userinfo")?,
    };
    let token = e.choice(&step.token, last_access_token(flow))?;
    let url = url::Url::parse(&endpoint).map_err(|err| {
        (
            ErrorKind::MissingValue,
            format!("invalid endpoint {endpoint}: {err}"),
        )
    })?;
    let mut request = reqwest::Request::new(step.method.clone(), url);
    let mut body = None;
    let mut form = Vec::new();
    let mut query = Vec::new();
    match (&token, step.token_in) {
        (None, _) => {}
        (Some(t), TokenIn::Body) => {
            form.push(("access_token".to_string(), t.clone()));
            let encoded = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(form.iter())
                .finish();
            request.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
            *request.body_mut() = Some(encoded.clone().into());
            body = Some(encoded);
        }
        (Some(t), TokenIn::Query) => {
            query.push(("access_token".to_string(), t.clone()));
            request
                .url_mut()
                .query_pairs_mut()
                .append_pair("access_token", t);
        }
        (Some(t), TokenIn::Header) => {
            let value = HeaderValue::from_str(&format!("Bearer {t}"))
                .map_err(|err| (ErrorKind::Template, err.to_string()))?;
            request.headers_mut().insert(AUTHORIZATION, value);
        }
    }
    let sent = SentRequest {
        method: step.method.to_string(),
        url: endpoint,
        form,
        query,
        ..SentRequest::default()
    };
    let mut run = send(e, request, body, sent, holder).await;
    run.bearer = token;
    Ok(run)
}

pub(super) async fn token_operation(
    e: &Env<'_, '_>,
    op: &TokenOperation,
    endpoint_name: &str,
    flow: &Flow,
    redactor: &mut Redactor,
) -> Result<StepRun, StepError> {
    let client_name = op
        .client
        .clone()
        .or_else(|| flow.tokens.as_ref().map(|t| t.client.clone()))
        .ok_or_else(|| {
            (
                ErrorKind::MissingValue,
                format!(
                    "the {endpoint_name} step names no client and no earlier token step gives one"
                ),
            )
        })?;
    let client = e.s.target.client(&client_name).ok_or_else(|| {
        (
            ErrorKind::MissingValue,
            format!("client `{client_name}` is not available"),
        )
    })?;
    let method = op
        .auth
        .clone()
        .unwrap_or_else(|| client.auth_method.clone());
    let endpoint = e.endpoint_as(endpoint_name, client, &method)?;
    let token = e.choice(&op.token, last_access_token(flow))?;
    let mut form = Vec::new();
    form.extend(token.clone().map(|t| ("token".to_string(), t)));
    form.extend(
        op.token_type_hint
            .clone()
            .map(|h| ("token_type_hint".to_string(), h)),
    );
    let mut headers = HeaderMap::new();
    let token_endpoint = e.endpoint("token").unwrap_or_else(|_| endpoint.clone());
    let issuer = e.s.target.issuer.clone().unwrap_or_default();
    let input = AuthInput {
        client,
        method: &method,
        assertion: None,
        replay: None,
        token_endpoint: &token_endpoint,
        issuer: &issuer,
        audience_override: None,
    };
    client_auth::apply(&input, &mut form, &mut headers, redactor)?;
    let (request, body) = form_request(&endpoint, &[], &form, headers)?;
    let sent = SentRequest {
        method: "POST".into(),
        url: endpoint,
        form,
        query: Vec::new(),
        client_auth: Some(method),
    };
    let mut run = send(e, request, Some(body), sent, Some(client)).await;
    run.own_token = token
        .as_deref()
        .and_then(|t| flow.own_token_type(t, &client_name));
    run.bearer = token;
    Ok(run)
}

pub(super) async fn end_session(
    e: &Env<'_, '_>,
    step: &EndSessionStep,
    flow: &Flow,
) -> Result<StepRun, StepError> {
    let endpoint = e.endpoint("end_session")?;
    let mut query = Vec::new();
    let hint = flow.tokens.as_ref().and_then(|t| t.id_token.clone());
    query.extend(
        e.choice(&step.id_token_hint, hint)?
            .map(|h| ("id_token_hint".to_string(), h)),
    );
    if let Some(t) = &step.post_logout_redirect_uri {
        query.push(("post_logout_redirect_uri".into(), e.render(t)?));
    }
    query.extend(
        e.choice(&step.state, None)?
            .map(|st| ("state".to_string(), st)),
    );
    if let Some(c) = step.client.as_ref().and_then(|c| e.s.target.client(c)) {
        query.push(("client_id".into(), c.client_id.clone()));
    }
    let mut url = url::Url::parse(&endpoint).map_err(|err| {
        (
            ErrorKind::MissingValue,
            format!("invalid endpoint {endpoint}: {err}"),
        )
    })?;
    url.query_pairs_mut().extend_pairs(query.iter());
    let sent = SentRequest {
        method: "GET".into(),
        url: url.to_string(),
        query,
        ..SentRequest::default()
    };
    Ok(send(
        e,
        reqwest::Request::new(reqwest::Method::GET, url),
        None,
        sent,
        None,
    )
    .await)
}

/// RFC 7591 §3.1: POST the metadata as JSON, with the target's initial access token.
pub(super) async fn register(
    e: &Env<'_, '_>,
    step: &RegisterStep,
    redactor: &mut Redactor,
) -> Result<StepRun, StepError> {
    let endpoint = e.endpoint("registration")?;
    let url = url::Url::parse(&endpoint).map_err(|err| {
        (
            ErrorKind::MissingValue,
            format!("invalid endpoint {endpoint}: {err}"),
        )
    })?;
    let metadata = match &step.metadata {
        Some(t) => render_json(e, &t.value, t)?,
        None => Value::Object(Map::new()),
    };
    let default_token =
        e.s.target
            .initial_access_token
            .as_ref()
            .map(|s| s.expose().to_string());
    let token = e.choice(&step.initial_access_token, default_token)?;
    let body = metadata.to_string();
    let mut request = reqwest::Request::new(reqwest::Method::POST, url);
    request
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(t) = &token {
        redactor.add("initial_access_token", t);
        let value = HeaderValue::from_str(&format!("Bearer {t}"))
            .map_err(|err| (ErrorKind::Template, err.to_string()))?;
        request.headers_mut().insert(AUTHORIZATION, value);
    }
    *request.body_mut() = Some(body.clone().into());
    let sent = SentRequest {
        method: "POST".into(),
        url: endpoint,
        ..SentRequest::default()
    };
    Ok(send(e, request, Some(body), sent, None).await)
}

fn render_json(
    e: &Env<'_, '_>,
    v: &Value,
    t: &crate::resolve::JsonTemplate,
) -> Result<Value, StepError> {
    Ok(match v {
        Value::String(text) => {
            Value::String(e.render(&Template::new(text.clone(), t.location.clone()))?)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| render_json(e, i, t))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, i)| Ok((k.clone(), render_json(e, i, t)?)))
                .collect::<Result<_, StepError>>()?,
        ),
        other => other.clone(),
    })
}
