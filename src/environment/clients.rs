//! The environment's `clients`: ids, credentials by secret name, auth methods, and TLS client
//! certificates, every mistake located.

use std::path::Path;

use serde_saphyr::Spanned;

use super::client_tls::ClientTls;
use super::load::expand_path;
use super::model::{AUTH_METHODS, Client, SecretSource};
use super::raw::RawClient;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::scenario::OrderedMap;

/// The name of a secret an entry refers to, reported at its place when `secrets` does not
/// declare it.
pub(super) fn secret_ref(
    source: &SourceFile,
    secrets: &[(String, SecretSource, Location)],
    diags: &mut Diagnostics,
    name: Spanned<String>,
    what: &str,
) -> String {
    if !secrets.iter().any(|(n, _, _)| *n == name.value) {
        let at = source.location(name.referenced.line(), name.referenced.column());
        diags.push(Diagnostic::at(
            source,
            at,
            format!("{what} `{}` is not declared under `secrets`", name.value),
        ));
    }
    name.value
}

pub(super) fn check_clients(
    raw: OrderedMap<Spanned<String>, Spanned<RawClient>>,
    source: &SourceFile,
    base: &Path,
    secrets: &[(String, SecretSource, Location)],
    diags: &mut Diagnostics,
) -> Vec<Client> {
    let at = |s: &serde_saphyr::Location| source.location(s.line(), s.column());
    let secret_ref = |diags: &mut Diagnostics, s: Spanned<String>, what: &str| {
        secret_ref(source, secrets, diags, s, what)
    };

    let mut clients = Vec::new();
    for (key, client) in raw.0 {
        let c = client.value;
        let client_secret = c
            .client_secret
            .map(|s| secret_ref(diags, s, "client secret"));
        let private_key = c.private_key.map(|s| secret_ref(diags, s, "private key"));
        let tls = c.tls.and_then(|t| {
            let key_at = at(&t.value.key.referenced);
            let cert_at = at(&t.value.cert.referenced);
            let key = secret_ref(diags, t.value.key, "TLS private key");
            let cert = expand_path(&t.value.cert.value, base);
            ClientTls::check(cert, key, cert_at, key_at, source)
                .map_err(|d| diags.push(d))
                .ok()
        });
        let auth_method = match c.auth_method {
            Some(m) => {
                if !AUTH_METHODS.contains(&m.value.as_str()) {
                    diags.push(Diagnostic::at(
                        source,
                        at(&m.referenced),
                        format!(
                            "unknown auth_method `{}`, expected one of {}",
                            m.value,
                            AUTH_METHODS.join(", ")
                        ),
                    ));
                }
                m.value
            }
            None if private_key.is_some() => "private_key_jwt".into(),
            None if client_secret.is_some() => "client_secret_basic".into(),
            None if tls.is_some() => "tls_client_auth".into(),
            None => "none".into(),
        };
        if let Some(alg) = &c.signing_alg
            && !["RS256", "PS256", "ES256"].contains(&alg.value.as_str())
        {
            diags.push(Diagnostic::at(
                source,
                at(&alg.referenced),
                format!(
                    "unsupported signing_alg `{}`, expected RS256, PS256 or ES256",
                    alg.value
                ),
            ));
        }
        if let Some(uri) = &c.redirect_uri
            && let Err(e) = url::Url::parse(&uri.value)
        {
            diags.push(Diagnostic::at(
                source,
                at(&uri.referenced),
                format!("invalid redirect_uri: {e}"),
            ));
        }
        clients.push(Client {
            name: key.value,
            client_id: c.client_id.value,
            client_secret,
            auth_method,
            private_key,
            key_id: c.key_id,
            signing_alg: c.signing_alg.map(|a| a.value),
            redirect_uri: c.redirect_uri.map(|u| u.value),
            scope: c.scope,
            tls,
        });
    }
    clients
}
