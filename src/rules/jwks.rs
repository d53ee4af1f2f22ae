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
        id: "C-04",
        title: "When signing and encryption keys are mixed, every key has `use`",
        severity: Severity::Must,
        clause: "OIDC Discovery §3 (jwks_uri)",
        url: "https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata",
        kinds: &["jwks"],
        profiles: &[],
        check: Some(uses),
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

/// What a key is for, from `use`, else `key_ops`, else `alg` (RFC 7517 §4.2-4.4; RFC 7518
/// §3.1, §4.1): `sig`, `enc`, or unknown.
fn purpose(key: &Value) -> Option<&'static str> {
    match key.get("use").and_then(Value::as_str) {
        Some("sig") => return Some("sig"),
        Some("enc") => return Some("enc"),
        _ => {}
    }
    if let Some(ops) = key.get("key_ops").and_then(Value::as_array) {
        let ops: Vec<&str> = ops.iter().filter_map(Value::as_str).collect();
        if ops.iter().any(|o| matches!(*o, "sign" | "verify")) {
            return Some("sig");
        }
        if ops.iter().any(|o| {
            matches!(
                *o,
                "encrypt" | "decrypt" | "wrapKey" | "unwrapKey" | "deriveKey" | "deriveBits"
            )
        }) {
            return Some("enc");
        }
    }
    let alg = key.get("alg").and_then(Value::as_str)?;
    // Encryption first: RSA-OAEP and RSA1_5 share their first letters with RS256.
    if alg == "dir"
        || ["RSA", "ECDH-ES", "A1", "A2", "PBES2"]
            .iter()
            .any(|p| alg.starts_with(p))
    {
        Some("enc")
    } else if alg == "EdDSA" || ["RS", "PS", "ES", "HS"].iter().any(|p| alg.starts_with(p)) {
        Some("sig")
    } else {
        None
    }
}

fn uses(o: &Observation<'_>) -> Finding {
    let Some(keys) = keys(o) else {
        return Finding::NotApplicable;
    };
    let purposes: Vec<&str> = keys.iter().filter_map(purpose).collect();
    if !(purposes.contains(&"sig") && purposes.contains(&"enc")) {
        return Finding::NotApplicable;
    }
    let without: Vec<String> = keys
        .iter()
        .enumerate()
        .filter(|(_, k)| k.get("use").is_none())
        .map(|(i, k)| match k.get("kid").and_then(Value::as_str) {
            Some(kid) => format!("key {i} ({kid})"),
            None => format!("key {i}"),
        })
        .collect();
    Finding::check(
        without.is_empty(),
        "use on every key (signing and encryption keys are mixed)",
        if without.is_empty() {
            format!("{} keys, each with use", keys.len())
        } else {
            format!("without use: {}", without.join(", "))
        },
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rules::{FlowView, SentRequest};

    fn run(jwks: &Value) -> Finding {
        uses(&Observation::of_json(
            "jwks",
            &SentRequest::default(),
            200,
            jwks,
            &FlowView::default(),
        ))
    }

    #[test]
    fn mixed_purposes_need_use_on_every_key() {
        let sig = json!({ "kty": "RSA", "kid": "s", "use": "sig", "alg": "RS256" });
        let enc_by_alg = json!({ "kty": "RSA", "kid": "e", "alg": "RSA-OAEP" });
        let enc_by_ops = json!({ "kty": "RSA", "kid": "o", "key_ops": ["wrapKey"] });
        let signing_only = json!({ "kty": "RSA", "kid": "t", "alg": "PS256" });
        assert!(matches!(
            run(&json!({ "keys": [sig, enc_by_alg] })),
            Finding::Fail { .. }
        ));
        assert!(matches!(
            run(&json!({ "keys": [sig, enc_by_ops] })),
            Finding::Fail { .. }
        ));
        assert_eq!(
            run(&json!({ "keys": [sig, signing_only] })),
            Finding::NotApplicable
        );
        let both = json!({ "keys": [sig, { "kty": "RSA", "use": "enc" }] });
        assert!(matches!(run(&both), Finding::Pass { .. }));
    }
}
