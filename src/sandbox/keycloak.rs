//! What the keycloak flavour answers differently from the generic sandbox, after Keycloak's
//! source (`keycloak/keycloak`, services/…/protocol/oidc): its discovery members, the members of
//! its token responses, its error strings, and two departures from the RFCs that the keycloak
//! profile grades as warnings (E-11 and L-08, J-09).

use std::borrow::Cow;

use axum::http::{HeaderValue, StatusCode};
use serde_json::{Map, Value, json};

use super::client::SandboxClient;
use super::defect::Defect;
use super::oauth_error::OAuthError;
use super::pkce;
use super::state::AppState;

/// `AuthenticationProcessor.handleClientAuthException` and `ClientIdAndSecretAuthenticator`.
pub(crate) const CLIENT_AUTH_FAILED: &str = "Invalid client or Invalid client credentials";

/// `OIDCWellKnownProvider`: session management and logout members Keycloak always advertises.
/// Where Keycloak serves the OP iframe of OIDC Session Management (`check_session_iframe`).
pub(crate) const SESSION_IFRAME: &str = "/protocol/openid-connect/login-status-iframe.html";

/// The OP iframe: advertised, so served (B-09 probes it). It answers no session queries: no
/// scenario uses Session Management.
pub(crate) async fn session_iframe() -> axum::response::Html<&'static str> {
    axum::response::Html("<!DOCTYPE html><title>login status</title>\n")
}

pub(crate) fn discovery_members(issuer: &str) -> Map<String, Value> {
    let mut members = Map::new();
    members.insert(
        "check_session_iframe".into(),
        json!(format!("{issuer}{SESSION_IFRAME}")),
    );
    for flag in [
        "frontchannel_logout_supported",
        "frontchannel_logout_session_supported",
        "backchannel_logout_supported",
        "backchannel_logout_session_supported",
    ] {
        members.insert(flag.into(), json!(true));
    }
    members
}

/// The members `TokenManager.AccessTokenResponseBuilder.build()` adds to every token response:
/// `refresh_expires_in` (0 without a refresh token: a Java `long`), `not-before-policy` (the
/// realm's, client's and user's revocation time; 0 when never pushed), and for a user's
/// session its id as `session_state` (OIDC Session Management; Keycloak 25 removed it from the
/// tokens, where `sid` carries it, but kept it in the response).
pub(crate) fn token_members(
    state: &AppState,
    body: &mut Map<String, Value>,
    refresh_ttl: Option<u64>,
    session: Option<&str>,
) {
    body.insert("refresh_expires_in".into(), json!(refresh_ttl.unwrap_or(0)));
    if !state.has(Defect::NotBeforePolicyMissing) {
        body.insert("not-before-policy".into(), json!(0));
    }
    if let Some(session) = session.filter(|_| !state.has(Defect::SessionStateMissing)) {
        body.insert("session_state".into(), json!(session));
    }
}

/// Why a code exchange is refused (RFC 6749 §4.1.3, RFC 7636 §4.6).
#[derive(Clone, Copy, Debug)]
pub(crate) enum CodeRefusal<'a> {
    Unknown,
    Reused,
    Expired,
    OtherClient,
    RedirectUri,
    VerifierMissing,
    VerifierWithoutChallenge,
    VerifierMismatch { verifier: &'a str },
}

impl CodeRefusal<'_> {
    /// The generic sandbox's description.
    fn generic(self) -> &'static str {
        match self {
            CodeRefusal::Unknown => "Code not valid",
            CodeRefusal::Reused => "Code not valid: already used; the tokens it issued are revoked",
            CodeRefusal::Expired => "Code not valid: expired",
            CodeRefusal::OtherClient => "the code was issued to another client",
            CodeRefusal::RedirectUri => "Incorrect redirect_uri",
            CodeRefusal::VerifierMissing => "PKCE code verifier not specified",
            CodeRefusal::VerifierWithoutChallenge => {
                "PKCE code verifier specified but challenge not present in authorization"
            }
            CodeRefusal::VerifierMismatch { .. } => {
                "PKCE verification failed: Invalid code verifier"
            }
        }
    }

    /// Keycloak's (`AuthorizationCodeGrantType`, `PkceUtils`). A used, expired or unknown code
    /// is "Code not valid": the code's single-use entry is gone once used or expired
    /// (`OAuth2CodeParser`).
    fn keycloak(self) -> &'static str {
        match self {
            CodeRefusal::Unknown | CodeRefusal::Reused | CodeRefusal::Expired => "Code not valid",
            CodeRefusal::OtherClient => "Auth error: Found different client_id in clientSession",
            CodeRefusal::VerifierMismatch { verifier } if pkce::is_well_formed(verifier) => {
                "PKCE verification failed: Code mismatch"
            }
            other => other.generic(),
        }
    }

    /// `invalid_grant` with the flavour's description.
    pub(crate) fn error(self, state: &AppState) -> OAuthError {
        if !state.is_keycloak() {
            return OAuthError::invalid_grant(self.generic());
        }
        if state.has(Defect::CodeErrorsUndescribed) {
            return OAuthError::invalid_grant("");
        }
        OAuthError::invalid_grant(self.keycloak())
    }
}

/// A failed client authentication by secret, as Keycloak answers it, with no
/// `WWW-Authenticate` (a departure from RFC 6749 §5.2, E-11): no client named, 400
/// `invalid_client` "Missing client_id parameter"; an unknown client, 401 `invalid_client`
/// (`AuthenticationProcessor`); a known one with a wrong or missing secret, 401
/// `unauthorized_client` (`ClientIdAndSecretAuthenticator`). Assertion failures keep their own
/// descriptions, as Keycloak's do.
pub(crate) fn client_auth_error(
    state: &AppState,
    error: OAuthError,
    assertion: bool,
    claimed: Option<&str>,
) -> OAuthError {
    if !state.is_keycloak() || assertion || error.code != "invalid_client" {
        return error;
    }
    let failed = if state.has(Defect::ClientAuthErrorUndescribed) {
        ""
    } else {
        CLIENT_AUTH_FAILED
    };
    match claimed {
        None => OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_client",
            "Missing client_id parameter",
        ),
        Some(id) if state.client(id).is_none() => {
            OAuthError::new(StatusCode::UNAUTHORIZED, "invalid_client", failed)
        }
        Some(_) => OAuthError::new(StatusCode::UNAUTHORIZED, "unauthorized_client", failed),
    }
}

/// `client_credentials` from a client that may not use it: Keycloak's
/// `ClientCredentialsGrantType` answers 401 `unauthorized_client`.
pub(crate) fn service_account_refusal(state: &AppState, client: &SandboxClient) -> OAuthError {
    let description = if state.has(Defect::ServiceAccountRefusalUndescribed) {
        ""
    } else if client.auth_method == super::client::AuthMethod::None {
        "Public client not allowed to retrieve service account"
    } else {
        "Client not enabled to retrieve service account"
    };
    OAuthError::new(StatusCode::UNAUTHORIZED, "unauthorized_client", description)
}

/// UserInfo's refusals, as `UserInfoEndpoint` answers them: a request without a token gets 400
/// `invalid_request` "Token not provided" and no challenge (a departure from RFC 6750 §3, J-09);
/// a bad token gets 401 with `Bearer realm="…", error="invalid_token",
/// error_description="Token verification failed"` and the same JSON body.
pub(crate) fn userinfo_error(state: &AppState, error: OAuthError) -> OAuthError {
    if !state.is_keycloak() {
        return error;
    }
    match (error.status, error.code) {
        (StatusCode::UNAUTHORIZED, "") => OAuthError::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Token not provided",
        ),
        (StatusCode::UNAUTHORIZED, "invalid_token") => {
            let (challenge, description) = if state.has(Defect::UserinfoChallengeUndescribed) {
                ("Bearer error=\"invalid_token\"".to_owned(), "")
            } else {
                let description = "Token verification failed";
                let challenge = format!(
                    "Bearer realm=\"{}\", error=\"invalid_token\", error_description=\"{description}\"",
                    state.realm
                );
                (challenge, description)
            };
            OAuthError {
                challenge: HeaderValue::from_str(&challenge).ok(),
                description: Cow::Borrowed(description),
                ..error
            }
        }
        _ => error,
    }
}
