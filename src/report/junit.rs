//! `junit.xml`: one `<testsuite>` per scenario and one `<testcase>` per step, named
//! `scenario › step`, for CI test reporters (Jenkins, GitLab, GitHub). Run-level errors and an
//! unfinished run become `<error>` cases in a suite named after the tool, so dashboards show
//! them.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use quick_junit::{
    NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite, XmlString,
};

use super::plain_exchange::PlainExchanges;
use super::stream::{Streamed, copy_parts};
use super::{ReportError, status_name};
use crate::outcome::{
    CheckResult, RunResult, RunStart, RunStatus, ScenarioResult, StepResult, Verdict,
};

/// Longest expected or actual value quoted in a one-line `message` attribute.
const MESSAGE_VALUE_CHARS: usize = 120;

/// `junit.xml` written as the run goes: each scenario's `<testsuite>` as it finishes, then the
/// `<testsuites>` root with the run's totals around them.
pub(crate) struct JunitReport {
    start: RunStart,
    /// The schema allows a timestamp on each suite, not on the root.
    started: Option<DateTime<FixedOffset>>,
    tests: usize,
    failures: usize,
    errors: usize,
}

impl JunitReport {
    pub(crate) fn new(start: &RunStart) -> Self {
        Self {
            start: start.clone(),
            started: DateTime::parse_from_rfc3339(&start.started_at).ok(),
            tests: 0,
            failures: 0,
            errors: 0,
        }
    }

    fn label(&self) -> String {
        format!("{} ({})", self.start.tool, self.start.environment)
    }
}

impl Streamed for JunitReport {
    fn scenario(
        &mut self,
        _index: usize,
        scenario: &ScenarioResult,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut suite = scenario_suite(&self.start, scenario);
        if let Some(started) = self.started {
            suite.set_timestamp(started);
        }
        self.tests += suite.tests;
        self.failures += suite.failures;
        self.errors += suite.errors;
        // quick-junit serialises whole reports only: the suite is cut out of a report of one.
        let mut one = Report::new("");
        one.add_test_suite(suite);
        let text = one.to_string().map_err(std::io::Error::other)?;
        let (_, inner, _) = split_root(&text)
            .ok_or_else(|| std::io::Error::other("quick-junit wrote no <testsuites> element"))?;
        out.write_all(inner.as_bytes())
    }

    fn finish(
        &mut self,
        run: &RunResult,
        parts: &mut File,
        out: &mut BufWriter<File>,
        path: &Path,
    ) -> Result<(), ReportError> {
        let label = self.label();
        let mut report = Report::new(xml(&label));
        report.set_time(seconds(run.duration_ms));
        if let Some(mut suite) = run_suite(run, &label) {
            if let Some(started) = self.started {
                suite.set_timestamp(started);
            }
            report.add_test_suite(suite);
        }
        report.tests += self.tests;
        report.failures += self.failures;
        report.errors += self.errors;
        let text = report.to_string().map_err(|source| ReportError::Junit {
            path: path.to_path_buf(),
            source,
        })?;
        let text = without_root_skipped(text);
        let (head, inner, tail) = split_root(&text).ok_or_else(|| ReportError::Template {
            message: "quick-junit wrote no <testsuites> element".into(),
        })?;
        let io_error = |source| ReportError::Io {
            path: path.to_path_buf(),
            source,
        };
        out.write_all(head.as_bytes()).map_err(io_error)?;
        out.write_all(inner.as_bytes()).map_err(io_error)?;
        copy_parts(parts, out, path)?;
        out.write_all(tail.as_bytes()).map_err(io_error)
    }
}

/// A serialised report cut around its suites: up to the end of the `<testsuites>` start tag's
/// line, the suites, and from `</testsuites>` on.
fn split_root(text: &str) -> Option<(&str, &str, &str)> {
    let root = text.find("<testsuites")?;
    // Attribute values are escaped: the first `>` closes the start tag.
    let open_end = root + text[root..].find('>')? + 1;
    let inner_start = if text[open_end..].starts_with('\n') {
        open_end + 1
    } else {
        open_end
    };
    let close = text.rfind("</testsuites>")?;
    if close < inner_start {
        // `<testsuites ...></testsuites>` on one line: nothing inside.
        return Some((&text[..open_end], "", &text[open_end..]));
    }
    Some((
        &text[..inner_start],
        &text[inner_start..close],
        &text[close..],
    ))
}

/// The report as XML valid against the Jenkins xUnit `junit-10.xsd`: quick-junit always writes
/// a `skipped` count on `<testsuites>`, which that schema does not allow there (each
/// `<testsuite>` keeps its own), so it is taken off the root element.
fn without_root_skipped(mut text: String) -> String {
    if let Some(root) = text.find("<testsuites ")
        && let Some(end) = text[root..].find('>').map(|e| root + e)
        && let Some(attr) = text[root..end].find(" skipped=\"").map(|a| root + a)
        && let Some(close) = text[attr + 10..end].find('"').map(|c| attr + 10 + c)
    {
        // Attribute values are escaped, so `skipped="` can only start the attribute itself.
        text.replace_range(attr..=close, "");
    }
    text
}

/// The cases for problems that belong to no step, or `None` when the run completed cleanly.
fn run_suite(run: &RunResult, label: &str) -> Option<TestSuite> {
    let unfinished = matches!(run.status, RunStatus::Incomplete | RunStatus::Interrupted);
    if run.errors.is_empty() && !unfinished {
        return None;
    }
    let mut suite = TestSuite::new(xml(label));
    add_run_properties(&mut suite, &RunStart::of(run));
    suite.add_property(Property::new("run_status", status_name(run.status)));
    let numbered = run.errors.len() > 1;
    for (i, error) in run.errors.iter().enumerate() {
        let kind = error.kind.as_str();
        let mut name = format!("{} › {kind}", run.tool);
        if numbered {
            let _ = write!(name, " ({} of {})", i + 1, run.errors.len());
        }
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status
            .set_type(kind)
            .set_message(xml(&one_line(&error.message, usize::MAX)))
            .set_description(xml(&error.message));
        suite.add_test_case(case(name, &run.tool, status));
    }
    if run.errors.is_empty() {
        let message = match run.status {
            RunStatus::Interrupted => "the run was interrupted before the end".to_owned(),
            _ => format!(
                "the run did not complete: {} of {} steps could not be carried out",
                run.summary.steps.errored, run.summary.steps.total
            ),
        };
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status
            .set_type(status_name(run.status))
            .set_message(message);
        let name = format!("{} › {}", run.tool, status_name(run.status));
        suite.add_test_case(case(name, &run.tool, status));
    }
    Some(suite)
}

fn scenario_suite(start: &RunStart, scenario: &ScenarioResult) -> TestSuite {
    let mut suite = TestSuite::new(xml(&format!("{} ({})", scenario.name, start.environment)));
    suite.set_time(seconds(scenario.duration_ms));
    add_run_properties(&mut suite, start);
    suite.add_property(Property::new("file", xml(&scenario.file)));
    suite.add_property(Property::new(
        "location",
        xml(&scenario.location.to_string()),
    ));
    if !scenario.tags.is_empty() {
        suite.add_property(Property::new("tags", xml(&scenario.tags.join(","))));
    }
    let classname = classname(&scenario.file);
    for step in &scenario.steps {
        suite.add_test_case(step_case(scenario, step, &classname));
    }
    if scenario.steps.is_empty() && scenario.verdict != Verdict::Passed {
        let reason = format!(
            "scenario {} without any step result",
            scenario.verdict.as_str()
        );
        let status = match scenario.verdict {
            Verdict::Skipped => skipped(&reason),
            Verdict::Failed => non_success(NonSuccessKind::Failure, "scenario", &reason),
            Verdict::Error
            | Verdict::Passed
            | Verdict::Warned
            | Verdict::Info
            | Verdict::Deviation => non_success(NonSuccessKind::Error, "scenario", &reason),
        };
        suite.add_test_case(case(scenario.name.clone(), &classname, status));
    }
    suite
}

fn add_run_properties(suite: &mut TestSuite, start: &RunStart) {
    suite.add_property(Property::new("environment", xml(&start.environment)));
    if let Some(issuer) = &start.issuer {
        suite.add_property(Property::new("issuer", xml(issuer)));
    }
}

fn step_case(scenario: &ScenarioResult, step: &StepResult, classname: &str) -> TestCase {
    let status = match step.verdict {
        Verdict::Passed | Verdict::Warned | Verdict::Info | Verdict::Deviation => {
            TestCaseStatus::success()
        }
        Verdict::Failed => failure(step),
        Verdict::Error => error(step),
        Verdict::Skipped => skipped(step.skip_reason.as_deref().unwrap_or("skipped")),
    };
    let mut case = case(
        format!("{} › {}", scenario.name, step.name),
        classname,
        status,
    );
    case.set_time(seconds(step.duration_ms));
    let mut out = notes(step);
    if !step.exchanges.is_empty() || !step.captures.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = write!(out, "{}", PlainExchanges(step));
    }
    if !out.is_empty() {
        case.set_system_out(xml(&out));
    }
    case
}

/// The checks that did not hold without failing the step (warnings of `should` rules, `info`
/// notes, known deviations of the baseline), one per line, so a dashboard shows them on a
/// passing case; then how many checks the step made.
fn notes(step: &StepResult) -> String {
    let mut out = String::new();
    let noted = step.checks.iter().filter(|c| {
        matches!(
            c.verdict,
            Verdict::Warned | Verdict::Info | Verdict::Deviation
        )
    });
    for check in noted {
        let _ = writeln!(
            out,
            "{}: {}{} {}: expected {}, got {} ({})",
            check.verdict.as_str(),
            rule_prefix(check),
            check.subject,
            check.matcher,
            one_line(&check.expected, MESSAGE_VALUE_CHARS),
            one_line(&check.actual, MESSAGE_VALUE_CHARS),
            check.location
        );
    }
    if !step.checks.is_empty() {
        let _ = writeln!(out, "{} check(s) evaluated", step.checks.len());
    }
    out
}

fn case(name: String, classname: &str, status: TestCaseStatus) -> TestCase {
    let mut case = TestCase::new(xml(&name), status);
    case.set_classname(xml(classname));
    case
}

/// `<failure>`: the message names the first failed check, the text lists all of them.
/// `[A-03 must, RFC 6749 §5.1] ` before a message about a rule's check.
fn rule_prefix(check: &CheckResult) -> String {
    check
        .rule
        .as_ref()
        .map(|r| format!("[{} {}, {}] ", r.id, r.severity, r.clause))
        .unwrap_or_default()
}

fn failure(step: &StepResult) -> TestCaseStatus {
    let failed: Vec<&CheckResult> = step
        .checks
        .iter()
        .filter(|c| c.verdict == Verdict::Failed)
        .collect();
    let mut message = match failed.first() {
        Some(first) => format!(
            "{}{} {}: expected {}, got {} ({})",
            rule_prefix(first),
            first.subject,
            first.matcher,
            one_line(&first.expected, MESSAGE_VALUE_CHARS),
            one_line(&first.actual, MESSAGE_VALUE_CHARS),
            first.location
        ),
        None => "the step failed".to_owned(),
    };
    if failed.len() > 1 {
        let _ = write!(message, " (and {} more)", failed.len() - 1);
    }
    let mut text = format!(
        "{} failed check(s) in step \"{}\" at {}\n",
        failed.len(),
        step.name,
        step.location
    );
    for check in &failed {
        let _ = write!(
            text,
            "\n{} {}\n  expected: {}\n  actual:   {}\n  at {}\n",
            check.subject, check.matcher, check.expected, check.actual, check.location
        );
        if let Some(rule) = &check.rule {
            let _ = write!(
                text,
                "  rule {} ({}): {}\n  clause: {} <{}>\n",
                rule.id, rule.severity, rule.title, rule.clause, rule.url
            );
        }
        if check.matcher == "snapshot"
            && let Some(diff) = step.snapshot.as_ref().and_then(|s| s.diff.as_deref())
        {
            let _ = write!(text, "\n{diff}");
        }
    }
    if let Some(error) = &step.error {
        let _ = write!(
            text,
            "\nerror ({}): {}\n",
            error.kind.as_str(),
            error.message
        );
    }
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_type("check")
        .set_message(xml(&message))
        .set_description(xml(&text));
    status
}

/// `<error>`: the step could not be carried out; typed by the error kind.
fn error(step: &StepResult) -> TestCaseStatus {
    match &step.error {
        Some(error) => {
            let mut status = non_success(
                NonSuccessKind::Error,
                error.kind.as_str(),
                &format!(
                    "{}: {}",
                    error.kind.as_str(),
                    one_line(&error.message, usize::MAX)
                ),
            );
            status.set_description(xml(&format!("{}\nat {}", error.message, step.location)));
            status
        }
        None => non_success(
            NonSuccessKind::Error,
            "error",
            "the step could not be carried out",
        ),
    }
}

fn non_success(kind: NonSuccessKind, ty: &str, message: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    status.set_type(xml(ty)).set_message(xml(message));
    status
}

fn skipped(reason: &str) -> TestCaseStatus {
    let mut status = TestCaseStatus::skipped();
    status.set_message(xml(reason));
    status
}

/// `scenarios/app_credentials.yaml` → `scenarios.app_credentials`.
fn classname(file: &str) -> String {
    let file = file.replace('\\', "/");
    let stem = match file.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') && !stem.ends_with('/') && !stem.is_empty() => stem,
        _ => &file,
    };
    let parts: Vec<&str> = stem
        .split('/')
        .filter(|p| !matches!(*p, "" | "." | ".."))
        .collect();
    if parts.is_empty() {
        file.clone()
    } else {
        parts.join(".")
    }
}

fn seconds(ms: f64) -> Duration {
    Duration::try_from_secs_f64(ms / 1000.0).unwrap_or_default()
}

/// Newlines folded to spaces and the text cut at `max` characters, for attributes.
fn one_line(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// An XML-safe string: quick-junit drops control characters; the two noncharacters XML 1.0
/// forbids are replaced here.
fn xml(text: &str) -> XmlString {
    if text.contains(['\u{FFFE}', '\u{FFFF}']) {
        XmlString::new(text.replace(['\u{FFFE}', '\u{FFFF}'], "\u{FFFD}"))
    } else {
        XmlString::new(text)
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]
mod tests;
