//! Fixtures and `grantspec test`: the embedded run, --ephemeral-fixtures, secrecy.

use super::*;

#[test]
fn no_secret_is_printed_by_plan_apply_state_show_or_destroy() {
    let live = Live::start();
    let t = workspace(&live);
    let mut outputs = vec![run(&t, &["plan"]), run(&t, &["apply", "--auto-approve"])];
    let s = state(&outputs[1]);
    let t = t.file(
        "fixtures.yaml",
        &FIXTURES.replace("scope: PersonneConsult UserConsult", "scope: UserConsult"),
    );
    outputs.push(run(&t, &["plan"]));
    outputs.push(run(&t, &["apply", "--auto-approve"]));
    outputs.push(run(&t, &["state", "show", "client.app_basic"]));
    outputs.push(run(&t, &["state", "show", "key.app_cert_key"]));
    outputs.push(run(&t, &["destroy", "--auto-approve"]));
    let shown = &outputs[4];
    assert!(
        shown.stdout.contains("client_secret") && shown.stdout.contains("(sensitive value)"),
        "{shown}"
    );
    let pem = std::fs::read_to_string(t.path().join(".grantspec/keys/live/app_cert_key.pem"))
        .unwrap_or_default();
    let mut secrets: Vec<String> = vec![IAT.to_string()];
    for (_, _, _, token, secret) in state_clients(&s) {
        secrets.push(token);
        secrets.extend(secret);
    }
    let key_line = pem.lines().nth(1).unwrap_or("none").to_string();
    secrets.push(key_line);
    for out in &outputs {
        for secret in &secrets {
            assert!(!secret.is_empty());
            assert!(
                !out.stdout.contains(secret.as_str()) && !out.stderr.contains(secret.as_str()),
                "a secret was printed\n{out}"
            );
        }
    }
}

#[test]
fn ephemeral_fixtures_are_applied_for_the_run_and_destroyed_after() {
    let live = Live::start();
    let t = workspace(&live).file(
        "scenarios/token.yaml",
        "name: token\nsteps:\n  - name: client credentials\n    http:\n      method: POST\n      url: \"{{ endpoints.token }}\"\n      auth: { basic: app_basic }\n      form: { grant_type: client_credentials }\n    expect:\n      status: 200\n",
    );
    let out = run(&t, &["test", "--ephemeral-fixtures"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr.contains("client.app_basic: Creation complete"),
        "{out}"
    );
    assert!(
        out.stderr
            .contains("client.app_basic: Destruction complete"),
        "{out}"
    );
    assert_eq!(run(&t, &["state", "list"]).stdout, "");

    // A failing run destroys them too.
    let t = t.file(
        "scenarios/token.yaml",
        "name: token\nsteps:\n  - name: client credentials\n    http:\n      method: POST\n      url: \"{{ endpoints.token }}\"\n      auth: { basic: app_basic }\n      form: { grant_type: client_credentials }\n    expect:\n      status: 418\n",
    );
    let failed = run(&t, &["test", "--ephemeral-fixtures"]);
    assert_eq!(failed.code, 1, "{failed}");
    assert!(failed.stderr.contains("Destruction complete"), "{failed}");
    assert_eq!(run(&t, &["state", "list"]).stdout, "");
}

#[test]
fn test_uses_the_clients_the_state_holds() {
    let live = Live::start();
    let t = workspace(&live).file(
        "scenarios/token.yaml",
        "name: token\nsteps:\n  - name: client credentials\n    http:\n      method: POST\n      url: \"{{ endpoints.token }}\"\n      auth: { basic: app_basic }\n      form: { grant_type: client_credentials }\n    expect:\n      status: 200\n",
    );
    assert_eq!(run(&t, &["apply", "--auto-approve"]).code, 0);
    let out = run(&t, &["test"]);
    assert_eq!(out.code, 0, "{out}");
}

#[test]
fn validate_reports_an_undeclared_fixture_with_its_location() {
    let live = Live::start();
    let t = workspace(&live).file(
        "scenarios/token.yaml",
        "name: token\nsteps:\n  - name: client credentials\n    http:\n      method: POST\n      url: \"{{ endpoints.token }}\"\n      auth: { basic: app_nope }\n",
    );
    let out = run(&t, &["validate"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("app_nope"), "{out}");
    assert!(out.stderr.contains("scenarios/token.yaml:7"), "{out}");
}

#[test]
fn an_interrupted_run_still_destroys_its_ephemeral_fixtures() {
    let live = Live::start();
    // A server that accepts and never answers keeps the run busy until the signal.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let t = workspace(&live).file(
        "scenarios/hang.yaml",
        &format!(
            "name: hang\nsteps:\n  - name: a token first\n    token: {{ grant_type: client_credentials, client: app_basic }}\n    expect: {{ status: 200 }}\n  - name: never answered\n    http:\n      url: \"http://127.0.0.1:{port}/?client={{{{ clients.app_basic.client_id }}}}\"\n    expect:\n      status: 200\n"
        ),
    );
    let child = t.spawn(&["test", "--ephemeral-fixtures", "--env", "live"]);
    let state_path = t.path().join(".grantspec/state/live.json");
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        let ready = std::fs::read_to_string(&state_path)
            .ok()
            .and_then(|s| serde_json::from_str::<Value>(&s).ok())
            .is_some_and(|s| state_clients(&s).len() == 2);
        if ready {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    let clients = state_clients(&state(&run(&t, &["state", "list"])));
    assert_eq!(clients.len(), 2);
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("client.app_basic: Destruction complete"),
        "{stderr}"
    );
    assert_eq!(run(&t, &["state", "list"]).stdout, "");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let reports: Vec<String> = ["results.json", "junit.xml", "index.html"]
        .iter()
        .map(|f| std::fs::read_to_string(t.path().join("reports").join(f)).expect(f))
        .collect();
    for (address, _, uri, token, secret) in clients {
        assert_eq!(live.read_status(&uri, &token), 401, "{address} is gone");
        for s in [Some(token), secret].into_iter().flatten() {
            assert!(
                !stdout.contains(&s) && !stderr.contains(&s),
                "{address}: printed"
            );
            assert!(
                reports.iter().all(|r| !r.contains(&s)),
                "{address}: in a report"
            );
        }
    }
    drop(silent);
}

#[test]
fn the_embedded_run_provisions_fixtures_and_signs_with_the_generated_key() {
    let scenario = "name: certificate\nsteps:\n  - name: token with a signed assertion\n    token:\n      grant_type: client_credentials\n      client: app_cert\n    expect:\n      status: 200\n  - name: the provisioned client is the one used\n    http: { url: \"{{ endpoints.discovery }}?client={{ clients.app_cert.client_id }}\" }\n    expect: { status: 200 }\n";
    let t = Test::new()
        .file("fixtures.yaml", FIXTURES)
        .file("scenarios/cert.yaml", scenario);
    let out = t.run(&["test"]);
    assert_eq!(out.code, 0, "{out}");
    let results = out.read("reports/results.json");
    assert!(
        results.contains("?client=dyn-"),
        "a registered client, not a built-in one"
    );
    let keys = t.path().join(".grantspec/keys");
    let left = std::fs::read_dir(&keys).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "the run's key directory is removed with its keys");
}

#[test]
fn register_steps_send_the_environments_initial_access_token() {
    let live = Live::start();
    let t = workspace(&live).file(
        "scenarios/register.yaml",
        "name: register\nsteps:\n  - name: register a client\n    register:\n      metadata: { grant_types: [client_credentials], response_types: [] }\n    expect:\n      status: 201\n",
    );
    let out = run(&t, &["test"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        !out.stdout.contains(IAT) && !out.stderr.contains(IAT),
        "{out}"
    );
}
