//! The implicit grant's response (RFC 6749 §4.2.2): an access token in the redirect's
//! fragment. Served only under [`Defect::ImplicitGrantServed`](super::defect::Defect): RFC 9700
//! §2.1.2 says not to return access tokens in the front channel.

use super::clock::unix_now;
use super::random;
use super::session::{AuthorizationRequest, Session};
use super::state::AppState;
use super::token_store::{IssuedToken, TokenGrant, TokenKind};

/// Issues an access token for `request` and returns the redirect location.
pub(crate) fn location(
    state: &AppState,
    request: &AuthorizationRequest,
    session: &Session,
) -> String {
    let now = unix_now();
    let lifetime = state.lifetimes.access_token;
    let token = random::token("at-");
    state.tokens.insert(
        TokenKind::Access,
        token.clone(),
        IssuedToken {
            grant: TokenGrant {
                client_id: request.client_id.clone(),
                scope: request.scope.clone(),
                user: Some(session.user),
                grant_id: Some(random::token("g-")),
                auth_time: Some(session.auth_time),
                bound_to: None,
            },
            issued_at: now,
            expires_at: now + lifetime.as_secs(),
            revoked: false,
            refresh_credit: 0,
        },
        lifetime,
    );
    let expires_in = lifetime.as_secs().to_string();
    let mut fragment = url::form_urlencoded::Serializer::new(String::new());
    fragment
        .append_pair("access_token", &token)
        .append_pair("token_type", "Bearer")
        .append_pair("expires_in", &expires_in)
        .append_pair("scope", &request.scope);
    if let Some(client_state) = &request.state {
        fragment.append_pair("state", client_state);
    }
    fragment.append_pair("iss", state.issuer());
    format!("{}#{}", request.redirect_uri, fragment.finish())
}
