//! Provisioning, Terraform-style: the desired fixtures (`fixtures.yaml`), the state of what
//! exists at the provider (`.grantspec/state/<env>.json`), plans that diff the two, and
//! applying them through a [`Registrar`]. It feeds `resolve` and the runner the clients of a
//! run; it never reaches into the runner or the reports.
//!
//! - `fixtures.rs`, `raw_fixtures.rs`: the configuration as written and as checked;
//!   `fixture_tls.rs`: clients' TLS certificates and what mutual-TLS auth methods register
//! - `key_material.rs`: RSA / EC P-256 keys generated locally, PEM and JWK
//! - `state.rs`, `state_file.rs`, `state_lock.rs`, `secret_file.rs`, `exposed_secret.rs`:
//!   the state, its file (atomic, 0600, backup) and its lock
//! - `registrar.rs`, `dynamic_registrar.rs`: the provider interface and RFC 7591/7592
//! - `planner.rs`, `plan.rs`, `plan_view.rs`: refresh, diff, the plan and its rendering
//! - `apply.rs`: performing a plan, the state saved after every change
//! - `provisioner.rs`: one environment wired together; `provisioned_client.rs`: a run's clients

mod apply;
mod dynamic_registrar;
mod environment_check;
mod error;
mod exposed_secret;
mod fixture_tls;
mod fixtures;
mod key_material;
mod plan;
mod plan_view;
mod planner;
mod provisioned_client;
mod provisioner;
mod raw_fixtures;
pub(crate) use raw_fixtures::fixtures_schema;
mod registrar;
mod secret_file;
mod state;
mod state_file;
mod state_lock;

pub use apply::StateStore;
pub use dynamic_registrar::DynamicRegistrar;
pub use environment_check::check_fixtures;
pub use error::ProvisionError;
pub use fixtures::{
    ClientSpec, Fixtures, KeySpec, KeyType, UserSpec, load_fixtures, parse_fixtures,
};
pub use plan::{Action, Change, Drift, DriftKind, PLAN_FORMAT_VERSION, Plan, PlanMode, Subject};
pub use plan_view::render_plan;
pub(crate) use planner::managed_view;
pub use provisioned_client::{ProvisionedClient, state_clients};
pub use provisioner::{AnyRegistrar, Provisioner};
pub use registrar::{Handle, Registered, Registrar, RegistrarError};
pub(crate) use secret_file::write_private as write_private_file;
pub use state::{ClientResource, KeyResource, Resource, STATE_VERSION, State, display_attributes};
pub use state_file::{Workdir, default_root};
pub use state_lock::StateLock;

#[cfg(test)]
mod tests;
