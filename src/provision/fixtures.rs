//! The desired fixtures (`fixtures.yaml`): keys, clients and users, checked and with their
//! locations, before any provider is contacted.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::raw_fixtures::RawFixtures;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::scenario::parse_yaml;

/// Token endpoint authentication methods (RFC 7591 §2, OIDC Registration §2).
const AUTH_METHODS: &[&str] = &[
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
    "none",
];
/// Metadata that belongs to the provider's answer, never to the request.
const RESERVED_METADATA: &[&str] = &[
    "client_id",
    "client_secret",
    "client_id_issued_at",
    "client_secret_expires_at",
    "registration_access_token",
    "registration_client_uri",
    "jwks",
];

/// Everything `fixtures.yaml` declares.
#[derive(Clone, Debug, Default)]
pub struct Fixtures {
    pub keys: Vec<KeySpec>,
    pub clients: Vec<ClientSpec>,
    pub users: Vec<UserSpec>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyType {
    Rsa,
    Ec,
}

impl KeyType {
    pub fn default_alg(self) -> &'static str {
        match self {
            KeyType::Rsa => "RS256",
            KeyType::Ec => "ES256",
        }
    }
}

/// A key pair generated locally; its public part is registered with the clients using it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySpec {
    pub name: String,
    pub key_type: KeyType,
    /// RSA modulus bits (ignored for EC, which is always P-256).
    pub size: u32,
    pub alg: String,
    /// The `kid`; the key's RFC 7638 thumbprint when absent.
    pub kid: Option<String>,
    #[serde(skip)]
    pub location: Option<Location>,
}

/// A client as declared: the RFC 7591 metadata to register, and the key it uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClientSpec {
    pub name: String,
    pub auth_method: String,
    /// RFC 7591 metadata, without `jwks` (added from the key's state at apply time).
    pub metadata: Map<String, Value>,
    pub key: Option<String>,
    #[serde(skip)]
    pub location: Option<Location>,
}

/// A test user: the login and the environment secret holding the password.
#[derive(Clone, Debug)]
pub struct UserSpec {
    pub name: String,
    pub username: String,
    pub password_secret: Option<String>,
    pub location: Location,
}

impl Fixtures {
    pub fn client(&self, name: &str) -> Option<&ClientSpec> {
        self.clients.iter().find(|c| c.name == name)
    }

    pub fn key(&self, name: &str) -> Option<&KeySpec> {
        self.keys.iter().find(|k| k.name == name)
    }
}

/// Loads `path`; a missing file is an empty set of fixtures. Every mistake is reported at
/// once, with its location.
pub fn load_fixtures(path: &Path) -> Result<Fixtures, Diagnostics> {
    if !path.exists() {
        return Ok(Fixtures::default());
    }
    let source = crate::scenario::load::read_source(path).map_err(|d| Diagnostics(vec![d]))?;
    parse_fixtures(&source)
}

pub fn parse_fixtures(source: &SourceFile) -> Result<Fixtures, Diagnostics> {
    let raw: RawFixtures = parse_yaml(source).map_err(|d| Diagnostics(vec![d]))?;
    let mut diags = Diagnostics::default();
    let at = |s: &serde_saphyr::Location| source.location(s.line(), s.column());
    let mut error = |loc: Location, msg: String| diags.push(Diagnostic::at(source, loc, msg));

    let mut keys = Vec::new();
    for (name, key) in raw.keys.0 {
        let key_type = match key.value.key_type.value.as_str() {
            "rsa" | "RSA" => KeyType::Rsa,
            "ec" | "EC" => KeyType::Ec,
            other => {
                error(
                    at(&key.value.key_type.referenced),
                    format!("unknown key type `{other}`, expected rsa or ec"),
                );
                continue;
            }
        };
        let size = match (&key_type, key.value.size) {
            (KeyType::Rsa, Some(s)) if ![2048, 3072, 4096].contains(&s.value) => {
                error(
                    at(&s.referenced),
                    format!(
                        "RSA key size {} is not supported: use 2048, 3072 or 4096",
                        s.value
                    ),
                );
                2048
            }
            (KeyType::Ec, Some(s)) if s.value != 256 => {
                error(
                    at(&s.referenced),
                    "EC keys are P-256: size must be 256 or absent".into(),
                );
                256
            }
            (_, Some(s)) => s.value,
            (KeyType::Rsa, None) => 2048,
            (KeyType::Ec, None) => 256,
        };
        let alg = key
            .value
            .alg
            .map(|a| a.value)
            .unwrap_or_else(|| key_type.default_alg().into());
        keys.push(KeySpec {
            name: name.value,
            key_type,
            size,
            alg,
            kid: key.value.kid.map(|k| k.value),
            location: Some(at(&name.referenced)),
        });
    }

    let mut clients = Vec::new();
    for (name, client) in raw.clients.0 {
        let c = client.value;
        let method = c.auth_method.value.clone();
        if !AUTH_METHODS.contains(&method.as_str()) {
            error(
                at(&c.auth_method.referenced),
                format!(
                    "unknown auth_method `{method}`, expected one of {}",
                    AUTH_METHODS.join(", ")
                ),
            );
        }
        match &c.key {
            Some(k) if !keys.iter().any(|d| d.name == k.value) => error(
                at(&k.referenced),
                format!("key `{}` is not declared under `keys`", k.value),
            ),
            None if method == "private_key_jwt" => error(
                at(&c.auth_method.referenced),
                format!(
                    "client `{}` uses private_key_jwt but names no `key`",
                    name.value
                ),
            ),
            _ => {}
        }
        let mut metadata = Map::new();
        let client_name = c
            .client_name
            .map(|n| n.value)
            .unwrap_or_else(|| format!("grantspec {}", name.value));
        metadata.insert("client_name".into(), json!(client_name));
        metadata.insert("token_endpoint_auth_method".into(), json!(method));
        let lists = [
            ("grant_types", c.grant_types),
            ("response_types", c.response_types),
            ("redirect_uris", c.redirect_uris),
            ("post_logout_redirect_uris", c.post_logout_redirect_uris),
        ];
        for (field, list) in lists {
            if let Some(list) = list {
                metadata.insert(field.into(), json!(list.value));
            }
        }
        if let Some(scope) = c.scope {
            metadata.insert("scope".into(), json!(scope.value.values().join(" ")));
        }
        if let Some(style) = c.response_style {
            if !["consumer", "certificate"].contains(&style.value.as_str()) {
                error(
                    at(&style.referenced),
                    format!(
                        "unknown response_style `{}`, expected consumer or certificate",
                        style.value
                    ),
                );
            }
            metadata.insert("grantspec_response_style".into(), json!(style.value));
        }
        for (key, value) in c.metadata.0 {
            if RESERVED_METADATA.contains(&key.value.as_str()) {
                error(
                    at(&key.referenced),
                    format!(
                        "`{}` is set by the provider or by grantspec, not in metadata",
                        key.value
                    ),
                );
                continue;
            }
            metadata.insert(key.value, value.value);
        }
        clients.push(ClientSpec {
            name: name.value,
            auth_method: method,
            metadata,
            key: c.key.map(|k| k.value),
            location: Some(at(&name.referenced)),
        });
    }

    let users = raw
        .users
        .0
        .into_iter()
        .map(|(name, user)| UserSpec {
            location: at(&name.referenced),
            name: name.value,
            username: user.value.username.value,
            password_secret: user.value.password_secret.map(|p| p.value),
        })
        .collect();
    diags.into_result(Fixtures {
        keys,
        clients,
        users,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Fixtures, Diagnostics> {
        parse_fixtures(&SourceFile::new("fixtures.yaml", text))
    }

    #[test]
    fn clients_become_rfc_7591_metadata() {
        let f = parse(
            "keys:\n  k: { type: rsa }\nclients:\n  app_cert:\n    auth_method: private_key_jwt\n    grant_types: [client_credentials]\n    scope: [A, B]\n    key: k\n    metadata: { software_id: x }\n",
        )
        .unwrap();
        let c = f.client("app_cert").unwrap();
        assert_eq!(c.metadata["token_endpoint_auth_method"], "private_key_jwt");
        assert_eq!(c.metadata["scope"], "A B");
        assert_eq!(c.metadata["software_id"], "x");
        assert_eq!(c.key.as_deref(), Some("k"));
        assert_eq!(f.keys[0].size, 2048);
        assert_eq!(f.keys[0].alg, "RS256");
    }

    #[test]
    fn mistakes_are_all_reported_with_locations() {
        let err = parse(
            "keys:\n  k: { type: rsa, size: 1024 }\n  e: { type: dsa }\nclients:\n  a: { auth_method: private_key_jwt }\n  b: { auth_method: magic, key: nope }\n  c: { auth_method: none, metadata: { client_id: x } }\n",
        )
        .unwrap_err();
        let lines: Vec<u32> = err
            .0
            .iter()
            .filter_map(|d| d.location.as_ref().map(|l| l.line))
            .collect();
        assert_eq!(lines, vec![2, 3, 5, 6, 6, 7], "{err}");
    }

    #[test]
    fn a_typo_is_located() {
        let err = parse("clients:\n  a: { auth_methd: none }\n").unwrap_err();
        assert_eq!(err.0[0].location.as_ref().map(|l| l.line), Some(2));
    }
}
