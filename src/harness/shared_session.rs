//! The one [`Session`] of a test binary, started by the first trial that runs and shared by
//! all of them: one embedded sandbox and one provisioning of the fixtures per binary.

use std::sync::OnceLock;

use libtest_mimic::Failed;
use tokio::runtime::Handle;

use crate::cli::FixtureFiles;
use crate::cli::session::Session;
use crate::environment::Environment;
use crate::provision::Fixtures;
use crate::runner::RunTarget;

pub(super) struct SharedSession {
    handle: Handle,
    environment: Environment,
    fixtures: Fixtures,
    files: FixtureFiles,
    /// `Err` holds the exit code of a session that could not start; its reasons were printed.
    session: OnceLock<Result<Session, u8>>,
}

impl SharedSession {
    pub(super) fn new(
        handle: Handle,
        environment: Environment,
        fixtures: Fixtures,
        files: FixtureFiles,
    ) -> Self {
        Self {
            handle,
            environment,
            fixtures,
            files,
            session: OnceLock::new(),
        }
    }

    pub(super) fn handle(&self) -> &Handle {
        &self.handle
    }

    /// The target of the session, started on first use; every trial fails alike if it could
    /// not start.
    pub(super) fn target(&self) -> Result<RunTarget, Failed> {
        let session = self.session.get_or_init(|| {
            self.handle
                .block_on(Session::start(
                    &self.environment,
                    &self.fixtures,
                    &self.files,
                    false,
                ))
                .map_err(|exit| exit as u8)
        });
        match session {
            Ok(s) => Ok(s.target.clone()),
            Err(code) => Err(format!(
                "the environment `{}` could not be started (exit {code}; see stderr)",
                self.environment.name
            )
            .into()),
        }
    }

    /// Destroys the fixtures and stops the sandbox, if a trial started them.
    pub(super) async fn end(self) {
        if let Some(Ok(session)) = self.session.into_inner() {
            session.end().await;
        }
    }
}
