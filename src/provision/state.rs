//! The state: what grantspec created or adopted in one environment, as the provider last
//! reported it. Versioned, with a serial incremented at every write and a lineage fixed at
//! creation (Terraform's model).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::exposed_secret;
use crate::secret::Secret;

pub const STATE_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub serial: u64,
    pub lineage: String,
    pub environment: String,
    pub resources: Vec<Resource>,
}

/// One managed object, addressed `key.NAME` or `client.NAME`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Resource {
    Key(KeyResource),
    Client(ClientResource),
}

/// A locally generated key pair: the private key lives in its own 0600 file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyResource {
    pub name: String,
    pub key_type: super::KeyType,
    pub size: u32,
    pub alg: String,
    pub kid: String,
    /// The spec's own `kid` (absent: the thumbprint is used).
    pub kid_declared: Option<String>,
    pub thumbprint: String,
    pub public_jwk: Value,
    pub private_key_file: PathBuf,
}

/// A client registered at the provider.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClientResource {
    pub name: String,
    pub client_id: String,
    /// RFC 7592 §3: where to read, update and delete it.
    pub registration_client_uri: Option<String>,
    #[serde(with = "exposed_secret::option", default)]
    pub registration_access_token: Option<Secret>,
    #[serde(with = "exposed_secret::option", default)]
    pub client_secret: Option<Secret>,
    /// The metadata grantspec manages, as the provider last echoed it.
    pub metadata: Map<String, Value>,
    /// The key registered as its `jwks`, and that key's thumbprint at registration.
    pub key: Option<String>,
    pub key_thumbprint: Option<String>,
}

impl Resource {
    pub fn address(&self) -> String {
        match self {
            Resource::Key(k) => format!("key.{}", k.name),
            Resource::Client(c) => format!("client.{}", c.name),
        }
    }
}

impl State {
    pub fn new(environment: &str) -> Self {
        Self {
            version: STATE_VERSION,
            serial: 0,
            lineage: crate::oauth::uuid_v4(),
            environment: environment.into(),
            resources: Vec::new(),
        }
    }

    pub fn find(&self, address: &str) -> Option<&Resource> {
        self.resources.iter().find(|r| r.address() == address)
    }

    pub fn key(&self, name: &str) -> Option<&KeyResource> {
        self.resources.iter().find_map(|r| match r {
            Resource::Key(k) if k.name == name => Some(k),
            _ => None,
        })
    }

    pub fn client(&self, name: &str) -> Option<&ClientResource> {
        self.resources.iter().find_map(|r| match r {
            Resource::Client(c) if c.name == name => Some(c),
            _ => None,
        })
    }

    /// Inserts or replaces the resource with the same address.
    pub fn put(&mut self, resource: Resource) {
        let address = resource.address();
        match self.resources.iter_mut().find(|r| r.address() == address) {
            Some(slot) => *slot = resource,
            None => self.resources.push(resource),
        }
    }

    pub fn remove(&mut self, address: &str) -> Option<Resource> {
        let i = self.resources.iter().position(|r| r.address() == address)?;
        Some(self.resources.remove(i))
    }
}

/// A resource shown to a person: attributes with every secret replaced.
pub fn display_attributes(resource: &Resource) -> Map<String, Value> {
    let mut out = Map::new();
    match resource {
        Resource::Key(k) => {
            out.insert("key_type".into(), serde_json::json!(k.key_type));
            out.insert("size".into(), k.size.into());
            out.insert("alg".into(), k.alg.clone().into());
            out.insert("kid".into(), k.kid.clone().into());
            out.insert("thumbprint".into(), k.thumbprint.clone().into());
            out.insert(
                "private_key_file".into(),
                k.private_key_file.display().to_string().into(),
            );
        }
        Resource::Client(c) => {
            out.insert("client_id".into(), c.client_id.clone().into());
            if let Some(uri) = &c.registration_client_uri {
                out.insert("registration_client_uri".into(), uri.clone().into());
            }
            let hidden = Value::String("(sensitive value)".into());
            if c.client_secret.is_some() {
                out.insert("client_secret".into(), hidden.clone());
            }
            if c.registration_access_token.is_some() {
                out.insert("registration_access_token".into(), hidden);
            }
            for (k, v) in &c.metadata {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}
