//! What `test` and `validate` share: the environment, the scenario files, resolution.

use std::path::PathBuf;

use super::args::Selection;
use crate::diag::Diagnostics;
use crate::environment::{Environment, Provisioning, Target, load_environment};
use crate::provision::{Fixtures, load_fixtures};
use crate::resolve::{Scenario, Scope, resolve_files};
use crate::sandbox::SandboxConfig;
use crate::scenario::find_scenario_files;

pub(crate) struct Prepared {
    pub environment: Environment,
    pub scenarios: Vec<Scenario>,
    pub fixtures: Fixtures,
}

/// Loads the environment (the embedded sandbox unless one is named) and resolves every
/// scenario against it. All mistakes come back at once.
pub(crate) fn prepare(selection: &Selection) -> Result<Prepared, Diagnostics> {
    let environment = match &selection.env {
        Some(name) => load_environment(name, &selection.environments_dir)?,
        None => {
            let default = selection.environments_dir.join("sandbox.yaml");
            if default.is_file() {
                load_environment("sandbox", &selection.environments_dir)?
            } else {
                Environment::embedded()
            }
        }
    };
    let mut environment = environment;
    if let Some(profile) = &selection.profile {
        environment.profile = profile.clone();
    }
    let paths = if selection.paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        selection.paths.clone()
    };
    let files = find_scenario_files(&paths).map_err(|d| Diagnostics(vec![d]))?;
    let fixtures = load_fixtures(&selection.fixture_files.fixtures)?;
    let scope = scope(&environment, &fixtures);
    let scenarios = resolve_files(&files, &scope)?;
    crate::snapshot::check_paths(&scenarios)?;
    Ok(Prepared {
        environment,
        fixtures,
        scenarios,
    })
}

fn scope(env: &Environment, fixtures: &Fixtures) -> Scope {
    let mut clients: Vec<String> = env.clients.iter().map(|c| c.name.clone()).collect();
    // Managed fixtures exist once applied; with `provisioning: external` only the
    // environment's clients do.
    if env.provisioning != Provisioning::External {
        clients.extend(fixtures.clients.iter().map(|c| c.name.clone()));
    }
    let mut users: Vec<String> = env.users.iter().map(|u| u.name.clone()).collect();
    users.extend(fixtures.users.iter().map(|u| u.name.clone()));
    if env.target == Target::Embedded {
        users.extend(
            SandboxConfig::default()
                .users
                .into_iter()
                .map(|u| u.username),
        );
        clients.extend(
            super::target::embedded_clients()
                .into_iter()
                .map(|c| c.name),
        );
    }
    Scope {
        variables: env.variables.iter().map(|(k, _)| k.clone()).collect(),
        secrets: env.secrets.iter().map(|(k, _, _)| k.clone()).collect(),
        clients,
        users,
        lifetimes: env.lifetimes.declared(),
    }
}

pub(crate) fn print_diagnostics(d: &Diagnostics) {
    eprint!("{d}");
    let n = d.0.len();
    eprintln!(
        "grantspec: {n} error{} in the input; nothing was sent",
        if n == 1 { "" } else { "s" }
    );
}
