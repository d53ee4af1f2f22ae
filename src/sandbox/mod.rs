//! The embedded authorization server: a conformant stand-in for the provider's OAuth 2.0 /
//! OpenID Connect server, with deliberate defects and fault injection for testing the harness.
//!
//! It owns its HTTP endpoints, keys, clients, users and in-memory state, and depends on nothing
//! in the crate but [`crate::secret`].
//!
//! - `running.rs`: `Sandbox`, the running server
//! - `config.rs`, `client.rs`, `user.rs`, `defect.rs`, `fault.rs`: the public setup types
//! - `endpoints.rs`: paths and URLs; `router.rs`: the routes
//! - `discovery.rs`: discovery document and JWKS
//! - `token_endpoint.rs`, `token_response.rs`, `scope.rs`: the token endpoint
//! - `client_auth.rs`, `client_assertion.rs`, `client_key.rs`: client authentication
//! - `form.rs`, `oauth_error.rs`, `json_response.rs`: request and response plumbing
//! - `state.rs`, `registered_client.rs`, `token_store.rs`, `store.rs`: in-memory state
//! - `signing_key.rs`, `random.rs`, `clock.rs`: keys, randomness, time

#![expect(
    dead_code,
    reason = "the remaining endpoints land in the following commits"
)]

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
mod defect;
mod discovery;
mod end_session_endpoint;
mod endpoints;
mod fault;
mod form;
mod html_page;
mod id_token;
mod introspection_endpoint;
mod json_response;
mod jws;
mod oauth_error;
mod pkce;
mod random;
mod redirect;
mod refresh_grant;
mod registered_client;
mod registration_endpoint;
mod revocation_endpoint;
mod router;
mod running;
mod scope;
mod seen_ids;
mod session;
mod shared_store;
mod signing_key;
mod state;
mod store;
mod token_endpoint;
mod token_response;
mod token_store;
mod user;
mod userinfo_endpoint;

pub use client::{AuthMethod, GrantType, ResponseStyle, SandboxClient, UnknownValue};
pub use config::{Lifetimes, SandboxConfig};
pub use defect::{Defect, UnknownDefect};
pub use fault::Faults;
pub use running::Sandbox;
pub use user::SandboxUser;
