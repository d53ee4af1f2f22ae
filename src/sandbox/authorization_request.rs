//! Validating an authorization request (RFC 6749 §4.1.1, §4.1.2.1; OIDC Core §3.1.2.1;
//! RFC 7636 §4.3). A bad client or redirect URI is shown to the user; anything else is sent
//! back to the client's redirect URI.

use super::client::{GrantType, SandboxClient};
use super::defect::Defect;
use super::form::Form;
use super::pkce::{self, Challenge, ChallengeMethod};
use super::redirect;
use super::scope;
use super::session::AuthorizationRequest;
use super::state::AppState;

/// Why an authorization request is refused.
#[derive(Debug)]
pub(crate) enum Rejection {
    /// Shown to the user: no redirect (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).
    Page(String),
    /// Sent to the client's redirect URI.
    Redirect {
        redirect_uri: String,
        state: Option<String>,
        error: &'static str,
        description: String,
    },
}

/// Parses and validates the query of `GET /authorize`.
pub(crate) fn validate(state: &AppState, query: &str) -> Result<AuthorizationRequest, Rejection> {
    let params = Form::parse(query.as_bytes());
    for name in ["client_id", "redirect_uri"] {
        if params.count(name) > 1 {
            return Err(Rejection::Page(format!("parameter `{name}` is repeated")));
        }
    }
    let client_id = params
        .get("client_id")
        .ok_or_else(|| Rejection::Page("missing parameter: client_id".into()))?;
    let client = state
        .client(client_id)
        .ok_or_else(|| Rejection::Page(format!("unknown client `{client_id}`")))?;
    let client = &client.client;
    let redirect_uri_given = params.get("redirect_uri").is_some();
    let redirect_uri = match params.get("redirect_uri") {
        Some(uri)
            if !redirect::is_allowed(uri) && !state.has(Defect::HttpRedirectUriAuthorized) =>
        {
            return Err(Rejection::Page(
                "http redirect URIs are accepted on loopback only (RFC 9700 §2.6)".into(),
            ));
        }
        Some(uri) if is_registered(state, client, uri) => uri.to_owned(),
        Some(_) => {
            return Err(Rejection::Page(
                "redirect_uri is not registered for this client".into(),
            ));
        }
        None => match client.redirect_uris.as_slice() {
            [only] => only.clone(),
            _ => return Err(Rejection::Page("missing parameter: redirect_uri".into())),
        },
    };
    let client_state = params.get("state").map(str::to_owned);
    let refuse = |error: &'static str, description: String| Rejection::Redirect {
        redirect_uri: redirect_uri.clone(),
        state: client_state.clone(),
        error,
        description,
    };
    if let Some(name) = params.repeated() {
        return Err(refuse(
            "invalid_request",
            format!("parameter `{name}` is repeated"),
        ));
    }
    let mut implicit = false;
    match params.get("response_type") {
        None => {
            return Err(refuse(
                "invalid_request",
                "missing parameter: response_type".into(),
            ));
        }
        Some("code") => {}
        Some("token") if state.has(Defect::ImplicitGrantServed) => implicit = true,
        Some(other) if state.has(Defect::ErrorPageForBadRequest) => {
            return Err(Rejection::Page(format!(
                "response_type `{other}` is not supported"
            )));
        }
        Some(other) => {
            return Err(refuse(
                "unsupported_response_type",
                format!("response_type `{other}` is not supported"),
            ));
        }
    }
    if params
        .get("response_mode")
        .is_some_and(|mode| mode != "query")
    {
        return Err(refuse(
            "invalid_request",
            "only response_mode=query is supported".into(),
        ));
    }
    if params.get("request").is_some() {
        return Err(refuse(
            "request_not_supported",
            "request objects are not supported (OIDC Core §6)".into(),
        ));
    }
    if params.get("request_uri").is_some() {
        return Err(refuse(
            "request_uri_not_supported",
            "request_uri is not supported (OIDC Core §6)".into(),
        ));
    }
    if !client.allows_grant(GrantType::AuthorizationCode) {
        return Err(refuse(
            "unauthorized_client",
            "the client may not use the authorization code grant".into(),
        ));
    }
    let granted = scope::grant(client, params.get("scope"))
        .map_err(|e| refuse("invalid_scope", e.description.into_owned()))?;
    let challenge = challenge(state, &params).map_err(|d| refuse("invalid_request", d.into()))?;
    if challenge.is_none()
        && !implicit
        && client.require_pkce
        && !state.has(Defect::PublicClientWithoutPkce)
    {
        return Err(refuse(
            "invalid_request",
            "code_challenge is required for this client (RFC 9700 §2.1.1)".into(),
        ));
    }
    let prompt = params.get("prompt").map(str::to_owned);
    if let Some(prompt) = &prompt {
        let values: Vec<&str> = prompt.split(' ').collect();
        if values.contains(&"none") && values.len() > 1 {
            return Err(refuse(
                "invalid_request",
                "prompt=none cannot be combined with other values".into(),
            ));
        }
    }
    let max_age = match params.get("max_age") {
        None => None,
        Some(v) => Some(
            v.parse::<u64>()
                .map_err(|_| refuse("invalid_request", "max_age must be a number".into()))?,
        ),
    };
    Ok(AuthorizationRequest {
        client_id: client.client_id.clone(),
        redirect_uri,
        redirect_uri_given,
        scope: granted,
        state: client_state,
        nonce: params.get("nonce").map(str::to_owned),
        challenge,
        prompt,
        max_age,
        implicit,
    })
}

/// Exact string comparison (RFC 9700 §4.1.3), or a prefix match with the defect.
fn is_registered(state: &AppState, client: &SandboxClient, uri: &str) -> bool {
    if state.has(Defect::HttpRedirectUriAuthorized)
        && client
            .redirect_uris
            .iter()
            .any(|registered| dev_host(registered).as_deref() == Some(uri))
    {
        return true;
    }
    if state.has(Defect::RedirectUriPrefixMatch) {
        client
            .redirect_uris
            .iter()
            .any(|registered| uri.starts_with(registered.as_str()))
    } else {
        client
            .redirect_uris
            .iter()
            .any(|registered| registered == uri)
    }
}

/// The registered URI's path on `http://app.example`: the development host a lax server lets
/// every client use (the `http-redirect-uri-authorized` defect).
fn dev_host(registered: &str) -> Option<String> {
    let url = url::Url::parse(registered).ok()?;
    Some(format!("http://app.example{}", url.path()))
}

fn challenge(state: &AppState, params: &Form) -> Result<Option<Challenge>, &'static str> {
    let method = params.get("code_challenge_method");
    let Some(value) = params.get("code_challenge") else {
        return match method {
            Some(_) => Err("code_challenge_method without code_challenge"),
            None => Ok(None),
        };
    };
    let method = match ChallengeMethod::parse(method) {
        Some(ChallengeMethod::Plain)
            if method.is_none() && state.has(Defect::MethodlessChallengeAsS256) =>
        {
            ChallengeMethod::S256
        }
        Some(m) => m,
        None if state.has(Defect::UnknownChallengeMethodAccepted) => ChallengeMethod::Plain,
        None => return Err("code_challenge_method must be S256 or plain (RFC 7636 §4.3)"),
    };
    if !pkce::is_well_formed(value) {
        return Err("code_challenge is malformed (RFC 7636 §4.2)");
    }
    Ok(Some(Challenge {
        value: value.to_owned(),
        method,
    }))
}
