//! L. Revocation (RFC 7009).

use serde_json::Value;

use super::{Finding, Observation, Rule, Severity};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "L-01",
        title: "Revocation by an authenticated client answers 200, also for unknown or already revoked tokens",
        severity: Severity::Must,
        clause: "RFC 7009 §2.1, §2.2",
        url: "https://www.rfc-editor.org/rfc/rfc7009#section-2.2",
        kinds: &["revoke"],
        profiles: &[],
        check: Some(answers_200),
    },
    Rule {
        id: "L-03",
        title: "A revoked token is refused afterwards (userinfo 401, introspection inactive, refresh invalid_grant)",
        severity: Severity::Must,
        clause: "RFC 7009 §2, §2.1",
        url: "https://www.rfc-editor.org/rfc/rfc7009#section-2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "L-04",
        title: "Revoking a refresh token invalidates the access tokens of its grant",
        severity: Severity::Should,
        clause: "RFC 7009 §2.1",
        url: "https://www.rfc-editor.org/rfc/rfc7009#section-2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "L-05",
        title: "A client cannot revoke another client's token",
        severity: Severity::Must,
        clause: "RFC 7009 §2.1",
        url: "https://www.rfc-editor.org/rfc/rfc7009#section-2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
];

fn answers_200(o: &Observation<'_>) -> Finding {
    let client_error = matches!(
        o.member("error").and_then(Value::as_str),
        Some("invalid_client" | "invalid_request" | "unsupported_token_type")
    );
    if client_error || o.request.client_auth.as_deref() == Some("none") {
        return Finding::NotApplicable;
    }
    Finding::check(o.status == 200, "200", o.status.to_string())
}
