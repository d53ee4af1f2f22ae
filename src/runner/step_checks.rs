//! What a step's response is held to: its expectations (rendered with the scenario's
//! context), its JWT expectations (signature against the server's keys, then header and
//! claims), and its captures.

use handlebars::Context;
use serde_json::Value;

use super::flow::Flow;
use super::http::{Received, Sender};
use crate::check::{Expectation, ResponseView, evaluate};
use crate::oauth::{decode_unverified, verify_signature};
use crate::outcome::{CheckResult, Verdict};
use crate::resolve::{Capture, CaptureSource, Step};
use crate::template::Template;

/// Expectations on JWTs in the response: signature against the server's keys, then header
/// and claims like JSON values.
pub(super) fn jwt_checks(
    sender: &Sender<'_>,
    step: &Step,
    ctx: &Context,
    received: &Received,
    flow: &Flow,
) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for e in &step.jwt_expectations {
        let subject = format!("jwt {}", e.member);
        let raw = received
            .json
            .as_ref()
            .and_then(|j| j.get(&e.member))
            .and_then(Value::as_str);
        let Some(decoded) = raw.and_then(decode_unverified) else {
            out.push(check(
                &subject,
                "decodes",
                "a compact JWS",
                if raw.is_some() {
                    "not a JWS"
                } else {
                    "<absent>"
                },
                false,
                &e.location,
            ));
            continue;
        };
        if e.verify {
            let verdict = match (&flow.jwks, raw) {
                (Some(jwks), Some(token)) => verify_signature(token, jwks),
                _ => Err("the server's key set is not known".into()),
            };
            let actual = verdict
                .as_ref()
                .map(|()| "verified".to_string())
                .unwrap_or_else(Clone::clone);
            out.push(check(
                &subject,
                "signature",
                "verifies with the server's JWKS",
                &actual,
                verdict.is_ok(),
                &e.location,
            ));
        }
        for (part, value, expectations) in [
            ("header", &decoded.header, &e.header),
            ("claims", &decoded.claims, &e.claims),
        ] {
            let view = ResponseView {
                status: received.status,
                headers: &[],
                json: Some(value),
            };
            for expectation in expectations {
                for mut c in evaluate(&rendered(sender, expectation, ctx), &view) {
                    c.subject =
                        format!("{subject} {part} {}", c.subject.trim_start_matches("json "));
                    out.push(c);
                }
            }
        }
    }
    out
}

fn check(
    subject: &str,
    matcher: &str,
    expected: &str,
    actual: &str,
    ok: bool,
    location: &crate::diag::Location,
) -> CheckResult {
    CheckResult {
        subject: subject.into(),
        matcher: matcher.into(),
        expected: expected.into(),
        actual: actual.into(),
        verdict: if ok { Verdict::Passed } else { Verdict::Failed },
        location: location.clone(),
        rule: None,
    }
}

/// The expectation with its string operands rendered with the values of the moment.
fn rendered(sender: &Sender<'_>, expectation: &Expectation, ctx: &Context) -> Expectation {
    let mut e = expectation.clone();
    for s in e.matchers.iter_mut().flat_map(|m| m.strings_mut()) {
        if let Ok(text) = sender
            .renderer
            .render(&Template::new(s.clone(), expectation.location.clone()), ctx)
        {
            *s = text;
        }
    }
    e
}

pub(super) fn check_all(
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
    expectations
        .iter()
        .flat_map(|e| evaluate(&rendered(sender, e, ctx), &view))
        .collect()
}

/// Captured values, and a failed check for each capture that found nothing.
pub(super) fn capture_all(
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
                rule: None,
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

pub(super) fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
