//! The bundled suite against the sandbox over HTTPS, whose plain-http side redirects to https:
//! A-01's plain-http probes pass on it, carry canary values only, and are skipped with their
//! reason where the issuer is plain http; B-09 probes every advertised endpoint.

use serde_json::Value;

use crate::expected::Setup;
use crate::support::Test;

fn steps(results: &Value) -> impl Iterator<Item = (&Value, &Value)> {
    results["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| {
            s["steps"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |st| (s, st))
        })
}

fn rule_check<'a>(step: &'a Value, id: &str) -> &'a Value {
    step["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["rule"]["id"] == id)
        .unwrap_or_else(|| panic!("no {id} check on {}", step["name"]))
}

#[test]
fn the_https_sandbox_refuses_plain_http_and_every_advertised_endpoint_answers() {
    let t =
        Test::with_bundled_suite().file("environments/tls.yaml", &Setup::Https.environment(&[]));
    if crate::support::pki::pki_or_skip(&t.path().join("pki")).is_none() {
        return;
    }
    let out = t.run(&["test", "--env", "tls"]);
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    // An https sandbox also advertises its mutual-TLS aliases: the discovery snapshot differs,
    // and nothing else.
    let not_passed: Vec<String> = steps(&results)
        .flat_map(|(s, st)| {
            st["checks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|c| c["verdict"] != "passed" && c["matcher"] != "snapshot")
                .map(move |c| format!("{} › {}: {}", s["name"], st["name"], c["actual"]))
        })
        .collect();
    assert!(not_passed.is_empty(), "{not_passed:?}\n{out}");
    let probes: Vec<&Value> = steps(&results)
        .filter(|(_, st)| st["kind"] == "plain_http")
        .map(|(_, st)| st)
        .collect();
    assert_eq!(probes.len(), 3, "token, introspection, revocation");
    for step in probes {
        assert_eq!(step["verdict"], "passed", "{step}");
        let a01 = rule_check(step, "A-01");
        assert_eq!(a01["verdict"], "passed");
        assert!(
            a01["actual"].as_str().is_some_and(
                |a| a.contains("to https://127.0.0.1:") && a.contains("none of the parameters")
            ),
            "{a01}"
        );
        let request = &step["exchanges"][0]["request"];
        assert!(
            request["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("http://127.0.0.1:")),
            "{request}"
        );
        // The harness must not leak what A-01 protects: canaries only over plain http.
        let body = request["body"].as_str().expect("a form");
        for (name, value) in url::form_urlencoded::parse(body.as_bytes()) {
            assert!(
                value == "client_credentials" || value.starts_with("grantspec-canary-"),
                "{name}={value} went over plain http"
            );
        }
        assert!(
            request["headers"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|h| !h[0]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case("authorization"))),
            "no credentials in headers: {request}"
        );
    }
    let (_, discovery) = steps(&results)
        .find(|(s, st)| s["name"] == "Discovery" && st["name"] == "metadata")
        .expect("the discovery step");
    let b09 = rule_check(discovery, "B-09");
    assert!(
        b09["actual"]
            .as_str()
            .is_some_and(|a| a.contains("probed, all reachable")),
        "{b09}"
    );
}

#[test]
fn plain_http_probes_are_skipped_with_their_reason_on_a_plain_http_issuer() {
    let out = Test::with_bundled_suite().run(&["test", "scenarios/plain_http.yaml"]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    for (_, step) in steps(&results) {
        assert_eq!(step["verdict"], "skipped", "{step}");
        assert_eq!(
            step["skip_reason"],
            "the target's issuer is not https (required by the scenario)"
        );
        assert!(
            step["exchanges"].as_array().is_none_or(Vec::is_empty),
            "nothing sent"
        );
    }
}
