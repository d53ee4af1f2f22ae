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

use std::collections::HashSet;
use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::scenario::load_scenario;
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
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, files.len().max(1));
    let chunk = files.len().div_ceil(threads).max(1);
    let resolved: Vec<Resolved> = std::thread::scope(|s| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| s.spawn(move || resolve_part(part, scope)))
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
    let mut scenarios = Vec::with_capacity(resolved.len());
    let mut names = HashSet::new();
    for file in resolved {
        match file {
            Resolved::Unreadable(d) => diags.push(d),
            Resolved::Scenario {
                scenario,
                source,
                name_location,
                problems,
            } => {
                if !names.insert(scenario.name.clone()) {
                    diags.push(Diagnostic::at(
                        &source,
                        name_location,
                        format!("another scenario is already named `{}`", scenario.name),
                    ));
                }
                diags.0.extend(problems.0);
                scenarios.push(*scenario);
            }
        }
    }
    diags.into_result(scenarios)
}

/// One file, loaded and resolved.
enum Resolved {
    Unreadable(Diagnostic),
    Scenario {
        scenario: Box<Scenario>,
        /// Where the file names its scenario, for when a file before it used the name.
        source: SourceFile,
        name_location: Location,
        problems: Diagnostics,
    },
}

fn resolve_part(files: &[impl AsRef<Path>], scope: &Scope) -> Vec<Resolved> {
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
                scenario: Box::new(scenario),
                source,
                name_location,
                problems,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use crate::scenario::{RawScenario, parse_yaml};

    fn resolve(text: &str) -> Result<Scenario, Diagnostics> {
        let source = SourceFile::new("s.yaml", text);
        let raw: RawScenario = parse_yaml(&source).map_err(|d| Diagnostics(vec![d]))?;
        let scope = Scope {
            variables: vec!["scope".into()],
            secrets: vec!["pw".into()],
            clients: vec!["app_basic".into()],
            users: vec!["topsi".into()],
        };
        let renderer = Renderer::new();
        let mut diags = Diagnostics::default();
        let scenario = step::Resolver::new(&source, &scope, &renderer, &mut diags).scenario(raw);
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
}
