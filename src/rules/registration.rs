//! N. Dynamic client registration (RFC 7591 / 7592), for targets that offer it.

use super::{Finding, Observation, Rule, Severity};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "N-01",
        title: "Registration with valid metadata answers 201 with client_id, the secret and the registered metadata",
        severity: Severity::Must,
        clause: "RFC 7591 §3.1, §3.2.1",
        url: "https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "N-05",
        title: "Registration without the required initial access token is refused with 401",
        severity: Severity::Must,
        clause: "RFC 7591 §3",
        url: "https://www.rfc-editor.org/rfc/rfc7591#section-3",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "N-07",
        title: "A bad registration access token gets 401",
        severity: Severity::Must,
        clause: "RFC 7592 §2.1; RFC 6750 §3",
        url: "https://www.rfc-editor.org/rfc/rfc7592#section-2.1",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "N-11",
        title: "http redirect URIs on non-loopback hosts are refused at registration",
        severity: Severity::Must,
        clause: "RFC 9700 §2.6",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-2.6",
        kinds: &[],
        profiles: &[],
        check: None,
    },
    Rule {
        id: "N-10",
        title: "Registration responses carry Cache-Control: no-store",
        severity: Severity::Must,
        clause: "RFC 7591 §3.2.1",
        url: "https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1",
        kinds: &["http", "register"],
        profiles: &[],
        check: Some(no_store_on_registration),
    },
];

/// Applies to any response that hands out client credentials.
fn no_store_on_registration(o: &Observation<'_>) -> Finding {
    if !o.is_success() || o.member("registration_access_token").is_none() {
        return Finding::NotApplicable;
    }
    super::transport::cache_control_no_store(o)
}
