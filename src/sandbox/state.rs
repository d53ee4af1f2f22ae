//! Everything a request handler reads: the issuer, keys, clients, users, stores, defects.

use std::sync::Arc;

use axum::body::Bytes;

use super::access_token_revocation::AccessTokenRevocation;
use super::authorization_code::CodeStore;
use super::client::AuthMethod;
use super::config::Lifetimes;
use super::defect::Defect;
use super::defect_set::DefectSet;
use super::deferred::Deferred;
use super::endpoints::Endpoints;
use super::flavour::Flavour;
use super::registered_client::{ClientRegistry, RegisteredClient};
use super::sandbox_keys::{SandboxKeys, Signing};
use super::session::{AuthorizationRequest, Session};
use super::shared_store::SharedStore;
use super::signing_key::KeyError;
use super::token_store::TokenStore;
use super::user::SandboxUser;
use crate::secret::Secret;

/// The running sandbox's shared state.
pub(crate) struct AppState {
    pub(crate) endpoints: Endpoints,
    /// The keys generated at start, in the background: see [`signing`](Self::signing).
    pub(crate) keys: Deferred<Result<SandboxKeys, KeyError>>,
    /// The discovery document, serialized once at start.
    pub(crate) discovery_json: Bytes,
    pub(crate) clients: Arc<ClientRegistry>,
    pub(crate) users: Vec<SandboxUser>,
    /// Each user's `sub`, computed once, by the same index.
    pub(crate) subjects: Vec<String>,
    pub(crate) lifetimes: Lifetimes,
    pub(crate) access_token_revocation: AccessTokenRevocation,
    pub(crate) flavour: Flavour,
    /// The last segment of the issuer path: the realm of the keycloak flavour, named in its
    /// `WWW-Authenticate` challenges.
    pub(crate) realm: String,
    pub(crate) defects: DefectSet,
    pub(crate) tokens: TokenStore,
    /// Client assertion `jti`s already used (RFC 7523 §3 item 7; OIDC Core §9), per client.
    pub(crate) assertion_ids: SharedStore<()>,
    pub(crate) codes: CodeStore,
    pub(crate) sessions: SharedStore<Session>,
    /// Authorization requests waiting for the login form, by request id.
    pub(crate) pending: SharedStore<AuthorizationRequest>,
    pub(crate) initial_access_token: Secret,
    /// Every scope a client may be registered with (`scopes_supported`).
    pub(crate) scopes_supported: Vec<String>,
    /// Whether the sandbox serves TLS, and so mutual-TLS client authentication (RFC 8705).
    pub(crate) mtls: bool,
}

pub(crate) type SharedState = Arc<AppState>;

impl AppState {
    pub(crate) fn has(&self, defect: Defect) -> bool {
        self.defects.has(defect)
    }

    pub(crate) fn is_keycloak(&self) -> bool {
        self.flavour == Flavour::Keycloak
    }

    pub(crate) fn issuer(&self) -> &str {
        &self.endpoints.issuer
    }

    /// The `sub` of the user at `index`.
    pub(crate) fn subject(&self, index: usize) -> &str {
        self.subjects.get(index).map_or("", String::as_str)
    }

    /// The client registered as `client_id`; a `private_key_jwt` client whose key is still
    /// being generated once it has it.
    pub(crate) fn client(&self, client_id: &str) -> Option<Arc<RegisteredClient>> {
        let client = self.clients.get(client_id)?;
        if client.keys.is_empty() && client.client.auth_method == AuthMethod::PrivateKeyJwt {
            let _ = self.keys.get();
            return self.clients.get(client_id);
        }
        Some(client)
    }

    /// The sandbox's signing key, once generated (the first caller may wait for it).
    pub(crate) fn signing(&self) -> Result<&Signing, KeyError> {
        match self.keys.get() {
            Some(Ok(keys)) => Ok(&keys.signing),
            Some(Err(e)) => Err(*e),
            None => Err(KeyError::Generate),
        }
    }
}
