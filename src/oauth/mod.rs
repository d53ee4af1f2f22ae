//! Protocol vocabulary shared by the harness: metadata names, client authentication encodings,
//! randomness.

mod client_auth;
mod metadata;
mod random;

pub use client_auth::basic_authorization;
pub use metadata::{ENDPOINTS, endpoint_metadata_key};
pub use random::{random_bytes, random_string, uuid_v4};
