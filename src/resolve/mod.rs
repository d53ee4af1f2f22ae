//! Raw scenario + environment → resolved scenarios. Every static mistake (unknown variable,
//! unknown client, bad matcher, bad JSONPath, bad regex) is found here, before any request.

mod model;
mod protocol;
mod protocol_step;
mod scope;
mod step;

pub use model::{
    Action, BasicAuth, Body, Capture, CaptureSource, HttpRequest, JsonTemplate, JwtExpectation,
    RuleOverrides, Scenario, Step,
};
pub use protocol::{
    AssertionStep, Audience, AuthorizeStep, Choice, EndSessionStep, PkceMode, RegisterStep,
    TokenIn, TokenOperation, TokenStep, UserinfoStep,
};
pub use scope::Scope;
pub(crate) use step::HTTPS;

use std::collections::HashSet;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::scenario::load_scenario;
use crate::snapshot::SnapshotSpec;
use crate::template::Renderer;

/// Resolves one scenario held in memory.
pub fn resolve_source(source: &SourceFile, scope: &Scope) -> Result<Scenario, Diagnostics> {
    let raw: crate::scenario::RawScenario =
        crate::scenario::parse_yaml(source).map_err(|d| Diagnostics(vec![d]))?;
    let renderer = Renderer::new();
    let mut diags = Diagnostics::default();
    let scenario = step::Resolver::new(source, scope, &renderer, &mut diags).scenario(raw);
    diags.into_result(scenario)
}

/// Loads and resolves every file; reports every mistake found in all of them, in the order of
/// the files. Files are read and resolved on one thread per core.
pub fn resolve_files(
    files: &[impl AsRef<Path> + Sync],
    scope: &Scope,
) -> Result<Vec<Scenario>, Diagnostics> {
    resolve_all(files, scope, |scenario| scenario)
}

/// A scenario file that resolved, without its scenario: what selecting it for a run and
/// checking its snapshot paths need, and where to read it again ([`resolve_file`]).
#[derive(Clone, Debug)]
pub struct SuiteEntry {
    pub file: String,
    pub name: String,
    /// The steps that take a snapshot: their names and snapshot specs.
    pub snapshots: Vec<(String, SnapshotSpec)>,
}

/// Checks every file as [`resolve_files`] does, but keeps only a [`SuiteEntry`] of each, so a
/// suite of any size can be checked without holding it.
pub fn check_files(
    files: &[impl AsRef<Path> + Sync],
    scope: &Scope,
) -> Result<Vec<SuiteEntry>, Diagnostics> {
    resolve_all(files, scope, |scenario| SuiteEntry {
        // Not collected in place from `steps`: that would keep the steps' whole allocation
        // (≈ 2.6 kB a scenario) behind a list that is nearly always empty.
        snapshots: scenario
            .steps
            .iter()
            .filter_map(|step| Some((step.name.clone(), step.snapshot.clone()?)))
            .collect(),
        file: scenario.file,
        name: scenario.name,
    })
}

/// Loads and resolves one file with the renderer of the caller.
pub fn resolve_file(
    file: &Path,
    scope: &Scope,
    renderer: &Renderer,
) -> Result<Scenario, Diagnostics> {
    let (raw, source) = load_scenario(file).map_err(|d| Diagnostics(vec![d]))?;
    let mut diags = Diagnostics::default();
    let scenario = step::Resolver::new(&source, scope, renderer, &mut diags).scenario(raw);
    diags.into_result(scenario)
}

/// Every file resolved on one thread per core, each scenario turned into what `keep` makes of
/// it as soon as it is resolved; mistakes in the order of the files.
fn resolve_all<T: Send>(
    files: &[impl AsRef<Path> + Sync],
    scope: &Scope,
    keep: impl Fn(Scenario) -> T + Sync,
) -> Result<Vec<T>, Diagnostics> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, files.len().max(1));
    let chunk = files.len().div_ceil(threads).max(1);
    let keep = &keep;
    let resolved: Vec<Resolved<T>> = std::thread::scope(|s| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| s.spawn(move || resolve_part(part, scope, keep)))
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut diags = Diagnostics::default();
    let mut kept = Vec::with_capacity(resolved.len());
    let mut names = HashSet::new();
    for file in resolved {
        match file {
            Resolved::Unreadable(d) => diags.push(d),
            Resolved::Scenario {
                value,
                name,
                name_location,
                problems,
            } => {
                if !names.insert(name.clone()) {
                    diags.push(duplicate_name(&name, name_location));
                }
                diags.0.extend(problems.0);
                kept.push(value);
            }
        }
    }
    diags.into_result(kept)
}

/// One file, loaded and resolved.
enum Resolved<T> {
    Unreadable(Diagnostic),
    Scenario {
        value: T,
        name: String,
        /// Where the file names its scenario, for when a file before it used the name.
        name_location: Location,
        problems: Diagnostics,
    },
}

fn resolve_part<T>(
    files: &[impl AsRef<Path>],
    scope: &Scope,
    keep: &impl Fn(Scenario) -> T,
) -> Vec<Resolved<T>> {
    let renderer = Renderer::new();
    files
        .iter()
        .map(|file| {
            let (raw, source) = match load_scenario(file.as_ref()) {
                Ok(loaded) => loaded,
                Err(d) => return Resolved::Unreadable(d),
            };
            let name_location =
                source.location(raw.name.referenced.line(), raw.name.referenced.column());
            let mut problems = Diagnostics::default();
            let scenario =
                step::Resolver::new(&source, scope, &renderer, &mut problems).scenario(raw);
            Resolved::Scenario {
                name: scenario.name.clone(),
                value: keep(scenario),
                name_location,
                problems,
            }
        })
        .collect()
}

/// A second file using a scenario name, quoted from the file (read again: duplicates are rare,
/// and the sources are not kept).
fn duplicate_name(name: &str, at: Location) -> Diagnostic {
    let message = format!("another scenario is already named `{name}`");
    match crate::scenario::load::read_source(Path::new(&*at.file)) {
        Ok(source) => Diagnostic::at(&source, at, message),
        Err(_) => Diagnostic::plain(Some(at), message),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::diag::SourceFile;
    use crate::scenario::{RawScenario, parse_yaml};

    fn resolve(text: &str) -> Result<Scenario, Diagnostics> {
        let scope = Scope {
            variables: vec!["scope".into()],
            secrets: vec!["pw".into()],
            clients: vec!["app_basic".into()],
            users: vec!["topsi".into()],
            lifetimes: vec![("authorization_code".into(), Duration::from_secs(60))],
        };
        resolve_in(text, &scope)
    }

    fn resolve_in(text: &str, scope: &Scope) -> Result<Scenario, Diagnostics> {
        let source = SourceFile::new("s.yaml", text);
        let raw: RawScenario = parse_yaml(&source).map_err(|d| Diagnostics(vec![d]))?;
        let renderer = Renderer::new();
        let mut diags = Diagnostics::default();
        let scenario = step::Resolver::new(&source, scope, &renderer, &mut diags).scenario(raw);
        diags.into_result(scenario)
    }

    fn errors(text: &str) -> Vec<String> {
        resolve(text)
            .unwrap_err()
            .0
            .iter()
            .map(|d| {
                format!(
                    "{}: {}",
                    d.location.as_ref().map(|l| l.line).unwrap_or(0),
                    d.message
                )
            })
            .collect()
    }

    #[test]
    fn probes_say_what_they_probe_and_an_https_issuer_can_be_required() {
        let ok = resolve("name: p\nrequires: [https, token]\nsteps:\n  - name: d\n    discovery: { probe: endpoints }\n  - name: p\n    plain_http: { endpoint: token }\n").unwrap();
        assert_eq!(ok.requires, ["https", "token"]);
        assert!(matches!(
            ok.steps[0].action,
            Action::Discovery {
                probe_endpoints: true,
                ..
            }
        ));
        assert!(
            matches!(&ok.steps[1].action, Action::PlainHttp { endpoint } if endpoint == "token")
        );
        let errors = errors(
            "name: p\nrequires: [http]\nsteps:\n  - name: d\n    discovery: { probe: everything }\n  - name: p\n    plain_http: { endpoint: userinfo }\n",
        );
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].starts_with("2: `requires` takes"), "{errors:?}");
        assert!(errors[0].contains("`https`"), "{errors:?}");
        assert!(
            errors[1].starts_with("5: unknown probe `everything`"),
            "{errors:?}"
        );
        assert_eq!(
            errors[2],
            "7: `plain_http` probes the endpoint token, introspection, revocation; not `userinfo`"
        );
    }

    #[test]
    fn known_names_resolve() {
        let s = resolve(
            "name: ok\nsteps:\n  - name: a\n    http:\n      method: post\n      url: \"{{ endpoints.token }}\"\n      form: { scope: \"{{ scope }}\", x: \"{{ secrets.pw }}\" }\n      auth: { basic: app_basic }\n    capture: { tok: \"$.access_token\" }\n  - name: b\n    http: { url: \"{{ endpoints.introspection }}?t={{ tok }}&c={{ clients.app_basic.client_id }}\" }\n    expect:\n      json: { \"$.sub\": \"{{ tok.sub }}\" }\n",
        )
        .unwrap();
        assert_eq!(s.steps.len(), 2);
    }

    #[test]
    fn unknown_names_are_found_before_any_request() {
        let e = errors(
            "name: bad\nsteps:\n  - name: a\n    http:\n      url: \"{{ endpoints.tokn }}\"\n      auth: { basic: nobody }\n    capture: { tok: \"$.access_token\" }\n    expect:\n      json: { a: \"{{ tok }}\" }\n  - name: b\n    http: { url: \"{{ later }}\" }\n    capture: { later: \"$.x\" }\n",
        );
        assert_eq!(e.len(), 4, "{e:?}");
        assert!(
            e[0].starts_with("5: unknown variable `endpoints.tokn`"),
            "{e:?}"
        );
        assert!(e[1].starts_with("6: unknown client `nobody`"), "{e:?}");
        // A capture is not visible in the expectations of its own step, nor before it.
        assert!(e[2].starts_with("9: unknown variable `tok`"), "{e:?}");
        assert!(e[3].starts_with("11: unknown variable `later`"), "{e:?}");
    }

    #[test]
    fn bad_matchers_paths_and_reserved_names_are_located() {
        let e = errors(
            "name: bad\nsteps:\n  - name: a\n    http: { url: /x }\n    expect:\n      status: { one_off: [200] }\n      json:\n        \"$.a[\": 1\n        b: { regex: \"(\" }\n    capture: { issuer: \"$.x\", y: { cookie: a } }\n",
        );
        assert_eq!(e.len(), 5, "{e:?}");
        assert!(e[0].starts_with("6: unknown matcher `one_off`"), "{e:?}");
        assert!(e[1].starts_with("8: invalid JSONPath"), "{e:?}");
        assert!(e[2].starts_with("9: invalid regex"), "{e:?}");
        assert!(e[3].starts_with("10: `issuer` is reserved"), "{e:?}");
        assert!(
            e[4].starts_with("10: unknown capture source `cookie`"),
            "{e:?}"
        );
    }

    #[test]
    fn a_step_without_an_action_and_a_scenario_without_steps_are_rejected() {
        assert!(errors("name: e\nsteps: []\n")[0].contains("at least one step"));
        assert!(errors("name: e\nsteps:\n  - name: a\n")[0].contains("needs an action"));
    }

    #[test]
    fn a_delay_is_a_duration_or_a_declared_lifetime_and_one_second() {
        let s = resolve(
            "name: d\nsteps:\n  - name: a\n    delay: 1500ms\n    http: { url: /x }\n  - name: b\n    delay: { until_expired: authorization_code }\n    http: { url: /x }\n",
        )
        .unwrap();
        assert_eq!(s.steps[0].delay, Some(Duration::from_millis(1500)));
        assert_eq!(s.steps[1].delay, Some(Duration::from_secs(61)));
        let e = errors(
            "name: d\nsteps:\n  - name: a\n    delay: soon\n    http: { url: /x }\n  - name: b\n    delay: { until_expired: access_token }\n    http: { url: /x }\n  - name: c\n    delay: [1s]\n    http: { url: /x }\n",
        );
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].starts_with("4: invalid duration `soon`"), "{e:?}");
        assert!(
            e[1].starts_with("7: unknown lifetime `access_token`"),
            "{e:?}"
        );
        assert!(e[2].starts_with("10: `delay` is a duration"), "{e:?}");
    }

    #[test]
    fn an_undeclared_lifetime_skips_a_scenario_that_requires_it_and_is_an_error_otherwise() {
        let scope = Scope::default();
        let wait = "steps:\n  - name: a\n    delay: { until_expired: authorization_code }\n    http: { url: /x }\n";
        let skipped = resolve_in(
            &format!("name: d\nrequires: [lifetime:authorization_code]\n{wait}"),
            &scope,
        )
        .unwrap();
        assert_eq!(
            skipped.skip_reason.as_deref(),
            Some("the environment has no declared `lifetimes.authorization_code`")
        );
        let err = resolve_in(&format!("name: d\n{wait}"), &scope).unwrap_err();
        assert!(
            err.0[0]
                .message
                .contains("declares no `lifetimes.authorization_code`")
                && err.0[0].location.as_ref().map(|l| l.line) == Some(4),
            "{err}"
        );
        let err = resolve_in(
            &format!("name: d\nrequires: [lifetime:ttl]\n{wait}"),
            &scope,
        )
        .unwrap_err();
        assert!(err.to_string().contains("unknown lifetime `ttl`"), "{err}");
    }
}
