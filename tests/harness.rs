//! The libtest harness (`grantspec::harness`) as another crate uses it. With
//! `GRANTSPEC_HARNESS_UNDER_TEST` set, this binary *is* such a crate's three-line
//! `tests/scenarios.rs`; otherwise its trials run it on temporary scenario folders and read
//! what it printed and how it exited.

use std::path::Path;
use std::process::{Command, ExitCode, Output};

use libtest_mimic::{Arguments, Failed, Trial};

const UNDER_TEST: &str = "GRANTSPEC_HARNESS_UNDER_TEST";

const PASSING: &str = "\
name: Metadata
steps:
  - name: metadata
    discovery: {}
    expect:
      status: 200
";

const FAILING: &str = "\
name: Wrong status
steps:
  - name: metadata
    discovery: {}
    expect:
      status: 201
";

const INVALID: &str = "\
name: Typo
steps:
  - name: metadata
    discovery: {}
    expect:
      statuss: 200
";

fn main() -> ExitCode {
    if std::env::var_os(UNDER_TEST).is_some() {
        return grantspec::harness::main();
    }
    let trials = vec![
        Trial::test("listing_names_one_trial_per_scenario_file", listing),
        Trial::test(
            "passing_and_failing_scenarios_are_trials_of_their_own",
            verdicts,
        ),
        Trial::test("filters_select_trials_by_name", filters),
        Trial::test("an_invalid_scenario_exits_2_with_its_location", invalid),
    ];
    libtest_mimic::run(&Arguments::from_args(), trials).exit_code()
}

/// A project folder with `scenarios/` holding `files`, and nothing else: the embedded sandbox.
fn project(files: &[(&str, &str)]) -> Result<tempfile::TempDir, Failed> {
    let dir = tempfile::tempdir()?;
    for (name, text) in files {
        let path = dir.path().join("scenarios").join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(dir)
}

/// Runs this binary as the harness in `dir` with libtest's `args`.
fn harness(dir: &Path, args: &[&str]) -> Result<(Output, String), Failed> {
    let output = Command::new(std::env::current_exe()?)
        .args(args)
        .current_dir(dir)
        .env(UNDER_TEST, "1")
        .env_remove("GRANTSPEC_ENV")
        .env_remove("GRANTSPEC_SCENARIOS")
        .output()?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Ok((output, text))
}

fn ensure(cond: bool, what: &str, output: &str) -> Result<(), Failed> {
    if cond {
        Ok(())
    } else {
        Err(format!("{what}; the harness printed:\n{output}").into())
    }
}

fn listing() -> Result<(), Failed> {
    let dir = project(&[("metadata.yaml", PASSING), ("flows/wrong.yaml", FAILING)])?;
    let (out, text) = harness(dir.path(), &["--list"])?;
    ensure(out.status.success(), "--list exits 0", &text)?;
    let lines: Vec<&str> = text.lines().filter(|l| l.ends_with(": test")).collect();
    ensure(
        lines == ["flows::wrong: test", "metadata: test"],
        "one `NAME: test` line per scenario file, folders joined with ::",
        &text,
    )?;
    ensure(
        !text.contains("Wrong status ›"),
        "listing runs nothing",
        &text,
    )
}

fn verdicts() -> Result<(), Failed> {
    let dir = project(&[("metadata.yaml", PASSING), ("wrong.yaml", FAILING)])?;
    let (out, text) = harness(dir.path(), &["--test-threads", "2"])?;
    ensure(
        out.status.code() == Some(101),
        "a failed trial exits 101",
        &text,
    )?;
    ensure(
        verdict(&text, "metadata") == Some("ok"),
        "the passing trial passes",
        &text,
    )?;
    ensure(
        verdict(&text, "wrong") == Some("FAILED"),
        "the failing trial fails",
        &text,
    )?;
    ensure(
        text.contains("failed: Wrong status › metadata")
            && text.contains("status equals: expected 201, got 200")
            && text.contains("--> scenarios/wrong.yaml:6:15"),
        "the failure shows the check and its YAML location",
        &text,
    )?;
    ensure(
        text.contains("1 passed; 1 failed"),
        "libtest's summary line",
        &text,
    )
}

/// The verdict libtest printed for trial `name` (`test NAME ... VERDICT`, names padded).
fn verdict<'a>(output: &'a str, name: &str) -> Option<&'a str> {
    output.lines().find_map(|line| {
        let (trial, verdict) = line.strip_prefix("test ")?.split_once(" ... ")?;
        (trial.trim_end() == name).then_some(verdict.trim())
    })
}

fn filters() -> Result<(), Failed> {
    let dir = project(&[("metadata.yaml", PASSING), ("wrong.yaml", FAILING)])?;
    let (out, text) = harness(dir.path(), &["meta"])?;
    ensure(
        out.status.success(),
        "the failing trial is filtered out",
        &text,
    )?;
    ensure(
        text.contains("1 passed; 0 failed; 0 ignored; 0 measured; 1 filtered out"),
        "one trial ran, one was filtered out",
        &text,
    )?;
    let (out, text) = harness(dir.path(), &["--exact", "wrong"])?;
    ensure(
        out.status.code() == Some(101),
        "--exact selects the failing trial",
        &text,
    )
}

fn invalid() -> Result<(), Failed> {
    let dir = project(&[("typo.yaml", INVALID)])?;
    let (out, text) = harness(dir.path(), &[])?;
    ensure(out.status.code() == Some(2), "invalid input exits 2", &text)?;
    ensure(
        text.contains("unknown field `statuss`") && text.contains("scenarios/typo.yaml:6:7"),
        "the error names the field and its location",
        &text,
    )
}
