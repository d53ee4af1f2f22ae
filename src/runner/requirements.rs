//! What a scenario `requires` of the target at run time: an https issuer, endpoints the target
//! has, PKCE methods it advertises. (Clients, users and lifetimes are known from the
//! environment and checked when the scenario is resolved.)

use serde_json::Value;

use crate::resolve::HTTPS;

/// The first kind of requirement the target does not meet, as the reason to skip the scenario:
/// an https issuer, then the endpoints, then the PKCE methods.
pub(super) fn unmet(
    requires: &[String],
    endpoints: Option<&Value>,
    metadata: Option<&Value>,
    issuer: Option<&str>,
) -> Option<String> {
    if requires.iter().any(|r| r == HTTPS) && !issuer.is_some_and(|i| i.starts_with("https://")) {
        return Some("the target's issuer is not https (required by the scenario)".to_string());
    }
    let missing: Vec<&str> = requires
        .iter()
        .map(String::as_str)
        .filter(|r| *r != HTTPS && !r.starts_with("pkce:"))
        .filter(|r| endpoints.is_none_or(|e| e.get(*r).is_none()))
        .collect();
    if !missing.is_empty() {
        return Some(format!(
            "the target has no {} endpoint (required by the scenario)",
            missing.join(", ")
        ));
    }
    let unadvertised: Vec<&str> = requires
        .iter()
        .filter_map(|r| r.strip_prefix("pkce:"))
        .filter(|m| !advertises_pkce(metadata, m))
        .collect();
    (!unadvertised.is_empty()).then(|| {
        format!(
            "the target does not advertise the PKCE method {} (required by the scenario)",
            unadvertised.join(", ")
        )
    })
}

/// Whether `code_challenge_methods_supported` lists `method`.
fn advertises_pkce(metadata: Option<&Value>, method: &str) -> bool {
    metadata
        .and_then(|m| m.get("code_challenge_methods_supported"))
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|v| v == method))
}
