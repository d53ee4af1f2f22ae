//! A. Transport and common response rules.

use super::catalogue::asserted;
use super::channel::{self, Channel};
use super::plain_http;
use super::{Finding, Observation, Rule, Severity};

const RFC6749_51: &str = "https://www.rfc-editor.org/rfc/rfc6749#section-5.1";
const RFC6749_52: &str = "https://www.rfc-editor.org/rfc/rfc6749#section-5.2";

/// Error codes registered for token endpoint responses (RFC 6749 §5.2, RFC 7523, RFC 7009).
const TOKEN_ERRORS: &[&str] = &[
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
    "unsupported_token_type",
    "invalid_dpop_proof",
    "authorization_pending",
    "slow_down",
    "access_denied",
    "expired_token",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "A-01",
        title: "Every request to the server goes over https: plain http only on a loopback IP literal (recorded), never next to an https issuer; plain http to an https server is refused, or redirected to https without the request's parameters",
        severity: Severity::Must,
        clause: "RFC 6749 §3.1, §3.2, §10.9; OIDC Core §3.1.2, §3.1.3, §5.3; RFC 7009 §2; RFC 7662 §4",
        url: "https://www.rfc-editor.org/rfc/rfc6749#section-3.1",
        // Every protocol step; not `http`, whose raw requests may go anywhere on purpose.
        kinds: &[
            "discovery",
            "jwks",
            "authorize",
            "token",
            "userinfo",
            "introspect",
            "revoke",
            "end_session",
            "register",
            "plain_http",
        ],
        profiles: &[],
        check: Some(https_only),
    },
    Rule {
        id: "A-02",
        title: "Token, introspection and userinfo answers are JSON with Content-Type application/json",
        severity: Severity::Must,
        clause: "RFC 6749 §5.1, §5.2; RFC 7662 §2.2; OIDC Core §5.3.2",
        url: RFC6749_51,
        kinds: &["token", "introspect", "userinfo"],
        profiles: &[],
        check: Some(json_content_type),
    },
    Rule {
        id: "A-03",
        title: "Responses carrying tokens have Cache-Control: no-store",
        severity: Severity::Must,
        clause: "RFC 6749 §5.1; OIDC Core §3.1.3.3",
        url: RFC6749_51,
        kinds: &["token", "introspect"],
        profiles: &[],
        check: Some(no_store),
    },
    Rule {
        id: "A-04",
        title: "Responses carrying tokens have Pragma: no-cache",
        severity: Severity::Should,
        clause: "RFC 6749 §5.1 (dropped by OAuth 2.1; OIDF checks only no-store)",
        url: RFC6749_51,
        kinds: &["token"],
        profiles: &[],
        check: Some(pragma_no_cache),
    },
    Rule {
        id: "A-05",
        title: "Token endpoint errors are JSON with a registered `error` code",
        severity: Severity::Must,
        clause: "RFC 6749 §5.2",
        url: RFC6749_52,
        kinds: &["token"],
        profiles: &[],
        check: Some(registered_error),
    },
    Rule {
        id: "A-07",
        title: "A repeated request parameter is rejected with invalid_request",
        severity: Severity::Must,
        clause: "RFC 6749 §3.1, §3.2",
        url: "https://www.rfc-editor.org/rfc/rfc6749#section-3.2",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    asserted(
        "A-08",
        "A parameter sent without a value is treated as omitted, and an unknown parameter is ignored",
        Severity::Must,
        "RFC 6749 §3.1, §3.2",
        "https://www.rfc-editor.org/rfc/rfc6749#section-3.1",
    ),
];

/// Every URL the step requested (an authorization's login form post as well); for a
/// `plain_http` step, what the server did with plain http.
fn https_only(o: &Observation<'_>) -> Finding {
    if o.kind == "plain_http" {
        return plain_http::refused(o);
    }
    let requested = std::slice::from_ref(&o.request.url);
    let urls = if o.urls.is_empty() { requested } else { o.urls };
    let issuer = o.flow.issuer.as_deref();
    let mut plain: Vec<String> = urls
        .iter()
        .filter(|u| !channel::acceptable(u, issuer))
        .map(|u| channel::origin(u))
        .collect();
    plain.dedup();
    if !plain.is_empty() {
        return Finding::check(
            false,
            "https (plain http only on a loopback IP literal, and not from an https issuer)",
            format!("plain http to {}", plain.join(", ")),
        );
    }
    let loopback = urls
        .iter()
        .any(|u| channel::channel(u) == Channel::Loopback);
    Finding::check(
        true,
        "",
        if loopback {
            channel::LOOPBACK_NOTE
        } else {
            "https"
        },
    )
}

fn json_content_type(o: &Observation<'_>) -> Finding {
    if o.body.is_empty() {
        return Finding::NotApplicable;
    }
    let ct = o.header("content-type").unwrap_or("<absent>");
    let media = ct
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    Finding::check(
        media == "application/json" && o.json.is_some(),
        "application/json with a JSON body",
        ct,
    )
}

fn no_store(o: &Observation<'_>) -> Finding {
    if !o.is_success() || (o.kind == "token" && o.member("access_token").is_none()) {
        return Finding::NotApplicable;
    }
    cache_control_no_store(o)
}

/// `Cache-Control` carries the `no-store` directive (RFC 9111 §5.2.2.5).
pub(super) fn cache_control_no_store(o: &Observation<'_>) -> Finding {
    let cc = o.header("cache-control").unwrap_or("<absent>");
    let ok = cc
        .split(',')
        .any(|d| d.trim().eq_ignore_ascii_case("no-store"));
    Finding::check(ok, "Cache-Control: no-store", cc)
}

fn pragma_no_cache(o: &Observation<'_>) -> Finding {
    if !o.is_success() || o.member("access_token").is_none() {
        return Finding::NotApplicable;
    }
    let p = o.header("pragma").unwrap_or("<absent>");
    Finding::check(p.eq_ignore_ascii_case("no-cache"), "Pragma: no-cache", p)
}

fn registered_error(o: &Observation<'_>) -> Finding {
    if !(400..500).contains(&o.status) {
        return Finding::NotApplicable;
    }
    match o.member("error") {
        Some(serde_json::Value::String(e)) => Finding::check(
            TOKEN_ERRORS.contains(&e.as_str()),
            "a registered error code",
            format!("{e:?}"),
        ),
        Some(other) => Finding::check(false, "a registered error code", other.to_string()),
        None => Finding::check(
            false,
            "a JSON body with `error`",
            o.body.chars().take(120).collect::<String>(),
        ),
    }
}
