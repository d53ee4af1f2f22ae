//! Client authentication at the token, introspection and revocation endpoints
//! (RFC 6749 §2.3, RFC 7523 §2.2, OIDC Core §9, RFC 8705 §2).

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};

use super::{Redactor, RuntimeClient};
use crate::oauth::{ASSERTION_TYPE, AssertionSpec, Mutation, basic_authorization, sign_assertion};
use crate::outcome::ErrorKind;
use crate::resolve::{AssertionStep, Audience};

/// How long generated assertions live (Keycloak rejects more than 60 s, checklist F5).
const ASSERTION_LIFETIME: u64 = 60;

pub(super) struct AuthInput<'a> {
    pub client: &'a RuntimeClient,
    /// The method to use: the client's own unless the step overrides it.
    pub method: &'a str,
    pub assertion: Option<&'a AssertionStep>,
    /// An assertion to send as is (replay).
    pub replay: Option<String>,
    pub token_endpoint: &'a str,
    pub issuer: &'a str,
    pub audience_override: Option<String>,
}

/// Adds the client's credentials to the form or headers. Returns the assertion sent, if any.
pub(super) fn apply(
    input: &AuthInput<'_>,
    form: &mut Vec<(String, String)>,
    headers: &mut HeaderMap,
    redactor: &mut Redactor,
) -> Result<Option<String>, (ErrorKind, String)> {
    let c = input.client;
    let secret = || {
        c.client_secret
            .as_ref()
            .map(|s| s.expose().to_string())
            .ok_or_else(|| {
                (
                    ErrorKind::MissingValue,
                    format!("client `{}` has no secret", c.name),
                )
            })
    };
    let basic = |headers: &mut HeaderMap,
                 redactor: &mut Redactor,
                 secret: &str|
     -> Result<(), (ErrorKind, String)> {
        let value = basic_authorization(&c.client_id, secret);
        if let Some(credentials) = value.strip_prefix("Basic ") {
            redactor.add("basic", credentials);
        }
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_str(&value).map_err(|e| (ErrorKind::Internal, e.to_string()))?,
        );
        Ok(())
    };
    match input.method {
        "client_secret_basic" => basic(headers, redactor, &secret()?)?,
        "client_secret_post" => {
            form.push(("client_id".into(), c.client_id.clone()));
            form.push(("client_secret".into(), secret()?));
        }
        "basic_and_post" => {
            let s = secret()?;
            basic(headers, redactor, &s)?;
            form.push(("client_id".into(), c.client_id.clone()));
            form.push(("client_secret".into(), s));
        }
        "private_key_jwt" | "basic_and_assertion" => {
            if input.method == "basic_and_assertion" {
                // Two methods at once (RFC 6749 §2.3), to be rejected: Basic with the client's
                // secret, or an empty one for a client that has none.
                let s = c
                    .client_secret
                    .as_ref()
                    .map(|s| s.expose().to_string())
                    .unwrap_or_default();
                basic(headers, redactor, &s)?;
            }
            let assertion = match &input.replay {
                Some(a) => a.clone(),
                None => sign(input)?,
            };
            redactor.add("client_assertion", &assertion);
            let kind = input
                .assertion
                .and_then(|a| a.assertion_type.clone())
                .unwrap_or_else(|| ASSERTION_TYPE.into());
            form.push(("client_assertion_type".into(), kind));
            form.push(("client_assertion".into(), assertion.clone()));
            if input
                .assertion
                .is_some_and(|a| a.mutations.contains(&Mutation::ClientIdMismatch))
            {
                // The optional client_id (RFC 7521 §4.2) naming someone other than `sub`.
                form.push(("client_id".into(), "urn:grantspec:someone-else".into()));
            }
            return Ok(Some(assertion));
        }
        // RFC 8705 §2: the certificate presented in the TLS handshake authenticates; the
        // body names the client and carries no secret.
        "tls_client_auth" | "self_signed_tls_client_auth" => {
            form.push(("client_id".into(), c.client_id.clone()))
        }
        _ => form.push(("client_id".into(), c.client_id.clone())),
    }
    Ok(None)
}

fn sign(input: &AuthInput<'_>) -> Result<String, (ErrorKind, String)> {
    let c = input.client;
    let pem = c.private_key.as_ref().ok_or_else(|| {
        (
            ErrorKind::MissingValue,
            format!("client `{}` has no private key for private_key_jwt", c.name),
        )
    })?;
    let empty = Vec::new();
    let a = input.assertion;
    // RFC 10070: the issuer, as the sole audience, unless the step names another.
    let audience = match (&input.audience_override, a.map(|a| &a.audience)) {
        (Some(url), _) => url.clone(),
        (None, Some(Audience::TokenEndpoint)) => input.token_endpoint.to_string(),
        _ if input.issuer.is_empty() => input.token_endpoint.to_string(),
        _ => input.issuer.to_string(),
    };
    let second_audience = if audience == input.issuer {
        input.token_endpoint
    } else {
        input.issuer
    };
    let spec = AssertionSpec {
        client_id: &c.client_id,
        audience: &audience,
        second_audience,
        private_key_pem: pem.expose(),
        alg: a
            .and_then(|a| a.alg.as_deref())
            .or(c.signing_alg.as_deref()),
        key_id: c.key_id.as_deref(),
        header: a.map(|a| a.header.as_slice()).unwrap_or(&empty),
        claims: a.map(|a| a.claims.as_slice()).unwrap_or(&empty),
        mutations: a.map(|a| a.mutations.as_slice()).unwrap_or(&[]),
        lifetime_secs: ASSERTION_LIFETIME,
    };
    sign_assertion(&spec).map(|(jwt, _)| jwt).map_err(|e| {
        (
            ErrorKind::Internal,
            format!("cannot sign the client assertion: {e}"),
        )
    })
}
