//! The routes, mounted under the issuer's path.

use axum::Router;
use axum::routing::{get, post};

use super::authorize_endpoint;
use super::discovery;
use super::endpoints;
use super::state::SharedState;
use super::token_endpoint;

/// Every endpoint under `issuer_path` (normalized: empty or `/segment`).
pub(crate) fn router(state: SharedState, issuer_path: &str) -> Router {
    let routes = Router::new()
        .route(endpoints::DISCOVERY, get(discovery::discovery))
        .route(endpoints::JWKS, get(discovery::jwks_endpoint))
        .route(endpoints::AUTHORIZE, get(authorize_endpoint::authorize))
        .route(endpoints::LOGIN, post(authorize_endpoint::login))
        .route(endpoints::TOKEN, post(token_endpoint::token))
        .with_state(state);
    if issuer_path.is_empty() {
        routes
    } else {
        Router::new().nest(issuer_path, routes)
    }
}
