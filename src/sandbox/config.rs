//! How a sandbox is set up: issuer path, clients, users, lifetimes, revocation, defects and
//! faults.

use std::time::Duration;

use super::access_token_revocation::AccessTokenRevocation;
use super::client::{AuthMethod, SandboxClient};
use super::defect::Defect;
use super::fault::Faults;
use super::flavour::Flavour;
use super::tls::SandboxTls;
use super::user::SandboxUser;
use crate::secret::Secret;

/// The sandbox's setup. `Default` is the built-in one: the clients of
/// [`SandboxClient::builtin`], the user of [`SandboxUser::builtin`], the generic flavour, no
/// defect, no fault.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// A path under the server root for the issuer, like the provider's `/ap4`; empty for none
    /// (the keycloak flavour then uses `/realms/grantspec`).
    pub issuer_path: String,
    /// Scheme, host and port the issuer is built from, for a sandbox reached under another
    /// name than its bound address (`0.0.0.0`, a container, a proxy); `None` for
    /// `http://{bound address}`.
    pub base_url: Option<String>,
    pub clients: Vec<SandboxClient>,
    pub users: Vec<SandboxUser>,
    pub lifetimes: Lifetimes,
    /// The server the sandbox stands in for: the provider's own, or Keycloak.
    pub flavour: Flavour,
    /// Which access tokens revocation revokes; the others get 400 unsupported_token_type
    /// (RFC 7009 §2.2.1). Refresh tokens always can be.
    pub access_token_revocation: AccessTokenRevocation,
    /// Rules the sandbox breaks on purpose, one per conformance rule.
    pub defects: Vec<Defect>,
    pub faults: Faults,
    /// The Bearer token RFC 7591 §3 registration requires; random at start when `None`.
    pub initial_access_token: Option<Secret>,
    /// Serve HTTPS, with client certificates optional at the handshake and read at the
    /// mutual-TLS endpoint aliases (RFC 8705); `None` serves plain HTTP.
    pub tls: Option<SandboxTls>,
    /// With `tls`, also listen here for plain http, which is redirected to https without its
    /// parameters (unless a defect says otherwise); `127.0.0.1:0` for an ephemeral port.
    pub plain_http: Option<std::net::SocketAddr>,
    /// Upper bound on each in-memory store (tokens, codes, sessions, assertion ids); the oldest
    /// entries are evicted first.
    pub max_entries: usize,
}

impl SandboxConfig {
    /// How many RSA keys a sandbox started with this configuration generates: its own signing
    /// key, and one per `private_key_jwt` client given no key. What to
    /// [`prefetch_keys`](Self::prefetch_keys).
    pub fn keys_to_generate(&self) -> usize {
        1 + self
            .clients
            .iter()
            .filter(|c| c.auth_method == AuthMethod::PrivateKeyJwt && c.private_key_pem.is_none())
            .count()
    }

    /// Starts generating the keys a sandbox with this configuration will need, each on a
    /// thread of its own, so that [`Sandbox::start`](super::Sandbox::start) finds them ready.
    pub fn prefetch_keys(&self) {
        super::key_pool::prefetch(self.keys_to_generate());
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            issuer_path: String::new(),
            base_url: None,
            clients: SandboxClient::builtin(),
            users: SandboxUser::builtin(),
            lifetimes: Lifetimes::default(),
            flavour: Flavour::Generic,
            access_token_revocation: AccessTokenRevocation::All,
            defects: Vec::new(),
            faults: Faults::default(),
            initial_access_token: None,
            tls: None,
            plain_http: None,
            max_entries: 100_000,
        }
    }
}

/// How long what the sandbox issues stays valid.
#[derive(Clone, Debug)]
pub struct Lifetimes {
    /// Opaque access tokens (the documented `expires_in` 3600).
    pub access_token: Duration,
    /// JWT access tokens of the certificate style (the documented `expires_in` 300).
    pub certificate_access_token: Duration,
    /// Authorization codes (RFC 6749 §4.1.2: short-lived, at most 10 minutes recommended).
    pub code: Duration,
    pub refresh_token: Duration,
    /// How many refreshes a grant allows, reported as `refresh_credit`.
    pub refresh_credit: u32,
    /// Login sessions at the authorization endpoint.
    pub session: Duration,
    /// How long after its `iat` a client assertion is still accepted (Keycloak's 60 s).
    pub assertion_max_age: Duration,
    /// Tolerated clock skew for assertion timestamps.
    pub clock_skew: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        Self {
            access_token: Duration::from_secs(3600),
            certificate_access_token: Duration::from_secs(300),
            code: Duration::from_secs(60),
            refresh_token: Duration::from_secs(86_400),
            refresh_credit: 5,
            session: Duration::from_secs(3600),
            assertion_max_age: Duration::from_secs(60),
            clock_skew: Duration::from_secs(15),
        }
    }
}
