//! K. Introspection (RFC 7662).

use serde_json::Value;

use super::{Finding, Observation, Rule, Severity};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "K-01",
        title: "Introspecting a valid token with client authentication gives active: true",
        severity: Severity::Must,
        clause: "RFC 7662 §2.1, §2.2",
        url: "https://www.rfc-editor.org/rfc/rfc7662#section-2.2",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "K-02",
        title: "An unauthenticated introspection request is refused",
        severity: Severity::Must,
        clause: "RFC 7662 §2.1",
        url: "https://www.rfc-editor.org/rfc/rfc7662#section-2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "K-03",
        title: "Introspection with bad client credentials is refused with 401",
        severity: Severity::Must,
        clause: "RFC 7662 §2.3; RFC 6749 §5.2",
        url: "https://www.rfc-editor.org/rfc/rfc7662#section-2.3",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "K-04",
        title: "An inactive token is answered {\"active\": false} and nothing else",
        severity: Severity::Must,
        clause: "RFC 7662 §2.2",
        url: "https://www.rfc-editor.org/rfc/rfc7662#section-2.2",
        kinds: &["introspect"],
        profiles: &[],
        check: Some(inactive_says_nothing),
    },
    Rule {
        id: "K-05",
        title: "A token introspected with the wrong token_type_hint is still found (active: true)",
        severity: Severity::Must,
        clause: "RFC 7662 §2.1",
        url: "https://www.rfc-editor.org/rfc/rfc7662#section-2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "K-06",
        title: "An active response has integer exp/iat/nbf and a space-separated scope string",
        severity: Severity::Must,
        clause: "RFC 7662 §2.2",
        url: "https://www.rfc-editor.org/rfc/rfc7662#section-2.2",
        kinds: &["introspect"],
        profiles: &[],
        check: Some(active_types),
    },
];

fn inactive_says_nothing(o: &Observation<'_>) -> Finding {
    let Some(body) = o.json.and_then(Value::as_object) else {
        return Finding::NotApplicable;
    };
    if body.get("active") != Some(&Value::Bool(false)) {
        return Finding::NotApplicable;
    }
    let extra: Vec<&str> = body
        .keys()
        .filter(|k| *k != "active")
        .map(String::as_str)
        .collect();
    Finding::check(
        extra.is_empty(),
        "only `active`",
        if extra.is_empty() {
            "only active".into()
        } else {
            format!("also {}", extra.join(", "))
        },
    )
}

fn active_types(o: &Observation<'_>) -> Finding {
    let Some(body) = o.json.and_then(Value::as_object) else {
        return Finding::NotApplicable;
    };
    if body.get("active") != Some(&Value::Bool(true)) {
        return Finding::NotApplicable;
    }
    let mut problems = Vec::new();
    for m in ["exp", "iat", "nbf"] {
        if let Some(v) = body.get(m)
            && v.as_u64().is_none()
        {
            problems.push(format!("{m} is {v}"));
        }
    }
    if let Some(s) = body.get("scope")
        && !s.is_string()
    {
        problems.push(format!("scope is {s}"));
    }
    Finding::check(
        problems.is_empty(),
        "NumericDate integers and a scope string",
        if problems.is_empty() {
            "well typed".into()
        } else {
            problems.join("; ")
        },
    )
}
