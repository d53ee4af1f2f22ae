//! A failed trial's message: every failed check and step error of its scenario, each with the
//! YAML location it comes from, as `grantspec test` prints them (without colour).

use std::fmt::Write as _;

use crate::outcome::{RunResult, Verdict};

/// What went wrong in `run` (one scenario), one problem per paragraph.
pub(super) fn describe(run: &RunResult) -> String {
    let mut out = String::new();
    for e in &run.errors {
        let _ = writeln!(out, "error: {}", e.message);
    }
    for s in &run.scenarios {
        for step in &s.steps {
            if let Some(e) = &step.error {
                let _ = writeln!(
                    out,
                    "error: {} › {}\n    {} ({})\n    --> {}",
                    s.name,
                    step.name,
                    e.message,
                    e.kind.as_str(),
                    step.location
                );
            }
            for c in step.checks.iter().filter(|c| c.verdict == Verdict::Failed) {
                let _ = writeln!(
                    out,
                    "failed: {} › {}\n    {} {}: expected {}, got {}\n    --> {}",
                    s.name, step.name, c.subject, c.matcher, c.expected, c.actual, c.location
                );
                if c.matcher == "snapshot"
                    && let Some(diff) = step.snapshot.as_ref().and_then(|r| r.diff.as_deref())
                {
                    for line in diff.lines() {
                        let _ = writeln!(out, "      {line}");
                    }
                }
            }
        }
    }
    if out.is_empty() {
        let _ = writeln!(out, "the scenario did not pass ({:?})", run.status);
    }
    out
}
