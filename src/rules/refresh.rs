//! I. The refresh token grant (RFC 6749 §6; RFC 9700 §4.14; OIDC Core §12.2).

use serde_json::Value;

use super::catalogue::asserted;
use super::{Finding, Observation, Rule, Severity};

const RFC6749_6: &str = "https://www.rfc-editor.org/rfc/rfc6749#section-6";

pub(super) const RULES: &[Rule] = &[
    asserted(
        "I-01",
        "A refresh token gives a new access token",
        Severity::Must,
        "RFC 6749 §6",
        RFC6749_6,
    ),
    asserted(
        "I-02",
        "A refresh token of another client, or a revoked one, gives invalid_grant",
        Severity::Must,
        "RFC 6749 §6, §10.4",
        RFC6749_6,
    ),
    asserted(
        "I-03",
        "A refresh asking for a scope wider than the original grant gives invalid_scope",
        Severity::Must,
        "RFC 6749 §6",
        RFC6749_6,
    ),
    asserted(
        "I-04",
        "A rotated refresh token is refused afterwards",
        Severity::Must,
        "RFC 9700 §4.14.2",
        "https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2",
    ),
    Rule {
        id: "I-05",
        title: "The ID token of a refresh keeps the original's iss, sub, aud and azp, an auth_time (if any) that is the original authentication's, and an iat not before the original's",
        severity: Severity::Must,
        clause: "OIDC Core §12.2",
        url: "https://openid.net/specs/openid-connect-core-1_0.html#RefreshTokenResponse",
        kinds: &["token"],
        profiles: &[],
        check: Some(refreshed_id_token),
    },
];

/// Claims a refreshed ID token keeps from the original (OIDC Core §12.2). `auth_time` may be
/// left out; when present it must still be the original authentication's (see below).
const KEPT: [&str; 4] = ["iss", "sub", "aud", "azp"];

/// `aud` as a set: a string and an array of that one string say the same (OIDC Core §2).
fn audiences(aud: Option<&Value>) -> Option<Vec<&str>> {
    let mut list: Vec<&str> = match aud? {
        Value::String(a) => vec![a.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    list.sort_unstable();
    Some(list)
}

fn refreshed_id_token(o: &Observation<'_>) -> Finding {
    if !o.is_success() || o.request.param("grant_type") != Some("refresh_token") {
        return Finding::NotApplicable;
    }
    let (Some(original), Some(new)) = (
        o.flow.previous_id_token.as_deref(),
        o.member("id_token")
            .and_then(Value::as_str)
            .and_then(crate::oauth::decode_unverified),
    ) else {
        return Finding::NotApplicable;
    };
    let shown = |v: Option<&Value>| v.map_or_else(|| "<absent>".to_string(), Value::to_string);
    let mut problems = Vec::new();
    for claim in KEPT {
        let (before, after) = (original.get(claim), new.claims.get(claim));
        let same = if claim == "aud" {
            audiences(before) == audiences(after)
        } else {
            before == after
        };
        if !same {
            problems.push(format!("{claim} {} (was {})", shown(after), shown(before)));
        }
    }
    let iat = |claims: &Value| claims.get("iat").and_then(Value::as_f64);
    // "If the ID Token contains an auth_time Claim, its value MUST represent the time of the
    // original authentication": the original's, or, if it had none, no later than its iat.
    let auth_time = |claims: &Value| claims.get("auth_time").and_then(Value::as_f64);
    if let Some(after) = auth_time(&new.claims) {
        let original_time = match auth_time(original) {
            Some(before) => after == before,
            None => iat(original).is_some_and(|issued| after <= issued),
        };
        if !original_time {
            problems.push(format!(
                "auth_time {after} (was {})",
                shown(original.get("auth_time"))
            ));
        }
    }
    match (iat(original), iat(&new.claims)) {
        (Some(before), Some(after)) if after >= before => {}
        (before, after) => problems.push(format!("iat {after:?} (was {before:?})")),
    }
    Finding::check(
        problems.is_empty(),
        "iss, sub, aud, azp as in the original ID token; auth_time (if any) the original's; a new iat",
        if problems.is_empty() {
            "kept".into()
        } else {
            problems.join("; ")
        },
    )
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use serde_json::json;

    use super::*;
    use crate::rules::{FlowView, SentRequest};

    fn unsigned(claims: &Value) -> String {
        let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.", part(&json!({"alg": "none"})), part(claims))
    }

    fn verdict(original: Value, refreshed: Value) -> Finding {
        let request = SentRequest {
            form: vec![("grant_type".into(), "refresh_token".into())],
            ..SentRequest::default()
        };
        let flow = FlowView {
            previous_id_token: Some(std::sync::Arc::new(original)),
            ..FlowView::default()
        };
        let body = json!({"access_token": "a", "id_token": unsigned(&refreshed)});
        refreshed_id_token(&Observation::of_json("token", &request, 200, &body, &flow))
    }

    #[test]
    fn a_refreshed_id_token_keeps_the_original_claims_and_a_new_iat() {
        let original =
            json!({"iss": "https://as", "sub": "u", "aud": "c", "auth_time": 10, "iat": 20});
        let kept =
            json!({"iss": "https://as", "sub": "u", "aud": ["c"], "auth_time": 10, "iat": 25});
        assert!(matches!(
            verdict(original.clone(), kept),
            Finding::Pass { .. }
        ));
        // OIDC Core §12.2 lets a refreshed ID token leave auth_time out...
        let without = json!({"iss": "https://as", "sub": "u", "aud": "c", "iat": 25});
        assert!(matches!(
            verdict(original.clone(), without),
            Finding::Pass { .. }
        ));
        // ...but not move it to a later authentication.
        let later =
            json!({"iss": "https://as", "sub": "u", "aud": "c", "auth_time": 24, "iat": 25});
        assert!(matches!(
            verdict(original.clone(), later),
            Finding::Fail { .. }
        ));
        // An original without auth_time: a new one may not be later than the original's iat.
        let untimed = json!({"iss": "https://as", "sub": "u", "aud": "c", "iat": 20});
        let earlier =
            json!({"iss": "https://as", "sub": "u", "aud": "c", "auth_time": 18, "iat": 25});
        assert!(matches!(
            verdict(untimed.clone(), earlier),
            Finding::Pass { .. }
        ));
        let after =
            json!({"iss": "https://as", "sub": "u", "aud": "c", "auth_time": 22, "iat": 25});
        assert!(matches!(verdict(untimed, after), Finding::Fail { .. }));
        let older = json!({"iss": "https://as", "sub": "u", "aud": "c", "auth_time": 10, "iat": 5});
        assert!(matches!(verdict(original, older), Finding::Fail { .. }));
    }
}
