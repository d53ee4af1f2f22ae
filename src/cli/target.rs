//! Builds the run's target from an environment, its secrets and (for `issuer: embedded`) the
//! running sandbox.

use std::net::{Ipv4Addr, SocketAddr};

use crate::environment::{Environment, Provisioning, SandboxOptions, Target, TlsIdentity};
use crate::oauth::random_string;
use crate::runner::{RunTarget, RuntimeClient, RuntimeUser};
use crate::sandbox::{Faults, Lifetimes, Sandbox, SandboxClient, SandboxConfig, SandboxTls};
use crate::secret::Secret;

/// The environment's own clients and users, with their secrets and TLS client certificates in
/// hand. Secret names were checked when the environment was loaded.
pub(super) fn run_target(
    env: &Environment,
    secrets: Vec<(String, Secret)>,
    identities: &[(String, TlsIdentity)],
) -> RunTarget {
    let secret = |name: &Option<String>| {
        name.as_ref()
            .and_then(|n| secrets.iter().find(|(k, _)| k == n).map(|(_, s)| s.clone()))
    };
    let clients = env
        .clients
        .iter()
        .map(|c| RuntimeClient {
            name: c.name.clone(),
            client_id: c.client_id.clone(),
            client_secret: secret(&c.client_secret),
            auth_method: c.auth_method.clone(),
            private_key: secret(&c.private_key),
            key_id: c.key_id.clone(),
            signing_alg: c.signing_alg.clone(),
            redirect_uri: c.redirect_uri.clone(),
            scope: c.scope.clone(),
            tls: identities
                .iter()
                .find(|(name, _)| *name == c.name)
                .map(|(_, identity)| identity.clone()),
        })
        .collect();
    let users = env
        .users
        .iter()
        .filter_map(|u| {
            secret(&Some(u.password.clone())).map(|password| RuntimeUser {
                name: u.name.clone(),
                username: u.username.clone(),
                password,
            })
        })
        .collect();
    // `register` steps authenticate as the fixtures do (RFC 7591 §3); the sandbox's own token
    // is set when it starts.
    let initial_access_token = match &env.provisioning {
        Provisioning::Dynamic {
            initial_access_token,
            ..
        } => secret(initial_access_token),
        Provisioning::External => None,
    };
    RunTarget {
        environment: env.name.clone(),
        issuer: match &env.target {
            Target::Issuer(i) => Some(i.clone()),
            Target::Embedded => None,
        },
        endpoint_overrides: env.endpoints.clone(),
        plain_http: env.plain_http.clone(),
        variables: env.variables.clone(),
        secrets,
        clients,
        users,
        login: env.login.clone(),
        profile: env.profile.clone(),
        timeout: env.timeout,
        http: env.http.clone(),
        baseline: env.baseline.clone(),
        initial_access_token,
    }
}

/// The sandbox's built-in clients, plus `app_reserved`: `app_basic` again, under an id and a
/// secret full of characters that Basic authentication must form-urlencode (RFC 6749 §2.3.1),
/// all of them VSCHAR as client ids and secrets must be (RFC 6749 Appendix A.1, A.2).
pub(super) fn embedded_clients() -> Vec<SandboxClient> {
    let mut clients = SandboxClient::builtin();
    if let Some(basic) = clients.iter().find(|c| c.name == "app_basic").cloned() {
        clients.push(SandboxClient {
            name: "app_reserved".into(),
            client_id: "app reserved:id".into(),
            client_secret: Some(Secret::new(format!("{}:/+ %&=~", random_string::<18>()))),
            ..basic
        });
    }
    clients
}

/// The embedded sandbox's configuration; with `sandbox.tls`, its certificate and key read,
/// and a plain-http listener on another loopback port.
pub(super) fn sandbox_config(options: &SandboxOptions) -> std::io::Result<SandboxConfig> {
    let mut lifetimes = Lifetimes::default();
    if let Some(code) = options.code_lifetime {
        lifetimes.code = code;
    }
    let mut clients = embedded_clients();
    // A per-client lifetime, as real servers set one: every other token keeps its hour.
    if let Some(short) = options.short_lived_access_token {
        clients
            .iter_mut()
            .filter(|c| c.name == "app_short_lived")
            .for_each(|c| c.access_token_lifetime = Some(short));
    }
    let tls = match &options.tls {
        None => None,
        Some(files) => {
            let read = |path: &std::path::Path| {
                std::fs::read_to_string(path)
                    .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))
            };
            Some(SandboxTls {
                cert_pem: read(&files.cert)?,
                key_pem: Secret::new(read(&files.key)?),
                client_ca_pem: None,
            })
        }
    };
    Ok(SandboxConfig {
        plain_http: tls
            .is_some()
            .then_some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))),
        tls,
        clients,
        issuer_path: options.issuer_path.clone(),
        flavour: options.flavour,
        lifetimes,
        access_token_revocation: options.access_token_revocation,
        defects: options.defects.clone(),
        faults: Faults {
            latency: options.latency,
            fail_rate: options.fail_rate,
            drop_rate: options.drop_rate,
        },
        ..SandboxConfig::default()
    })
}

/// Starts the embedded sandbox on a free loopback port and points `target` at it, with its
/// built-in clients and users, and its protected resource as `endpoints.resource` unless the
/// environment names another.
pub(super) async fn start_sandbox(
    options: &SandboxOptions,
    target: &mut RunTarget,
) -> std::io::Result<Sandbox> {
    let sandbox = Sandbox::start(
        sandbox_config(options)?,
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
    )
    .await?;
    target.issuer = Some(sandbox.issuer().to_string());
    if target.plain_http.is_none() {
        target.plain_http = sandbox.plain_http_origin();
    }
    if !target
        .endpoint_overrides
        .iter()
        .any(|(n, _)| n == "resource")
    {
        target
            .endpoint_overrides
            .push(("resource".into(), sandbox.resource().to_string()));
    }
    target.initial_access_token = Some(sandbox.initial_access_token().clone());
    for c in sandbox.clients() {
        if target.client(&c.name).is_some() {
            continue;
        }
        target.clients.push(RuntimeClient {
            name: c.name.clone(),
            client_id: c.client_id.clone(),
            client_secret: c.client_secret.clone(),
            auth_method: c.auth_method.as_str().to_string(),
            private_key: c.private_key_pem.clone(),
            key_id: c.key_id.clone(),
            signing_alg: None,
            redirect_uri: c.redirect_uris.first().cloned(),
            scope: (!c.scopes.is_empty()).then(|| c.scopes.join(" ")),
            tls: None,
        });
    }
    for u in sandbox.users() {
        if target.user(&u.username).is_none() {
            target.users.push(RuntimeUser {
                name: u.username.clone(),
                username: u.username.clone(),
                password: u.password.clone(),
            });
        }
    }
    Ok(sandbox)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserved_client_needs_urlencoding_and_stays_within_vschar() {
        let clients = embedded_clients();
        let reserved = clients
            .iter()
            .find(|c| c.name == "app_reserved")
            .expect("app_reserved");
        let secret = reserved.client_secret.as_ref().expect("a secret");
        for value in [reserved.client_id.as_str(), secret.expose()] {
            assert!(
                value.bytes().all(|b| (0x20..=0x7e).contains(&b)),
                "{value:?}"
            );
            let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
            assert_ne!(encoded, value);
        }
    }
}
