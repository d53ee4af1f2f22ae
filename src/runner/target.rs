use std::time::Duration;

use serde_json::{Map, Value};

use super::Redactor;
use crate::environment::{BaselineEntry, HttpSettings, LoginRecipe, TlsIdentity};
use crate::oauth::{ENDPOINTS, basic_authorization};
use crate::outcome::ErrorKind;
use crate::secret::Secret;

/// A client as the runner needs it: credentials in hand.
#[derive(Clone, Debug, Default)]
pub struct RuntimeClient {
    pub name: String,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    /// `client_secret_basic`, `client_secret_post`, `private_key_jwt`, `tls_client_auth`,
    /// `self_signed_tls_client_auth` or `none`.
    pub auth_method: String,
    /// PKCS#8 PEM, for `private_key_jwt`.
    pub private_key: Option<Secret>,
    pub key_id: Option<String>,
    pub signing_alg: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    /// The TLS client certificate presented on every request made as this client (RFC 8705).
    pub tls: Option<TlsIdentity>,
}

/// A test user with the password in hand.
#[derive(Clone, Debug)]
pub struct RuntimeUser {
    pub name: String,
    pub username: String,
    pub password: Secret,
}

/// The environment at run time: where to send requests and with which credentials.
#[derive(Clone, Debug)]
pub struct RunTarget {
    pub environment: String,
    pub issuer: Option<String>,
    /// Endpoint overrides from the environment; discovery fills in the rest.
    pub endpoint_overrides: Vec<(String, String)>,
    /// Where the server answers plain http, for `plain_http` steps (`http://host:port`).
    pub plain_http: Option<String>,
    pub variables: Vec<(String, Value)>,
    pub secrets: Vec<(String, Secret)>,
    pub clients: Vec<RuntimeClient>,
    pub users: Vec<RuntimeUser>,
    pub login: LoginRecipe,
    pub profile: String,
    pub timeout: Duration,
    pub http: HttpSettings,
    /// Known deviations: failures of these rules are reported apart and do not fail the run.
    pub baseline: Vec<BaselineEntry>,
    /// The bearer token RFC 7591 registration needs, when the target has one.
    pub initial_access_token: Option<Secret>,
}

impl RunTarget {
    pub fn client(&self, name: &str) -> Option<&RuntimeClient> {
        self.clients.iter().find(|c| c.name == name)
    }

    pub fn user(&self, name: &str) -> Option<&RuntimeUser> {
        self.users.iter().find(|u| u.name == name)
    }

    /// Every secret of the target, and the Basic headers derived from the client secrets.
    pub fn redactor(&self) -> Redactor {
        let mut r = Redactor::default();
        for (name, secret) in &self.secrets {
            r.add(name, secret.expose());
        }
        for c in &self.clients {
            if let Some(secret) = &c.client_secret {
                r.add(&format!("{}.client_secret", c.name), secret.expose());
                let header = basic_authorization(&c.client_id, secret.expose());
                if let Some(credentials) = header.strip_prefix("Basic ") {
                    r.add(&format!("{}.basic", c.name), credentials);
                }
            }
            if let Some(key) = &c.private_key {
                r.add_private_key(&format!("{}.private_key", c.name), key.expose());
            }
            if let Some(tls) = &c.tls {
                r.add_private_key(&format!("{}.tls_key", c.name), tls.key_pem.expose());
            }
        }
        if let Some(t) = &self.initial_access_token {
            r.add("initial_access_token", t.expose());
        }
        for u in &self.users {
            r.add(&format!("{}.password", u.name), u.password.expose());
        }
        r
    }

    /// The template context every scenario starts from.
    pub fn base_context(&self, endpoints: &Map<String, Value>) -> Map<String, Value> {
        let mut root = Map::new();
        for (k, v) in &self.variables {
            root.insert(k.clone(), v.clone());
        }
        root.insert(
            "issuer".into(),
            self.issuer
                .clone()
                .map(Value::String)
                .unwrap_or(Value::Null),
        );
        root.insert("endpoints".into(), Value::Object(endpoints.clone()));
        let secrets: Map<String, Value> = self
            .secrets
            .iter()
            .map(|(k, s)| (k.clone(), Value::String(s.expose().to_string())))
            .collect();
        root.insert("secrets".into(), Value::Object(secrets));
        let clients: Map<String, Value> = self
            .clients
            .iter()
            .map(|c| {
                let mut m = Map::new();
                m.insert("client_id".into(), Value::String(c.client_id.clone()));
                if let Some(s) = &c.client_secret {
                    m.insert(
                        "client_secret".into(),
                        Value::String(s.expose().to_string()),
                    );
                }
                if let Some(r) = &c.redirect_uri {
                    m.insert("redirect_uri".into(), Value::String(r.clone()));
                }
                if let Some(s) = &c.scope {
                    m.insert("scope".into(), Value::String(s.clone()));
                }
                (c.name.clone(), Value::Object(m))
            })
            .collect();
        root.insert("clients".into(), Value::Object(clients));
        root
    }
}

/// What the run learns about the server before the first scenario.
pub struct Discovered {
    pub endpoints: Map<String, Value>,
    pub metadata: Option<Value>,
    pub jwks: Option<Value>,
}

/// Fetches the discovery document and the key set, and maps the advertised endpoints to their
/// short names. Overrides win. A server that answers without usable metadata leaves the
/// endpoints to the overrides (the scenarios that test discovery report why); one that cannot
/// be reached is an error.
pub async fn discover(
    client: &reqwest::Client,
    target: &RunTarget,
) -> Result<Discovered, (ErrorKind, String)> {
    let mut endpoints = Map::new();
    let mut metadata = None;
    if let Some(issuer) = &target.issuer {
        let url = format!("{issuer}/.well-known/openid-configuration");
        endpoints.insert("discovery".into(), Value::String(url.clone()));
        let response = client
            .get(&url)
            .send()
            .await
            .map_err(|e| super::http::classify(&e, &url))?;
        if response.status().is_success()
            && let Ok(Value::Object(doc)) = response.json::<Value>().await
        {
            for (name, key) in ENDPOINTS {
                if let Some(Value::String(u)) = doc.get(*key) {
                    endpoints.insert((*name).to_string(), Value::String(u.clone()));
                }
            }
            metadata = Some(Value::Object(doc));
        }
    }
    for (name, url) in &target.endpoint_overrides {
        endpoints.insert(name.clone(), Value::String(url.clone()));
    }
    let mut jwks = None;
    if let Some(url) = endpoints.get("jwks").and_then(Value::as_str)
        && let Ok(response) = client.get(url).send().await
        && response.status().is_success()
    {
        jwks = response.json::<Value>().await.ok();
    }
    Ok(Discovered {
        endpoints,
        metadata,
        jwks,
    })
}
