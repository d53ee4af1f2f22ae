//! D. The authorization endpoint (code flow with a user login).

use super::{Finding, Observation, Rule, Severity};

const RFC6749_412: &str = "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2";

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "D-01",
        title: "A successful authorization redirects to the redirect_uri with a code",
        severity: Severity::Must,
        clause: "RFC 6749 §4.1.2; OIDC Core §3.1.2.5",
        url: RFC6749_412,
        kinds: &["authorize"],
        profiles: &[],
        check: Some(code_returned),
    },
    Rule {
        id: "D-02",
        title: "`state` is echoed exactly in the authorization response",
        severity: Severity::Must,
        clause: "RFC 6749 §4.1.2, §4.1.2.1",
        url: RFC6749_412,
        kinds: &["authorize"],
        profiles: &[],
        check: Some(state_echoed),
    },
    Rule {
        id: "D-04",
        title: "Authorization codes have the documented `ac-` shape",
        severity: Severity::Info,
        clause: "Bouygues Telecom documentation (User login)",
        url: "https://developer.bouyguestelecom.fr/docs/authentication",
        kinds: &["authorize"],
        profiles: &["bouygues"],
        check: Some(code_shape),
    },
    Rule {
        id: "D-05",
        title: "An unknown client or a redirect_uri not exactly registered gets an error page, never a redirect",
        severity: Severity::Must,
        clause: "RFC 6749 §3.1.2.4, §4.1.2.1; RFC 9700 §4.1.3",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-4.1.3",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "D-06",
        title: "A bad request from a valid client redirects with `error` and `state`",
        severity: Severity::Must,
        clause: "RFC 6749 §4.1.2.1; OIDC Core §3.1.2.6",
        url: "https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "D-07",
        title: "A `code_challenge_method` other than S256 or plain is refused with invalid_request",
        severity: Severity::Must,
        clause: "RFC 7636 §4.4.1",
        url: "https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "D-08",
        title: "`prompt=none` without a session returns login_required",
        severity: Severity::Must,
        clause: "OIDC Core §3.1.2.6",
        url: "https://openid.net/specs/openid-connect-core-1_0.html#AuthError",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "D-09",
        title: "The login page cannot be framed (X-Frame-Options or CSP frame-ancestors)",
        severity: Severity::Must,
        clause: "RFC 9700 §4.16; RFC 6749 §10.13",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-4.16",
        kinds: &["authorize"],
        profiles: &[],
        check: Some(not_framable),
    },
    Rule {
        id: "D-10",
        title: "The login page sends a restrictive Referrer-Policy",
        severity: Severity::Should,
        clause: "RFC 9700 §4.2.4",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-4.2.4",
        kinds: &["authorize"],
        profiles: &[],
        check: Some(referrer_policy),
    },
    Rule {
        id: "D-11",
        title: "Redirects in the authorization flow use 302 or 303, never 307",
        severity: Severity::Must,
        clause: "RFC 9700 §4.12",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-4.12",
        kinds: &["authorize"],
        profiles: &[],
        check: Some(no_307),
    },
    Rule {
        id: "D-12",
        title: "An http redirect_uri on a host that is not loopback is refused at authorization (at registration: N-11)",
        severity: Severity::Must,
        clause: "RFC 9700 §2.6",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-2.6",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "D-13",
        title: "When advertised, the authorization response's `iss` equals the issuer (its absence is B-12's)",
        severity: Severity::Must,
        clause: "RFC 9207 §2",
        url: "https://www.rfc-editor.org/rfc/rfc9207#section-2",
        kinds: &["authorize"],
        profiles: &[],
        check: Some(iss_returned),
    },
    Rule {
        id: "D-14",
        title: "The implicit grant (`response_type=token`, `id_token token`) is refused: no access token in the front channel",
        severity: Severity::Should,
        clause: "RFC 9700 §2.1.2",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-2.1.2",
        kinds: &[],
        profiles: &[],
        check: None,
    },
];

fn code_returned(o: &Observation<'_>) -> Finding {
    // A flow that stops on a page is judged by the scenario's own expectations (an error page is
    // the right answer to a bad request).
    let Some(r) = o.redirect else {
        return Finding::NotApplicable;
    };
    // Only the code flow returns a code; other response types are D-14's.
    let code_flow = o
        .request
        .param("response_type")
        .is_none_or(|t| t.split(' ').any(|p| p == "code"));
    if r.param("error").is_some() || !code_flow {
        return Finding::NotApplicable;
    }
    Finding::check(
        r.param("code").is_some_and(|c| !c.is_empty()),
        "a `code` parameter",
        if r.param("code").is_some() {
            "present"
        } else {
            "absent"
        },
    )
}

fn state_echoed(o: &Observation<'_>) -> Finding {
    let Some(r) = o.redirect else {
        return Finding::NotApplicable;
    };
    let Some(sent) = r.state_sent.as_deref() else {
        return Finding::NotApplicable;
    };
    let got = r.param("state");
    Finding::check(
        got == Some(sent),
        format!("state {sent:?}"),
        got.map(|g| format!("{g:?}"))
            .unwrap_or_else(|| "<absent>".into()),
    )
}

fn code_shape(o: &Observation<'_>) -> Finding {
    let Some(code) = o.redirect.and_then(|r| r.param("code")) else {
        return Finding::NotApplicable;
    };
    Finding::check(
        code.starts_with("ac-"),
        "ac-…",
        format!("{}…", code.chars().take(3).collect::<String>()),
    )
}

fn login_headers<'a>(o: &'a Observation<'_>) -> Option<&'a [(String, String)]> {
    o.redirect.and_then(|r| r.login_page_headers.as_deref())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn not_framable(o: &Observation<'_>) -> Finding {
    let Some(h) = login_headers(o) else {
        return Finding::NotApplicable;
    };
    let xfo = header(h, "x-frame-options").map(str::to_ascii_uppercase);
    let csp = header(h, "content-security-policy").unwrap_or_default();
    let ok =
        matches!(xfo.as_deref(), Some("DENY" | "SAMEORIGIN")) || csp.contains("frame-ancestors");
    Finding::check(
        ok,
        "X-Frame-Options DENY/SAMEORIGIN or CSP frame-ancestors",
        xfo.unwrap_or_else(|| "<no X-Frame-Options>".into()),
    )
}

fn referrer_policy(o: &Observation<'_>) -> Finding {
    let Some(h) = login_headers(o) else {
        return Finding::NotApplicable;
    };
    let rp = header(h, "referrer-policy").unwrap_or("<absent>");
    let ok = [
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "origin",
    ]
    .contains(&rp.trim());
    Finding::check(ok, "a restrictive Referrer-Policy", rp)
}

fn no_307(o: &Observation<'_>) -> Finding {
    let Some(r) = o.redirect else {
        return Finding::NotApplicable;
    };
    let bad: Vec<String> = r
        .chain
        .iter()
        .filter(|s| !matches!(**s, 302 | 303))
        .map(u16::to_string)
        .collect();
    Finding::check(
        bad.is_empty(),
        "302 or 303",
        if bad.is_empty() {
            format!("{:?}", r.chain)
        } else {
            bad.join(", ")
        },
    )
}

fn iss_returned(o: &Observation<'_>) -> Finding {
    let advertised = o
        .flow
        .metadata
        .as_ref()
        .and_then(|m| m.get("authorization_response_iss_parameter_supported"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let (Some(r), Some(issuer), true) = (o.redirect, o.flow.issuer.as_deref(), advertised) else {
        return Finding::NotApplicable;
    };
    // An absent `iss` is B-12's finding; this rule judges the value.
    let Some(got) = r.param("iss") else {
        return Finding::NotApplicable;
    };
    Finding::check(got == issuer, format!("{issuer:?}"), format!("{got:?}"))
}
