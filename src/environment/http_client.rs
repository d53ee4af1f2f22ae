//! HTTP clients for an environment: no automatic redirects, the environment's timeout, its
//! trusted CA certificates, and certificate checks off only when it says `insecure`. The
//! runner and the registrar both build theirs here, so that both reach the target alike.

use std::time::Duration;

use super::model::HttpSettings;

impl HttpSettings {
    /// A client builder with these settings; the caller adds what is its own (pool size, a
    /// TLS client certificate) and builds.
    pub fn client_builder(&self, timeout: Duration) -> Result<reqwest::ClientBuilder, String> {
        Ok(self.client_builder_trusting(timeout, self.ca_certificates()?))
    }

    /// The certificates of the CA bundle, read from its file (none without a bundle).
    pub fn ca_certificates(&self) -> Result<Vec<reqwest::Certificate>, String> {
        let Some(path) = &self.ca_bundle else {
            return Ok(Vec::new());
        };
        let pem = std::fs::read(path)
            .map_err(|e| format!("cannot read the CA bundle {}: {e}", path.display()))?;
        reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            format!(
                "the CA bundle {} is not PEM certificates: {e}",
                path.display()
            )
        })
    }

    /// [`HttpSettings::client_builder`] with the CA bundle's certificates already read.
    pub fn client_builder_trusting(
        &self,
        timeout: Duration,
        ca_certificates: Vec<reqwest::Certificate>,
    ) -> reqwest::ClientBuilder {
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout);
        if !ca_certificates.is_empty() {
            b = b.tls_certs_merge(ca_certificates);
        }
        if self.insecure {
            b = b.tls_danger_accept_invalid_certs(true);
        }
        b
    }
}
