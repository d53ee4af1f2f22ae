//! `fixtures.yaml` as written: every user value keeps its line and column.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::scenario::{OrderedMap, StringOrList};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFixtures {
    #[serde(default)]
    pub keys: OrderedMap<Spanned<String>, Spanned<RawKey>>,
    #[serde(default)]
    pub clients: OrderedMap<Spanned<String>, Spanned<RawClient>>,
    #[serde(default)]
    pub users: OrderedMap<Spanned<String>, Spanned<RawUser>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKey {
    /// `rsa` or `ec`.
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub key_type: Spanned<String>,
    /// RSA modulus size: 2048, 3072 or 4096.
    #[serde(default)]
    #[schemars(with = "Option<u32>")]
    pub size: Option<Spanned<u32>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub alg: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub kid: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClient {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub client_name: Option<Spanned<String>>,
    /// RFC 7591 `token_endpoint_auth_method`.
    #[schemars(with = "String")]
    pub auth_method: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub grant_types: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub response_types: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub redirect_uris: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub post_logout_redirect_uris: Option<Spanned<Vec<String>>>,
    /// A space-separated string or a list.
    #[serde(default)]
    #[schemars(with = "Option<StringOrList>")]
    pub scope: Option<Spanned<StringOrList>>,
    /// `consumer` or `certificate` (the provider's two token response shapes).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub response_style: Option<Spanned<String>>,
    /// The name of an entry of `keys`, registered as the client's `jwks`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub key: Option<Spanned<String>>,
    /// Any other RFC 7591 metadata, sent as written.
    #[serde(default)]
    pub metadata: OrderedMap<Spanned<String>, Spanned<Value>>,
    /// A TLS client certificate, presented on every request made as this client (RFC 8705);
    /// registered as the client's `jwks` for `self_signed_tls_client_auth`.
    #[serde(default)]
    #[schemars(with = "Option<RawClientTls>")]
    pub tls: Option<Spanned<RawClientTls>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClientTls {
    /// PEM file of the client certificate (then any intermediates), relative to this file.
    #[schemars(with = "String")]
    pub cert: Spanned<String>,
    /// The name of the environment secret holding the certificate's PEM private key.
    #[schemars(with = "String")]
    pub key_secret: Spanned<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUser {
    #[schemars(with = "String")]
    pub username: Spanned<String>,
    /// The name of the environment secret holding the password.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub password_secret: Option<Spanned<String>>,
}

/// The JSON Schema of a fixtures file.
pub(crate) fn fixtures_schema() -> schemars::Schema {
    crate::schema::root::<RawFixtures>()
}
