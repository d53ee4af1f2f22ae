//! What the provisioning commands share: the environment, the fixtures, the `.grantspec/`
//! directory, the lock, a runtime, and how errors become exit codes.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use super::Exit;
use super::fixtures_args::Workspace;
use super::setup::print_diagnostics;
use crate::diag::Diagnostics;
use crate::environment::{Environment, Target, load_environment, parse_duration};
use crate::provision::{
    Fixtures, ProvisionError, Provisioner, StateLock, Workdir, check_fixtures, load_fixtures,
};
use crate::secret::Secret;

/// `plan --detailed-exitcode` when there are changes.
pub(super) const CHANGES: u8 = 2;

pub(super) struct Loaded {
    pub env: Environment,
    pub fixtures: Fixtures,
    pub secrets: Vec<(String, Secret)>,
    pub workdir: Workdir,
    pub lock_timeout: Duration,
}

/// Loads and checks everything the command needs from disk; prints the diagnostics and
/// returns the exit code on a mistake (1 with `--detailed-exitcode`, else 2).
pub(super) fn load(ws: &Workspace, detailed: bool) -> Result<Loaded, u8> {
    let input_error = |d: &Diagnostics| {
        print_diagnostics(d);
        if detailed {
            1
        } else {
            Exit::InvalidInput as u8
        }
    };
    let env = load_environment(&ws.env, &ws.environments_dir).map_err(|d| input_error(&d))?;
    if env.target == Target::Embedded {
        eprintln!(
            "grantspec: error: environment `{}` is the embedded sandbox, which exists only while \
             `grantspec test` runs (and provisions the fixtures itself); plan, apply and destroy \
             need an environment with an issuer",
            env.name
        );
        return Err(if detailed {
            1
        } else {
            Exit::InvalidInput as u8
        });
    }
    let fixtures = load_fixtures(&ws.files.fixtures).map_err(|d| input_error(&d))?;
    check_fixtures(&env, &fixtures).map_err(|d| input_error(&d))?;
    let secrets = env.read_secrets().map_err(|d| input_error(&d))?;
    let Some(lock_timeout) = parse_duration(&ws.lock_timeout) else {
        eprintln!(
            "grantspec: invalid --lock-timeout `{}` (examples: 0s, 30s, 2m)",
            ws.lock_timeout
        );
        return Err(if detailed {
            1
        } else {
            Exit::InvalidInput as u8
        });
    };
    let workdir = Workdir::new(&ws.files.state_dir, &env.name);
    Ok(Loaded {
        env,
        fixtures,
        secrets,
        workdir,
        lock_timeout,
    })
}

impl Loaded {
    pub(super) fn lock(&self, operation: &str) -> Result<StateLock, u8> {
        if !self.lock_timeout.is_zero() {
            eprintln!(
                "grantspec: acquiring the state lock (up to {:?})...",
                self.lock_timeout
            );
        }
        StateLock::acquire(&self.workdir, operation, self.lock_timeout).map_err(|e| failed(&e))
    }

    pub(super) async fn provisioner(&self) -> Result<Provisioner, u8> {
        Provisioner::connect(
            &self.env,
            None,
            &self.secrets,
            None,
            self.fixtures.clone(),
            self.workdir.clone(),
        )
        .await
        .map_err(|e| failed(&e))
    }
}

/// Prints a provisioning error; exit 1 as Terraform does.
pub(super) fn failed(e: &ProvisionError) -> u8 {
    eprintln!("grantspec: error: {e}");
    Exit::Failed as u8
}

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, u8> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("grantspec: cannot start the async runtime: {e}");
            Exit::Internal as u8
        })
}

/// Asks on a terminal; refuses elsewhere (pass --auto-approve in scripts and CI).
pub(super) fn confirm(question: &str) -> bool {
    if !std::io::stdin().is_terminal() {
        eprintln!(
            "grantspec: error: not a terminal, so there is no one to confirm; pass --auto-approve"
        );
        return false;
    }
    print!("{question}\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if answer.trim() == "yes" {
        true
    } else {
        eprintln!("grantspec: cancelled.");
        false
    }
}
