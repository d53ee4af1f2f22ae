//! J. UserInfo (OIDC Core §5.3; RFC 6750).

use serde_json::Value;

use super::{Finding, Observation, Rule, Severity};

const USERINFO: &str = "https://openid.net/specs/openid-connect-core-1_0.html#UserInfoRequest";

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "J-01",
        title: "UserInfo answers GET with a Bearer header with 200 JSON",
        severity: Severity::Must,
        clause: "OIDC Core §5.3.1",
        url: USERINFO,
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "J-02",
        title: "UserInfo answers POST with a Bearer header with 200 JSON (the documented route)",
        severity: Severity::Must,
        clause: "OIDC Core §5.3.1",
        url: USERINFO,
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "J-03",
        title: "UserInfo accepts the access token as a form-body parameter of a POST",
        severity: Severity::Should,
        clause: "RFC 6750 §2.2",
        url: "https://www.rfc-editor.org/rfc/rfc6750#section-2.2",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "J-04",
        title: "UserInfo refuses an access token in the query string",
        severity: Severity::Should,
        clause: "RFC 6750 §2.3; RFC 9700 §4.3.2",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-4.3.2",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "J-05",
        title: "UserInfo refuses a token sent both in the Authorization header and in the body with 400 invalid_request",
        severity: Severity::Must,
        clause: "RFC 6750 §2, §3.1",
        url: "https://www.rfc-editor.org/rfc/rfc6750#section-2",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "J-06",
        title: "UserInfo `sub` equals the ID token's `sub`",
        severity: Severity::Must,
        clause: "OIDC Core §5.3.2",
        url: "https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse",
        kinds: &["userinfo"],
        profiles: &[],
        check: Some(same_subject),
    },
    Rule {
        id: "J-07",
        title: "The UserInfo payload has the documented members and types",
        severity: Severity::Must,
        clause: "Bouygues Telecom documentation (User info)",
        url: "https://developer.bouyguestelecom.fr/docs/authentication",
        kinds: &["userinfo"],
        profiles: &["bouygues"],
        check: Some(documented_payload),
    },
    Rule {
        id: "J-08",
        title: "UserInfo releases the name claims for a token granted `profile`, and none for a token not granted it",
        severity: Severity::Should,
        clause: "OIDC Core §5.4",
        url: "https://openid.net/specs/openid-connect-core-1_0.html#ScopeClaims",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "J-09",
        title: "A request without a token gets 401 with WWW-Authenticate: Bearer and no error code",
        severity: Severity::Must,
        clause: "RFC 6750 §3, §3.1",
        url: "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "J-10",
        title: "An invalid, expired or revoked token gets 401 with WWW-Authenticate error=\"invalid_token\"",
        severity: Severity::Must,
        clause: "RFC 6750 §3.1; OIDC Core §5.3.3",
        url: "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
        kinds: &["userinfo"],
        profiles: &[],
        check: Some(invalid_token_challenge),
    },
    Rule {
        id: "J-11",
        title: "A client_credentials token (no user) gets 401 or 403, not a profile",
        severity: Severity::Should,
        clause: "OIDC Core §5.3",
        url: "https://openid.net/specs/openid-connect-core-1_0.html#UserInfo",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "J-12",
        title: "A user's token not granted `openid` gets 403 insufficient_scope at UserInfo",
        severity: Severity::Should,
        clause: "RFC 6750 §3.1; OIDC Core §5.3",
        url: "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "J-13",
        title: "UserInfo answers application/json, not a JWT, to a client that registered no signed or encrypted UserInfo response",
        severity: Severity::Must,
        clause: "OIDC Core §5.3.2",
        url: "https://openid.net/specs/openid-connect-core-1_0.html#UserInfoResponse",
        kinds: &[],
        profiles: &[],
        check: None,
    },
];

fn same_subject(o: &Observation<'_>) -> Finding {
    let (true, Some(expected)) = (o.is_success(), o.flow.id_token_sub.as_deref()) else {
        return Finding::NotApplicable;
    };
    let got = o.member("sub");
    Finding::check(
        got.and_then(Value::as_str) == Some(expected),
        format!("{expected:?}"),
        got.map(Value::to_string)
            .unwrap_or_else(|| "<absent>".into()),
    )
}

fn documented_payload(o: &Observation<'_>) -> Finding {
    let Some(body) = o.json.filter(|_| o.is_success()) else {
        return Finding::NotApplicable;
    };
    let mut problems = Vec::new();
    let sub_ok = body
        .get("sub")
        .and_then(Value::as_str)
        .is_some_and(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()));
    if !sub_ok {
        problems.push("sub is not 64 hex characters".to_string());
    }
    for m in [
        "login_type",
        "given_name",
        "family_name",
        "name",
        "acr",
        "user_type",
        "partnerId",
    ] {
        if !body.get(m).is_some_and(Value::is_string) {
            problems.push(format!("{m} is not a string"));
        }
    }
    if !body.get("roles").is_some_and(Value::is_array) {
        problems.push("roles is not an array".into());
    }
    if !body.get("target_identity").is_some_and(Value::is_boolean) {
        problems.push("target_identity is not a boolean".into());
    }
    Finding::check(
        problems.is_empty(),
        "the documented payload",
        if problems.is_empty() {
            "as documented".into()
        } else {
            problems.join("; ")
        },
    )
}

fn invalid_token_challenge(o: &Observation<'_>) -> Finding {
    if o.status != 401 || o.flow.access_token.is_none() {
        return Finding::NotApplicable;
    }
    let challenge = o.header("www-authenticate").unwrap_or("<absent>");
    let ok =
        challenge.to_ascii_lowercase().starts_with("bearer") && challenge.contains("invalid_token");
    Finding::check(ok, "Bearer error=\"invalid_token\"", challenge)
}
