//! Environments: where a target is (issuer, endpoint overrides), its variables, its clients,
//! and the secrets they need, read from environment variables or files at run time.

mod duration;
mod load;
mod raw;

pub use duration::parse_duration;
pub use load::{Client, Environment, Provisioning, SecretSource, Target, load_environment};
