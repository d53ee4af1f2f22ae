//! Protocol vocabulary shared by the harness: metadata names, client authentication encodings,
//! randomness.

mod assertion;
mod client_auth;
mod html_form;
mod jwt;
mod metadata;
mod pem;
mod pkce;
mod random;

pub use assertion::{ASSERTION_TYPE, AssertionSpec, Mutation, public_jwk, sign_assertion};
pub use client_auth::basic_authorization;
pub use html_form::{HtmlForm, parse_forms};
pub use jwt::{DecodedJwt, at_hash, decode_unverified, verify_signature};
pub use metadata::{ENDPOINTS, advertised_endpoints, endpoint_metadata_key};
pub use pem::pem_block;
pub use pkce::{Pkce, s256};
pub use random::{random_bytes, random_string, uuid_v4};
