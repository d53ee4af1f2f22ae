//! C. The key set at `jwks_uri`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::{Finding, Observation, Rule, Severity};

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "C-01",
        title: "The key set is JSON with `keys`; every key has `kty`, RSA keys `n` and `e`",
        severity: Severity::Must,
        clause: "RFC 7517 §4, §5; RFC 7518 §6.3.1",
        url: "https://www.rfc-editor.org/rfc/rfc7517#section-5",
        kinds: &["jwks"],
        profiles: &[],
        check: Some(well_formed),
    },
    Rule {
        id: "C-02",
        title: "No private key member (d, p, q, dp, dq, qi, oth, k) is published",
        severity: Severity::Must,
        clause: "RFC 7518 §6.3.2, §6.4",
        url: "https://www.rfc-editor.org/rfc/rfc7518#section-6.3.2",
        kinds: &["jwks"],
        profiles: &[],
        check: Some(public_only),
    },
    Rule {
        id: "C-03",
        title: "With several keys, each key has a `kid`",
        severity: Severity::Must,
        clause: "OIDC Core §10.1",
        url: "https://openid.net/specs/openid-connect-core-1_0.html#Signing",
        kinds: &["jwks"],
        profiles: &[],
        check: Some(kids),
    },
    Rule {
        id: "C-05",
        title: "RSA moduli are at least 2048 bits",
        severity: Severity::Must,
        clause: "RFC 7518 §3.3",
        url: "https://www.rfc-editor.org/rfc/rfc7518#section-3.3",
        kinds: &["jwks"],
        profiles: &[],
        check: Some(modulus_size),
    },
];

fn keys<'a>(o: &'a Observation<'_>) -> Option<&'a Vec<Value>> {
    o.json.and_then(|j| j.get("keys")).and_then(Value::as_array)
}

fn well_formed(o: &Observation<'_>) -> Finding {
    let Some(keys) = keys(o) else {
        return Finding::check(
            false,
            "a JSON object with a `keys` array",
            format!("status {}", o.status),
        );
    };
    let bad: Vec<String> = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| {
            k.get("kty").is_none()
                || (k["kty"] == "RSA" && (k.get("n").is_none() || k.get("e").is_none()))
        })
        .map(|(i, _)| format!("key {i}"))
        .collect();
    Finding::check(
        bad.is_empty(),
        "kty on every key, n and e on RSA keys",
        if bad.is_empty() {
            format!("{} keys", keys.len())
        } else {
            format!("incomplete: {}", bad.join(", "))
        },
    )
}

fn public_only(o: &Observation<'_>) -> Finding {
    let Some(keys) = keys(o) else {
        return Finding::NotApplicable;
    };
    let private: Vec<&str> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]
        .into_iter()
        .filter(|m| keys.iter().any(|k| k.get(*m).is_some()))
        .collect();
    Finding::check(
        private.is_empty(),
        "public members only",
        if private.is_empty() {
            "public only".into()
        } else {
            format!("private members published: {}", private.join(", "))
        },
    )
}

fn kids(o: &Observation<'_>) -> Finding {
    let Some(keys) = keys(o) else {
        return Finding::NotApplicable;
    };
    if keys.len() < 2 {
        return Finding::NotApplicable;
    }
    let without = keys.iter().filter(|k| k.get("kid").is_none()).count();
    Finding::check(
        without == 0,
        "a kid on every key",
        format!("{without} of {} keys without kid", keys.len()),
    )
}

fn modulus_size(o: &Observation<'_>) -> Finding {
    let Some(keys) = keys(o) else {
        return Finding::NotApplicable;
    };
    let sizes: Vec<usize> = keys
        .iter()
        .filter(|k| k["kty"] == "RSA")
        .filter_map(|k| k.get("n").and_then(Value::as_str))
        .filter_map(|n| URL_SAFE_NO_PAD.decode(n.trim_end_matches('=')).ok())
        .map(|b| b.iter().skip_while(|x| **x == 0).count() * 8)
        .collect();
    if sizes.is_empty() {
        return Finding::NotApplicable;
    }
    let smallest = sizes.iter().copied().min().unwrap_or_default();
    Finding::check(smallest >= 2048, ">= 2048 bits", format!("{smallest} bits"))
}
