//! How an environment's fixtures reach the provider: `provisioning: dynamic` (RFC 7591/7592,
//! with an initial access token from a secret) or `external` (they exist already).

use super::model::{SecretSource, Target};
use super::raw::RawRegistration;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};

/// How fixtures are provisioned in an environment (DESIGN §2.4).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Provisioning {
    /// Every fixture exists already; its credentials are the environment's `clients`.
    #[default]
    External,
    /// Clients are registered with RFC 7591 and managed with RFC 7592.
    Dynamic {
        /// The registration endpoint; discovery's when `None`.
        endpoint: Option<String>,
        /// The name of the secret holding the initial access token.
        initial_access_token: Option<String>,
    },
}

impl Provisioning {
    /// What the sandbox uses: its own registration endpoint and initial access token.
    pub fn sandbox() -> Self {
        Provisioning::Dynamic {
            endpoint: None,
            initial_access_token: None,
        }
    }
}

/// Checks `provisioning` and `registration`; a missing `provisioning` is `external`, except
/// for the embedded sandbox, which has a registration endpoint.
pub(super) fn check_provisioning(
    provisioning: Option<serde_saphyr::Spanned<String>>,
    registration: Option<RawRegistration>,
    target: &Target,
    secrets: &[(String, SecretSource, Location)],
    source: &SourceFile,
    diags: &mut Diagnostics,
) -> Provisioning {
    let at = |s: &serde_saphyr::Location| source.location(s.line(), s.column());
    match provisioning {
        None if *target == Target::Embedded => Provisioning::sandbox(),
        None => Provisioning::External,
        Some(p) if p.value == "external" => Provisioning::External,
        Some(p) if p.value == "dynamic" => {
            let endpoint = registration.as_ref().and_then(|r| r.endpoint.as_ref());
            if let Some(e) = endpoint
                && let Err(err) = url::Url::parse(&e.value)
            {
                diags.push(Diagnostic::at(
                    source,
                    at(&e.referenced),
                    format!("invalid URL: {err}"),
                ));
            }
            let token = registration
                .as_ref()
                .and_then(|r| r.initial_access_token.as_ref());
            if let Some(t) = token
                && !secrets.iter().any(|(n, _, _)| *n == t.value)
            {
                diags.push(Diagnostic::at(
                    source,
                    at(&t.referenced),
                    format!(
                        "initial access token secret `{}` is not declared under `secrets`",
                        t.value
                    ),
                ));
            }
            Provisioning::Dynamic {
                endpoint: endpoint.map(|e| e.value.clone()),
                initial_access_token: token.map(|t| t.value.clone()),
            }
        }
        Some(p) => {
            diags.push(Diagnostic::at(
                source,
                at(&p.referenced),
                format!(
                    "unknown provisioning `{}`, expected dynamic or external",
                    p.value
                ),
            ));
            Provisioning::External
        }
    }
}
