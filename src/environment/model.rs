use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use super::client_tls::{ClientTls, TlsIdentity};
use super::provisioning::Provisioning;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::secret::Secret;

pub(super) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A loaded, checked environment. Secret values are not read until [`Environment::read_secrets`].
#[derive(Debug)]
pub struct Environment {
    pub name: String,
    pub target: Target,
    pub profile: String,
    /// Endpoint URLs that override (or stand in for) what discovery advertises.
    pub endpoints: Vec<(String, String)>,
    /// Where the server answers plain http (`http://host:port`), for `plain_http` steps.
    pub plain_http: Option<String>,
    pub variables: Vec<(String, Value)>,
    pub secrets: Vec<(String, SecretSource, Location)>,
    pub clients: Vec<Client>,
    pub users: Vec<User>,
    pub login: LoginRecipe,
    pub timeout: Duration,
    pub http: HttpSettings,
    pub concurrency: Option<usize>,
    pub sandbox: SandboxOptions,
    /// The server's lifetimes, as the environment declares them (the embedded sandbox is
    /// started with them).
    pub lifetimes: Lifetimes,
    pub baseline: Vec<super::BaselineEntry>,
    /// How the fixtures of `fixtures.yaml` reach the provider.
    pub provisioning: Provisioning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Start the embedded sandbox in-process and test it.
    Embedded,
    /// A server reached at this issuer.
    Issuer(String),
}

#[derive(Clone, Debug)]
pub enum SecretSource {
    Env(String),
    File(PathBuf),
}

/// An OAuth client the scenarios refer to by name (`client: NAME`, `auth: { basic: NAME }`).
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub name: String,
    pub client_id: String,
    /// The name of the secret (in `secrets`) holding the client secret.
    pub client_secret: Option<String>,
    /// One of [`AUTH_METHODS`].
    pub auth_method: String,
    /// The name of the secret holding the PKCS#8 PEM private key, for `private_key_jwt`.
    pub private_key: Option<String>,
    pub key_id: Option<String>,
    pub signing_alg: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    /// The TLS client certificate presented on every request made as this client (RFC 8705).
    pub tls: Option<ClientTls>,
}

/// A test user who logs in at the authorization endpoint.
#[derive(Clone, Debug)]
pub struct User {
    pub name: String,
    pub username: String,
    /// The name of the secret holding the password.
    pub password: String,
}

/// How the target's login (and consent) pages are filled in.
#[derive(Clone, Debug, Default)]
pub struct LoginRecipe {
    pub form: FormRecipe,
    pub consent: Option<FormRecipe>,
}

#[derive(Clone, Debug, Default)]
pub struct FormRecipe {
    pub action_contains: Option<String>,
    pub username_field: Option<String>,
    pub password_field: Option<String>,
    pub submit: Option<(String, String)>,
    pub extra: Vec<(String, String)>,
}

/// Transport settings of an environment.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    pub retries: RetryPolicy,
    pub ca_bundle: Option<PathBuf>,
    pub insecure: bool,
    pub max_body_bytes: usize,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            retries: RetryPolicy::default(),
            ca_bundle: None,
            insecure: false,
            max_body_bytes: 16 * 1024 * 1024,
        }
    }
}

/// When an idempotent request (GET, HEAD, OPTIONS) is tried again. Requests that change
/// state or carry single-use values (a code, an assertion) are never replayed.
#[derive(Clone, Debug, Default)]
pub struct RetryPolicy {
    /// Extra attempts after the first; 0 never retries.
    pub attempts: u32,
    pub on: Vec<RetryOn>,
    /// Wait before the first retry, doubled for each next one.
    pub backoff: Duration,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryOn {
    Connect,
    Timeout,
    Reset,
    Status(u16),
}

/// How the embedded sandbox is started (ignored for other targets).
#[derive(Clone, Debug, Default)]
pub struct SandboxOptions {
    pub issuer_path: String,
    pub flavour: crate::sandbox::Flavour,
    /// The code lifetime of `lifetimes.authorization_code`; the sandbox's default without.
    pub code_lifetime: Option<Duration>,
    /// The access-token lifetime of the built-in client `app_short_lived`, from
    /// `lifetimes.short_lived_access_token`; its default without.
    pub short_lived_access_token: Option<Duration>,
    pub access_token_revocation: crate::sandbox::AccessTokenRevocation,
    pub defects: Vec<crate::sandbox::Defect>,
    pub latency: Duration,
    pub fail_rate: f64,
    pub drop_rate: f64,
    /// `sandbox.tls`: the server certificate and key files; HTTPS, and plain http beside it.
    pub tls: Option<SandboxTlsFiles>,
}

/// The PEM files of an embedded sandbox served over HTTPS.
#[derive(Clone, Debug)]
pub struct SandboxTlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// Lifetimes an environment declares for its server.
#[derive(Clone, Debug, Default)]
pub struct Lifetimes {
    pub authorization_code: Option<Duration>,
    /// The access tokens of the client `app_short_lived` only (a per-client lifetime).
    pub short_lived_access_token: Option<Duration>,
}

impl Lifetimes {
    /// The names a scenario can wait for (`until_expired: NAME`, `requires: [lifetime:NAME]`).
    pub const NAMES: &'static [&'static str] = &["authorization_code", "short_lived_access_token"];

    /// The declared lifetime called `name`.
    pub fn get(&self, name: &str) -> Option<Duration> {
        match name {
            "authorization_code" => self.authorization_code,
            "short_lived_access_token" => self.short_lived_access_token,
            _ => None,
        }
    }

    /// Every declared lifetime, by name.
    pub fn declared(&self) -> Vec<(String, Duration)> {
        Self::NAMES
            .iter()
            .filter_map(|n| self.get(n).map(|d| ((*n).to_string(), d)))
            .collect()
    }
}

pub const AUTH_METHODS: &[&str] = &[
    "client_secret_basic",
    "client_secret_post",
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
    "none",
];

impl Environment {
    /// The environment used when none is named and `environments/sandbox.yaml` is absent.
    pub fn embedded() -> Self {
        Self {
            name: "sandbox".into(),
            target: Target::Embedded,
            profile: "bouygues".into(),
            endpoints: Vec::new(),
            plain_http: None,
            variables: Vec::new(),
            secrets: Vec::new(),
            clients: Vec::new(),
            users: Vec::new(),
            login: LoginRecipe::default(),
            timeout: DEFAULT_TIMEOUT,
            http: HttpSettings::default(),
            concurrency: None,
            sandbox: SandboxOptions::default(),
            lifetimes: Lifetimes::default(),
            baseline: Vec::new(),
            provisioning: Provisioning::sandbox(),
        }
    }

    /// Reads every secret from its source. A missing variable or file is an input error.
    pub fn read_secrets(&self) -> Result<Vec<(String, Secret)>, Diagnostics> {
        let mut out = Vec::new();
        let mut diags = Diagnostics::default();
        for (name, source, location) in &self.secrets {
            let value = match source {
                SecretSource::Env(var) => std::env::var(var)
                    .map_err(|_| format!("secret `{name}`: environment variable {var} is not set")),
                SecretSource::File(path) => std::fs::read_to_string(path)
                    .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
                    .map_err(|e| format!("secret `{name}`: cannot read {}: {e}", path.display())),
            };
            match value {
                Ok(v) => out.push((name.clone(), Secret::new(v))),
                Err(message) => diags.push(Diagnostic::plain(Some(location.clone()), message)),
            }
        }
        diags.into_result(out)
    }

    /// The TLS client certificate of every client that has one, with its key from `secrets`,
    /// by client name. A key that does not parse or belong to its certificate is an input
    /// error at the line naming it.
    pub fn tls_identities(
        &self,
        secrets: &[(String, Secret)],
    ) -> Result<Vec<(String, TlsIdentity)>, Diagnostics> {
        let mut out = Vec::new();
        let mut diags = Diagnostics::default();
        for client in &self.clients {
            if let Some(tls) = &client.tls {
                match tls.identity(secrets) {
                    Ok(identity) => out.push((client.name.clone(), identity)),
                    Err(d) => diags.push(d),
                }
            }
        }
        diags.into_result(out)
    }
}
