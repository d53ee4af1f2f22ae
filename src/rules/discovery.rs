//! B. Discovery (OIDC Discovery 1.0, RFC 8414).

use serde_json::Value;

use super::{Finding, Observation, Rule, Severity};

const DISC_3: &str = "https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata";
const DISC_4: &str =
    "https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationResponse";

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "B-01",
        title: "The discovery document is served with 200 and parses as a JSON object",
        severity: Severity::Must,
        clause: "OIDC Discovery §4.1, §4.2",
        url: DISC_4,
        kinds: &["discovery"],
        profiles: &[],
        check: Some(parses),
    },
    Rule {
        id: "B-02",
        title: "`issuer` is byte-identical to the issuer the document was fetched for",
        severity: Severity::Must,
        clause: "OIDC Discovery §3, §4.3; RFC 8414 §3.3",
        url: "https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation",
        kinds: &["discovery"],
        profiles: &[],
        check: Some(issuer_matches),
    },
    Rule {
        id: "B-03",
        title: "The required members are present",
        severity: Severity::Must,
        clause: "OIDC Discovery §3",
        url: DISC_3,
        kinds: &["discovery"],
        profiles: &[],
        check: Some(required_members),
    },
    Rule {
        id: "B-04",
        title: "`id_token_signing_alg_values_supported` includes RS256",
        severity: Severity::Must,
        clause: "OIDC Discovery §3",
        url: DISC_3,
        kinds: &["discovery"],
        profiles: &[],
        check: Some(rs256_supported),
    },
    Rule {
        id: "B-05",
        title: "`userinfo_endpoint`, `scopes_supported` (with openid) and `claims_supported` are present",
        severity: Severity::Should,
        clause: "OIDC Discovery §3 (RECOMMENDED)",
        url: DISC_3,
        kinds: &["discovery"],
        profiles: &[],
        check: Some(recommended_members),
    },
    Rule {
        id: "B-06",
        title: "PKCE support is advertised with S256 in `code_challenge_methods_supported`",
        severity: Severity::Should,
        clause: "RFC 8414 §2; RFC 9700 §2.1.1",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-2.1.1",
        kinds: &["discovery"],
        profiles: &[],
        check: Some(pkce_advertised),
    },
    Rule {
        id: "B-07",
        title: "A private_key_jwt server lists it with its signing algorithms (never `none`)",
        severity: Severity::Must,
        clause: "OIDC Discovery §3; RFC 8414 §2",
        url: DISC_3,
        kinds: &["discovery"],
        profiles: &[],
        check: Some(auth_signing_algs),
    },
    Rule {
        id: "B-10",
        title: "Empty arrays are omitted, not sent as []",
        severity: Severity::Must,
        clause: "RFC 8414 §3.2",
        url: "https://www.rfc-editor.org/rfc/rfc8414#section-3.2",
        kinds: &["discovery"],
        profiles: &[],
        check: Some(no_empty_arrays),
    },
    Rule {
        id: "B-11",
        title: "Implicit or hybrid response types returning tokens in the front channel are not offered",
        severity: Severity::Should,
        clause: "RFC 9700 §2.1.2",
        url: "https://www.rfc-editor.org/rfc/rfc9700#section-2.1.2",
        kinds: &["discovery"],
        profiles: &[],
        check: Some(no_implicit),
    },
];

fn doc<'a>(o: &'a Observation<'_>) -> Option<&'a serde_json::Map<String, Value>> {
    o.json.and_then(Value::as_object)
}

fn parses(o: &Observation<'_>) -> Finding {
    Finding::check(
        o.status == 200 && doc(o).is_some(),
        "200 with a JSON object",
        format!(
            "{} {}",
            o.status,
            if doc(o).is_some() {
                "JSON object"
            } else {
                "not a JSON object"
            }
        ),
    )
}

fn issuer_matches(o: &Observation<'_>) -> Finding {
    let (Some(d), Some(expected)) = (doc(o), o.flow.issuer.as_deref()) else {
        return Finding::NotApplicable;
    };
    let actual = d
        .get("issuer")
        .map(Value::to_string)
        .unwrap_or_else(|| "<absent>".into());
    Finding::check(
        d.get("issuer").and_then(Value::as_str) == Some(expected),
        format!("{expected:?}"),
        actual,
    )
}

fn missing(d: &serde_json::Map<String, Value>, names: &[&str]) -> Vec<String> {
    names
        .iter()
        .filter(|n| !d.contains_key(**n))
        .map(|n| (*n).to_string())
        .collect()
}

fn required_members(o: &Observation<'_>) -> Finding {
    let Some(d) = doc(o) else {
        return Finding::NotApplicable;
    };
    let absent = missing(
        d,
        &[
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "response_types_supported",
            "subject_types_supported",
            "id_token_signing_alg_values_supported",
        ],
    );
    Finding::check(
        absent.is_empty(),
        "every required member",
        if absent.is_empty() {
            "all present".into()
        } else {
            format!("missing {}", absent.join(", "))
        },
    )
}

fn contains(v: Option<&Value>, item: &str) -> bool {
    v.and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|x| x == item))
}

fn rs256_supported(o: &Observation<'_>) -> Finding {
    let Some(d) = doc(o) else {
        return Finding::NotApplicable;
    };
    let v = d.get("id_token_signing_alg_values_supported");
    Finding::check(
        contains(v, "RS256"),
        "a list with RS256",
        v.map(Value::to_string).unwrap_or_else(|| "<absent>".into()),
    )
}

fn recommended_members(o: &Observation<'_>) -> Finding {
    let Some(d) = doc(o) else {
        return Finding::NotApplicable;
    };
    let mut absent = missing(
        d,
        &["userinfo_endpoint", "scopes_supported", "claims_supported"],
    );
    if d.contains_key("scopes_supported") && !contains(d.get("scopes_supported"), "openid") {
        absent.push("openid in scopes_supported".into());
    }
    Finding::check(
        absent.is_empty(),
        "userinfo_endpoint, scopes_supported with openid, claims_supported",
        if absent.is_empty() {
            "present".into()
        } else {
            format!("missing {}", absent.join(", "))
        },
    )
}

fn pkce_advertised(o: &Observation<'_>) -> Finding {
    let Some(d) = doc(o) else {
        return Finding::NotApplicable;
    };
    let v = d.get("code_challenge_methods_supported");
    Finding::check(
        contains(v, "S256"),
        "a list with S256",
        v.map(Value::to_string).unwrap_or_else(|| "<absent>".into()),
    )
}

fn auth_signing_algs(o: &Observation<'_>) -> Finding {
    let Some(d) = doc(o) else {
        return Finding::NotApplicable;
    };
    if !contains(
        d.get("token_endpoint_auth_methods_supported"),
        "private_key_jwt",
    ) {
        return Finding::NotApplicable;
    }
    let algs = d.get("token_endpoint_auth_signing_alg_values_supported");
    let ok = algs
        .and_then(Value::as_array)
        .is_some_and(|a| !a.is_empty() && !a.iter().any(|x| x == "none"));
    Finding::check(
        ok,
        "token_endpoint_auth_signing_alg_values_supported without none",
        algs.map(Value::to_string)
            .unwrap_or_else(|| "<absent>".into()),
    )
}

fn no_empty_arrays(o: &Observation<'_>) -> Finding {
    let Some(d) = doc(o) else {
        return Finding::NotApplicable;
    };
    let empty: Vec<&str> = d
        .iter()
        .filter(|(_, v)| v.as_array().is_some_and(Vec::is_empty))
        .map(|(k, _)| k.as_str())
        .collect();
    Finding::check(
        empty.is_empty(),
        "no empty array",
        if empty.is_empty() {
            "none".into()
        } else {
            format!("empty: {}", empty.join(", "))
        },
    )
}

fn no_implicit(o: &Observation<'_>) -> Finding {
    let Some(d) = doc(o) else {
        return Finding::NotApplicable;
    };
    let Some(types) = d.get("response_types_supported").and_then(Value::as_array) else {
        return Finding::NotApplicable;
    };
    let front: Vec<String> = types
        .iter()
        .filter_map(Value::as_str)
        .filter(|t| t.split(' ').any(|p| p == "token" || p == "id_token"))
        .map(str::to_string)
        .collect();
    Finding::check(
        front.is_empty(),
        "code only",
        if front.is_empty() {
            "code only".into()
        } else {
            front.join(", ")
        },
    )
}
