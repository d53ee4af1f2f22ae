//! What the HTML report shows, with every value already formatted for display (durations,
//! locations, pretty JSON bodies): [`PageView`] for `templates/index.hbs`, [`ScenarioView`] for
//! each scenario's section (`html_section.rs`).

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde::Serialize;

use super::jwt_view::{self, JwtView};
use super::matrix_view::{MatrixTally, MatrixView, scenario_anchor};
use super::snapshot_view::SnapshotView;
use super::status_name;
use crate::outcome::{
    BaselineOutcome, CaptureRecord, CheckResult, Counts, Exchange, RunResult, RunStatus,
    ScenarioResult, StepResult, Verdict,
};

#[derive(Serialize)]
pub(crate) struct PageView<'a> {
    tool: &'a str,
    tool_version: &'a str,
    environment: &'a str,
    issuer: Option<&'a str>,
    started_at: &'a str,
    duration: String,
    status: &'static str,
    status_class: &'static str,
    unfinished: Option<&'static str>,
    errors: Vec<ErrorView<'a>>,
    warnings: &'a [String],
    summary: [CountsRow; 3],
    matrix: MatrixView<'a>,
    baseline: &'a [BaselineOutcome],
    /// Every tag and every rule ID of the run, sorted, for the filter lists.
    all_tags: Vec<&'a str>,
    all_rules: Vec<&'a str>,
    has_scenarios: bool,
}

/// What the page needs of every scenario, gathered as scenarios finish (each scenario's own
/// section is rendered on its own, by [`ScenarioView`]).
#[derive(Default)]
pub(crate) struct PageTally {
    scenarios: usize,
    tags: BTreeSet<String>,
    matrix: MatrixTally,
}

impl PageTally {
    pub(crate) fn add(&mut self, scenario: &ScenarioResult) {
        self.scenarios += 1;
        for tag in &scenario.tags {
            if !self.tags.contains(tag) {
                self.tags.insert(tag.clone());
            }
        }
        self.matrix.add(scenario);
    }
}

#[derive(Serialize)]
pub(crate) struct ErrorView<'a> {
    pub(super) kind: &'static str,
    pub(super) message: &'a str,
}

#[derive(Serialize)]
struct CountsRow {
    label: &'static str,
    #[serde(flatten)]
    counts: Counts,
}

pub(crate) struct ScenarioView<'a> {
    pub(super) anchor: String,
    pub(super) name: &'a str,
    pub(super) location: String,
    pub(super) doc: Option<&'a str>,
    pub(super) tags: &'a [String],
    pub(super) verdict: &'static str,
    pub(super) open: bool,
    pub(super) duration: String,
    /// Lower-cased name and tags, for the text filter.
    pub(super) search: String,
    /// Tags and rule IDs, each between newlines, for the filter lists.
    pub(super) tag_list: String,
    pub(super) rule_list: String,
    pub(super) steps: Vec<StepView<'a>>,
}

pub(crate) struct StepView<'a> {
    pub(super) name: &'a str,
    pub(super) kind: &'a str,
    pub(super) location: String,
    pub(super) verdict: &'static str,
    pub(super) duration: String,
    pub(super) skip_reason: Option<&'a str>,
    pub(super) error: Option<ErrorView<'a>>,
    pub(super) checks: Vec<CheckView<'a>>,
    pub(super) captures: &'a [CaptureRecord],
    pub(super) exchanges: Vec<ExchangeView<'a>>,
    pub(super) snapshot: Option<SnapshotView<'a>>,
}

pub(crate) struct CheckView<'a> {
    pub(super) subject: &'a str,
    pub(super) matcher: &'a str,
    pub(super) expected: &'a str,
    pub(super) actual: &'a str,
    pub(super) location: String,
    pub(super) verdict: &'static str,
    pub(super) rule: Option<CheckRuleView<'a>>,
}

pub(crate) struct CheckRuleView<'a> {
    pub(super) id: &'a str,
    pub(super) severity: &'a str,
    pub(super) clause: &'a str,
    pub(super) title: &'a str,
    pub(super) url: Option<&'a str>,
}

pub(crate) struct ExchangeView<'a> {
    pub(super) open: bool,
    pub(super) method: &'a str,
    pub(super) url: &'a str,
    pub(super) headers: Vec<HeaderView<'a>>,
    pub(super) body: Option<Cow<'a, str>>,
    pub(super) duration: String,
    pub(super) response: Option<ResponseView<'a>>,
    pub(super) jwts: Vec<JwtView>,
}

pub(crate) struct ResponseView<'a> {
    pub(super) status: u16,
    pub(super) status_class: &'static str,
    pub(super) headers: Vec<HeaderView<'a>>,
    pub(super) body: Option<Cow<'a, str>>,
    pub(super) body_truncated: bool,
}

pub(crate) struct HeaderView<'a> {
    pub(super) name: &'a str,
    pub(super) value: &'a str,
}

impl<'a> PageView<'a> {
    /// The page around the scenarios' sections.
    pub(crate) fn new(run: &'a RunResult, tally: &'a PageTally) -> Self {
        Self {
            tool: &run.tool,
            tool_version: &run.tool_version,
            environment: &run.environment,
            issuer: run.issuer.as_deref(),
            started_at: &run.started_at,
            duration: duration(run.duration_ms),
            status: status_name(run.status),
            status_class: match run.status {
                RunStatus::Passed => "passed",
                RunStatus::Failed => "failed",
                RunStatus::Incomplete | RunStatus::Interrupted => "error",
            },
            unfinished: match run.status {
                RunStatus::Interrupted => Some(
                    "The run was interrupted before the end: scenarios not listed did not run.",
                ),
                RunStatus::Incomplete => Some(
                    "The run is incomplete: some steps could not be carried out, so their \
                     scenarios say nothing about conformance.",
                ),
                RunStatus::Passed | RunStatus::Failed => None,
            },
            errors: run
                .errors
                .iter()
                .map(|e| ErrorView {
                    kind: e.kind.as_str(),
                    message: &e.message,
                })
                .collect(),
            warnings: &run.warnings,
            summary: [
                CountsRow {
                    label: "scenarios",
                    counts: run.summary.scenarios,
                },
                CountsRow {
                    label: "steps",
                    counts: run.summary.steps,
                },
                CountsRow {
                    label: "checks",
                    counts: run.summary.checks,
                },
            ],
            matrix: MatrixView::new(&tally.matrix),
            baseline: &run.baseline,
            all_tags: tally.tags.iter().map(String::as_str).collect(),
            all_rules: tally.matrix.rule_ids().collect(),
            has_scenarios: tally.scenarios > 0,
        }
    }
}

impl<'a> ScenarioView<'a> {
    /// The section of the `index`-th scenario of the suite.
    pub(crate) fn new(index: usize, scenario: &'a ScenarioResult) -> Self {
        let mut search = scenario.name.to_lowercase();
        for tag in &scenario.tags {
            search.push('\n');
            search.push_str(&tag.to_lowercase());
        }
        let between_newlines = |items: Vec<&str>| format!("\n{}\n", items.join("\n"));
        Self {
            anchor: scenario_anchor(index),
            name: &scenario.name,
            location: scenario.location.to_string(),
            doc: scenario.doc.as_deref(),
            tags: &scenario.tags,
            verdict: scenario.verdict.as_str(),
            open: is_bad(scenario.verdict),
            duration: duration(scenario.duration_ms),
            search,
            tag_list: between_newlines(scenario.tags.iter().map(String::as_str).collect()),
            rule_list: between_newlines(sorted_unique(rule_ids(scenario))),
            steps: scenario.steps.iter().map(StepView::new).collect(),
        }
    }
}

impl<'a> StepView<'a> {
    fn new(step: &'a StepResult) -> Self {
        let open = is_bad(step.verdict);
        Self {
            name: &step.name,
            kind: &step.kind,
            location: step.location.to_string(),
            verdict: step.verdict.as_str(),
            duration: duration(step.duration_ms),
            skip_reason: step.skip_reason.as_deref(),
            error: step.error.as_ref().map(|e| ErrorView {
                kind: e.kind.as_str(),
                message: &e.message,
            }),
            checks: step.checks.iter().map(CheckView::new).collect(),
            captures: &step.captures,
            exchanges: step
                .exchanges
                .iter()
                .map(|e| ExchangeView::new(e, open))
                .collect(),
            snapshot: step.snapshot.as_ref().map(SnapshotView::new),
        }
    }
}

impl<'a> CheckView<'a> {
    fn new(check: &'a CheckResult) -> Self {
        Self {
            subject: &check.subject,
            matcher: &check.matcher,
            expected: &check.expected,
            actual: &check.actual,
            location: check.location.to_string(),
            verdict: check.verdict.as_str(),
            rule: check.rule.as_ref().map(|r| CheckRuleView {
                id: &r.id,
                severity: &r.severity,
                clause: &r.clause,
                title: &r.title,
                url: Some(r.url.as_str())
                    .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
            }),
        }
    }
}

impl<'a> ExchangeView<'a> {
    fn new(exchange: &'a Exchange, open: bool) -> Self {
        let request = &exchange.request;
        let mut jwts = Vec::new();
        for (_, value) in &request.headers {
            jwt_view::decode_all(value, "request", &mut jwts);
        }
        jwt_view::decode_all(
            request.body.as_deref().unwrap_or_default(),
            "request",
            &mut jwts,
        );
        if let Some(r) = &exchange.response {
            for (_, value) in &r.headers {
                jwt_view::decode_all(value, "response", &mut jwts);
            }
            jwt_view::decode_all(r.body.as_deref().unwrap_or_default(), "response", &mut jwts);
        }
        Self {
            open,
            method: &request.method,
            url: &request.url,
            headers: headers(&request.headers),
            body: request.body.as_deref().map(pretty_json),
            duration: duration(exchange.duration_ms),
            response: exchange.response.as_ref().map(|r| ResponseView {
                status: r.status,
                status_class: match r.status {
                    200..=399 => "passed",
                    400..=499 => "failed",
                    _ => "error",
                },
                headers: headers(&r.headers),
                body: r.body.as_deref().map(pretty_json),
                body_truncated: r.body_truncated,
            }),
            jwts,
        }
    }
}

fn headers(pairs: &[(String, String)]) -> Vec<HeaderView<'_>> {
    pairs
        .iter()
        .map(|(name, value)| HeaderView { name, value })
        .collect()
}

/// The rule ID of every check of `scenario`, with repeats.
fn rule_ids(scenario: &ScenarioResult) -> impl Iterator<Item = &str> {
    scenario
        .steps
        .iter()
        .flat_map(|st| &st.checks)
        .filter_map(|c| c.rule.as_ref().map(|r| r.id.as_str()))
}

fn sorted_unique<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut all: Vec<&str> = items.collect();
    all.sort_unstable();
    all.dedup();
    all
}

fn is_bad(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::Failed | Verdict::Error)
}

/// A JSON body indented for reading (as `serde_json`'s pretty printer would, but keeping
/// strings and numbers as the server wrote them); any other body as it was.
fn pretty_json(body: &str) -> Cow<'_, str> {
    let looks_like_json = matches!(body.trim_start().as_bytes().first(), Some(b'{' | b'['));
    // Validated without building a value, then re-indented byte by byte: building and printing
    // a `Value` for every body was most of the HTML report's cost.
    if !looks_like_json || serde_json::from_str::<serde::de::IgnoredAny>(body).is_err() {
        return Cow::Borrowed(body);
    }
    match String::from_utf8(reindent(body.as_bytes())) {
        Ok(pretty) => Cow::Owned(pretty),
        Err(_) => Cow::Borrowed(body),
    }
}

/// Re-indents valid JSON with two spaces per level; `{}` and `[]` stay on one line.
fn reindent(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() * 2);
    let mut depth = 0usize;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.resize(out.len() + 2 * depth, b' ');
    };
    let mut i = 0;
    while i < json.len() {
        let b = json[i];
        match b {
            b'"' => {
                let start = i;
                i += 1;
                while i < json.len() && json[i] != b'"' {
                    i += if json[i] == b'\\' { 2 } else { 1 };
                }
                out.extend_from_slice(&json[start..(i + 1).min(json.len())]);
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                let next = json[i + 1..].iter().position(|c| !c.is_ascii_whitespace());
                if next.is_some_and(|n| json[i + 1 + n] == close) {
                    out.extend_from_slice(&[b, close]);
                    i += 1 + next.unwrap_or_default();
                } else {
                    out.push(b);
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b',');
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => out.push(b),
        }
        i += 1;
    }
    out
}

fn duration(ms: f64) -> String {
    if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else if ms < 60_000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else {
        let secs = (ms / 1000.0).round();
        format!("{:.0} min {:.0} s", (secs / 60.0).floor(), secs % 60.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bodies_are_pretty_printed_and_others_kept() {
        assert_eq!(
            pretty_json(r#"{"a":[1,2]}"#),
            "{\n  \"a\": [\n    1,\n    2\n  ]\n}"
        );
        assert_eq!(pretty_json("a=1&b=2"), "a=1&b=2");
        assert_eq!(pretty_json("{not json"), "{not json");
    }

    #[test]
    fn reindenting_matches_serde_json_and_keeps_strings_as_sent() {
        let samples = [
            r#"{"a":{},"b":[ ],"c":[{"d":null,"e":true}],"f":-1.5,"g":"x, {y}: [z]"}"#,
            "[]",
            "{ }",
            " [1 , [2,[3]] ,{\"k\" : {\"l\":[]}}] ",
            r#"{"q":"a \"quoted\" \\ back\\","u":"\u00e9"}"#,
        ];
        for sample in samples {
            let value: serde_json::Value = serde_json::from_str(sample).unwrap();
            let expected = serde_json::to_string_pretty(&value).unwrap();
            let got = pretty_json(sample);
            // serde_json writes the escape `\u00e9` as `é`; ours keeps what the server sent.
            assert_eq!(got.replace("\\u00e9", "é"), expected, "{sample}");
        }
        // Numbers too stay as written (serde_json would print `-1500.0`).
        assert_eq!(pretty_json(r#"{"n":-1.5e3}"#), "{\n  \"n\": -1.5e3\n}");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(12.34), "12.3 ms");
        assert_eq!(duration(1234.5), "1.23 s");
        assert_eq!(duration(125_000.0), "2 min 5 s");
    }
}
