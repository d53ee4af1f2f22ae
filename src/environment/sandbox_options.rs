//! The `sandbox:` and `lifetimes:` sections: how the embedded sandbox is started, and the
//! lifetimes the environment declares for its server (which the embedded sandbox then has:
//! the code lifetime, and that of its `app_short_lived` client's access tokens).

use std::time::Duration;

use serde_saphyr::Spanned;

use super::model::{Lifetimes, SandboxOptions, SandboxTlsFiles, Target};
use super::parse_duration;
use super::raw::{RawLifetimes, RawSandbox};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::sandbox::AccessTokenRevocation;

/// Checks `sandbox:` (only with `issuer: embedded`) and `lifetimes:`; every mistake is located.
pub(super) fn check_sandbox(
    raw_sandbox: Option<Spanned<RawSandbox>>,
    raw_lifetimes: Option<RawLifetimes>,
    target: &Target,
    source: &SourceFile,
    base: &std::path::Path,
    diags: &mut Diagnostics,
) -> (SandboxOptions, Lifetimes) {
    let error = |diags: &mut Diagnostics, at: &serde_saphyr::Location, message: String| {
        diags.push(Diagnostic::at(
            source,
            source.location(at.line(), at.column()),
            message,
        ));
    };
    let mut lifetimes = Lifetimes::default();
    if let Some(raw) = raw_lifetimes {
        if let Some(code) = raw.authorization_code {
            match parse_duration(&code.value).filter(|d| !d.is_zero()) {
                Some(d) => lifetimes.authorization_code = Some(d),
                None => error(
                    diags,
                    &code.referenced,
                    format!(
                        "invalid lifetime `{}` (a positive duration: 500ms, 60s, 10m)",
                        code.value
                    ),
                ),
            }
        }
        if let Some(access) = raw.short_lived_access_token {
            // `expires_in` counts whole seconds (RFC 6749 §5.1): 1500ms could not be told.
            let whole_seconds = |d: &Duration| !d.is_zero() && d.subsec_nanos() == 0;
            match parse_duration(&access.value).filter(whole_seconds) {
                Some(d) => lifetimes.short_lived_access_token = Some(d),
                None => error(
                    diags,
                    &access.referenced,
                    format!(
                        "invalid lifetime `{}` (a positive whole number of seconds, as `expires_in` \
                         counts them: 1s, 60s, 5m)",
                        access.value
                    ),
                ),
            }
        }
    }
    let embedded = *target == Target::Embedded;
    let mut sandbox = SandboxOptions {
        code_lifetime: lifetimes.authorization_code.filter(|_| embedded),
        short_lived_access_token: lifetimes.short_lived_access_token.filter(|_| embedded),
        ..SandboxOptions::default()
    };
    let Some(raw_sandbox) = raw_sandbox else {
        return (sandbox, lifetimes);
    };
    if *target != Target::Embedded {
        error(
            diags,
            &raw_sandbox.referenced,
            "`sandbox` options apply only with `issuer: embedded`".into(),
        );
    }
    let rs = raw_sandbox.value;
    sandbox.issuer_path = rs.issuer_path.unwrap_or_default();
    if let Some(f) = rs.flavour {
        match f.value.parse::<crate::sandbox::Flavour>() {
            Ok(flavour) => sandbox.flavour = flavour,
            Err(_) => error(
                diags,
                &f.referenced,
                format!(
                    "unknown flavour `{}`, expected one of {}",
                    f.value,
                    crate::sandbox::Flavour::ALL
                        .iter()
                        .map(|f| f.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
        }
    }
    if let Some(r) = rs.access_token_revocation {
        match r.value.parse::<AccessTokenRevocation>() {
            Ok(revocation) => sandbox.access_token_revocation = revocation,
            Err(_) => error(
                diags,
                &r.referenced,
                format!(
                    "unknown access_token_revocation `{}`, expected one of {}",
                    r.value,
                    AccessTokenRevocation::names()
                ),
            ),
        }
    }
    for d in rs.defects {
        match d.value.parse::<crate::sandbox::Defect>() {
            Ok(defect) => sandbox.defects.push(defect),
            Err(e) => error(diags, &d.referenced, e.to_string()),
        }
    }
    if let Some(l) = rs.latency {
        match parse_duration(&l.value) {
            Some(d) => sandbox.latency = d,
            None => error(
                diags,
                &l.referenced,
                format!("invalid duration `{}`", l.value),
            ),
        }
    }
    if let Some(tls) = rs.tls {
        let mut file = |path: Spanned<String>, what: &str| {
            let full = super::load::expand_path(&path.value, base);
            if !full.is_file() {
                error(
                    diags,
                    &path.referenced,
                    format!("the sandbox's TLS {what} {} does not exist", full.display()),
                );
            }
            full
        };
        sandbox.tls = Some(SandboxTlsFiles {
            cert: file(tls.value.cert, "certificate"),
            key: file(tls.value.key, "key"),
        });
    }
    sandbox.fail_rate = rs.fail_rate.unwrap_or(0.0);
    sandbox.drop_rate = rs.drop_rate.unwrap_or(0.0);
    (sandbox, lifetimes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use crate::environment::{Environment, environment_from_source};

    fn load_text(text: &str) -> Result<Environment, Diagnostics> {
        environment_from_source(&SourceFile::new("e.yaml", text))
    }

    #[test]
    fn declared_lifetimes_start_the_embedded_sandbox_and_bad_ones_are_located() {
        let env = load_text(
            "issuer: embedded\nlifetimes: { authorization_code: 1s }\nsandbox: { flavour: keycloak }\n",
        )
        .unwrap();
        assert_eq!(
            env.lifetimes.authorization_code,
            Some(Duration::from_secs(1))
        );
        assert_eq!(env.sandbox.code_lifetime, Some(Duration::from_secs(1)));
        assert_eq!(env.sandbox.flavour, crate::sandbox::Flavour::Keycloak);
        let remote =
            load_text("issuer: https://as.example\nlifetimes: { authorization_code: 60s }\n")
                .unwrap();
        assert_eq!(
            remote.lifetimes.authorization_code,
            Some(Duration::from_secs(60))
        );
        assert_eq!(remote.sandbox.code_lifetime, None);
        let err = load_text(
            "issuer: embedded\nlifetimes:\n  authorization_code: soon\nsandbox: { flavour: okta }\n",
        )
        .unwrap_err();
        let lines: Vec<u32> = err
            .0
            .iter()
            .filter_map(|d| d.location.as_ref().map(|l| l.line))
            .collect();
        assert_eq!(lines, vec![3, 4], "{err}");
        assert!(err.to_string().contains("unknown flavour `okta`"), "{err}");
        assert!(load_text("issuer: embedded\nlifetimes: { authorization_code: 0s }\n").is_err());
    }

    #[test]
    fn the_sandbox_tls_files_and_a_plain_http_origin_are_checked_where_written() {
        let dir = tempfile::tempdir().expect("dir");
        std::fs::write(dir.path().join("server.pem"), "cert").expect("write");
        let path = dir.path().join("e.yaml");
        let text = "issuer: embedded\nplain_http: http://127.0.0.1:8080\nsandbox:\n  tls: { cert: server.pem, key: server.key }\n";
        std::fs::write(&path, text).expect("write");
        let err = crate::environment::load_environment(path.to_str().expect("utf-8"), dir.path())
            .unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        let location = err.0[0].location.as_ref().expect("located");
        assert_eq!((location.line, location.column), (4, 33), "{err}");
        assert!(err.to_string().contains("TLS key"), "{err}");
        std::fs::write(dir.path().join("server.key"), "key").expect("write");
        let env = crate::environment::load_environment(path.to_str().expect("utf-8"), dir.path())
            .unwrap();
        let tls = env.sandbox.tls.expect("tls");
        assert_eq!(tls.cert, dir.path().join("server.pem"));
        assert_eq!(env.plain_http.as_deref(), Some("http://127.0.0.1:8080"));
        for bad in ["https://as.example", "as.example:80", "http://"] {
            let err = load_text(&format!(
                "issuer: https://as.example\nplain_http: \"{bad}\"\n"
            ))
            .unwrap_err();
            assert!(
                err.to_string().contains("`plain_http` is where"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn access_token_revocation_is_a_known_setting_or_a_located_error() {
        let env =
            load_text("issuer: embedded\nsandbox: { access_token_revocation: opaque }\n").unwrap();
        assert_eq!(
            env.sandbox.access_token_revocation,
            AccessTokenRevocation::Opaque
        );
        let default = load_text("issuer: embedded\n").unwrap();
        assert_eq!(
            default.sandbox.access_token_revocation,
            AccessTokenRevocation::All
        );
        let err =
            load_text("issuer: embedded\nsandbox:\n  access_token_revocation: some\n").unwrap_err();
        let at = err.0[0].location.as_ref().map(|l| (l.line, l.column));
        assert_eq!(at, Some((3, 28)), "{err}");
        assert!(
            err.to_string().contains(
                "unknown access_token_revocation `some`, expected one of all, opaque, none"
            ),
            "{err}"
        );
    }

    #[test]
    fn a_short_lived_access_token_is_whole_seconds_and_starts_the_sandbox_with_it() {
        let env =
            load_text("issuer: embedded\nlifetimes: { short_lived_access_token: 1s }\n").unwrap();
        assert_eq!(
            env.lifetimes.short_lived_access_token,
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            env.sandbox.short_lived_access_token,
            Some(Duration::from_secs(1))
        );
        assert_eq!(env.sandbox.code_lifetime, None);
        let remote =
            load_text("issuer: https://as.example\nlifetimes: { short_lived_access_token: 5m }\n")
                .unwrap();
        assert_eq!(
            remote.lifetimes.get("short_lived_access_token"),
            Some(Duration::from_secs(300))
        );
        assert_eq!(remote.sandbox.short_lived_access_token, None);
        for bad in ["1500ms", "0s", "soon"] {
            let err = load_text(&format!(
                "issuer: embedded\nlifetimes:\n  short_lived_access_token: {bad}\n"
            ))
            .unwrap_err();
            let at = err.0[0].location.as_ref().map(|l| (l.line, l.column));
            assert_eq!(at, Some((3, 29)), "{err}");
            assert!(
                err.to_string().contains(&format!(
                    "invalid lifetime `{bad}` (a positive whole number"
                )),
                "{err}"
            );
        }
    }
}
