//! E, G, H-02, M. The token endpoint: the code and client_credentials grants, client
//! authentication by secret, the documented response shapes, and PKCE. Client assertions are
//! in `client_assertion.rs`, refresh in `refresh.rs`.

use serde_json::Value;

use super::catalogue::asserted;
use super::{Finding, Observation, Rule, Severity};

const RFC6749_51: &str = "https://www.rfc-editor.org/rfc/rfc6749#section-5.1";
const BYTEL_DOC: &str = "https://developer.bouyguestelecom.fr/docs/authentication";

pub(super) const RULES: &[Rule] = &[
    asserted(
        "E-01",
        "The code exchange with its parameters in the form body and HTTP Basic client authentication gives tokens",
        Severity::Must,
        "RFC 6749 §4.1.3, §2.3.1",
        "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3",
    ),
    Rule {
        id: "E-02",
        title: "A token response has access_token, token_type Bearer, a positive numeric expires_in, and an id_token when openid was granted",
        severity: Severity::Must,
        clause: "RFC 6749 §5.1; OIDC Core §3.1.3.3",
        url: RFC6749_51,
        kinds: &["token"],
        profiles: &[],
        check: Some(token_response_members),
    },
    Rule {
        id: "E-03",
        title: "The consumer token response has the documented shape: at-… token, expires_in 3600, refresh_credit ≥ 0, scope",
        severity: Severity::Must,
        clause: "Bouygues Telecom documentation (User login, App credentials)",
        url: BYTEL_DOC,
        kinds: &["token"],
        profiles: &["bouygues"],
        check: Some(consumer_shape),
    },
    asserted(
        "E-05",
        "Client credentials in the query string are rejected",
        Severity::Must,
        "RFC 6749 §2.3.1",
        "https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1",
    ),
    asserted(
        "E-06",
        "Two client authentication methods at once are rejected",
        Severity::Must,
        "RFC 6749 §2.3",
        "https://www.rfc-editor.org/rfc/rfc6749#section-2.3",
    ),
    asserted(
        "E-07",
        "A reused authorization code gives invalid_grant",
        Severity::Must,
        "RFC 6749 §4.1.2, §10.5",
        "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2",
    ),
    asserted(
        "E-08",
        "An expired authorization code gives invalid_grant",
        Severity::Must,
        "RFC 6749 §4.1.2",
        "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2",
    ),
    asserted(
        "E-09",
        "A missing or different redirect_uri gives invalid_grant",
        Severity::Must,
        "RFC 6749 §4.1.3",
        "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3",
    ),
    asserted(
        "E-10",
        "A code issued to one client cannot be redeemed by another",
        Severity::Must,
        "RFC 6749 §4.1.3",
        "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3",
    ),
    Rule {
        id: "E-11",
        title: "A failed Basic client authentication answers 401 invalid_client with WWW-Authenticate: Basic",
        severity: Severity::Must,
        clause: "RFC 6749 §5.2",
        url: "https://www.rfc-editor.org/rfc/rfc6749#section-5.2",
        kinds: &["token", "introspect", "revoke"],
        profiles: &[],
        check: Some(basic_challenge),
    },
    asserted(
        "E-13",
        "A missing grant_type gives invalid_request; an unknown one unsupported_grant_type; one the client may not use unauthorized_client",
        Severity::Must,
        "RFC 6749 §5.2",
        "https://www.rfc-editor.org/rfc/rfc6749#section-5.2",
    ),
    asserted(
        "E-14",
        "A GET on the token endpoint gives 405 or 400, never a token",
        Severity::Should,
        "RFC 6749 §3.2",
        "https://www.rfc-editor.org/rfc/rfc6749#section-3.2",
    ),
    asserted(
        "G-01",
        "client_credentials with client authentication gives an access token",
        Severity::Must,
        "RFC 6749 §4.4.2, §4.4.3",
        "https://www.rfc-editor.org/rfc/rfc6749#section-4.4",
    ),
    Rule {
        id: "G-02",
        title: "A client_credentials response carries no refresh_token",
        severity: Severity::Should,
        clause: "RFC 6749 §4.4.3",
        url: "https://www.rfc-editor.org/rfc/rfc6749#section-4.4.3",
        kinds: &["token"],
        profiles: &[],
        check: Some(no_refresh_for_client_credentials),
    },
    asserted(
        "G-04",
        "An unknown or unauthorised scope gives invalid_scope",
        Severity::Must,
        "RFC 6749 §3.3, §5.2",
        "https://www.rfc-editor.org/rfc/rfc6749#section-3.3",
    ),
    asserted(
        "G-05",
        "A request without client authentication gives invalid_client",
        Severity::Must,
        "RFC 6749 §4.4.2, §5.2",
        "https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2",
    ),
    asserted(
        "G-06",
        "Client ids and secrets are form-urldecoded from the Basic header",
        Severity::Must,
        "RFC 6749 §2.3.1",
        "https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1",
    ),
    asserted(
        "G-08",
        "A client_credentials access token works at a protected resource, and a revoked, expired or forged one is refused with 401 invalid_token (a refused valid token is only recorded: the resource's own policy decides)",
        Severity::Must,
        "RFC 6750 §3.1; RFC 7009 §2",
        "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
    ),
    Rule {
        id: "H-02",
        title: "The certificate flow's response has the documented shape: JWT access token, expires_in 300, refresh_expires_in, not-before-policy",
        severity: Severity::Must,
        clause: "Bouygues Telecom documentation (App credentials with certificate)",
        url: BYTEL_DOC,
        kinds: &["token"],
        profiles: &["bouygues"],
        check: Some(certificate_shape),
    },
    asserted(
        "M-01",
        "An S256 challenge and the right verifier give tokens",
        Severity::Must,
        "RFC 7636 §4.2, §4.6",
        "https://www.rfc-editor.org/rfc/rfc7636#section-4.6",
    ),
    asserted(
        "M-02",
        "A challenge without its verifier gives invalid_grant",
        Severity::Must,
        "RFC 9700 §2.1.1; RFC 7636 §4.6",
        "https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1",
    ),
    asserted(
        "M-03",
        "A wrong verifier gives invalid_grant",
        Severity::Must,
        "RFC 7636 §4.6",
        "https://www.rfc-editor.org/rfc/rfc7636#section-4.6",
    ),
    asserted(
        "M-04",
        "A verifier without a challenge (downgrade) is rejected",
        Severity::Must,
        "RFC 9700 §2.1.1, §4.8",
        "https://www.rfc-editor.org/rfc/rfc9700#section-4.8",
    ),
    asserted(
        "M-05",
        "A malformed code_verifier (under 43 or over 128 characters, or outside the unreserved ones) is refused (RFC 7636 binds the client; Keycloak refuses)",
        Severity::Should,
        "RFC 7636 §4.1",
        "https://www.rfc-editor.org/rfc/rfc7636#section-4.1",
    ),
    asserted(
        "M-07",
        "A challenge sent without a method is `plain`: the verifier equal to it gives tokens",
        Severity::Must,
        "RFC 7636 §4.3",
        "https://www.rfc-editor.org/rfc/rfc7636#section-4.3",
    ),
    asserted(
        "M-08",
        "A public client without PKCE is refused",
        Severity::Must,
        "RFC 9700 §2.1.1",
        "https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1",
    ),
];

fn success_with_token(o: &Observation<'_>) -> bool {
    o.is_success() && o.json.is_some()
}

fn token_response_members(o: &Observation<'_>) -> Finding {
    if !o.is_success() {
        return Finding::NotApplicable;
    }
    let mut problems = Vec::new();
    if !o.member("access_token").is_some_and(Value::is_string) {
        problems.push("no access_token string".to_string());
    }
    match o.member("token_type").and_then(Value::as_str) {
        Some(t) if t.eq_ignore_ascii_case("bearer") || t.eq_ignore_ascii_case("dpop") => {}
        Some(t) => problems.push(format!("token_type {t:?}")),
        None => problems.push("no token_type".into()),
    }
    if let Some(e) = o.member("expires_in")
        && !e.as_f64().is_some_and(|n| n > 0.0)
    {
        problems.push(format!("expires_in {e}"));
    }
    if o.request.param("grant_type") == Some("authorization_code")
        && o.flow.openid
        && o.member("id_token").is_none()
    {
        problems.push("no id_token although openid was asked".into());
    }
    Finding::check(
        problems.is_empty(),
        "access_token, token_type Bearer, expires_in > 0, id_token for openid",
        if problems.is_empty() {
            "complete".into()
        } else {
            problems.join("; ")
        },
    )
}

fn is_certificate_style(o: &Observation<'_>) -> bool {
    matches!(
        o.request.client_auth.as_deref(),
        Some("private_key_jwt" | "basic_and_assertion")
    )
}

fn consumer_shape(o: &Observation<'_>) -> Finding {
    if !success_with_token(o) || is_certificate_style(o) {
        return Finding::NotApplicable;
    }
    let mut problems = Vec::new();
    if !o
        .member("access_token")
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with("at-"))
    {
        problems.push("access_token is not at-…".to_string());
    }
    if o.member("expires_in").and_then(Value::as_f64) != Some(3600.0) {
        problems.push(format!(
            "expires_in {}",
            o.member("expires_in")
                .map(Value::to_string)
                .unwrap_or_else(|| "<absent>".into())
        ));
    }
    if o.member("refresh_credit").and_then(Value::as_u64).is_none() {
        problems.push("refresh_credit is not an integer ≥ 0".into());
    }
    if !o.member("scope").is_some_and(Value::is_string) {
        problems.push("no scope".into());
    }
    Finding::check(
        problems.is_empty(),
        "at-…, 3600, refresh_credit, scope",
        if problems.is_empty() {
            "as documented".into()
        } else {
            problems.join("; ")
        },
    )
}

fn certificate_shape(o: &Observation<'_>) -> Finding {
    if !success_with_token(o) || !is_certificate_style(o) {
        return Finding::NotApplicable;
    }
    let mut problems = Vec::new();
    if o.member("access_token")
        .and_then(Value::as_str)
        .and_then(crate::oauth::decode_unverified)
        .is_none()
    {
        problems.push("access_token is not a JWT".to_string());
    }
    if o.member("expires_in").and_then(Value::as_f64) != Some(300.0) {
        problems.push(format!(
            "expires_in {}",
            o.member("expires_in")
                .map(Value::to_string)
                .unwrap_or_else(|| "<absent>".into())
        ));
    }
    for member in ["refresh_expires_in", "not-before-policy"] {
        if !o.member(member).is_some_and(Value::is_number) {
            problems.push(format!("no {member}"));
        }
    }
    Finding::check(
        problems.is_empty(),
        "JWT access token, 300, refresh_expires_in, not-before-policy",
        if problems.is_empty() {
            "as documented".into()
        } else {
            problems.join("; ")
        },
    )
}

fn basic_challenge(o: &Observation<'_>) -> Finding {
    let invalid_client = o.member("error").and_then(Value::as_str) == Some("invalid_client");
    if o.request.client_auth.as_deref() != Some("client_secret_basic") || !invalid_client {
        return Finding::NotApplicable;
    }
    let challenge = o.header("www-authenticate").unwrap_or("<absent>");
    let ok = o.status == 401 && challenge.to_ascii_lowercase().starts_with("basic");
    Finding::check(
        ok,
        "401 with WWW-Authenticate: Basic",
        format!("{} with WWW-Authenticate: {challenge}", o.status),
    )
}

fn no_refresh_for_client_credentials(o: &Observation<'_>) -> Finding {
    if !o.is_success() || o.request.param("grant_type") != Some("client_credentials") {
        return Finding::NotApplicable;
    }
    Finding::check(
        o.member("refresh_token").is_none(),
        "no refresh_token",
        if o.member("refresh_token").is_some() {
            "a refresh_token"
        } else {
            "none"
        },
    )
}
