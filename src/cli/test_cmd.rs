use std::future::Future;

use tokio::sync::mpsc;

use super::Exit;
use super::args::TestArgs;
use super::session::Session;
use super::setup::{Prepared, Suite, prepare_run, print_diagnostics};
use crate::outcome::RunStart;
use crate::report::ReportStream;
use crate::report::console::{Console, Verbosity};
use crate::runner::{RunOptions, run_streaming};
use crate::snapshot::{SnapshotSession, UpdateMode, running_in_ci};

pub(super) fn test(args: TestArgs) -> Exit {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("grantspec: cannot start the async runtime: {e}");
            return Exit::Internal;
        }
    };
    if args.watch {
        return runtime.block_on(super::watch::watch(&args));
    }
    let prepared = match prepare_run(&args.selection) {
        Ok(p) => p,
        Err(d) => {
            print_diagnostics(&d);
            return Exit::InvalidInput;
        }
    };
    runtime.block_on(run_once(&args, prepared, None, interrupted()))
}

/// One run: the prepared scenarios (only those of `files`, if given, and those `--filter`
/// keeps) against a fresh session, then the reports. Ends early when `interrupt` completes.
pub(super) async fn run_once(
    args: &TestArgs,
    prepared: Prepared<Suite>,
    files: Option<&[String]>,
    interrupt: impl Future<Output = String>,
) -> Exit {
    let env = prepared.environment;
    let fixtures = prepared.fixtures;
    let mut scenarios = prepared.scenarios;
    if let Some(pattern) = &args.filter {
        let p = pattern.to_lowercase();
        scenarios.retain(|name, file| {
            name.to_lowercase().contains(&p) || file.to_lowercase().contains(&p)
        });
    }
    if let Some(shard) = args.shard {
        scenarios = scenarios.shard(shard);
    }
    if let Some(files) = files {
        scenarios.retain(|_, file| files.iter().any(|f| f == file));
    }
    let jobs = args
        .jobs
        .or(env.concurrency)
        .unwrap_or_else(default_jobs)
        .max(1);
    let session = match Session::start(
        &env,
        &fixtures,
        &args.selection.fixture_files,
        args.ephemeral_fixtures,
    )
    .await
    {
        Ok(session) => session,
        Err(exit) => return exit,
    };

    let verbosity = if args.quiet {
        Verbosity::Quiet
    } else if args.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    // The reports are written as scenarios finish, so the run keeps none of them.
    let start = RunStart::now(
        &session.target.environment,
        session.target.issuer.as_deref(),
    );
    let reports = match ReportStream::create(&args.report_dir, &start) {
        Ok(reports) => reports,
        Err(e) => {
            eprintln!("grantspec: {e}");
            session.end().await;
            return Exit::Internal;
        }
    };
    let mut console = Console::new(args.color, verbosity);
    let (tx, mut rx) = mpsc::unbounded_channel();
    let printer = tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            console.event(&event);
        }
        console
    });
    let options = RunOptions {
        jobs,
        snapshots: snapshot_session(args, &env.name),
    };
    let target = session.target.clone();
    let feed = scenarios.into_feed();
    let result = run_streaming(&start, feed, target, options, tx, interrupt, |s| {
        reports.add(s);
    })
    .await;
    let console = printer
        .await
        .unwrap_or_else(|_| Console::new(args.color, verbosity));
    session.end().await;

    let report_dir = args.report_dir.display().to_string();
    if let Err(e) = reports.finish(&result) {
        console.summary(&result, &report_dir);
        eprintln!("grantspec: {e}");
        return Exit::Internal;
    }
    console.summary(&result, &report_dir);
    Exit::from(result.status)
}

/// The run's snapshots; in CI an asked-for update is refused, and said so.
fn snapshot_session(args: &TestArgs, environment: &str) -> SnapshotSession {
    let ci = running_in_ci();
    if ci && args.update_snapshots != UpdateMode::No {
        eprintln!(
            "grantspec: CI is set: --update-snapshots={} is ignored, no snapshot is written",
            args.update_snapshots.as_str()
        );
    }
    SnapshotSession::new(
        args.snapshot_dir.clone(),
        environment,
        args.update_snapshots,
        ci,
    )
}

fn default_jobs() -> usize {
    4 * std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

/// Completes with the signal's name on SIGINT or SIGTERM.
pub(super) async fn interrupted() -> String {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                () = ctrl_c => "SIGINT".into(),
                _ = term.recv() => "SIGTERM".into(),
            },
            Err(_) => {
                ctrl_c.await;
                "SIGINT".into()
            }
        }
    }
    #[cfg(not(unix))]
    {
        ctrl_c.await;
        "SIGINT".into()
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]
mod tests {
    use std::sync::{Arc, Weak};

    use super::*;
    use crate::cli::FixtureFiles;
    use crate::diag::SourceFile;
    use crate::environment::Environment;
    use crate::outcome::ScenarioResult;
    use crate::provision::Fixtures;
    use crate::resolve::{Scope, resolve_source};

    /// The run hands each result on and keeps none: once the reports (here, the sink) are done
    /// with a scenario, nothing holds it, however long the suite. A runner that collected the
    /// results until the end would keep them all alive.
    #[test]
    fn a_finished_scenario_is_not_kept() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let state = tempfile::tempdir().unwrap();
        let files = FixtureFiles {
            fixtures: state.path().join("none.yaml"),
            state_dir: state.path().to_path_buf(),
        };
        let env = Environment::embedded();
        let session = runtime
            .block_on(Session::start(&env, &Fixtures::default(), &files, false))
            .unwrap_or_else(|_| panic!("the embedded sandbox did not start"));
        let scenarios: Vec<_> = (0..300)
            .map(|i| {
                let text = format!(
                    "name: s{i}\nsteps:\n  - name: discovery\n    http:\n      url: \
                     \"{{{{ issuer }}}}/.well-known/openid-configuration\"\n    expect:\n      \
                     status: 200\n"
                );
                let source = SourceFile::new(format!("s{i}.yaml"), text);
                resolve_source(&source, &Scope::default()).unwrap()
            })
            .collect();
        let (events, receiver) = mpsc::unbounded_channel();
        drop(receiver);
        let start = RunStart::now("sandbox", None);
        let options = RunOptions {
            jobs: 8,
            snapshots: SnapshotSession::new(state.path().into(), "sandbox", UpdateMode::No, true),
        };
        let mut handed_on: Vec<Weak<ScenarioResult>> = Vec::new();
        let mut most_alive = 0;
        let run = runtime.block_on(run_streaming(
            &start,
            scenarios.into(),
            session.target.clone(),
            options,
            events,
            std::future::pending(),
            |result| {
                handed_on.push(Arc::downgrade(&result));
                drop(result);
                let alive = handed_on.iter().filter(|r| r.strong_count() > 0).count();
                most_alive = most_alive.max(alive);
            },
        ));
        runtime.block_on(session.end());
        assert_eq!(run.summary.scenarios.passed, 300, "{:?}", run.errors);
        assert_eq!(handed_on.len(), 300);
        assert_eq!(most_alive, 0, "results outlived their hand-over");
    }
}
