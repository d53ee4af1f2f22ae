//! The reports of real runs against the embedded sandbox, checked by real tools: the JUnit file
//! by `xmllint` against the Jenkins xUnit schema, the HTML page by a headless Chromium, and
//! `results.json` by the JSON Schema checker against `docs/results-schema.json`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::Test;

#[path = "../src/report/schema_check.rs"]
mod schema_check;

/// The sandbox's name for a scenario that fails on its first step, so that its second is
/// skipped; its name, doc, tag and step name carry markup that must stay text.
const HOSTILE_SCENARIO: &str = r#"name: "Hostile <script>document.title='pwned'</script> & co"
doc: "Renders <script>document.title='pwned'</script> as text."
tags: ["<b>hostile</b>"]
steps:
  - name: "metadata <img src=x onerror=\"document.title='pwned'\">"
    discovery: {}
    expect:
      rule: B-01
      status: 201
  - name: key set
    jwks: {}
    expect:
      status: 200
"#;

const DOWN_ENV: &str = "issuer: http://127.0.0.1:9\nvariables: { app_scope: x }\nsecrets:\n  s: { env: GRANTSPEC_TEST_SECRET }\nclients:\n  app_basic: { client_id: a, client_secret: s }\n";

/// The bundled suite's scenarios, plus the one each test adds.
fn suite_size() -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let yaml = std::fs::read_dir(dir)
        .expect("scenarios/")
        .filter(|e| {
            e.as_ref().is_ok_and(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
            })
        })
        .count();
    yaml + 1
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// The path of the first of `names` on `PATH`; `None` (with a notice) when none is installed
/// and `CI` is not set. In CI a missing tool fails the test: `.ci/run` installs them.
fn tool(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file());
    if found.is_none() {
        assert!(!in_ci(), "CI is set but none of {names:?} is installed");
        eprintln!("notice: skipping, none of {names:?} is installed (.ci/run installs them)");
    }
    found
}

fn xmllint_schema(xml: &Path) -> Result<(), String> {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/junit-10.xsd");
    let xmllint = tool(&["xmllint"]).ok_or("no xmllint")?;
    let out = Command::new(xmllint)
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(xml)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn junit_validates_against_the_jenkins_schema_for_every_kind_of_run() {
    if tool(&["xmllint"]).is_none() {
        return;
    }
    let passing = Test::with_bundled_suite().run(&["test", "scenarios/discovery.yaml"]);
    assert_eq!(passing.code, 0, "{passing}");
    let failing = Test::with_bundled_suite()
        .file("scenarios/zz_hostile.yaml", HOSTILE_SCENARIO)
        .run(&[
            "test",
            "scenarios/discovery.yaml",
            "scenarios/zz_hostile.yaml",
        ]);
    assert_eq!(failing.code, 1, "{failing}");
    let erroring = Test::with_bundled_suite()
        .file("environments/down.yaml", DOWN_ENV)
        .env("GRANTSPEC_TEST_SECRET", "irrelevant-secret")
        .run(&["test", "--env", "down", "scenarios/discovery.yaml"]);
    assert_eq!(erroring.code, 3, "{erroring}");

    for out in [&passing, &failing, &erroring] {
        let path = out.dir.join("reports/junit.xml");
        if let Err(e) = xmllint_schema(&path) {
            panic!("{e}\n{}", out.read("reports/junit.xml"));
        }
    }
    let failing_xml = failing.read("reports/junit.xml");
    assert!(
        failing_xml.contains("<failure message=\"[B-01 must, OIDC Discovery §4.1, §4.2] status equals: expected 201, got 200 (scenarios/zz_hostile.yaml:"),
        "{failing_xml}"
    );
    assert!(
        failing_xml.contains("<skipped message=\"step `metadata &lt;img"),
        "{failing_xml}"
    );
    assert!(failing_xml.contains("&lt;script&gt;document.title="));
    assert!(erroring.read("reports/junit.xml").contains("<error "));
}

#[test]
fn junit_schema_check_catches_an_invalid_report() {
    if tool(&["xmllint"]).is_none() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.xml");
    std::fs::write(
        &bad,
        "<testsuites skipped=\"1\"><testsuite name=\"x\"><testcase/></testsuite></testsuites>",
    )
    .expect("write");
    let err = xmllint_schema(&bad).expect_err("the schema rejects it");
    assert!(err.contains("skipped"), "{err}");
}

fn results_schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/results-schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema is JSON")
}

#[test]
fn results_json_of_real_runs_validates_against_the_documented_schema() {
    let schema = results_schema();
    let failing = Test::with_bundled_suite()
        .file("scenarios/zz_hostile.yaml", HOSTILE_SCENARIO)
        .run(&["test"]);
    assert_eq!(failing.code, 1, "{failing}");
    let erroring = Test::with_bundled_suite()
        .file("environments/down.yaml", DOWN_ENV)
        .env("GRANTSPEC_TEST_SECRET", "irrelevant-secret")
        .run(&["test", "--env", "down", "scenarios/discovery.yaml"]);
    for out in [&failing, &erroring] {
        let results: Value =
            serde_json::from_str(&out.read("reports/results.json")).expect("results.json");
        let violations = schema_check::violations(&schema, &results);
        assert!(violations.is_empty(), "{violations:#?}");
    }
    let mut broken: Value =
        serde_json::from_str(&failing.read("reports/results.json")).expect("results.json");
    broken["scenarios"][0]["steps"][0]["checks"][0]["verdict"] = "maybe".into();
    broken["summary"]["steps"]
        .as_object_mut()
        .expect("counts")
        .remove("warned");
    assert_eq!(schema_check::violations(&schema, &broken).len(), 2);
}

/// Runs headless Chromium on `page` with `mode` (`--dump-dom`, `--screenshot=...`); its stdout.
fn chromium(browser: &Path, url: &str, mode: &str) -> String {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(mode)
        .arg(url)
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn html_report_renders_in_headless_chromium_with_the_matrix_and_escaped_text() {
    let Some(browser) = tool(&["chromium", "chromium-browser", "google-chrome"]) else {
        return;
    };
    let out = Test::with_bundled_suite()
        .file("scenarios/zz_hostile.yaml", HOSTILE_SCENARIO)
        .run(&["test"]);
    assert_eq!(out.code, 1, "{out}");
    let page = out.dir.join("reports/index.html");
    let url = format!("file://{}", page.display());
    let dom = chromium(&browser, &url, "--dump-dom");

    // The page's own script ran: it reveals the filter bar and counts the scenarios.
    assert!(
        dom.contains(r#"<div id="filters" class="filters">"#),
        "{dom}"
    );
    assert!(
        dom.contains(&format!("{n} of {n} scenarios shown", n = suite_size())),
        "filter script did not run"
    );
    // The hostile strings are text: no element came from them and no script of theirs ran.
    let title = &dom[dom.find("<title>").expect("title")..dom.find("</title>").expect("/title")];
    assert!(!title.contains("pwned"), "{title}");
    assert!(dom.contains("Hostile &lt;script&gt;document.title='pwned'&lt;/script&gt; &amp; co"));
    assert!(dom.contains("&lt;img src=x onerror="));
    assert!(dom.contains("&lt;b&gt;hostile&lt;/b&gt;"));
    assert!(
        !dom.contains("<img"),
        "an element came from a hostile string"
    );
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "only the page's own script"
    );
    // The matrix: a row per rule applied, a column per scenario, clause links, verdict colours.
    assert!(dom.contains(r#"<table id="matrix">"#));
    assert!(dom.contains(&format!(
        r##"<a href="#scenario-{}" title="Hostile &lt;script&gt;"##,
        suite_size()
    )));
    assert!(
        dom.contains(r#"<a href="https://openid.net/specs/"#)
            || dom.contains(r#"<a href="https://www.rfc-editor.org/"#)
    );
    assert!(dom.contains(r#"class="cell m-passed""#));
    assert!(
        dom.contains(r#"class="cell m-failed""#),
        "the failed status check"
    );

    // Filters preset from the address: failures only, rule B-01.
    let filtered = chromium(&browser, &format!("{url}#failed&rule=B-01"), "--dump-dom");
    assert!(
        filtered.contains(&format!("1 of {} scenarios shown", suite_size())),
        "{filtered}"
    );
    let shown = |tag_start: &str| -> Vec<String> {
        let mut shown = Vec::new();
        for (i, _) in filtered.match_indices(tag_start) {
            let tag = &filtered[i..i + filtered[i..].find('>').expect("tag end")];
            if !tag.contains(" hidden") {
                shown.push(tag.to_owned());
            }
        }
        shown
    };
    let scenarios = shown("<details class=\"scenario");
    assert_eq!(scenarios.len(), 1, "{scenarios:?}");
    assert!(
        scenarios[0].contains(&format!("id=\"scenario-{}\"", suite_size())),
        "{scenarios:?}"
    );
    let rows = shown("<tr data-rule=");
    assert_eq!(rows, ["<tr data-rule=\"B-01\" data-verdict=\"failed\""]);

    let shot_dir = tempfile::tempdir().expect("temp dir");
    let pdf = shot_dir.path().join("report.pdf");
    chromium(&browser, &url, &format!("--print-to-pdf={}", pdf.display()));
    let pdf = std::fs::read(&pdf).expect("PDF written");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    assert!(pdf.len() > 10_000, "an empty print: {} bytes", pdf.len());
    let shot = shot_dir.path().join("report.png");
    chromium(&browser, &url, &format!("--screenshot={}", shot.display()));
    let png = std::fs::read(&shot).expect("screenshot written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(png.len() > 10_000, "a blank page: {} bytes", png.len());
}

#[test]
fn three_merged_shards_count_like_one_unsharded_run() {
    let t = Test::with_bundled_suite().file("scenarios/zz_hostile.yaml", HOSTILE_SCENARIO);
    let whole = t.run(&["test", "--report-dir", "whole"]);
    assert_eq!(whole.code, 1, "{whole}");
    let mut files = Vec::new();
    let mut sizes = Vec::new();
    for k in 1..=3 {
        let dir = format!("shard-{k}");
        let shard = format!("{k}/3");
        let out = t.run(&["test", "--shard", &shard, "--report-dir", &dir]);
        assert!(matches!(out.code, 0 | 1), "{out}");
        let results: Value =
            serde_json::from_str(&out.read(&format!("{dir}/results.json"))).expect("JSON");
        sizes.push(
            results["summary"]["scenarios"]["total"]
                .as_u64()
                .expect("total"),
        );
        files.push(format!("{dir}/results.json"));
    }
    assert_eq!(
        sizes.iter().sum::<u64>() as usize,
        suite_size(),
        "{sizes:?}"
    );
    let (min, max) = (sizes.iter().min(), sizes.iter().max());
    assert!(
        max.zip(min).is_some_and(|(a, b)| a - b <= 1),
        "balanced: {sizes:?}"
    );

    let mut args = vec!["report", "merge", "--out", "merged"];
    args.extend(files.iter().map(String::as_str));
    let merged = t.run(&args);
    assert_eq!(
        merged.code, 1,
        "the merged run failed like the whole one: {merged}"
    );
    let whole_json: Value = serde_json::from_str(&whole.read("whole/results.json")).expect("JSON");
    let merged_json: Value =
        serde_json::from_str(&merged.read("merged/results.json")).expect("JSON");
    assert_eq!(merged_json["summary"], whole_json["summary"]);
    let violations = schema_check::violations(&results_schema(), &merged_json);
    assert!(violations.is_empty(), "{violations:#?}");
    assert_eq!(merged_json["status"], whole_json["status"]);
    let names = |v: &Value| -> Vec<String> {
        let mut n: Vec<String> = v["scenarios"]
            .as_array()
            .expect("scenarios")
            .iter()
            .map(|s| s["name"].as_str().expect("name").to_owned())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&merged_json), names(&whole_json));
    let count = |xml: &str| xml.matches("<testcase ").count();
    assert_eq!(
        count(&merged.read("merged/junit.xml")),
        count(&whole.read("whole/junit.xml"))
    );
    assert!(
        merged
            .read("merged/index.html")
            .contains("<table id=\"matrix\">")
    );
}

#[test]
fn bad_shard_and_merge_input_is_a_located_error_with_exit_2() {
    let t =
        Test::with_bundled_suite().file("broken.json", "{\n  \"schema_version\": 1,\n  \"x\"\n}");
    let out = t.run(&["test", "--shard", "4/3"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("K must be between 1 and N"), "{out}");
    let out = t.run(&["report", "merge", "broken.json"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("broken.json:4:1: not a grantspec results.json"),
        "{out}"
    );
    let out = t.run(&["report", "merge", "missing.json"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("cannot read missing.json"), "{out}");
}
