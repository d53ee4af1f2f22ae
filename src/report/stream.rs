//! Reports written while the run goes: each scenario's part of each report is rendered as soon
//! as the scenario is done and appended to a spool file beside the report, so a run keeps no
//! scenario in memory; at the end, the parts that depend on the whole run (totals, the
//! conformance matrix, the filters) are written around the spooled parts, and each report is
//! renamed into place.
//!
//! [`ReportStream`] renders the three reports on three threads of their own, fed by channels,
//! so the run's tasks never wait for a report; [`Spooled`] is one report and its spool.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc;
use std::thread::JoinHandle;

use super::atomic_file::{temp_path, write_atomically};
use super::{ReportError, ReportPaths, html, json, junit};
use crate::outcome::{RunResult, RunStart, ScenarioResult};

/// A report whose scenario parts can be written one at a time.
pub(crate) trait Streamed: Send {
    /// Writes the part of `scenario`, the `index`-th of the suite, to `out`.
    fn scenario(
        &mut self,
        index: usize,
        scenario: &ScenarioResult,
        out: &mut dyn Write,
    ) -> std::io::Result<()>;

    /// Writes the whole report to `out`: what depends on `run` (whose `scenarios` are ignored),
    /// with `parts`, every scenario's part in order, copied in its place by [`write_around`].
    fn finish(
        &mut self,
        run: &RunResult,
        parts: &mut File,
        out: &mut BufWriter<File>,
        path: &Path,
    ) -> Result<(), ReportError>;
}

/// One report: its format, where it goes, and the spool of its scenario parts.
pub(crate) struct Spooled<F> {
    format: F,
    path: PathBuf,
    spool_path: PathBuf,
    spool: Option<BufWriter<File>>,
    next: usize,
}

impl<F: Streamed> Spooled<F> {
    pub(crate) fn create(format: F, path: PathBuf) -> Result<Self, ReportError> {
        let spool_path = temp_path(&path);
        let spool = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&spool_path)
            .map_err(|source| ReportError::Io {
                path: spool_path.clone(),
                source,
            })?;
        Ok(Self {
            format,
            path,
            spool_path,
            spool: Some(BufWriter::with_capacity(64 * 1024, spool)),
            next: 0,
        })
    }

    /// Appends the next scenario's part.
    pub(crate) fn add(&mut self, scenario: &ScenarioResult) -> Result<(), ReportError> {
        let Some(spool) = self.spool.as_mut() else {
            return Ok(());
        };
        self.format
            .scenario(self.next, scenario, spool)
            .map_err(|source| ReportError::Io {
                path: self.spool_path.clone(),
                source,
            })?;
        self.next += 1;
        Ok(())
    }

    /// Writes the report and removes the spool.
    pub(crate) fn finish(mut self, run: &RunResult) -> Result<(), ReportError> {
        let io_error = |source| ReportError::Io {
            path: self.spool_path.clone(),
            source,
        };
        let Some(spool) = self.spool.take() else {
            return Ok(());
        };
        let mut parts = spool.into_inner().map_err(|e| io_error(e.into_error()))?;
        parts.rewind().map_err(io_error)?;
        let format = &mut self.format;
        let path = &self.path;
        write_atomically(path, |out| format.finish(run, &mut parts, out, path))
    }
}

impl<F> Drop for Spooled<F> {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.spool_path);
    }
}

/// Writes the report being finished: `head`, every scenario part in order, then `tail`.
pub(crate) fn write_around(
    out: &mut BufWriter<File>,
    head: &[u8],
    parts: &mut File,
    tail: &[u8],
    path: &Path,
) -> Result<(), ReportError> {
    out.write_all(head)
        .and_then(|()| std::io::copy(parts, out))
        .and_then(|_| out.write_all(tail))
        .map_err(|source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// How many scenarios a report may fall behind the run: past that, [`ReportStream::add`] waits
/// for it, which holds the run back instead of letting finished results pile up in memory.
const BACKLOG: usize = 64;

/// A report's thread and how to reach it.
type Worker = (
    mpsc::SyncSender<Message>,
    JoinHandle<Result<(), ReportError>>,
);

enum Message {
    Scenario(Arc<ScenarioResult>),
    Finish(Arc<RunResult>),
}

/// The three reports of a run, written as it goes: [`ReportStream::add`] each scenario's
/// result in the order of the suite, then [`ReportStream::finish`] with the run.
pub struct ReportStream {
    paths: ReportPaths,
    workers: Vec<Worker>,
}

impl ReportStream {
    /// Creates `dir` if needed and starts the reports of a run.
    pub fn create(dir: &Path, start: &RunStart) -> Result<Self, ReportError> {
        let paths = ReportPaths::in_dir(dir)?;
        let workers = vec![
            worker(Spooled::create(
                junit::JunitReport::new(start),
                paths.junit.clone(),
            )?),
            worker(Spooled::create(
                html::HtmlReport::default(),
                paths.html.clone(),
            )?),
            worker(Spooled::create(
                json::JsonReport::default(),
                paths.json.clone(),
            )?),
        ];
        Ok(Self { paths, workers })
    }

    /// The next scenario of the suite, done. Waits while a report is [`BACKLOG`] scenarios
    /// behind.
    pub fn add(&self, scenario: Arc<ScenarioResult>) {
        for (sender, _) in &self.workers {
            // A worker that stopped on an error says so at `finish`.
            let _ = sender.send(Message::Scenario(scenario.clone()));
        }
    }

    /// Writes the three reports around the scenarios added; `run.scenarios` is ignored. Every
    /// report is attempted; the first error is returned.
    pub fn finish(self, run: &RunResult) -> Result<ReportPaths, ReportError> {
        let run = Arc::new(run.without_scenarios());
        let mut first_error = None;
        // Every report is told first, so the three finish side by side.
        let handles: Vec<_> = self
            .workers
            .into_iter()
            .map(|(sender, handle)| {
                let _ = sender.send(Message::Finish(run.clone()));
                handle
            })
            .collect();
        for handle in handles {
            let outcome = handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            if let Err(e) = outcome {
                first_error.get_or_insert(e);
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(self.paths),
        }
    }
}

/// A thread that renders one report from the messages it receives; stops at the first error,
/// and ends without writing the report if the stream is dropped unfinished.
fn worker<F: Streamed + 'static>(mut report: Spooled<F>) -> Worker {
    let (sender, receiver) = mpsc::sync_channel(BACKLOG);
    let handle = std::thread::spawn(move || {
        let mut failed = None;
        for message in receiver {
            match message {
                Message::Scenario(scenario) => {
                    if failed.is_none()
                        && let Err(e) = report.add(&scenario)
                    {
                        failed = Some(e);
                    }
                }
                Message::Finish(run) => {
                    return match failed {
                        Some(e) => Err(e),
                        None => report.finish(&run),
                    };
                }
            }
        }
        Ok(())
    });
    (sender, handle)
}
