//! A running sandbox: binds, fills in the clients' secrets and keys, serves, shuts down.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::authorization_code::CodeStore;
use super::client::{AuthMethod, SandboxClient};
use super::client_key::ClientKey;
use super::clock::unix_now;
use super::config::SandboxConfig;
use super::defect::Defect;
use super::defect_set::DefectSet;
use super::discovery;
use super::endpoints::{self, Endpoints};
use super::flavour::{Flavour, Paths};
use super::random;
use super::registered_client::{ClientRegistry, RegisteredClient};
use super::router;
use super::shared_store::SharedStore;
use super::signing_key::SigningKey;
use super::state::AppState;
use super::tls::TlsServer;
use super::tls_listener::{TlsListener, TlsPeer};
use super::token_store::TokenStore;
use super::user::SandboxUser;
use crate::secret::Secret;

/// A running sandbox.
pub struct Sandbox {
    addr: SocketAddr,
    issuer: String,
    resource: String,
    clients: Vec<SandboxClient>,
    users: Vec<SandboxUser>,
    initial_access_token: Secret,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds `addr` (`127.0.0.1:0` for an ephemeral port) and serves in a task of the current
    /// tokio runtime until [`shutdown`](Self::shutdown) or drop.
    pub async fn start(config: SandboxConfig, addr: SocketAddr) -> std::io::Result<Self> {
        let tls = config.tls.as_ref().map(TlsServer::new).transpose()?;
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let flavour = config.flavour;
        let issuer_path = match endpoints::normalize_path(&config.issuer_path) {
            path if path.is_empty() => flavour.default_issuer_path().to_owned(),
            path => path,
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base = config.base_url.as_deref().map_or_else(
            || format!("{scheme}://{addr}"),
            |b| b.trim_end_matches('/').to_owned(),
        );
        let defects = DefectSet::new(&config.defects);
        let paths = match flavour {
            Flavour::Keycloak if !defects.has(Defect::GenericEndpointPaths) => Paths::KEYCLOAK,
            _ => Paths::GENERIC,
        };
        let endpoints = Endpoints::new(format!("{base}{issuer_path}"), &paths);
        let issuer = endpoints.issuer.clone();

        let signing_key = SigningKey::generate()?;
        let clients = config
            .clients
            .into_iter()
            .map(resolve_client)
            .collect::<std::io::Result<Vec<_>>>()?;
        let users = config.users;

        let registry = ClientRegistry::default();
        for (client, keys) in &clients {
            let keys = keys
                .iter()
                .map(ClientKey::from_jwk)
                .collect::<Result<Vec<_>, _>>()
                .map_err(std::io::Error::other)?;
            registry.insert(RegisteredClient {
                client: client.clone(),
                keys,
                registration_access_token: None,
                metadata: None,
                issued_at: unix_now(),
            });
        }
        let initial_access_token = config
            .initial_access_token
            .unwrap_or_else(|| Secret::new(random::token("iat-")));
        let scopes_supported = scopes_supported(&clients);
        let state = Arc::new(AppState {
            discovery_json: discovery::document(
                &endpoints,
                flavour,
                defects,
                &scopes_supported,
                tls.is_some(),
            )
            .to_string()
            .into(),
            jwks_json: discovery::jwks(&signing_key, defects).to_string().into(),
            endpoints,
            own_key: ClientKey::from_jwk(signing_key.public_jwk())
                .map_err(std::io::Error::other)?,
            signing_key,
            clients: registry,
            subjects: users
                .iter()
                .map(|u| {
                    let sub = u.subject();
                    if defects.has(Defect::LongSubject) {
                        sub.repeat(5)
                    } else {
                        sub
                    }
                })
                .collect(),
            users: users.clone(),
            lifetimes: config.lifetimes.clone(),
            access_token_revocation: config.access_token_revocation,
            flavour,
            realm: issuer_path
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned(),
            defects,
            tokens: TokenStore::new(config.max_entries),
            assertion_ids: SharedStore::new(config.max_entries),
            codes: CodeStore::new(config.max_entries, config.lifetimes.code),
            sessions: SharedStore::new(config.max_entries),
            pending: SharedStore::new(config.max_entries),
            initial_access_token: initial_access_token.clone(),
            scopes_supported,
            mtls: tls.is_some(),
        });

        let app = router::router(state, &issuer_path, &paths, config.faults, tls.is_some());
        let (tx, rx) = oneshot::channel::<()>();
        let stopped = async move {
            let _ = rx.await;
        };
        let task = match tls {
            None => tokio::spawn(async move {
                let serve = axum::serve(listener, app).with_graceful_shutdown(stopped);
                if let Err(e) = serve.await {
                    eprintln!("sandbox: server stopped: {e}");
                }
            }),
            Some(tls) => {
                let listener = TlsListener::new(listener, tls);
                let app = app.into_make_service_with_connect_info::<TlsPeer>();
                tokio::spawn(async move {
                    let serve = axum::serve(listener, app).with_graceful_shutdown(stopped);
                    if let Err(e) = serve.await {
                        eprintln!("sandbox: server stopped: {e}");
                    }
                })
            }
        };
        Ok(Self {
            addr,
            issuer,
            resource: format!("{base}{}", endpoints::RESOURCE),
            clients: clients.into_iter().map(|(c, _)| c).collect(),
            users,
            initial_access_token,
            shutdown: Some(tx),
            task: Some(task),
        })
    }

    /// The bound address, with the real port.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The issuer identifier, e.g. `http://127.0.0.1:41234/ap4` (`https://` with TLS).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The URL of the protected resource that accepts the sandbox's access tokens.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The static clients with their generated secrets and keys.
    pub fn clients(&self) -> &[SandboxClient] {
        &self.clients
    }

    /// The static client named `name` (`app_basic`, `web_app`, …).
    pub fn client(&self, name: &str) -> Option<&SandboxClient> {
        self.clients.iter().find(|c| c.name == name)
    }

    /// The test users.
    pub fn users(&self) -> &[SandboxUser] {
        &self.users
    }

    /// The Bearer token the registration endpoint requires (RFC 7591 §3).
    pub fn initial_access_token(&self) -> &Secret {
        &self.initial_access_token
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the server.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Fills in a random secret or a fresh key pair, and returns the client with its public JWKs.
fn resolve_client(
    mut client: SandboxClient,
) -> std::io::Result<(SandboxClient, Vec<serde_json::Value>)> {
    if client.auth_method.uses_secret() && client.client_secret.is_none() {
        client.client_secret = Some(Secret::new(random::token("")));
    }
    let mut jwks = Vec::new();
    if client.auth_method == AuthMethod::PrivateKeyJwt {
        let kid = client
            .key_id
            .get_or_insert_with(|| random::token("key-"))
            .clone();
        let key = match &client.private_key_pem {
            Some(pem) => SigningKey::from_pem(pem.expose(), kid)?,
            None => {
                let key = SigningKey::generate_with_kid(kid)?;
                client.private_key_pem = Some(key.private_pem()?);
                key
            }
        };
        jwks.push(key.public_jwk().clone());
    }
    Ok((client, jwks))
}

/// `openid` and every scope of the configured clients, sorted.
fn scopes_supported(clients: &[(SandboxClient, Vec<serde_json::Value>)]) -> Vec<String> {
    let mut scopes: Vec<String> = clients
        .iter()
        .flat_map(|(c, _)| c.scopes.iter().cloned())
        .chain(std::iter::once("openid".to_owned()))
        .collect();
    scopes.sort_unstable();
    scopes.dedup();
    scopes
}
