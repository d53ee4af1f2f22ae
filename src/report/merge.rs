//! `grantspec report merge`: the `results.json` of several shards of one run (`test --shard
//! K/N`, one CI job each) read back and joined into one [`RunResult`], from which the usual
//! JUnit, HTML and JSON reports are written.
//!
//! The scenarios are ordered by file and name, so the merged reports do not depend on the
//! order of the shards; counts are recomputed from the scenarios; the run started when the
//! first shard started and lasted as long as the longest shard (shards run side by side);
//! baseline entries seen by several shards add their occurrences; run warnings are kept once.

use std::path::{Path, PathBuf};

use crate::outcome::{
    BaselineOutcome, RunResult, RunStatus, SCHEMA_VERSION, ScenarioResult, Summary,
};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("nothing to merge: give the results.json of each shard")]
    Empty,
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: not a grantspec results.json: {message}", path.display())]
    Json {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{}: results.json schema version {found}, this grantspec reads version {SCHEMA_VERSION}",
        path.display()
    )]
    SchemaVersion { path: PathBuf, found: u32 },
    #[error(
        "{}: a run against environment `{found}`, the others are against `{expected}`: merge \
         the shards of one environment at a time",
        path.display()
    )]
    Environment {
        path: PathBuf,
        found: String,
        expected: String,
    },
}

/// Reads one shard's `results.json`.
pub fn read_results(path: &Path) -> Result<RunResult, MergeError> {
    let text = std::fs::read_to_string(path).map_err(|source| MergeError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let version = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("schema_version")?.as_u64());
    if let Some(found) = version.filter(|v| *v != u64::from(SCHEMA_VERSION)) {
        return Err(MergeError::SchemaVersion {
            path: path.to_path_buf(),
            found: u32::try_from(found).unwrap_or(u32::MAX),
        });
    }
    serde_json::from_str(&text).map_err(|e| MergeError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Joins the shards' runs into one (see the module documentation).
pub fn merge(parts: Vec<(PathBuf, RunResult)>) -> Result<RunResult, MergeError> {
    let mut parts = parts.into_iter();
    let (_, mut merged) = parts.next().ok_or(MergeError::Empty)?;
    for (path, part) in parts {
        if part.environment != merged.environment {
            return Err(MergeError::Environment {
                path,
                found: part.environment,
                expected: merged.environment,
            });
        }
        if merged.issuer.is_none() {
            merged.issuer = part.issuer;
        }
        if part.started_at < merged.started_at {
            merged.started_at = part.started_at;
        }
        merged.duration_ms = merged.duration_ms.max(part.duration_ms);
        merged.status = worse(merged.status, part.status);
        merged.errors.extend(part.errors);
        for warning in part.warnings {
            if !merged.warnings.contains(&warning) {
                merged.warnings.push(warning);
            }
        }
        for entry in part.baseline {
            add_baseline(&mut merged.baseline, entry);
        }
        merged.scenarios.extend(part.scenarios);
    }
    merged
        .scenarios
        .sort_by(|a, b| (&a.file, &a.name).cmp(&(&b.file, &b.name)));
    merged.summary = summarise(&merged.scenarios);
    merged.status = worse(merged.status, status_of(&merged.summary));
    Ok(merged)
}

fn add_baseline(all: &mut Vec<BaselineOutcome>, entry: BaselineOutcome) {
    match all
        .iter_mut()
        .find(|b| b.scenario == entry.scenario && b.rule == entry.rule)
    {
        Some(known) => known.occurrences += entry.occurrences,
        None => all.push(entry),
    }
}

fn summarise(scenarios: &[ScenarioResult]) -> Summary {
    let mut summary = Summary::default();
    for scenario in scenarios {
        summary.scenarios.add(scenario.verdict);
        for step in &scenario.steps {
            summary.steps.add(step.verdict);
            for check in &step.checks {
                summary.checks.add(check.verdict);
            }
        }
    }
    summary
}

fn status_of(summary: &Summary) -> RunStatus {
    if summary.scenarios.errored > 0 {
        RunStatus::Incomplete
    } else if summary.scenarios.failed > 0 {
        RunStatus::Failed
    } else {
        RunStatus::Passed
    }
}

fn worse(a: RunStatus, b: RunStatus) -> RunStatus {
    let rank = |s: RunStatus| match s {
        RunStatus::Passed => 0,
        RunStatus::Failed => 1,
        RunStatus::Incomplete => 2,
        RunStatus::Interrupted => 3,
    };
    if rank(b) > rank(a) { b } else { a }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    fn shard(run: &RunResult, keep: usize) -> (PathBuf, RunResult) {
        let mut part = run.clone();
        part.scenarios = vec![run.scenarios[keep].clone()];
        part.summary = summarise(&part.scenarios);
        part.status = status_of(&part.summary);
        (format!("results-{keep}.json").into(), part)
    }

    #[test]
    fn merged_shards_count_like_the_whole_run() {
        let mut whole = sample::ruled_run();
        whole.warnings = vec!["TLS certificate checks are off".to_owned()];
        let merged = merge(vec![shard(&whole, 1), shard(&whole, 0)]).unwrap();
        assert_eq!(merged.warnings, whole.warnings, "kept once");
        assert_eq!(merged.summary.steps, whole.summary.steps);
        assert_eq!(merged.summary.checks, whole.summary.checks);
        assert_eq!(merged.status, RunStatus::Failed);
        let names: Vec<&str> = merged.scenarios.iter().map(|s| s.file.as_str()).collect();
        assert_eq!(
            names,
            ["scenarios/rotation.yaml", "scenarios/userinfo.yaml"]
        );
        assert_eq!(merged.baseline.len(), 1);
        assert_eq!(
            merged.baseline[0].occurrences, 2,
            "both shards saw the deviation"
        );
    }

    #[test]
    fn an_interrupted_shard_makes_the_merge_interrupted() {
        let mut part = sample::interrupted_run();
        part.status = RunStatus::Interrupted;
        let merged = merge(vec![
            ("a.json".into(), sample::mixed_run()),
            ("b.json".into(), part),
        ])
        .unwrap();
        assert_eq!(merged.status, RunStatus::Interrupted);
        assert_eq!(merged.errors.len(), 1);
    }

    #[test]
    fn shards_of_different_environments_do_not_merge() {
        let mut other = sample::mixed_run();
        other.environment = "staging".into();
        let err = merge(vec![
            ("a.json".into(), sample::mixed_run()),
            ("b.json".into(), other),
        ])
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "b.json: a run against environment `staging`, the others are against `sandbox`: \
             merge the shards of one environment at a time"
        );
        assert!(matches!(merge(Vec::new()), Err(MergeError::Empty)));
    }

    #[test]
    fn written_results_read_back_and_bad_files_are_located() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("results.json");
        std::fs::write(&good, serde_json::to_string(&sample::mixed_run()).unwrap()).unwrap();
        let back = read_results(&good).unwrap();
        assert_eq!(back.summary.steps, sample::mixed_run().summary.steps);
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\n  \"schema_version\": 1,\n  \"tool\": 3\n}").unwrap();
        let err = read_results(&bad).unwrap_err().to_string();
        assert!(err.contains("bad.json:3:"), "{err}");
        std::fs::write(&bad, "{\"schema_version\": 9}").unwrap();
        assert!(matches!(
            read_results(&bad),
            Err(MergeError::SchemaVersion { found: 9, .. })
        ));
    }
}
