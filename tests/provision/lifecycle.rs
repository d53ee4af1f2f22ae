//! plan, apply, drift, destroy, saved plans, key rotation, import, external fixtures.

use super::*;

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
fn a_client_changed_behind_our_back_is_reported_and_restored() {
    let live = Live::start();
    let t = workspace(&live);
    assert_eq!(run(&t, &["apply", "--auto-approve"]).code, 0);
    let clients = state_clients(&state(&run(&t, &["state", "list"])));
    let (_, _, uri, token, _) = clients
        .iter()
        .find(|c| c.0 == "client.app_basic")
        .cloned()
        .expect("app_basic");
    live.change_scope(&uri, &token, "UserConsult");

    let drift = run(&t, &["plan", "--refresh-only", "--detailed-exitcode"]);
    assert_eq!(drift.code, 2, "{drift}");
    assert!(
        drift.stdout.contains("# client.app_basic has changed"),
        "{drift}"
    );
    assert!(
        drift
            .stdout
            .contains(r#""PersonneConsult UserConsult" -> "UserConsult""#),
        "{drift}"
    );
    let plan = run(&t, &["plan", "--detailed-exitcode"]);
    assert_eq!(plan.code, 2, "{plan}");
    assert!(plan.stdout.contains("~ client.app_basic"), "{plan}");

    let recorded = run(&t, &["apply", "--refresh-only", "--auto-approve"]);
    assert_eq!(recorded.code, 0, "{recorded}");
    let shown = run(&t, &["state", "show", "client.app_basic"]);
    assert!(
        shown.stdout.contains(r#"scope "#) && shown.stdout.contains(r#"= "UserConsult""#),
        "{shown}"
    );

    assert_eq!(run(&t, &["apply", "--auto-approve"]).code, 0);
    assert_eq!(run(&t, &["plan", "--detailed-exitcode"]).code, 0);
}
