//! A run's target, ready for scenarios: the environment's clients and secrets, the embedded
//! sandbox when the environment asks for it, and the fixtures provisioned into it. Shared by
//! `test` and the libtest harness, which starts one session for all its trials.

use super::Exit;
use super::fixtures_args::FixtureFiles;
use super::run_fixtures::{Teardown, fixture_clients, fixture_users};
use super::target::{run_target, start_sandbox};
use crate::diag::Diagnostics;
use crate::environment::{Environment, Target, TlsIdentity};
use crate::provision::Fixtures;
use crate::runner::RunTarget;
use crate::sandbox::Sandbox;
use crate::secret::Secret;

/// The target and what keeps it alive. Call [`Session::end`] to destroy the fixtures.
pub(crate) struct Session {
    pub target: RunTarget,
    /// Kept alive until the session ends; dropping it stops the server.
    sandbox: Option<Sandbox>,
    teardown: Option<Teardown>,
}

impl Session {
    /// Reads the secrets, starts the embedded sandbox if the environment is `embedded`, and
    /// provisions the fixtures' clients, which replace the environment's and the sandbox's of
    /// the same name. Errors are printed; the `Exit` says what kind they were.
    pub(crate) async fn start(
        env: &Environment,
        fixtures: &Fixtures,
        files: &FixtureFiles,
        ephemeral: bool,
    ) -> Result<Session, Exit> {
        let secrets = match env.read_secrets() {
            Ok(s) => s,
            Err(d) => {
                super::setup::print_diagnostics(&d);
                return Err(Exit::InvalidInput);
            }
        };
        let (identities, fixture_identities) = tls_identities(env, fixtures, &secrets)?;
        let mut target = run_target(env, secrets, &identities);
        let sandbox = if env.target == Target::Embedded {
            match start_sandbox(&env.sandbox, &mut target).await {
                Ok(sandbox) => Some(sandbox),
                Err(e) => {
                    eprintln!("grantspec: cannot start the embedded sandbox: {e}");
                    return Err(Exit::Internal);
                }
            }
        } else {
            None
        };
        let (provisioned, teardown) = fixture_clients(
            env,
            &target.secrets,
            fixtures,
            files,
            ephemeral,
            sandbox.as_ref(),
        )
        .await?;
        target
            .clients
            .retain(|c| !provisioned.iter().any(|p| p.name == c.name));
        target
            .clients
            .extend(provisioned.into_iter().map(|mut client| {
                client.tls = fixture_identities
                    .iter()
                    .find(|(name, _)| *name == client.name)
                    .map(|(_, identity)| identity.clone());
                client
            }));
        for user in fixture_users(fixtures, &target.secrets) {
            if target.user(&user.name).is_none() {
                target.users.push(user);
            }
        }
        Ok(Session {
            target,
            sandbox,
            teardown,
        })
    }

    /// Destroys what the session provisioned, then stops the sandbox.
    pub(crate) async fn end(self) {
        if let Some(teardown) = self.teardown {
            teardown.destroy().await;
        }
        drop(self.sandbox);
    }
}

type Identities = Vec<(String, TlsIdentity)>;

/// The TLS client certificates of the environment's clients and of the fixtures', checked
/// against their keys before anything is provisioned or sent.
fn tls_identities(
    env: &Environment,
    fixtures: &Fixtures,
    secrets: &[(String, Secret)],
) -> Result<(Identities, Identities), Exit> {
    match (
        env.tls_identities(secrets),
        fixtures.tls_identities(secrets),
    ) {
        (Ok(own), Ok(fixtures)) => Ok((own, fixtures)),
        (own, fixtures) => {
            let mut diags = Diagnostics::default();
            diags.0.extend(own.err().into_iter().flat_map(|d| d.0));
            diags.0.extend(fixtures.err().into_iter().flat_map(|d| d.0));
            super::setup::print_diagnostics(&diags);
            Err(Exit::InvalidInput)
        }
    }
}
