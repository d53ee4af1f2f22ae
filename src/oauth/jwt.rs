//! Compact JWTs: decoding without trust (for reports and claim checks), signature
//! verification against a JWKS, and `at_hash`.

use aws_lc_rs::digest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;

/// A JWT split into its decoded header and claims.
#[derive(Clone, Debug)]
pub struct DecodedJwt {
    pub header: Value,
    pub claims: Value,
}

/// Decodes a compact JWS without verifying it. `None` when it is not one.
pub fn decode_unverified(token: &str) -> Option<DecodedJwt> {
    let mut parts = token.split('.');
    let (h, c, _s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let part = |p: &str| -> Option<Value> {
        let bytes = URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok()?;
        serde_json::from_slice(&bytes).ok()
    };
    Some(DecodedJwt {
        header: part(h)?,
        claims: part(c)?,
    })
}

/// Verifies the signature of `token` with the key of `jwks` named by its `kid` (or the only
/// key when there is no `kid`). Claims are not validated here: callers check them one by one
/// so that each gets its own verdict.
pub fn verify_signature(token: &str, jwks: &Value) -> Result<(), String> {
    let header =
        jsonwebtoken::decode_header(token).map_err(|e| format!("unreadable header: {e}"))?;
    // Keys that cannot be read are ignored, as RFC 7517 §5 asks: one malformed key (which
    // rule C-01 reports) does not make the others unusable.
    let keys: Vec<Jwk> = jwks
        .get("keys")
        .and_then(Value::as_array)
        .ok_or("unusable key set: no `keys` array")?
        .iter()
        .filter_map(|k| serde_json::from_value(k.clone()).ok())
        .collect();
    let jwk = match &header.kid {
        Some(kid) => keys
            .iter()
            .find(|k| k.common.key_id.as_deref() == Some(kid.as_str()))
            .ok_or_else(|| format!("no key with kid `{kid}` in the key set"))?,
        None if keys.len() == 1 => &keys[0],
        None => return Err("no kid in the header and several keys in the set".into()),
    };
    let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("unusable key: {e}"))?;
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    if matches!(
        header.alg,
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
    ) {
        return Err("symmetric algorithm: cannot be verified with a public key set".into());
    }
    jsonwebtoken::decode::<Value>(token, &key, &validation)
        .map(|_| ())
        .map_err(|e| format!("signature does not verify: {e}"))
}

/// `at_hash`: the left half of the SHA-256 of the access token, base64url (OIDC Core
/// §3.1.3.6, for RS256/PS256/ES256).
pub fn at_hash(access_token: &str) -> String {
    let d = digest::digest(&digest::SHA256, access_token.as_bytes());
    URL_SAFE_NO_PAD.encode(&d.as_ref()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_hash_matches_the_oidc_example() {
        // OIDC Core Appendix A.3 / A.4 example.
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
    }

    #[test]
    fn decodes_without_trust_and_rejects_garbage() {
        let t = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.";
        let d = decode_unverified(t).unwrap();
        assert_eq!(d.header["alg"], "none");
        assert_eq!(d.claims["sub"], "a");
        assert!(decode_unverified("at-123").is_none());
    }
}
