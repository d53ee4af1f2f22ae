//! F. ID token validation (OIDC Core §3.1.3.7), on every `id_token` a token response carries.

use serde_json::Value;

use super::{Finding, Observation, Rule, Severity};
use crate::oauth::{DecodedJwt, at_hash, decode_unverified, verify_signature};

const VALIDATION: &str = "https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation";
/// Clock skew tolerated for `iat`, in seconds.
const SKEW: u64 = 300;

const fn f(
    id: &'static str,
    title: &'static str,
    severity: Severity,
    clause: &'static str,
    check: fn(&Observation<'_>) -> Finding,
) -> Rule {
    Rule {
        id,
        title,
        severity,
        clause,
        url: VALIDATION,
        kinds: &["token"],
        profiles: &[],
        check: Some(check),
    }
}

pub(super) const RULES: &[Rule] = &[
    f(
        "F-01",
        "The ID token is a JWS signed with RS256 (never none) without jku/jwk/x5u/x5c headers",
        Severity::Must,
        "OIDC Core §2, §3.1.3.7 step 7",
        alg,
    ),
    f(
        "F-02",
        "The ID token signature verifies with the key of the server's JWKS named by its kid",
        Severity::Must,
        "OIDC Core §3.1.3.7 step 6, §10.1",
        signature,
    ),
    f(
        "F-03",
        "The ID token `iss` is exactly the issuer",
        Severity::Must,
        "OIDC Core §3.1.3.7 step 2",
        issuer,
    ),
    f(
        "F-04",
        "The ID token `aud` contains the client_id",
        Severity::Must,
        "OIDC Core §3.1.3.7 step 3",
        audience,
    ),
    f(
        "F-05",
        "The ID token `azp`, when present, is the client_id",
        Severity::Should,
        "OIDC Core §3.1.3.7 steps 4-5",
        azp,
    ),
    f(
        "F-06",
        "The ID token has not expired and its `iat` is present and recent",
        Severity::Must,
        "OIDC Core §3.1.3.7 steps 9-10",
        times,
    ),
    f(
        "F-07",
        "The ID token `nonce` equals the nonce of the authorization request",
        Severity::Must,
        "OIDC Core §3.1.3.7 step 11",
        nonce,
    ),
    f(
        "F-08",
        "The ID token `sub` is present, at most 255 ASCII characters",
        Severity::Must,
        "OIDC Core §2",
        subject,
    ),
    f(
        "F-09",
        "The ID token has a recent enough `auth_time` when `max_age` was requested; its `acr`, when `acr_values` were and it has one, is one of them",
        Severity::Must,
        "OIDC Core §2, §3.1.2.1, §3.1.3.7 steps 12-13",
        authentication_context,
    ),
    f(
        "F-10",
        "The ID token `at_hash`, when present, matches the access token",
        Severity::Must,
        "OIDC Core §3.1.3.6, §3.1.3.8",
        access_token_hash,
    ),
];

fn token(o: &Observation<'_>) -> Option<(String, Option<DecodedJwt>)> {
    let raw = o.member("id_token")?.as_str()?.to_string();
    let decoded = decode_unverified(&raw);
    Some((raw, decoded))
}

/// Runs `check` on the decoded ID token; an undecodable one fails every rule.
fn with_claims(o: &Observation<'_>, check: impl FnOnce(&DecodedJwt) -> Finding) -> Finding {
    match token(o) {
        None => Finding::NotApplicable,
        Some((_, None)) => Finding::check(false, "a decodable JWS", "not a JWS"),
        Some((_, Some(jwt))) => check(&jwt),
    }
}

fn shown(v: Option<&Value>) -> String {
    v.map(Value::to_string).unwrap_or_else(|| "<absent>".into())
}

fn alg(o: &Observation<'_>) -> Finding {
    with_claims(o, |jwt| {
        let alg = jwt
            .header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or("<absent>");
        let forbidden: Vec<&str> = ["jku", "jwk", "x5u", "x5c"]
            .into_iter()
            .filter(|h| jwt.header.get(*h).is_some())
            .collect();
        Finding::check(
            alg == "RS256" && forbidden.is_empty(),
            "alg RS256, no jku/jwk/x5u/x5c",
            if forbidden.is_empty() {
                format!("alg {alg}")
            } else {
                format!("alg {alg}, headers {}", forbidden.join(", "))
            },
        )
    })
}

fn signature(o: &Observation<'_>) -> Finding {
    let Some((raw, _)) = token(o) else {
        return Finding::NotApplicable;
    };
    let Some(jwks) = &o.flow.jwks else {
        return Finding::check(
            false,
            "a key set to verify with",
            "the server's JWKS could not be fetched",
        );
    };
    match verify_signature(&raw, jwks) {
        Ok(()) => Finding::Pass {
            actual: "verified".into(),
        },
        Err(why) => Finding::check(false, "a valid signature", why),
    }
}

fn issuer(o: &Observation<'_>) -> Finding {
    let Some(expected) = o.flow.issuer.clone() else {
        return Finding::NotApplicable;
    };
    with_claims(o, |jwt| {
        Finding::check(
            jwt.claims.get("iss").and_then(Value::as_str) == Some(&expected),
            format!("{expected:?}"),
            shown(jwt.claims.get("iss")),
        )
    })
}

fn audience(o: &Observation<'_>) -> Finding {
    let Some(client_id) = o.flow.client_id.clone() else {
        return Finding::NotApplicable;
    };
    with_claims(o, |jwt| {
        let aud = jwt.claims.get("aud");
        let ok = match aud {
            Some(Value::String(a)) => *a == client_id,
            Some(Value::Array(items)) => items.iter().any(|i| i.as_str() == Some(&client_id)),
            _ => false,
        };
        Finding::check(ok, format!("{client_id:?}"), shown(aud))
    })
}

fn azp(o: &Observation<'_>) -> Finding {
    let Some(client_id) = o.flow.client_id.clone() else {
        return Finding::NotApplicable;
    };
    with_claims(o, |jwt| match jwt.claims.get("azp") {
        None => Finding::NotApplicable,
        Some(v) => Finding::check(
            v.as_str() == Some(&client_id),
            format!("{client_id:?}"),
            v.to_string(),
        ),
    })
}

fn times(o: &Observation<'_>) -> Finding {
    let now = o.flow.now;
    with_claims(o, |jwt| {
        let exp = jwt.claims.get("exp").and_then(Value::as_u64);
        let iat = jwt.claims.get("iat").and_then(Value::as_u64);
        let ok = exp.is_some_and(|e| e > now)
            && iat.is_some_and(|i| i <= now + SKEW && now.saturating_sub(i) <= 24 * 3600);
        Finding::check(
            ok,
            format!("exp after now ({now}), iat within {SKEW} s of now"),
            format!(
                "exp {}, iat {}",
                shown(jwt.claims.get("exp")),
                shown(jwt.claims.get("iat"))
            ),
        )
    })
}

fn nonce(o: &Observation<'_>) -> Finding {
    let sent = o.flow.nonce.clone();
    if o.request.param("grant_type") != Some("authorization_code") {
        return Finding::NotApplicable;
    }
    with_claims(o, |jwt| {
        let got = jwt.claims.get("nonce").and_then(Value::as_str);
        match &sent {
            Some(n) => Finding::check(
                got == Some(n),
                format!("{n:?}"),
                shown(jwt.claims.get("nonce")),
            ),
            None => Finding::check(
                got.is_none(),
                "no nonce (none was sent)",
                shown(jwt.claims.get("nonce")),
            ),
        }
    })
}

/// `auth_time` is REQUIRED when `max_age` was sent (OIDC Core §2) and no older than it
/// (§3.1.2.1: the OP MUST re-authenticate); `acr_values` ask for `acr` as a voluntary claim,
/// so an `acr` outside them only warns (§3.1.3.7 step 12 is a SHOULD) and none is recorded.
fn authentication_context(o: &Observation<'_>) -> Finding {
    if o.request.param("grant_type") != Some("authorization_code") {
        return Finding::NotApplicable;
    }
    let max_age = o.flow.authorization_param("max_age").map(str::to_string);
    let acr_values = o.flow.authorization_param("acr_values").map(str::to_string);
    if max_age.is_none() && acr_values.is_none() {
        return Finding::NotApplicable;
    }
    let now = o.flow.now;
    with_claims(o, |jwt| {
        let mut seen = Vec::new();
        if let Some(max_age) = &max_age {
            let auth_time = jwt.claims.get("auth_time").and_then(Value::as_u64);
            let limit = max_age
                .parse::<u64>()
                .unwrap_or(u64::MAX)
                .saturating_add(SKEW);
            let expected = format!("auth_time at most {max_age} s (+{SKEW} s skew) old");
            match auth_time {
                Some(t) if now.saturating_sub(t) <= limit => seen.push(format!("auth_time {t}")),
                _ => {
                    return Finding::check(
                        false,
                        expected,
                        format!("auth_time {}", shown(jwt.claims.get("auth_time"))),
                    );
                }
            }
        }
        if let Some(requested) = &acr_values {
            match jwt.claims.get("acr") {
                None => seen.push("no acr (a voluntary claim)".into()),
                Some(acr) if requested.split(' ').any(|r| acr.as_str() == Some(r)) => {
                    seen.push(format!("acr {acr}"));
                }
                Some(acr) => {
                    return Finding::FailShould {
                        expected: format!("an acr among {requested:?}"),
                        actual: format!("acr {acr}"),
                    };
                }
            }
        }
        Finding::check(true, "", seen.join(", "))
    })
}

fn subject(o: &Observation<'_>) -> Finding {
    with_claims(o, |jwt| {
        let sub = jwt.claims.get("sub").and_then(Value::as_str);
        let ok = sub.is_some_and(|s| !s.is_empty() && s.len() <= 255 && s.is_ascii());
        Finding::check(
            ok,
            "1 to 255 ASCII characters",
            shown(jwt.claims.get("sub")),
        )
    })
}

fn access_token_hash(o: &Observation<'_>) -> Finding {
    let Some(access_token) = o
        .member("access_token")
        .and_then(Value::as_str)
        .map(str::to_string)
    else {
        return Finding::NotApplicable;
    };
    with_claims(o, |jwt| {
        match jwt.claims.get("at_hash").and_then(Value::as_str) {
            None => Finding::NotApplicable,
            Some(h) => {
                let expected = at_hash(&access_token);
                Finding::check(
                    h == expected,
                    "the left half of SHA-256 of the access token",
                    if h == expected {
                        "matches".to_string()
                    } else {
                        "does not match".to_string()
                    },
                )
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    use super::*;
    use crate::rules::{FlowView, SentRequest};

    fn run(params: &[(&str, &str)], claims: &Value) -> Finding {
        let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let token = json!({
            "id_token": format!("{}.{}.sig", part(&json!({ "alg": "RS256" })), part(claims)),
        });
        let flow = FlowView {
            authorization_params: params
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
            now: 10_000,
            ..FlowView::default()
        };
        let request = SentRequest {
            form: vec![("grant_type".into(), "authorization_code".into())],
            ..SentRequest::default()
        };
        authentication_context(&Observation::of_json("token", &request, 200, &token, &flow))
    }

    #[test]
    fn max_age_requires_a_recent_auth_time() {
        let max_age = [("max_age", "60")];
        assert!(matches!(
            run(&max_age, &json!({ "auth_time": 9_990 })),
            Finding::Pass { .. }
        ));
        assert!(matches!(run(&max_age, &json!({})), Finding::Fail { .. }));
        assert!(matches!(
            run(&max_age, &json!({ "auth_time": 1 })),
            Finding::Fail { .. }
        ));
        assert_eq!(run(&[], &json!({})), Finding::NotApplicable);
    }

    #[test]
    fn an_acr_outside_the_requested_values_only_warns() {
        let acr = [("acr_values", "gold silver")];
        assert!(matches!(
            run(&acr, &json!({ "acr": "silver" })),
            Finding::Pass { .. }
        ));
        assert!(matches!(run(&acr, &json!({})), Finding::Pass { .. }));
        assert!(matches!(
            run(&acr, &json!({ "acr": "bronze" })),
            Finding::FailShould { .. }
        ));
    }
}
