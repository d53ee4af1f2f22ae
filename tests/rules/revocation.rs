//! Servers that do not revoke every access token (RFC 7009 §2 makes access-token revocation a
//! SHOULD): the bundled suite passes on them, L-06 judges their `unsupported_token_type`
//! answers, and L-09 only warns.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::expected::Setup;
use crate::support::Test;
use crate::verdicts;

/// Every check of rule `id` in the run, as (step name, verdict, actual).
fn checks_of(results: &Value, id: &str) -> Vec<(String, String, String)> {
    results["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["steps"].as_array().into_iter().flatten())
        .flat_map(|st| {
            st["checks"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|c| c["rule"]["id"] == id && c["matcher"] == "rule")
                .map(|c| {
                    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
                    (text(&st["name"]), text(&c["verdict"]), text(&c["actual"]))
                })
        })
        .collect()
}

#[test]
fn a_server_that_does_not_revoke_jwt_access_tokens_passes_the_suite_and_l_06() {
    // RFC 7009 §2 leaves access-token revocation a SHOULD: refusing a JWT access token with
    // 400 unsupported_token_type is conformant, and L-06 judges that answer.
    let out = Test::with_bundled_suite()
        .file(
            "environments/opaque.yaml",
            &Setup::OpaqueRevocation.environment(&[]),
        )
        .run(&["test", "--env", "opaque"]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    let (not_passed, _) = verdicts(&results);
    assert!(not_passed.is_empty(), "{not_passed:?}");
    let judged = checks_of(&results, "L-06");
    assert!(
        judged.contains(&(
            "revoke the JWT access token".into(),
            "passed".into(),
            "400 unsupported_token_type".into()
        )),
        "{judged:?}"
    );
}

#[test]
fn a_server_that_revokes_refresh_tokens_only_passes_l_06_and_is_only_warned_about_l_09() {
    let env = Setup::Generic
        .environment(&[])
        .replace("sandbox: {", "sandbox: { access_token_revocation: none,");
    let out = Test::with_bundled_suite()
        .file("environments/refresh-only.yaml", &env)
        .run(&["test", "--env", "refresh-only"]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    // Access-token revocation is a SHOULD: recorded as such, and the steps that check a revoked
    // access token are skipped after their prerequisite step, not failed.
    let (not_passed, _) = verdicts(&results);
    assert_eq!(
        not_passed,
        BTreeSet::from([("L-09".to_string(), "warned".to_string())])
    );
    let judged = checks_of(&results, "L-06");
    assert!(
        judged.iter().all(|(_, verdict, _)| verdict == "passed"),
        "{judged:?}"
    );
    // Every access token the suite revokes is refused, as the clause asks.
    for step in [
        "revoke the access token",
        "revoke the token",
        "revoke the JWT access token",
    ] {
        assert!(
            judged.contains(&(
                step.into(),
                "passed".into(),
                "400 unsupported_token_type".into()
            )),
            "{step}: {judged:?}"
        );
    }
}
