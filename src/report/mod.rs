//! Turns a run's results into files (JUnit, HTML, JSON), written as the run goes or from a
//! finished [`RunResult`], and the console into live output. Reads only `outcome`; never calls
//! the runner.
//!
//! - `mod.rs`: [`write_all`], [`ReportPaths`], [`ReportError`]
//! - `stream.rs`: [`ReportStream`]: each scenario's part of each report spooled as it finishes
//! - `atomic_file.rs`: write-to-temp-then-rename
//! - `junit.rs`, `junit_xml.rs`: `junit.xml`, one suite per scenario, one case per step
//! - `plain_exchange.rs`: exchanges and captures as plain text for `<system-out>`
//! - `html.rs`: `index.html` (handlebars, strict mode, templates in `templates/`)
//! - `html_view.rs`: the view model the HTML template renders
//! - `snapshot_view.rs`: a step's snapshot and its diff, for the HTML template
//! - `matrix_view.rs`: the conformance matrix (rules × scenarios) of the HTML report
//! - `jwt_view.rs`: JWTs found in exchanges, decoded for the HTML report
//! - `flow_doc.rs`, `flow_docs.rs`: `grantspec docs`, a Markdown and HTML page per flow
//! - `console.rs`, `yaml_excerpt.rs`: live console output; the YAML lines around a failure
//! - `merge.rs`: the `results.json` of several shards joined into one run
//! - `json.rs`: `results.json`, the serialised run (schema in `docs/results-schema.json`)
//! - `sample.rs`, `schema_check.rs` (tests only): hand-built runs; a small JSON Schema checker

mod atomic_file;
pub mod console;
mod flow_doc;
mod flow_docs;
mod html;
mod html_section;
mod html_view;
mod json;
mod junit;
mod junit_xml;
mod jwt_view;
mod matrix_view;
pub mod merge;
mod plain_exchange;
#[cfg(test)]
mod sample;
#[cfg(test)]
mod schema_check;
mod snapshot_view;
mod stream;
mod yaml_excerpt;

use std::path::{Path, PathBuf};

pub use flow_docs::write_docs;
pub use stream::ReportStream;
use stream::{Spooled, Streamed};

use crate::outcome::{RunResult, RunStart, RunStatus};

/// Where [`write_all`] put each report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportPaths {
    pub junit: PathBuf,
    pub html: PathBuf,
    pub json: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot render the HTML report {}: {source}", path.display())]
    Html {
        path: PathBuf,
        source: Box<handlebars::RenderError>,
    },
    /// An embedded template does not compile: a bug in grantspec.
    #[error("the HTML report template is invalid: {message}")]
    Template { message: String },
    #[error("cannot write the JSON results {}: {source}", path.display())]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
}

impl ReportPaths {
    /// The reports' paths in `dir`, created if missing.
    fn in_dir(dir: &Path) -> Result<Self, ReportError> {
        std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Self {
            junit: dir.join("junit.xml"),
            html: dir.join("index.html"),
            json: dir.join("results.json"),
        })
    }
}

/// Writes `junit.xml`, `index.html` and `results.json` of a finished run into `dir` (created if
/// missing), side by side. Each file is written to a temporary file in `dir` and renamed into
/// place, so a reader never sees a half-written report. A run in progress writes them with a
/// [`ReportStream`] instead.
pub fn write_all(run: &RunResult, dir: &Path) -> Result<ReportPaths, ReportError> {
    let paths = ReportPaths::in_dir(dir)?;
    let start = RunStart::of(run);
    let (junit, html, json) = std::thread::scope(|s| {
        let junit = s.spawn(|| write_one(junit::JunitReport::new(&start), &paths.junit, run));
        let html = s.spawn(|| write_one(html::HtmlReport::default(), &paths.html, run));
        let json = write_one(json::JsonReport::default(), &paths.json, run);
        (joined(junit), joined(html), json)
    });
    junit?;
    html?;
    json?;
    Ok(paths)
}

/// One report of a finished run, through the same code as a report written as the run goes.
pub(crate) fn write_one<F: Streamed>(
    format: F,
    path: &Path,
    run: &RunResult,
) -> Result<(), ReportError> {
    let mut report = Spooled::create(format, path.to_path_buf())?;
    for scenario in &run.scenarios {
        report.add(scenario)?;
    }
    report.finish(run)
}

/// One report of `run` as text, written through a file as a run writes it.
#[cfg(test)]
pub(crate) fn render_one<F: Streamed>(format: F, run: &RunResult) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "grantspec-render-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let path = dir.join("report");
    let written = std::fs::create_dir_all(&dir)
        .map_err(|e| e.to_string())
        .and_then(|()| write_one(format, &path, run).map_err(|e| e.to_string()))
        .and_then(|()| std::fs::read_to_string(&path).map_err(|e| e.to_string()));
    let _ = std::fs::remove_dir_all(&dir);
    written.unwrap_or_else(|e| panic!("cannot render the report: {e}"))
}

fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The run status as every report spells it (the same as `results.json`).
pub(crate) fn status_name(status: RunStatus) -> &'static str {
    match status {
        RunStatus::Passed => "passed",
        RunStatus::Failed => "failed",
        RunStatus::Incomplete => "incomplete",
        RunStatus::Interrupted => "interrupted",
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn status_names_match_results_json() {
        for status in [
            RunStatus::Passed,
            RunStatus::Failed,
            RunStatus::Incomplete,
            RunStatus::Interrupted,
        ] {
            assert_eq!(serde_json::to_value(status).unwrap(), status_name(status));
        }
    }

    #[test]
    fn empty_run_writes_all_three_files() {
        let dir = scratch_dir("empty");
        let paths = write_all(&sample::empty_run(), &dir.join("reports")).unwrap();
        for path in [&paths.junit, &paths.html, &paths.json] {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(!text.is_empty(), "{} is empty", path.display());
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.join("reports"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|n| !["junit.xml", "index.html", "results.json"].contains(&n.to_str().unwrap()))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn rewriting_replaces_previous_reports() {
        let dir = scratch_dir("rewrite");
        write_all(&sample::mixed_run(), &dir).unwrap();
        let paths = write_all(&sample::empty_run(), &dir).unwrap();
        let json = std::fs::read_to_string(paths.json).unwrap();
        assert!(!json.contains("secret rotation"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn unwritable_directory_is_an_io_error() {
        let dir = scratch_dir("unwritable");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("not-a-dir");
        std::fs::write(&file, "x").unwrap();
        let err = write_all(&sample::empty_run(), &file.join("reports")).unwrap_err();
        assert!(matches!(err, ReportError::Io { .. }), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    fn scratch_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("grantspec-report-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }
}
