//! `grantspec serve --config FILE`: the sandbox's issuer path, flavour, users, clients,
//! lifetimes, access-token revocation, defects and faults, read from YAML. Secrets come from
//! environment variables or files, never from the file itself; what is left out is generated
//! at start.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::environment::parse_duration;
use crate::sandbox::{
    AccessTokenRevocation, AuthMethod, Defect, ResponseStyle, SandboxClient, SandboxConfig,
    SandboxUser, TlsSubject,
};
use crate::scenario::parse_yaml;
use crate::secret::Secret;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServeConfig {
    #[serde(default)]
    issuer_path: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    /// `generic` (default) or `keycloak`.
    #[serde(default)]
    flavour: Option<Spanned<String>>,
    #[serde(default)]
    users: Vec<Spanned<RawUser>>,
    /// Replace the built-in clients (default: keep them and add these).
    #[serde(default)]
    replace_builtin_clients: bool,
    #[serde(default)]
    clients: Vec<Spanned<RawClient>>,
    #[serde(default)]
    lifetimes: Option<RawLifetimes>,
    /// `all` (default), `opaque` or `none`: which access tokens revocation revokes.
    #[serde(default)]
    access_token_revocation: Option<Spanned<String>>,
    #[serde(default)]
    defects: Vec<Spanned<String>>,
    #[serde(default)]
    initial_access_token: Option<Spanned<RawSecret>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSecret {
    #[serde(default)]
    env: Option<String>,
    #[serde(default)]
    file: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUser {
    username: String,
    name: String,
    #[serde(default)]
    given_name: Option<String>,
    #[serde(default)]
    family_name: Option<String>,
    #[serde(default)]
    password: Option<Spanned<RawSecret>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClient {
    name: String,
    client_id: String,
    #[serde(default)]
    client_secret: Option<Spanned<RawSecret>>,
    auth_method: Spanned<String>,
    grant_types: Vec<Spanned<String>>,
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default)]
    scopes: Vec<String>,
    /// `consumer` (default) or `certificate`.
    #[serde(default)]
    response_style: Option<Spanned<String>>,
    #[serde(default)]
    require_pkce: bool,
    #[serde(default)]
    key_id: Option<String>,
    /// What a `tls_client_auth` client's certificate carries (RFC 8705 §2.1.2): exactly one.
    #[serde(default)]
    tls_client_auth_subject_dn: Option<Spanned<String>>,
    #[serde(default)]
    tls_client_auth_san_dns: Option<Spanned<String>>,
    #[serde(default)]
    tls_client_auth_san_uri: Option<Spanned<String>>,
    #[serde(default)]
    tls_client_auth_san_ip: Option<Spanned<String>>,
    #[serde(default)]
    tls_client_auth_san_email: Option<Spanned<String>>,
    /// PEM file of a `self_signed_tls_client_auth` client's certificate (RFC 8705 §2.2).
    #[serde(default)]
    tls_certificate: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLifetimes {
    #[serde(default)]
    access_token: Option<Spanned<String>>,
    #[serde(default)]
    code: Option<Spanned<String>>,
    #[serde(default)]
    refresh_token: Option<Spanned<String>>,
    #[serde(default)]
    refresh_credit: Option<u32>,
}

/// Reads `path` on top of the built-in configuration.
pub(super) fn load_serve_config(path: &Path) -> Result<SandboxConfig, Diagnostics> {
    let source = crate::scenario::load::read_source(path).map_err(|d| Diagnostics(vec![d]))?;
    let raw: RawServeConfig = parse_yaml(&source).map_err(|d| Diagnostics(vec![d]))?;
    let mut diags = Diagnostics::default();
    let mut c = Checker {
        source: &source,
        diags: &mut diags,
    };
    let mut config = SandboxConfig::default();
    if let Some(p) = raw.issuer_path {
        config.issuer_path = p;
    }
    config.base_url = raw.base_url;
    if let Some(f) = raw.flavour {
        match f.value.parse() {
            Ok(flavour) => config.flavour = flavour,
            Err(_) => c.error(
                &f,
                format!(
                    "unknown flavour `{}`, expected generic or keycloak",
                    f.value
                ),
            ),
        }
    }
    if !raw.users.is_empty() {
        config.users = raw.users.into_iter().map(|u| c.user(u)).collect();
    }
    if raw.replace_builtin_clients {
        config.clients.clear();
    }
    for client in raw.clients {
        if let Some(client) = c.client(client) {
            config
                .clients
                .retain(|existing| existing.name != client.name);
            config.clients.push(client);
        }
    }
    if let Some(l) = raw.lifetimes {
        if let Some(d) = c.duration(l.access_token) {
            config.lifetimes.access_token = d;
        }
        if let Some(d) = c.duration(l.code) {
            config.lifetimes.code = d;
        }
        if let Some(d) = c.duration(l.refresh_token) {
            config.lifetimes.refresh_token = d;
        }
        if let Some(n) = l.refresh_credit {
            config.lifetimes.refresh_credit = n;
        }
    }
    if let Some(r) = raw.access_token_revocation {
        match r.value.parse() {
            Ok(revocation) => config.access_token_revocation = revocation,
            Err(_) => c.error(
                &r,
                format!(
                    "unknown access_token_revocation `{}`, expected one of {}",
                    r.value,
                    AccessTokenRevocation::names()
                ),
            ),
        }
    }
    for d in raw.defects {
        match d.value.parse::<Defect>() {
            Ok(defect) => config.defects.push(defect),
            Err(e) => c.error(&d, e.to_string()),
        }
    }
    config.initial_access_token = raw.initial_access_token.and_then(|s| c.secret(s));
    diags.into_result(config)
}

struct Checker<'a> {
    source: &'a SourceFile,
    diags: &'a mut Diagnostics,
}

impl Checker<'_> {
    fn error<T>(&mut self, at: &Spanned<T>, message: impl Into<String>) {
        let loc = self
            .source
            .location(at.referenced.line(), at.referenced.column());
        self.diags.push(Diagnostic::at(self.source, loc, message));
    }

    fn secret(&mut self, s: Spanned<RawSecret>) -> Option<Secret> {
        let value = match (&s.value.env, &s.value.file) {
            (Some(var), None) => {
                std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))
            }
            (None, Some(file)) => std::fs::read_to_string(file)
                .map(|v| v.trim_end_matches(['\n', '\r']).to_string())
                .map_err(|e| format!("cannot read {file}: {e}")),
            _ => Err("a secret needs exactly one of `env` or `file`".to_string()),
        };
        match value {
            Ok(v) => Some(Secret::new(v)),
            Err(message) => {
                self.error(&s, message);
                None
            }
        }
    }

    /// The DER certificates of a PEM file.
    fn certificates(&mut self, file: &Spanned<String>) -> Option<Vec<Vec<u8>>> {
        use rustls::pki_types::CertificateDer;
        use rustls::pki_types::pem::PemObject;
        let text = match std::fs::read(&file.value) {
            Ok(t) => t,
            Err(e) => {
                self.error(file, format!("cannot read {}: {e}", file.value));
                return None;
            }
        };
        match CertificateDer::pem_slice_iter(&text).collect::<Result<Vec<_>, _>>() {
            Ok(certs) if !certs.is_empty() => Some(certs.iter().map(|c| c.to_vec()).collect()),
            _ => {
                self.error(file, format!("{} holds no PEM certificate", file.value));
                None
            }
        }
    }

    fn duration(&mut self, d: Option<Spanned<String>>) -> Option<Duration> {
        let d = d?;
        let parsed = parse_duration(&d.value);
        if parsed.is_none() {
            self.error(
                &d,
                format!("invalid duration `{}` (examples: 500ms, 10s, 2m)", d.value),
            );
        }
        parsed
    }

    fn user(&mut self, u: Spanned<RawUser>) -> SandboxUser {
        let raw = u.value;
        let template = SandboxUser::builtin().remove(0);
        let password = raw
            .password
            .and_then(|p| self.secret(p))
            .unwrap_or(template.password.clone());
        SandboxUser {
            given_name: raw.given_name.unwrap_or_else(|| raw.name.clone()),
            family_name: raw.family_name.unwrap_or_default(),
            name: raw.name,
            username: raw.username,
            password,
            ..template
        }
    }

    fn client(&mut self, c: Spanned<RawClient>) -> Option<SandboxClient> {
        let raw = c.value;
        let auth_method = match raw.auth_method.value.parse::<AuthMethod>() {
            Ok(m) => Some(m),
            Err(e) => {
                self.error(&raw.auth_method, format!("auth_method: {e}"));
                None
            }
        };
        let mut grant_types = Vec::new();
        for g in &raw.grant_types {
            match g.value.parse() {
                Ok(grant) => grant_types.push(grant),
                Err(e) => self.error(g, format!("grant type: {e}")),
            }
        }
        let response_style = match raw.response_style.as_ref().map(|s| s.value.as_str()) {
            None | Some("consumer") => ResponseStyle::Consumer,
            Some("certificate") => ResponseStyle::Certificate,
            Some(other) => {
                let message =
                    format!("unknown response_style `{other}`, expected consumer or certificate");
                if let Some(s) = &raw.response_style {
                    self.error(s, message);
                }
                ResponseStyle::Consumer
            }
        };
        let subjects: Vec<_> = [
            raw.tls_client_auth_subject_dn,
            raw.tls_client_auth_san_dns,
            raw.tls_client_auth_san_uri,
            raw.tls_client_auth_san_ip,
            raw.tls_client_auth_san_email,
        ]
        .into_iter()
        .zip(TlsSubject::MEMBERS)
        .filter_map(|(value, member)| value.map(|v| (member, v)))
        .collect();
        let tls_subject = match (auth_method, subjects.as_slice()) {
            (Some(AuthMethod::TlsClientAuth), [(member, value)]) => {
                match TlsSubject::from_member(member, &value.value) {
                    Ok(subject) => Some(subject),
                    Err(e) => {
                        self.error(value, e);
                        None
                    }
                }
            }
            (Some(AuthMethod::TlsClientAuth), _) => {
                self.error(
                    &raw.auth_method,
                    format!(
                        "tls_client_auth needs exactly one of {}",
                        TlsSubject::MEMBERS.join(", ")
                    ),
                );
                None
            }
            (_, [(member, value), ..]) => {
                self.error(
                    value,
                    format!("{member} applies to tls_client_auth clients only"),
                );
                None
            }
            (_, []) => None,
        };
        let tls_certificates = match (&raw.tls_certificate, auth_method) {
            (Some(file), Some(AuthMethod::SelfSignedTlsClientAuth)) => {
                self.certificates(file).unwrap_or_default()
            }
            (Some(file), _) => {
                self.error(
                    file,
                    "tls_certificate applies to self_signed_tls_client_auth clients only",
                );
                Vec::new()
            }
            (None, Some(AuthMethod::SelfSignedTlsClientAuth)) => {
                self.error(
                    &raw.auth_method,
                    "self_signed_tls_client_auth needs tls_certificate",
                );
                Vec::new()
            }
            (None, _) => Vec::new(),
        };
        let auth_method = auth_method?;
        let template = SandboxClient::builtin().remove(0);
        Some(SandboxClient {
            name: raw.name,
            client_id: raw.client_id,
            client_secret: raw.client_secret.and_then(|s| self.secret(s)),
            auth_method,
            grant_types,
            redirect_uris: raw.redirect_uris,
            scopes: raw.scopes,
            response_style,
            require_pkce: raw.require_pkce,
            key_id: raw.key_id,
            tls_subject,
            tls_certificates,
            ..template
        })
    }
}
