//! The sandbox's RSA signing key: generated at start, published in the JWKS, used for ID tokens
//! and JWT access tokens (RS256, RFC 7518 §3.3).

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::rsa::{KeyPair, PublicKeyComponents};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Value, json};

use super::{key_pool, random};
use crate::secret::Secret;

/// Why a key could not be generated or loaded.
#[derive(Clone, Copy, Debug, thiserror::Error)]
pub(crate) enum KeyError {
    #[error("RSA key generation failed")]
    Generate,
    #[error("the private key is not a PKCS#8 RSA key in PEM")]
    Parse,
    #[error("signing failed")]
    Sign,
}

impl From<KeyError> for std::io::Error {
    fn from(e: KeyError) -> Self {
        std::io::Error::other(e)
    }
}

/// An RSA key pair with its `kid`, parsed once.
pub(crate) struct SigningKey {
    kid: String,
    key_pair: KeyPair,
    jwk: Value,
}

impl SigningKey {
    /// A fresh 2048-bit key (RFC 7518 §3.3 requires at least 2048 bits), prefetched if it was.
    pub(crate) fn generate() -> Result<Self, KeyError> {
        Self::generate_with_kid(random::token("sig-"))
    }

    pub(crate) fn generate_with_kid(kid: String) -> Result<Self, KeyError> {
        let key_pair = key_pool::take().ok_or(KeyError::Generate)?;
        Ok(Self::from_key_pair(key_pair, kid))
    }

    /// Loads a PKCS#8 PEM private key, as a client's key is given.
    pub(crate) fn from_pem(pem: &str, kid: String) -> Result<Self, KeyError> {
        let der = pem_to_der(pem).ok_or(KeyError::Parse)?;
        let key_pair = KeyPair::from_pkcs8(&der).map_err(|_| KeyError::Parse)?;
        Ok(Self::from_key_pair(key_pair, kid))
    }

    fn from_key_pair(key_pair: KeyPair, kid: String) -> Self {
        let public = PublicKeyComponents::<Vec<u8>>::from(key_pair.public_key());
        let jwk = json!({
            "kty": "RSA",
            "kid": kid,
            "use": "sig",
            "alg": "RS256",
            "n": URL_SAFE_NO_PAD.encode(&public.n),
            "e": URL_SAFE_NO_PAD.encode(&public.e),
        });
        Self { kid, key_pair, jwk }
    }

    /// The public JWK: `kty`, `kid`, `use`, `alg`, `n`, `e` and no private member (RFC 7518 §6.3.1).
    pub(crate) fn public_jwk(&self) -> &Value {
        &self.jwk
    }

    /// The private key as PKCS#8 PEM, for the clients that sign their own assertions.
    pub(crate) fn private_pem(&self) -> Result<Secret, KeyError> {
        let der: Pkcs8V1Der<'_> = self.key_pair.as_der().map_err(|_| KeyError::Generate)?;
        let body = STANDARD.encode(der.as_ref());
        let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
        for line in body.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END PRIVATE KEY-----\n");
        Ok(Secret::new(pem))
    }

    /// A compact JWS (RFC 7515 §7.1) over `claims`, RS256, with this key's `kid` and `typ`.
    pub(crate) fn sign(&self, typ: &str, claims: &Value) -> Result<String, KeyError> {
        self.sign_with_header(typ, &[], claims)
    }

    /// [`sign`](Self::sign) with more header members (which a defect uses to embed its key).
    pub(crate) fn sign_with_header(
        &self,
        typ: &str,
        members: &[(&str, Value)],
        claims: &Value,
    ) -> Result<String, KeyError> {
        let mut header = json!({ "alg": "RS256", "typ": typ, "kid": self.kid });
        if let Some(map) = header.as_object_mut() {
            for (name, value) in members {
                map.insert((*name).to_owned(), value.clone());
            }
        }
        let mut out = String::with_capacity(1024);
        URL_SAFE_NO_PAD.encode_string(header.to_string(), &mut out);
        out.push('.');
        URL_SAFE_NO_PAD.encode_string(claims.to_string(), &mut out);
        let mut signature = vec![0u8; self.key_pair.public_modulus_len()];
        let rng = aws_lc_rs::rand::SystemRandom::new();
        self.key_pair
            .sign(&RSA_PKCS1_SHA256, &rng, out.as_bytes(), &mut signature)
            .map_err(|_| KeyError::Sign)?;
        out.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut out);
        Ok(out)
    }
}

/// The DER inside a `-----BEGIN PRIVATE KEY-----` PEM block.
fn pem_to_der(pem: &str) -> Option<Vec<u8>> {
    let body = pem
        .trim()
        .strip_prefix("-----BEGIN PRIVATE KEY-----")?
        .strip_suffix("-----END PRIVATE KEY-----")?;
    let joined: String = body.split_whitespace().collect();
    STANDARD.decode(joined).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pem_round_trips_to_the_same_public_key() {
        let key = SigningKey::generate().expect("keygen");
        let pem = key.private_pem().expect("pem");
        let again = SigningKey::from_pem(pem.expose(), "k".into()).expect("parse");
        assert_eq!(key.public_jwk()["n"], again.public_jwk()["n"]);
        assert_eq!(key.public_jwk()["e"], again.public_jwk()["e"]);
    }

    #[test]
    fn the_public_jwk_has_no_private_member() {
        let key = SigningKey::generate().expect("keygen");
        let jwk = key.public_jwk();
        for member in ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] {
            assert!(jwk.get(member).is_none(), "{member}");
        }
        let n = URL_SAFE_NO_PAD
            .decode(jwk["n"].as_str().expect("n"))
            .expect("b64");
        assert_eq!(n.len(), 256);
    }
}
