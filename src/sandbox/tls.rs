//! HTTPS for the sandbox, with client certificates *optional* at the handshake: ordinary
//! clients connect without one, and a client that presents one must prove it holds the key
//! (the handshake's CertificateVerify). Whether the certificate chains to a configured client
//! CA is recorded, not enforced: the mutual-TLS endpoints decide (RFC 8705 §2).

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::{WebPkiSupportedAlgorithms, aws_lc_rs};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::WebPkiClientVerifier;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    DigitallySignedStruct, DistinguishedName, RootCertStore, ServerConfig, SignatureScheme,
};

use crate::secret::Secret;

/// The sandbox's TLS setup: its certificate, and the CAs of `tls_client_auth` clients.
#[derive(Clone, Debug)]
pub struct SandboxTls {
    /// PEM: the server certificate, then any intermediates.
    pub cert_pem: String,
    /// PEM private key of the server certificate.
    pub key_pem: Secret,
    /// PEM certificates of the CAs that issue `tls_client_auth` client certificates; without
    /// any, only `self_signed_tls_client_auth` clients can authenticate.
    pub client_ca_pem: Option<String>,
}

/// A client certificate presented in a handshake.
#[derive(Debug)]
pub(crate) struct PresentedCertificate {
    /// The end-entity certificate, DER.
    pub(crate) der: Vec<u8>,
    /// Whether it chains to one of the configured client CAs (and is valid now).
    pub(crate) ca_verified: bool,
}

/// The server side of the sandbox's TLS, ready to accept connections.
pub(crate) struct TlsServer {
    pub(crate) config: Arc<ServerConfig>,
    client_ca: Option<Arc<dyn ClientCertVerifier>>,
}

impl TlsServer {
    pub(crate) fn new(tls: &SandboxTls) -> std::io::Result<Self> {
        let invalid = |what: &str, e: &dyn std::fmt::Display| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("{what}: {e}"))
        };
        let provider = Arc::new(aws_lc_rs::default_provider());
        let chain = CertificateDer::pem_slice_iter(tls.cert_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid("the TLS certificate is not PEM", &e))?;
        if chain.is_empty() {
            return Err(invalid(
                "the TLS certificate",
                &"the file holds no CERTIFICATE block",
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(tls.key_pem.expose().as_bytes())
            .map_err(|_| invalid("the TLS key", &"not a PEM private key"))?;
        let client_ca = match &tls.client_ca_pem {
            None => None,
            Some(pem) => {
                let mut roots = RootCertStore::empty();
                for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
                    let cert = cert.map_err(|e| invalid("the client CA file is not PEM", &e))?;
                    roots
                        .add(cert)
                        .map_err(|e| invalid("a client CA certificate", &e))?;
                }
                let verifier =
                    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                        .build()
                        .map_err(|e| invalid("the client CAs", &e))?;
                Some(verifier)
            }
        };
        let verifier = Arc::new(OptionalClientCertificate {
            algorithms: provider.signature_verification_algorithms,
        });
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid("TLS versions", &e))?
            .with_client_cert_verifier(verifier)
            .with_single_cert(chain, key)
            .map_err(|e| invalid("the TLS certificate and key", &e))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self {
            config: Arc::new(config),
            client_ca,
        })
    }

    /// What the client of `connection` presented, if anything.
    pub(crate) fn presented(
        &self,
        connection: &rustls::ServerConnection,
    ) -> Option<PresentedCertificate> {
        let (leaf, intermediates) = connection.peer_certificates()?.split_first()?;
        let ca_verified = self.client_ca.as_ref().is_some_and(|ca| {
            ca.verify_client_cert(leaf, intermediates, UnixTime::now())
                .is_ok()
        });
        Some(PresentedCertificate {
            der: leaf.to_vec(),
            ca_verified,
        })
    }
}

/// Asks for a certificate, accepts the handshake without one, and accepts any certificate
/// whose key signs the handshake; trust is decided after the handshake.
#[derive(Debug)]
struct OptionalClientCertificate {
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for OptionalClientCertificate {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        // An empty list: a client sends its certificate whoever issued it.
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
