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
        out.stdout
            .contains("- expected \"MAC\"\n    + actual   \"Bearer\""),
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
fn a_prerequisite_step_whose_should_expectation_fails_skips_the_rest_and_the_run_passes() {
    // A should-graded expectation only warns; on a prerequisite step it also skips what relies
    // on it. Without `prerequisite`, the next step runs (and here fails).
    let scenario = |prerequisite: bool| {
        format!(
            "name: p\nsteps:\n  - name: revoke\n    token: {{ grant_type: client_credentials, client: app_basic }}\n    rules: {{ grade: {{ L-09: should }} }}\n    prerequisite: {prerequisite}\n    expect: {{ rule: L-09, status: 201 }}\n  - name: relies on it\n    token: {{ grant_type: client_credentials, client: app_basic }}\n    expect: {{ status: 201 }}\n"
        )
    };
    let out = Test::new()
        .file("scenarios/p.yaml", &scenario(true))
        .run(&["test"]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    let steps = &results["scenarios"][0]["steps"];
    assert_eq!(steps[0]["checks"][0]["verdict"], "warned", "{steps}");
    assert_eq!(steps[1]["verdict"], "skipped", "{steps}");
    assert!(
        steps[1]["skip_reason"]
            .as_str()
            .is_some_and(|r| r.contains("prerequisite step `revoke`")),
        "{steps}"
    );
    let out = Test::new()
        .file("scenarios/p.yaml", &scenario(false))
        .run(&["test"]);
    assert_eq!(out.code, 1, "{out}");
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
        .run(&["test", "--env", "down", "scenarios/discovery.yaml", "scenarios/app_credentials.yaml", "scenarios/app_credentials_errors.yaml"]);
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
        .run(&["test", "--env", "e", "scenarios/app_credentials.yaml"]);
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

/// A server that accepts connections and never answers: every request hangs until the timeout.
fn silent_server() -> (std::net::TcpListener, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let accepting = listener.try_clone().expect("clone");
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in accepting.incoming().flatten() {
            held.push(stream);
        }
    });
    (listener, port)
}

fn first_line(child: &mut std::process::Child) -> String {
    use std::io::BufRead;
    let stdout = child.stdout.as_mut().expect("stdout");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read");
    line
}

#[cfg(unix)]
#[test]
fn sigint_writes_reports_marked_interrupted_and_exits_3() {
    interrupted_by("INT", "SIGINT");
}

#[cfg(unix)]
#[test]
fn sigterm_writes_reports_marked_interrupted_and_exits_3() {
    interrupted_by("TERM", "SIGTERM");
}

#[cfg(unix)]
fn interrupted_by(signal: &str, name: &str) {
    let (_listener, port) = silent_server();
    let t = Test::with_bundled_suite().file(
        "environments/slow.yaml",
        &format!("issuer: http://127.0.0.1:{port}\nvariables: {{ app_scope: x }}\nsecrets:\n  s: {{ env: GRANTSPEC_TEST_SECRET }}\nclients:\n  app_basic: {{ client_id: a, client_secret: s }}\nhttp: {{ timeout: 60s }}\n"),
    ).env("GRANTSPEC_TEST_SECRET", "irrelevant-secret");
    let mut child = t.spawn(&[
        "test",
        "--env",
        "slow",
        "scenarios/discovery.yaml",
        "scenarios/app_credentials.yaml",
        "scenarios/app_credentials_errors.yaml",
    ]);
    assert!(first_line(&mut child).starts_with("running 3 scenarios"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    let killed = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: Value = serde_json::from_str(
        &std::fs::read_to_string(t.path().join("reports/results.json"))
            .expect("results.json written"),
    )
    .expect("JSON");
    assert_eq!(results["status"], "interrupted");
    assert_eq!(results["errors"][0]["kind"], "interrupted");
    assert!(
        results["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains(name)),
        "{results}"
    );
    assert_eq!(
        results["summary"]["scenarios"]["total"], 3,
        "every scenario is accounted for"
    );
    assert_well_formed_xml(
        &std::fs::read_to_string(t.path().join("reports/junit.xml")).expect("junit"),
    );
    assert!(t.path().join("reports/index.html").is_file());
}

#[test]
fn a_slow_target_is_a_timeout_error_not_a_failure() {
    let (_listener, port) = silent_server();
    let out = Test::with_bundled_suite()
        .file(
            "environments/slow.yaml",
            &format!("issuer: http://127.0.0.1:{port}\nvariables: {{ app_scope: x }}\nhttp: {{ timeout: 300ms }}\nclients:\n  app_basic: {{ client_id: a }}\n"),
        )
        .run(&["test", "--env", "slow", "scenarios/discovery.yaml", "scenarios/app_credentials.yaml"]);
    assert_eq!(out.code, 3, "{out}");
    assert!(out.stdout.contains("timed out"), "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    assert_eq!(results["errors"][0]["kind"], "timeout");
    assert_eq!(results["summary"]["scenarios"]["failed"], 0);
}

#[test]
fn serve_runs_the_sandbox_standalone() {
    let t = Test::new();
    let mut child = t.spawn(&["serve", "--addr", "127.0.0.1:0", "--issuer-path", "/ap4"]);
    let mut issuer = String::new();
    {
        use std::io::BufRead;
        let stdout = child.stdout.as_mut().expect("stdout");
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .take(10)
        {
            if let Some(rest) = line.trim().strip_prefix("issuer:") {
                issuer = rest.trim().to_string();
                break;
            }
        }
    }
    assert!(
        issuer.starts_with("http://127.0.0.1:") && issuer.ends_with("/ap4"),
        "{issuer}"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let metadata: Value = rt.block_on(async {
        reqwest::get(format!("{issuer}/.well-known/openid-configuration"))
            .await
            .expect("discovery answers")
            .json()
            .await
            .expect("JSON")
    });
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(metadata["issuer"], issuer.as_str());
}

#[test]
fn docs_rules_md_is_generated_from_the_code() {
    let out = Test::new().run(&["rules", "--markdown"]);
    assert_eq!(out.code, 0);
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md"))
        .expect("docs/rules.md");
    assert!(
        committed == out.stdout,
        "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`"
    );
}

#[test]
fn serve_takes_a_config_file_defects_and_faults() {
    let t = Test::new()
        .file(
            "sandbox.yaml",
            "issuer_path: /ap4\nclients:\n  - name: partner\n    client_id: partner-app\n    client_secret: { env: GRANTSPEC_TEST_PARTNER_SECRET }\n    auth_method: client_secret_post\n    grant_types: [client_credentials]\n    scopes: [PersonneConsult]\nlifetimes: { code: 5s, refresh_credit: 2 }\ndefects: [no-store-missing]\n",
        )
        .env("GRANTSPEC_TEST_PARTNER_SECRET", "partner-s3cret-value");
    let mut child = t.spawn(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--config",
        "sandbox.yaml",
        "--latency",
        "1ms",
        "--keys-dir",
        "keys",
    ]);
    let mut lines = Vec::new();
    {
        use std::io::BufRead;
        let stdout = child.stdout.as_mut().expect("stdout");
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            let done = line.starts_with("press Ctrl-C");
            lines.push(line);
            if done {
                break;
            }
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = lines.join("\n");
    assert!(text.contains("/ap4"), "{text}");
    assert!(
        text.contains(
            "client_id=partner-app auth=client_secret_post client_secret=partner-s3cret-value"
        ),
        "{text}"
    );
    assert!(
        t.path().join("keys/app_cert.pem").is_file(),
        "app_cert's key is written to a file, not printed"
    );
    assert!(!text.contains("PRIVATE KEY"), "{text}");
}

#[test]
fn serve_rejects_a_bad_config_with_its_location_and_lists_defects() {
    let t = Test::new().file("bad.yaml", "clients:\n  - name: x\n    client_id: y\n    auth_method: client_secret_jwt\n    grant_types: [password]\naccess_token_revocation: some\n");
    let out = t.run(&["serve", "--config", "bad.yaml"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("bad.yaml:4:18"), "{out}");
    assert!(out.stderr.contains("bad.yaml:5:19"), "{out}");
    assert!(
        out.stderr.contains("bad.yaml:6:26")
            && out
                .stderr
                .contains("unknown access_token_revocation `some`"),
        "{out}"
    );
    let listed = t.run(&["serve", "--list-defects"]);
    assert_eq!(listed.code, 0);
    assert!(
        listed.stdout.contains("state-not-echoed") && listed.stdout.contains("RFC 6749 §4.1.2"),
        "{listed}"
    );
    let unknown = t.run(&["serve", "--defect", "no-such-defect"]);
    assert_eq!(unknown.code, 2, "{unknown}");
}

/// A suite longer than the number of scenarios a run holds (1,000) is checked up front like any
/// other, then read again file by file as it runs: every scenario runs, in the suite's order,
/// and a mistake in any file still stops the run before the first request.
#[test]
fn a_long_suite_is_read_again_as_it_runs() {
    let scenario = |i: usize| {
        format!(
            "name: long {i:04}\nsteps:\n  - name: discovery\n    http: {{ url: \"{{{{ issuer }}}}/.well-known/openid-configuration\" }}\n    expect:\n      status: 200\n"
        )
    };
    let mut test = Test::new();
    for i in 0..1001 {
        test = test.file(&format!("scenarios/s{i:04}.yaml"), &scenario(i));
    }
    let out = test.run(&["test", "--quiet"]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).unwrap();
    let names: Vec<&str> = results["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 1001);
    assert_eq!(names[0], "long 0000");
    assert_eq!(names[1000], "long 1000");
    assert_eq!(results["summary"]["scenarios"]["passed"], 1001);

    let mut broken = Test::new();
    for i in 0..1001 {
        broken = broken.file(&format!("scenarios/s{i:04}.yaml"), &scenario(i));
    }
    let out = broken
        .file(
            "scenarios/s0500.yaml",
            "name: long 0500\nsteps:\n  - name: discovery\n    http: { url: \"{{ nowhere }}\" }\n",
        )
        .run(&["test", "--quiet"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("scenarios/s0500.yaml:4:"), "{out}");
}
