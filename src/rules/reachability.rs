//! Whether the endpoints a discovery document advertises can be reached (B-09), judged from
//! the probes the runner sent to each (`discovery` with `probe: endpoints`).
//!
//! Reachable: an HTTP answer other than 404 or 410. A bare request without credentials is
//! refused by most endpoints (400, 401, 405): that still shows something serves the URL.
//! Unreachable: 404 or 410 (nothing is served there), or no HTTP answer at all once the runner
//! has tried twice (connection refused, name not found, timeout, TLS failure): the discovery
//! document came from the same server in the same step, so the target itself is up.

use super::Probe;

/// Statuses that say nothing is served at the URL (RFC 9110 §15.5.5, §15.5.11).
const NOT_SERVED: &[u16] = &[404, 410];

/// The probes that found nothing at their URL, each as `name URL: why`.
pub(super) fn unreachable(probes: &[Probe]) -> Vec<String> {
    probes
        .iter()
        .filter_map(|p| {
            let why = match &p.answer {
                Ok(a) if NOT_SERVED.contains(&a.status) => format!("answers {}", a.status),
                Ok(_) => return None,
                Err(transport) => transport.clone(),
            };
            Some(format!(
                "{} {} {}: {why}",
                p.name, p.request.method, p.request.url
            ))
        })
        .collect()
}

/// A probe of `https://as.example/NAME` by `method` that got `answer` (a status, or a
/// transport failure), for tests.
#[cfg(test)]
pub(super) fn probe_answered(name: &str, method: &str, answer: Result<u16, &str>) -> Probe {
    use crate::rules::{ProbeAnswer, SentRequest};
    Probe {
        name: name.into(),
        request: SentRequest {
            method: method.into(),
            url: format!("https://as.example/{name}"),
            ..SentRequest::default()
        },
        answer: answer
            .map(|status| ProbeAnswer {
                status,
                ..ProbeAnswer::default()
            })
            .map_err(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(name: &str, answer: Result<u16, &str>) -> Probe {
        probe_answered(name, "GET", answer)
    }

    #[test]
    fn refusals_are_reachable_and_not_found_or_no_answer_is_not() {
        let probes = [
            probe("token_endpoint", Ok(400)),
            probe("userinfo_endpoint", Ok(401)),
            probe("registration_endpoint", Ok(405)),
            probe("jwks_uri", Ok(200)),
            probe("device_authorization_endpoint", Ok(404)),
            probe("end_session_endpoint", Ok(410)),
            probe("introspection_endpoint", Err("could not connect: refused")),
        ];
        assert_eq!(
            unreachable(&probes),
            [
                "device_authorization_endpoint GET https://as.example/device_authorization_endpoint: answers 404",
                "end_session_endpoint GET https://as.example/end_session_endpoint: answers 410",
                "introspection_endpoint GET https://as.example/introspection_endpoint: could not connect: refused",
            ]
        );
        assert!(unreachable(&probes[..4]).is_empty());
    }
}
