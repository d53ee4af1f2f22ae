//! The embedded authorization server (interface stub; the implementation lands separately).

use std::net::SocketAddr;

use crate::secret::Secret;

/// How the sandbox is set up: issuer path, static clients, users, lifetimes.
#[derive(Clone, Debug, Default)]
pub struct SandboxConfig {
    /// A path under the server root for the issuer, like the provider's `/ap4`; empty for none.
    pub issuer_path: String,
}

/// A client the sandbox knows from the start, with the name scenarios use for it.
#[derive(Clone, Debug)]
pub struct SandboxClient {
    pub name: String,
    pub client_id: String,
    pub client_secret: Option<Secret>,
}

/// A running sandbox.
pub struct Sandbox {
    addr: SocketAddr,
    issuer: String,
    clients: Vec<SandboxClient>,
}

impl Sandbox {
    pub async fn start(_config: SandboxConfig, addr: SocketAddr) -> std::io::Result<Self> {
        Ok(Self {
            addr,
            issuer: format!("http://{addr}"),
            clients: Vec::new(),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn clients(&self) -> &[SandboxClient] {
        &self.clients
    }
}

impl SandboxConfig {
    /// The names of the built-in clients, known without starting the server.
    pub fn client_names(&self) -> Vec<String> {
        vec!["app_basic".into()]
    }
}
