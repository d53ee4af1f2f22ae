//! Proof that the rules catch what they are about: the bundled suite runs against the sandbox
//! started with one deliberate defect, and exactly the matching rule fails (or the few rules a
//! defect necessarily breaks together), with its ID and clause in the JUnit failure. Every rule
//! of the catalogue has such a defect, or an exemption with its reason (`rules/expected.rs`).

mod support;

#[path = "rules/expected.rs"]
mod expected;

#[path = "rules/https.rs"]
mod https;

#[path = "rules/revocation.rs"]
mod revocation;

use std::collections::BTreeSet;

use expected::{Setup, exemption, expected_rule, setup};

use grantspec::sandbox::Defect;
use serde_json::Value;
use support::Test;

/// The bundled suite with `env` as `environments/broken.yaml`, and the test PKI under `pki/`
/// when the setup serves HTTPS; `None` when that needs the openssl tool and it is missing.
fn suite_for(setup: Setup, env: &str) -> Option<Test> {
    let t = Test::with_bundled_suite().file("environments/broken.yaml", env);
    if setup == Setup::Https {
        support::pki::pki_or_skip(&t.path().join("pki"))?;
    }
    Some(t)
}

/// Runs the bundled suite against the sandbox `env` starts; returns the IDs of the rules whose
/// checks failed or warned, the failed checks without a rule, the JUnit text, the exit code and
/// results.json.
fn run_in(suite: &Test) -> (BTreeSet<String>, Vec<String>, String, i32, Value) {
    let out = suite.run(&["test", "--env", "broken"]);
    let results: Value =
        serde_json::from_str(&out.read("reports/results.json")).expect("results.json");
    let mut rules = BTreeSet::new();
    let mut unruled = Vec::new();
    for scenario in results["scenarios"].as_array().into_iter().flatten() {
        for step in scenario["steps"].as_array().into_iter().flatten() {
            let rule_failed = step["checks"].as_array().into_iter().flatten().any(|c| {
                c["rule"]["id"].is_string()
                    && (c["verdict"] == "failed" || c["verdict"] == "warned")
            });
            for check in step["checks"]
                .as_array()
                .into_iter()
                .flatten()
                // `info` is how an info rule that does not hold is recorded.
                .filter(|c| {
                    c["verdict"] == "failed" || c["verdict"] == "warned" || c["verdict"] == "info"
                })
                // A defect also changes the responses the suite snapshots: those diffs are
                // expected, and say nothing about which rule caught it.
                .filter(|c| c["matcher"] != "snapshot")
                // A capture that finds nothing in the answer a rule already failed is a
                // consequence of that failure, not a second finding.
                .filter(|c| {
                    !(rule_failed
                        && c["subject"]
                            .as_str()
                            .is_some_and(|s| s.starts_with("capture ")))
                })
            {
                match check["rule"]["id"].as_str() {
                    Some(id) => {
                        rules.insert(id.to_string());
                    }
                    None => unruled.push(format!(
                        "{} › {}: {}",
                        scenario["name"], step["name"], check["subject"]
                    )),
                }
            }
            if step["verdict"] == "error" {
                unruled.push(format!(
                    "{} › {} errored: {}",
                    scenario["name"], step["name"], step["error"]["message"]
                ));
            }
        }
    }
    (
        rules,
        unruled,
        out.read("reports/junit.xml"),
        out.code,
        results.clone(),
    )
}

fn proves(defect_name: &str) {
    let defect: Defect = defect_name.parse().expect("a known defect");
    let rules = expected_rule(defect).expect("a rule for the defect");
    let setup = setup(defect);
    let Some(suite) = suite_for(setup, &setup.environment(&[defect_name])) else {
        return;
    };
    let (failed, unruled, junit, code, results) = run_in(&suite);
    // The sandbox's known departures may warn too, or not: a step the defect fails can end its
    // scenario before the departure's step (the keycloak flavour's snapshots differ).
    let departures = setup.departures();
    let beyond_departures: BTreeSet<&str> = failed
        .iter()
        .map(String::as_str)
        .filter(|r| !departures.contains(r))
        .collect();
    assert_eq!(
        beyond_departures,
        rules.iter().copied().collect::<BTreeSet<_>>(),
        "exactly {rules:?} (and the {setup:?} sandbox's known departures) fail with {defect_name}: {failed:?}"
    );
    assert!(unruled.is_empty(), "failures outside the rule: {unruled:?}");
    let found: Vec<_> = rules
        .iter()
        .map(|r| grantspec::rules::find(r).expect("rule"))
        .collect();
    if found
        .iter()
        .any(|r| r.severity == grantspec::rules::Severity::Must)
    {
        assert_eq!(code, 1, "the run fails");
        for rule in found
            .iter()
            .filter(|r| r.severity == grantspec::rules::Severity::Must)
        {
            // The failure's message names the first failed check's rule; its text lists every
            // failed check with its rule and clause.
            let in_message = junit.contains(&format!("[{} must, {}]", rule.id, rule.clause));
            let in_text = junit.contains(&format!("rule {} (must)", rule.id))
                && junit.contains(&format!("clause: {}", rule.clause));
            assert!(
                in_message || in_text,
                "the JUnit failure names {} and its clause",
                rule.id
            );
        }
    } else {
        // A `should` rule warns, an `info` one notes: the JUnit case passes and its system-out
        // says which rule did not hold; results.json has the rule's clause.
        for rule in &found {
            let verdict = match rule.severity {
                grantspec::rules::Severity::Info => "info",
                _ => "warned",
            };
            assert!(
                junit.contains(&format!("{verdict}: [{} {}, ", rule.id, rule.severity)),
                "the JUnit system-out names the {verdict} check of {}",
                rule.id
            );
            assert!(
                results
                    .to_string()
                    .contains(&format!("\"clause\":{}", Value::from(rule.clause))),
                "results.json carries the clause of {}",
                rule.id
            );
        }
        // What can still fail the run is a snapshot of the response the defect changed.
        let failed_checks: Vec<&Value> = results["scenarios"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["steps"].as_array().into_iter().flatten())
            .flat_map(|st| st["checks"].as_array().into_iter().flatten())
            .filter(|c| c["verdict"] == "failed" && c["matcher"] != "snapshot")
            .collect();
        assert!(
            failed_checks.is_empty(),
            "a `should` rule does not fail checks: {failed_checks:?} (exit {code})"
        );
    }
}

macro_rules! defect_tests {
    ($($test:ident => $name:literal;)*) => {
        $(
            #[test]
            fn $test() {
                proves($name);
            }
        )*

        #[test]
        fn every_rule_is_proven_or_explained() {
            let here = [$($name),*];
            let mut problems = Vec::new();
            for rule in grantspec::rules::all() {
                let proven = Defect::ALL.iter().any(|d| {
                    here.contains(&d.name())
                        && expected_rule(*d).is_ok_and(|rules| rules.contains(&rule.id))
                });
                match (proven, exemption(rule.id)) {
                    (true, Some(_)) => {
                        problems.push(format!("{} is proven: drop its exemption", rule.id));
                    }
                    (false, None) => problems.push(format!(
                        "{} ({}) has no defect proving it and no exemption",
                        rule.id, rule.title
                    )),
                    _ => {}
                }
            }
            assert!(problems.is_empty(), "{}", problems.join("\n"));
        }

        #[test]
        fn every_defect_is_proven_here_or_explained() {
            let here = [$($name),*];
            for d in Defect::ALL {
                match expected_rule(*d) {
                    Ok(_) => assert!(here.contains(&d.name()), "defect {} has a rule but no test", d.name()),
                    Err(why) => assert!(!why.starts_with("no rule"), "{why}"),
                }
            }
        }
    };
}

defect_tests! {
    no_store_missing_fails_a_03 => "no-store-missing";
    repeated_parameters_fail_a_07 => "repeated-parameters-accepted";
    empty_discovery_arrays_fail_b_10 => "discovery-empty-arrays";
    state_not_echoed_fails_d_02 => "state-not-echoed";
    redirect_uri_prefix_match_fails_d_05 => "redirect-uri-prefix-match";
    framable_login_page_fails_d_09 => "framable-login-page";
    redirect_307_fails_d_11 => "redirect-307";
    wrong_id_token_issuer_fails_f_03 => "wrong-id-token-iss";
    missing_nonce_fails_f_07 => "nonce-not-returned";
    code_reuse_fails_e_07 => "code-reuse-accepted";
    ignored_pkce_fails_m_03 => "pkce-ignored";
    refresh_reuse_fails_i_04 => "refresh-reuse-accepted";
    revoked_token_active_fails_l_03 => "revoked-token-active";
    ignored_revocation_fails_l_03 => "revocation-ignored";
    userinfo_get_only_fails_j_02 => "userinfo-get-only";
    open_registration_fails_n_05 => "registration-open";
    unchecked_assertion_audience_fails_h_06 => "assertion-audience-unchecked";
    replayed_assertion_fails_h_14 => "assertion-replay-accepted";
    missing_basic_challenge_fails_e_11 => "no-basic-challenge";
    basic_not_urldecoded_fails_g_06 => "basic-not-urldecoded";
    advertised_implicit_warns_b_11 => "implicit-advertised";
    unchecked_redirect_uri_fails_e_09 => "redirect-uri-not-checked";
    unbound_code_fails_e_10 => "code-not-bound-to-client";
    wrong_at_hash_fails_f_10 => "wrong-at-hash";
    token_in_query_warns_j_04 => "token-in-query-accepted";
    http_redirect_uri_registration_fails_n_11 => "http-redirect-uri-registered";
    discovery_status_203_fails_b_01 => "discovery-status-203";
    discovery_issuer_trailing_slash_fails_b_02 => "discovery-issuer-trailing-slash";
    missing_subject_types_fail_b_03 => "subject-types-missing";
    rs256_not_advertised_fails_b_04 => "rs256-not-advertised";
    claims_not_advertised_warns_b_05 => "claims-not-advertised";
    pkce_not_advertised_warns_b_06 => "pkce-not-advertised";
    assertion_alg_none_advertised_fails_b_07 => "assertion-alg-none-advertised";
    jwks_key_without_exponent_fails_c_01 => "jwks-key-without-exponent";
    jwks_secret_key_fails_c_02 => "jwks-secret-key";
    jwks_kid_missing_fails_c_03 => "jwks-kid-missing";
    jwks_short_modulus_fails_c_05 => "jwks-short-modulus";
    renamed_code_parameter_fails_d_01 => "code-parameter-renamed";
    missing_referrer_policy_warns_d_10 => "no-referrer-policy";
    wrong_authorization_iss_fails_d_13 => "wrong-authorization-iss";
    id_token_jwk_header_fails_f_01 => "id-token-jwk-header";
    id_token_bad_signature_fails_f_02 => "id-token-bad-signature";
    id_token_wrong_aud_fails_f_04 => "id-token-wrong-aud";
    id_token_wrong_azp_warns_f_05 => "id-token-wrong-azp";
    id_token_expired_fails_f_06 => "id-token-expired";
    client_credentials_refresh_token_warns_g_02 => "client-credentials-refresh-token";
    userinfo_other_subject_fails_j_06 => "userinfo-other-subject";
    unknown_token_bare_challenge_fails_j_10 => "unknown-token-bare-challenge";
    inactive_token_explained_fails_k_04 => "inactive-token-explained";
    introspection_string_times_fail_k_06 => "introspection-string-times";
    introspection_text_plain_fails_a_02 => "introspection-text-plain";
    unknown_token_revocation_refused_fails_l_01 => "unknown-token-revocation-refused";
    registration_cacheable_fails_n_10 => "registration-cacheable";
    optional_assertion_exp_fails_h_07 => "assertion-exp-optional";
    expired_assertion_fails_h_08 => "expired-assertion-accepted";
    string_timestamps_fail_h_10 => "string-timestamps-accepted";
    future_assertion_warns_h_11 => "future-assertion-accepted";
    optional_assertion_jti_fails_h_15 => "assertion-jti-optional";
    unchecked_assertion_sub_fails_h_16 => "assertion-sub-unchecked";
    unchecked_assertion_iss_fails_h_17 => "assertion-iss-unchecked";
    unchecked_assertion_signature_fails_h_19 => "assertion-signature-unchecked";
    accepted_alg_none_fails_h_20 => "assertion-alg-none-accepted";
    unregistered_error_code_fails_a_05 => "unregistered-error-code";
    unknown_grant_invalid_request_fails_e_13 => "unknown-grant-invalid-request";
    two_auth_methods_accepted_fails_e_06 => "two-auth-methods-accepted";
    requested_scope_refused_fails_g_01 => "requested-scope-refused";
    unauthorized_scope_granted_fails_g_04 => "unauthorized-scope-granted";
    missing_auth_invalid_request_fails_g_05 => "missing-auth-invalid-request";
    assertion_needs_client_id_fails_h_01 => "assertion-needs-client-id";
    refresh_token_refused_fails_i_01 => "refresh-token-refused";
    introspection_always_inactive_fails_k_01 => "introspection-always-inactive";
    open_introspection_fails_k_02 => "introspection-open";
    registration_200_fails_n_01 => "registration-200";
    unknown_client_404_fails_n_07 => "unknown-client-404";
    userinfo_body_token_refused_warns_j_03 => "userinfo-body-token-refused";
    missing_token_error_code_fails_j_09 => "missing-token-error-code";
    client_token_profile_warns_j_11 => "client-token-gets-a-profile";
    prompt_none_login_page_fails_d_08 => "prompt-none-shows-login";
    optional_verifier_fails_m_02 => "verifier-optional";
    pkce_downgrade_fails_m_04 => "pkce-downgrade-accepted";
    public_client_without_pkce_fails_m_08 => "public-client-without-pkce";
    consumer_lifetime_fails_e_03 => "consumer-lifetime-7200";
    certificate_refresh_expiry_missing_fails_h_02 => "certificate-refresh-expiry-missing";
    userinfo_roles_string_fails_j_07 => "userinfo-roles-string";
    code_without_prefix_informs_d_04 => "code-without-prefix";
    long_subject_fails_f_08 => "long-subject";
    userinfo_get_sub_only_fails_j_01 => "userinfo-get-sub-only";
    error_page_for_bad_request_fails_d_06 => "error-page-for-bad-request";
    missing_id_token_fails_e_02 => "id-token-missing";
    query_credentials_accepted_fails_e_05 => "query-credentials-accepted";
    checked_assertion_use_fails_h_25 => "assertion-use-checked";
    unbound_refresh_token_fails_i_02 => "refresh-token-not-bound-to-client";
    refresh_revocation_keeping_access_tokens_warns_l_04 => "refresh-revocation-keeps-access-tokens";
    cross_client_revocation_fails_l_05 => "cross-client-revocation";
    s256_verified_as_plain_fails_m_01 => "s256-verified-as-plain";
    assertion_with_basic_accepted_fails_h_26 => "assertion-with-basic-accepted";
    unchecked_assertion_type_fails_h_21 => "assertion-type-unchecked";
    expired_code_accepted_fails_e_08 => "expired-code-accepted";
    missing_not_before_policy_warns_kc_01 => "not-before-policy-missing";
    missing_session_state_warns_kc_02 => "session-state-missing";
    undescribed_code_errors_warn_kc_03 => "code-errors-undescribed";
    undescribed_client_auth_error_warns_kc_04 => "client-auth-error-undescribed";
    undescribed_service_account_refusal_warns_kc_05 => "service-account-refusal-undescribed";
    undescribed_userinfo_challenge_warns_kc_06 => "userinfo-challenge-undescribed";
    generic_endpoint_paths_warn_kc_07 => "generic-endpoint-paths";
    // Group H/E/I/A (checklist items without a rule before).
    token_endpoint_audience_fails_h_04 => "assertion-token-endpoint-aud-accepted";
    audience_array_fails_h_05 => "assertion-audience-array-accepted";
    ignored_nbf_fails_h_09 => "assertion-nbf-ignored";
    unchecked_client_id_fails_h_18 => "assertion-client-id-unchecked";
    extra_assertion_segments_fail_h_22 => "assertion-extra-segments-ignored";
    assertion_refusal_403_fails_h_23 => "assertion-refusal-403";
    required_typ_jwt_warns_h_24 => "assertion-typ-jwt-required";
    code_exchange_needing_a_verifier_fails_e_01 => "code-exchange-needs-verifier";
    get_on_the_token_endpoint_warns_e_14 => "token-endpoint-get-accepted";
    widened_refresh_scope_fails_i_03 => "refresh-scope-widened";
    refreshed_id_token_new_auth_time_fails_i_05 => "refreshed-id-token-new-auth-time";
    refused_empty_parameter_fails_a_08 => "empty-parameter-refused";
    introspection_client_error_400_fails_k_03 => "introspection-client-error-400";
    introspection_trusting_the_hint_fails_k_05 => "introspection-trusts-hint";
    revoked_token_revocation_refused_fails_l_02 => "revoked-token-revocation-refused";
    missing_token_revocation_200_fails_l_06 => "missing-token-revocation-200";
    unknown_hint_refused_fails_l_07 => "unknown-hint-refused";
    unchecked_revocation_secret_fails_l_08 => "revocation-secret-unchecked";
    unsupported_refresh_revocation_fails_l_09 => "refresh-revocation-unsupported";
    two_token_methods_accepted_fails_j_05 => "two-token-methods-accepted";
    userinfo_ignoring_scopes_warns_j_08 => "userinfo-ignores-scopes";
    userinfo_without_openid_warns_j_12 => "userinfo-without-openid";
    userinfo_jwt_on_accept_fails_j_13 => "userinfo-jwt-on-accept";
    resource_accepting_revoked_tokens_fails_g_08 => "resource-accepts-revoked-tokens";
    // Group A/B/C/D/F/M (checklist items without a rule before).
    login_over_plain_http_fails_a_01 => "login-over-plain-http";
    unadvertised_grant_types_warn_b_08 => "grant-types-unadvertised";
    plain_http_endpoint_advertised_fails_b_09 => "plain-http-endpoint-advertised";
    missing_authorization_iss_fails_b_12 => "authorization-iss-missing";
    jwks_enc_key_without_use_fails_c_04 => "jwks-enc-key-without-use";
    unknown_challenge_method_fails_d_07 => "unknown-challenge-method-accepted";
    http_redirect_uri_authorized_fails_d_12 => "http-redirect-uri-authorized";
    implicit_grant_served_warns_d_14 => "implicit-grant-served";
    missing_auth_time_fails_f_09 => "auth-time-missing";
    malformed_verifier_accepted_warns_m_05 => "malformed-verifier-accepted";
    methodless_challenge_as_s256_fails_m_07 => "methodless-challenge-as-s256";
    // A-01 (plain http next to https) and B-09 (reachability).
    plain_http_served_fails_a_01 => "plain-http-served";
    plain_http_redirect_leaking_parameters_fails_a_01 => "plain-http-redirect-leaks";
    unreachable_endpoint_advertised_fails_b_09 => "unreachable-endpoint-advertised";
    // Group G-08/L-06 (the halves of the items that were not exercised).
    resource_accepting_expired_tokens_fails_g_08 => "resource-accepts-expired-tokens";
    unsupported_token_type_invalid_request_fails_l_06 => "unsupported-token-type-invalid-request";
}

/// Every check of a run that did not pass, as (rule ID, verdict), and the rules that passed.
fn verdicts(results: &Value) -> (BTreeSet<(String, String)>, BTreeSet<String>) {
    let mut not_passed = BTreeSet::new();
    let mut passed = BTreeSet::new();
    for check in results["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["steps"].as_array().into_iter().flatten())
        .flat_map(|st| st["checks"].as_array().into_iter().flatten())
    {
        let id = check["rule"]["id"].as_str().unwrap_or("-").to_string();
        match check["verdict"].as_str() {
            Some("passed") => {
                passed.insert(id);
            }
            verdict => {
                not_passed.insert((id, verdict.unwrap_or("?").to_string()));
            }
        }
    }
    (not_passed, passed)
}

#[test]
fn the_bundled_suite_passes_with_no_defect_and_no_keycloak_rule() {
    let out = Test::with_bundled_suite().run(&["test"]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    let (not_passed, passed) = verdicts(&results);
    assert!(not_passed.is_empty(), "{not_passed:?}");
    assert!(
        passed.contains("E-08"),
        "sandbox.yaml declares the code lifetime"
    );
    let expired_token_refused = results["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["name"] == "Expired access token")
        .is_some_and(|s| s["verdict"] == "passed");
    assert!(
        expired_token_refused,
        "sandbox.yaml declares the short-lived access-token lifetime: G-08's expiry runs"
    );
    assert!(
        !passed.iter().any(|id| id.starts_with("KC-")),
        "the keycloak rules do not run in the bouygues profile: {passed:?}"
    );
}

#[test]
fn the_keycloak_flavour_passes_every_keycloak_rule_and_warns_only_its_known_departures() {
    let snapshots = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/keycloak/snapshots");
    let out = Test::with_bundled_suite().run(&[
        "test",
        "--env",
        "sandbox-keycloak",
        "--snapshot-dir",
        snapshots,
    ]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    let (not_passed, passed) = verdicts(&results);
    let departures: BTreeSet<(String, String)> = Setup::Keycloak
        .departures()
        .into_iter()
        .map(|id| (id.to_string(), "warned".to_string()))
        .collect();
    assert_eq!(not_passed, departures);
    for rule in grantspec::rules::all().filter(|r| r.profiles == ["keycloak"]) {
        assert!(passed.contains(rule.id), "{} is checked and holds", rule.id);
    }
    assert!(passed.contains("E-08"), "the expired code is refused");
    let junit = out.read("reports/junit.xml");
    assert!(junit.contains("a known keycloak departure"), "{junit}");
}

#[test]
fn keycloak_rules_and_departures_belong_to_the_keycloak_profile() {
    // The same Keycloak-shaped server under the generic profile: no keycloak rule runs, and
    // what Keycloak is known for fails as any RFC rule does.
    let out = Test::with_bundled_suite()
        .file(
            "environments/kc-generic.yaml",
            &Setup::Keycloak
                .environment(&[])
                .replace("profile: keycloak", "profile: generic"),
        )
        .run(&["test", "--env", "kc-generic"]);
    assert_eq!(out.code, 1, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    let (not_passed, passed) = verdicts(&results);
    assert!(!passed.iter().any(|id| id.starts_with("KC-")), "{passed:?}");
    let failed: BTreeSet<&str> = not_passed
        .iter()
        .filter(|(id, verdict)| verdict == "failed" && id != "-")
        .map(|(id, _)| id.as_str())
        .collect();
    assert_eq!(
        failed,
        BTreeSet::from(["E-11", "H-04", "J-09", "L-08"]),
        "{not_passed:?}"
    );
}

#[test]
fn a_baselined_deviation_does_not_fail_the_run_and_a_fixed_one_is_reported() {
    let env = "issuer: embedded\nprofile: bouygues\nvariables: { app_scope: PersonneConsult }\nsandbox: { defects: [no-basic-challenge] }\nbaseline: broken.baseline.yaml\n";
    let baseline = "deviations:\n  - scenario: App credentials errors\n    rule: E-11\n    comment: known, ticket OAUTH-1\n  - scenario: \"*\"\n    rule: D-09\n    comment: was fixed long ago\n";
    let out = Test::with_bundled_suite()
        .file("environments/broken.yaml", env)
        .file("environments/broken.baseline.yaml", baseline)
        .run(&["test", "--env", "broken"]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    assert_eq!(results["baseline"][0]["occurrences"], 1);
    assert_eq!(results["baseline"][1]["occurrences"], 0);
    assert!(results["summary"]["checks"]["deviations"].as_u64() >= Some(1));
    assert!(out.stdout.contains("no longer observed: D-09"), "{out}");
}

#[test]
fn an_unknown_rule_in_a_baseline_is_an_input_error() {
    let out = Test::with_bundled_suite()
        .file(
            "environments/b.yaml",
            "issuer: embedded\nbaseline: b.baseline.yaml\n",
        )
        .file(
            "environments/b.baseline.yaml",
            "deviations:\n  - { scenario: x, rule: Z-99, comment: y }\n",
        )
        .run(&["validate", "--env", "b"]);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("b.baseline.yaml:2:"), "{out}");
}

#[test]
fn the_generic_profile_drops_the_documented_contract() {
    // An environment whose token endpoint answers in another shape than the documented one
    // would fail E-03 under `bouygues`; under `generic` the rule does not run.
    let out = Test::with_bundled_suite().run(&[
        "test",
        "--profile",
        "generic",
        "scenarios/app_credentials.yaml",
    ]);
    assert_eq!(out.code, 0, "{out}");
    let results = out.read("reports/results.json");
    assert!(
        !results.contains("\"E-03\""),
        "E-03 belongs to the bouygues profile"
    );
    let out = Test::with_bundled_suite().run(&["test", "scenarios/app_credentials.yaml"]);
    assert!(
        out.read("reports/results.json").contains("\"E-03\""),
        "the sandbox environment is bouygues"
    );
}

#[test]
fn the_token_endpoint_audience_is_a_known_bouygues_departure() {
    // The provider documents aud = the token endpoint (checklist F3): a server that accepts it
    // warns under `bouygues`, where under `generic` it fails H-04 (RFC 10070).
    let out = Test::with_bundled_suite()
        .file(
            "environments/broken.yaml",
            &Setup::Generic.environment(&["assertion-token-endpoint-aud-accepted"]),
        )
        .run(&["test", "--env", "broken"]);
    assert_eq!(out.code, 0, "{out}");
    let results: Value = serde_json::from_str(&out.read("reports/results.json")).expect("JSON");
    let (not_passed, _) = verdicts(&results);
    assert_eq!(
        not_passed,
        BTreeSet::from([("H-04".to_string(), "warned".to_string())])
    );
    assert!(
        out.read("reports/junit.xml")
            .contains("a known bouygues departure"),
        "{out}"
    );
}
