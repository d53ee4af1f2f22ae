//! Fixtures checked against an environment before anything is sent: which fixtures are
//! external, and whether the secrets they name exist.

use super::fixtures::Fixtures;
use crate::diag::{Diagnostic, Diagnostics};
use crate::environment::{Environment, Provisioning};

/// Every client fixture of an environment with `provisioning: external` must be one of its
/// `clients`; every user's password secret, and every client's TLS key secret, must be one of
/// its `secrets`.
pub fn check_fixtures(env: &Environment, fixtures: &Fixtures) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    if env.provisioning == Provisioning::External {
        for c in &fixtures.clients {
            if !env.clients.iter().any(|e| e.name == c.name) {
                diags.push(Diagnostic::plain(
                    c.location.clone(),
                    format!(
                        "fixture `{}` is neither managed nor external: environment `{}` uses \
                         `provisioning: external`, so it must declare `{}` under `clients` \
                         (or use `provisioning: dynamic`)",
                        c.name, env.name, c.name
                    ),
                ));
            }
        }
    }
    for (client, tls) in &fixtures.client_tls {
        if !env.secrets.iter().any(|(n, _, _)| *n == tls.key) {
            diags.push(Diagnostic::plain(
                fixtures.client(client).and_then(|c| c.location.clone()),
                format!(
                    "client `{client}`: TLS key secret `{}` is not declared under `secrets` in \
                     environment `{}`",
                    tls.key, env.name
                ),
            ));
        }
    }
    for u in &fixtures.users {
        if let Some(secret) = &u.password_secret
            && !env.secrets.iter().any(|(n, _, _)| n == secret)
            && env.name != "sandbox"
        {
            diags.push(Diagnostic::plain(
                Some(u.location.clone()),
                format!(
                    "user `{}`: password secret `{secret}` is not declared under `secrets` in \
                     environment `{}`",
                    u.name, env.name
                ),
            ));
        }
    }
    diags.into_result(())
}
