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
use super::deferred::Deferred;
use super::discovery;
use super::endpoints::{self, Endpoints};
use super::flavour::{Flavour, Paths};
use super::plain_http;
use super::random;
use super::registered_client::{ClientRegistry, RegisteredClient};
use super::router;
use super::sandbox_keys;
use super::shared_store::SharedStore;
use super::signing_key::SigningKey;
use super::state::{AppState, SharedState};
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
    /// The clients as configured, their generated keys still missing (see [`Self::clients`]).
    clients: Vec<SandboxClient>,
    state: SharedState,
    users: Vec<SandboxUser>,
    initial_access_token: Secret,
    /// The plain-http listener of an https sandbox.
    plain_http: Option<SocketAddr>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    plain_task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Binds `addr` (`127.0.0.1:0` for an ephemeral port) and serves in a task of the current
    /// tokio runtime until [`shutdown`](Self::shutdown) or drop.
    pub async fn start(config: SandboxConfig, addr: SocketAddr) -> std::io::Result<Self> {
        let tls = config.tls.as_ref().map(TlsServer::new).transpose()?;
        if config.plain_http.is_some() && tls.is_none() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a plain-http listener needs TLS: it redirects to https",
            ));
        }
        let listener = TcpListener::bind(addr).await?;
        let plain_listener = match config.plain_http {
            Some(plain) => Some(TcpListener::bind(plain).await?),
            None => None,
        };
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

        // Its own key and the clients' made-up ones are generated side by side in the
        // background: the sandbox listens at once, and what needs a key waits for it.
        config.prefetch_keys();
        let clients = config
            .clients
            .into_iter()
            .map(resolve_client)
            .collect::<std::io::Result<Vec<_>>>()?;
        let users = config.users;

        let registry = Arc::new(ClientRegistry::default());
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
        let scopes_supported = scopes_supported(&clients);
        let pending: Vec<usize> = clients
            .iter()
            .enumerate()
            .filter(|(_, (c, keys))| c.auth_method == AuthMethod::PrivateKeyJwt && keys.is_empty())
            .map(|(i, _)| i)
            .collect();
        let clients: Vec<SandboxClient> = clients.into_iter().map(|(c, _)| c).collect();
        let keys = {
            let clients = clients.clone();
            let registry = Arc::clone(&registry);
            Deferred::spawn("grantspec-sandbox-keys", move || {
                let keys = sandbox_keys::generate(clients, pending, &registry, defects);
                if let Err(e) = &keys {
                    eprintln!("sandbox: {e}");
                }
                keys
            })
        };
        let initial_access_token = config
            .initial_access_token
            .unwrap_or_else(|| Secret::new(random::token("iat-")));
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
            endpoints,
            keys,
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

        let app = router::router(
            Arc::clone(&state),
            &issuer_path,
            &paths,
            config.faults,
            tls.is_some(),
        );
        let plain_http = plain_listener
            .as_ref()
            .map(TcpListener::local_addr)
            .transpose()?;
        let plain_task = plain_listener.map(|listener| {
            let app = plain_http::router(app.clone(), base.clone(), defects);
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    eprintln!("sandbox: plain-http listener stopped: {e}");
                }
            })
        });
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
            clients,
            state,
            users,
            initial_access_token,
            plain_http,
            shutdown: Some(tx),
            task: Some(task),
            plain_task,
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

    /// `http://{address}` of the plain-http listener of an https sandbox
    /// ([`SandboxConfig::plain_http`]).
    pub fn plain_http_origin(&self) -> Option<String> {
        self.plain_http.map(|addr| format!("http://{addr}"))
    }

    /// The URL of the protected resource that accepts the sandbox's access tokens.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The static clients with their generated secrets and keys (waiting for the keys, which
    /// are generated in the background from the start).
    pub fn clients(&self) -> &[SandboxClient] {
        match self.state.keys.get() {
            Some(Ok(keys)) => &keys.clients,
            // Printed when it happened; the clients that needed a key have none.
            _ => &self.clients,
        }
    }

    /// The static client named `name` (`app_basic`, `web_app`, …).
    pub fn client(&self, name: &str) -> Option<&SandboxClient> {
        self.clients().iter().find(|c| c.name == name)
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
        if let Some(task) = self.plain_task.take() {
            task.abort();
        }
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
        for task in [self.task.take(), self.plain_task.take()]
            .into_iter()
            .flatten()
        {
            task.abort();
        }
    }
}

/// Fills in a random secret and a key id, and returns the client with the public JWK of its
/// configured key: none for a `private_key_jwt` client whose key is to be generated.
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
        if let Some(pem) = &client.private_key_pem {
            jwks.push(
                SigningKey::from_pem(pem.expose(), kid)?
                    .public_jwk()
                    .clone(),
            );
        }
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
