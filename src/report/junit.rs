//! `junit.xml`: one `<testsuite>` per scenario and one `<testcase>` per step, named
//! `scenario › step`, for CI test reporters (Jenkins, GitLab, GitHub). Run-level errors and an
//! unfinished run become `<error>` cases in a suite named after the tool, so dashboards show
//! them. Valid against the Jenkins xUnit `junit-10.xsd` (`tests/data/junit-10.xsd`).
//!
//! Written as the run goes: each scenario's `<testsuite>` when the scenario is done, then the
//! `<testsuites>` root with the run's totals around them. The XML is written directly
//! ([`XmlWriter`]) in the layout quick-junit used before: quick-junit serialises whole reports
//! only, and its escaping (an ANSI-escape parser over every string) took more than half the
//! JUnit report's time (see `bench/RESULTS.md`).

use std::fmt::Write as _;
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use super::junit_xml::XmlWriter;
use super::plain_exchange::PlainExchanges;
use super::stream::{Streamed, write_around};
use super::{ReportError, status_name};
use crate::outcome::{
    CheckResult, RunResult, RunStart, RunStatus, ScenarioResult, StepResult, Verdict,
};

/// Longest expected or actual value quoted in a one-line `message` attribute.
const MESSAGE_VALUE_CHARS: usize = 120;

pub(crate) struct JunitReport {
    start: RunStart,
    /// The schema allows a timestamp on each suite, not on the root: the run's start, as
    /// `2026-11-22T18:00:00.000+00:00`.
    timestamp: Option<String>,
    totals: Totals,
    xml: XmlWriter,
}

/// Cases of a suite or of the whole report, by outcome.
#[derive(Clone, Copy, Default)]
struct Totals {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Totals {
    fn add(&mut self, other: Totals) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }
}

impl JunitReport {
    pub(crate) fn new(start: &RunStart) -> Self {
        Self {
            start: start.clone(),
            timestamp: DateTime::parse_from_rfc3339(&start.started_at)
                .ok()
                .map(|t: DateTime<FixedOffset>| t.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()),
            totals: Totals::default(),
            xml: XmlWriter::default(),
        }
    }
}

impl Streamed for JunitReport {
    fn scenario(
        &mut self,
        _index: usize,
        scenario: &ScenarioResult,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let suite = scenario_suite(&self.start, scenario);
        self.totals.add(suite.totals());
        self.xml.clear();
        suite.write(&mut self.xml, self.timestamp.as_deref());
        out.write_all(self.xml.as_bytes())
    }

    fn finish(
        &mut self,
        run: &RunResult,
        parts: &mut File,
        out: &mut BufWriter<File>,
        path: &Path,
    ) -> Result<(), ReportError> {
        let label = format!("{} ({})", self.start.tool, self.start.environment);
        let mut totals = self.totals;
        let mut xml = XmlWriter::default();
        xml.declaration();
        let run_suite = run_suite(run, &label);
        if let Some(suite) = &run_suite {
            totals.add(suite.totals());
        }
        // No `skipped` on the root: the schema allows it on each suite only.
        xml.start(
            0,
            "testsuites",
            &[
                ("name", &label),
                ("tests", &totals.tests.to_string()),
                ("failures", &totals.failures.to_string()),
                ("errors", &totals.errors.to_string()),
                ("time", &format_seconds(seconds(run.duration_ms))),
            ],
        );
        if let Some(suite) = &run_suite {
            suite.write(&mut xml, self.timestamp.as_deref());
        }
        write_around(out, xml.as_bytes(), parts, b"</testsuites>\n", path)
    }
}

/// A `<testsuite>` before it is written.
struct Suite {
    name: String,
    time: Option<Duration>,
    properties: Vec<(&'static str, String)>,
    cases: Vec<Case>,
}

struct Case {
    name: String,
    classname: String,
    time: Option<Duration>,
    status: Status,
    system_out: Option<String>,
}

enum Status {
    Success,
    /// `<failure>` or `<error>`: the element, its `type`, `message` and text.
    NonSuccess {
        element: &'static str,
        ty: String,
        message: String,
        text: Option<String>,
    },
    Skipped {
        message: String,
    },
}

impl Suite {
    fn totals(&self) -> Totals {
        let mut t = Totals {
            tests: self.cases.len(),
            ..Totals::default()
        };
        for case in &self.cases {
            match &case.status {
                Status::NonSuccess {
                    element: "failure", ..
                } => t.failures += 1,
                Status::NonSuccess { .. } => t.errors += 1,
                Status::Skipped { .. } => t.skipped += 1,
                Status::Success => {}
            }
        }
        t
    }

    fn write(&self, xml: &mut XmlWriter, timestamp: Option<&str>) {
        let t = self.totals();
        let (tests, skipped, errors, failures) = (
            t.tests.to_string(),
            t.skipped.to_string(),
            t.errors.to_string(),
            t.failures.to_string(),
        );
        let time = self.time.map(format_seconds);
        let mut attributes = vec![
            ("name", self.name.as_str()),
            ("tests", &tests),
            ("skipped", &skipped),
            ("errors", &errors),
            ("failures", &failures),
        ];
        if let Some(timestamp) = timestamp {
            attributes.push(("timestamp", timestamp));
        }
        if let Some(time) = &time {
            attributes.push(("time", time));
        }
        if self.properties.is_empty() && self.cases.is_empty() {
            xml.empty(1, "testsuite", &attributes);
            return;
        }
        xml.start(1, "testsuite", &attributes);
        if !self.properties.is_empty() {
            xml.start(2, "properties", &[]);
            for (name, value) in &self.properties {
                xml.empty(3, "property", &[("name", name), ("value", value)]);
            }
            xml.end(2, "properties");
        }
        for case in &self.cases {
            case.write(xml);
        }
        xml.end(1, "testsuite");
    }
}

impl Case {
    fn write(&self, xml: &mut XmlWriter) {
        let time = self.time.map(format_seconds);
        let mut attributes = vec![
            ("name", self.name.as_str()),
            ("classname", self.classname.as_str()),
        ];
        if let Some(time) = &time {
            attributes.push(("time", time));
        }
        if matches!(self.status, Status::Success) && self.system_out.is_none() {
            xml.empty(2, "testcase", &attributes);
            return;
        }
        xml.start(2, "testcase", &attributes);
        match &self.status {
            Status::Success => {}
            Status::NonSuccess {
                element,
                ty,
                message,
                text,
            } => {
                let attributes = [("message", message.as_str()), ("type", ty.as_str())];
                match text {
                    Some(text) => xml.text_element(3, element, &attributes, text),
                    None => xml.empty(3, element, &attributes),
                }
            }
            Status::Skipped { message } => xml.empty(3, "skipped", &[("message", message)]),
        }
        if let Some(out) = &self.system_out {
            xml.text_element(3, "system-out", &[], out);
        }
        xml.end(2, "testcase");
    }
}

/// The cases for problems that belong to no step, or `None` when the run completed cleanly.
fn run_suite(run: &RunResult, label: &str) -> Option<Suite> {
    let unfinished = matches!(run.status, RunStatus::Incomplete | RunStatus::Interrupted);
    if run.errors.is_empty() && !unfinished {
        return None;
    }
    let mut properties = run_properties(&RunStart::of(run));
    properties.push(("run_status", status_name(run.status).to_owned()));
    let mut cases = Vec::new();
    let numbered = run.errors.len() > 1;
    for (i, error) in run.errors.iter().enumerate() {
        let kind = error.kind.as_str();
        let mut name = format!("{} › {kind}", run.tool);
        if numbered {
            let _ = write!(name, " ({} of {})", i + 1, run.errors.len());
        }
        let status = Status::NonSuccess {
            element: "error",
            ty: kind.to_owned(),
            message: one_line(&error.message, usize::MAX),
            text: Some(error.message.clone()),
        };
        cases.push(case(name, &run.tool, status));
    }
    if run.errors.is_empty() {
        let message = match run.status {
            RunStatus::Interrupted => "the run was interrupted before the end".to_owned(),
            _ => format!(
                "the run did not complete: {} of {} steps could not be carried out",
                run.summary.steps.errored, run.summary.steps.total
            ),
        };
        let status = Status::NonSuccess {
            element: "error",
            ty: status_name(run.status).to_owned(),
            message,
            text: None,
        };
        let name = format!("{} › {}", run.tool, status_name(run.status));
        cases.push(case(name, &run.tool, status));
    }
    Some(Suite {
        name: label.to_owned(),
        time: None,
        properties,
        cases,
    })
}

fn scenario_suite(start: &RunStart, scenario: &ScenarioResult) -> Suite {
    let mut properties = run_properties(start);
    properties.push(("file", scenario.file.clone()));
    properties.push(("location", scenario.location.to_string()));
    if !scenario.tags.is_empty() {
        properties.push(("tags", scenario.tags.join(",")));
    }
    let classname = classname(&scenario.file);
    let mut cases: Vec<Case> = scenario
        .steps
        .iter()
        .map(|step| step_case(scenario, step, &classname))
        .collect();
    if scenario.steps.is_empty() && scenario.verdict != Verdict::Passed {
        let reason = format!(
            "scenario {} without any step result",
            scenario.verdict.as_str()
        );
        let status = match scenario.verdict {
            Verdict::Skipped => Status::Skipped { message: reason },
            Verdict::Failed => non_success("failure", "scenario", reason),
            Verdict::Error
            | Verdict::Passed
            | Verdict::Warned
            | Verdict::Info
            | Verdict::Deviation => non_success("error", "scenario", reason),
        };
        cases.push(case(scenario.name.clone(), &classname, status));
    }
    Suite {
        name: format!("{} ({})", scenario.name, start.environment),
        time: Some(seconds(scenario.duration_ms)),
        properties,
        cases,
    }
}

fn run_properties(start: &RunStart) -> Vec<(&'static str, String)> {
    let mut properties = vec![("environment", start.environment.clone())];
    if let Some(issuer) = &start.issuer {
        properties.push(("issuer", issuer.clone()));
    }
    properties
}

fn step_case(scenario: &ScenarioResult, step: &StepResult, classname: &str) -> Case {
    let status = match step.verdict {
        Verdict::Passed | Verdict::Warned | Verdict::Info | Verdict::Deviation => Status::Success,
        Verdict::Failed => failure(step),
        Verdict::Error => error(step),
        Verdict::Skipped => Status::Skipped {
            message: step.skip_reason.as_deref().unwrap_or("skipped").to_owned(),
        },
    };
    let mut case = case(
        format!("{} › {}", scenario.name, step.name),
        classname,
        status,
    );
    case.time = Some(seconds(step.duration_ms));
    let mut out = notes(step);
    if !step.exchanges.is_empty() || !step.captures.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = write!(out, "{}", PlainExchanges(step));
    }
    if !out.is_empty() {
        case.system_out = Some(out);
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

fn case(name: String, classname: &str, status: Status) -> Case {
    Case {
        name,
        classname: classname.to_owned(),
        time: None,
        status,
        system_out: None,
    }
}

/// `[A-03 must, RFC 6749 §5.1] ` before a message about a rule's check.
fn rule_prefix(check: &CheckResult) -> String {
    check
        .rule
        .as_ref()
        .map(|r| format!("[{} {}, {}] ", r.id, r.severity, r.clause))
        .unwrap_or_default()
}

/// `<failure>`: the message names the first failed check, the text lists all of them.
fn failure(step: &StepResult) -> Status {
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
    Status::NonSuccess {
        element: "failure",
        ty: "check".to_owned(),
        message,
        text: Some(text),
    }
}

/// `<error>`: the step could not be carried out; typed by the error kind.
fn error(step: &StepResult) -> Status {
    match &step.error {
        Some(error) => Status::NonSuccess {
            element: "error",
            ty: error.kind.as_str().to_owned(),
            message: format!(
                "{}: {}",
                error.kind.as_str(),
                one_line(&error.message, usize::MAX)
            ),
            text: Some(format!("{}\nat {}", error.message, step.location)),
        },
        None => non_success(
            "error",
            "error",
            "the step could not be carried out".to_owned(),
        ),
    }
}

fn non_success(element: &'static str, ty: &str, message: String) -> Status {
    Status::NonSuccess {
        element,
        ty: ty.to_owned(),
        message,
        text: None,
    }
}

/// Seconds with three decimals, as JUnit readers expect.
fn format_seconds(time: Duration) -> String {
    format!("{:.3}", time.as_secs_f64())
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

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "a test fails loudly on any unexpected error"
)]
mod tests;
