//! Client certificates for mutual TLS (RFC 8705): the certificate file is checked when the
//! environment loads, its private key (a secret) when the secrets are read; either mistake is
//! an input error at the YAML line that names the file or the secret.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::crypto::aws_lc_rs;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::sign::CertifiedKey;

use crate::diag::{Diagnostic, Location, SourceFile};
use crate::oauth::pem_block;
use crate::secret::Secret;

/// A client's TLS identity as declared: a certificate file and the secret holding its key.
#[derive(Clone, Debug)]
pub struct ClientTls {
    /// PEM: the client certificate first, then any intermediates.
    pub cert: PathBuf,
    /// The name of the secret holding the certificate's PEM private key.
    pub key: String,
    cert_at: Location,
    key_at: Location,
    source: SourceFile,
    /// The file's certificates, DER, the client certificate first: read once, at the check.
    chain: Vec<CertificateDer<'static>>,
}

/// A certificate chain and its private key, checked to belong together.
#[derive(Clone, Debug)]
pub struct TlsIdentity {
    /// The key as the secret holds it, to be redacted wherever it could appear.
    pub key_pem: Secret,
    /// The key, then the chain, as PEM with nothing else in it (no `EC PARAMETERS`, no text):
    /// what `reqwest::Identity::from_pem` reads.
    pub identity_pem: Secret,
}

impl ClientTls {
    /// Checks the certificate file now (it is not secret); the key is checked by
    /// [`ClientTls::identity`] once the secrets are read.
    pub fn check(
        cert: PathBuf,
        key: String,
        cert_at: Location,
        key_at: Location,
        source: &SourceFile,
    ) -> Result<Self, Diagnostic> {
        let mut tls = Self {
            cert,
            key,
            cert_at,
            key_at,
            source: source.clone(),
            chain: Vec::new(),
        };
        tls.chain = tls.read_chain()?;
        Ok(tls)
    }

    /// The certificate chain and the key (from `secrets`), checked: the key parses and is the
    /// one the certificate certifies. Messages never quote the key.
    pub fn identity(&self, secrets: &[(String, Secret)]) -> Result<TlsIdentity, Diagnostic> {
        let chain = self.chain.clone();
        let key_error =
            |message: String| Diagnostic::at(&self.source, self.key_at.clone(), message);
        let secret = secrets
            .iter()
            .find(|(name, _)| *name == self.key)
            .map(|(_, s)| s)
            .ok_or_else(|| {
                key_error(format!(
                    "secret `{}` is not declared under `secrets` in the environment",
                    self.key
                ))
            })?;
        let key = PrivateKeyDer::from_pem_slice(secret.expose().as_bytes()).map_err(|_| {
            key_error(format!(
                "secret `{}` is not a PEM private key (PKCS#8, PKCS#1 or SEC1)",
                self.key
            ))
        })?;
        let mut identity_pem = pem_block(key_label(&key), key.secret_der());
        for cert in &chain {
            identity_pem.push_str(&pem_block("CERTIFICATE", cert));
        }
        let signing_key = aws_lc_rs::default_provider()
            .key_provider
            .load_private_key(key)
            .map_err(|_| {
                key_error(format!(
                    "secret `{}` is a private key of an unsupported type (use RSA, ECDSA or Ed25519)",
                    self.key
                ))
            })?;
        match CertifiedKey::new(chain, Arc::clone(&signing_key)).keys_match() {
            Ok(()) | Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::Unknown)) => {}
            Err(rustls::Error::InconsistentKeys(_)) => {
                return Err(key_error(format!(
                    "the private key in secret `{}` does not belong to the certificate {}",
                    self.key,
                    self.cert.display()
                )));
            }
            Err(e) => return Err(self.cert_error(format!("is not a usable certificate: {e}"))),
        }
        Ok(TlsIdentity {
            key_pem: secret.clone(),
            identity_pem: Secret::new(identity_pem),
        })
    }

    /// The certificate chain, DER, the client certificate first (never empty).
    pub fn chain(&self) -> &[CertificateDer<'static>] {
        &self.chain
    }

    fn read_chain(&self) -> Result<Vec<CertificateDer<'static>>, Diagnostic> {
        let text = std::fs::read(&self.cert)
            .map_err(|e| self.cert_error(format!("cannot be read: {e}")))?;
        let chain = CertificateDer::pem_slice_iter(&text)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.cert_error(format!("is not PEM: {e}")))?;
        let Some(leaf) = chain.first() else {
            return Err(self.cert_error("holds no CERTIFICATE block".into()));
        };
        rustls::server::ParsedCertificate::try_from(leaf)
            .map_err(|e| self.cert_error(format!("is not an X.509 certificate: {e}")))?;
        Ok(chain)
    }

    /// An error about the certificate file, at the line naming it.
    pub fn cert_error(&self, what: String) -> Diagnostic {
        Diagnostic::at(
            &self.source,
            self.cert_at.clone(),
            format!("client certificate {} {what}", self.cert.display()),
        )
    }
}

fn key_label(key: &PrivateKeyDer<'_>) -> &'static str {
    match key {
        PrivateKeyDer::Pkcs1(_) => "RSA PRIVATE KEY",
        PrivateKeyDer::Sec1(_) => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    }
}
