use serde_json::{Map, Value, json};

use crate::oauth::ENDPOINTS;

/// Names the top level of the template context reserves.
pub const RESERVED: &[&str] = &["issuer", "endpoints", "secrets", "clients"];

/// Every name a template may use before any step has run: the environment's variables,
/// secrets and clients, the endpoints, the issuer.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub variables: Vec<String>,
    pub secrets: Vec<String>,
    pub clients: Vec<String>,
    pub users: Vec<String>,
    /// The lifetimes the environment declares (`lifetimes:`), by name.
    pub lifetimes: Vec<(String, std::time::Duration)>,
}

impl Scope {
    pub fn lifetime(&self, name: &str) -> Option<std::time::Duration> {
        self.lifetimes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| *d)
    }

    pub fn has_client(&self, name: &str) -> bool {
        self.clients.iter().any(|c| c == name)
    }

    pub fn has_user(&self, name: &str) -> bool {
        self.users.iter().any(|u| u == name)
    }

    /// A template context in which every known name exists, for static checks.
    pub fn probe(&self) -> Value {
        let mut root = Map::new();
        root.insert("issuer".into(), json!("probe"));
        let endpoints: Map<String, Value> = ENDPOINTS
            .iter()
            .map(|(n, _)| ((*n).to_string(), json!("probe")))
            .collect();
        root.insert("endpoints".into(), Value::Object(endpoints));
        let secrets: Map<String, Value> = self
            .secrets
            .iter()
            .map(|n| (n.clone(), json!("probe")))
            .collect();
        root.insert("secrets".into(), Value::Object(secrets));
        let clients: Map<String, Value> = self
            .clients
            .iter()
            .map(|n| {
                (
                    n.clone(),
                    json!({"client_id": "probe", "client_secret": "probe", "redirect_uri": "probe", "scope": "probe"}),
                )
            })
            .collect();
        root.insert("clients".into(), Value::Object(clients));
        for v in &self.variables {
            root.insert(v.clone(), json!("probe"));
        }
        Value::Object(root)
    }
}
