//! No secret leaks: canary values are planted as a client secret, a private key, a user's
//! password, the registration initial access token and a TLS client certificate's key; every
//! command runs with every report and verbose output; then every byte grantspec wrote (stdout,
//! stderr, reports, snapshots, docs, plans) is searched for the canaries, for what derives from
//! them (form-encoded, Basic header, PEM lines) and for the credentials the server issued
//! (client secrets and registration access tokens recorded in the state). Zero hits.

mod support;

use std::io::BufRead;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use support::Test;

const CLIENT_SECRET: &str = "cnry-clientsecret-Q7x9:+/ Zk&w";
const PASSWORD: &str = "cnry-password-8Hs2%&=x";
const IAT: &str = "cnry-iat-4Tq7LmPz9vB";

const SANDBOX: &str = r#"clients:
  - name: partner
    client_id: partner-app
    client_secret: { env: CANARY_CLIENT_SECRET }
    auth_method: client_secret_basic
    grant_types: [client_credentials]
    scopes: [PersonneConsult]
users:
  - { username: topsi, name: Topsi Testtopsiun, given_name: TOPSI, family_name: TESTTOPSIUN, password: { env: CANARY_PASSWORD } }
initial_access_token: { env: CANARY_IAT }
"#;

const CANARY_SCENARIO: &str = r#"name: Canary
steps:
  - name: token with the canary secret
    token: { grant_type: client_credentials, client: partner }
    expect: { status: 200, snapshot: true }
  - name: the secret echoed in a raw request
    http:
      method: POST
      url: "{{ endpoints.token }}"
      auth: { basic: partner }
      form: { grant_type: client_credentials, note: "{{ secrets.partner_secret }}" }
    expect:
      status: 200
      json: { access_token: { regex: "^at-" } }
"#;

fn form(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Every string that must never appear in output; `state` is the state file as it was after
/// `apply` (with the credentials the server issued).
fn needles(dir: &Path, state: &str) -> Vec<(String, String)> {
    let mut n = Vec::new();
    for (what, v) in [
        ("client secret", CLIENT_SECRET),
        ("password", PASSWORD),
        ("initial access token", IAT),
    ] {
        n.push((what.to_string(), v.to_string()));
        n.push((format!("{what}, form-encoded"), form(v)));
        n.push((format!("{what}, base64"), STANDARD.encode(v)));
    }
    let basic = STANDARD.encode(format!("{}:{}", form("partner-app"), form(CLIENT_SECRET)));
    n.push(("Basic credentials".into(), basic));
    let pem = std::fs::read_to_string(dir.join("keys/app_cert.pem"))
        .expect("the sandbox wrote app_cert's key");
    for line in pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
    {
        n.push(("private key line".into(), line.to_string()));
    }
    // What the server issued at registration, as the state holds it.
    {
        let v: serde_json::Value = serde_json::from_str(state).expect("state JSON");
        let mut stack = vec![&v];
        while let Some(x) = stack.pop() {
            match x {
                serde_json::Value::Object(m) => {
                    for (k, val) in m {
                        let sensitive = k.contains("secret") || k.contains("access_token");
                        if let Some(s) = val.as_str().filter(|s| sensitive && s.len() >= 8) {
                            n.push((format!("issued {k}"), s.to_string()));
                        }
                        stack.push(val);
                    }
                }
                serde_json::Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
    }
    n
}

/// Files grantspec wrote, except its inputs and the state file (which must hold credentials,
/// mode 0600, and is never printed).
fn written_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .into_owned();
            if rel.starts_with("keys")
                || rel.starts_with(".grantspec/state")
                || rel == "sandbox.yaml"
            {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn no_canary_and_nothing_derived_from_one_appears_in_any_output() {
    let t = Test::with_bundled_suite()
        .file("sandbox.yaml", SANDBOX)
        .file("scenarios/canary.yaml", CANARY_SCENARIO)
        .env("CANARY_CLIENT_SECRET", CLIENT_SECRET)
        .env("CANARY_PASSWORD", PASSWORD)
        .env("CANARY_IAT", IAT)
        // The snapshot workflow (write pending, accept) is a developer's, never CI's: this test
        // runs it as a developer would, also when the suite itself runs in CI.
        .env("CI", "false");
    let mut server = t.spawn(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--config",
        "sandbox.yaml",
        "--keys-dir",
        "keys",
    ]);
    let mut issuer = String::new();
    {
        let stdout = server.stdout.as_mut().expect("stdout");
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(rest) = line.trim().strip_prefix("issuer:") {
                issuer = rest.trim().to_string();
            }
            if line.starts_with("press Ctrl-C") {
                break;
            }
        }
    }
    assert!(issuer.starts_with("http://127.0.0.1:"), "{issuer}");
    let env = format!(
        "issuer: {issuer}\nprofile: bouygues\nprovisioning: dynamic\nregistration: {{ initial_access_token: iat }}\nvariables: {{ app_scope: PersonneConsult }}\nsecrets:\n  iat: {{ env: CANARY_IAT }}\n  partner_secret: {{ env: CANARY_CLIENT_SECRET }}\n  topsi_password: {{ env: CANARY_PASSWORD }}\n  cert_key: {{ file: ../keys/app_cert.pem }}\nclients:\n  partner: {{ client_id: partner-app, client_secret: partner_secret }}\n  app_cert: {{ client_id: app-cc-jwt, private_key: cert_key, key_id: apim-provisioner }}\nusers:\n  topsi: {{ username: topsi, password: topsi_password }}\n"
    );
    let t = t.file("environments/canary.yaml", &env);
    let mut outputs = Vec::new();
    let commands: &[&[&str]] = &[
        &["validate", "--env", "canary"],
        &["plan", "--env", "canary", "--out", "plan.json"],
        &["apply", "--env", "canary", "--auto-approve"],
        &["state", "list", "--env", "canary"],
        &["state", "show", "client.web_app", "--env", "canary"],
        &[
            "test",
            "--env",
            "canary",
            "--verbose",
            "--update-snapshots=new",
            "--report-dir",
            "reports",
        ],
        &["snapshots", "accept"],
        &[
            "test",
            "--env",
            "canary",
            "--verbose",
            "--report-dir",
            "reports2",
        ],
        &["plan", "--env", "canary", "--detailed-exitcode"],
        &[
            "test",
            "--env",
            "canary",
            "--ephemeral-fixtures",
            "--report-dir",
            "reports3",
            "scenarios/canary.yaml",
        ],
        &["destroy", "--env", "canary", "--auto-approve"],
    ];
    let mut state = String::new();
    for args in commands {
        let out = t.run(args);
        assert!(!out.stderr.contains("panicked"), "{args:?}: {out}");
        if args[0] == "apply" {
            assert_eq!(out.code, 0, "{out}");
            state = std::fs::read_to_string(t.path().join(".grantspec/state/canary.json"))
                .expect("state after apply");
        }
        outputs.push((format!("{args:?}"), out));
    }
    let _ = server.kill();
    let _ = server.wait();

    // The run must really have used the canaries: the suite passed with them (the first test
    // run wrote the canary scenario's snapshot as pending; `snapshots accept` accepted it).
    let test_run = &outputs[7].1;
    assert!(test_run.stdout.contains("PASS  Canary"), "{test_run}");
    assert!(
        test_run.stdout.contains("PASS  User login"),
        "the password canary logged in: {test_run}"
    );

    let needles = needles(t.path(), &state);
    assert!(
        needles.iter().any(|(w, _)| w.starts_with("issued")),
        "the state held issued credentials to look for"
    );
    let mut hits = Vec::new();
    for (cmd, out) in &outputs {
        for (what, needle) in &needles {
            if out.stdout.contains(needle.as_str()) || out.stderr.contains(needle.as_str()) {
                hits.push(format!("{what} in the output of {cmd}"));
            }
        }
    }
    let files = written_files(t.path());
    assert!(
        files.iter().any(|f| f.ends_with("reports/index.html")),
        "reports were written"
    );
    assert!(
        files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "snap")),
        "snapshots were written"
    );
    for f in &files {
        let bytes = std::fs::read(f).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        for (what, needle) in &needles {
            if text.contains(needle.as_str()) {
                hits.push(format!("{what} in {}", f.display()));
            }
        }
    }
    assert!(hits.is_empty(), "secrets leaked:\n{}", hits.join("\n"));
}

const TLS_SCENARIO: &str = r#"name: Client certificate canary
steps:
  - name: token over mutual TLS
    token: { grant_type: client_credentials, client: mtls_app }
    expect: { status: 200 }
  - name: the key echoed in a raw request
    http:
      method: POST
      url: "{{ endpoints.token }}"
      form: { grant_type: client_credentials, client_id: mtls-app, note: "{{ secrets.app_key }}" }
    expect: { status: 400, json: { error: invalid_client } }
  - name: the key as an expected value, so that the failure shows it
    introspect: { client: mtls_app }
    expect: { status: 200, json: { client_id: "{{ secrets.app_key }}" } }
"#;

/// A client certificate's private key (a canary: generated for this test) never appears in
/// output, whole or line by line, encoded or not — neither when the run uses it, nor when a
/// scenario echoes it, nor when it does not belong to its certificate.
#[test]
fn no_client_certificate_key_appears_in_any_output() {
    let t = Test::new().env("CI", "false");
    let Some(pki) = support::pki::pki_or_skip(&t.path().join("pki")) else {
        return;
    };
    let t = t.file(
        "sandbox.yaml",
        &format!(
            "clients:\n  - {{ name: mtls_app, client_id: mtls-app, auth_method: tls_client_auth, grant_types: [client_credentials], scopes: [PersonneConsult], tls_client_auth_subject_dn: \"{}\" }}\n",
            support::pki::APP_SUBJECT
        ),
    );
    let served = t.serve_tls("sandbox.yaml");
    let env = |key: &str| {
        format!(
            "issuer: {}\nprofile: generic\nhttp: {{ ca_bundle: ../pki/ca.pem }}\nsecrets:\n  app_key: {{ file: ../pki/{key} }}\nclients:\n  mtls_app: {{ client_id: mtls-app, auth_method: tls_client_auth, tls: {{ cert: ../pki/app.pem, key: app_key }} }}\n",
            served.issuer
        )
    };
    let t = t
        .file("scenarios/canary.yaml", TLS_SCENARIO)
        .file("environments/canary.yaml", &env("app.key"))
        .file("environments/mismatch.yaml", &env("intruder.key"));
    let commands: &[&[&str]] = &[
        &["validate", "--env", "canary"],
        &["test", "--env", "canary", "--verbose"],
        &["docs", "--env", "canary", "--out", "site"],
        &[
            "test",
            "--env",
            "mismatch",
            "--report-dir",
            "reports-mismatch",
        ],
    ];
    let mut outputs = Vec::new();
    for args in commands {
        let out = t.run(args);
        assert!(!out.stderr.contains("panicked"), "{args:?}: {out}");
        outputs.push((format!("{args:?}"), out));
    }
    drop(served);
    let run = &outputs[1].1;
    assert_eq!(run.code, 1, "the last step fails, as planned: {run}");
    assert!(run.stdout.contains("[REDACTED:"), "{run}");
    let mismatch = &outputs[3].1;
    assert_eq!(mismatch.code, 2, "{mismatch}");

    let mut needles = Vec::new();
    for key in ["app.key", "intruder.key"] {
        let pem = pki.read(key);
        needles.push((format!("{key}, base64"), STANDARD.encode(pem.trim_end())));
        needles.push((format!("{key}, form-encoded"), form(pem.trim_end())));
        for line in pem
            .lines()
            .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        {
            needles.push((format!("{key} line"), line.to_string()));
            needles.push((format!("{key} line, form-encoded"), form(line)));
        }
    }
    let mut hits = Vec::new();
    for (cmd, out) in &outputs {
        for (what, needle) in &needles {
            if out.stdout.contains(needle.as_str()) || out.stderr.contains(needle.as_str()) {
                hits.push(format!("{what} in the output of {cmd}"));
            }
        }
    }
    let files: Vec<_> = written_files(t.path())
        .into_iter()
        .filter(|f| !f.starts_with(t.path().join("pki")))
        .collect();
    assert!(
        files.iter().any(|f| f.ends_with("reports/results.json")),
        "reports were written"
    );
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).expect("read")).into_owned();
        for (what, needle) in &needles {
            if text.contains(needle.as_str()) {
                hits.push(format!("{what} in {}", f.display()));
            }
        }
    }
    assert!(
        hits.is_empty(),
        "the client key leaked:\n{}",
        hits.join("\n")
    );
}
