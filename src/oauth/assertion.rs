//! Client assertions for `private_key_jwt` (RFC 7523 §2.2, §3; OIDC Core §9), built by hand so
//! that every header member and claim can be set, and mutated one at a time for negative tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _, RSA_PKCS1_SHA256, RSA_PSS_SHA256,
    RsaKeyPair,
};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};

use super::uuid_v4;

pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// One thing wrong with an otherwise valid assertion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mutation {
    WrongAud,
    WrongIss,
    WrongSub,
    Expired,
    FutureIat,
    /// `iat` and `exp` as RFC 3339 strings, as the provider's documentation says (checklist F2).
    Rfc3339Timestamps,
    MissingJti,
    MissingExp,
    BadSignature,
    AlgNone,
    /// A lifetime far beyond what servers accept (checklist F5: Keycloak allows 60 s).
    LongLifetime,
    /// `aud` as an array of the audience and the other endpoint a client might name (RFC 10070:
    /// the issuer must be the sole value).
    AudArray,
    /// `nbf` two minutes ahead (RFC 7523 §3 item 5: beyond any usual clock skew), with `exp`
    /// the usual lifetime after it, so that a cap on assertion lifetimes does not refuse it
    /// for another reason.
    FutureNbf,
    /// A `client_id` form parameter that is not the assertion's `sub` (RFC 7521 §4.2); the
    /// assertion itself is valid.
    ClientIdMismatch,
    /// Two signed assertions joined by a dot (RFC 7523 §2.2: "a single JWT").
    TwoJwts,
}

impl Mutation {
    pub const ALL: &'static [(&'static str, Mutation)] = &[
        ("wrong_aud", Mutation::WrongAud),
        ("wrong_iss", Mutation::WrongIss),
        ("wrong_sub", Mutation::WrongSub),
        ("expired", Mutation::Expired),
        ("future_iat", Mutation::FutureIat),
        ("rfc3339_timestamps", Mutation::Rfc3339Timestamps),
        ("missing_jti", Mutation::MissingJti),
        ("missing_exp", Mutation::MissingExp),
        ("bad_signature", Mutation::BadSignature),
        ("alg_none", Mutation::AlgNone),
        ("long_lifetime", Mutation::LongLifetime),
        ("aud_array", Mutation::AudArray),
        ("future_nbf", Mutation::FutureNbf),
        ("client_id_mismatch", Mutation::ClientIdMismatch),
        ("two_jwts", Mutation::TwoJwts),
    ];

    pub fn parse(name: &str) -> Option<Mutation> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, m)| *m)
    }
}

/// What to sign.
pub struct AssertionSpec<'a> {
    pub client_id: &'a str,
    pub audience: &'a str,
    /// The other endpoint a client might name, for [`Mutation::AudArray`]: the token endpoint
    /// when `audience` is the issuer, else the issuer.
    pub second_audience: &'a str,
    pub private_key_pem: &'a str,
    /// `RS256`, `PS256` or `ES256`; `None` picks RS256 for RSA keys and ES256 for EC keys.
    pub alg: Option<&'a str>,
    pub key_id: Option<&'a str>,
    /// Header members set or replaced (a `null` removes one).
    pub header: &'a [(String, Value)],
    /// Claims set or replaced (a `null` removes one).
    pub claims: &'a [(String, Value)],
    pub mutations: &'a [Mutation],
    pub lifetime_secs: u64,
}

/// Builds and signs the assertion; also returns its `jti` (for replay tests).
pub fn sign_assertion(spec: &AssertionSpec<'_>) -> Result<(String, Option<String>), String> {
    let key = parsed_key(spec.private_key_pem)?;
    let alg = spec.alg.unwrap_or(key.default_alg());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let m = |x: Mutation| spec.mutations.contains(&x);

    let mut header = Map::new();
    header.insert(
        "alg".into(),
        json!(if m(Mutation::AlgNone) { "none" } else { alg }),
    );
    header.insert("typ".into(), json!("JWT"));
    if let Some(kid) = spec.key_id {
        header.insert("kid".into(), json!(kid));
    }
    apply(&mut header, spec.header);

    let lifetime = if m(Mutation::LongLifetime) {
        4388
    } else {
        spec.lifetime_secs
    };
    let nbf = m(Mutation::FutureNbf).then_some(now + 120);
    let (iat, exp) = if m(Mutation::Expired) {
        (now - 600, now - 300)
    } else if m(Mutation::FutureIat) {
        (now + 3600, now + 3600 + lifetime)
    } else {
        (now, nbf.unwrap_or(now) + lifetime)
    };
    let mut claims = Map::new();
    let other = "urn:grantspec:someone-else";
    claims.insert(
        "iss".into(),
        json!(if m(Mutation::WrongIss) {
            other
        } else {
            spec.client_id
        }),
    );
    claims.insert(
        "sub".into(),
        json!(if m(Mutation::WrongSub) {
            other
        } else {
            spec.client_id
        }),
    );
    claims.insert(
        "aud".into(),
        if m(Mutation::WrongAud) {
            json!("https://wrong-audience.invalid/")
        } else if m(Mutation::AudArray) {
            json!([spec.audience, spec.second_audience])
        } else {
            json!(spec.audience)
        },
    );
    if m(Mutation::Rfc3339Timestamps) {
        claims.insert("iat".into(), json!(rfc3339(iat)));
        claims.insert("exp".into(), json!(rfc3339(exp)));
    } else {
        claims.insert("iat".into(), json!(iat));
        if !m(Mutation::MissingExp) {
            claims.insert("exp".into(), json!(exp));
        }
    }
    if let Some(nbf) = nbf {
        claims.insert("nbf".into(), json!(nbf));
    }
    if !m(Mutation::MissingJti) {
        claims.insert("jti".into(), json!(uuid_v4()));
    }
    apply(&mut claims, spec.claims);
    let jti = claims
        .get("jti")
        .and_then(Value::as_str)
        .map(str::to_string);

    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(Value::Object(header).to_string()),
        URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string())
    );
    if m(Mutation::AlgNone) {
        return Ok((format!("{signing_input}."), jti));
    }
    let mut signature = key.sign(alg, signing_input.as_bytes())?;
    if m(Mutation::BadSignature)
        && let Some(b) = signature.first_mut()
    {
        *b ^= 0x01;
    }
    let jwt = format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature));
    if m(Mutation::TwoJwts) {
        // Each part valid on its own, so that only the concatenation is wrong.
        let (second, _) = sign_assertion(&AssertionSpec {
            mutations: &[],
            ..*spec
        })?;
        return Ok((format!("{jwt}.{second}"), jti));
    }
    Ok((jwt, jti))
}

fn apply(map: &mut Map<String, Value>, changes: &[(String, Value)]) {
    for (k, v) in changes {
        if v.is_null() {
            map.remove(k);
        } else {
            map.insert(k.clone(), v.clone());
        }
    }
}

fn pem_to_der(pem: &str) -> Result<Vec<u8>, String> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && !l.is_empty())
        .collect();
    STANDARD
        .decode(body)
        .map_err(|_| "the private key is not a PEM document".to_string())
}

enum SigningKey {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
}

/// The key of `pem`, parsed once per process: a suite signs many assertions with few keys
/// (every assertion still gets its own `jti`, `iat` and signature). Keyed by the PEM's
/// SHA-256, so the cache keeps no second copy of the key's text.
fn parsed_key(pem: &str) -> Result<Arc<SigningKey>, String> {
    static KEYS: OnceLock<Mutex<HashMap<[u8; 32], Arc<SigningKey>>>> = OnceLock::new();
    let mut id = [0u8; 32];
    id.copy_from_slice(digest::digest(&digest::SHA256, pem.as_bytes()).as_ref());
    let keys = KEYS.get_or_init(Mutex::default);
    if let Some(key) = keys.lock().unwrap_or_else(PoisonError::into_inner).get(&id) {
        return Ok(key.clone());
    }
    let key = Arc::new(SigningKey::parse(&pem_to_der(pem)?)?);
    keys.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(id, key.clone());
    Ok(key)
}

impl SigningKey {
    fn parse(der: &[u8]) -> Result<Self, String> {
        if let Ok(k) = RsaKeyPair::from_pkcs8(der) {
            return Ok(SigningKey::Rsa(k));
        }
        EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
            .map(SigningKey::Ec)
            .map_err(|_| "the private key is neither a PKCS#8 RSA key nor a P-256 key".to_string())
    }

    fn default_alg(&self) -> &'static str {
        match self {
            SigningKey::Rsa(_) => "RS256",
            SigningKey::Ec(_) => "ES256",
        }
    }

    fn sign(&self, alg: &str, message: &[u8]) -> Result<Vec<u8>, String> {
        let rng = SystemRandom::new();
        match (self, alg) {
            (SigningKey::Rsa(k), "RS256" | "PS256") => {
                let padding = if alg == "PS256" {
                    &RSA_PSS_SHA256
                } else {
                    &RSA_PKCS1_SHA256
                };
                let mut sig = vec![0; k.public_modulus_len()];
                k.sign(padding, &rng, message, &mut sig)
                    .map_err(|_| "RSA signing failed".to_string())?;
                Ok(sig)
            }
            (SigningKey::Ec(k), "ES256") => k
                .sign(&rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| "EC signing failed".to_string()),
            (_, other) => Err(format!("cannot sign {other} with this key")),
        }
    }
}

/// The public half of a key as a JWK, for registering it and for tests.
pub fn public_jwk(private_key_pem: &str, kid: &str) -> Result<Value, String> {
    let der = pem_to_der(private_key_pem)?;
    match SigningKey::parse(&der)? {
        SigningKey::Rsa(k) => {
            let c = aws_lc_rs::rsa::PublicKeyComponents::<Vec<u8>>::from(k.public_key());
            Ok(
                json!({"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": URL_SAFE_NO_PAD.encode(c.n), "e": URL_SAFE_NO_PAD.encode(c.e)}),
            )
        }
        SigningKey::Ec(k) => {
            let point = k.public_key().as_ref();
            let (x, y) = point
                .get(1..33)
                .zip(point.get(33..65))
                .ok_or("unexpected EC point")?;
            Ok(
                json!({"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256", "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y)}),
            )
        }
    }
}

fn rfc3339(secs: u64) -> String {
    crate::outcome::rfc3339(secs)
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::encoding::AsDer;
    use aws_lc_rs::rsa::KeySize;

    use super::*;
    use crate::oauth::{decode_unverified, verify_signature};

    fn rsa_pem() -> String {
        let kp = aws_lc_rs::rsa::KeyPair::generate(KeySize::Rsa2048).unwrap();
        let der = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(&kp).unwrap();
        format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            STANDARD.encode(der.as_ref())
        )
    }

    fn spec<'a>(
        pem: &'a str,
        mutations: &'a [Mutation],
        header: &'a [(String, Value)],
    ) -> AssertionSpec<'a> {
        AssertionSpec {
            client_id: "app-cc-jwt",
            audience: "https://as.example",
            second_audience: "https://as.example/token",
            private_key_pem: pem,
            alg: None,
            key_id: Some("apim-provisioner"),
            header,
            claims: &[],
            mutations,
            lifetime_secs: 60,
        }
    }

    #[test]
    fn a_valid_assertion_verifies_against_the_public_jwk() {
        let pem = rsa_pem();
        let header = [("use".to_string(), json!("sig"))];
        let (jwt, jti) = sign_assertion(&spec(&pem, &[], &header)).unwrap();
        let d = decode_unverified(&jwt).unwrap();
        assert_eq!(
            d.header,
            json!({"alg": "RS256", "typ": "JWT", "kid": "apim-provisioner", "use": "sig"})
        );
        assert_eq!(d.claims["iss"], "app-cc-jwt");
        assert_eq!(d.claims["sub"], "app-cc-jwt");
        assert_eq!(d.claims["jti"].as_str(), jti.as_deref());
        let jwks = json!({"keys": [public_jwk(&pem, "apim-provisioner").unwrap()]});
        verify_signature(&jwt, &jwks).unwrap();
    }

    #[test]
    fn a_key_is_parsed_once_and_every_assertion_is_fresh() {
        let pem = rsa_pem();
        assert!(Arc::ptr_eq(
            &parsed_key(&pem).unwrap(),
            &parsed_key(&pem).unwrap()
        ));
        assert!(!Arc::ptr_eq(
            &parsed_key(&pem).unwrap(),
            &parsed_key(&rsa_pem()).unwrap()
        ));
        let (first, first_jti) = sign_assertion(&spec(&pem, &[], &[])).unwrap();
        let (second, second_jti) = sign_assertion(&spec(&pem, &[], &[])).unwrap();
        assert_ne!(first, second);
        assert_ne!(first_jti, second_jti);
    }

    #[test]
    fn each_mutation_changes_exactly_its_part() {
        let pem = rsa_pem();
        let jwks = json!({"keys": [public_jwk(&pem, "apim-provisioner").unwrap()]});
        let claims = |m: Mutation| {
            decode_unverified(&sign_assertion(&spec(&pem, &[m], &[])).unwrap().0)
                .unwrap()
                .claims
        };
        assert_ne!(claims(Mutation::WrongAud)["aud"], "https://as.example");
        assert_eq!(
            claims(Mutation::AudArray)["aud"],
            json!(["https://as.example", "https://as.example/token"])
        );
        let future = claims(Mutation::FutureNbf);
        assert!(future["nbf"].as_u64() > future["iat"].as_u64().map(|i| i + 60));
        assert!(future["exp"].as_u64() > future["nbf"].as_u64());
        assert_ne!(claims(Mutation::WrongIss)["iss"], "app-cc-jwt");
        assert_eq!(claims(Mutation::WrongIss)["sub"], "app-cc-jwt");
        assert!(
            claims(Mutation::Expired)["exp"].as_u64()
                < claims(Mutation::Expired)["iat"].as_u64().map(|i| i + 1000)
        );
        assert!(claims(Mutation::Rfc3339Timestamps)["iat"].is_string());
        assert!(claims(Mutation::MissingJti).get("jti").is_none());
        assert!(claims(Mutation::MissingExp).get("exp").is_none());
        let (bad, _) = sign_assertion(&spec(&pem, &[Mutation::BadSignature], &[])).unwrap();
        assert!(verify_signature(&bad, &jwks).is_err());
        let (none, _) = sign_assertion(&spec(&pem, &[Mutation::AlgNone], &[])).unwrap();
        assert!(none.ends_with('.'));
        let (two, _) = sign_assertion(&spec(&pem, &[Mutation::TwoJwts], &[])).unwrap();
        let parts: Vec<&str> = two.split('.').collect();
        assert_eq!(parts.len(), 6);
        verify_signature(&parts[..3].join("."), &jwks).unwrap();
        verify_signature(&parts[3..].join("."), &jwks).unwrap();
    }

    #[test]
    fn ec_keys_sign_es256() {
        let rng = SystemRandom::new();
        let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pem = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            STANDARD.encode(doc.as_ref())
        );
        let (jwt, _) = sign_assertion(&spec(&pem, &[], &[])).unwrap();
        assert_eq!(decode_unverified(&jwt).unwrap().header["alg"], "ES256");
        let jwks = json!({"keys": [public_jwk(&pem, "apim-provisioner").unwrap()]});
        verify_signature(&jwt, &jwks).unwrap();
    }
}
