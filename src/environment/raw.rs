use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::scenario::OrderedMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEnvironment {
    /// The issuer URL, or `embedded` for the in-process sandbox.
    pub issuer: Spanned<String>,
    #[serde(default)]
    pub profile: Option<Spanned<String>>,
    #[serde(default)]
    pub endpoints: OrderedMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub variables: OrderedMap<Spanned<String>, Spanned<Value>>,
    #[serde(default)]
    pub secrets: OrderedMap<Spanned<String>, Spanned<RawSecretSource>>,
    #[serde(default)]
    pub clients: OrderedMap<Spanned<String>, Spanned<RawClient>>,
    #[serde(default)]
    pub http: Option<RawHttpSettings>,
    #[serde(default)]
    pub concurrency: Option<Spanned<usize>>,
    /// How fixtures get to the provider: `dynamic` (RFC 7591) or `external`.
    #[serde(default)]
    pub provisioning: Option<Spanned<String>>,
    #[serde(default)]
    pub registration: Option<RawRegistration>,
}

/// Where and how clients are registered when `provisioning: dynamic`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRegistration {
    /// The registration endpoint; discovery's `registration_endpoint` when absent.
    #[serde(default)]
    pub endpoint: Option<Spanned<String>>,
    /// The name of the secret holding the initial access token (RFC 7591 §3).
    #[serde(default)]
    pub initial_access_token: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSecretSource {
    #[serde(default)]
    pub env: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClient {
    pub client_id: Spanned<String>,
    /// The name of an entry of `secrets`.
    #[serde(default)]
    pub client_secret: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHttpSettings {
    #[serde(default)]
    pub timeout: Option<Spanned<String>>,
}
