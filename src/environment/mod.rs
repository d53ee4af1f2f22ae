//! Environments: where a target is (issuer, endpoint overrides), its variables, clients, users
//! and login pages, and the secrets they need, read from environment variables or files at run
//! time.

mod baseline;
mod client_tls;
mod clients;
mod duration;
mod http_client;
mod load;
mod model;
mod provisioning;
mod raw;
mod sandbox_options;
pub(crate) use raw::environment_schema;

pub use baseline::BaselineEntry;
pub use client_tls::{ClientTls, TlsIdentity};
pub use duration::parse_duration;
pub use load::{environment_from_source, load_environment};
pub use model::{
    AUTH_METHODS, Client, Environment, FormRecipe, HttpSettings, Lifetimes, LoginRecipe, RetryOn,
    RetryPolicy, SandboxOptions, SandboxTlsFiles, SecretSource, Target, User,
};
pub use provisioning::Provisioning;
