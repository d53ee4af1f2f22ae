//! Runs one scenario: its steps in order, captures feeding later steps. A step that does not
//! pass stops the scenario; the steps after it are recorded as skipped, with the reason.

use std::time::Instant;

use handlebars::Context;
use serde_json::{Map, Value};

use super::Redactor;
use super::http::{Received, Sender, recorded_body};
use crate::check::{Expectation, ResponseView, evaluate};
use crate::outcome::{
    CaptureRecord, CheckResult, ErrorKind, Exchange, RecordedResponse, ScenarioResult, StepError,
    StepResult, Verdict,
};
use crate::resolve::{Action, Capture, CaptureSource, Scenario, Step};
use crate::snapshot::{SnapshotSession, StepSnapshot};
use crate::template::Template;

pub(super) async fn run_scenario(
    sender: &Sender<'_>,
    scenario: &Scenario,
    base: &Map<String, Value>,
    base_redactor: &Redactor,
    snapshots: &SnapshotSession,
) -> ScenarioResult {
    let started = Instant::now();
    let mut ctx = base.clone();
    for (k, v) in &scenario.vars {
        ctx.insert(k.clone(), v.clone());
    }
    let mut redactor = base_redactor.clone();
    let mut steps = Vec::with_capacity(scenario.steps.len());
    let mut blocked: Option<String> = None;
    for step in &scenario.steps {
        let result = match &blocked {
            Some(reason) => skipped(step, reason),
            None => run_step(sender, step, &mut ctx, &mut redactor, snapshots, scenario).await,
        };
        if blocked.is_none() && matches!(result.verdict, Verdict::Failed | Verdict::Error) {
            blocked = Some(format!("step `{}` did not pass", step.name));
        }
        steps.push(result);
    }
    ScenarioResult {
        name: scenario.name.clone(),
        file: scenario.file.clone(),
        location: scenario.location.clone(),
        doc: scenario.doc.clone(),
        tags: scenario.tags.clone(),
        verdict: scenario_verdict(&steps),
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
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

async fn run_step(
    sender: &Sender<'_>,
    step: &Step,
    ctx: &mut Map<String, Value>,
    redactor: &mut Redactor,
    snapshots: &SnapshotSession,
    scenario: &Scenario,
) -> StepResult {
    let started = Instant::now();
    let mut result = skipped(step, "");
    result.skip_reason = None;
    let context = Context::from(Value::Object(ctx.clone()));
    let Action::Http(request) = &step.action;
    let sent = match sender.send(request, &context, redactor).await {
        Ok(sent) => sent,
        Err((kind, message)) => {
            return finish(result, Some(StepError { kind, message }), redactor, started);
        }
    };
    let mut error = None;
    let mut response_record = None;
    match &sent.result {
        Ok(received) => {
            if let Some(json) = &received.json {
                redactor.learn_from_json(json);
            }
            if let Some((_, location)) = received.headers.iter().find(|(n, _)| n == "location") {
                redactor.learn_from_url(location);
            }
            result.checks = check_all(sender, &step.expectations, &context, received);
            if let Some(e) = compare_snapshot(
                snapshots,
                scenario,
                step,
                received,
                ctx,
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
                ctx.insert(name, value);
            }
            result.checks.extend(failures);
            let (body, body_truncated) = recorded_body(&received.body);
            response_record = Some(RecordedResponse {
                status: received.status,
                headers: received.headers.clone(),
                body,
                body_truncated,
            });
        }
        Err((kind, message)) => {
            error = Some(StepError {
                kind: *kind,
                message: message.clone(),
            })
        }
    }
    result.exchanges.push(Exchange {
        request: sent.request,
        response: response_record,
        duration_ms: sent.duration_ms,
    });
    finish(result, error, redactor, started)
}

fn check_all(
    sender: &Sender<'_>,
    expectations: &[Expectation],
    ctx: &Context,
    received: &Received,
) -> Vec<CheckResult> {
    let view = ResponseView {
        status: received.status,
        headers: &received.headers,
        json: received.json.as_ref(),
    };
    let mut out = Vec::new();
    for expectation in expectations {
        let mut rendered = expectation.clone();
        for s in rendered.matchers.iter_mut().flat_map(|m| m.strings_mut()) {
            if let Ok(text) = sender
                .renderer
                .render(&Template::new(s.clone(), expectation.location.clone()), ctx)
            {
                *s = text;
            }
        }
        out.extend(evaluate(&rendered, &view));
    }
    out
}

/// Captured values, and a failed check for each capture that found nothing.
fn capture_all(
    captures: &[Capture],
    received: &Received,
) -> (Vec<(String, Value)>, Vec<CheckResult>) {
    let mut values = Vec::new();
    let mut failures = Vec::new();
    for capture in captures {
        let (found, from) = match &capture.source {
            CaptureSource::Json(selector) => (
                received.json.as_ref().and_then(|j| selector.select(j)),
                "the JSON body",
            ),
            CaptureSource::Header(name) => (
                received
                    .headers
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| Value::String(v.clone())),
                "the response headers",
            ),
            CaptureSource::RedirectQuery(param) => (
                received
                    .headers
                    .iter()
                    .find(|(n, _)| n == "location")
                    .and_then(|(_, l)| url::Url::parse(l).ok())
                    .and_then(|u| {
                        u.query_pairs()
                            .find(|(k, _)| k == param.as_str())
                            .map(|(_, v)| v.into_owned())
                    })
                    .map(Value::String),
                "the Location header's query",
            ),
        };
        match found {
            Some(v) => values.push((capture.name.clone(), v)),
            None => failures.push(CheckResult {
                subject: format!("capture {}", capture.name),
                matcher: "exists".into(),
                expected: format!("a value in {from}"),
                actual: "<absent>".into(),
                verdict: Verdict::Failed,
                location: capture.location.clone(),
            }),
        }
    }
    (values, failures)
}

fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
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
    ctx: &Map<String, Value>,
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
