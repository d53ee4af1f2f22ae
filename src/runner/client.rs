//! The transport of a run's HTTP clients: the environment's settings (no automatic redirects,
//! timeout, trusted CAs, `insecure`, see [`HttpSettings::client_builder`]), with the CA bundle
//! read once per run for every client built from it (the main one, one per TLS client
//! certificate, each scenario's browser).

use std::time::Duration;

use crate::environment::HttpSettings;

pub(super) struct Transport {
    http: HttpSettings,
    timeout: Duration,
    ca_certificates: Vec<reqwest::Certificate>,
}

impl Transport {
    pub(super) fn new(http: &HttpSettings, timeout: Duration) -> Result<Self, String> {
        Ok(Self {
            ca_certificates: http.ca_certificates()?,
            http: http.clone(),
            timeout,
        })
    }

    pub(super) fn builder(&self) -> reqwest::ClientBuilder {
        self.http
            .client_builder_trusting(self.timeout, self.ca_certificates.clone())
    }
}
