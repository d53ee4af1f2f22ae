//! The routes, mounted under the issuer's path.

use std::sync::Arc;

use axum::routing::{get, post};
use axum::{Router, middleware};

use super::authorize_endpoint;
use super::defect::Defect;
use super::discovery;
use super::end_session_endpoint;
use super::endpoints;
use super::fault::Faults;
use super::fault_injection;
use super::flavour::Paths;
use super::introspection_endpoint;
use super::keycloak;
use super::registration_endpoint;
use super::resource_endpoint;
use super::revocation_endpoint;
use super::state::SharedState;
use super::tls_listener;
use super::token_endpoint;
use super::userinfo_endpoint;

/// Every endpoint at its flavour's `paths` under `issuer_path` (normalized: empty or
/// `/segment`), plus the RFC 8414 §3 metadata URL with the path inserted after the well-known
/// prefix and the protected resource at the server root, behind the fault injection middleware when faults are configured. With `mtls`, the
/// token, UserInfo, introspection and revocation endpoints again under `/mtls`, where the
/// client certificate of the connection is read (RFC 8705 §5).
pub(crate) fn router(
    state: SharedState,
    issuer_path: &str,
    paths: &Paths,
    faults: Faults,
    mtls: bool,
) -> Router {
    // RFC 6749 §3.2: POST only; the defect serves GET as well.
    let token_route = if state.has(Defect::TokenEndpointGetAccepted) {
        post(token_endpoint::token).get(token_endpoint::token_from_query)
    } else {
        post(token_endpoint::token)
    };
    let mut routes = Router::new()
        .route(endpoints::DISCOVERY, get(discovery::discovery))
        .route(paths.jwks, get(discovery::jwks_endpoint))
        .route(paths.authorize, get(authorize_endpoint::authorize))
        .route(endpoints::LOGIN, post(authorize_endpoint::login))
        .route(paths.token, token_route)
        .route(
            paths.userinfo,
            get(userinfo_endpoint::userinfo_get).post(userinfo_endpoint::userinfo_post),
        )
        .route(paths.introspect, post(introspection_endpoint::introspect))
        .route(paths.revoke, post(revocation_endpoint::revoke))
        .route(
            paths.logout,
            get(end_session_endpoint::end_session).post(end_session_endpoint::end_session),
        )
        .route(paths.register, post(registration_endpoint::register))
        .route(
            paths.registered_client,
            get(registration_endpoint::read)
                .put(registration_endpoint::update)
                .delete(registration_endpoint::delete),
        )
        .with_state(state.clone());
    if state.is_keycloak() {
        routes = routes.route(keycloak::SESSION_IFRAME, get(keycloak::session_iframe));
    }
    if mtls {
        let aliases = Router::new()
            .route(paths.token, post(token_endpoint::token))
            .route(
                paths.userinfo,
                get(userinfo_endpoint::userinfo_get).post(userinfo_endpoint::userinfo_post),
            )
            .route(paths.introspect, post(introspection_endpoint::introspect))
            .route(paths.revoke, post(revocation_endpoint::revoke))
            .layer(middleware::from_fn(tls_listener::read_certificate))
            .with_state(state.clone());
        routes = routes.nest(endpoints::MTLS, aliases);
    }
    let nested = if issuer_path.is_empty() {
        routes
    } else {
        Router::new().nest(issuer_path, routes)
    };
    let app = nested.merge(
        Router::new()
            .route(
                &format!("{}{issuer_path}", endpoints::AUTHORIZATION_SERVER_METADATA),
                get(discovery::discovery),
            )
            .route(
                endpoints::RESOURCE,
                get(resource_endpoint::check_email_address),
            )
            .with_state(state),
    );
    if faults.is_none() {
        app
    } else {
        app.layer(middleware::from_fn_with_state(
            Arc::new(faults),
            fault_injection::inject,
        ))
    }
}
