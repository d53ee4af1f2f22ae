use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::scenario::OrderedMap;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEnvironment {
    /// The issuer URL, or `embedded` for the in-process sandbox.
    #[schemars(with = "String")]
    pub issuer: Spanned<String>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub profile: Option<Spanned<String>>,
    #[serde(default)]
    pub endpoints: OrderedMap<Spanned<String>, Spanned<String>>,
    /// Where an https server answers plain http (`http://host:port`), for `plain_http` steps.
    /// Default: port 80 of an endpoint's host when the endpoint uses 443, else the endpoint's
    /// own port. The embedded sandbox over TLS sets its own.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub plain_http: Option<Spanned<String>>,
    #[serde(default)]
    pub variables: OrderedMap<Spanned<String>, Spanned<Value>>,
    #[serde(default)]
    pub secrets: OrderedMap<Spanned<String>, Spanned<RawSecretSource>>,
    #[serde(default)]
    pub clients: OrderedMap<Spanned<String>, Spanned<RawClient>>,
    #[serde(default)]
    pub users: OrderedMap<Spanned<String>, Spanned<RawUser>>,
    #[serde(default)]
    pub login: Option<RawLogin>,
    #[serde(default)]
    pub http: Option<RawHttpSettings>,
    #[serde(default)]
    #[schemars(with = "Option<usize>")]
    pub concurrency: Option<Spanned<usize>>,
    /// Options of the embedded sandbox (only with `issuer: embedded`).
    #[serde(default)]
    #[schemars(with = "Option<RawSandbox>")]
    pub sandbox: Option<Spanned<RawSandbox>>,
    /// How long what the server issues stays valid, for scenarios that wait for it to expire
    /// (`delay: { until_expired: authorization_code }`). The embedded sandbox is started with
    /// these lifetimes.
    #[serde(default)]
    pub lifetimes: Option<RawLifetimes>,
    /// A file of known deviations, relative to this file.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub baseline: Option<Spanned<String>>,
    /// How fixtures get to the provider: `dynamic` (RFC 7591) or `external`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub provisioning: Option<Spanned<String>>,
    #[serde(default)]
    pub registration: Option<RawRegistration>,
}

/// Where and how clients are registered when `provisioning: dynamic`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRegistration {
    /// The registration endpoint; discovery's `registration_endpoint` when absent.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub endpoint: Option<Spanned<String>>,
    /// The name of the secret holding the initial access token (RFC 7591 §3).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub initial_access_token: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSecretSource {
    #[serde(default)]
    pub env: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawClient {
    #[schemars(with = "String")]
    pub client_id: Spanned<String>,
    /// The name of an entry of `secrets`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub client_secret: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub auth_method: Option<Spanned<String>>,
    /// The name of an entry of `secrets` holding a PKCS#8 PEM private key.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub private_key: Option<Spanned<String>>,
    #[serde(default)]
    pub key_id: Option<String>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub signing_alg: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub redirect_uri: Option<Spanned<String>>,
    #[serde(default)]
    pub scope: Option<String>,
    /// A TLS client certificate, presented on every request made as this client (RFC 8705).
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
    /// The name of an entry of `secrets` holding the certificate's PEM private key.
    #[schemars(with = "String")]
    pub key: Spanned<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUser {
    pub username: String,
    /// The name of an entry of `secrets`.
    #[schemars(with = "String")]
    pub password: Spanned<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLogin {
    #[serde(default)]
    pub form: Option<RawForm>,
    #[serde(default)]
    pub consent: Option<RawForm>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawForm {
    /// Picks the form whose `action` contains this text (default: the first suitable form).
    #[serde(default)]
    pub action_contains: Option<String>,
    #[serde(default)]
    pub username_field: Option<String>,
    #[serde(default)]
    pub password_field: Option<String>,
    /// A submit button to press, by name (and value).
    #[serde(default)]
    pub submit: Option<OrderedMap<String, String>>,
    /// Extra fields to send.
    #[serde(default)]
    pub extra: OrderedMap<String, String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHttpSettings {
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub timeout: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<RawRetries>")]
    pub retries: Option<Spanned<RawRetries>>,
    /// PEM file of extra trusted CA certificates, relative to the environment file.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub ca_bundle: Option<Spanned<String>>,
    /// Accept any TLS certificate. Warned about in the console and the reports.
    #[serde(default)]
    pub insecure: bool,
    /// Responses larger than this are an error (default 16 MiB).
    #[serde(default)]
    pub max_body_bytes: Option<usize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRetries {
    /// Extra attempts after the first.
    pub attempts: u32,
    /// `connect`, `timeout`, `reset`, or HTTP statuses (`502`, `503`, ...).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub on: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub backoff: Option<Spanned<String>>,
}

/// The server's lifetimes, as durations (`60s`, `10m`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLifetimes {
    /// Authorization codes (RFC 6749 §4.1.2: ten minutes at most; Keycloak's default 60 s).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub authorization_code: Option<Spanned<String>>,
    /// Access tokens of the client `app_short_lived`, one the server gives a short access-token
    /// lifetime of its own (Keycloak's per-client Access Token Lifespan, oidc-provider's `ttl`
    /// function): whole seconds, like `expires_in`. Every other token keeps the server's usual
    /// lifetime, so only the scenario that waits for this one depends on it.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub short_lived_access_token: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSandbox {
    #[serde(default)]
    pub issuer_path: Option<String>,
    /// Serve HTTPS with this certificate and key (PEM files, relative to the environment
    /// file), and plain http on another loopback port that redirects to https. Trust the
    /// certificate's CA with `http: { ca_bundle: ... }`.
    #[serde(default)]
    #[schemars(with = "Option<RawSandboxTls>")]
    pub tls: Option<Spanned<RawSandboxTls>>,
    /// The server the sandbox stands in for: `generic` (default) or `keycloak`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub flavour: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub defects: Vec<Spanned<String>>,
    /// Which access tokens revocation revokes: `all` (default), `opaque` (not the JWT ones) or
    /// `none` (refresh tokens only); the others get 400 unsupported_token_type (RFC 7009 §2.2.1).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub access_token_revocation: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub latency: Option<Spanned<String>>,
    #[serde(default)]
    pub fail_rate: Option<f64>,
    #[serde(default)]
    pub drop_rate: Option<f64>,
}

/// The JSON Schema of an environment file.
pub(crate) fn environment_schema() -> schemars::Schema {
    crate::schema::root::<RawEnvironment>()
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSandboxTls {
    /// The server certificate (chain), PEM.
    #[schemars(with = "String")]
    pub cert: Spanned<String>,
    /// Its private key, PEM.
    #[schemars(with = "String")]
    pub key: Spanned<String>,
}
