//! The HTTP clients of a run: no automatic redirects, the environment's timeout, its trusted
//! CA certificates, and certificate checks off only when the environment says `insecure`.

use std::time::Duration;

use crate::environment::HttpSettings;

pub(super) fn builder(
    http: &HttpSettings,
    timeout: Duration,
) -> Result<reqwest::ClientBuilder, String> {
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout);
    if let Some(path) = &http.ca_bundle {
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
    if http.insecure {
        b = b.tls_danger_accept_invalid_certs(true);
    }
    Ok(b)
}
