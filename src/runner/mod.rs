//! Executes resolved scenarios against a target: concurrently across scenarios (bounded),
//! in order within one, over one connection pool, with no automatic redirects. Emits
//! [`Event`]s while it works and returns the whole [`RunResult`]; never writes files.

mod authorize;
mod client;
mod client_auth;
mod event;
mod flow;
mod http;
mod identities;
mod protocol;
mod redact;
mod rules;
mod scenario;
mod target;

pub use event::Event;
pub use redact::Redactor;
pub use target::{RunTarget, RuntimeClient, RuntimeUser};

use std::future::Future;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;

use crate::outcome::{
    BaselineOutcome, ErrorKind, RunError, RunResult, RunStatus, SCHEMA_VERSION, ScenarioResult,
    StepError, Summary, Verdict,
};
use crate::resolve::Scenario;
use crate::snapshot::SnapshotSession;
use crate::template::Renderer;

pub struct RunOptions {
    pub jobs: usize,
    /// Where snapshots are compared and what may be written.
    pub snapshots: SnapshotSession,
}

/// Runs `scenarios` against `target`. When `interrupt` completes first, scenarios in flight are
/// abandoned and the result says the run was interrupted; everything that finished is kept.
pub async fn run(
    scenarios: Vec<Scenario>,
    target: RunTarget,
    options: RunOptions,
    events: mpsc::UnboundedSender<Event>,
    interrupt: impl Future<Output = String>,
) -> RunResult {
    let started_at = now_rfc3339();
    let started = Instant::now();
    let _ = events.send(Event::RunStarted {
        scenarios: scenarios.len(),
        environment: target.environment.clone(),
        issuer: target.issuer.clone(),
    });
    let mut errors = Vec::new();
    let mut results: Vec<Option<ScenarioResult>> = vec![None; scenarios.len()];
    // Shared with the scenario tasks instead of cloned into each of them.
    let scenarios = Arc::new(scenarios);

    let client = client::builder(&target.http, target.timeout).and_then(|b| {
        b.pool_max_idle_per_host(options.jobs.max(1))
            .build()
            .map_err(|e| e.to_string())
    });
    let outcome = match client {
        Err(e) => Err(RunError {
            kind: ErrorKind::Internal,
            message: format!("cannot build the HTTP client: {e}"),
        }),
        Ok(client) => {
            tokio::pin!(interrupt);
            tokio::select! {
                r = execute(&client, &scenarios, &target, &options, &events, &mut results) => r,
                signal = &mut interrupt => Err(RunError { kind: ErrorKind::Interrupted, message: format!("interrupted by {signal}") }),
            }
        }
    };
    let mut status_override = None;
    if let Err(e) = outcome {
        status_override = Some(if e.kind == ErrorKind::Interrupted {
            RunStatus::Interrupted
        } else {
            RunStatus::Incomplete
        });
        let reason = e.message.clone();
        let kind = e.kind;
        errors.push(e);
        for (slot, scenario) in results.iter_mut().zip(scenarios.iter()) {
            if slot.is_none() {
                *slot = Some(not_run(scenario, kind, &reason));
            }
        }
    }
    let scenarios: Vec<ScenarioResult> = results.into_iter().flatten().collect();
    let summary = summarise(&scenarios);
    let status = status_override.unwrap_or(if summary.scenarios.errored > 0 {
        RunStatus::Incomplete
    } else if summary.scenarios.failed > 0 {
        RunStatus::Failed
    } else {
        RunStatus::Passed
    });
    RunResult {
        schema_version: SCHEMA_VERSION,
        tool: env!("CARGO_PKG_NAME").into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        environment: target.environment.clone(),
        issuer: target.issuer.clone(),
        started_at,
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        status,
        errors,
        warnings: if target.http.insecure {
            vec!["TLS certificate verification is OFF for this environment (http.insecure: true): the target's identity was not checked".into()]
        } else {
            Vec::new()
        },
        summary,
        baseline: baseline_outcomes(&target.baseline, &scenarios),
        scenarios,
    }
}

async fn execute(
    client: &reqwest::Client,
    scenarios: &Arc<Vec<Scenario>>,
    target: &RunTarget,
    options: &RunOptions,
    events: &mpsc::UnboundedSender<Event>,
    results: &mut [Option<ScenarioResult>],
) -> Result<(), RunError> {
    let discovered = target::discover(client, target)
        .await
        .map_err(|(kind, message)| RunError {
            kind,
            message: format!("the target could not be reached: {message}"),
        })?;
    let mut identities =
        identities::Identities::build(target, options.jobs).map_err(|message| RunError {
            kind: ErrorKind::Internal,
            message: format!("cannot build the HTTP client: {message}"),
        })?;
    identities.learn_aliases(discovered.metadata.as_ref(), &target.endpoint_overrides);
    let shared = Arc::new(Shared {
        client: client.clone(),
        identities,
        renderer: Renderer::new(),
        base: target.base_context(&discovered.endpoints),
        redactor: target.redactor(),
        target: target.clone(),
        snapshots: options.snapshots.clone(),
        metadata: discovered.metadata,
        jwks: discovered.jwks,
    });
    let permits = Arc::new(Semaphore::new(options.jobs.max(1)));
    let mut tasks = JoinSet::new();
    for index in 0..scenarios.len() {
        let shared = shared.clone();
        let permits = permits.clone();
        let scenarios = scenarios.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            (
                index,
                scenario::run_scenario(&shared, &scenarios[index]).await,
            )
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, result)) => {
                let _ = events.send(Event::ScenarioFinished(Box::new(result.clone())));
                results[index] = Some(result);
            }
            Err(e) => {
                return Err(RunError {
                    kind: ErrorKind::Internal,
                    message: format!("a scenario task failed: {e}"),
                });
            }
        }
    }
    Ok(())
}

/// What every scenario of a run shares.
pub(super) struct Shared {
    client: reqwest::Client,
    /// The clients presenting a TLS certificate, and the server's mutual-TLS endpoints.
    identities: identities::Identities,
    renderer: Renderer,
    base: serde_json::Map<String, serde_json::Value>,
    redactor: Redactor,
    target: RunTarget,
    snapshots: SnapshotSession,
    /// The discovery document and key set fetched before the first scenario.
    metadata: Option<serde_json::Value>,
    jwks: Option<serde_json::Value>,
}

/// A scenario that never ran (or was abandoned): its steps are skipped, the first one carries
/// the reason as an error so that reports show why.
fn not_run(scenario: &Scenario, kind: ErrorKind, reason: &str) -> ScenarioResult {
    let mut steps: Vec<_> = scenario
        .steps
        .iter()
        .map(|s| scenario::skipped(s, reason))
        .collect();
    if let Some(first) = steps.first_mut() {
        first.verdict = Verdict::Error;
        first.skip_reason = None;
        first.error = Some(StepError {
            kind,
            message: reason.to_string(),
        });
    }
    scenario::scenario_result(scenario, steps, 0.0)
}

fn baseline_outcomes(
    baseline: &[crate::environment::BaselineEntry],
    scenarios: &[ScenarioResult],
) -> Vec<BaselineOutcome> {
    baseline
        .iter()
        .map(|b| BaselineOutcome {
            scenario: b.scenario.clone(),
            rule: b.rule.clone(),
            comment: b.comment.clone(),
            occurrences: scenarios
                .iter()
                .flat_map(|s| {
                    s.steps
                        .iter()
                        .flat_map(move |st| st.checks.iter().map(move |c| (s, c)))
                })
                .filter(|(s, c)| {
                    c.verdict == Verdict::Deviation
                        && c.rule.as_ref().is_some_and(|r| b.covers(&s.name, &r.id))
                })
                .count(),
        })
        .collect()
}

fn summarise(scenarios: &[ScenarioResult]) -> Summary {
    let mut s = Summary::default();
    for sc in scenarios {
        s.scenarios.add(sc.verdict);
        for st in &sc.steps {
            s.steps.add(st.verdict);
            for c in &st.checks {
                s.checks.add(c.verdict);
            }
        }
    }
    s
}

fn now_rfc3339() -> String {
    use crate::outcome::rfc3339;
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    rfc3339(secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Counts;

    #[test]
    fn counts_add_up() {
        let mut c = Counts::default();
        c.add(Verdict::Passed);
        c.add(Verdict::Error);
        assert_eq!((c.total, c.passed, c.errored), (2, 1, 1));
    }
}
