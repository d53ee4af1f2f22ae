//! Executes resolved scenarios against a target: concurrently across scenarios (bounded),
//! in order within one, over one connection pool, with no automatic redirects. Emits
//! [`Event`]s while it works; [`run`] returns the whole [`RunResult`], [`run_streaming`] hands
//! each scenario's result on as soon as it is done and keeps none. Never writes files.

mod authorize;
mod client;
mod client_auth;
mod event;
mod flow;
mod http;
mod identities;
mod plain_http;
mod probe;
mod protocol;
mod redact;
mod requirements;
mod rules;
mod scenario;
mod step_checks;
mod target;

pub use event::Event;
pub use redact::Redactor;
pub use target::{RunTarget, RuntimeClient, RuntimeUser};

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::environment::BaselineEntry;
use crate::outcome::{
    BaselineOutcome, ErrorKind, RunError, RunResult, RunStart, RunStatus, SCHEMA_VERSION,
    ScenarioResult, StepError, Summary, Verdict,
};
use crate::resolve::Scenario;
use crate::snapshot::SnapshotSession;
use crate::template::Renderer;

/// The scenarios of a run, in order: held, or made one at a time as their turn comes (a long
/// suite read again file by file), so the runner never needs them all at once.
pub struct Feed {
    len: usize,
    scenarios: Box<dyn Iterator<Item = Scenario> + Send>,
}

impl Feed {
    /// `len` scenarios made by `scenarios` in order.
    pub fn new(len: usize, scenarios: impl Iterator<Item = Scenario> + Send + 'static) -> Self {
        Self {
            len,
            scenarios: Box::new(scenarios),
        }
    }
}

impl IntoIterator for Feed {
    type Item = Scenario;
    type IntoIter = Box<dyn Iterator<Item = Scenario> + Send>;

    fn into_iter(self) -> Self::IntoIter {
        self.scenarios
    }
}

impl From<Vec<Scenario>> for Feed {
    fn from(scenarios: Vec<Scenario>) -> Self {
        Self::new(scenarios.len(), scenarios.into_iter())
    }
}

pub struct RunOptions {
    pub jobs: usize,
    /// Where snapshots are compared and what may be written.
    pub snapshots: SnapshotSession,
}

/// Runs `scenarios` against `target` and returns every result. When `interrupt` completes
/// first, scenarios in flight are abandoned and the result says the run was interrupted;
/// everything that finished is kept.
pub async fn run(
    scenarios: Vec<Scenario>,
    target: RunTarget,
    options: RunOptions,
    events: mpsc::UnboundedSender<Event>,
    interrupt: impl Future<Output = String>,
) -> RunResult {
    let mut all = Vec::with_capacity(scenarios.len());
    let start = RunStart::now(&target.environment, target.issuer.as_deref());
    let scenarios = Feed::from(scenarios);
    let mut result = run_streaming(&start, scenarios, target, options, events, interrupt, |s| {
        all.push(Arc::unwrap_or_clone(s));
    })
    .await;
    result.scenarios = all;
    result
}

/// Runs `scenarios` against `target`, handing each scenario's result to `sink` in the order of
/// the suite as soon as it and those before it are done (a scenario never run, or abandoned,
/// gets a result saying why), so that nothing needs to keep them all. Returns the run without
/// its scenarios (`scenarios` is empty): the summary, the baseline and the status.
pub async fn run_streaming(
    start: &RunStart,
    scenarios: Feed,
    target: RunTarget,
    options: RunOptions,
    events: mpsc::UnboundedSender<Event>,
    interrupt: impl Future<Output = String>,
    sink: impl FnMut(Arc<ScenarioResult>),
) -> RunResult {
    let started = Instant::now();
    let _ = events.send(Event::RunStarted {
        scenarios: scenarios.len,
        environment: target.environment.clone(),
        issuer: target.issuer.clone(),
    });
    let mut errors = Vec::new();
    let mut results = InOrder::new(sink, &target.baseline);
    let mut queue = Queue {
        upcoming: scenarios.scenarios.enumerate(),
        in_flight: BTreeMap::new(),
    };

    let client = client::Transport::new(&target.http, target.timeout).and_then(|transport| {
        let client = transport
            .builder()
            .pool_max_idle_per_host(options.jobs.max(1))
            .build()
            .map_err(|e| e.to_string())?;
        Ok((transport, client))
    });
    let outcome = match client {
        Err(e) => Err(RunError {
            kind: ErrorKind::Internal,
            message: format!("cannot build the HTTP client: {e}"),
        }),
        Ok((transport, client)) => {
            tokio::pin!(interrupt);
            tokio::select! {
                r = execute(&client, transport, &mut queue, &target, &options, &events, &mut results) => r,
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
        results.finish_with(queue, e.kind, &e.message);
        errors.push(e);
    }
    let (summary, baseline) = results.into_tally();
    let status = status_override.unwrap_or(if summary.scenarios.errored > 0 {
        RunStatus::Incomplete
    } else if summary.scenarios.failed > 0 {
        RunStatus::Failed
    } else {
        RunStatus::Passed
    });
    RunResult {
        schema_version: SCHEMA_VERSION,
        tool: start.tool.clone(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        environment: start.environment.clone(),
        issuer: start.issuer.clone(),
        started_at: start.started_at.clone(),
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        status,
        errors,
        warnings: if target.http.insecure {
            vec!["TLS certificate verification is OFF for this environment (http.insecure: true): the target's identity was not checked".into()]
        } else {
            Vec::new()
        },
        summary,
        baseline,
        scenarios: Vec::new(),
    }
}

/// The scenarios not started yet, and those running: a scenario is dropped as soon as it is
/// done, so a long suite does not stay in memory.
struct Queue {
    upcoming: std::iter::Enumerate<Box<dyn Iterator<Item = Scenario> + Send>>,
    in_flight: BTreeMap<usize, Arc<Scenario>>,
}

async fn execute<F: FnMut(Arc<ScenarioResult>)>(
    client: &reqwest::Client,
    transport: client::Transport,
    queue: &mut Queue,
    target: &RunTarget,
    options: &RunOptions,
    events: &mpsc::UnboundedSender<Event>,
    results: &mut InOrder<'_, F>,
) -> Result<(), RunError> {
    let discovered = target::discover(client, target)
        .await
        .map_err(|(kind, message)| RunError {
            kind,
            message: format!("the target could not be reached: {message}"),
        })?;
    let mut identities =
        identities::Identities::build(target, &transport, options.jobs).map_err(|message| {
            RunError {
                kind: ErrorKind::Internal,
                message: format!("cannot build the HTTP client: {message}"),
            }
        })?;
    identities.learn_aliases(discovered.metadata.as_ref(), &target.endpoint_overrides);
    let shared = Arc::new(Shared {
        client: client.clone(),
        transport,
        identities,
        renderer: Renderer::new(),
        base: target.base_context(&discovered.endpoints),
        redactor: target.redactor(),
        target: target.clone(),
        snapshots: options.snapshots.clone(),
        metadata: discovered.metadata.map(Arc::new),
        jwks: discovered.jwks.map(Arc::new),
        probes: Arc::default(),
    });
    // At most `jobs` scenarios run at once; the next starts when one ends.
    let mut tasks = JoinSet::new();
    let start_next = |tasks: &mut JoinSet<_>, queue: &mut Queue| {
        if let Some((index, scenario)) = queue.upcoming.next() {
            let scenario = Arc::new(scenario);
            queue.in_flight.insert(index, scenario.clone());
            let shared = shared.clone();
            tasks.spawn(async move { (index, scenario::run_scenario(&shared, &scenario).await) });
        }
    };
    for _ in 0..options.jobs.max(1) {
        start_next(&mut tasks, queue);
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, result)) => {
                queue.in_flight.remove(&index);
                start_next(&mut tasks, queue);
                let result = Arc::new(result);
                let _ = events.send(Event::ScenarioFinished {
                    index,
                    result: result.clone(),
                });
                results.finished(index, result);
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

/// Scenario results as they finish, handed on in the order of the suite and counted on the
/// way: only those waiting for an earlier, slower scenario are held.
struct InOrder<'b, F> {
    sink: F,
    next: usize,
    waiting: BTreeMap<usize, Arc<ScenarioResult>>,
    summary: Summary,
    baseline: &'b [BaselineEntry],
    occurrences: Vec<usize>,
}

impl<'b, F: FnMut(Arc<ScenarioResult>)> InOrder<'b, F> {
    fn new(sink: F, baseline: &'b [BaselineEntry]) -> Self {
        Self {
            sink,
            next: 0,
            waiting: BTreeMap::new(),
            summary: Summary::default(),
            baseline,
            occurrences: vec![0; baseline.len()],
        }
    }

    fn finished(&mut self, index: usize, result: Arc<ScenarioResult>) {
        self.waiting.insert(index, result);
        while let Some(result) = self.waiting.remove(&self.next) {
            self.hand_on(result);
        }
    }

    /// Every scenario not handed on yet, in order: the finished ones, and for those running or
    /// not started (`queue`), a result saying why they did not finish.
    fn finish_with(&mut self, mut queue: Queue, kind: ErrorKind, reason: &str) {
        let mut finished = std::mem::take(&mut self.waiting);
        loop {
            let index = self.next;
            let result = if let Some(result) = finished.remove(&index) {
                result
            } else if let Some(scenario) = queue.in_flight.remove(&index) {
                Arc::new(not_run(&scenario, kind, reason))
            } else if let Some((_, scenario)) = queue.upcoming.next() {
                Arc::new(not_run(&scenario, kind, reason))
            } else {
                break;
            };
            self.hand_on(result);
        }
    }

    fn hand_on(&mut self, result: Arc<ScenarioResult>) {
        self.next += 1;
        count(&mut self.summary, &result);
        for (entry, seen) in self.baseline.iter().zip(&mut self.occurrences) {
            *seen += deviations(entry, &result);
        }
        (self.sink)(result);
    }

    fn into_tally(self) -> (Summary, Vec<BaselineOutcome>) {
        let baseline = self
            .baseline
            .iter()
            .zip(self.occurrences)
            .map(|(b, occurrences)| BaselineOutcome {
                scenario: b.scenario.clone(),
                rule: b.rule.clone(),
                comment: b.comment.clone(),
                occurrences,
            })
            .collect();
        (self.summary, baseline)
    }
}

/// What every scenario of a run shares.
pub(super) struct Shared {
    client: reqwest::Client,
    /// How the run's clients are built (each scenario's browser client among them).
    transport: client::Transport,
    /// The clients presenting a TLS certificate, and the server's mutual-TLS endpoints.
    identities: identities::Identities,
    renderer: Renderer,
    base: serde_json::Map<String, serde_json::Value>,
    redactor: Redactor,
    target: RunTarget,
    snapshots: SnapshotSession,
    /// The discovery document and key set fetched before the first scenario.
    metadata: Option<Arc<serde_json::Value>>,
    jwks: Option<Arc<serde_json::Value>>,
    /// The endpoint probes' answers, each URL probed once per run.
    probes: Arc<probe::ProbeCache>,
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

/// How many checks of `scenario` are deviations that `entry` of the baseline covers.
fn deviations(entry: &BaselineEntry, scenario: &ScenarioResult) -> usize {
    scenario
        .steps
        .iter()
        .flat_map(|st| &st.checks)
        .filter(|c| {
            c.verdict == Verdict::Deviation
                && c.rule
                    .as_ref()
                    .is_some_and(|r| entry.covers(&scenario.name, &r.id))
        })
        .count()
}

fn count(summary: &mut Summary, scenario: &ScenarioResult) {
    summary.scenarios.add(scenario.verdict);
    for st in &scenario.steps {
        summary.steps.add(st.verdict);
        for c in &st.checks {
            summary.checks.add(c.verdict);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Counts;

    fn finished(name: &str, verdict: Verdict) -> Arc<ScenarioResult> {
        let location = crate::diag::Location::new("s.yaml".into(), 1, 1);
        Arc::new(ScenarioResult {
            name: name.into(),
            file: "s.yaml".into(),
            location: location.clone(),
            doc: None,
            tags: Vec::new(),
            verdict,
            duration_ms: 0.0,
            steps: Vec::new(),
        })
    }

    #[test]
    fn results_are_handed_on_in_the_suite_order_and_counted() {
        let mut order = Vec::new();
        let (summary, _) = {
            let mut results =
                InOrder::new(|r: Arc<ScenarioResult>| order.push(r.name.clone()), &[]);
            results.finished(2, finished("c", Verdict::Failed));
            results.finished(0, finished("a", Verdict::Passed));
            assert_eq!(results.waiting.len(), 1, "c waits for b");
            results.finished(1, finished("b", Verdict::Error));
            assert!(results.waiting.is_empty());
            results.into_tally()
        };
        assert_eq!(order, ["a", "b", "c"]);
        let s = summary.scenarios;
        assert_eq!((s.total, s.passed, s.errored, s.failed), (3, 1, 1, 1));
    }

    #[test]
    fn counts_add_up() {
        let mut c = Counts::default();
        c.add(Verdict::Passed);
        c.add(Verdict::Error);
        assert_eq!((c.total, c.passed, c.errored), (2, 1, 1));
    }
}
