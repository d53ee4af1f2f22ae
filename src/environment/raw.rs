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
