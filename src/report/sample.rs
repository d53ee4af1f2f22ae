//! Hand-built run results shared by the report tests.

use std::sync::Arc;

use crate::diag::Location;
use crate::outcome::{
    BaselineOutcome, CaptureRecord, CheckResult, Counts, ErrorKind, Exchange, RecordedRequest,
    RecordedResponse, RuleRef, RunError, RunResult, RunStatus, SCHEMA_VERSION, ScenarioResult,
    SnapshotComparison, SnapshotRecord, StepError, StepResult, Summary, Verdict,
};

pub(crate) const HOSTILE: &str = "<script>alert(1)</script> \"&' \u{1}\u{1b}[31m é ✓ \u{FFFE}";

fn at(file: &str, line: u32, column: u32) -> Location {
    Location::new(Arc::from(file), line, column)
}

fn check(subject: &str, expected: &str, actual: &str, verdict: Verdict, line: u32) -> CheckResult {
    CheckResult {
        subject: subject.to_owned(),
        matcher: "equals".to_owned(),
        expected: expected.to_owned(),
        actual: actual.to_owned(),
        verdict,
        location: at("scenarios/app_credentials.yaml", line, 9),
        rule: None,
    }
}

fn exchange(status: u16, body: &str) -> Exchange {
    Exchange {
        request: RecordedRequest {
            method: "POST".to_owned(),
            url: "http://127.0.0.1:8080/token".to_owned(),
            headers: vec![
                ("authorization".to_owned(), "Basic [redacted]".to_owned()),
                (
                    "content-type".to_owned(),
                    "application/x-www-form-urlencoded".to_owned(),
                ),
            ],
            body: Some("grant_type=client_credentials&scope=read".to_owned()),
        },
        response: Some(RecordedResponse {
            status,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: Some(body.to_owned()),
            body_truncated: false,
        }),
        duration_ms: 12.5,
    }
}

fn step(name: &str, line: u32, verdict: Verdict) -> StepResult {
    StepResult {
        name: name.to_owned(),
        kind: "http".to_owned(),
        location: at("scenarios/app_credentials.yaml", line, 5),
        verdict,
        skip_reason: None,
        error: None,
        checks: Vec::new(),
        captures: Vec::new(),
        exchanges: Vec::new(),
        duration_ms: 20.0,
        snapshot: None,
    }
}

fn passed_step() -> StepResult {
    let mut s = step("get token", 4, Verdict::Passed);
    s.checks = vec![check("status", "200", "200", Verdict::Passed, 8)];
    s.captures = vec![CaptureRecord {
        name: "access_token".to_owned(),
        value: "[redacted]".to_owned(),
    }];
    s.exchanges = vec![exchange(
        200,
        r#"{"access_token":"[redacted]","token_type":"Bearer"}"#,
    )];
    s
}

fn failed_step() -> StepResult {
    let mut s = step("wrong secret is rejected", 12, Verdict::Failed);
    s.checks = vec![
        check("status", "401", "200", Verdict::Failed, 16),
        check(
            "json $.error",
            "\"invalid_client\"",
            "<absent>",
            Verdict::Failed,
            17,
        ),
        check("header content-type", "json", "json", Verdict::Passed, 18),
    ];
    s.exchanges = vec![exchange(200, r#"{"ok":true}"#)];
    s.snapshot = Some(SnapshotRecord {
        path: "snapshots/secret-rotation/wrong-secret-is-rejected.snap".to_owned(),
        comparison: SnapshotComparison::Changed,
        written: None,
        diff: Some(
            "--- a\n+++ b\n@@ -1 +1 @@\n-{\"error\": \"invalid_client\"}\n+{\"ok\": true}\n"
                .to_owned(),
        ),
    });
    s
}

fn errored_step() -> StepResult {
    let mut s = step("introspect", 22, Verdict::Error);
    s.error = Some(StepError {
        kind: ErrorKind::Timeout,
        message: "no response within 5s".to_owned(),
    });
    s.exchanges = vec![Exchange {
        response: None,
        ..exchange(0, "")
    }];
    s
}

fn skipped_step() -> StepResult {
    let mut s = step("revoke", 30, Verdict::Skipped);
    s.skip_reason = Some("an earlier step did not pass".to_owned());
    s
}

fn scenario(name: &str, file: &str, verdict: Verdict, steps: Vec<StepResult>) -> ScenarioResult {
    ScenarioResult {
        name: name.to_owned(),
        file: file.to_owned(),
        location: at(file, 1, 1),
        doc: Some("Client credentials with a client secret.".to_owned()),
        tags: vec!["client_credentials".to_owned(), "rfc6749".to_owned()],
        verdict,
        duration_ms: 1234.5,
        steps,
    }
}

fn summarise(scenarios: &[ScenarioResult]) -> Summary {
    let mut summary = Summary::default();
    for sc in scenarios {
        summary.scenarios.add(sc.verdict);
        for st in &sc.steps {
            summary.steps.add(st.verdict);
            for c in &st.checks {
                summary.checks.add(c.verdict);
            }
        }
    }
    summary
}

fn run(status: RunStatus, errors: Vec<RunError>, scenarios: Vec<ScenarioResult>) -> RunResult {
    RunResult {
        schema_version: SCHEMA_VERSION,
        tool: "grantspec".to_owned(),
        tool_version: "0.1.0".to_owned(),
        environment: "sandbox".to_owned(),
        issuer: Some("http://127.0.0.1:8080".to_owned()),
        started_at: "2026-11-22T18:00:00Z".to_owned(),
        duration_ms: 2500.0,
        status,
        errors,
        warnings: Vec::new(),
        summary: summarise(&scenarios),
        baseline: Vec::new(),
        scenarios,
    }
}

/// Two scenarios: one passes; one has a passed, a failed, an errored and a skipped step.
pub(crate) fn mixed_run() -> RunResult {
    run(
        RunStatus::Incomplete,
        Vec::new(),
        vec![
            scenario(
                "app credentials",
                "scenarios/app_credentials.yaml",
                Verdict::Passed,
                vec![passed_step()],
            ),
            scenario(
                "secret rotation",
                "./scenarios/nested/secret-rotation.yml",
                Verdict::Error,
                vec![passed_step(), failed_step(), errored_step(), skipped_step()],
            ),
        ],
    )
}

/// A run stopped by a signal after its first scenario.
pub(crate) fn interrupted_run() -> RunResult {
    run(
        RunStatus::Interrupted,
        vec![RunError {
            kind: ErrorKind::Interrupted,
            message: "interrupted by SIGINT".to_owned(),
        }],
        vec![scenario(
            "app credentials",
            "scenarios/app_credentials.yaml",
            Verdict::Passed,
            vec![passed_step()],
        )],
    )
}

/// A run with no scenario at all.
pub(crate) fn empty_run() -> RunResult {
    let mut r = run(RunStatus::Passed, Vec::new(), Vec::new());
    r.summary.scenarios = Counts::default();
    r
}

/// Markup, quotes, control characters and non-ASCII in every user-controlled field.
pub(crate) fn hostile_run() -> RunResult {
    let mut st = failed_step();
    st.name = HOSTILE.to_owned();
    st.checks[0].actual = HOSTILE.to_owned();
    st.checks[0].expected = HOSTILE.to_owned();
    st.error = Some(StepError {
        kind: ErrorKind::Http,
        message: HOSTILE.to_owned(),
    });
    st.captures.push(CaptureRecord {
        name: HOSTILE.to_owned(),
        value: HOSTILE.to_owned(),
    });
    let mut ex = exchange(500, HOSTILE);
    ex.request.url = format!("http://x/?q={HOSTILE}");
    ex.request
        .headers
        .push(("x-evil".to_owned(), HOSTILE.to_owned()));
    st.exchanges = vec![
        ex,
        exchange(
            200,
            &format!("{{\"html\":\"{}\"}}", "<script>alert(1)</script>"),
        ),
    ];
    let mut sc = scenario(HOSTILE, "scenarios/<evil>&.yaml", Verdict::Failed, vec![st]);
    sc.doc = Some(HOSTILE.to_owned());
    sc.tags = vec![HOSTILE.to_owned()];
    let mut r = run(
        RunStatus::Failed,
        vec![RunError {
            kind: ErrorKind::Internal,
            message: HOSTILE.to_owned(),
        }],
        vec![sc],
    );
    r.environment = HOSTILE.to_owned();
    r.issuer = Some(HOSTILE.to_owned());
    r
}

/// `n` copies of the mixed run's scenarios, for the size test.
pub(crate) fn large_run(n: usize) -> RunResult {
    let base = mixed_run();
    let scenarios = base.scenarios.iter().cycle().take(n).cloned().collect();
    run(RunStatus::Failed, Vec::new(), scenarios)
}

fn ruled(mut check: CheckResult, id: &str, severity: &str, url: &str) -> CheckResult {
    check.rule = Some(RuleRef {
        id: id.to_owned(),
        title: format!("rule {id} <b>holds</b>"),
        severity: severity.to_owned(),
        clause: format!("RFC 6749 §{}", id.len()),
        url: url.to_owned(),
    });
    check
}

/// A compact JWS with the given claims (header `{"alg":"RS256","typ":"JWT"}`), unsigned.
pub(crate) fn jwt(claims: &str) -> String {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims)
    )
}

/// Checks tied to rules: A-01 passes in the first scenario and fails in the second, B-02 is a
/// `should` rule that warns in the second, C-03 is a known deviation in the first (with a
/// clause URL that must not become a link); a UserInfo response is a JWT.
pub(crate) fn ruled_run() -> RunResult {
    const RFC: &str = "https://www.rfc-editor.org/rfc/rfc6749#section-5.2";
    let mut first = step("get token", 4, Verdict::Deviation);
    first.checks = vec![
        ruled(
            check("status", "200", "200", Verdict::Passed, 8),
            "A-01",
            "must",
            RFC,
        ),
        ruled(
            check("json $.scope", "present", "<absent>", Verdict::Deviation, 9),
            "C-03",
            "must",
            "javascript:alert(1)",
        ),
    ];
    let mut userinfo = exchange(
        200,
        &jwt(r#"{"sub":"alice","name":"<script>document.title='pwned'</script>"}"#),
    );
    userinfo.request.url = "http://127.0.0.1:8080/userinfo".to_owned();
    first.exchanges = vec![userinfo];
    let mut second = step("wrong secret is rejected", 12, Verdict::Failed);
    second.checks = vec![
        ruled(
            check("status", "401", "401", Verdict::Passed, 16),
            "A-01",
            "must",
            RFC,
        ),
        ruled(
            check(
                "json $.error",
                "\"invalid_client\"",
                "<absent>",
                Verdict::Failed,
                17,
            ),
            "A-01",
            "must",
            RFC,
        ),
        ruled(
            check(
                "header cache-control",
                "no-store",
                "<absent>",
                Verdict::Warned,
                18,
            ),
            "B-02",
            "should",
            RFC,
        ),
        check("header content-type", "json", "json", Verdict::Passed, 19),
    ];
    let mut r = run(
        RunStatus::Failed,
        Vec::new(),
        vec![
            scenario(
                "userinfo",
                "scenarios/userinfo.yaml",
                Verdict::Deviation,
                vec![first],
            ),
            scenario(
                "secret rotation",
                "scenarios/rotation.yaml",
                Verdict::Failed,
                vec![second],
            ),
        ],
    );
    r.scenarios[0].tags = vec!["oidc".to_owned()];
    r.baseline = vec![BaselineOutcome {
        scenario: "userinfo".to_owned(),
        rule: "C-03".to_owned(),
        comment: "the provider omits scope".to_owned(),
        occurrences: 1,
    }];
    r
}
