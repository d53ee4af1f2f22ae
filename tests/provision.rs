//! Provisioning against the sandbox's RFC 7591/7592 registration endpoint, over loopback, by
//! driving the real binary: plan, apply, drift, destroy, locking, a kill midway, secrecy.

mod support;

#[path = "provision/live.rs"]
mod live;

use std::time::Duration;

use live::{IAT, Live, state_clients};
use serde_json::Value;
use support::{Output, Test};

const FIXTURES: &str = "keys:
  app_cert_key: { type: rsa, kid: apim-provisioner }
clients:
  app_basic:
    auth_method: client_secret_basic
    grant_types: [client_credentials]
    scope: PersonneConsult UserConsult
  app_cert:
    auth_method: private_key_jwt
    grant_types: [client_credentials]
    scope: ENT_ContratServicesManage
    response_style: certificate
    key: app_cert_key
";

fn workspace(live: &Live) -> Test {
    Test::new()
        .file("environments/live.yaml", &live.environment())
        .file("fixtures.yaml", FIXTURES)
        .env("LIVE_IAT", IAT)
}

fn state(out: &Output) -> Value {
    serde_json::from_str(&out.read(".grantspec/state/live.json")).expect("state is JSON")
}

fn run(t: &Test, args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(["--env", "live"]);
    t.run(&all)
}

#[test]
fn plan_apply_plan_is_a_no_op() {
    let live = Live::start();
    let t = workspace(&live);
    let plan = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{plan}");
    assert!(plan.stdout.contains("+ client.app_basic"), "{plan}");
    assert!(
        plan.stdout
            .contains("Plan: 3 to add, 0 to change, 0 to replace, 0 to destroy."),
        "{plan}"
    );
    let apply = run(&t, &["apply", "--auto-approve"]);
    assert_eq!(apply.code, 0, "{apply}");
    assert!(
        apply.stdout.contains("Apply complete! Resources: 3 added"),
        "{apply}"
    );
    let again = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(again.code, 0, "{again}");
    assert!(again.stdout.contains("No changes."), "{again}");

    let s = state(&again);
    assert_eq!(s["version"], 1);
    assert!(s["serial"].as_u64().unwrap_or(0) >= 3);
    for (address, _, uri, token, _) in state_clients(&s) {
        assert_eq!(live.read_status(&uri, &token), 200, "{address} exists");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in [
            ".grantspec/state/live.json",
            ".grantspec/keys/live/app_cert_key.pem",
        ] {
            let mode = std::fs::metadata(t.path().join(f))
                .expect(f)
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
    }
    let listed = run(&t, &["state", "list"]);
    assert_eq!(
        listed.stdout, "key.app_cert_key\nclient.app_basic\nclient.app_cert\n",
        "{listed}"
    );
}

#[test]
fn a_change_in_the_fixtures_plans_an_update_in_place() {
    let live = Live::start();
    let t = workspace(&live);
    assert_eq!(run(&t, &["apply", "--auto-approve"]).code, 0);
    let before = state_clients(&state(&run(&t, &["state", "list"])));
    let t = t.file(
        "fixtures.yaml",
        &FIXTURES.replace(
            "scope: PersonneConsult UserConsult",
            "scope: PersonneConsult",
        ),
    );
    let plan = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{plan}");
    assert!(
        plan.stdout
            .contains("client.app_basic will be updated in-place (scope changed)"),
        "{plan}"
    );
    assert!(
        plan.stdout.contains(r#"~ scope"#)
            && plan
                .stdout
                .contains(r#""PersonneConsult UserConsult" -> "PersonneConsult""#),
        "{plan}"
    );
    assert!(plan.stdout.contains("0 to add, 1 to change"), "{plan}");
    assert_eq!(run(&t, &["apply", "--auto-approve"]).code, 0);
    let after = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(after.code, 0, "{after}");
    let ids_after = state_clients(&state(&after));
    assert_eq!(
        before[0].1, ids_after[0].1,
        "updated in place, same client_id"
    );
}

#[test]
fn a_client_deleted_behind_our_back_is_reported_and_recreated() {
    let live = Live::start();
    let t = workspace(&live);
    assert_eq!(run(&t, &["apply", "--auto-approve"]).code, 0);
    let clients = state_clients(&state(&run(&t, &["state", "list"])));
    let (_, old_id, uri, token, _) = clients
        .iter()
        .find(|c| c.0 == "client.app_basic")
        .cloned()
        .expect("app_basic");
    live.delete(&uri, &token);

    let drift = run(&t, &["plan", "--refresh-only", "--detailed-exitcode"]);
    assert_eq!(drift.code, 2, "{drift}");
    assert!(
        drift.stdout.contains("# client.app_basic has been deleted"),
        "{drift}"
    );
    let plan = run(&t, &["plan"]);
    assert!(plan.stdout.contains("+ client.app_basic"), "{plan}");

    let apply = run(&t, &["apply", "--auto-approve"]);
    assert_eq!(apply.code, 0, "{apply}");
    assert!(apply.stdout.contains("1 added"), "{apply}");
    let after = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(after.code, 0, "{after}");
    let now = state_clients(&state(&after));
    let (_, new_id, uri, token, _) = now
        .iter()
        .find(|c| c.0 == "client.app_basic")
        .cloned()
        .expect("app_basic");
    assert_ne!(new_id, old_id);
    assert_eq!(live.read_status(&uri, &token), 200);
}

#[test]
fn destroy_leaves_nothing_behind() {
    let live = Live::start();
    let t = workspace(&live);
    assert_eq!(run(&t, &["apply", "--auto-approve"]).code, 0);
    let clients = state_clients(&state(&run(&t, &["state", "list"])));
    assert_eq!(clients.len(), 2);
    let destroy = run(&t, &["destroy", "--auto-approve"]);
    assert_eq!(destroy.code, 0, "{destroy}");
    assert!(
        destroy.stdout.contains("2 destroyed") || destroy.stdout.contains("3 destroyed"),
        "{destroy}"
    );
    let order: Vec<usize> = [
        "client.app_cert: Destroying",
        "key.app_cert_key: Destroying",
    ]
    .iter()
    .map(|l| destroy.stdout.find(l).expect(l))
    .collect();
    assert!(order[0] < order[1], "clients before their keys\n{destroy}");
    for (address, _, uri, token, _) in clients {
        assert_eq!(live.read_status(&uri, &token), 401, "{address} is gone");
    }
    assert_eq!(run(&t, &["state", "list"]).stdout, "");
    assert!(
        !t.path()
            .join(".grantspec/keys/live/app_cert_key.pem")
            .exists()
    );
    assert_eq!(
        run(&t, &["plan", "--destroy", "--detailed-exitcode"]).code,
        0
    );
}

#[test]
fn a_held_lock_makes_apply_fail_clearly_or_wait() {
    let live = Live::start();
    let t = workspace(&live);
    let workdir = grantspec::provision::Workdir::new(t.path().join(".grantspec"), "live");
    let held =
        grantspec::provision::StateLock::acquire(&workdir, "apply", Duration::ZERO).expect("lock");
    let refused = run(&t, &["apply", "--auto-approve"]);
    assert_eq!(refused.code, 1, "{refused}");
    assert!(
        refused.stderr.contains("is locked by grantspec apply (pid"),
        "{refused}"
    );
    assert!(refused.stderr.contains("--lock-timeout"), "{refused}");
    assert!(!t.path().join(".grantspec/state/live.json").exists());

    let child = {
        let mut c = t.spawn(&[
            "apply",
            "--auto-approve",
            "--env",
            "live",
            "--lock-timeout",
            "20s",
        ]);
        std::thread::sleep(Duration::from_millis(600));
        assert!(
            c.try_wait().expect("wait").is_none(),
            "it waits for the lock"
        );
        drop(held);
        c.wait_with_output().expect("apply")
    };
    assert!(
        child.status.success(),
        "{}",
        String::from_utf8_lossy(&child.stderr)
    );
    assert_eq!(run(&t, &["plan", "--detailed-exitcode"]).code, 0);
}

#[test]
fn two_concurrent_applies_leave_a_valid_state() {
    let live = Live::start_with(Some(Duration::from_millis(150)));
    let t = workspace(&live);
    let a = t.spawn(&["apply", "--auto-approve", "--env", "live"]);
    let b = t.spawn(&["apply", "--auto-approve", "--env", "live"]);
    let (a, b) = (
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    );
    let codes = [a.status.code(), b.status.code()];
    assert!(codes.contains(&Some(0)), "{codes:?}");
    for out in [&a, &b] {
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(err.contains("is locked by grantspec apply (pid"), "{err}");
        }
    }
    let plan = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{plan}");
    let s = state(&plan);
    assert_eq!(state_clients(&s).len(), 2);
}

#[test]
fn an_apply_killed_midway_leaves_a_state_the_next_apply_converges_from() {
    let live = Live::start_with(Some(Duration::from_millis(700)));
    let t = workspace(&live);
    let mut child = t.spawn(&["apply", "--auto-approve", "--env", "live"]);
    let state_path = t.path().join(".grantspec/state/live.json");
    // Wait for the key (written before the first registration), then kill during a POST.
    let started = std::time::Instant::now();
    while !state_path.exists() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    let partial: Value =
        serde_json::from_str(&std::fs::read_to_string(&state_path).expect("state")).expect("valid");
    assert!(
        partial["resources"].as_array().is_some_and(|r| r.len() < 3),
        "{partial}"
    );

    let apply = run(&t, &["apply", "--auto-approve"]);
    assert_eq!(apply.code, 0, "{apply}");
    let plan = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{plan}");
    for (address, _, uri, token, _) in state_clients(&state(&plan)) {
        assert_eq!(live.read_status(&uri, &token), 200, "{address}");
    }
}

#[test]
fn a_saved_plan_is_refused_once_the_state_moved_on() {
    let live = Live::start();
    let t = workspace(&live);
    let plan = run(&t, &["plan", "--out", "changes.json"]);
    assert_eq!(plan.code, 0, "{plan}");
    let saved = run(&t, &["apply", "changes.json"]);
    assert_eq!(saved.code, 0, "{saved}");
    let t = t.file(
        "fixtures.yaml",
        &FIXTURES.replace(
            "scope: ENT_ContratServicesManage",
            "scope: ENT_ContratServicesConsult",
        ),
    );
    assert_eq!(run(&t, &["plan", "--out", "update.json"]).code, 0);
    assert_eq!(
        run(
            &t,
            &["apply", "--auto-approve", "--replace", "key.app_cert_key"]
        )
        .code,
        0
    );
    let stale = run(&t, &["apply", "update.json"]);
    assert_eq!(stale.code, 1, "{stale}");
    assert!(
        stale
            .stderr
            .contains("saved plan was made against state serial"),
        "{stale}"
    );
}

#[test]
fn apply_asks_for_approval_and_refuses_without_a_terminal() {
    let live = Live::start();
    let t = workspace(&live);
    let out = run(&t, &["apply"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stderr.contains("--auto-approve"), "{out}");
    assert!(!t.path().join(".grantspec/state/live.json").exists());
}

#[test]
fn replacing_a_key_updates_its_client_with_the_new_public_key() {
    let live = Live::start();
    let t = workspace(&live);
    assert_eq!(run(&t, &["apply", "--auto-approve"]).code, 0);
    let thumb = |out: &Output| {
        state(out)["resources"][0]["thumbprint"]
            .as_str()
            .map(str::to_string)
    };
    let before = thumb(&run(&t, &["state", "list"]));
    let plan = run(&t, &["plan", "--replace", "key.app_cert_key"]);
    assert!(plan.stdout.contains("-/+ key.app_cert_key"), "{plan}");
    assert!(
        plan.stdout
            .contains("client.app_cert will be updated in-place (jwks changed)"),
        "{plan}"
    );
    let apply = run(
        &t,
        &["apply", "--auto-approve", "--replace", "key.app_cert_key"],
    );
    assert_eq!(apply.code, 0, "{apply}");
    let after = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(after.code, 0, "{after}");
    assert_ne!(before, thumb(&after));
}

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
fn a_mistake_in_fixtures_yaml_is_located_and_exits_2() {
    let live = Live::start();
    let t = workspace(&live).file(
        "fixtures.yaml",
        "clients:\n  app_basic:\n    auth_method: client_secret_basic\n    scop: x\n",
    );
    let out = run(&t, &["plan"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("fixtures.yaml:4:5"), "{out}");
    let detailed = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(detailed.code, 1, "{detailed}");
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
fn external_fixtures_come_from_the_environment_and_are_never_registered() {
    let live = Live::start();
    let env = format!(
        "issuer: {}\nprovisioning: external\nsecrets:\n  basic_secret: {{ env: BASIC_SECRET }}\nclients:\n  app_basic: {{ client_id: app-basic, client_secret: basic_secret }}\n",
        live.issuer
    );
    let fixtures = "clients:\n  app_basic:\n    auth_method: client_secret_basic\n    grant_types: [client_credentials]\n";
    let t = Test::new()
        .file("environments/live.yaml", &env)
        .file("fixtures.yaml", fixtures)
        .env("BASIC_SECRET", "unused");
    let plan = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{plan}");
    assert!(plan.stdout.contains("No changes."), "{plan}");

    let t = t.file(
        "fixtures.yaml",
        &format!("{fixtures}  app_other:\n    auth_method: client_secret_basic\n"),
    );
    let out = run(&t, &["plan"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("fixtures.yaml:5:3"), "{out}");
    assert!(
        out.stderr
            .contains("`app_other` is neither managed nor external"),
        "{out}"
    );
}

#[test]
fn import_adopts_an_existing_client_and_state_rm_forgets_it() {
    let live = Live::start();
    let t = workspace(&live);
    assert_eq!(run(&t, &["apply", "--auto-approve"]).code, 0);
    let clients = state_clients(&state(&run(&t, &["state", "list"])));
    let (_, id, uri, token, secret) = clients
        .iter()
        .find(|c| c.0 == "client.app_basic")
        .cloned()
        .expect("app_basic");
    let rm = run(&t, &["state", "rm", "client.app_basic"]);
    assert_eq!(rm.code, 0, "{rm}");
    assert_eq!(
        live.read_status(&uri, &token),
        200,
        "rm leaves the client alone"
    );

    let env = format!(
        "{}  rat: {{ env: RAT }}\n  basic: {{ env: BASIC }}\n",
        live.environment()
    );
    let t = t
        .file("environments/live.yaml", &env)
        .env("RAT", &token)
        .env("BASIC", secret.as_deref().unwrap_or_default());
    let import = run(
        &t,
        &[
            "import",
            "client.app_basic",
            &id,
            "--client-secret",
            "basic",
            "--registration-access-token",
            "rat",
            "--registration-client-uri",
            &uri,
        ],
    );
    assert_eq!(import.code, 0, "{import}");
    let plan = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 0, "{plan}");
    let destroy = run(&t, &["destroy", "--auto-approve"]);
    assert_eq!(destroy.code, 0, "{destroy}");
    assert_eq!(live.read_status(&uri, &token), 401);
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
