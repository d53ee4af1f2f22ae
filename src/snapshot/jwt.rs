//! JWTs in a snapshot are decoded — header and claims, the signature replaced — so that a
//! snapshot shows what a token says and never the token itself (RFC 7519 §3, RFC 7515 §7.1).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};

/// What a string that looks like a JWT becomes in a snapshot.
#[derive(Debug, PartialEq)]
pub(crate) enum Jwt {
    /// A JWS whose header and payload are JSON objects: `{header, claims, signature}`.
    Decoded(Value),
    /// Compact serialization that cannot be shown decoded (a JWE, a non-JSON payload).
    Opaque(&'static str),
}

/// `Some` when `text` is a compact JWS or JWE: three (or five) base64url parts whose first
/// decodes to a JSON object with `alg`.
pub(crate) fn inspect(text: &str) -> Option<Jwt> {
    let parts: Vec<&str> = text.split('.').collect();
    if !matches!(parts.len(), 3 | 5) || parts[..2].iter().any(|p| p.is_empty()) {
        return None;
    }
    if !parts.iter().all(|p| p.bytes().all(is_base64url)) {
        return None;
    }
    let header = decode_object(parts[0])?;
    if !header.get("alg").is_some_and(Value::is_string) {
        return None;
    }
    if parts.len() == 5 {
        return Some(Jwt::Opaque("[jwe]"));
    }
    let Some(claims) = decode_object(parts[1]) else {
        return Some(Jwt::Opaque("[jws]"));
    };
    let signature = if parts[2].is_empty() {
        ""
    } else {
        "[signature]"
    };
    Some(Jwt::Decoded(json!({
        "header": Value::Object(header),
        "claims": Value::Object(claims),
        "signature": signature,
    })))
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn decode_object(part: &str) -> Option<Map<String, Value>> {
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    #[test]
    fn a_jws_is_decoded_and_its_signature_dropped() {
        let token = format!(
            "{}.{}.c2lnbmF0dXJl",
            b64(&json!({"alg": "RS256", "kid": "k1"})),
            b64(&json!({"sub": "alice", "exp": 1})),
        );
        let Some(Jwt::Decoded(v)) = inspect(&token) else {
            panic!("not decoded");
        };
        assert_eq!(v["header"]["kid"], "k1");
        assert_eq!(v["claims"]["sub"], "alice");
        assert_eq!(v["signature"], "[signature]");
        assert!(!v.to_string().contains("c2lnbmF0dXJl"));
    }

    #[test]
    fn other_dotted_strings_are_left_alone_and_jwes_are_opaque() {
        assert_eq!(inspect("www.example.com"), None);
        assert_eq!(inspect("a.b.c"), None);
        assert_eq!(inspect("at-abc"), None);
        let jwe = format!(
            "{}.a.b.c.d",
            b64(&json!({"alg": "RSA-OAEP", "enc": "A256GCM"}))
        );
        assert_eq!(inspect(&jwe), Some(Jwt::Opaque("[jwe]")));
        let raw_payload = format!("{}.bm90IGpzb24.sig", b64(&json!({"alg": "HS256"})));
        assert_eq!(inspect(&raw_payload), Some(Jwt::Opaque("[jws]")));
    }
}
