//! Client authentication at the token, introspection and revocation endpoints
//! (RFC 6749 §2.3; RFC 7523 §2.2; OIDC Core §9; RFC 8705 §2).

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::client::AuthMethod;
use super::client_assertion;
use super::credentials;
use super::defect::Defect;
use super::form::Form;
use super::keycloak;
use super::mtls_auth;
use super::oauth_error::OAuthError;
use super::registered_client::RegisteredClient;
use super::state::AppState;
use super::tls_listener::AtAlias;

/// The authenticated client of a request; its failure as the flavour answers it. `alias` is
/// set at the mutual-TLS endpoint aliases.
pub(crate) fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    form: &Form,
    alias: Option<&AtAlias>,
) -> Result<Arc<RegisteredClient>, OAuthError> {
    let assertion =
        form.get("client_assertion").is_some() || form.get("client_assertion_type").is_some();
    identify(state, headers, form, assertion, alias).map_err(|e| {
        let claimed = claimed_client_id(headers, form);
        keycloak::client_auth_error(state, e, assertion, claimed.as_deref())
    })
}

/// The client id a request claims, authenticated or not: the Basic header's, else the body's.
pub(crate) fn claimed_client_id(headers: &HeaderMap, form: &Form) -> Option<String> {
    basic_credentials(headers)
        .and_then(Result::ok)
        .map(|b| form_decode(&b.id))
        .or_else(|| form.get("client_id").map(str::to_owned))
}

fn identify(
    state: &AppState,
    headers: &HeaderMap,
    form: &Form,
    assertion: bool,
    alias: Option<&AtAlias>,
) -> Result<Arc<RegisteredClient>, OAuthError> {
    let basic = basic_credentials(headers);
    let post = form.get("client_secret").is_some();
    let basic_ignored = assertion && !post && state.has(Defect::AssertionWithBasicAccepted);
    if usize::from(basic.is_some()) + usize::from(post) + usize::from(assertion) > 1
        && !state.has(Defect::TwoAuthMethodsAccepted)
        && !basic_ignored
    {
        return Err(OAuthError::invalid_request(
            "more than one client authentication method was used (RFC 6749 §2.3)",
        ));
    }
    if basic_ignored {
        return client_assertion::authenticate(state, form);
    }
    if let Some(basic) = basic {
        let challenge = |e: OAuthError| {
            if state.has(Defect::NoBasicChallenge) {
                e.without_challenge()
            } else {
                e
            }
        };
        return basic_client(state, &basic?, form).map_err(challenge);
    }
    if assertion {
        return client_assertion::authenticate(state, form);
    }
    let Some(client_id) = form.get("client_id") else {
        if state.has(Defect::MissingAuthInvalidRequest) {
            return Err(OAuthError::invalid_request(
                "client authentication is required",
            ));
        }
        return Err(OAuthError::invalid_client_basic(
            "client authentication is required",
        ));
    };
    let client = state
        .client(client_id)
        .ok_or_else(|| OAuthError::invalid_client_body("unknown client"))?;
    let method = client.client.auth_method;
    if method.uses_certificate() && !post {
        return mtls_auth::authenticate(client, alias);
    }
    if post {
        if method != AuthMethod::ClientSecretPost {
            return Err(OAuthError::invalid_client_body(format!(
                "the client authenticates with {method}"
            )));
        }
        if !check_secret(&client, form.get("client_secret")) {
            return Err(OAuthError::invalid_client_body(
                "invalid client credentials",
            ));
        }
        return Ok(client);
    }
    if method != AuthMethod::None {
        return Err(OAuthError::invalid_client_basic(
            "client authentication is required",
        ));
    }
    Ok(client)
}

/// The id and secret of a `Basic` Authorization header, still form-urlencoded.
struct Basic {
    id: String,
    secret: String,
}

/// `None` without a Basic header; `Some(Err)` for a malformed one.
fn basic_credentials(headers: &HeaderMap) -> Option<Result<Basic, OAuthError>> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let malformed = || OAuthError::invalid_client_basic("malformed Basic credentials");
    let parsed = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|pair| {
            pair.split_once(':').map(|(id, secret)| Basic {
                id: id.to_owned(),
                secret: secret.to_owned(),
            })
        })
        .ok_or_else(malformed);
    Some(parsed)
}

fn basic_client(
    state: &AppState,
    basic: &Basic,
    form: &Form,
) -> Result<Arc<RegisteredClient>, OAuthError> {
    let (id, secret) = if state.has(Defect::BasicNotUrlDecoded) {
        (basic.id.clone(), basic.secret.clone())
    } else {
        (form_decode(&basic.id), form_decode(&basic.secret))
    };
    let client = state
        .client(&id)
        .ok_or_else(|| OAuthError::invalid_client_basic("invalid client credentials"))?;
    if client.client.auth_method != AuthMethod::ClientSecretBasic {
        return Err(OAuthError::invalid_client_basic(format!(
            "the client authenticates with {}",
            client.client.auth_method
        )));
    }
    if !check_secret(&client, Some(&secret)) {
        return Err(OAuthError::invalid_client_basic(
            "invalid client credentials",
        ));
    }
    if form.get("client_id").is_some_and(|body_id| body_id != id) {
        return Err(OAuthError::invalid_client_basic(
            "client_id in the body differs from the authenticated client",
        ));
    }
    Ok(client)
}

/// Decodes one `application/x-www-form-urlencoded` component (RFC 6749 §2.3.1, Appendix B).
fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', hi, lo]) => hex(*hi).zip(hex(*lo)).map(|(h, l)| (h * 16 + l) as u8),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, b) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn check_secret(client: &RegisteredClient, given: Option<&str>) -> bool {
    match (&client.client.client_secret, given) {
        (Some(expected), Some(given)) => credentials::matches(expected, given),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_components_are_form_decoded() {
        assert_eq!(form_decode("a%3Ab+c%25"), "a:b c%");
        assert_eq!(form_decode("plain"), "plain");
        assert_eq!(form_decode("a&b=c%2"), "a&b=c%2");
    }
}
