//! The desired fixtures (`fixtures.yaml`): keys, clients and users, checked and with their
//! locations, before any provider is contacted.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::fixture_tls::FixtureTls;
use super::raw_fixtures::RawFixtures;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::environment::{ClientTls, TlsIdentity};
use crate::scenario::parse_yaml;
use crate::secret::Secret;

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
    /// The TLS client certificates of clients, by client name (RFC 8705).
    pub client_tls: Vec<(String, ClientTls)>,
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

    /// The TLS client certificates with their keys from `secrets`, by client name; a key
    /// that does not parse or belong to its certificate is an input error.
    pub fn tls_identities(
        &self,
        secrets: &[(String, Secret)],
    ) -> Result<Vec<(String, TlsIdentity)>, Diagnostics> {
        let mut out = Vec::new();
        let mut diags = Diagnostics::default();
        for (name, tls) in &self.client_tls {
            match tls.identity(secrets) {
                Ok(identity) => out.push((name.clone(), identity)),
                Err(d) => diags.push(d),
            }
        }
        diags.into_result(out)
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
    let mut client_tls = Vec::new();
    let mut tls_errors = Vec::new();
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
        if no_redirect_flow(&metadata) {
            // RFC 7591 §2: omitted response_types means ["code"], which a client without the
            // authorization code or implicit grant must not have (§2.1); providers then ask
            // for redirect_uris.
            metadata.insert("response_types".into(), json!([]));
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
        let tls = FixtureTls {
            name: &name.value,
            method: &method,
            method_at: at(&c.auth_method.referenced),
            has_key: c.key.is_some(),
            source,
        }
        .check(c.tls, &mut metadata, &mut tls_errors);
        if let Some(tls) = tls {
            client_tls.push((name.value.clone(), tls));
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
    diags.0.extend(tls_errors);
    diags.into_result(Fixtures {
        keys,
        clients,
        users,
        client_tls,
    })
}

/// Declared grant types without a redirect-based one and no declared response types.
fn no_redirect_flow(metadata: &Map<String, Value>) -> bool {
    let Some(Value::Array(grants)) = metadata.get("grant_types") else {
        return false;
    };
    !metadata.contains_key("response_types")
        && !grants
            .iter()
            .any(|g| matches!(g.as_str(), Some("authorization_code" | "implicit")))
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
    fn clients_without_a_redirect_flow_register_no_response_type() {
        let f = parse(
            "clients:\n  app:\n    auth_method: client_secret_basic\n    grant_types: [client_credentials]\n  web:\n    auth_method: client_secret_basic\n    grant_types: [authorization_code, refresh_token]\n    redirect_uris: [http://127.0.0.1:9/cb]\n  default_grants:\n    auth_method: none\n",
        )
        .unwrap();
        let response_types = |name: &str| {
            f.client(name)
                .unwrap()
                .metadata
                .get("response_types")
                .cloned()
        };
        assert_eq!(response_types("app"), Some(json!([])));
        assert_eq!(response_types("web"), None);
        assert_eq!(response_types("default_grants"), None);
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
