//! Scenarios as `cargo test` trials: a custom test harness (libtest-mimic) that runs each
//! scenario file as one trial, so that `cargo test`, its filters, `--list`, `--test-threads`
//! and `cargo nextest run` work on a folder of scenarios.
//!
//! In another crate, three lines:
//!
//! ```toml
//! [[test]]
//! name = "scenarios"
//! harness = false
//! ```
//!
//! ```no_run
//! // tests/scenarios.rs
//! fn main() -> std::process::ExitCode {
//!     grantspec::harness::main()
//! }
//! ```
//!
//! The environment (and so the target) is started once per test binary, not per trial: one
//! embedded sandbox and one provisioning of the fixtures, shared by every trial, and only if
//! at least one trial runs.

mod failure;
mod shared_session;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use tokio::sync::mpsc;

use self::failure::describe;
use self::shared_session::SharedSession;
use crate::cli::Exit;
use crate::cli::setup::{Prepared, prepare, print_diagnostics};
use crate::outcome::RunStatus;
use crate::resolve::Scenario;
use crate::runner::{RunOptions, run};
use crate::snapshot::{SnapshotSession, UpdateMode};

/// Runs the scenarios of `scenarios/` (or `GRANTSPEC_SCENARIOS`) as trials against the
/// environment named by `GRANTSPEC_ENV` (default: `environments/sandbox.yaml` if present, else
/// the embedded sandbox), with the command line of a libtest binary.
pub fn main() -> ExitCode {
    Harness::from_env().run()
}

/// A folder of scenarios and the environment they run against; see the [module docs](self).
#[derive(Clone, Debug)]
pub struct Harness {
    scenarios: PathBuf,
    env: Option<String>,
    environments_dir: PathBuf,
    fixtures: PathBuf,
    state_dir: PathBuf,
    snapshot_dir: PathBuf,
}

impl Harness {
    /// The scenarios under `dir` (files or a directory), against the default environment.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self {
            scenarios: dir.into(),
            env: None,
            environments_dir: "environments".into(),
            fixtures: "fixtures.yaml".into(),
            state_dir: ".grantspec".into(),
            snapshot_dir: "snapshots".into(),
        }
    }

    /// What [`main`] runs: the same defaults as `grantspec test`, read from the `GRANTSPEC_*`
    /// variables (`SCENARIOS`, `ENV`, `ENVIRONMENTS_DIR`, `FIXTURES`, `STATE_DIR`,
    /// `SNAPSHOT_DIR`).
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var_os(format!("GRANTSPEC_{name}"));
        let mut harness = Self::new(var("SCENARIOS").map_or("scenarios".into(), PathBuf::from));
        harness.env = var("ENV").map(|v| v.to_string_lossy().into_owned());
        if let Some(v) = var("ENVIRONMENTS_DIR") {
            harness.environments_dir = v.into();
        }
        if let Some(v) = var("FIXTURES") {
            harness.fixtures = v.into();
        }
        if let Some(v) = var("STATE_DIR") {
            harness.state_dir = v.into();
        }
        if let Some(v) = var("SNAPSHOT_DIR") {
            harness.snapshot_dir = v.into();
        }
        harness
    }

    /// The environment: a name in the environments directory, or a path.
    pub fn env(mut self, name: impl Into<String>) -> Self {
        self.env = Some(name.into());
        self
    }

    /// Where environment files are looked up (default `environments`).
    pub fn environments_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.environments_dir = dir.into();
        self
    }

    /// The fixtures file (default `fixtures.yaml`; a missing file declares nothing).
    pub fn fixtures(mut self, file: impl Into<PathBuf>) -> Self {
        self.fixtures = file.into();
        self
    }

    /// Parses the process's command line as libtest does, runs the trials, and returns
    /// libtest's exit code (101 when a trial failed), or 2 when a file is invalid.
    pub fn run(self) -> ExitCode {
        self.run_with(&Arguments::from_args())
    }

    /// Runs the trials with the given libtest arguments.
    pub fn run_with(self, args: &Arguments) -> ExitCode {
        let selection = crate::cli::Selection {
            paths: vec![self.scenarios.clone()],
            env: self.env.clone(),
            profile: None,
            environments_dir: self.environments_dir.clone(),
            fixture_files: crate::cli::FixtureFiles {
                fixtures: self.fixtures.clone(),
                state_dir: self.state_dir.clone(),
            },
        };
        let Prepared {
            environment,
            scenarios,
            fixtures,
        } = match prepare(&selection) {
            Ok(p) => p,
            Err(d) => {
                print_diagnostics(&d);
                return ExitCode::from(Exit::InvalidInput as u8);
            }
        };
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                eprintln!("grantspec: cannot start the async runtime: {e}");
                return ExitCode::from(Exit::Internal as u8);
            }
        };
        let snapshots = SnapshotSession::new(
            self.snapshot_dir.clone(),
            &environment.name,
            UpdateMode::No,
            true,
        );
        let shared = Arc::new(SharedSession::new(
            runtime.handle().clone(),
            environment,
            fixtures,
            selection.fixture_files,
        ));
        let trials = scenarios
            .into_iter()
            .map(|scenario| {
                let name = trial_name(&self.scenarios, &scenario.file, &scenario.name);
                let shared = Arc::clone(&shared);
                let snapshots = snapshots.clone();
                Trial::test(name, move || run_trial(&shared, scenario, snapshots))
            })
            .collect();
        let conclusion = libtest_mimic::run(args, trials);
        if let Some(shared) = Arc::into_inner(shared) {
            runtime.block_on(shared.end());
        }
        conclusion.exit_code()
    }
}

/// Runs one scenario on the shared session; its failed checks and errors are the trial's
/// failure message.
fn run_trial(
    shared: &SharedSession,
    scenario: Scenario,
    snapshots: SnapshotSession,
) -> Result<(), Failed> {
    let target = shared.target()?;
    let options = RunOptions { jobs: 1, snapshots };
    let (tx, _rx) = mpsc::unbounded_channel();
    let result = shared.handle().block_on(run(
        vec![scenario],
        target,
        options,
        tx,
        std::future::pending(),
    ));
    match result.status {
        RunStatus::Passed => Ok(()),
        _ => Err(describe(&result).into()),
    }
}

/// The scenario's file relative to the scenarios folder, without its extension, with `::`
/// between folders: `flows/app_credentials.yaml` → `flows::app_credentials`.
fn trial_name(root: &std::path::Path, file: &str, scenario: &str) -> String {
    let file = PathBuf::from(file);
    let relative = file.strip_prefix(root).unwrap_or(&file).with_extension("");
    let parts: Vec<String> = relative
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        scenario.to_string()
    } else {
        parts.join("::")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trial_names_follow_the_folders_under_the_root() {
        let root = PathBuf::from("scenarios");
        let name = |file| trial_name(&root, file, "App credentials");
        assert_eq!(
            name("scenarios/flows/app_credentials.yaml"),
            "flows::app_credentials"
        );
        assert_eq!(name("scenarios/discovery.yml"), "discovery");
        assert_eq!(name("elsewhere/x.yml"), "elsewhere::x");
        assert_eq!(name(""), "App credentials");
    }
}
