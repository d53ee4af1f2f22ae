//! B. What discovery advertises, held against what the rest of the run sees: the grants that
//! work, where the endpoints live, and the `iss` authorization response parameter.

use serde_json::Value;

use super::channel::{self, Channel};
use super::reachability;
use super::{Finding, Observation, Rule, Severity};
use crate::oauth::advertised_endpoints;

const DISC_3: &str = "https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata";
const ISS_SUPPORTED: &str = "authorization_response_iss_parameter_supported";
/// What an absent `grant_types_supported` means (OIDC Discovery §3; RFC 8414 §2).
const DEFAULT_GRANTS: &[&str] = &["authorization_code", "implicit"];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "B-08",
        title: "A grant that works is in `grant_types_supported` (absent: authorization_code and implicit only)",
        severity: Severity::Should,
        clause: "OIDC Discovery §3; RFC 8414 §2",
        url: DISC_3,
        kinds: &["token"],
        profiles: &[],
        check: Some(grant_advertised),
    },
    Rule {
        id: "B-09",
        title: "Every advertised endpoint URL is https (plain http only on a loopback IP literal, recorded) and, where the step probes them, reachable (an answer other than 404/410); endpoints on another host are recorded",
        severity: Severity::Must,
        clause: "OIDC Discovery §3; RFC 6749 §3.1, §3.2",
        url: DISC_3,
        kinds: &["discovery"],
        profiles: &[],
        check: Some(endpoints_https),
    },
    Rule {
        id: "B-12",
        title: "`authorization_response_iss_parameter_supported` is recorded (a boolean); when true, every authorization response carries `iss`",
        severity: Severity::Must,
        clause: "RFC 9207 §2, §3; RFC 9700 §4.4",
        url: "https://www.rfc-editor.org/rfc/rfc9207#section-2",
        kinds: &["discovery", "authorize"],
        profiles: &[],
        check: Some(iss_advertised),
    },
];

fn grant_advertised(o: &Observation<'_>) -> Finding {
    let (Some(grant), Some(metadata)) = (o.request.param("grant_type"), &o.flow.metadata) else {
        return Finding::NotApplicable;
    };
    if !o.is_success() || o.member("access_token").is_none() {
        return Finding::NotApplicable;
    }
    let (advertised, source): (Vec<&str>, &str) = match metadata
        .get("grant_types_supported")
        .and_then(Value::as_array)
    {
        Some(list) => (list.iter().filter_map(Value::as_str).collect(), "lists"),
        None => (DEFAULT_GRANTS.to_vec(), "is absent, so means"),
    };
    Finding::check(
        advertised.contains(&grant),
        format!("{grant} in grant_types_supported"),
        format!(
            "{grant} works; grant_types_supported {source} [{}]",
            advertised.join(", ")
        ),
    )
}

fn host(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?))
}

fn endpoints_https(o: &Observation<'_>) -> Finding {
    let Some(d) = o.json.and_then(Value::as_object) else {
        return Finding::NotApplicable;
    };
    let issuer = d
        .get("issuer")
        .and_then(Value::as_str)
        .or(o.flow.issuer.as_deref());
    let listed = advertised_endpoints(d);
    let bad: Vec<String> = listed
        .iter()
        .filter(|(_, url)| !channel::acceptable(url, issuer))
        .map(|(name, url)| format!("{name} {}", channel::origin(url)))
        .collect();
    if !bad.is_empty() {
        return Finding::check(
            false,
            "https endpoints (plain http only on a loopback IP literal, and not from an https issuer)",
            format!("plain http: {}", bad.join(", ")),
        );
    }
    let unreachable = reachability::unreachable(o.probes);
    if !unreachable.is_empty() {
        return Finding::check(
            false,
            "every advertised endpoint answers (any status but 404 or 410)",
            format!("unreachable: {}", unreachable.join("; ")),
        );
    }
    // F19: an endpoint on another host is allowed; it is worth knowing.
    let home = issuer.and_then(host);
    let elsewhere: Vec<String> = listed
        .iter()
        .filter(|(_, url)| home.is_some() && host(url) != home)
        .map(|(name, url)| format!("{name} on {}", channel::origin(url)))
        .collect();
    let loopback = listed
        .iter()
        .any(|(_, url)| channel::channel(url) == Channel::Loopback);
    let mut notes = vec![format!(
        "{} endpoints, {}",
        listed.len(),
        if loopback {
            channel::LOOPBACK_NOTE
        } else {
            "all https"
        }
    )];
    if !o.probes.is_empty() {
        notes.push(format!("{} probed, all reachable", o.probes.len()));
    }
    if !elsewhere.is_empty() {
        notes.push(format!("on another host: {}", elsewhere.join(", ")));
    }
    Finding::check(true, "", notes.join("; "))
}

fn iss_advertised(o: &Observation<'_>) -> Finding {
    if o.kind == "discovery" {
        let Some(d) = o.json.and_then(Value::as_object) else {
            return Finding::NotApplicable;
        };
        return match d.get(ISS_SUPPORTED) {
            None => Finding::check(true, "", "absent (false: iss is not promised)"),
            Some(Value::Bool(b)) => Finding::check(true, "", b.to_string()),
            Some(other) => Finding::check(false, "a boolean", other.to_string()),
        };
    }
    let advertised = o
        .flow
        .metadata
        .as_ref()
        .and_then(|m| m.get(ISS_SUPPORTED))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let (Some(r), true) = (o.redirect, advertised) else {
        return Finding::NotApplicable;
    };
    Finding::check(
        r.param("iss").is_some(),
        "an `iss` parameter (advertised)",
        if r.param("iss").is_some() {
            "present"
        } else {
            "absent"
        },
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::rules::{FlowView, RedirectView, SentRequest};

    fn observe(
        kind: &str,
        request: &SentRequest,
        json: &Value,
        flow: &FlowView,
        redirect: Option<&RedirectView>,
        check: fn(&Observation<'_>) -> Finding,
    ) -> Finding {
        check(&Observation {
            kind,
            request,
            status: 200,
            headers: &[],
            json: Some(json),
            body: "{}",
            flow,
            redirect,
            urls: &[],
            profile: "generic",
            probes: &[],
        })
    }

    #[test]
    fn an_absent_grant_list_means_the_defaults() {
        let request = SentRequest {
            form: vec![("grant_type".into(), "client_credentials".into())],
            ..SentRequest::default()
        };
        let token = json!({ "access_token": "x" });
        let flow = |m: Value| FlowView {
            metadata: Some(Arc::new(m)),
            ..FlowView::default()
        };
        let absent = observe(
            "token",
            &request,
            &token,
            &flow(json!({})),
            None,
            grant_advertised,
        );
        assert!(matches!(absent, Finding::Fail { .. }), "{absent:?}");
        let listed = flow(json!({ "grant_types_supported": ["client_credentials"] }));
        let ok = observe("token", &request, &token, &listed, None, grant_advertised);
        assert!(matches!(ok, Finding::Pass { .. }), "{ok:?}");
    }

    #[test]
    fn plain_http_endpoints_fail_off_loopback_and_other_hosts_are_recorded() {
        let request = SentRequest::default();
        let flow = FlowView::default();
        let doc = |logout: &str| {
            json!({ "issuer": "http://127.0.0.1:1", "token_endpoint": "http://127.0.0.1:1/token",
                    "end_session_endpoint": logout })
        };
        let run = |d: &Value| observe("discovery", &request, d, &flow, None, endpoints_https);
        let Finding::Pass { actual } = run(&doc("https://sso.example/logout")) else {
            panic!("https elsewhere is fine")
        };
        assert!(
            actual.contains("end_session_endpoint on https://sso.example"),
            "{actual}"
        );
        assert!(actual.contains("loopback"), "{actual}");
        assert!(matches!(
            run(&doc("http://sso.example/logout")),
            Finding::Fail { .. }
        ));
        let tls =
            json!({ "issuer": "https://as.example", "token_endpoint": "http://127.0.0.1/token" });
        assert!(matches!(run(&tls), Finding::Fail { .. }));
    }

    #[test]
    fn a_probed_endpoint_that_answers_404_or_nothing_fails_and_one_that_refuses_passes() {
        use crate::rules::Probe;
        let request = SentRequest::default();
        let flow = FlowView::default();
        let doc = json!({ "issuer": "https://as.example", "token_endpoint": "https://as.example/token",
                          "device_authorization_endpoint": "https://as.example/device" });
        let probe = |name: &str, answer| reachability::probe_answered(name, "POST", answer);
        let judge = |probes: &[Probe]| {
            let mut o = Observation::of_json("discovery", &request, 200, &doc, &flow);
            o.probes = probes;
            endpoints_https(&o)
        };
        let refusing = [
            probe("token_endpoint", Ok(401)),
            probe("device_authorization_endpoint", Ok(400)),
        ];
        let Finding::Pass { actual } = judge(&refusing) else {
            panic!("a refusal shows the endpoint is served")
        };
        assert!(actual.contains("2 probed, all reachable"), "{actual}");
        for gone in [Ok(404), Ok(410), Err("could not connect: refused")] {
            let probes = [
                probe("token_endpoint", Ok(401)),
                probe("device_authorization_endpoint", gone),
            ];
            let Finding::Fail { actual, .. } = judge(&probes) else {
                panic!("{gone:?} is unreachable")
            };
            assert!(
                actual.starts_with("unreachable: device_authorization_endpoint POST"),
                "{actual}"
            );
        }
        let Finding::Pass { actual } = judge(&[]) else {
            panic!("not probed, not judged")
        };
        assert!(!actual.contains("probed"), "{actual}");
    }

    #[test]
    fn iss_is_required_only_when_advertised() {
        let request = SentRequest::default();
        let view = |iss: bool| RedirectView {
            params: if iss {
                vec![("iss".into(), "i".into())]
            } else {
                Vec::new()
            },
            ..RedirectView::default()
        };
        let flow = |advertised: bool| FlowView {
            metadata: Some(Arc::new(json!({ ISS_SUPPORTED: advertised }))),
            ..FlowView::default()
        };
        let run = |advertised, iss| {
            observe(
                "authorize",
                &request,
                &json!({}),
                &flow(advertised),
                Some(&view(iss)),
                iss_advertised,
            )
        };
        assert!(matches!(run(true, false), Finding::Fail { .. }));
        assert!(matches!(run(true, true), Finding::Pass { .. }));
        assert_eq!(run(false, false), Finding::NotApplicable);
        let flow = FlowView::default();
        let bad = observe(
            "discovery",
            &request,
            &json!({ ISS_SUPPORTED: "yes" }),
            &flow,
            None,
            iss_advertised,
        );
        assert!(matches!(bad, Finding::Fail { .. }));
    }
}
