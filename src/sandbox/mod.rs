//! The embedded authorization server: a conformant stand-in for the provider's OAuth 2.0 /
//! OpenID Connect server, with deliberate defects and fault injection for testing the harness.
//!
//! It owns its HTTP endpoints, keys, clients, users and in-memory state, and depends on nothing
//! in the crate but [`crate::secret`].
//!
//! - `running.rs`: [`Sandbox`], the running server; `router.rs`, `endpoints.rs`: routes, URLs
//! - `config.rs`, `client.rs`, `user.rs`, `defect.rs` (`defect_macro.rs`), `fault.rs`,
//!   `flavour.rs`, `access_token_revocation.rs`: the public setup types
//! - `keycloak.rs`: what the keycloak flavour answers differently (paths, members, errors)
//! - `discovery.rs`: discovery document and JWKS
//! - `authorize_endpoint.rs`, `authorization_request.rs`, `html_page.rs`, `redirect.rs`,
//!   `session.rs`: the authorization endpoint and its login form
//! - `token_endpoint.rs`, `token_response.rs`, `authorization_code_grant.rs`,
//!   `refresh_grant.rs`, `id_token.rs`, `pkce.rs`, `scope.rs`: the token endpoint and its grants
//! - `client_auth.rs`, `client_assertion.rs`, `client_key.rs`, `jws.rs`: client authentication
//! - `plain_http.rs`: the plain-http side of an https sandbox (a redirect to https)
//! - `tls.rs`, `tls_listener.rs`: HTTPS with optional client certificates; `mtls_auth.rs`,
//!   `x509.rs`, `der.rs`: mutual-TLS client authentication and bound tokens (RFC 8705)
//! - `userinfo_endpoint.rs`, `bearer.rs`: UserInfo and bearer tokens
//! - `introspection_endpoint.rs`, `revocation_endpoint.rs`, `end_session_endpoint.rs`
//! - `resource_endpoint.rs`: a protected resource that accepts the sandbox's access tokens
//! - `registration_endpoint.rs`, `client_metadata.rs`: RFC 7591/7592 registration
//! - `fault_injection.rs`: latency, 5xx and dropped connections
//! - `form.rs`, `media_type.rs`, `oauth_error.rs`, `json_response.rs`, `credentials.rs`:
//!   request and response plumbing
//! - `state.rs`, `defect_set.rs`, `registered_client.rs`, `token_store.rs`,
//!   `authorization_code.rs`, `shared_store.rs`, `store.rs`: bounded in-memory state
//! - `signing_key.rs`, `random.rs`, `clock.rs`: keys, randomness, time

mod access_token_revocation;
mod authorization_code;
mod authorization_code_grant;
mod authorization_request;
mod authorize_endpoint;
mod bearer;
mod client;
mod client_assertion;
mod client_auth;
mod client_key;
mod client_metadata;
mod clock;
mod config;
mod credentials;
mod defect;
mod defect_macro;
mod defect_set;
mod deferred;
mod der;
mod discovery;
mod end_session_endpoint;
mod endpoints;
mod fault;
mod fault_injection;
mod flavour;
mod form;
mod html_page;
mod id_token;
mod implicit_response;
mod introspection_endpoint;
mod json_response;
mod jws;
mod key_pool;
mod keycloak;
mod media_type;
mod mtls_auth;
mod oauth_error;
mod pkce;
mod plain_http;
mod random;
mod redirect;
mod refresh_grant;
mod registered_client;
mod registration_endpoint;
mod resource_endpoint;
mod revocation_endpoint;
mod router;
mod running;
mod sandbox_keys;
mod scope;
mod session;
mod shared_store;
mod signing_key;
mod state;
mod store;
mod tls;
mod tls_listener;
mod token_endpoint;
mod token_response;
mod token_store;
mod user;
mod userinfo_endpoint;
mod x509;

pub use access_token_revocation::AccessTokenRevocation;
pub use client::{AuthMethod, GrantType, ResponseStyle, SandboxClient, UnknownValue};
pub use config::{Lifetimes, SandboxConfig};
pub use defect::{Defect, UnknownDefect};
pub use fault::Faults;
pub use flavour::Flavour;
pub use mtls_auth::TlsSubject;
pub use running::Sandbox;
pub use tls::SandboxTls;
pub use user::SandboxUser;
