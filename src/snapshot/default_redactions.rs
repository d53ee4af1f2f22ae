//! What changes on every run is replaced before a response is snapshotted, each kind by its own
//! typed placeholder: credentials by their member name (`[access_token]`, `[code]`), times by
//! `[timestamp]`, per-token ids (`[jti]`, `[nonce]`), uuids by `[uuid]` and the issuer's URL by
//! `[issuer]`. JWTs are decoded first, so their volatile claims go through the same rules.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::jwt::{self, Jwt};

/// Members whose string values are credentials: never snapshotted, whatever their shape.
const CREDENTIALS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "code",
    "device_code",
    "user_code",
    "registration_access_token",
    "client_secret",
    "assertion",
    "client_assertion",
    "password",
    "logout_token",
    "issued_token",
    "subject_token",
    "actor_token",
    "token",
];

/// Members holding a point in time (RFC 7519 §4.1, OIDC Core §2, RFC 7591 §3.2.1). Zero is
/// kept: it means "never" (`client_secret_expires_at`).
const TIMESTAMPS: &[&str] = &[
    "iat",
    "exp",
    "nbf",
    "auth_time",
    "updated_at",
    "created_at",
    "issued_at",
    "expires_at",
    "client_id_issued_at",
    "client_secret_expires_at",
];

/// Members whose values are fresh random ids, with their placeholder.
const RANDOM_IDS: &[(&str, &str)] = &[
    ("jti", "[jti]"),
    ("sid", "[sid]"),
    ("nonce", "[nonce]"),
    ("session_state", "[session_state]"),
    ("at_hash", "[hash]"),
    ("c_hash", "[hash]"),
    ("s_hash", "[hash]"),
    ("request_uri", "[request_uri]"),
];

/// Members of a JWT header that name the signing key, with their placeholder (RFC 7515 §4.1).
const JWT_KEY_IDS: &[(&str, &str)] = &[
    ("kid", "[kid]"),
    ("x5t", "[thumbprint]"),
    ("x5t#S256", "[thumbprint]"),
];

static UUID: LazyLock<Regex> = LazyLock::new(|| {
    #[expect(
        clippy::expect_used,
        reason = "a constant pattern, checked by the tests"
    )]
    Regex::new(r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
        .expect("uuid pattern")
});

static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    #[expect(
        clippy::expect_used,
        reason = "a constant pattern, checked by the tests"
    )]
    Regex::new(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$")
        .expect("date-time pattern")
});

/// Applies every default rule to `value`, in place. `issuer` is the run's issuer, whose URL is
/// replaced wherever it appears (the embedded sandbox listens on a new port every run).
pub(crate) fn redact_defaults(value: &mut Value, issuer: Option<&str>) {
    let issuer = issuer
        .map(|i| i.trim_end_matches('/'))
        .filter(|i| i.len() >= 8);
    walk(value, None, issuer);
}

fn walk(value: &mut Value, member: Option<&str>, issuer: Option<&str>) {
    match value {
        Value::String(s) => {
            if let Some(jwt) = jwt::inspect(s) {
                *value = match jwt {
                    Jwt::Decoded(mut decoded) => {
                        redact_key_ids(&mut decoded);
                        walk(&mut decoded, None, issuer);
                        decoded
                    }
                    Jwt::Opaque(placeholder) => Value::String(placeholder.into()),
                };
            } else if let Some(placeholder) = member.and_then(member_placeholder) {
                *value = Value::String(placeholder);
            } else if member.is_some_and(is_timestamp)
                && (s.parse::<f64>().is_ok_and(|n| n != 0.0) || DATE_TIME.is_match(s))
            {
                *value = Value::String("[timestamp]".into());
            } else {
                *s = scrub(s, issuer);
            }
        }
        Value::Number(n) => {
            if member.is_some_and(is_timestamp) && n.as_f64().is_some_and(|n| n != 0.0) {
                *value = Value::String("[timestamp]".into());
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| walk(i, member, issuer)),
        Value::Object(map) => {
            // A registration response (RFC 7591 §3.2.1) carries a client_id the server just
            // made up, also inside `registration_client_uri`.
            let issued_client_id = map
                .contains_key("client_id_issued_at")
                .then(|| map.get("client_id").and_then(Value::as_str))
                .flatten()
                .filter(|id| id.len() >= 4)
                .map(str::to_string);
            for (key, v) in map.iter_mut() {
                walk(v, Some(key), issuer);
            }
            if let Some(id) = issued_client_id {
                map.values_mut()
                    .for_each(|v| replace_in_strings(v, &id, "[client_id]"));
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

/// Which key signed a token changes with every key rotation (and every start of the sandbox);
/// the snapshot keeps that there is one.
fn redact_key_ids(decoded: &mut Value) {
    if let Some(header) = decoded.get_mut("header").and_then(Value::as_object_mut) {
        for (member, placeholder) in JWT_KEY_IDS {
            if let Some(v) = header.get_mut(*member).filter(|v| v.is_string()) {
                *v = Value::String((*placeholder).into());
            }
        }
    }
}

fn replace_in_strings(value: &mut Value, needle: &str, placeholder: &str) {
    match value {
        Value::String(s) if s.contains(needle) => *s = s.replace(needle, placeholder),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| replace_in_strings(i, needle, placeholder)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|v| replace_in_strings(v, needle, placeholder)),
        _ => {}
    }
}

/// The placeholder for a string under `member`, when the member is a credential or a random id.
fn member_placeholder(member: &str) -> Option<String> {
    if CREDENTIALS.contains(&member) {
        return Some(format!("[{member}]"));
    }
    RANDOM_IDS
        .iter()
        .find(|(name, _)| *name == member)
        .map(|(_, placeholder)| (*placeholder).to_string())
}

fn is_timestamp(member: &str) -> bool {
    TIMESTAMPS.contains(&member)
}

/// Value rules for any string: the issuer's URL, uuids, date-times.
fn scrub(s: &str, issuer: Option<&str>) -> String {
    if DATE_TIME.is_match(s) {
        return "[timestamp]".into();
    }
    let mut out = match issuer {
        Some(issuer) if s.contains(issuer) => s.replace(issuer, "[issuer]"),
        _ => s.to_string(),
    };
    if UUID.is_match(&out) {
        out = UUID.replace_all(&out, "[uuid]").into_owned();
    }
    out
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    use super::*;

    fn redacted(mut v: Value) -> Value {
        redact_defaults(&mut v, Some("http://127.0.0.1:41234/"));
        v
    }

    #[test]
    fn credentials_get_typed_placeholders() {
        let v = redacted(json!({
            "access_token": "at-Xy12", "refresh_token": "rt-1", "token_type": "Bearer",
            "nested": [{"code": "ac-9"}], "expires_in": 3600, "code": 401,
        }));
        assert_eq!(
            v,
            json!({
                "access_token": "[access_token]", "refresh_token": "[refresh_token]",
                "token_type": "Bearer", "nested": [{"code": "[code]"}], "expires_in": 3600,
                "code": 401,
            })
        );
    }

    #[test]
    fn times_ids_uuids_and_the_issuer_are_replaced() {
        let v = redacted(json!({
            "iat": 1_763_000_000, "client_secret_expires_at": 0, "auth_time": "1763000000",
            "jti": "x", "request_id": "3f2c1a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6",
            "token_endpoint": "http://127.0.0.1:41234/token", "issuer": "http://127.0.0.1:41234",
            "created": "2026-11-22T18:45:00Z", "birthdate": "1990-01-01",
        }));
        assert_eq!(v["iat"], "[timestamp]");
        assert_eq!(v["client_secret_expires_at"], 0);
        assert_eq!(v["auth_time"], "[timestamp]");
        assert_eq!(v["jti"], "[jti]");
        assert_eq!(v["request_id"], "[uuid]");
        assert_eq!(v["token_endpoint"], "[issuer]/token");
        assert_eq!(v["issuer"], "[issuer]");
        assert_eq!(v["created"], "[timestamp]");
        assert_eq!(v["birthdate"], "1990-01-01");
    }

    #[test]
    fn a_client_id_the_server_issued_is_replaced_wherever_it_appears() {
        let v = redacted(json!({
            "client_id": "c-81f3a", "client_id_issued_at": 1_763_000_000,
            "registration_client_uri": "http://127.0.0.1:41234/register/c-81f3a",
            "client_name": "app",
        }));
        assert_eq!(v["client_id"], "[client_id]");
        assert_eq!(
            v["registration_client_uri"],
            "[issuer]/register/[client_id]"
        );
        assert_eq!(v["client_name"], "app");
        let configured = redacted(json!({"client_id": "my-consumer-key"}));
        assert_eq!(configured["client_id"], "my-consumer-key");
    }

    #[test]
    fn jwts_are_decoded_with_volatile_claims_redacted() {
        let b64 = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let token = format!(
            "{}.{}.c2ln",
            b64(json!({"alg": "RS256", "typ": "at+jwt", "kid": "sig-1"})),
            b64(
                json!({"iss": "http://127.0.0.1:41234", "sub": "app", "iat": 5, "exp": 6, "jti": "j"})
            ),
        );
        let v = redacted(json!({ "access_token": token }));
        assert_eq!(
            v,
            json!({"access_token": {
                "header": {"alg": "RS256", "typ": "at+jwt", "kid": "[kid]"},
                "claims": {"iss": "[issuer]", "sub": "app", "iat": "[timestamp]", "exp": "[timestamp]", "jti": "[jti]"},
                "signature": "[signature]",
            }})
        );
    }
}
