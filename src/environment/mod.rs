//! Environments: where a target is (issuer, endpoint overrides), its variables, clients, users
//! and login pages, and the secrets they need, read from environment variables or files at run
//! time.

mod duration;
mod environment;
mod load;
mod provisioning;
mod raw;

pub use duration::parse_duration;
pub use environment::{
    AUTH_METHODS, Client, Environment, FormRecipe, LoginRecipe, SandboxOptions, SecretSource,
    Target, User,
};
pub use load::load_environment;
pub use provisioning::Provisioning;
