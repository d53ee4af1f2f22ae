//! Runs one scenario: its steps in order, captures feeding later steps. A step that does not
//! pass stops the scenario; the steps after it are recorded as skipped, with the reason.

use std::time::Instant;

use handlebars::Context;
use serde_json::{Map, Value};

use std::time::{SystemTime, UNIX_EPOCH};

use super::flow::{Flow, StepRun};
use super::http::{Received, Sender, recorded_body};
use super::protocol::{self, Env};
use super::step_checks::{capture_all, check_all, display, jwt_checks};
use super::{Redactor, Shared, authorize, plain_http, requirements, rules};
use crate::oauth::decode_unverified;
use crate::outcome::{
    CaptureRecord, ErrorKind, Exchange, RecordedResponse, ScenarioResult, StepError, StepResult,
    Verdict,
};
use crate::resolve::{Action, Scenario, Step};
use crate::rules::{FlowView, Observation, SentRequest};
use crate::snapshot::{SnapshotSession, StepSnapshot};

pub(super) async fn run_scenario(shared: &Shared, scenario: &Scenario) -> ScenarioResult {
    let started = Instant::now();
    let sender = Sender {
        client: &shared.client,
        transport: &shared.transport,
        identities: &shared.identities,
        renderer: &shared.renderer,
        target: &shared.target,
        probes: &shared.probes,
    };
    let mut names = shared.base.clone();
    for (k, v) in &scenario.vars {
        names.insert(k.clone(), v.clone());
    }
    // The scenario's template context, grown by its captures (never copied per step).
    let mut ctx = Context::from(Value::Object(names));
    let mut redactor = shared.redactor.clone();
    let mut flow = Flow {
        metadata: shared.metadata.clone(),
        jwks: shared.jwks.clone(),
        ..Flow::default()
    };
    let mut steps = Vec::with_capacity(scenario.steps.len());
    let mut blocked: Option<String> = scenario.skip_reason.clone().or_else(|| {
        requirements::unmet(
            &scenario.requires,
            ctx.data().get("endpoints"),
            flow.metadata.as_deref(),
            shared.target.issuer.as_deref(),
        )
    });
    for step in &scenario.steps {
        let result = match &blocked {
            Some(reason) => skipped(step, reason),
            None => {
                let mut r = run_step(
                    &sender,
                    step,
                    &mut ctx,
                    &mut flow,
                    &mut redactor,
                    &shared.snapshots,
                    scenario,
                )
                .await;
                if !shared.target.baseline.is_empty() {
                    rules::apply_baseline(&scenario.name, &mut r.checks, &shared.target.baseline);
                    if !r.checks.iter().any(|c| c.verdict == Verdict::Failed) && r.error.is_none() {
                        r.verdict = Verdict::Passed;
                    }
                }
                r
            }
        };
        if blocked.is_none() && matches!(result.verdict, Verdict::Failed | Verdict::Error) {
            blocked = Some(format!("step `{}` did not pass", step.name));
        } else if blocked.is_none() && step.prerequisite && !expectations_held(&result) {
            blocked = Some(format!(
                "the prerequisite step `{}` did not get what it expects",
                step.name
            ));
        }
        steps.push(result);
    }
    scenario_result(scenario, steps, started.elapsed().as_secs_f64() * 1000.0)
}

/// Whether every expectation of the step's own held, whatever its grade (the automatic rule
/// checks aside: they judge the answer, not what later steps rely on).
fn expectations_held(result: &StepResult) -> bool {
    result
        .checks
        .iter()
        .filter(|c| c.matcher != "rule")
        .all(|c| c.verdict == Verdict::Passed)
}

/// A scenario's result from its steps' results.
pub(super) fn scenario_result(
    scenario: &Scenario,
    steps: Vec<StepResult>,
    duration_ms: f64,
) -> ScenarioResult {
    ScenarioResult {
        name: scenario.name.clone(),
        file: scenario.file.clone(),
        location: scenario.location.clone(),
        doc: scenario.doc.clone(),
        tags: scenario.tags.clone(),
        verdict: scenario_verdict(&steps),
        duration_ms,
        steps,
    }
}

/// The worst step verdict: error over failed over passed; all skipped is skipped.
pub(super) fn scenario_verdict(steps: &[StepResult]) -> Verdict {
    if steps.iter().any(|s| s.verdict == Verdict::Error) {
        Verdict::Error
    } else if steps.iter().any(|s| s.verdict == Verdict::Failed) {
        Verdict::Failed
    } else if !steps.is_empty() && steps.iter().all(|s| s.verdict == Verdict::Skipped) {
        Verdict::Skipped
    } else {
        Verdict::Passed
    }
}

pub(super) fn skipped(step: &Step, reason: &str) -> StepResult {
    StepResult {
        name: step.name.clone(),
        kind: step.action.kind().into(),
        location: step.location.clone(),
        verdict: Verdict::Skipped,
        skip_reason: Some(reason.to_string()),
        error: None,
        checks: Vec::new(),
        captures: Vec::new(),
        exchanges: Vec::new(),
        duration_ms: 0.0,
        snapshot: None,
    }
}

async fn execute(
    sender: &Sender<'_>,
    step: &Step,
    context: &Context,
    endpoints: &Map<String, Value>,
    flow: &mut Flow,
    redactor: &mut Redactor,
) -> Result<StepRun, (ErrorKind, String)> {
    let env = Env {
        s: sender,
        ctx: context,
        endpoints,
    };
    match &step.action {
        Action::Http(request) => {
            let sent = sender.send(request, context, redactor).await?;
            let primary = sent.result.as_ref().ok().map(|r| Received {
                status: r.status,
                headers: r.headers.clone(),
                body: r.body.clone(),
                json: r.json.clone(),
            });
            let request = SentRequest {
                method: sent.request.method.clone(),
                url: sent.request.url.clone(),
                ..SentRequest::default()
            };
            Ok(StepRun {
                exchanges: vec![sent],
                primary,
                sent: request,
                ..StepRun::default()
            })
        }
        Action::Discovery {
            url,
            probe_endpoints,
        } => protocol::discovery(&env, url.as_ref(), *probe_endpoints, flow).await,
        Action::Jwks { url } => protocol::jwks(&env, url.as_ref(), flow).await,
        Action::Authorize(a) => {
            let endpoint = env.endpoint("authorization")?;
            authorize::authorize(sender, a, context, flow, redactor, &endpoint).await
        }
        Action::Token(t) => protocol::token(&env, t, &step.name, flow, redactor).await,
        Action::Userinfo(u) => protocol::userinfo(&env, u, flow).await,
        Action::Introspect(op) => {
            protocol::token_operation(&env, op, "introspection", flow, redactor).await
        }
        Action::Revoke(op) => {
            protocol::token_operation(&env, op, "revocation", flow, redactor).await
        }
        Action::EndSession(e) => protocol::end_session(&env, e, flow).await,
        Action::Register(r) => protocol::register(&env, r, redactor).await,
        Action::PlainHttp { endpoint } => plain_http::step(&env, endpoint).await,
    }
}

async fn run_step(
    sender: &Sender<'_>,
    step: &Step,
    ctx: &mut Context,
    flow: &mut Flow,
    redactor: &mut Redactor,
    snapshots: &SnapshotSession,
    scenario: &Scenario,
) -> StepResult {
    let started = Instant::now();
    if let Some(delay) = step.delay {
        tokio::time::sleep(delay).await;
    }
    let mut result = skipped(step, "");
    result.skip_reason = None;
    let no_endpoints = Map::new();
    let endpoints = ctx
        .data()
        .get("endpoints")
        .and_then(Value::as_object)
        .unwrap_or(&no_endpoints);
    let run = match execute(sender, step, ctx, endpoints, flow, redactor).await {
        Ok(run) => run,
        Err((kind, message)) => {
            return finish(result, Some(StepError { kind, message }), redactor, started);
        }
    };
    let mut error = None;
    for sent in &run.exchanges {
        match &sent.result {
            Ok(received) => {
                if let Some(json) = &received.json {
                    redactor.learn_from_json(json);
                }
                if let Some((_, location)) = received.headers.iter().find(|(n, _)| n == "location")
                {
                    redactor.learn_from_url(location);
                }
            }
            Err(_) if run.no_answer_is_an_outcome => {}
            Err((kind, message)) => {
                error = Some(StepError {
                    kind: *kind,
                    message: message.clone(),
                })
            }
        }
    }
    if let Some(t) = &run.bearer {
        redactor.add("access_token", t);
    }
    if let Some(received) = run
        .primary
        .as_ref()
        .filter(|r| r.status >= 500 && error.is_none())
        && !run.no_answer_is_an_outcome
        && !expects_status(step, received.status)
    {
        error = Some(StepError {
            kind: ErrorKind::ServerError,
            message: format!(
                "the target answered {} (a server error, not a conformance verdict)",
                received.status
            ),
        });
    }
    // A probe that got no answer is judged as well: its rules see status 0 and no body.
    let unanswered = Received::default();
    let primary = run
        .primary
        .as_ref()
        .or(run.no_answer_is_an_outcome.then_some(&unanswered));
    if let (Some(received), None) = (primary, &error) {
        result.checks = check_all(sender, &step.expectations, ctx, received);
        result
            .checks
            .extend(jwt_checks(sender, step, ctx, received, flow));
        rules::attribute(step, &mut result.checks, &sender.target.profile);
        let view = flow_view(sender, flow, &run);
        let urls: Vec<String> = run
            .exchanges
            .iter()
            .map(|e| e.request.url.clone())
            .collect();
        let obs = Observation {
            kind: step.action.kind(),
            request: &run.sent,
            status: received.status,
            headers: &received.headers,
            json: received.json.as_ref(),
            body: &received.body,
            flow: &view,
            redirect: run.redirect.as_ref(),
            urls: &urls,
            profile: &sender.target.profile,
            probes: &run.probes,
        };
        result.checks.extend(rules::apply(step, &obs));
        if matches!(step.action, Action::Revoke(_))
            && received.status == 200
            && run.own_token.is_some()
        {
            flow.record_revocation();
        }
        if let Some(e) = compare_snapshot(
            snapshots,
            scenario,
            step,
            received,
            ctx.data(),
            redactor,
            &mut result,
        ) {
            error = Some(e);
        }
        let (captures, failures) = capture_all(&step.captures, received);
        for (name, value) in captures {
            result.captures.push(CaptureRecord {
                name: name.clone(),
                value: display(&value),
            });
            if let Value::Object(names) = ctx.data_mut() {
                names.insert(name, value);
            }
        }
        result.checks.extend(failures);
        if matches!(step.action, Action::Discovery { .. }) && received.status == 200 {
            advertise(ctx, received.json.as_ref());
        }
    }
    for sent in run.exchanges {
        let response = sent.result.ok().map(|received| {
            let (body, body_truncated) = recorded_body(&received.body);
            RecordedResponse {
                status: received.status,
                headers: received.headers,
                body,
                body_truncated,
            }
        });
        result.exchanges.push(Exchange {
            request: sent.request,
            response,
            duration_ms: sent.duration_ms,
        });
    }
    finish(result, error, redactor, started)
}

/// Whether the step's own expectations accept `status` (a scenario may test for a 5xx).
fn expects_status(step: &Step, status: u16) -> bool {
    let actual = Value::from(status);
    step.expectations.iter().any(|e| {
        matches!(e.subject, crate::check::Subject::Status)
            && e.matchers.iter().all(|m| m.matches(Some(&actual)))
    })
}

/// The endpoints a discovery step found become `{{ endpoints.* }}` for the later steps;
/// overrides of the environment keep precedence only over what was there before.
fn advertise(ctx: &mut Context, metadata: Option<&Value>) {
    let Some(metadata) = metadata else { return };
    if let Some(Value::Object(endpoints)) = ctx.data_mut().get_mut("endpoints") {
        for (name, key) in crate::oauth::ENDPOINTS {
            if let Some(Value::String(url)) = metadata.get(*key) {
                endpoints
                    .entry((*name).to_string())
                    .or_insert_with(|| Value::String(url.clone()));
            }
        }
    }
}

fn flow_view(sender: &Sender<'_>, flow: &Flow, run: &StepRun) -> FlowView {
    let authz = flow.authorization.as_ref();
    let client_id = run
        .sent
        .form
        .iter()
        .chain(&run.sent.query)
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.clone())
        .or_else(|| {
            let name = flow
                .tokens
                .as_ref()
                .map(|t| t.client.clone())
                .or(authz.map(|a| a.client.clone()))?;
            sender.target.client(&name).map(|c| c.client_id.clone())
        });
    FlowView {
        issuer: sender.target.issuer.clone(),
        metadata: flow.metadata.clone(),
        jwks: flow.jwks.clone(),
        client_id,
        nonce: authz.and_then(|a| a.nonce.clone()),
        openid: authz.is_some_and(|a| a.openid),
        authorization_params: authz.map(|a| a.params.clone()).unwrap_or_default(),
        id_token_sub: flow.tokens.as_ref().and_then(|t| t.id_token_sub.clone()),
        previous_id_token: run
            .previous_id_token
            .as_deref()
            .and_then(decode_unverified)
            .map(|jwt| std::sync::Arc::new(jwt.claims)),
        access_token: run.bearer.clone(),
        own_token_type: run.own_token,
        now: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default(),
    }
}

/// Sets the verdict and redacts everything the step recorded.
fn finish(
    mut r: StepResult,
    error: Option<StepError>,
    redactor: &Redactor,
    started: Instant,
) -> StepResult {
    r.verdict = if error.is_some() {
        Verdict::Error
    } else if r.checks.iter().any(|c| c.verdict == Verdict::Failed) {
        Verdict::Failed
    } else {
        Verdict::Passed
    };
    r.error = error.map(|e| StepError {
        kind: e.kind,
        message: redactor.redact(&e.message),
    });
    for c in &mut r.checks {
        c.expected = redactor.redact(&c.expected);
        c.actual = redactor.redact(&c.actual);
    }
    for c in &mut r.captures {
        c.value = redactor.redact(&c.value);
    }
    for x in &mut r.exchanges {
        x.request.url = redactor.redact(&x.request.url);
        for (n, v) in &mut x.request.headers {
            *v = redactor.redact_header(n, v);
        }
        x.request.body = x.request.body.as_deref().map(|b| redactor.redact(b));
        if let Some(resp) = &mut x.response {
            for (n, v) in &mut resp.headers {
                *v = redactor.redact_header(n, v);
            }
            resp.body = resp.body.as_deref().map(|b| redactor.redact(b));
        }
    }
    r.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    r
}

/// The step's snapshot check, when it asks for one; `Some` error when a snapshot file could not
/// be read or written.
fn compare_snapshot(
    snapshots: &SnapshotSession,
    scenario: &Scenario,
    step: &Step,
    received: &Received,
    ctx: &Value,
    redactor: &Redactor,
    result: &mut StepResult,
) -> Option<StepError> {
    let spec = step.snapshot.as_ref()?;
    let input = StepSnapshot {
        scenario: &scenario.name,
        file: &scenario.file,
        step: &step.name,
        spec,
        body: &received.body,
        json: received.json.as_ref(),
        issuer: ctx.get("issuer").and_then(Value::as_str),
        clients: ctx
            .get("clients")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, c)| Some((name.clone(), c.get("client_id")?.as_str()?.to_string())))
            .collect(),
        redactor,
    };
    match snapshots.check(&input) {
        Ok((check, record)) => {
            result.checks.push(check);
            result.snapshot = Some(record);
            None
        }
        Err(e) => Some(StepError {
            kind: ErrorKind::Internal,
            message: e.to_string(),
        }),
    }
}
