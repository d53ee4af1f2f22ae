//! The snapshots of one run: where they live, which environment, what may be written. Compares a
//! step's response with its accepted snapshot and, as `--update-snapshots` allows, writes the
//! pending or accepted file.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::contents::snapshot_contents;
use super::diff::unified_diff;
use super::files::{read, remove_if_present, write_file};
use super::snap_file::{SnapFile, SnapHeader};
use super::snapshot_path::SnapshotPath;
use super::{SnapshotError, SnapshotSpec, UpdateMode};
use crate::outcome::{CheckResult, SnapshotComparison, SnapshotRecord, Verdict};
use crate::runner::Redactor;

#[derive(Clone, Debug)]
pub struct SnapshotSession {
    root: PathBuf,
    environment: String,
    mode: UpdateMode,
    /// Whether the mode was lowered to `no` because the run is in CI.
    ci: bool,
}

/// One step's response, as the runner hands it over.
pub struct StepSnapshot<'a> {
    pub scenario: &'a str,
    /// The scenario file, as found (recorded as `source`/`input_file`).
    pub file: &'a str,
    pub step: &'a str,
    pub spec: &'a SnapshotSpec,
    pub body: &'a str,
    pub json: Option<&'a Value>,
    pub issuer: Option<&'a str>,
    /// The run's clients, `(name, client_id)`: their ids differ between environments and, when
    /// provisioned, between runs.
    pub clients: Vec<(String, String)>,
    pub redactor: &'a Redactor,
}

impl SnapshotSession {
    /// `mode` is what was asked; in CI it is lowered to [`UpdateMode::No`].
    pub fn new(root: PathBuf, environment: &str, mode: UpdateMode, ci: bool) -> Self {
        Self {
            root,
            environment: environment.to_string(),
            ci: ci && mode != UpdateMode::No,
            mode: mode.effective(ci),
        }
    }

    /// Compares the step's response with its accepted snapshot: one check, and the record the
    /// reports show. `Err` only when a file cannot be read or written.
    pub fn check(
        &self,
        input: &StepSnapshot<'_>,
    ) -> Result<(CheckResult, SnapshotRecord), SnapshotError> {
        let path = SnapshotPath::new(
            input
                .spec
                .per_environment
                .then_some(self.environment.as_str()),
            input.scenario,
            input.step,
            input.spec.name.as_deref(),
        );
        let accepted = path.accepted(&self.root);
        let pending = path.pending(&self.root);
        let source = input.file.trim_start_matches("./").replace('\\', "/");
        let new = SnapFile::new(
            SnapHeader {
                source: Some(source.clone()),
                description: Some(format!("{} › {}", input.scenario, input.step)),
                expression: Some("response body".into()),
                input_file: Some(source),
            },
            &snapshot_contents(
                input.body,
                input.json,
                input.spec,
                input.issuer,
                &input.clients,
                input.redactor,
            ),
        );
        let old = read(&accepted)?;
        let shown = accepted.display().to_string();
        let (comparison, diff) = match &old {
            Some(old) if old.contents == new.contents => (SnapshotComparison::Matched, None),
            Some(old) => (
                SnapshotComparison::Changed,
                Some(unified_diff(
                    &old.contents,
                    &new.contents,
                    &format!("{shown} (accepted)"),
                    "this run",
                )),
            ),
            None => (
                SnapshotComparison::New,
                Some(unified_diff(
                    "",
                    &new.contents,
                    "(no accepted snapshot)",
                    "this run",
                )),
            ),
        };
        let written = self.write(comparison, &new, &accepted, &pending)?;
        let check = self.check_result(comparison, &shown, written.as_deref(), input.spec);
        let record = SnapshotRecord {
            path: shown,
            comparison,
            written: written.map(|p| p.display().to_string()),
            diff: diff.map(|d| input.redactor.redact(&d)),
        };
        Ok((check, record))
    }

    /// Writes what the mode allows; returns the file written.
    fn write(
        &self,
        comparison: SnapshotComparison,
        new: &SnapFile,
        accepted: &Path,
        pending: &Path,
    ) -> Result<Option<PathBuf>, SnapshotError> {
        match (self.mode, comparison) {
            (UpdateMode::No, _) => Ok(None),
            (_, SnapshotComparison::Matched) => {
                remove_if_present(pending)?;
                Ok(None)
            }
            (UpdateMode::New, _) => {
                write_file(pending, &new.to_text())?;
                Ok(Some(pending.to_path_buf()))
            }
            (UpdateMode::Always, _) => {
                write_file(accepted, &new.to_text())?;
                remove_if_present(pending)?;
                Ok(Some(accepted.to_path_buf()))
            }
        }
    }

    fn check_result(
        &self,
        comparison: SnapshotComparison,
        shown: &str,
        written: Option<&Path>,
        spec: &SnapshotSpec,
    ) -> CheckResult {
        let ci = if self.ci {
            " (CI is set: snapshots are never written in CI; update them locally and commit them)"
        } else {
            ""
        };
        let (expected, actual, passed) = match (comparison, written, self.mode) {
            (SnapshotComparison::Matched, _, _) => {
                (shown.to_string(), "the same".to_string(), true)
            }
            (SnapshotComparison::Changed, Some(_), UpdateMode::Always) => (
                shown.to_string(),
                "a different response; the accepted snapshot was overwritten \
                 (--update-snapshots=always)"
                    .to_string(),
                true,
            ),
            (SnapshotComparison::Changed, Some(p), _) => (
                shown.to_string(),
                format!(
                    "a different response, written to {}: review it with `grantspec snapshots \
                     review`, or accept it with `grantspec snapshots accept`",
                    p.display()
                ),
                false,
            ),
            (SnapshotComparison::Changed, None, _) => (
                shown.to_string(),
                format!(
                    "a different response (diff below); if the change is expected, run \
                     `grantspec test --update-snapshots=new`, then `grantspec snapshots \
                     review`{ci}"
                ),
                false,
            ),
            (SnapshotComparison::New, Some(_), UpdateMode::Always) => (
                shown.to_string(),
                "no accepted snapshot; this response was written as the accepted snapshot \
                 (--update-snapshots=always)"
                    .to_string(),
                true,
            ),
            (SnapshotComparison::New, Some(p), _) => (
                shown.to_string(),
                format!(
                    "no accepted snapshot; this response was written to {}: accept it with \
                     `grantspec snapshots accept`",
                    p.display()
                ),
                false,
            ),
            (SnapshotComparison::New, None, _) => (
                shown.to_string(),
                format!(
                    "no accepted snapshot; run `grantspec test --update-snapshots=new` to write \
                     it as pending, then `grantspec snapshots accept`{ci}"
                ),
                false,
            ),
        };
        CheckResult {
            subject: "response body".into(),
            matcher: "snapshot".into(),
            expected,
            actual,
            verdict: if passed {
                Verdict::Passed
            } else {
                Verdict::Failed
            },
            location: spec.location.clone(),
            rule: None,
        }
    }
}
