//! Compact JWS parsing and verification against parsed public keys (RFC 7515 §7.1).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::client_key::ClientKey;

/// Why a compact JWS is refused.
#[derive(Debug, thiserror::Error)]
pub(crate) enum JwsError {
    #[error("not a single compact JWS")]
    Malformed,
    #[error("Invalid signature algorithm")]
    Algorithm,
}

/// A compact JWS split into its parts, header and claims decoded.
pub(crate) struct Jws<'a> {
    signing_input: &'a str,
    signature: Vec<u8>,
    alg: String,
    kid: Option<String>,
    /// The header's `use`, which RFC 7515 does not define for a JWS (and so is to be ignored).
    pub(crate) usage: Option<String>,
    /// The header's `typ` (RFC 7515 §4.1.9), which RFC 10070 says not to insist on.
    pub(crate) typ: Option<String>,
    pub(crate) claims: Value,
}

impl<'a> Jws<'a> {
    /// Exactly one compact JWS (RFC 7523 §2.2: "a single JWT"): three parts, JSON object
    /// header and claims, an `alg` among `algorithms`. Other header members (`use`, `typ`) are
    /// ignored (RFC 7515 §4; RFC 10070 on `typ`).
    pub(crate) fn parse(compact: &'a str, algorithms: &[&str]) -> Result<Self, JwsError> {
        let mut parts = compact.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwsError::Malformed);
        };
        let json = |part: &str| {
            URL_SAFE_NO_PAD
                .decode(part)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
                .filter(Value::is_object)
        };
        let header_json = json(header).ok_or(JwsError::Malformed)?;
        let claims = json(payload).ok_or(JwsError::Malformed)?;
        let signature_bytes = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| JwsError::Malformed)?;
        let alg = header_json
            .get("alg")
            .and_then(Value::as_str)
            .filter(|alg| algorithms.contains(alg))
            .ok_or(JwsError::Algorithm)?
            .to_owned();
        let kid = header_json
            .get("kid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let signing_input = &compact[..header.len() + 1 + payload.len()];
        Ok(Self {
            signing_input,
            signature: signature_bytes,
            alg,
            kid,
            usage: header_json
                .get("use")
                .and_then(Value::as_str)
                .map(str::to_owned),
            typ: header_json
                .get("typ")
                .and_then(Value::as_str)
                .map(str::to_owned),
            claims,
        })
    }

    /// Verifies against the key with the header's `kid` if there is one, otherwise against
    /// each key (the documented fixed `kid: apim-provisioner` names no key).
    /// The `alg` of the header, one of the algorithms the parse allowed.
    pub(crate) fn alg(&self) -> &str {
        &self.alg
    }

    pub(crate) fn verifies_with(&self, keys: &[ClientKey]) -> bool {
        let by_kid: Vec<&ClientKey> = keys
            .iter()
            .filter(|k| k.kid.is_some() && k.kid == self.kid)
            .collect();
        let candidates = if by_kid.is_empty() {
            keys.iter().collect()
        } else {
            by_kid
        };
        candidates
            .iter()
            .any(|key| key.verifies(&self.alg, self.signing_input.as_bytes(), &self.signature))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::signing_key::SigningKey;
    use serde_json::json;

    #[test]
    fn a_signed_token_parses_and_verifies_only_with_its_key() {
        let signer = SigningKey::generate().expect("keygen");
        let other = SigningKey::generate().expect("keygen");
        let token = signer.sign("JWT", &json!({"sub": "x"})).expect("sign");
        let jws = Jws::parse(&token, &["RS256"]).expect("parse");
        assert_eq!(jws.claims["sub"], "x");
        let key = ClientKey::from_jwk(signer.public_jwk()).expect("key");
        let wrong = ClientKey::from_jwk(other.public_jwk()).expect("key");
        assert!(jws.verifies_with(&[key]));
        assert!(!jws.verifies_with(&[wrong]));
        assert!(matches!(
            Jws::parse(&token, &["ES256"]),
            Err(JwsError::Algorithm)
        ));
        assert!(matches!(
            Jws::parse("a.b", &["RS256"]),
            Err(JwsError::Malformed)
        ));
    }
}
