//! The HTTP clients of a run: the environment's transport settings (no automatic redirects,
//! timeout, trusted CAs, `insecure`), see [`HttpSettings::client_builder`].

use std::time::Duration;

use crate::environment::HttpSettings;

pub(super) fn builder(
    http: &HttpSettings,
    timeout: Duration,
) -> Result<reqwest::ClientBuilder, String> {
    http.client_builder(timeout)
}
