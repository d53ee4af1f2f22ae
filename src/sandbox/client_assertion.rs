//! `private_key_jwt` client authentication: the client assertion (RFC 7523 §2.2, §3; OIDC Core §9).

use std::sync::Arc;

use super::form::Form;
use super::oauth_error::OAuthError;
use super::registered_client::RegisteredClient;
use super::state::AppState;

pub(crate) fn authenticate(
    _state: &AppState,
    _form: &Form,
) -> Result<Arc<RegisteredClient>, OAuthError> {
    Err(OAuthError::invalid_client_body(
        "client assertions are not accepted yet",
    ))
}
