use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use super::parse_duration;
use super::raw::RawEnvironment;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::oauth::endpoint_metadata_key;
use crate::scenario::parse_yaml;
use crate::secret::Secret;

const PROFILES: &[&str] = &["generic", "bouygues", "keycloak"];
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A loaded, checked environment. Secret values are not read until [`Environment::read_secrets`].
#[derive(Debug)]
pub struct Environment {
    pub name: String,
    pub target: Target,
    pub profile: String,
    /// Endpoint URLs that override (or stand in for) what discovery advertises.
    pub endpoints: Vec<(String, String)>,
    pub variables: Vec<(String, Value)>,
    pub secrets: Vec<(String, SecretSource, Location)>,
    pub clients: Vec<Client>,
    pub timeout: Duration,
    pub concurrency: Option<usize>,
    /// How the fixtures of `fixtures.yaml` reach the provider.
    pub provisioning: Provisioning,
}

/// How fixtures are provisioned in an environment (DESIGN §2.4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Provisioning {
    /// Every fixture exists already; its credentials are the environment's `clients`.
    #[default]
    External,
    /// Clients are registered with RFC 7591 and managed with RFC 7592.
    Dynamic {
        /// The registration endpoint; discovery's when `None`.
        endpoint: Option<String>,
        /// The name of the secret holding the initial access token.
        initial_access_token: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Start the embedded sandbox in-process and test it.
    Embedded,
    /// A server reached at this issuer.
    Issuer(String),
}

#[derive(Clone, Debug)]
pub enum SecretSource {
    Env(String),
    File(PathBuf),
}

/// An OAuth client the scenarios refer to by name (`clients.NAME`, `auth: { basic: NAME }`).
#[derive(Clone, Debug)]
pub struct Client {
    pub name: String,
    pub client_id: String,
    /// The name of the secret (in `secrets`) holding the client secret.
    pub client_secret: Option<String>,
}

impl Environment {
    /// The environment used when none is named and `environments/sandbox.yaml` is absent.
    pub fn embedded() -> Self {
        Self {
            name: "sandbox".into(),
            target: Target::Embedded,
            profile: "bouygues".into(),
            endpoints: Vec::new(),
            variables: Vec::new(),
            secrets: Vec::new(),
            clients: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            concurrency: None,
            provisioning: Provisioning::Dynamic {
                endpoint: None,
                initial_access_token: None,
            },
        }
    }

    /// Reads every secret from its source. A missing variable or file is an input error.
    pub fn read_secrets(&self) -> Result<Vec<(String, Secret)>, Diagnostics> {
        let mut out = Vec::new();
        let mut diags = Diagnostics::default();
        for (name, source, location) in &self.secrets {
            let value = match source {
                SecretSource::Env(var) => std::env::var(var)
                    .map_err(|_| format!("secret `{name}`: environment variable {var} is not set")),
                SecretSource::File(path) => std::fs::read_to_string(path)
                    .map(|s| s.trim_end_matches(['\n', '\r']).to_string())
                    .map_err(|e| format!("secret `{name}`: cannot read {}: {e}", path.display())),
            };
            match value {
                Ok(v) => out.push((name.clone(), Secret::new(v))),
                Err(message) => diags.push(Diagnostic::plain(Some(location.clone()), message)),
            }
        }
        diags.into_result(out)
    }
}

/// Loads `NAME` from `dir/NAME.yaml`, or a path when `name` looks like one.
pub fn load_environment(name: &str, dir: &Path) -> Result<Environment, Diagnostics> {
    let path = if name.ends_with(".yaml") || name.ends_with(".yml") || name.contains('/') {
        PathBuf::from(name)
    } else {
        dir.join(format!("{name}.yaml"))
    };
    let env_name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string());
    let source = crate::scenario::load::read_source(&path).map_err(|d| Diagnostics(vec![d]))?;
    let raw: RawEnvironment = parse_yaml(&source).map_err(|d| Diagnostics(vec![d]))?;
    check(raw, env_name, &source, &path)
}

fn check(
    raw: RawEnvironment,
    name: String,
    source: &SourceFile,
    path: &Path,
) -> Result<Environment, Diagnostics> {
    let mut diags = Diagnostics::default();
    let at = |s: &serde_saphyr::Location| source.location(s.line(), s.column());

    let target = if raw.issuer.value == "embedded" {
        Target::Embedded
    } else {
        if let Err(e) = url::Url::parse(&raw.issuer.value) {
            diags.push(Diagnostic::at(
                source,
                at(&raw.issuer.referenced),
                format!("invalid issuer URL: {e}"),
            ));
        }
        Target::Issuer(raw.issuer.value.trim_end_matches('/').to_string())
    };

    let profile = match raw.profile {
        Some(p) if !PROFILES.contains(&p.value.as_str()) => {
            diags.push(Diagnostic::at(
                source,
                at(&p.referenced),
                format!(
                    "unknown profile `{}`, expected one of {}",
                    p.value,
                    PROFILES.join(", ")
                ),
            ));
            p.value
        }
        Some(p) => p.value,
        None => "generic".into(),
    };

    let mut endpoints = Vec::new();
    for (key, url) in raw.endpoints.0 {
        if endpoint_metadata_key(&key.value).is_none() {
            let known: Vec<_> = crate::oauth::ENDPOINTS.iter().map(|(n, _)| *n).collect();
            diags.push(Diagnostic::at(
                source,
                at(&key.referenced),
                format!(
                    "unknown endpoint `{}`, expected one of {}",
                    key.value,
                    known.join(", ")
                ),
            ));
        } else if let Err(e) = url::Url::parse(&url.value) {
            diags.push(Diagnostic::at(
                source,
                at(&url.referenced),
                format!("invalid URL: {e}"),
            ));
        }
        endpoints.push((key.value, url.value));
    }

    let base = path.parent().unwrap_or(Path::new("."));
    let mut secrets = Vec::new();
    for (key, src) in raw.secrets.0 {
        let location = at(&src.referenced);
        let source_kind = match (src.value.env, src.value.file) {
            (Some(var), None) => SecretSource::Env(var),
            (None, Some(file)) => SecretSource::File(expand_path(&file, base)),
            _ => {
                diags.push(Diagnostic::at(
                    source,
                    location,
                    format!(
                        "secret `{}` needs exactly one of `env` or `file`",
                        key.value
                    ),
                ));
                continue;
            }
        };
        secrets.push((key.value, source_kind, location));
    }

    let mut clients = Vec::new();
    for (key, client) in raw.clients.0 {
        let client_secret = client.value.client_secret.map(|s| {
            if !secrets.iter().any(|(n, _, _)| *n == s.value) {
                diags.push(Diagnostic::at(
                    source,
                    at(&s.referenced),
                    format!(
                        "client secret `{}` is not declared under `secrets`",
                        s.value
                    ),
                ));
            }
            s.value
        });
        clients.push(Client {
            name: key.value,
            client_id: client.value.client_id.value,
            client_secret,
        });
    }

    let timeout = match raw.http.and_then(|h| h.timeout) {
        Some(t) => parse_duration(&t.value).unwrap_or_else(|| {
            diags.push(Diagnostic::at(
                source,
                at(&t.referenced),
                format!("invalid duration `{}` (examples: 500ms, 10s, 2m)", t.value),
            ));
            DEFAULT_TIMEOUT
        }),
        None => DEFAULT_TIMEOUT,
    };

    let concurrency = match raw.concurrency {
        Some(c) if c.value == 0 => {
            diags.push(Diagnostic::at(
                source,
                at(&c.referenced),
                "concurrency must be at least 1",
            ));
            None
        }
        c => c.map(|c| c.value),
    };

    let provisioning = match raw.provisioning {
        // The sandbox has a registration endpoint; a real provider is assumed to have none.
        None if target == Target::Embedded => Provisioning::Dynamic {
            endpoint: None,
            initial_access_token: None,
        },
        None => Provisioning::External,
        Some(p) if p.value == "external" => Provisioning::External,
        Some(p) if p.value == "dynamic" => {
            let registration = raw.registration;
            let endpoint = registration.as_ref().and_then(|r| r.endpoint.as_ref());
            if let Some(e) = endpoint
                && let Err(err) = url::Url::parse(&e.value)
            {
                diags.push(Diagnostic::at(
                    source,
                    at(&e.referenced),
                    format!("invalid URL: {err}"),
                ));
            }
            let token = registration
                .as_ref()
                .and_then(|r| r.initial_access_token.as_ref());
            if let Some(t) = token
                && !secrets.iter().any(|(n, _, _)| *n == t.value)
            {
                diags.push(Diagnostic::at(
                    source,
                    at(&t.referenced),
                    format!(
                        "initial access token secret `{}` is not declared under `secrets`",
                        t.value
                    ),
                ));
            }
            Provisioning::Dynamic {
                endpoint: endpoint.map(|e| e.value.clone()),
                initial_access_token: token.map(|t| t.value.clone()),
            }
        }
        Some(p) => {
            diags.push(Diagnostic::at(
                source,
                at(&p.referenced),
                format!(
                    "unknown provisioning `{}`, expected dynamic or external",
                    p.value
                ),
            ));
            Provisioning::External
        }
    };

    let variables = raw
        .variables
        .0
        .into_iter()
        .map(|(k, v)| (k.value, v.value))
        .collect();
    diags.into_result(Environment {
        name,
        target,
        profile,
        endpoints,
        variables,
        secrets,
        clients,
        timeout,
        concurrency,
        provisioning,
    })
}

/// `~/` is the home directory; a relative path is relative to the environment file.
fn expand_path(file: &str, base: &Path) -> PathBuf {
    if let Some(rest) = file.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    let p = PathBuf::from(file);
    if p.is_absolute() { p } else { base.join(p) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Environment, Diagnostics> {
        let source = SourceFile::new("e.yaml", text);
        let raw: RawEnvironment = parse_yaml(&source).map_err(|d| Diagnostics(vec![d]))?;
        check(raw, "e".into(), &source, Path::new("environments/e.yaml"))
    }

    #[test]
    fn a_full_environment_loads() {
        let env = load(
            "issuer: https://as.example/ap4/\nprofile: bouygues\nendpoints: { introspection: https://as.example/introspect }\nvariables: { scope: PersonneConsult }\nsecrets:\n  s: { env: S }\nclients:\n  app: { client_id: app-1, client_secret: s }\nhttp: { timeout: 2s }\n",
        )
        .unwrap();
        assert_eq!(env.target, Target::Issuer("https://as.example/ap4".into()));
        assert_eq!(env.timeout, Duration::from_secs(2));
        assert_eq!(env.clients[0].client_secret.as_deref(), Some("s"));
    }

    #[test]
    fn mistakes_are_all_reported_with_locations() {
        let err = load(
            "issuer: not a url\nprofile: okta\nendpoints: { tokn: https://x }\nsecrets:\n  s: { env: A, file: b }\nclients:\n  app: { client_id: a, client_secret: nope }\nhttp: { timeout: soon }\n",
        )
        .unwrap_err();
        let lines: Vec<u32> = err
            .0
            .iter()
            .filter_map(|d| d.location.as_ref().map(|l| l.line))
            .collect();
        assert_eq!(lines, vec![1, 2, 3, 5, 7, 8], "{err}");
    }

    #[test]
    fn a_missing_secret_variable_is_an_input_error() {
        let env =
            load("issuer: embedded\nsecrets:\n  s: { env: GRANTSPEC_TEST_SURELY_UNSET_VAR }\n")
                .unwrap();
        let err = env.read_secrets().unwrap_err();
        assert!(err.to_string().contains("GRANTSPEC_TEST_SURELY_UNSET_VAR"));
    }
}
