//! The console of `grantspec test` when not on a terminal: plain lines, colour only when asked,
//! failures quoted from their YAML file with expected and actual as a diff, `--quiet`.

mod support;

use support::Test;

const FAILING: &str = "name: Failing discovery
steps:
  - name: metadata
    discovery: {}
    expect:
      rule: B-01
      status: 201
";

fn failing() -> Test {
    Test::with_bundled_suite().file("scenarios/zz_failing.yaml", FAILING)
}

#[test]
fn failures_quote_the_yaml_and_diff_expected_and_actual() {
    let out = failing().run(&[
        "test",
        "scenarios/discovery.yaml",
        "scenarios/zz_failing.yaml",
    ]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stdout
            .contains("PASS  Discovery (scenarios/discovery.yaml"),
        "{out}"
    );
    let expected = "failed: Failing discovery › metadata
    [B-01 must, OIDC Discovery §4.1, §4.2] status equals
    --> scenarios/zz_failing.yaml:7:15
    5 |     expect:
    6 |       rule: B-01
    7 |       status: 201
      |               ^
    - expected 201
    + actual   200
";
    assert!(out.stdout.contains(expected), "{out}");
    assert!(
        !out.stdout.contains('\u{1b}'),
        "no colour without a terminal: {out}"
    );
    assert!(
        !out.stdout.contains('\r'),
        "no progress bar without a terminal: {out}"
    );
}

#[test]
fn color_always_paints_and_never_does_not() {
    let t = failing();
    let args = ["test", "scenarios/zz_failing.yaml", "--color"];
    let always = t.run(&[&args[..], &["always"]].concat());
    assert!(
        always.stdout.contains("\u{1b}[31m- expected 201\u{1b}[0m"),
        "{always}"
    );
    assert!(
        always.stdout.contains("\u{1b}[32m+ actual   200\u{1b}[0m"),
        "{always}"
    );
    let never = t.run_with_env(&[&args[..], &["never"]].concat(), &[("NO_COLOR", "")]);
    assert!(!never.stdout.contains('\u{1b}'), "{never}");
    let bad = t.run(&[&args[..], &["sometimes"]].concat());
    assert_eq!(bad.code, 2, "{bad}");
}

#[test]
fn quiet_prints_only_problems_and_the_summary() {
    let out = failing().run(&[
        "test",
        "-q",
        "scenarios/discovery.yaml",
        "scenarios/zz_failing.yaml",
    ]);
    assert_eq!(out.code, 1, "{out}");
    assert!(!out.stdout.contains("PASS "), "{out}");
    assert!(!out.stdout.contains("running "), "{out}");
    assert!(
        out.stdout.contains("failed: Failing discovery › metadata"),
        "{out}"
    );
    assert!(
        out.stdout
            .contains("FAILED: 2 scenarios (1 passed, 1 failed"),
        "{out}"
    );
    let both = failing().run(&["test", "-q", "-v"]);
    assert_eq!(both.code, 2, "--quiet and --verbose conflict: {both}");
}
