//! Mutual-TLS client authentication (RFC 8705 §2) and certificate-bound access tokens (§3).
//! Certificates are read at the mutual-TLS endpoint aliases only (§5), as at a provider whose
//! mTLS endpoints live on a host of their own.

use std::net::IpAddr;
use std::sync::Arc;

use aws_lc_rs::digest;
use axum::http::StatusCode;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};

use super::client::AuthMethod;
use super::oauth_error::OAuthError;
use super::registered_client::RegisteredClient;
use super::tls_listener::AtAlias;
use super::x509::{CertificateNames, parse_dn};

/// What the certificate of a `tls_client_auth` client must carry (RFC 8705 §2.1.2): a client
/// registers exactly one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsSubject {
    /// `tls_client_auth_subject_dn`: the subject, as an RFC 4514 string.
    SubjectDn(String),
    /// `tls_client_auth_san_dns`: a dNSName subject alternative name.
    SanDns(String),
    /// `tls_client_auth_san_uri`: a uniformResourceIdentifier SAN.
    SanUri(String),
    /// `tls_client_auth_san_ip`: an iPAddress SAN.
    SanIp(IpAddr),
    /// `tls_client_auth_san_email`: an rfc822Name SAN.
    SanEmail(String),
}

impl TlsSubject {
    /// The registration metadata members, one per variant.
    pub const MEMBERS: [&'static str; 5] = [
        "tls_client_auth_subject_dn",
        "tls_client_auth_san_dns",
        "tls_client_auth_san_uri",
        "tls_client_auth_san_ip",
        "tls_client_auth_san_email",
    ];

    /// The subject the metadata member `member` describes with `value`.
    pub fn from_member(member: &str, value: &str) -> Result<Self, String> {
        match member {
            "tls_client_auth_subject_dn" => parse_dn(value)
                .map(|_| Self::SubjectDn(value.to_owned()))
                .ok_or_else(|| format!("`{value}` is not an RFC 4514 distinguished name")),
            "tls_client_auth_san_dns" => Ok(Self::SanDns(value.to_owned())),
            "tls_client_auth_san_uri" => Ok(Self::SanUri(value.to_owned())),
            "tls_client_auth_san_ip" => value
                .parse()
                .map(Self::SanIp)
                .map_err(|_| format!("`{value}` is not an IP address")),
            "tls_client_auth_san_email" => Ok(Self::SanEmail(value.to_owned())),
            other => Err(format!("`{other}` is not a tls_client_auth member")),
        }
    }

    /// The metadata member and value, as registered.
    pub fn member(&self) -> (&'static str, String) {
        match self {
            Self::SubjectDn(v) => (Self::MEMBERS[0], v.clone()),
            Self::SanDns(v) => (Self::MEMBERS[1], v.clone()),
            Self::SanUri(v) => (Self::MEMBERS[2], v.clone()),
            Self::SanIp(v) => (Self::MEMBERS[3], v.to_string()),
            Self::SanEmail(v) => (Self::MEMBERS[4], v.clone()),
        }
    }

    fn matches(&self, names: &CertificateNames) -> bool {
        let any =
            |list: &[String], expected: &str| list.iter().any(|n| n.eq_ignore_ascii_case(expected));
        match self {
            Self::SubjectDn(dn) => names.subject_is(dn),
            Self::SanDns(name) => any(&names.dns, name),
            Self::SanUri(uri) => names.uris.iter().any(|u| u == uri),
            Self::SanIp(ip) => names.ips.contains(ip),
            Self::SanEmail(email) => any(&names.emails, email),
        }
    }
}

/// The mutual-TLS part of a registration.
#[derive(Default)]
pub(crate) struct RegisteredTls {
    /// What a `tls_client_auth` client's certificate carries (one member, RFC 8705 §2.1.2).
    pub(crate) subject: Option<TlsSubject>,
    /// A `self_signed_tls_client_auth` client's certificates: the first of each key's `x5c`
    /// in its `jwks` (§2.2.2).
    pub(crate) certificates: Vec<Vec<u8>>,
    /// The members to echo in the registration response.
    pub(crate) echoed: Map<String, Value>,
}

/// Reads the mutual-TLS part of a registration for a client using `method`.
pub(crate) fn registered(
    fields: &Map<String, Value>,
    method: AuthMethod,
) -> Result<RegisteredTls, String> {
    let mut echoed = Map::new();
    match method {
        AuthMethod::TlsClientAuth => {
            let given: Vec<(&str, &Value)> = TlsSubject::MEMBERS
                .iter()
                .filter_map(|m| fields.get(*m).map(|v| (*m, v)))
                .collect();
            let [(member, value)] = given.as_slice() else {
                return Err(format!(
                    "tls_client_auth needs exactly one of {} (RFC 8705 §2.1.2)",
                    TlsSubject::MEMBERS.join(", ")
                ));
            };
            let text = value
                .as_str()
                .ok_or_else(|| format!("{member} must be a string"))?;
            let subject = TlsSubject::from_member(member, text)?;
            echoed.insert((*member).to_owned(), json!(text));
            Ok(RegisteredTls {
                subject: Some(subject),
                certificates: Vec::new(),
                echoed,
            })
        }
        AuthMethod::SelfSignedTlsClientAuth => {
            let certificates: Vec<Vec<u8>> = fields
                .get("jwks")
                .and_then(|j| j.get("keys"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|key| key.get("x5c")?.get(0)?.as_str())
                .map(|b64| {
                    STANDARD
                        .decode(b64)
                        .map_err(|_| "x5c is not base64".to_owned())
                })
                .collect::<Result<_, _>>()?;
            if certificates.is_empty() {
                return Err(
                    "self_signed_tls_client_auth needs jwks with the certificates in x5c (RFC 8705 §2.2.2)"
                        .to_owned(),
                );
            }
            Ok(RegisteredTls {
                subject: None,
                certificates,
                echoed,
            })
        }
        _ => Ok(RegisteredTls::default()),
    }
}

/// Authenticates a `tls_client_auth` or `self_signed_tls_client_auth` client by the
/// certificate of the connection; `alias` is `None` at an endpoint that does not read it.
pub(crate) fn authenticate(
    client: Arc<RegisteredClient>,
    alias: Option<&AtAlias>,
) -> Result<Arc<RegisteredClient>, OAuthError> {
    let Some(AtAlias(presented)) = alias else {
        return Err(OAuthError::invalid_client_body(
            "this client authenticates with its TLS certificate, which only the mutual-TLS \
             endpoint aliases read (mtls_endpoint_aliases, RFC 8705 §5)",
        ));
    };
    let certificate = presented.as_ref().ok_or_else(|| {
        OAuthError::invalid_client_body("no client certificate was presented in the TLS handshake")
    })?;
    let c = &client.client;
    match c.auth_method {
        AuthMethod::TlsClientAuth => {
            if !certificate.ca_verified {
                return Err(OAuthError::invalid_client_body(
                    "the client certificate is not issued by a CA this server trusts, or has expired",
                ));
            }
            let names = CertificateNames::read(&certificate.der).ok_or_else(|| {
                OAuthError::invalid_client_body("the client certificate cannot be read")
            })?;
            if !c.tls_subject.as_ref().is_some_and(|s| s.matches(&names)) {
                return Err(OAuthError::invalid_client_body(format!(
                    "the client certificate ({}) is not the one registered for the client",
                    names.subject_dn()
                )));
            }
        }
        AuthMethod::SelfSignedTlsClientAuth => {
            if !c.tls_certificates.iter().any(|der| *der == certificate.der) {
                return Err(OAuthError::invalid_client_body(
                    "the client certificate is not one registered for the client",
                ));
            }
        }
        _ => {
            return Err(OAuthError::invalid_client_body(format!(
                "the client authenticates with {}",
                c.auth_method
            )));
        }
    }
    Ok(client)
}

/// `x5t#S256` (RFC 8705 §3.1): the base64url SHA-256 of the DER certificate.
pub(crate) fn thumbprint(der: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, der))
}

/// The certificate an access token issued for this request is bound to (RFC 8705 §3): the one
/// presented at a mutual-TLS alias.
pub(crate) fn binding(alias: Option<&AtAlias>) -> Option<String> {
    alias
        .and_then(|AtAlias(c)| c.as_ref())
        .map(|c| thumbprint(&c.der))
}

/// A protected resource's check of a bound token (RFC 8705 §3): the request must present the
/// certificate the token is bound to, else 401 `invalid_token`.
pub(crate) fn check_binding(
    bound_to: Option<&str>,
    alias: Option<&AtAlias>,
) -> Result<(), OAuthError> {
    match bound_to {
        None => Ok(()),
        Some(expected) if binding(alias).as_deref() == Some(expected) => Ok(()),
        Some(_) => Err(OAuthError::bearer(
            StatusCode::UNAUTHORIZED,
            Some("invalid_token"),
            "the access token is bound to a client certificate this request does not present",
        )),
    }
}
