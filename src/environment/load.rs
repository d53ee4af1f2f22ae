use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use super::clients::{check_clients, secret_ref};
use super::model::{
    DEFAULT_TIMEOUT, Environment, FormRecipe, HttpSettings, LoginRecipe, RetryOn, SecretSource,
    Target, User,
};
use super::parse_duration;
use super::provisioning::check_provisioning;
use super::raw::{RawEnvironment, RawForm};
use super::sandbox_options::check_sandbox;
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::oauth::endpoint_metadata_key;
use crate::scenario::parse_yaml;

const PROFILES: &[&str] = &["generic", "bouygues", "keycloak"];

/// Loads `NAME` from `dir/NAME.yaml`, or a path when `name` looks like one.
pub fn load_environment(name: &str, dir: &Path) -> Result<Environment, Diagnostics> {
    let path = if name.ends_with(".yaml") || name.ends_with(".yml") || name.contains('/') {
        PathBuf::from(name)
    } else {
        dir.join(format!("{name}.yaml"))
    };
    let env_name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_string());
    let source = crate::scenario::load::read_source(&path).map_err(|d| Diagnostics(vec![d]))?;
    let raw: RawEnvironment = parse_yaml(&source).map_err(|d| Diagnostics(vec![d]))?;
    check(raw, env_name, &source, &path)
}

/// Checks an environment held in memory (for the fuzzers); relative paths are taken from the
/// current directory.
pub fn environment_from_source(source: &SourceFile) -> Result<Environment, Diagnostics> {
    let raw: RawEnvironment = parse_yaml(source).map_err(|d| Diagnostics(vec![d]))?;
    check(
        raw,
        "fuzz".into(),
        source,
        Path::new("environments/fuzz.yaml"),
    )
}

fn check(
    raw: RawEnvironment,
    name: String,
    source: &SourceFile,
    path: &Path,
) -> Result<Environment, Diagnostics> {
    let mut diags = Diagnostics::default();
    let at = |s: &serde_saphyr::Location| source.location(s.line(), s.column());

    let target = if raw.issuer.value == "embedded" {
        Target::Embedded
    } else {
        if let Err(e) = url::Url::parse(&raw.issuer.value) {
            diags.push(Diagnostic::at(
                source,
                at(&raw.issuer.referenced),
                format!("invalid issuer URL: {e}"),
            ));
        }
        Target::Issuer(raw.issuer.value.trim_end_matches('/').to_string())
    };

    let profile = match raw.profile {
        Some(p) if !PROFILES.contains(&p.value.as_str()) => {
            diags.push(Diagnostic::at(
                source,
                at(&p.referenced),
                format!(
                    "unknown profile `{}`, expected one of {}",
                    p.value,
                    PROFILES.join(", ")
                ),
            ));
            p.value
        }
        Some(p) => p.value,
        None => "generic".into(),
    };

    let mut endpoints = Vec::new();
    for (key, url) in raw.endpoints.0 {
        if endpoint_metadata_key(&key.value).is_none() {
            let known: Vec<_> = crate::oauth::ENDPOINTS.iter().map(|(n, _)| *n).collect();
            diags.push(Diagnostic::at(
                source,
                at(&key.referenced),
                format!(
                    "unknown endpoint `{}`, expected one of {}",
                    key.value,
                    known.join(", ")
                ),
            ));
        } else if let Err(e) = url::Url::parse(&url.value) {
            diags.push(Diagnostic::at(
                source,
                at(&url.referenced),
                format!("invalid URL: {e}"),
            ));
        }
        endpoints.push((key.value, url.value));
    }

    let plain_http = raw.plain_http.and_then(|origin| {
        match url::Url::parse(&origin.value) {
            Ok(u) if u.scheme() == "http" && u.host().is_some() => Some(origin.value),
            _ => {
                diags.push(Diagnostic::at(
                    source,
                    at(&origin.referenced),
                    format!(
                        "`plain_http` is where the server answers plain http, an `http://host[:port]` URL; not `{}`",
                        origin.value
                    ),
                ));
                None
            }
        }
    });

    let base = path.parent().unwrap_or(Path::new("."));
    let mut secrets = Vec::new();
    for (key, src) in raw.secrets.0 {
        let location = at(&src.referenced);
        let source_kind = match (src.value.env, src.value.file) {
            (Some(var), None) => SecretSource::Env(var),
            (None, Some(file)) => SecretSource::File(expand_path(&file, base)),
            _ => {
                diags.push(Diagnostic::at(
                    source,
                    location,
                    format!(
                        "secret `{}` needs exactly one of `env` or `file`",
                        key.value
                    ),
                ));
                continue;
            }
        };
        secrets.push((key.value, source_kind, location));
    }

    let secret_ref = |diags: &mut Diagnostics, s: Spanned<String>, what: &str| {
        secret_ref(source, &secrets, diags, s, what)
    };

    let clients = check_clients(raw.clients, source, base, &secrets, &mut diags);

    let mut users = Vec::new();
    for (key, user) in raw.users.0 {
        let password = secret_ref(&mut diags, user.value.password, "password");
        users.push(User {
            name: key.value,
            username: user.value.username,
            password,
        });
    }
    let login = raw
        .login
        .map(|l| LoginRecipe {
            form: l.form.map(form_recipe).unwrap_or_default(),
            consent: l.consent.map(form_recipe),
        })
        .unwrap_or_default();

    let baseline = match raw.baseline {
        None => Vec::new(),
        Some(file) => {
            let path = expand_path(&file.value, base);
            if path.is_file() {
                match super::baseline::load_baseline(&path) {
                    Ok(entries) => entries,
                    Err(d) => {
                        diags.0.extend(d.0);
                        Vec::new()
                    }
                }
            } else {
                diags.push(Diagnostic::at(
                    source,
                    at(&file.referenced),
                    format!("baseline file {} does not exist", path.display()),
                ));
                Vec::new()
            }
        }
    };

    let (sandbox, lifetimes) = check_sandbox(
        raw.sandbox,
        raw.lifetimes,
        &target,
        source,
        base,
        &mut diags,
    );

    let mut http = HttpSettings::default();
    let mut timeout = DEFAULT_TIMEOUT;
    if let Some(h) = raw.http {
        let duration = |t: Spanned<String>, diags: &mut Diagnostics| {
            parse_duration(&t.value).or_else(|| {
                diags.push(Diagnostic::at(
                    source,
                    at(&t.referenced),
                    format!("invalid duration `{}` (examples: 500ms, 10s, 2m)", t.value),
                ));
                None
            })
        };
        if let Some(t) = h.timeout {
            timeout = duration(t, &mut diags).unwrap_or(DEFAULT_TIMEOUT);
        }
        if let Some(r) = h.retries {
            let r = r.value;
            http.retries.attempts = r.attempts;
            http.retries.backoff = r
                .backoff
                .and_then(|b| duration(b, &mut diags))
                .unwrap_or(std::time::Duration::from_millis(200));
            for on in r.on {
                let parsed = match on.value.as_str() {
                    "connect" => Some(RetryOn::Connect),
                    "timeout" => Some(RetryOn::Timeout),
                    "reset" => Some(RetryOn::Reset),
                    code => code
                        .parse::<u16>()
                        .ok()
                        .filter(|c| (500..600).contains(c) || *c == 429)
                        .map(RetryOn::Status),
                };
                match parsed {
                    Some(p) => http.retries.on.push(p),
                    None => diags.push(Diagnostic::at(
                        source,
                        at(&on.referenced),
                        format!("cannot retry on `{}`: use connect, timeout, reset, 429 or a 5xx status", on.value),
                    )),
                }
            }
        }
        if let Some(ca) = h.ca_bundle {
            let path = expand_path(&ca.value, base);
            if !path.is_file() {
                diags.push(Diagnostic::at(
                    source,
                    at(&ca.referenced),
                    format!("CA bundle {} does not exist", path.display()),
                ));
            }
            http.ca_bundle = Some(path);
        }
        http.insecure = h.insecure;
        if let Some(max) = h.max_body_bytes {
            http.max_body_bytes = max;
        }
    }

    let concurrency = match raw.concurrency {
        Some(c) if c.value == 0 => {
            diags.push(Diagnostic::at(
                source,
                at(&c.referenced),
                "concurrency must be at least 1",
            ));
            None
        }
        c => c.map(|c| c.value),
    };

    let provisioning = check_provisioning(
        raw.provisioning,
        raw.registration,
        &target,
        &secrets,
        source,
        &mut diags,
    );

    let variables = raw
        .variables
        .0
        .into_iter()
        .map(|(k, v)| (k.value, v.value))
        .collect();
    diags.into_result(Environment {
        name,
        target,
        profile,
        endpoints,
        plain_http,
        variables,
        secrets,
        clients,
        users,
        login,
        timeout,
        http,
        concurrency,
        sandbox,
        lifetimes,
        baseline,
        provisioning,
    })
}

fn form_recipe(f: RawForm) -> FormRecipe {
    FormRecipe {
        action_contains: f.action_contains,
        username_field: f.username_field,
        password_field: f.password_field,
        submit: f.submit.and_then(|m| m.0.into_iter().next()),
        extra: f.extra.0,
    }
}

/// `~/` is the home directory; a relative path is relative to the environment file.
pub(super) fn expand_path(file: &str, base: &Path) -> PathBuf {
    if let Some(rest) = file.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return PathBuf::from(home).join(rest);
    }
    let p = PathBuf::from(file);
    if p.is_absolute() { p } else { base.join(p) }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn load(text: &str) -> Result<Environment, Diagnostics> {
        let source = SourceFile::new("e.yaml", text);
        let raw: RawEnvironment = parse_yaml(&source).map_err(|d| Diagnostics(vec![d]))?;
        check(raw, "e".into(), &source, Path::new("environments/e.yaml"))
    }

    #[test]
    fn a_full_environment_loads() {
        let env = load(
            "issuer: https://as.example/ap4/\nprofile: bouygues\nendpoints: { introspection: https://as.example/introspect }\nvariables: { scope: PersonneConsult }\nsecrets:\n  s: { env: S }\nclients:\n  app: { client_id: app-1, client_secret: s }\nhttp: { timeout: 2s }\n",
        )
        .unwrap();
        assert_eq!(env.target, Target::Issuer("https://as.example/ap4".into()));
        assert_eq!(env.timeout, Duration::from_secs(2));
        assert_eq!(env.clients[0].client_secret.as_deref(), Some("s"));
    }

    #[test]
    fn mistakes_are_all_reported_with_locations() {
        let err = load(
            "issuer: not a url\nprofile: okta\nendpoints: { tokn: https://x }\nsecrets:\n  s: { env: A, file: b }\nclients:\n  app: { client_id: a, client_secret: nope }\nhttp: { timeout: soon }\n",
        )
        .unwrap_err();
        let lines: Vec<u32> = err
            .0
            .iter()
            .filter_map(|d| d.location.as_ref().map(|l| l.line))
            .collect();
        assert_eq!(lines, vec![1, 2, 3, 5, 7, 8], "{err}");
    }

    #[test]
    fn a_missing_secret_variable_is_an_input_error() {
        let env =
            load("issuer: embedded\nsecrets:\n  s: { env: GRANTSPEC_TEST_SURELY_UNSET_VAR }\n")
                .unwrap();
        let err = env.read_secrets().unwrap_err();
        assert!(err.to_string().contains("GRANTSPEC_TEST_SURELY_UNSET_VAR"));
    }
}
