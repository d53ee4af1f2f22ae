//! The clients a run uses, by fixture name: managed ones from the state, external ones from
//! the environment. This is what `test` turns into the runner's clients.

use super::state::State;
use crate::runner::RuntimeClient;
use crate::secret::Secret;

/// A client with its credentials in hand.
#[derive(Clone, Debug)]
pub struct ProvisionedClient {
    pub name: String,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub auth_method: Option<String>,
    /// PKCS#8 PEM private key for `private_key_jwt`, read from `.grantspec/keys/`.
    pub private_key_pem: Option<Secret>,
    pub key_id: Option<String>,
    pub key_alg: Option<String>,
    /// The first registered redirect URI.
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
}

impl ProvisionedClient {
    pub fn runtime(&self) -> RuntimeClient {
        RuntimeClient {
            name: self.name.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            auth_method: self.auth_method.clone().unwrap_or_default(),
            private_key: self.private_key_pem.clone(),
            key_id: self.key_id.clone(),
            signing_alg: self.key_alg.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scope: self.scope.clone(),
            tls: None,
        }
    }
}

/// Every client of the state with its secret and, for key-bound clients, its private key.
/// A key file that cannot be read leaves the client without a key (the run then reports it).
pub fn state_clients(state: &State) -> Vec<ProvisionedClient> {
    state
        .resources
        .iter()
        .filter_map(|r| match r {
            super::Resource::Client(c) => Some(c),
            super::Resource::Key(_) => None,
        })
        .map(|c| {
            let key = c.key.as_ref().and_then(|k| state.key(k));
            ProvisionedClient {
                name: c.name.clone(),
                client_id: c.client_id.clone(),
                client_secret: c.client_secret.clone(),
                auth_method: c
                    .metadata
                    .get("token_endpoint_auth_method")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                private_key_pem: key.and_then(|k| {
                    std::fs::read_to_string(&k.private_key_file)
                        .ok()
                        .map(Secret::new)
                }),
                key_id: key.map(|k| k.kid.clone()),
                key_alg: key.map(|k| k.alg.clone()),
                redirect_uri: c
                    .metadata
                    .get("redirect_uris")
                    .and_then(|v| v.get(0))
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
                scope: c
                    .metadata
                    .get("scope")
                    .and_then(|v| v.as_str())
                    .map(str::to_string),
            }
        })
        .collect()
}
