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

/// Runs grantspec on a pseudo-terminal with `script` (util-linux); `None` when it is missing
/// outside CI.
fn on_terminal(t: &Test, args: &str, ci: &str) -> Option<String> {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "CI is set but `script` (util-linux) is missing"
        );
        eprintln!("notice: skipping, `script` is not installed");
        return None;
    }
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_grantspec"));
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(t.path())
        .env("CI", ci)
        .env_remove("NO_COLOR")
        .env_remove("GRANTSPEC_ENV")
        .output()
        .expect("run script");
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_terminal_gets_a_progress_bar_and_colour_but_not_in_ci() {
    let t = Test::with_bundled_suite();
    let Some(tty) = on_terminal(&t, "test scenarios/discovery.yaml", "") else {
        return;
    };
    assert!(tty.contains("1/1 scenarios"), "{tty:?}");
    assert!(
        tty.contains("\u{1b}[32mPASS \u{1b}[0m Discovery"),
        "{tty:?}"
    );
    let Some(ci) = on_terminal(&t, "test scenarios/discovery.yaml", "true") else {
        return;
    };
    assert!(
        !ci.contains("1/1 scenarios"),
        "no progress bar in CI: {ci:?}"
    );
    assert!(ci.contains("PASS "), "{ci:?}");
}
