//! A client as the running sandbox holds it: its metadata plus what was derived at
//! registration (parsed verification keys, registration access token).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::client::SandboxClient;
use super::client_key::ClientKey;
use crate::secret::Secret;

/// A client known to the running sandbox.
#[derive(Debug)]
pub(crate) struct RegisteredClient {
    pub(crate) client: SandboxClient,
    /// Public keys its assertions are checked against, parsed once.
    pub(crate) keys: Vec<ClientKey>,
    /// Set for dynamically registered clients (RFC 7592 §3).
    pub(crate) registration_access_token: Option<Secret>,
    /// The registered metadata as echoed by RFC 7591/7592 responses.
    pub(crate) metadata: Option<serde_json::Value>,
    pub(crate) issued_at: u64,
}

/// Every client, by `client_id`. Reads clone an `Arc` and release the lock at once.
#[derive(Debug, Default)]
pub(crate) struct ClientRegistry {
    clients: RwLock<HashMap<String, Arc<RegisteredClient>>>,
}

impl ClientRegistry {
    pub(crate) fn get(&self, client_id: &str) -> Option<Arc<RegisteredClient>> {
        self.clients
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(client_id)
            .cloned()
    }

    pub(crate) fn insert(&self, client: RegisteredClient) {
        self.clients
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(client.client.client_id.clone(), Arc::new(client));
    }

    /// Gives `client_id` the keys generated for it after it was registered.
    pub(crate) fn set_keys(&self, client_id: &str, keys: Vec<ClientKey>) {
        let mut clients = self
            .clients
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(old) = clients.get(client_id) {
            let updated = RegisteredClient {
                client: old.client.clone(),
                keys,
                registration_access_token: old.registration_access_token.clone(),
                metadata: old.metadata.clone(),
                issued_at: old.issued_at,
            };
            clients.insert(client_id.to_owned(), Arc::new(updated));
        }
    }

    pub(crate) fn remove(&self, client_id: &str) -> Option<Arc<RegisteredClient>> {
        self.clients
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(client_id)
    }
}
