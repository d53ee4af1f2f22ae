//! Mutual TLS (RFC 8705) with real handshakes on loopback: the sandbox served over HTTPS
//! (`grantspec serve --tls-cert`, client certificates optional at the handshake), the real
//! binary presenting each client's certificate. A refused certificate is an `invalid_client`
//! verdict; a server certificate that cannot be trusted is a TLS error; a bad certificate or
//! key file is an input error at its YAML line.

mod support;

#[path = "mtls/plain_http.rs"]
mod plain_http;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::Value;
use support::pki::{APP_SUBJECT, Pki, pki_or_skip};
use support::{Output, Served, Test};

/// The sandbox's mutual-TLS clients, besides its built-in ones.
fn serve_config() -> String {
    format!(
        "clients:\n  - {{ name: mtls_app, client_id: mtls-app, auth_method: tls_client_auth, grant_types: [client_credentials], scopes: [PersonneConsult], tls_client_auth_subject_dn: \"{APP_SUBJECT}\" }}\n  - {{ name: mtls_san, client_id: mtls-san, auth_method: tls_client_auth, grant_types: [client_credentials], scopes: [PersonneConsult], tls_client_auth_san_dns: mtls-app.example }}\n  - {{ name: self_app, client_id: self-app, auth_method: self_signed_tls_client_auth, grant_types: [client_credentials], scopes: [PersonneConsult], tls_certificate: pki/self.pem }}\n"
    )
}

/// A certificate file of the PKI and the secret holding its key.
type Tls = Option<(&'static str, &'static str)>;

/// Clients by name: `(name, client_id, auth_method, certificate and key secret)`.
const CLIENTS: &[(&str, &str, &str, Tls)] = &[
    (
        "mtls_app",
        "mtls-app",
        "tls_client_auth",
        Some(("app.pem", "app_key")),
    ),
    (
        "mtls_san",
        "mtls-san",
        "tls_client_auth",
        Some(("app.pem", "app_sec1_key")),
    ),
    (
        "self_app",
        "self-app",
        "self_signed_tls_client_auth",
        Some(("self.pem", "self_key")),
    ),
    ("no_cert", "mtls-app", "tls_client_auth", None),
    (
        "intruder",
        "mtls-app",
        "tls_client_auth",
        Some(("intruder.pem", "intruder_key")),
    ),
    (
        "expired",
        "mtls-app",
        "tls_client_auth",
        Some(("expired-app.pem", "app_key")),
    ),
    (
        "foreign",
        "mtls-app",
        "tls_client_auth",
        Some(("foreign-app.pem", "app_key")),
    ),
    (
        "self_as_app",
        "mtls-app",
        "tls_client_auth",
        Some(("self.pem", "self_key")),
    ),
    (
        "app_as_self",
        "self-app",
        "self_signed_tls_client_auth",
        Some(("app.pem", "app_key")),
    ),
];

/// An environment for `issuer` that trusts the test CA, with every client of [`CLIENTS`].
fn environment(issuer: &str, extra: &str) -> String {
    let mut env = format!(
        "issuer: {issuer}\nprofile: generic\nhttp: {{ timeout: 5s, ca_bundle: ../pki/ca.pem }}\n{extra}secrets:\n  app_key: {{ file: ../pki/app.key }}\n  app_sec1_key: {{ file: ../pki/app-sec1.key }}\n  self_key: {{ file: ../pki/self.key }}\n  intruder_key: {{ file: ../pki/intruder.key }}\nclients:\n"
    );
    for (name, id, method, tls) in CLIENTS {
        let tls = tls
            .map(|(cert, key)| format!(", tls: {{ cert: ../pki/{cert}, key: {key} }}"))
            .unwrap_or_default();
        env.push_str(&format!(
            "  {name}: {{ client_id: {id}, auth_method: {method}{tls} }}\n"
        ));
    }
    env
}

fn token_step(name: &str, client: &str, expect: &str) -> String {
    format!(
        "  - name: {name}\n    token: {{ grant_type: client_credentials, client: {client} }}\n    expect: {expect}\n"
    )
}

/// A sandbox over HTTPS with the test PKI, or `None` when openssl is missing.
fn mtls_sandbox(t: &Test) -> Option<(Pki, Served)> {
    let pki = pki_or_skip(&t.path().join("pki"))?;
    std::fs::write(t.path().join("serve.yaml"), serve_config()).expect("write");
    let served = t.serve_tls("serve.yaml");
    assert!(
        served.issuer.starts_with("https://127.0.0.1:"),
        "{}",
        served.stdout
    );
    Some((pki, served))
}

fn results(out: &Output, dir: &str) -> Value {
    serde_json::from_str(&out.read(&format!("{dir}/results.json"))).expect("results.json")
}

fn steps(r: &Value) -> Vec<&Value> {
    r["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["steps"].as_array().into_iter().flatten())
        .collect()
}

fn step<'a>(r: &'a Value, name: &str) -> &'a Value {
    steps(r)
        .into_iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step `{name}`"))
}

/// x5t#S256 of a PEM certificate (RFC 8705 §3.1).
fn thumbprint(pem: &str) -> String {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = STANDARD.decode(body).expect("PEM body");
    URL_SAFE_NO_PAD.encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &der))
}

#[test]
fn each_client_presents_its_certificate_at_the_advertised_mtls_aliases() {
    let t = Test::new();
    let Some((pki, served)) = mtls_sandbox(&t) else {
        return;
    };
    let scenario = format!(
        "name: certificate flow\nsteps:\n{}  - name: introspect\n    introspect: {{ client: mtls_app }}\n    expect: {{ status: 200, json: {{ active: true }} }}\n{}{}  - name: revoke\n    revoke: {{ client: self_app }}\n    expect: {{ status: 200 }}\n",
        token_step("subject dn", "mtls_app", "{ status: 200 }"),
        token_step("san dns", "mtls_san", "{ status: 200 }"),
        token_step("self-signed", "self_app", "{ status: 200 }"),
    );
    let t = t
        .file("scenarios/flow.yaml", &scenario)
        .file("environments/mtls.yaml", &environment(&served.issuer, ""));
    let out = t.run(&["test", "--env", "mtls"]);
    assert_eq!(out.code, 0, "{out}");
    let r = results(&out, "reports");
    let url = |name: &str| step(&r, name)["exchanges"][0]["request"]["url"].clone();
    for name in ["subject dn", "san dns", "self-signed"] {
        assert_eq!(url(name), format!("{}/mtls/token", served.issuer), "{name}");
    }
    assert_eq!(
        url("introspect"),
        format!("{}/mtls/introspect", served.issuer)
    );
    assert_eq!(url("revoke"), format!("{}/mtls/revoke", served.issuer));
    // The token is bound to the certificate presented (RFC 8705 §3.2).
    let body: Value = serde_json::from_str(
        step(&r, "introspect")["exchanges"][0]["response"]["body"]
            .as_str()
            .expect("a recorded body"),
    )
    .expect("JSON");
    assert_eq!(body["cnf"]["x5t#S256"], thumbprint(&pki.read("app.pem")));
}

#[test]
fn a_missing_or_wrong_certificate_is_an_invalid_client_verdict_not_a_transport_error() {
    let t = Test::new();
    let Some((_pki, served)) = mtls_sandbox(&t) else {
        return;
    };
    let refused = "{ status: 400, json: { error: invalid_client } }";
    let mut scenario = "name: refused\nsteps:\n".to_string();
    for client in [
        "no_cert",
        "intruder",
        "expired",
        "foreign",
        "self_as_app",
        "app_as_self",
    ] {
        scenario.push_str(&token_step(client, client, refused));
    }
    let expects_success = format!(
        "name: expects success\nsteps:\n{}",
        token_step("without a certificate", "no_cert", "{ status: 200 }")
    );
    let t = t
        .file("scenarios/refused.yaml", &scenario)
        .file("scenarios/success.yaml", &expects_success)
        .file("environments/mtls.yaml", &environment(&served.issuer, ""));
    let out = t.run(&["test", "--env", "mtls"]);
    assert_eq!(out.code, 1, "a conformance failure, not an error: {out}");
    let r = results(&out, "reports");
    assert_eq!(r["summary"]["steps"]["errored"], 0, "{out}");
    let why = |name: &str| {
        let s = step(&r, name);
        assert_eq!(s["verdict"], "passed", "{name}: {s}");
        s["exchanges"][0]["response"]["body"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    for (name, reason) in [
        ("no_cert", "no client certificate was presented"),
        ("intruder", "CN=intruder) is not the one registered"),
        (
            "expired",
            "not issued by a CA this server trusts, or has expired",
        ),
        ("foreign", "not issued by a CA this server trusts"),
        ("self_as_app", "not issued by a CA this server trusts"),
        ("app_as_self", "not one registered for the client"),
    ] {
        assert!(why(name).contains(reason), "{name}: {}", why(name));
    }
    let failed = step(&r, "without a certificate");
    assert_eq!(failed["verdict"], "failed", "{failed}");
    assert!(failed["error"].is_null(), "{failed}");
}

#[test]
fn an_untrusted_server_certificate_is_a_tls_error_also_for_a_client_with_a_certificate() {
    let t = Test::new();
    let Some((_pki, served)) = mtls_sandbox(&t) else {
        return;
    };
    let serve_with = |cert: &str| {
        t.serve(&[
            "--tls-cert",
            &format!("pki/{cert}"),
            "--tls-key",
            "pki/server.key",
        ])
    };
    let expired = serve_with("expired-server.pem");
    let foreign = serve_with("foreign-server.pem");
    let port = served.issuer.rsplit(':').next().expect("a port");
    // Discovery reaches the trusted sandbox; the token request, made with the client's
    // certificate, goes where the environment points it.
    let cases = [
        ("expired", format!("{}/mtls/token", expired.issuer)),
        ("unknown CA", format!("{}/mtls/token", foreign.issuer)),
        (
            "another name",
            format!("https://localhost:{port}/mtls/token"),
        ),
    ];
    let scenario = format!(
        "name: t\nsteps:\n{}",
        token_step("token", "mtls_app", "{ status: 200 }")
    );
    let mut t = t.file("scenarios/t.yaml", &scenario);
    for (i, (case, token)) in cases.iter().enumerate() {
        t = t.file(
            &format!("environments/e{i}.yaml"),
            &environment(
                &served.issuer,
                &format!("endpoints: {{ token: \"{token}\" }}\n"),
            ),
        );
        let dir = format!("reports-{i}");
        let out = t.run(&["test", "--env", &format!("e{i}"), "--report-dir", &dir]);
        assert_eq!(out.code, 3, "{case}: {out}");
        let r = results(&out, &dir);
        let s = step(&r, "token");
        assert_eq!(s["verdict"], "error", "{case}: {s}");
        assert_eq!(s["error"]["kind"], "tls", "{case}: {s}");
        assert_eq!(r["summary"]["checks"]["failed"], 0, "{case}");
    }
}

#[test]
fn bad_certificate_and_key_files_are_input_errors_at_their_line() {
    let t = Test::new();
    let Some(pki) = pki_or_skip(&t.path().join("pki")) else {
        return;
    };
    std::fs::write(pki.dir.join("garbage.pem"), "not a certificate\n").expect("write");
    let scenario = format!(
        "name: s\nsteps:\n{}",
        token_step("token", "c", "{ status: 200 }")
    );
    let env = |cert: &str, key: &str| {
        format!(
            "issuer: https://127.0.0.1:9\nsecrets:\n  k: {{ env: GRANTSPEC_TEST_TLS_KEY }}\nclients:\n  c:\n    client_id: c\n    tls:\n      cert: ../pki/{cert}\n      key: {key}\n"
        )
    };
    let t = t
        .file("scenarios/s.yaml", &scenario)
        .file("environments/missing.yaml", &env("nowhere.pem", "k"))
        .file("environments/garbage.yaml", &env("garbage.pem", "k"))
        .file("environments/keyonly.yaml", &env("app.key", "k"))
        .file("environments/undeclared.yaml", &env("app.pem", "nope"))
        .file("environments/good.yaml", &env("app.pem", "k"));
    for (name, message) in [
        ("missing", "nowhere.pem cannot be read"),
        ("garbage", "holds no CERTIFICATE block"),
        ("keyonly", "holds no CERTIFICATE block"),
        (
            "undeclared",
            "TLS private key `nope` is not declared under `secrets`",
        ),
    ] {
        let out = t.run(&["validate", "--env", name]);
        assert_eq!(out.code, 2, "{name}: {out}");
        let at = if name == "undeclared" {
            ":9:12"
        } else {
            ":8:13"
        };
        assert!(
            out.stderr.contains(&format!("{name}.yaml{at}")),
            "{name}: {out}"
        );
        assert!(out.stderr.contains(message), "{name}: {out}");
    }
    // The key is a secret, checked when the secrets are read; nothing is sent before.
    let intruder_key = pki.read("intruder.key");
    for (key, message) in [
        ("not a key", "secret `k` is not a PEM private key"),
        (intruder_key.as_str(), "does not belong to the certificate"),
    ] {
        let out = t.run_with_env(
            &["test", "--env", "good"],
            &[("GRANTSPEC_TEST_TLS_KEY", key)],
        );
        assert_eq!(out.code, 2, "{out}");
        assert!(out.stderr.contains("good.yaml:9:12"), "{out}");
        assert!(out.stderr.contains(message), "{out}");
        for line in intruder_key.lines().filter(|l| !l.starts_with("-----")) {
            assert!(
                !out.stderr.contains(line) && !out.stdout.contains(line),
                "{out}"
            );
        }
    }
}

#[test]
fn fixtures_register_mutual_tls_clients_and_present_their_certificates() {
    let t = Test::new().env("GRANTSPEC_TEST_IAT", "iat-mtls-fixtures-0123456789");
    if pki_or_skip(&t.path().join("pki")).is_none() {
        return;
    }
    let t = t.file(
        "serve.yaml",
        "initial_access_token: { env: GRANTSPEC_TEST_IAT }\n",
    );
    let served = t.serve_tls("serve.yaml");
    let fixtures = format!(
        "clients:\n  by_subject:\n    auth_method: tls_client_auth\n    grant_types: [client_credentials]\n    scope: PersonneConsult\n    metadata: {{ tls_client_auth_subject_dn: \"{APP_SUBJECT}\" }}\n    tls: {{ cert: pki/app.pem, key_secret: app_key }}\n  self_signed:\n    auth_method: self_signed_tls_client_auth\n    grant_types: [client_credentials]\n    scope: PersonneConsult\n    tls: {{ cert: pki/self.pem, key_secret: self_key }}\n"
    );
    let scenario = format!(
        "name: fixtures\nsteps:\n{}{}",
        token_step("by subject", "by_subject", "{ status: 200 }"),
        token_step("self-signed", "self_signed", "{ status: 200 }"),
    );
    let env = format!(
        "issuer: {}\nprofile: generic\nhttp: {{ ca_bundle: ../pki/ca.pem }}\nprovisioning: dynamic\nregistration: {{ initial_access_token: iat }}\nsecrets:\n  iat: {{ env: GRANTSPEC_TEST_IAT }}\n  app_key: {{ file: ../pki/app.key }}\n  self_key: {{ file: ../pki/self.key }}\n",
        served.issuer
    );
    let t = t
        .file("fixtures.yaml", &fixtures)
        .file("scenarios/f.yaml", &scenario)
        .file("environments/dyn.yaml", &env);
    let out = t.run(&["test", "--env", "dyn", "--ephemeral-fixtures"]);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stderr
            .contains("client.self_signed: Destruction complete"),
        "{out}"
    );

    // What a mutual-TLS method needs is checked before anything is registered.
    let t = t.file(
        "fixtures.yaml",
        "clients:\n  a:\n    auth_method: tls_client_auth\n    grant_types: [client_credentials]\n  b:\n    auth_method: self_signed_tls_client_auth\n    grant_types: [client_credentials]\n",
    );
    let out = t.run(&["validate", "--env", "dyn"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("fixtures.yaml:3:18"), "{out}");
    assert!(
        out.stderr
            .contains("exactly one of tls_client_auth_subject_dn"),
        "{out}"
    );
    assert!(out.stderr.contains("fixtures.yaml:6:18"), "{out}");
    assert!(
        out.stderr.contains("declares no `tls` certificate"),
        "{out}"
    );
}
