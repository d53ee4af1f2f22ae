//! L. Revocation (RFC 7009).

use serde_json::Value;

use super::{Finding, Observation, Rule, Severity};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "L-01",
        title: "Revocation by an authenticated client answers 200, also for a token the server does not know",
        severity: Severity::Must,
        clause: "RFC 7009 §2.1, §2.2",
        url: RFC7009_22,
        kinds: &["revoke"],
        profiles: &[],
        check: Some(answers_200),
    },
    Rule {
        id: "L-02",
        title: "Revoking an already revoked or a malformed token answers 200, not an error",
        severity: Severity::Must,
        clause: "RFC 7009 §2.2",
        url: RFC7009_22,
        kinds: &[],
        profiles: &[],
        check: None,
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
    Rule {
        id: "L-06",
        title: "A revocation without `token` gives 400 invalid_request; a token type the server cannot revoke, 400 unsupported_token_type",
        severity: Severity::Must,
        clause: "RFC 7009 §2.2.1",
        url: "https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1",
        kinds: &["revoke"],
        profiles: &[],
        check: Some(request_errors),
    },
    Rule {
        id: "L-07",
        title: "An unknown token_type_hint does not stop the search: the token is revoked and the answer is 200",
        severity: Severity::Must,
        clause: "RFC 7009 §2.1, §2.2",
        url: "https://www.rfc-editor.org/rfc/rfc7009#section-2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "L-08",
        title: "Revocation with bad client credentials is refused with 401 invalid_client",
        severity: Severity::Must,
        clause: "RFC 7009 §2.2.1; RFC 6749 §5.2",
        url: "https://www.rfc-editor.org/rfc/rfc7009#section-2.2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "L-09",
        title: "Refresh-token revocation is supported and takes effect (MUST); access-token revocation is recorded where a step grades it `should`",
        severity: Severity::Must,
        clause: "RFC 7009 §2",
        url: "https://www.rfc-editor.org/rfc/rfc7009#section-2",
        kinds: &[],
        profiles: &[],
        check: None,
    },
];

const RFC7009_22: &str = "https://www.rfc-editor.org/rfc/rfc7009#section-2.2";

fn answers_200(o: &Observation<'_>) -> Finding {
    let client_error = matches!(
        o.member("error").and_then(Value::as_str),
        Some("invalid_client" | "invalid_request" | "unsupported_token_type")
    );
    // Without a token there is nothing to revoke: L-06 judges that request.
    if client_error
        || o.request.client_auth.as_deref() == Some("none")
        || o.request.param("token").is_none()
    {
        return Finding::NotApplicable;
    }
    Finding::check(o.status == 200, "200", o.status.to_string())
}

/// RFC 7009 §2.2.1: the request errors of revocation. A failed client authentication is
/// answered first and judged elsewhere (L-08).
fn request_errors(o: &Observation<'_>) -> Finding {
    let error = o.member("error").and_then(Value::as_str);
    if error == Some("invalid_client") {
        return Finding::NotApplicable;
    }
    let actual = format!("{} {}", o.status, error.unwrap_or("<no error>"));
    if o.request.param("token").is_none() {
        let ok = o.status == 400 && error == Some("invalid_request");
        return Finding::check(ok, "400 invalid_request (no token)", actual);
    }
    if error == Some("unsupported_token_type") {
        return Finding::check(o.status == 400, "400 unsupported_token_type", actual);
    }
    // An authenticated client revoking its own live token: refusing it can only be about the
    // token's type (an unknown, revoked or malformed token gets 200, L-01/L-02). A 401, or a
    // request without client authentication, is about the client (L-08), not the token.
    if let Some(kind) = o.flow.own_token_type
        && (400..500).contains(&o.status)
        && o.status != 401
        && o.request.client_auth.as_deref() != Some("none")
    {
        return Finding::Fail {
            expected: format!(
                "200, or 400 unsupported_token_type if the server does not revoke this type ({kind})"
            ),
            actual,
        };
    }
    Finding::NotApplicable
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::{FlowView, SentRequest};
    use super::*;

    fn observe(form: &[(&str, &str)], status: u16, body: &Value) -> Finding {
        observe_token(form, None, status, body)
    }

    /// The same, revoking the flow's own live token of `own` type when `Some`.
    fn observe_token(
        form: &[(&str, &str)],
        own: Option<&'static str>,
        status: u16,
        body: &Value,
    ) -> Finding {
        let request = SentRequest {
            form: form
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            client_auth: Some("client_secret_basic".into()),
            ..SentRequest::default()
        };
        let flow = FlowView {
            own_token_type: own,
            ..FlowView::default()
        };
        request_errors(&Observation::of_json(
            "revoke", &request, status, body, &flow,
        ))
    }

    #[test]
    fn refusing_to_revoke_an_own_live_token_must_say_unsupported_token_type() {
        let token = [("token", "t")];
        let own = Some("access_token");
        let unsupported = json!({ "error": "unsupported_token_type" });
        assert!(matches!(
            observe_token(&token, own, 400, &unsupported),
            Finding::Pass { .. }
        ));
        let invalid_request = json!({ "error": "invalid_request" });
        let Finding::Fail { expected, actual } = observe_token(&token, own, 400, &invalid_request)
        else {
            panic!("a refusal with invalid_request fails");
        };
        assert!(expected.contains("unsupported_token_type"), "{expected}");
        assert_eq!(actual, "400 invalid_request");
        assert!(matches!(
            observe_token(&token, own, 403, &json!({})),
            Finding::Fail { .. }
        ));
        assert_eq!(
            observe_token(&token, own, 200, &json!({})),
            Finding::NotApplicable
        );
        // Another client's token, or one the flow already revoked: refused for other reasons.
        assert_eq!(
            observe_token(&token, None, 400, &invalid_request),
            Finding::NotApplicable
        );
        let client = json!({ "error": "invalid_client" });
        assert_eq!(
            observe_token(&token, own, 401, &client),
            Finding::NotApplicable
        );
        // A 401 without a body is about the client too (L-08 judges it).
        assert_eq!(
            observe_token(&token, own, 401, &json!({})),
            Finding::NotApplicable
        );
    }

    #[test]
    fn a_missing_token_is_invalid_request_and_an_unsupported_type_is_400() {
        let invalid_request = json!({ "error": "invalid_request" });
        assert!(matches!(
            observe(&[], 400, &invalid_request),
            Finding::Pass { .. }
        ));
        assert!(matches!(
            observe(&[], 200, &json!({})),
            Finding::Fail { .. }
        ));
        let unsupported = json!({ "error": "unsupported_token_type" });
        assert!(matches!(
            observe(&[("token", "t")], 400, &unsupported),
            Finding::Pass { .. }
        ));
        assert!(matches!(
            observe(&[("token", "t")], 503, &unsupported),
            Finding::Fail { .. }
        ));
        assert_eq!(
            observe(&[("token", "t")], 200, &json!({})),
            Finding::NotApplicable
        );
        let client = json!({ "error": "invalid_client" });
        assert_eq!(observe(&[], 401, &client), Finding::NotApplicable);
    }
}
