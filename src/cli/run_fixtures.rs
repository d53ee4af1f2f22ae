//! The clients of a `test` run, from the fixtures: provisioned into the embedded sandbox
//! through its registration endpoint, applied and destroyed around the run with
//! `--ephemeral-fixtures`, or read from the state of an earlier `apply`.

use super::Exit;
use super::fixtures_args::FixtureFiles;
use crate::environment::{Environment, Provisioning};
use crate::provision::{
    Fixtures, ProvisionError, Provisioner, State, StateLock, StateStore, Workdir, state_clients,
};
use crate::runner::{RuntimeClient, RuntimeUser};
use crate::sandbox::Sandbox;
use crate::secret::Secret;

/// What must be destroyed when the run ends.
pub(super) struct Teardown {
    provisioner: Provisioner,
    state: State,
    /// `None` for the embedded sandbox, whose state is kept in memory only.
    workdir: Option<Workdir>,
    _lock: Option<StateLock>,
}

/// The fixtures' clients for this run, and what to destroy afterwards.
pub(super) async fn fixture_clients(
    env: &Environment,
    secrets: &[(String, Secret)],
    fixtures: &Fixtures,
    files: &FixtureFiles,
    ephemeral: bool,
    sandbox: Option<&Sandbox>,
) -> Result<(Vec<RuntimeClient>, Option<Teardown>), Exit> {
    let workdir = Workdir::new(&files.state_dir, &env.name);
    if let Some(sandbox) = sandbox {
        // The sandbox's keys live only as long as this process: a directory of its own, so
        // that two runs in one directory never share a key file.
        let workdir = Workdir::new(
            &files.state_dir,
            &format!("{}.{}", env.name, std::process::id()),
        );
        if fixtures.clients.is_empty() && fixtures.keys.is_empty() {
            return Ok((Vec::new(), None));
        }
        let connected = Provisioner::connect(
            env,
            Some(sandbox.issuer()),
            secrets,
            Some(sandbox.initial_access_token().clone()),
            fixtures.clone(),
            workdir,
        )
        .await;
        let provisioner = match connected {
            Ok(p) => p,
            Err(e) => {
                eprintln!("grantspec: cannot provision the fixtures into the sandbox: {e}");
                return Err(Exit::Incomplete);
            }
        };
        return match provisioner.apply_in_memory(&mut |_| {}).await {
            Ok(state) => Ok((
                runtime_clients(&state),
                Some(Teardown {
                    provisioner,
                    state,
                    workdir: None,
                    _lock: None,
                }),
            )),
            Err((mut state, e)) => {
                eprintln!("grantspec: cannot provision the fixtures into the sandbox: {e}");
                let _ = provisioner
                    .destroy(&mut state, &StateStore::Memory, &mut |_| {})
                    .await;
                Err(Exit::Incomplete)
            }
        };
    }
    if !ephemeral {
        let external: Vec<&str> = env.clients.iter().map(|c| c.name.as_str()).collect();
        let warn_missing = |state: Option<&State>| {
            let missing: Vec<&str> = fixtures
                .clients
                .iter()
                .map(|c| c.name.as_str())
                .filter(|n| !external.contains(n) && state.is_none_or(|s| s.client(n).is_none()))
                .collect();
            if env.provisioning != Provisioning::External && !missing.is_empty() {
                eprintln!(
                    "grantspec: warning: fixtures not applied in `{}`: {} (run `grantspec apply \
                     --env {}` first, or pass --ephemeral-fixtures)",
                    env.name,
                    missing.join(", "),
                    env.name
                );
            }
        };
        return match workdir.read_state() {
            Ok(Some(state)) => {
                warn_missing(Some(&state));
                Ok((runtime_clients(&state), None))
            }
            Ok(None) => {
                warn_missing(None);
                Ok((Vec::new(), None))
            }
            Err(e) => {
                eprintln!("grantspec: {e}");
                Err(Exit::Incomplete)
            }
        };
    }
    match apply_ephemeral(env, secrets, fixtures, workdir).await {
        Ok(t) => Ok((runtime_clients(&t.state), Some(t))),
        Err(e) => {
            eprintln!("grantspec: cannot apply the fixtures: {e}");
            Err(Exit::Incomplete)
        }
    }
}

async fn apply_ephemeral(
    env: &Environment,
    secrets: &[(String, Secret)],
    fixtures: &Fixtures,
    workdir: Workdir,
) -> Result<Teardown, ProvisionError> {
    let lock = StateLock::acquire(
        &workdir,
        "test --ephemeral-fixtures",
        std::time::Duration::ZERO,
    )?;
    let mut state = workdir.read_or_new()?;
    let exists = workdir.state_path().exists();
    let provisioner =
        Provisioner::connect(env, None, secrets, None, fixtures.clone(), workdir.clone()).await?;
    let plan = provisioner
        .plan(&mut state, exists, crate::provision::PlanMode::Normal, &[])
        .await?;
    let store = StateStore::File(&workdir);
    let mut progress = |line: String| eprintln!("fixtures: {line}");
    if let Err(e) = provisioner
        .apply(&plan, &mut state, &store, &mut progress)
        .await
    {
        // Leave nothing behind that the run would have destroyed.
        let _ = provisioner.destroy(&mut state, &store, &mut progress).await;
        return Err(e);
    }
    Ok(Teardown {
        provisioner,
        state,
        workdir: Some(workdir),
        _lock: Some(lock),
    })
}

impl Teardown {
    /// Destroys what the run created, clients before keys. Errors are printed, not returned:
    /// the run's own result decides the exit code.
    pub(super) async fn destroy(mut self) {
        let store = match &self.workdir {
            Some(w) => StateStore::File(w),
            None => StateStore::Memory,
        };
        let verbose = self.workdir.is_some();
        let mut progress = |line: String| {
            if verbose {
                eprintln!("fixtures: {line}");
            }
        };
        if let Err(e) = self
            .provisioner
            .destroy(&mut self.state, &store, &mut progress)
            .await
        {
            eprintln!("grantspec: destroying the fixtures failed: {e}");
        }
        if self.workdir.is_none()
            && let Some(dir) = self.provisioner.workdir.key_path("-").parent()
        {
            // Empty once its keys are deleted; the run's own directory.
            let _ = std::fs::remove_dir(dir);
        }
    }
}

fn runtime_clients(state: &State) -> Vec<RuntimeClient> {
    state_clients(state).iter().map(|c| c.runtime()).collect()
}

/// The fixtures' users whose password secret the environment provides.
pub(super) fn fixture_users(fixtures: &Fixtures, secrets: &[(String, Secret)]) -> Vec<RuntimeUser> {
    fixtures
        .users
        .iter()
        .filter_map(|u| {
            let name = u.password_secret.as_ref()?;
            let (_, password) = secrets.iter().find(|(n, _)| n == name)?;
            Some(RuntimeUser {
                name: u.name.clone(),
                username: u.username.clone(),
                password: password.clone(),
            })
        })
        .collect()
}
