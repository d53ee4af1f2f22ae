//! Mutual TLS in `fixtures.yaml` (RFC 8705): a client's certificate and the environment secret
//! holding its key; the metadata a mutual-TLS auth method needs — the subject a
//! `tls_client_auth` client registers, the certificate a `self_signed_tls_client_auth` client
//! registers as its `jwks` (§2.2.2).

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rustls::pki_types::CertificateDer;
use serde_json::{Map, Value, json};
use serde_saphyr::Spanned;

use super::raw_fixtures::RawClientTls;
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::environment::ClientTls;
use crate::sandbox::TlsSubject;

/// SubjectPublicKeyInfo of a P-256 key up to its point (RFC 5480 §2): `id-ecPublicKey`,
/// `secp256r1`, a 66-byte BIT STRING.
const P256_SPKI_PREFIX: &[u8] = &[
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// What a client fixture declares about mutual TLS.
pub(super) struct FixtureTls<'a> {
    pub name: &'a str,
    pub method: &'a str,
    pub method_at: Location,
    pub has_key: bool,
    pub source: &'a SourceFile,
}

impl FixtureTls<'_> {
    /// Checks `tls` and the metadata the auth method needs; adds `jwks` for a self-signed
    /// client. Mistakes go to `errors`.
    pub(super) fn check(
        &self,
        tls: Option<Spanned<RawClientTls>>,
        metadata: &mut Map<String, Value>,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<ClientTls> {
        let at = |s: &serde_saphyr::Location| self.source.location(s.line(), s.column());
        let error = |errors: &mut Vec<Diagnostic>, location: Location, message: String| {
            errors.push(Diagnostic::at(self.source, location, message));
        };
        if self.method == "tls_client_auth" {
            let given = TlsSubject::MEMBERS
                .iter()
                .filter(|m| metadata.contains_key(**m))
                .count();
            if given != 1 {
                error(
                    errors,
                    self.method_at.clone(),
                    format!(
                        "client `{}` uses tls_client_auth: its metadata needs exactly one of {} \
                         (RFC 8705 §2.1.2)",
                        self.name,
                        TlsSubject::MEMBERS.join(", ")
                    ),
                );
            }
        }
        let tls = tls.and_then(|t| {
            let base = Path::new(&*self.source.name)
                .parent()
                .unwrap_or(Path::new("."));
            let cert = base.join(&t.value.cert.value);
            ClientTls::check(
                cert,
                t.value.key_secret.value,
                at(&t.value.cert.referenced),
                at(&t.value.key_secret.referenced),
                self.source,
            )
            .map_err(|d| errors.push(d))
            .ok()
        });
        if self.method == "self_signed_tls_client_auth" {
            if self.has_key {
                error(
                    errors,
                    self.method_at.clone(),
                    format!(
                        "client `{}` uses self_signed_tls_client_auth: its certificate is \
                         registered as its jwks, so it takes no `key`",
                        self.name
                    ),
                );
            }
            match &tls {
                None => error(
                    errors,
                    self.method_at.clone(),
                    format!(
                        "client `{}` uses self_signed_tls_client_auth but declares no `tls` \
                         certificate",
                        self.name
                    ),
                ),
                Some(t) => match certificate_jwk(&t.chain()[0]).map_err(|m| t.cert_error(m)) {
                    Ok(jwk) => {
                        metadata.insert("jwks".into(), json!({ "keys": [jwk] }));
                    }
                    Err(d) => errors.push(d),
                },
            }
        }
        tls
    }
}

/// The public JWK of a certificate's key, with the certificate in `x5c` (RFC 7517 §4.7):
/// RSA or EC P-256.
fn certificate_jwk(cert: &CertificateDer<'_>) -> Result<Value, String> {
    let parsed = rustls::server::ParsedCertificate::try_from(cert)
        .map_err(|e| format!("is not an X.509 certificate: {e}"))?;
    let spki = parsed.subject_public_key_info();
    let x5c = json!([STANDARD.encode(cert.as_ref())]);
    if let Some(point) = spki.as_ref().strip_prefix(P256_SPKI_PREFIX)
        && point.len() == 65
        && point[0] == 0x04
    {
        return Ok(json!({
            "kty": "EC",
            "crv": "P-256",
            "x": URL_SAFE_NO_PAD.encode(&point[1..33]),
            "y": URL_SAFE_NO_PAD.encode(&point[33..]),
            "x5c": x5c,
        }));
    }
    let rsa = aws_lc_rs::rsa::PublicKey::from_der(spki.as_ref())
        .map_err(|_| "has a key that is neither RSA nor EC P-256".to_string())?;
    let components = aws_lc_rs::rsa::PublicKeyComponents::<Vec<u8>>::from(&rsa);
    Ok(json!({
        "kty": "RSA",
        "n": URL_SAFE_NO_PAD.encode(&components.n),
        "e": URL_SAFE_NO_PAD.encode(&components.e),
        "x5c": x5c,
    }))
}
