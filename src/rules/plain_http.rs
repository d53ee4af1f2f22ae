//! A-01's second half: what an https server does with a request that comes over plain http
//! (a `plain_http` step's canary request). It must refuse it, or redirect to https without
//! the request's parameters in the `Location` (RFC 6749 §3.1, §10.9): a parameter the server
//! echoes into a redirect travels again, lands in logs and histories.
//!
//! Refused: no HTTP answer (connection refused or closed, TLS on that port), or an error status
//! that shows no processing. Processed: a 2xx answer, or an OAuth error that could only come
//! from evaluating the parameters (`invalid_client` for the canary client, ...).
//! `invalid_request` is not one: it is how servers word "HTTPS required" (Keycloak's 403).
//! A timeout or a name that does not resolve is no verdict: the runner makes it a step error.

use super::{Finding, Observation, Probe};

/// Error codes a server can only answer after it evaluated the request's parameters (RFC 6749
/// §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1).
const PROCESSED: &[&str] = &[
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
    "invalid_token",
    "unsupported_token_type",
];

const REFUSED: &str =
    "refused, or redirected to https without the request's parameters in the Location";

pub(super) fn refused(o: &Observation<'_>) -> Finding {
    let Some(probe) = o.probes.first() else {
        return Finding::NotApplicable;
    };
    let answer = match &probe.answer {
        Err(why) => return Finding::check(true, "", format!("no plain-http answer: {why}")),
        Ok(a) => a,
    };
    let status = answer.status;
    if (200..300).contains(&status) {
        return Finding::check(
            false,
            REFUSED,
            format!("processed over plain http: {status}"),
        );
    }
    if (300..400).contains(&status) {
        return redirect(probe, status, answer.header("location"));
    }
    match answer
        .json
        .as_ref()
        .and_then(|j| j.get("error"))
        .and_then(|e| e.as_str())
    {
        Some(code) if PROCESSED.contains(&code) => Finding::check(
            false,
            REFUSED,
            format!(
                "processed over plain http: {status} with `{code}`, an answer to the parameters"
            ),
        ),
        _ => Finding::check(true, "", format!("refused over plain http: {status}")),
    }
}

/// A redirect is conformant when it goes to https and carries none of the parameter values.
fn redirect(probe: &Probe, status: u16, location: Option<&str>) -> Finding {
    let Some(location) = location else {
        return Finding::check(true, "", format!("refused: {status} without a Location"));
    };
    let target = url::Url::parse(&probe.request.url).and_then(|base| base.join(location));
    let Ok(target) = target else {
        return Finding::check(false, REFUSED, format!("{status} to an invalid Location"));
    };
    if target.scheme() != "https" {
        return Finding::check(
            false,
            REFUSED,
            format!(
                "{status} to {}: plain http again",
                target.origin().ascii_serialization()
            ),
        );
    }
    let decoded: String = url::form_urlencoded::parse(target.as_str().as_bytes())
        .flat_map(|(k, v)| [k.into_owned(), v.into_owned()])
        .collect::<Vec<_>>()
        .join(" ");
    let leaked: Vec<&str> = probe
        .request
        .form
        .iter()
        .chain(&probe.request.query)
        .filter(|(_, v)| v.len() > 2 && (target.as_str().contains(v) || decoded.contains(v)))
        .map(|(name, _)| name.as_str())
        .collect();
    if leaked.is_empty() {
        Finding::check(
            true,
            "",
            format!(
                "{status} to {} with none of the parameters",
                target.origin().ascii_serialization()
            ),
        )
    } else {
        Finding::check(
            false,
            REFUSED,
            format!(
                "{status} to https with the request's {} in the Location",
                leaked.join(", ")
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rules::{FlowView, ProbeAnswer, SentRequest};

    fn judge(answer: Result<ProbeAnswer, &str>) -> Finding {
        let request = SentRequest {
            method: "POST".into(),
            url: "http://as.example/token".into(),
            form: vec![
                ("grant_type".into(), "client_credentials".into()),
                ("client_id".into(), "grantspec-canary-client-x1".into()),
                ("client_secret".into(), "grantspec-canary-secret-y2".into()),
            ],
            ..SentRequest::default()
        };
        let probes = [Probe {
            name: "token".into(),
            request: request.clone(),
            answer: answer.map_err(str::to_string),
        }];
        let flow = FlowView::default();
        let json = json!({});
        let mut o = Observation::of_json("plain_http", &request, 0, &json, &flow);
        o.probes = &probes;
        refused(&o)
    }

    fn answer(status: u16, location: Option<&str>, json: Option<serde_json::Value>) -> ProbeAnswer {
        ProbeAnswer {
            status,
            headers: location
                .map(|l| vec![("location".to_string(), l.to_string())])
                .unwrap_or_default(),
            json,
        }
    }

    fn passes(f: &Finding) -> bool {
        matches!(f, Finding::Pass { .. })
    }

    #[test]
    fn no_answer_a_plain_refusal_and_a_clean_https_redirect_pass() {
        assert!(passes(&judge(Err("could not connect: refused"))));
        assert!(passes(&judge(Ok(answer(403, None, None)))));
        let https_required =
            json!({ "error": "invalid_request", "error_description": "HTTPS required" });
        assert!(passes(&judge(Ok(answer(403, None, Some(https_required))))));
        let clean = answer(308, Some("https://as.example/token"), None);
        assert!(passes(&judge(Ok(clean))));
    }

    #[test]
    fn processing_or_a_leaking_or_plain_redirect_fails() {
        assert!(!passes(&judge(Ok(answer(200, None, None)))));
        let invalid_client = json!({ "error": "invalid_client" });
        let Finding::Fail { actual, .. } = judge(Ok(answer(401, None, Some(invalid_client))))
        else {
            panic!("an OAuth answer to the parameters is processing")
        };
        assert!(actual.contains("invalid_client"), "{actual}");
        let leak = "https://as.example/token?grant_type=client_credentials&client_id=grantspec-canary-client-x1&client_secret=grantspec-canary-secret-y2";
        let Finding::Fail { actual, .. } = judge(Ok(answer(307, Some(leak), None))) else {
            panic!("parameters in the Location leak")
        };
        assert!(
            actual.contains("client_id, client_secret") && !actual.contains("canary"),
            "names the parameters, not their values: {actual}"
        );
        let plain = answer(301, Some("http://as.example:8080/token"), None);
        assert!(!passes(&judge(Ok(plain))));
        assert!(!passes(&judge(Ok(answer(302, Some("/token"), None)))));
    }
}
