//! The request of a `plain_http` step: the shape of a real one, sent over plain http to
//! the plain-http side of an https endpoint, every value a canary made up for it. The harness
//! must not leak what A-01 protects: no client secret, token or password of the environment
//! ever goes into it.

use std::time::Duration;

use super::flow::StepRun;
use super::http::{Received, Sent, record};
use super::probe::{self, PROBE_TIMEOUT};
use super::protocol::Env;
use crate::oauth::random_string;
use crate::outcome::ErrorKind;
use crate::rules::{Probe, ProbeAnswer, SentRequest};

type StepError = (ErrorKind, String);

/// The `plain_http` step for `endpoint_name`: its answer, or the refused connection, is what
/// the step observes.
pub(super) async fn step(e: &Env<'_, '_>, endpoint_name: &str) -> Result<StepRun, StepError> {
    let endpoint = e.endpoint(endpoint_name)?;
    let url = plain_url(&endpoint, e.s.target.plain_http.as_deref())
        .map_err(|message| (ErrorKind::MissingValue, message))?;
    let (probe, exchange) = send(e.s.client, endpoint_name, &url, e.s.target.timeout).await?;
    let primary = exchange.result.as_ref().ok().map(|r| Received {
        status: r.status,
        headers: r.headers.clone(),
        body: r.body.clone(),
        json: r.json.clone(),
    });
    Ok(StepRun {
        sent: probe.request.clone(),
        exchanges: vec![exchange],
        primary,
        probes: vec![probe],
        no_answer_is_an_outcome: true,
        ..StepRun::default()
    })
}

/// Where plain http to the https `endpoint` goes: the same URL with the scheme `http`, on the
/// host and port of `plain_origin` when the environment declares one; otherwise on port 80
/// when the endpoint uses 443, else on the endpoint's own port (a TLS port that must refuse
/// plain text).
fn plain_url(endpoint: &str, plain_origin: Option<&str>) -> Result<url::Url, String> {
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
async fn send(
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
    let request = probe::build(&sent, timeout.min(PROBE_TIMEOUT))?;
    let recorded = record(&request, Some(probe::form_body(&sent.form)));
    let started = std::time::Instant::now();
    let received = probe::read(client, request, &sent.url).await;
    // Refused, reset or not spoken to in HTTP: the plain-http side turned the request away.
    // A timeout or a name that does not resolve shows nothing about the server: the step is
    // inconclusive, an error of the target, not a pass.
    if let Err((kind @ (ErrorKind::Timeout | ErrorKind::Connect), message)) = &received
        && !(*kind == ErrorKind::Connect && message.to_ascii_lowercase().contains("refused"))
    {
        return Err((*kind, message.clone()));
    }
    let answer = received
        .as_ref()
        .map_err(|(_, message)| message.clone())
        .map(|r| ProbeAnswer {
            status: r.status,
            headers: r.headers.clone(),
            json: r.json.clone(),
        });
    let exchange = Sent {
        request: recorded,
        result: received,
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
}
