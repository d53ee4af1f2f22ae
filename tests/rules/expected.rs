//! What each defect proves, on which sandbox, and the rules no defect can prove yet, each with
//! its reason.

use grantspec::sandbox::Defect;

/// Every defect and the rule that must catch it. `None`: no bundled scenario can show it yet,
/// with the reason.
pub fn expected_rule(defect: Defect) -> Result<&'static [&'static str], &'static str> {
    Ok(match defect.name() {
        "no-store-missing" => &["A-03", "A-04"],
        "repeated-parameters-accepted" => &["A-07"],
        "discovery-empty-arrays" => &["B-10"],
        "state-not-echoed" => &["D-02"],
        "redirect-uri-prefix-match" => &["D-05"],
        "framable-login-page" => &["D-09"],
        "redirect-307" => &["D-11"],
        "wrong-id-token-iss" => &["F-03"],
        "nonce-not-returned" => &["F-07"],
        "code-reuse-accepted" => &["E-07"],
        "pkce-ignored" => &["M-03"],
        "refresh-reuse-accepted" => &["I-04"],
        // Both also keep the access tokens of a revoked refresh token's grant usable (L-04).
        "revoked-token-active" => &["L-03", "L-04"],
        // It also leaves a revoked refresh token usable (L-09) and a revoked access token
        // accepted by the protected resource (G-08).
        "revocation-ignored" => &["L-03", "L-04", "L-09", "G-08"],
        // "UserInfo and scopes" POSTs, the documented route: its first checks fail too.
        "userinfo-get-only" => &["J-02", "J-08", "J-13"],
        "registration-open" => &["N-05"],
        // Any aud also passes H-04's and H-05's steps; the scenario stops at H-06's, before them.
        "assertion-audience-unchecked" => &["H-06"],
        "assertion-replay-accepted" => &["H-14"],
        "no-basic-challenge" => &["E-11"],
        "basic-not-urldecoded" => &["G-06"],
        "implicit-advertised" => &["B-11"],
        "redirect-uri-not-checked" => &["E-09"],
        "code-not-bound-to-client" => &["E-10"],
        "wrong-at-hash" => &["F-10"],
        "token-in-query-accepted" => &["J-04"],
        "http-redirect-uri-registered" => &["N-11"],
        "discovery-status-203" => &["B-01"],
        "discovery-issuer-trailing-slash" => &["B-02"],
        "subject-types-missing" => &["B-03"],
        "rs256-not-advertised" => &["B-04"],
        "claims-not-advertised" => &["B-05"],
        "pkce-not-advertised" => &["B-06"],
        "assertion-alg-none-advertised" => &["B-07"],
        "jwks-key-without-exponent" => &["C-01"],
        "jwks-secret-key" => &["C-02"],
        "jwks-kid-missing" => &["C-03"],
        "jwks-short-modulus" => &["C-05"],
        "code-parameter-renamed" => &["D-01"],
        "no-referrer-policy" => &["D-10"],
        "wrong-authorization-iss" => &["D-13"],
        "id-token-jwk-header" => &["F-01"],
        "id-token-bad-signature" => &["F-02"],
        "id-token-wrong-aud" => &["F-04"],
        "id-token-wrong-azp" => &["F-05"],
        "id-token-expired" => &["F-06"],
        "client-credentials-refresh-token" => &["G-02"],
        "userinfo-other-subject" => &["J-06"],
        "unknown-token-bare-challenge" => &["J-10"],
        "inactive-token-explained" => &["K-04"],
        "introspection-string-times" => &["K-06"],
        "introspection-text-plain" => &["A-02"],
        // A malformed token is one the server does not know either (L-02).
        "unknown-token-revocation-refused" => &["L-01", "L-02"],
        "registration-cacheable" => &["N-10"],
        "assertion-exp-optional" => &["H-07"],
        "expired-assertion-accepted" => &["H-08"],
        "string-timestamps-accepted" => &["H-10"],
        "future-assertion-accepted" => &["H-11"],
        "assertion-jti-optional" => &["H-15"],
        "assertion-sub-unchecked" => &["H-16"],
        "assertion-iss-unchecked" => &["H-17"],
        "assertion-signature-unchecked" => &["H-19"],
        "assertion-alg-none-accepted" => &["H-20"],
        "assertion-type-unchecked" => &["H-21"],
        "unregistered-error-code" => &["A-05", "E-13"],
        "unknown-grant-invalid-request" => &["E-13"],
        "two-auth-methods-accepted" => &["E-06"],
        "requested-scope-refused" => &["G-01"],
        "unauthorized-scope-granted" => &["G-04"],
        "missing-auth-invalid-request" => &["G-05"],
        "assertion-needs-client-id" => &["H-01"],
        "refresh-token-refused" => &["I-01"],
        "introspection-always-inactive" => &["K-01"],
        "introspection-open" => &["K-02"],
        "registration-200" => &["N-01"],
        "unknown-client-404" => &["N-07"],
        "userinfo-body-token-refused" => &["J-03"],
        "missing-token-error-code" => &["J-09"],
        "client-token-gets-a-profile" => &["J-11"],
        "prompt-none-shows-login" => &["D-08"],
        "verifier-optional" => &["M-02"],
        "pkce-downgrade-accepted" => &["M-04"],
        "public-client-without-pkce" => &["M-08"],
        "consumer-lifetime-7200" => &["E-03"],
        "certificate-refresh-expiry-missing" => &["H-02"],
        "userinfo-roles-string" => &["J-07"],
        "code-without-prefix" => &["D-04"],
        "long-subject" => &["F-08"],
        // GET with the sub alone also lacks the documented members (J-07).
        "userinfo-get-sub-only" => &["J-01", "J-07"],
        "error-page-for-bad-request" => &["D-06"],
        "id-token-missing" => &["E-02"],
        "query-credentials-accepted" => &["E-05"],
        "assertion-use-checked" => &["H-25"],
        "refresh-token-not-bound-to-client" => &["I-02"],
        "refresh-revocation-keeps-access-tokens" => &["L-04"],
        "cross-client-revocation" => &["L-05"],
        // The exchange in "User login" is E-02's step: it fails there as well.
        "s256-verified-as-plain" => &["M-01", "E-02"],
        "assertion-with-basic-accepted" => &["H-26"],
        "expired-code-accepted" => &["E-08"],
        "not-before-policy-missing" => &["KC-01"],
        "session-state-missing" => &["KC-02"],
        "code-errors-undescribed" => &["KC-03"],
        "client-auth-error-undescribed" => &["KC-04"],
        "service-account-refusal-undescribed" => &["KC-05"],
        "userinfo-challenge-undescribed" => &["KC-06"],
        "generic-endpoint-paths" => &["KC-07"],
        // Group H/E/I/A (checklist items without a rule before).
        "assertion-token-endpoint-aud-accepted" => &["H-04"],
        "assertion-audience-array-accepted" => &["H-05"],
        "assertion-nbf-ignored" => &["H-09"],
        "assertion-client-id-unchecked" => &["H-18"],
        "assertion-extra-segments-ignored" => &["H-22"],
        "assertion-refusal-403" => &["H-23"],
        "assertion-typ-jwt-required" => &["H-24"],
        "code-exchange-needs-verifier" => &["E-01"],
        "token-endpoint-get-accepted" => &["E-14"],
        "refresh-scope-widened" => &["I-03"],
        "refreshed-id-token-new-auth-time" => &["I-05"],
        "empty-parameter-refused" => &["A-08"],
        "introspection-client-error-400" => &["K-03"],
        "introspection-trusts-hint" => &["K-05"],
        "revoked-token-revocation-refused" => &["L-02"],
        "missing-token-revocation-200" => &["L-06"],
        "unknown-hint-refused" => &["L-07"],
        "revocation-secret-unchecked" => &["L-08"],
        "refresh-revocation-unsupported" => &["L-09"],
        "two-token-methods-accepted" => &["J-05"],
        "userinfo-ignores-scopes" => &["J-08"],
        "userinfo-without-openid" => &["J-12"],
        "userinfo-jwt-on-accept" => &["J-13"],
        "resource-accepts-revoked-tokens" => &["G-08"],
        // Group A/B/C/D/F/M (checklist items without a rule before).
        "login-over-plain-http" => &["A-01"],
        "grant-types-unadvertised" => &["B-08"],
        "plain-http-endpoint-advertised" => &["B-09"],
        "authorization-iss-missing" => &["B-12"],
        "jwks-enc-key-without-use" => &["C-04"],
        "unknown-challenge-method-accepted" => &["D-07"],
        "http-redirect-uri-authorized" => &["D-12"],
        "implicit-grant-served" => &["D-14"],
        "auth-time-missing" => &["F-09"],
        "malformed-verifier-accepted" => &["M-05"],
        "methodless-challenge-as-s256" => &["M-07"],
        // A-01 (plain http next to https) and B-09 (reachability).
        "plain-http-served" => &["A-01"],
        "plain-http-redirect-leaks" => &["A-01"],
        "unreachable-endpoint-advertised" => &["B-09"],
        // Group G-08/L-06 (the halves of the items that were not exercised).
        "resource-accepts-expired-tokens" => &["G-08"],
        "unsupported-token-type-invalid-request" => &["L-06"],
        other => {
            return Err(Box::leak(
                format!("no rule is mapped to the defect `{other}`").into_boxed_str(),
            ));
        }
    })
}

/// Rules no defect can prove yet, each with the reason. Empty: every rule has its defect.
const EXEMPTIONS: &[(&str, &str)] = &[];

/// Why a rule has no defect that proves it. `None`: it must have one.
pub fn exemption(rule: &str) -> Option<&'static str> {
    EXEMPTIONS
        .iter()
        .find(|(id, _)| *id == rule)
        .map(|(_, why)| *why)
}

/// The sandbox a defect is shown on, and the environment file that starts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setup {
    /// The generic sandbox, bouygues profile, no declared lifetime (the expiry scenario is
    /// skipped: no wait).
    Generic,
    /// The same, with 1 s lifetimes declared (codes, and the access tokens of
    /// `app_short_lived`): the expiry scenarios run.
    Expiry,
    /// The keycloak flavour, keycloak profile.
    Keycloak,
    /// The generic sandbox under the generic profile: for a rule the bouygues profile grades
    /// down because the provider documents the opposite (a bouygues departure).
    Rfc,
    /// The generic sandbox over HTTPS (the test PKI under `pki/`, `support::pki`), with its
    /// plain-http side: for what a server does with plain http next to https.
    Https,
    /// The generic sandbox revoking opaque access tokens only (`access_token_revocation:
    /// opaque`): its JWT access tokens get 400 unsupported_token_type, conformantly.
    OpaqueRevocation,
}

pub fn setup(defect: Defect) -> Setup {
    match defect.name() {
        "expired-code-accepted" | "resource-accepts-expired-tokens" => Setup::Expiry,
        "not-before-policy-missing"
        | "session-state-missing"
        | "code-errors-undescribed"
        | "client-auth-error-undescribed"
        | "service-account-refusal-undescribed"
        | "userinfo-challenge-undescribed"
        | "generic-endpoint-paths" => Setup::Keycloak,
        "assertion-token-endpoint-aud-accepted" => Setup::Rfc,
        "plain-http-served" | "plain-http-redirect-leaks" => Setup::Https,
        "unsupported-token-type-invalid-request" => Setup::OpaqueRevocation,
        _ => Setup::Generic,
    }
}

impl Setup {
    pub fn environment(self, defects: &[&str]) -> String {
        let defects = defects.join(", ");
        match self {
            Setup::Generic => format!(
                "issuer: embedded\nprofile: bouygues\nvariables: {{ app_scope: PersonneConsult }}\nsandbox: {{ defects: [{defects}] }}\n"
            ),
            Setup::Expiry => format!(
                "issuer: embedded\nprofile: bouygues\nvariables: {{ app_scope: PersonneConsult }}\nlifetimes: {{ authorization_code: 1s, short_lived_access_token: 1s }}\nsandbox: {{ defects: [{defects}] }}\n"
            ),
            Setup::Keycloak => format!(
                "issuer: embedded\nprofile: keycloak\nvariables: {{ app_scope: PersonneConsult }}\nsandbox: {{ flavour: keycloak, defects: [{defects}] }}\n"
            ),
            Setup::Rfc => format!(
                "issuer: embedded\nprofile: generic\nvariables: {{ app_scope: PersonneConsult }}\nsandbox: {{ defects: [{defects}] }}\n"
            ),
            Setup::Https => format!(
                "issuer: embedded\nprofile: bouygues\nvariables: {{ app_scope: PersonneConsult }}\nhttp: {{ ca_bundle: ../pki/ca.pem }}\nsandbox: {{ tls: {{ cert: ../pki/server.pem, key: ../pki/server.key }}, defects: [{defects}] }}\n"
            ),
            Setup::OpaqueRevocation => format!(
                "issuer: embedded\nprofile: bouygues\nvariables: {{ app_scope: PersonneConsult }}\nsandbox: {{ access_token_revocation: opaque, defects: [{defects}] }}\n"
            ),
        }
    }

    /// The rules that warn on this sandbox without any defect: the keycloak flavour answers
    /// as Keycloak does where it departs from the RFCs, and the keycloak profile warns.
    pub fn departures(self) -> Vec<&'static str> {
        match self {
            Setup::Keycloak => grantspec::rules::departures()
                .filter(|d| d.profile == "keycloak")
                .map(|d| d.rule)
                .collect(),
            Setup::Generic
            | Setup::Expiry
            | Setup::Rfc
            | Setup::Https
            | Setup::OpaqueRevocation => Vec::new(),
        }
    }
}
