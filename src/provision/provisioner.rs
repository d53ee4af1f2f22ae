//! One environment's provisioning, wired: its fixtures, which of them are external, its
//! `.grantspec/` directory and its registrar. The commands (`plan`, `apply`, `destroy`,
//! `test --ephemeral-fixtures`, the embedded run) all go through it.

use std::time::Duration;

use serde_json::{Map, Value};

use super::apply::{StateStore, apply};
use super::dynamic_registrar::DynamicRegistrar;
use super::error::ProvisionError;
use super::fixtures::Fixtures;
use super::plan::{Plan, PlanMode};
use super::planner::{plan, refresh};
use super::registrar::{Handle, Registered, Registrar, RegistrarError};
use super::state::State;
use super::state_file::Workdir;
use crate::environment::{Environment, Provisioning, Target};
use crate::secret::Secret;

/// The registrar an environment uses.
pub enum AnyRegistrar {
    Dynamic(DynamicRegistrar),
    /// `provisioning: external`: nothing may be registered.
    None(String),
}

impl Registrar for AnyRegistrar {
    async fn create(&self, m: &Map<String, Value>) -> Result<Registered, RegistrarError> {
        match self {
            AnyRegistrar::Dynamic(r) => r.create(m).await,
            AnyRegistrar::None(why) => Err(RegistrarError::Unsupported(why.clone())),
        }
    }

    async fn read(&self, h: &Handle) -> Result<Option<Registered>, RegistrarError> {
        match self {
            AnyRegistrar::Dynamic(r) => r.read(h).await,
            AnyRegistrar::None(why) => Err(RegistrarError::Unsupported(why.clone())),
        }
    }

    async fn update(
        &self,
        h: &Handle,
        m: &Map<String, Value>,
    ) -> Result<Registered, RegistrarError> {
        match self {
            AnyRegistrar::Dynamic(r) => r.update(h, m).await,
            AnyRegistrar::None(why) => Err(RegistrarError::Unsupported(why.clone())),
        }
    }

    async fn delete(&self, h: &Handle) -> Result<(), RegistrarError> {
        match self {
            AnyRegistrar::Dynamic(r) => r.delete(h).await,
            AnyRegistrar::None(why) => Err(RegistrarError::Unsupported(why.clone())),
        }
    }
}

pub struct Provisioner<R = AnyRegistrar> {
    pub workdir: Workdir,
    pub fixtures: Fixtures,
    /// Fixture names the environment declares under `clients`: used as they are.
    pub external: Vec<String>,
    pub registrar: R,
}

impl Provisioner<AnyRegistrar> {
    /// The registrar of `env`: RFC 7591 at its registration endpoint (configured or
    /// discovered; `issuer` overrides the environment's, for the embedded sandbox), with the
    /// initial access token from `secrets` (or `initial_access_token`, for the sandbox).
    pub async fn connect(
        env: &Environment,
        issuer: Option<&str>,
        secrets: &[(String, Secret)],
        initial_access_token: Option<Secret>,
        fixtures: Fixtures,
        workdir: Workdir,
    ) -> Result<Self, ProvisionError> {
        let external = env.clients.iter().map(|c| c.name.clone()).collect();
        let registrar = match &env.provisioning {
            Provisioning::External => AnyRegistrar::None(format!(
                "environment `{}` uses `provisioning: external`: clients are not registered",
                env.name
            )),
            Provisioning::Dynamic {
                endpoint,
                initial_access_token: token_name,
            } => {
                // The environment's transport settings: its CA bundle reaches a private-CA
                // registration endpoint as it does the rest of the target.
                let http = env
                    .http
                    .client_builder(env.timeout.max(Duration::from_secs(1)))
                    .and_then(|b| b.build().map_err(|e| e.to_string()))
                    .map_err(|e| ProvisionError::Config(format!("HTTP client: {e}")))?;
                let token = initial_access_token.or_else(|| {
                    token_name.as_ref().and_then(|n| {
                        secrets
                            .iter()
                            .find(|(name, _)| name == n)
                            .map(|(_, s)| s.clone())
                    })
                });
                let issuer = issuer.map(str::to_string).or(match &env.target {
                    Target::Issuer(i) => Some(i.clone()),
                    Target::Embedded => None,
                });
                let endpoint = match (endpoint, issuer) {
                    (Some(e), _) => e.clone(),
                    (None, Some(i)) => DynamicRegistrar::discover(&http, &i).await?,
                    (None, None) => {
                        return Err(ProvisionError::Config(
                            "no registration endpoint and no issuer to discover it from".into(),
                        ));
                    }
                };
                AnyRegistrar::Dynamic(DynamicRegistrar::new(http, endpoint, token))
            }
        };
        Ok(Self {
            workdir,
            fixtures,
            external,
            registrar,
        })
    }
}

impl<R: Registrar> Provisioner<R> {
    /// Refreshes `state` in memory and plans. The state's serial and lineage are those read.
    pub async fn plan(
        &self,
        state: &mut State,
        state_exists: bool,
        mode: PlanMode,
        replace: &[String],
    ) -> Result<Plan, ProvisionError> {
        let drift = refresh(&self.registrar, state).await?;
        let mut p = plan(
            &self.fixtures,
            &self.external,
            state,
            state_exists,
            mode,
            drift,
            replace,
        );
        // The plan refers to the state as it is on disk, before the refresh is recorded.
        p.serial = state.serial;
        Ok(p)
    }

    pub async fn apply(
        &self,
        plan: &Plan,
        state: &mut State,
        store: &StateStore<'_>,
        progress: &mut dyn FnMut(String),
    ) -> Result<(), ProvisionError> {
        apply(plan, &self.registrar, &self.workdir, state, store, progress).await
    }

    /// Applies the fixtures from scratch into an in-memory state (the embedded sandbox).
    pub async fn apply_in_memory(
        &self,
        progress: &mut dyn FnMut(String),
    ) -> Result<State, (State, ProvisionError)> {
        let mut state = State::new(&self.workdir.environment);
        let p = plan(
            &self.fixtures,
            &self.external,
            &state,
            false,
            PlanMode::Normal,
            Vec::new(),
            &[],
        );
        match self
            .apply(&p, &mut state, &StateStore::Memory, progress)
            .await
        {
            Ok(()) => Ok(state),
            Err(e) => Err((state, e)),
        }
    }

    /// Deletes everything `state` holds, clients first.
    pub async fn destroy(
        &self,
        state: &mut State,
        store: &StateStore<'_>,
        progress: &mut dyn FnMut(String),
    ) -> Result<(), ProvisionError> {
        let p = plan(
            &self.fixtures,
            &self.external,
            state,
            true,
            PlanMode::Destroy,
            Vec::new(),
            &[],
        );
        self.apply(&p, state, store, progress).await
    }
}
