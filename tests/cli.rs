//! The command line, driven as a user drives it: the real binary, real HTTP over loopback
//! against the embedded sandbox, real files.

mod support;

use serde_json::Value;
use support::{Test, assert_well_formed_xml};

const FAILING: &str = r#"name: Failing expectation
steps:
  - name: token
    http:
      method: POST
      url: "{{ endpoints.token }}"
      auth: { basic: app_basic }
      form: { grant_type: client_credentials }
    expect:
      status: 200
      json:
        token_type: MAC
  - name: never reached
    http: { url: "{{ endpoints.discovery }}" }
"#;

#[test]
fn the_bundled_suite_passes_against_the_embedded_sandbox() {
    let out = Test::with_bundled_suite().run(&["test"]);
    assert_eq!(out.code, 0, "{out}");
    assert_well_formed_xml(&out.read("reports/junit.xml"));
    let results: Value =
        serde_json::from_str(&out.read("reports/results.json")).expect("results.json is JSON");
    assert_eq!(results["status"], "passed");
    assert_eq!(results["schema_version"], 1);
    assert!(
        results["summary"]["scenarios"]["total"]
            .as_u64()
            .unwrap_or(0)
            >= 3,
        "{results}"
    );
    let html = out.read("reports/index.html");
    assert!(
        html.contains("App credentials"),
        "the HTML report names the scenarios"
    );
}

#[test]
fn a_failing_expectation_exits_1_and_names_the_yaml_line() {
    let out = Test::new()
        .file("scenarios/failing.yaml", FAILING)
        .run(&["test"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("scenarios/failing.yaml:12:21"), "{out}");
    assert!(
        out.stdout.contains(r#"expected "MAC", got "Bearer""#),
        "{out}"
    );
    let junit = out.read("reports/junit.xml");
    assert_well_formed_xml(&junit);
    assert!(junit.contains("scenarios/failing.yaml:12:21"), "{junit}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    let steps = &results["scenarios"][0]["steps"];
    assert_eq!(steps[0]["verdict"], "failed");
    assert_eq!(
        steps[1]["verdict"], "skipped",
        "a step after a failed one is skipped"
    );
}

#[test]
fn invalid_yaml_exits_2_with_line_and_column() {
    let out = Test::new()
        .file(
            "scenarios/bad.yaml",
            "name: x\nsteps:\n  - name: a\n    http: { url: /x\n",
        )
        .run(&["test"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("scenarios/bad.yaml:"), "{out}");
    assert!(!out.stderr.contains("panicked"), "{out}");
}

#[test]
fn a_typo_in_a_field_is_located_and_exits_2() {
    let out = Test::new()
        .file(
            "scenarios/typo.yaml",
            "name: x\nsteps:\n  - name: a\n    http:\n      urll: /x\n",
        )
        .run(&["validate"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("scenarios/typo.yaml:5:7"), "{out}");
    assert!(out.stderr.contains("unknown field `urll`"), "{out}");
}

#[test]
fn an_unknown_variable_is_reported_before_any_request() {
    let out = Test::new()
        .file(
            "scenarios/v.yaml",
            "name: x\nsteps:\n  - name: a\n    http: { url: \"{{ endpoints.tokn }}\" }\n",
        )
        .run(&["validate"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("scenarios/v.yaml:4:18"), "{out}");
    assert!(
        out.stderr.contains("unknown variable `endpoints.tokn`"),
        "{out}"
    );
}

#[test]
fn an_unreachable_target_exits_3_and_still_writes_reports() {
    let out = Test::with_bundled_suite()
        .file("environments/down.yaml", "issuer: http://127.0.0.1:9\nvariables: { app_scope: x }\nsecrets:\n  s: { env: GRANTSPEC_TEST_SECRET }\nclients:\n  app_basic: { client_id: a, client_secret: s }\n")
        .env("GRANTSPEC_TEST_SECRET", "irrelevant-secret")
        .run(&["test", "--env", "down"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stdout.contains("could not connect"), "{out}");
    assert_well_formed_xml(&out.read("reports/junit.xml"));
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    assert_eq!(results["status"], "incomplete");
    assert_eq!(results["errors"][0]["kind"], "connect");
    assert!(out.read("reports/index.html").contains("could not connect"));
}

#[test]
fn a_missing_secret_is_an_input_error() {
    let out = Test::with_bundled_suite()
        .file("environments/e.yaml", "issuer: http://127.0.0.1:9\nsecrets:\n  s: { env: GRANTSPEC_TEST_UNSET_SECRET }\nclients:\n  app_basic: { client_id: a, client_secret: s }\nvariables: { app_scope: x }\n")
        .run(&["test", "--env", "e"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("GRANTSPEC_TEST_UNSET_SECRET"), "{out}");
}

#[test]
fn filter_selects_scenarios_by_name() {
    let out = Test::with_bundled_suite().run(&["test", "--filter", "discovery"]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    assert_eq!(results["summary"]["scenarios"]["total"], 1, "{results}");
}

#[test]
fn report_dir_is_honoured() {
    let out =
        Test::with_bundled_suite().run(&["test", "--report-dir", "out/nightly", "--jobs", "1"]);
    assert_eq!(out.code, 0, "{out}");
    for f in ["junit.xml", "index.html", "results.json"] {
        assert!(
            out.dir.join("out/nightly").join(f).is_file(),
            "{f} missing\n{out}"
        );
    }
}

#[test]
fn version_and_help_work() {
    let t = Test::new();
    let v = t.run(&["--version"]);
    assert_eq!(v.code, 0);
    assert!(v.stdout.starts_with("grantspec "), "{v}");
    let h = t.run(&["test", "--help"]);
    assert!(h.stdout.contains("--report-dir"), "{h}");
    let unknown = t.run(&["test", "--no-such-flag"]);
    assert_eq!(unknown.code, 2, "{unknown}");
}
