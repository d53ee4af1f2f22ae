//! A client's public key, parsed once from its JWK, that verifies its assertions
//! (RS256, PS256, ES256: RFC 7518 §3.3, §3.5, §3.4).

use aws_lc_rs::encoding::{AsDer, PublicKeyX509Der};
use aws_lc_rs::rsa::PublicKeyComponents;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED, ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PSS_2048_8192_SHA256,
};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// Why a JWK cannot be used to verify assertions.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ClientKeyError {
    #[error("unsupported key type (only RSA and EC P-256 keys are accepted)")]
    Unsupported,
    #[error("the key's `{0}` member is missing or not base64url")]
    Member(&'static str),
    #[error("the key is malformed")]
    Malformed,
    #[error("the key contains private members")]
    Private,
}

/// A verification key of one client.
#[derive(Debug)]
pub(crate) struct ClientKey {
    pub(crate) kid: Option<String>,
    kind: KeyKind,
}

#[derive(Debug)]
enum KeyKind {
    Rsa {
        pkcs1: ParsedPublicKey,
        pss: ParsedPublicKey,
    },
    P256(ParsedPublicKey),
}

impl ClientKey {
    /// Parses a public JWK (RFC 7517 §4); private members are refused.
    pub(crate) fn from_jwk(jwk: &Value) -> Result<Self, ClientKeyError> {
        if ["d", "p", "q", "k"].iter().any(|m| jwk.get(m).is_some()) {
            return Err(ClientKeyError::Private);
        }
        let member = |name: &'static str| {
            jwk.get(name)
                .and_then(Value::as_str)
                .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
                .ok_or(ClientKeyError::Member(name))
        };
        let kind = match jwk.get("kty").and_then(Value::as_str) {
            Some("RSA") => {
                let components = PublicKeyComponents {
                    n: member("n")?,
                    e: member("e")?,
                };
                let der: PublicKeyX509Der<'_> =
                    components.as_der().map_err(|_| ClientKeyError::Malformed)?;
                KeyKind::Rsa {
                    pkcs1: ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der.as_ref())
                        .map_err(|_| ClientKeyError::Malformed)?,
                    pss: ParsedPublicKey::new(&RSA_PSS_2048_8192_SHA256, der.as_ref())
                        .map_err(|_| ClientKeyError::Malformed)?,
                }
            }
            Some("EC") if jwk.get("crv").and_then(Value::as_str) == Some("P-256") => {
                let (x, y) = (member("x")?, member("y")?);
                if x.len() != 32 || y.len() != 32 {
                    return Err(ClientKeyError::Malformed);
                }
                let mut point = Vec::with_capacity(65);
                point.push(4);
                point.extend_from_slice(&x);
                point.extend_from_slice(&y);
                KeyKind::P256(
                    ParsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, point)
                        .map_err(|_| ClientKeyError::Malformed)?,
                )
            }
            _ => return Err(ClientKeyError::Unsupported),
        };
        let kid = jwk.get("kid").and_then(Value::as_str).map(str::to_owned);
        Ok(Self { kid, kind })
    }

    /// Whether `signature` over `message` verifies under `alg`; an `alg` that does not fit the
    /// key type never verifies (RFC 8725 §3.1).
    pub(crate) fn verifies(&self, alg: &str, message: &[u8], signature: &[u8]) -> bool {
        let key = match (&self.kind, alg) {
            (KeyKind::Rsa { pkcs1, .. }, "RS256") => pkcs1,
            (KeyKind::Rsa { pss, .. }, "PS256") => pss,
            (KeyKind::P256(key), "ES256") => key,
            _ => return false,
        };
        key.verify_sig(message, signature).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::signing_key::SigningKey;
    use serde_json::json;

    #[test]
    fn an_rs256_signature_of_the_matching_key_verifies() {
        let signer = SigningKey::generate().expect("keygen");
        let key = ClientKey::from_jwk(signer.public_jwk()).expect("jwk");
        let jws = signer.sign("JWT", &json!({"a": 1})).expect("sign");
        let (input, sig) = jws.rsplit_once('.').expect("jws");
        let sig = URL_SAFE_NO_PAD.decode(sig).expect("b64");
        assert!(key.verifies("RS256", input.as_bytes(), &sig));
        assert!(!key.verifies("PS256", input.as_bytes(), &sig));
        assert!(!key.verifies("ES256", input.as_bytes(), &sig));
        assert!(!key.verifies("RS256", b"other", &sig));
    }

    #[test]
    fn private_and_unknown_keys_are_refused() {
        assert!(matches!(
            ClientKey::from_jwk(&json!({"kty": "RSA", "n": "AQAB", "e": "AQAB", "d": "x"})),
            Err(ClientKeyError::Private)
        ));
        assert!(matches!(
            ClientKey::from_jwk(&json!({"kty": "oct", "x": "AQAB"})),
            Err(ClientKeyError::Unsupported)
        ));
    }
}
