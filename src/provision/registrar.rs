//! How clients are created, read, updated and deleted at a provider. RFC 7591/7592 dynamic
//! registration is the first implementation ([`DynamicRegistrar`](super::DynamicRegistrar));
//! a provider's admin API would be another.

use std::future::Future;

use serde_json::{Map, Value};

use crate::secret::Secret;

/// A client as the provider reports it.
#[derive(Clone, Debug)]
pub struct Registered {
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub registration_access_token: Option<Secret>,
    pub registration_client_uri: Option<String>,
    /// Every other metadata field of the answer.
    pub metadata: Map<String, Value>,
}

/// What is needed to reach a registered client again (RFC 7592 §3).
#[derive(Clone, Debug)]
pub struct Handle {
    pub client_id: String,
    pub registration_client_uri: String,
    pub registration_access_token: Secret,
    pub client_secret: Option<Secret>,
}

#[derive(Debug, thiserror::Error)]
pub enum RegistrarError {
    #[error("{operation} {url}: {message}")]
    Transport {
        operation: &'static str,
        url: String,
        message: String,
    },
    #[error("{operation} {url}: HTTP {status}: {body}")]
    Refused {
        operation: &'static str,
        url: String,
        status: u16,
        body: String,
    },
    #[error(
        "{operation} {url}: the answer is not an RFC 7591 client information response: {message}"
    )]
    Malformed {
        operation: &'static str,
        url: String,
        message: String,
    },
    #[error("{0}")]
    Unsupported(String),
}

/// Creates, reads, updates and deletes clients at a provider.
pub trait Registrar: Sync {
    /// Registers a client (RFC 7591 §3.1).
    fn create(
        &self,
        metadata: &Map<String, Value>,
    ) -> impl Future<Output = Result<Registered, RegistrarError>> + Send;

    /// Reads a client (RFC 7592 §2.1); `None` when it no longer exists.
    fn read(
        &self,
        handle: &Handle,
    ) -> impl Future<Output = Result<Option<Registered>, RegistrarError>> + Send;

    /// Replaces a client's metadata (RFC 7592 §2.2).
    fn update(
        &self,
        handle: &Handle,
        metadata: &Map<String, Value>,
    ) -> impl Future<Output = Result<Registered, RegistrarError>> + Send;

    /// Deletes a client (RFC 7592 §2.3); a client already gone is not an error.
    fn delete(&self, handle: &Handle) -> impl Future<Output = Result<(), RegistrarError>> + Send;
}
