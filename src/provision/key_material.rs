//! Key pairs generated locally for `private_key_jwt` clients: PKCS#8 PEM private key written
//! with mode 0600, public JWK (RFC 7517) and its RFC 7638 thumbprint.

use std::path::Path;

use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair as RsaKeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair as _};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::error::ProvisionError;
use super::fixtures::{KeySpec, KeyType};
use super::secret_file::write_private;
use crate::secret::Secret;

/// A freshly generated key pair.
pub(crate) struct KeyMaterial {
    pub(crate) private_pem: Secret,
    /// The public JWK without `kid` (added by [`KeyMaterial::public_jwk`]).
    public: Value,
}

impl KeyMaterial {
    pub(crate) fn generate(spec: &KeySpec) -> Result<Self, ProvisionError> {
        match spec.key_type {
            KeyType::Rsa => {
                let size = match spec.size {
                    3072 => KeySize::Rsa3072,
                    4096 => KeySize::Rsa4096,
                    _ => KeySize::Rsa2048,
                };
                let pair = RsaKeyPair::generate(size).map_err(|_| ProvisionError::KeyGeneration)?;
                let der: Pkcs8V1Der<'_> =
                    pair.as_der().map_err(|_| ProvisionError::KeyGeneration)?;
                let components = PublicKeyComponents::<Vec<u8>>::from(pair.public_key());
                Ok(Self {
                    private_pem: pem(der.as_ref()),
                    public: json!({
                        "kty": "RSA",
                        "n": URL_SAFE_NO_PAD.encode(&components.n),
                        "e": URL_SAFE_NO_PAD.encode(&components.e),
                    }),
                })
            }
            KeyType::Ec => {
                let alg = &ECDSA_P256_SHA256_ASN1_SIGNING;
                let doc = EcdsaKeyPair::generate_pkcs8(alg, &SystemRandom::new())
                    .map_err(|_| ProvisionError::KeyGeneration)?;
                let pair = EcdsaKeyPair::from_pkcs8(alg, doc.as_ref())
                    .map_err(|_| ProvisionError::KeyGeneration)?;
                // Uncompressed point: 0x04 || x || y (SEC 1 §2.3.3).
                let point = pair.public_key().as_ref();
                if point.len() != 65 {
                    return Err(ProvisionError::KeyGeneration);
                }
                Ok(Self {
                    private_pem: pem(doc.as_ref()),
                    public: json!({
                        "kty": "EC",
                        "crv": "P-256",
                        "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
                        "y": URL_SAFE_NO_PAD.encode(&point[33..65]),
                    }),
                })
            }
        }
    }

    /// RFC 7638 thumbprint of the public key (base64url SHA-256 of the required members).
    pub(crate) fn thumbprint(&self) -> String {
        thumbprint(&self.public)
    }

    /// The JWK to register: `kty`, the public members, `kid`, `use: sig`, `alg`.
    pub(crate) fn public_jwk(&self, kid: &str, alg: &str) -> Value {
        let mut jwk = self.public.clone();
        if let Value::Object(m) = &mut jwk {
            m.insert("kid".into(), json!(kid));
            m.insert("use".into(), json!("sig"));
            m.insert("alg".into(), json!(alg));
        }
        jwk
    }

    /// Writes the private key (mode 0600, atomically).
    pub(crate) fn write(&self, path: &Path) -> Result<(), ProvisionError> {
        write_private(path, self.private_pem.expose().as_bytes())
    }
}

/// RFC 7638 §3: the required members in lexicographic order, no whitespace.
pub(crate) fn thumbprint(jwk: &Value) -> String {
    let get = |k: &str| jwk.get(k).and_then(Value::as_str).unwrap_or_default();
    let canonical = match get("kty") {
        "EC" => format!(
            r#"{{"crv":"{}","kty":"EC","x":"{}","y":"{}"}}"#,
            get("crv"),
            get("x"),
            get("y")
        ),
        kty => format!(r#"{{"e":"{}","kty":"{kty}","n":"{}"}}"#, get("e"), get("n")),
    };
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());
    URL_SAFE_NO_PAD.encode(digest.as_ref())
}

fn pem(der: &[u8]) -> Secret {
    Secret::new(crate::oauth::pem_block("PRIVATE KEY", der))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(key_type: KeyType) -> KeySpec {
        KeySpec {
            name: "k".into(),
            key_type,
            size: 2048,
            alg: key_type.default_alg().into(),
            kid: None,
            location: None,
        }
    }

    #[test]
    fn rsa_keys_sign_and_publish_n_and_e() {
        let k = KeyMaterial::generate(&spec(KeyType::Rsa)).unwrap();
        let jwk = k.public_jwk("kid-1", "RS256");
        assert_eq!(jwk["kty"], "RSA");
        assert_eq!(jwk["kid"], "kid-1");
        assert!(jwk.get("d").is_none());
        assert!(
            k.private_pem
                .expose()
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
        let enc = jsonwebtoken::EncodingKey::from_rsa_pem(k.private_pem.expose().as_bytes());
        assert!(enc.is_ok());
        assert_eq!(k.thumbprint().len(), 43);
    }

    #[test]
    fn ec_keys_are_p256() {
        let k = KeyMaterial::generate(&spec(KeyType::Ec)).unwrap();
        let jwk = k.public_jwk("e", "ES256");
        assert_eq!(jwk["crv"], "P-256");
        let enc = jsonwebtoken::EncodingKey::from_ec_pem(k.private_pem.expose().as_bytes());
        assert!(enc.is_ok());
    }

    #[test]
    fn thumbprint_matches_rfc_7638_example() {
        let jwk = json!({"kty":"RSA","e":"AQAB","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"});
        assert_eq!(
            thumbprint(&jwk),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }
}
