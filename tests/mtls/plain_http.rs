//! `grantspec serve --tls-cert ... --plain-http ADDR` as a real target: the `plain_http`
//! steps find its plain-http side where the environment says (`plain_http:`), or, without
//! that, speak plain http to the TLS port itself, which cannot answer it: refused either way.

use serde_json::Value;

use crate::support::Test;
use crate::support::pki::pki_or_skip;

const SCENARIO: &str = "name: plain http\nrequires: [https, token]\nsteps:\n  - name: token over plain http\n    plain_http: { endpoint: token }\n";

fn a01(out: &crate::support::Output) -> Value {
    let results: Value =
        serde_json::from_str(&out.read("reports/results.json")).expect("results.json");
    results["scenarios"][0]["steps"][0]["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["rule"]["id"] == "A-01")
        .cloned()
        .unwrap_or_else(|| panic!("an A-01 check: {results}"))
}

/// Runs `test --env <env>` and asserts it passes A-01 with an actual value starting `actual`.
fn passes_a01(t: &Test, env: &str, actual: &str) -> crate::support::Output {
    let out = t.run(&["test", "--env", env]);
    assert_eq!(out.code, 0, "{out}");
    let check = a01(&out);
    assert_eq!(check["verdict"], "passed");
    assert!(
        check["actual"]
            .as_str()
            .is_some_and(|a| a.starts_with(actual)),
        "{check}"
    );
    out
}

#[test]
fn the_served_sandbox_redirects_plain_http_where_the_environment_says_it_listens() {
    let t = Test::new().file("scenarios/plain.yaml", SCENARIO);
    if pki_or_skip(&t.path().join("pki")).is_none() {
        return;
    }
    let served = t.serve(&[
        "--tls-cert",
        "pki/server.pem",
        "--tls-key",
        "pki/server.key",
        "--plain-http",
        "127.0.0.1:0",
    ]);
    let origin = served
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("plain http: "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("the plain-http listener is announced: {}", served.stdout))
        .to_string();
    let env = |extra: &str| {
        format!(
            "issuer: {}\nprofile: generic\nhttp: {{ ca_bundle: ../pki/ca.pem }}\n{extra}",
            served.issuer
        )
    };
    let t = t
        .file(
            "environments/declared.yaml",
            &env(&format!("plain_http: {origin}\n")),
        )
        .file("environments/derived.yaml", &env(""));

    passes_a01(&t, "declared", "308 to https://127.0.0.1:");

    // Without `plain_http`, the probe speaks plain http to the https port itself.
    let out = passes_a01(&t, "derived", "no plain-http answer");
    let results: Value =
        serde_json::from_str(&out.read("reports/results.json")).expect("results.json");
    assert_eq!(
        results["scenarios"][0]["steps"][0]["exchanges"][0]["request"]["url"],
        format!("{}/token", served.issuer.replace("https://", "http://"))
    );
}

#[test]
fn a_plain_http_listener_needs_tls() {
    let out = Test::new().run(&["serve", "--plain-http", "127.0.0.1:0"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("--tls-cert"), "{out}");
}
