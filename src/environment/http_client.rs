//! HTTP clients for an environment: no automatic redirects, the environment's timeout, its
//! trusted CA certificates, and certificate checks off only when it says `insecure`. The
//! runner and the registrar both build theirs here, so that both reach the target alike.

use std::time::Duration;

use super::model::HttpSettings;

impl HttpSettings {
    /// A client builder with these settings; the caller adds what is its own (pool size, a
    /// TLS client certificate) and builds.
    pub fn client_builder(&self, timeout: Duration) -> Result<reqwest::ClientBuilder, String> {
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout);
        if let Some(path) = &self.ca_bundle {
            let pem = std::fs::read(path)
                .map_err(|e| format!("cannot read the CA bundle {}: {e}", path.display()))?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                format!(
                    "the CA bundle {} is not PEM certificates: {e}",
                    path.display()
                )
            })?;
            b = b.tls_certs_merge(certs);
        }
        if self.insecure {
            b = b.tls_danger_accept_invalid_certs(true);
        }
        Ok(b)
    }
}
