//! What `test` and `validate` share: the environment, the scenario files, resolution.

use std::path::{Path, PathBuf};

use super::args::Selection;
use super::shard::Shard;
use crate::diag::{Diagnostics, Location};
use crate::environment::{Environment, Provisioning, Target, load_environment};
use crate::provision::{Fixtures, load_fixtures};
use crate::resolve::{Scenario, Scope, SuiteEntry, check_files, resolve_file, resolve_files};
use crate::runner::Feed;
use crate::sandbox::SandboxConfig;
use crate::scenario::find_scenario_files;
use crate::template::Renderer;

pub(crate) struct Prepared<S = Vec<Scenario>> {
    pub environment: Environment,
    pub scenarios: S,
    pub fixtures: Fixtures,
}

/// Above this many scenario files, a run checks every file before the first request as usual
/// but keeps only a [`SuiteEntry`] of each, and reads each file again when its turn comes: a
/// parsed scenario weighs about 9 kB, so memory stays flat however long the suite, for a
/// second parse of each file (see `bench/RESULTS.md`).
pub(crate) const HELD_SCENARIOS: usize = 1000;

/// The scenarios of a run: held in memory, or checked and read again one at a time.
pub(crate) enum Suite {
    Held(Vec<Scenario>),
    Reread {
        entries: Vec<SuiteEntry>,
        scope: Scope,
    },
}

impl Suite {
    /// Keeps the scenarios for which `keep(name, file)` holds.
    pub(crate) fn retain(&mut self, keep: impl Fn(&str, &str) -> bool) {
        match self {
            Suite::Held(scenarios) => scenarios.retain(|s| keep(&s.name, &s.file)),
            Suite::Reread { entries, .. } => entries.retain(|e| keep(&e.name, &e.file)),
        }
    }

    /// Keeps shard `shard` of the suite.
    pub(crate) fn shard(self, shard: Shard) -> Suite {
        match self {
            Suite::Held(scenarios) => {
                Suite::Held(shard.select(scenarios, |s| (s.file.clone(), s.name.clone())))
            }
            Suite::Reread { entries, scope } => Suite::Reread {
                entries: shard.select(entries, |e| (e.file.clone(), e.name.clone())),
                scope,
            },
        }
    }

    /// The scenarios in order, for the runner.
    pub(crate) fn into_feed(self) -> Feed {
        match self {
            Suite::Held(scenarios) => Feed::from(scenarios),
            Suite::Reread { entries, scope } => {
                let renderer = Renderer::new();
                let len = entries.len();
                Feed::new(
                    len,
                    entries
                        .into_iter()
                        .map(move |entry| reread(&entry, &scope, &renderer)),
                )
            }
        }
    }
}

/// A checked file, read and resolved again. A file changed since the check that no longer
/// resolves is skipped with the first mistake as the reason.
fn reread(entry: &SuiteEntry, scope: &Scope, renderer: &Renderer) -> Scenario {
    resolve_file(Path::new(&entry.file), scope, renderer).unwrap_or_else(|diags| {
        let first = diags
            .0
            .first()
            .map(|d| d.message.clone())
            .unwrap_or_default();
        Scenario {
            name: entry.name.clone(),
            file: entry.file.clone(),
            location: Location::file(entry.file.as_str().into()),
            doc: None,
            tags: Vec::new(),
            vars: Vec::new(),
            requires: Vec::new(),
            skip_reason: Some(format!(
                "the file changed after it was checked and no longer resolves: {first}"
            )),
            steps: Vec::new(),
        }
    })
}

/// Loads the environment (the embedded sandbox unless one is named) and resolves every
/// scenario against it. All mistakes come back at once.
pub(crate) fn prepare(selection: &Selection) -> Result<Prepared, Diagnostics> {
    prepare_with(selection, |_| {}, resolve_held)
}

/// [`prepare`] for a run: a suite longer than [`HELD_SCENARIOS`] is checked the same way but
/// not held.
pub(crate) fn prepare_run(selection: &Selection) -> Result<Prepared<Suite>, Diagnostics> {
    // An embedded sandbox's keys are generated while the scenarios are read.
    let prefetch_keys = |env: &Environment| {
        if env.target == Target::Embedded {
            let clients = super::target::embedded_clients();
            SandboxConfig {
                clients,
                ..SandboxConfig::default()
            }
            .prefetch_keys();
        }
    };
    prepare_with(selection, prefetch_keys, |files, scope| {
        if files.len() <= HELD_SCENARIOS {
            return resolve_held(files, scope).map(Suite::Held);
        }
        let entries = check_files(files, scope)?;
        crate::snapshot::check_uses(entries.iter().flat_map(|e| {
            e.snapshots
                .iter()
                .map(|(step, spec)| (e.name.as_str(), step.as_str(), spec))
        }))?;
        Ok(Suite::Reread {
            entries,
            scope: scope.clone(),
        })
    })
}

/// Every file resolved and kept, snapshot paths checked.
fn resolve_held(files: &[PathBuf], scope: &Scope) -> Result<Vec<Scenario>, Diagnostics> {
    let scenarios = resolve_files(files, scope)?;
    crate::snapshot::check_paths(&scenarios)?;
    Ok(scenarios)
}

fn prepare_with<S>(
    selection: &Selection,
    environment_loaded: impl FnOnce(&Environment),
    resolve: impl FnOnce(&[PathBuf], &Scope) -> Result<S, Diagnostics>,
) -> Result<Prepared<S>, Diagnostics> {
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
    environment_loaded(&environment);
    let paths = if selection.paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        selection.paths.clone()
    };
    let files = find_scenario_files(&paths).map_err(|d| Diagnostics(vec![d]))?;
    let fixtures = load_fixtures(&selection.fixture_files.fixtures)?;
    let scope = scope(&environment, &fixtures);
    let scenarios = resolve(&files, &scope)?;
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

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_changed_after_the_check_is_skipped_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.yaml");
        std::fs::write(
            &file,
            "name: s\nsteps:\n  - name: a\n    http: { url: \"{{ issuer }}\" }\n",
        )
        .unwrap();
        let scope = Scope::default();
        let entries = check_files(&[&file], &scope).unwrap();
        std::fs::write(&file, "name: s\nsteps: {{ oops").unwrap();
        let feed = Suite::Reread { entries, scope }.into_feed();
        let scenarios: Vec<Scenario> = feed.into_iter().collect();
        assert_eq!(scenarios.len(), 1);
        assert_eq!(scenarios[0].name, "s");
        assert!(scenarios[0].steps.is_empty());
        let reason = scenarios[0].skip_reason.as_deref().unwrap();
        assert!(
            reason.starts_with("the file changed after it was checked"),
            "{reason}"
        );
    }
}
