//! KC. The keycloak profile: Keycloak's response members, error strings and endpoint layout,
//! from its source (`keycloak/keycloak`), graded as warnings; and the RFC rules Keycloak is
//! known to break, graded down in that profile. The checklist has no IDs for these; `KC-nn`
//! names them within the profile.

use serde_json::Value;

use super::departure::Departure;
use super::{Finding, Observation, Rule, Severity};

#[cfg(test)]
const SOURCE: &str = "https://github.com/keycloak/keycloak/";
const USERINFO_ENDPOINT: &str = "https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/protocol/oidc/endpoints/UserInfoEndpoint.java";

/// A keycloak-profile rule: a warning, checked by itself on `kinds`.
const fn keycloak(
    id: &'static str,
    title: &'static str,
    clause: &'static str,
    url: &'static str,
    kinds: &'static [&'static str],
    check: fn(&Observation<'_>) -> Finding,
) -> Rule {
    Rule {
        id,
        title,
        severity: Severity::Should,
        clause,
        url,
        kinds,
        profiles: &["keycloak"],
        check: Some(check),
    }
}

pub(super) const RULES: &[Rule] = &[
    keycloak(
        "KC-01",
        "A token response has Keycloak's members: integer refresh_expires_in (0 exactly when no refresh_token) and not-before-policy, and scope",
        "Keycloak AccessTokenResponse; TokenManager.AccessTokenResponseBuilder.build()",
        "https://github.com/keycloak/keycloak/blob/main/core/src/main/java/org/keycloak/representations/AccessTokenResponse.java",
        &["token"],
        token_members,
    ),
    keycloak(
        "KC-02",
        "The token response of a user's grant carries session_state, equal to the ID token's sid",
        "Keycloak TokenManager (setSessionState); upgrading guide 25.0.0, \"Removed session_state claim\"",
        "https://github.com/keycloak/keycloak/blob/main/docs/documentation/upgrading/topics/changes/changes-25_0_0.adoc",
        &["token"],
        session_state,
    ),
    keycloak(
        "KC-03",
        "A refused code exchange gives invalid_grant with one of Keycloak's descriptions (\"Code not valid\", \"Incorrect redirect_uri\", the PKCE ones, ...)",
        "Keycloak AuthorizationCodeGrantType, PkceUtils",
        "https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/protocol/oidc/grants/AuthorizationCodeGrantType.java",
        &["token"],
        code_refusal,
    ),
    keycloak(
        "KC-04",
        "A failed client authentication at the token endpoint answers 401 invalid_client (unauthorized_client for a wrong secret) \"Invalid client or Invalid client credentials\"",
        "Keycloak ClientIdAndSecretAuthenticator, AuthenticationProcessor; keycloak#12162",
        "https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/authentication/authenticators/client/ClientIdAndSecretAuthenticator.java",
        &["token", "http"],
        client_auth_failure,
    ),
    keycloak(
        "KC-05",
        "client_credentials from a client without a service account gives unauthorized_client \"Client not enabled to retrieve service account\"",
        "Keycloak ClientCredentialsGrantType",
        "https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/protocol/oidc/grants/ClientCredentialsGrantType.java",
        &["token"],
        service_account_refusal,
    ),
    keycloak(
        "KC-06",
        "UserInfo refuses a bad token with Bearer realm=\"…\", error=\"invalid_token\" and Keycloak's error_description (\"Token verification failed\")",
        "Keycloak UserInfoEndpoint (newUnauthorizedErrorResponseException)",
        USERINFO_ENDPOINT,
        &["userinfo"],
        userinfo_refusal,
    ),
    keycloak(
        "KC-07",
        "Discovery has Keycloak's layout: a /realms/{realm} issuer, endpoints under protocol/openid-connect/ (auth, token, token/introspect, userinfo, logout, certs, revoke) and clients-registrations/openid-connect, and its session management members",
        "Keycloak OIDCWellKnownProvider",
        "https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/protocol/oidc/OIDCWellKnownProvider.java",
        &["discovery"],
        discovery_layout,
    ),
];

/// RFC rules Keycloak is known to break; warnings in the keycloak profile.
pub(super) const DEPARTURES: &[Departure] = &[
    Departure {
        profile: "keycloak",
        rule: "E-11",
        severity: Severity::Should,
        behaviour: "Keycloak answers a failed client authentication with 401 and no WWW-Authenticate, a wrong secret with unauthorized_client (ClientIdAndSecretAuthenticator; keycloak#11741, #12162)",
        url: "https://github.com/keycloak/keycloak/issues/12162",
    },
    Departure {
        profile: "keycloak",
        rule: "L-08",
        severity: Severity::Should,
        behaviour: "Keycloak's revocation endpoint authenticates clients as its token endpoint does: a wrong secret gets 401 unauthorized_client (ClientIdAndSecretAuthenticator; keycloak#12162)",
        url: "https://github.com/keycloak/keycloak/issues/12162",
    },
    Departure {
        profile: "keycloak",
        rule: "H-04",
        severity: Severity::Should,
        behaviour: "Keycloak accepts the token endpoint URL (and the issuer) as a client assertion's aud, as RFC 7523 allowed; RFC 10070 makes the issuer the sole audience (checklist F3; keycloak PR #38830)",
        url: "https://github.com/keycloak/keycloak/pull/38830",
    },
    Departure {
        profile: "keycloak",
        rule: "J-09",
        severity: Severity::Should,
        behaviour: "Keycloak answers a UserInfo request without a token with 400 invalid_request \"Token not provided\" and no challenge (UserInfoEndpoint)",
        url: USERINFO_ENDPOINT,
    },
];

/// `AuthorizationCodeGrantType` and `PkceUtils` (a used, expired or unknown code is "Code not
/// valid": its single-use entry is gone, `OAuth2CodeParser`).
const CODE_REFUSALS: &[&str] = &[
    "Code not valid",
    "Code is expired",
    "User session not found",
    "Incorrect redirect_uri",
    "Auth error",
    "Auth error: Found different client_id in clientSession",
    "Client not allowed to exchange code",
    "Session not active",
    "PKCE code verifier not specified",
    "PKCE code verifier specified but challenge not present in authorization",
    "PKCE verification failed: Invalid code verifier",
    "PKCE verification failed: Code mismatch",
];

const CLIENT_AUTH_FAILED: &str = "Invalid client or Invalid client credentials";

/// `ClientCredentialsGrantType`, by kind of client.
const SERVICE_ACCOUNT_REFUSALS: &[&str] = &[
    "Client not enabled to retrieve service account",
    "Public client not allowed to retrieve service account",
    "Bearer-only client not allowed to retrieve service account",
];

/// `UserInfoEndpoint`: a token that does not verify (or was revoked), a stale one, an ended
/// session.
const USERINFO_REFUSALS: &[&str] = &[
    "Token verification failed",
    "Stale token",
    "Session expired",
];

/// `OIDCWellKnownProvider`: each endpoint's path under the realm.
const LAYOUT: &[(&str, &str)] = &[
    ("authorization_endpoint", "/protocol/openid-connect/auth"),
    ("token_endpoint", "/protocol/openid-connect/token"),
    (
        "introspection_endpoint",
        "/protocol/openid-connect/token/introspect",
    ),
    ("userinfo_endpoint", "/protocol/openid-connect/userinfo"),
    ("end_session_endpoint", "/protocol/openid-connect/logout"),
    ("jwks_uri", "/protocol/openid-connect/certs"),
    ("revocation_endpoint", "/protocol/openid-connect/revoke"),
    (
        "registration_endpoint",
        "/clients-registrations/openid-connect",
    ),
];

/// Members `OIDCWellKnownProvider` always sets beside the endpoints.
const SESSION_MEMBERS: &[&str] = &[
    "check_session_iframe",
    "frontchannel_logout_supported",
    "backchannel_logout_supported",
];

fn verdict(problems: Vec<String>, expected: &str, fine: &str) -> Finding {
    Finding::check(
        problems.is_empty(),
        expected,
        if problems.is_empty() {
            fine.to_string()
        } else {
            problems.join("; ")
        },
    )
}

fn description<'a>(o: &'a Observation<'_>) -> Option<&'a str> {
    o.member("error_description").and_then(Value::as_str)
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "<absent>".into(), Value::to_string)
}

fn token_members(o: &Observation<'_>) -> Finding {
    if !o.is_success() || o.member("access_token").is_none() {
        return Finding::NotApplicable;
    }
    let mut problems = Vec::new();
    let refresh_expires_in = o.member("refresh_expires_in");
    match refresh_expires_in.and_then(Value::as_u64) {
        None => problems.push(format!("refresh_expires_in {}", shown(refresh_expires_in))),
        Some(0) if o.member("refresh_token").is_some() => {
            problems.push("refresh_expires_in 0 beside a refresh_token".into());
        }
        Some(n) if n > 0 && o.member("refresh_token").is_none() => {
            problems.push(format!("refresh_expires_in {n} without a refresh_token"));
        }
        Some(_) => {}
    }
    let not_before = o.member("not-before-policy");
    if not_before.and_then(Value::as_u64).is_none() {
        problems.push(format!("not-before-policy {}", shown(not_before)));
    }
    if !o.member("scope").is_some_and(Value::is_string) {
        problems.push("no scope".into());
    }
    verdict(
        problems,
        "refresh_expires_in and not-before-policy integers, scope",
        "Keycloak's members",
    )
}

fn session_state(o: &Observation<'_>) -> Finding {
    let user_grant = matches!(
        o.request.param("grant_type"),
        Some("authorization_code" | "refresh_token")
    );
    if !o.is_success() || !user_grant || o.member("access_token").is_none() {
        return Finding::NotApplicable;
    }
    let Some(session) = o.member("session_state").and_then(Value::as_str) else {
        return Finding::check(false, "session_state", "<absent>");
    };
    let sid = o
        .member("id_token")
        .and_then(Value::as_str)
        .and_then(crate::oauth::decode_unverified)
        .map(|jwt| jwt.claims.get("sid").cloned());
    match sid {
        // No ID token (no openid): session_state alone.
        None => Finding::check(true, "session_state", "session_state"),
        Some(sid) => Finding::check(
            sid.as_ref().and_then(Value::as_str) == Some(session),
            "session_state equal to the ID token's sid",
            format!("ID token sid {}", shown(sid.as_ref())),
        ),
    }
}

fn code_refusal(o: &Observation<'_>) -> Finding {
    let refused = o.member("error").and_then(Value::as_str) == Some("invalid_grant");
    if o.request.param("grant_type") != Some("authorization_code") || !refused {
        return Finding::NotApplicable;
    }
    let given = description(o);
    Finding::check(
        given.is_some_and(|d| CODE_REFUSALS.contains(&d)),
        "one of Keycloak's code exchange descriptions",
        format!("error_description {}", shown(o.member("error_description"))),
    )
}

/// The token endpoint's answer to a failed client authentication: 401 `invalid_client`; or
/// 401 `unauthorized_client` to an `http` step sent there (a crafted request, like a wrong
/// secret). A `token` step authenticates with the environment's own credentials, so an
/// `unauthorized_client` there refuses the grant, not the client (KC-05).
fn client_auth_failure(o: &Observation<'_>) -> Finding {
    let at_token_endpoint = o.kind == "token"
        || o.flow
            .metadata
            .as_ref()
            .and_then(|m| m.get("token_endpoint"))
            .and_then(Value::as_str)
            .is_some_and(|t| o.request.url.split('?').next() == Some(t));
    let failed_authentication = match o.member("error").and_then(Value::as_str) {
        Some("invalid_client") => true,
        Some("unauthorized_client") => o.kind == "http",
        _ => false,
    };
    if o.status != 401 || !at_token_endpoint || !failed_authentication {
        return Finding::NotApplicable;
    }
    Finding::check(
        description(o) == Some(CLIENT_AUTH_FAILED),
        format!("error_description \"{CLIENT_AUTH_FAILED}\""),
        format!("error_description {}", shown(o.member("error_description"))),
    )
}

fn service_account_refusal(o: &Observation<'_>) -> Finding {
    let refused = o.member("error").and_then(Value::as_str) == Some("unauthorized_client");
    if o.request.param("grant_type") != Some("client_credentials") || !refused {
        return Finding::NotApplicable;
    }
    Finding::check(
        description(o).is_some_and(|d| SERVICE_ACCOUNT_REFUSALS.contains(&d)),
        "\"Client not enabled to retrieve service account\" (or its public and bearer-only forms)",
        format!("error_description {}", shown(o.member("error_description"))),
    )
}

/// The value of `name="…"` in a challenge.
fn auth_param<'a>(challenge: &'a str, name: &str) -> Option<&'a str> {
    let start = challenge.find(&format!("{name}=\""))? + name.len() + 2;
    let rest = &challenge[start..];
    rest.find('"').map(|end| &rest[..end])
}

fn userinfo_refusal(o: &Observation<'_>) -> Finding {
    let challenge = o.header("www-authenticate").unwrap_or_default();
    if o.status != 401 || auth_param(challenge, "error") != Some("invalid_token") {
        return Finding::NotApplicable;
    }
    let mut problems = Vec::new();
    if auth_param(challenge, "realm").is_none_or(str::is_empty) {
        problems.push("no realm".to_string());
    }
    match auth_param(challenge, "error_description") {
        Some(d) if USERINFO_REFUSALS.contains(&d) => {}
        Some(d) => problems.push(format!("error_description \"{d}\"")),
        None => problems.push("no error_description".into()),
    }
    verdict(
        problems,
        "Bearer realm=\"…\", error=\"invalid_token\", error_description=\"Token verification failed\"",
        challenge,
    )
}

fn discovery_layout(o: &Observation<'_>) -> Finding {
    let Some(issuer) = o.member("issuer").and_then(Value::as_str) else {
        return Finding::NotApplicable;
    };
    if o.status != 200 {
        return Finding::NotApplicable;
    }
    let realm_path = url::Url::parse(issuer)
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    let mut problems = Vec::new();
    let realm = realm_path.rsplit_once("/realms/").map(|(_, r)| r);
    if !realm.is_some_and(|r| !r.is_empty() && !r.contains('/')) {
        problems.push(format!("issuer {issuer} is not …/realms/{{realm}}"));
    }
    for (member, path) in LAYOUT {
        let expected = format!("{realm_path}{path}");
        let url = o.member(member).and_then(Value::as_str);
        let found = url.and_then(|u| url::Url::parse(u).ok());
        if found.as_ref().map(url::Url::path) != Some(expected.as_str()) {
            problems.push(format!("{member} {}", url.unwrap_or("<absent>")));
        }
    }
    for member in SESSION_MEMBERS {
        if o.member(member).is_none() {
            problems.push(format!("no {member}"));
        }
    }
    verdict(
        problems,
        "Keycloak's endpoint paths under the realm, and its session management members",
        "Keycloak's layout",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_parameters_are_read_by_name() {
        let c = "Bearer realm=\"r\", error=\"invalid_token\", error_description=\"Token verification failed\"";
        assert_eq!(auth_param(c, "realm"), Some("r"));
        assert_eq!(auth_param(c, "error"), Some("invalid_token"));
        assert_eq!(
            auth_param(c, "error_description"),
            Some("Token verification failed")
        );
        assert_eq!(auth_param("Bearer", "realm"), None);
    }

    #[test]
    fn every_rule_cites_keycloak() {
        for r in RULES {
            assert!(r.url.starts_with(SOURCE), "{}", r.id);
            assert!(r.clause.contains("Keycloak"), "{}", r.id);
        }
    }
}
