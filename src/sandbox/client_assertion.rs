//! `private_key_jwt` client authentication: the client assertion (RFC 7523 §2.2, §3; RFC 7521
//! §4.2; OIDC Core §9; RFC 10070 for the audience). Failures are 400 `invalid_client`
//! (RFC 7523 §3.2), with Keycloak's descriptions where it has one.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::Value;

use super::client::AuthMethod;
use super::clock::unix_now;
use super::defect::Defect;
use super::form::Form;
use super::jws::Jws;
use super::oauth_error::OAuthError;
use super::registered_client::RegisteredClient;
use super::state::AppState;

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// Algorithms accepted for assertions: asymmetric only (RFC 8725 §3.1, no `none`, no HMAC).
pub(crate) const ALGORITHMS: [&str; 3] = ["RS256", "PS256", "ES256"];

fn reject(description: impl Into<std::borrow::Cow<'static, str>>) -> OAuthError {
    OAuthError::invalid_client_body(description)
}

/// The client whose valid assertion the form carries.
pub(crate) fn authenticate(
    state: &AppState,
    form: &Form,
) -> Result<Arc<RegisteredClient>, OAuthError> {
    verify(state, form).map_err(|mut e| {
        if state.has(Defect::AssertionRefusal403) && e.code == "invalid_client" {
            e.status = StatusCode::FORBIDDEN;
        }
        e
    })
}

fn verify(state: &AppState, form: &Form) -> Result<Arc<RegisteredClient>, OAuthError> {
    match form.get("client_assertion_type") {
        None => return Err(reject("Parameter client_assertion_type is missing")),
        Some(JWT_BEARER) => {}
        Some(_) if state.has(Defect::AssertionTypeUnchecked) => {}
        Some(other) => {
            return Err(reject(format!(
                "Parameter client_assertion_type has value '{other}' but expected is '{JWT_BEARER}'"
            )));
        }
    }
    let assertion = form
        .get("client_assertion")
        .ok_or_else(|| reject("client_assertion parameter missing"))?;
    let with_none = [ALGORITHMS[0], ALGORITHMS[1], ALGORITHMS[2], "none"];
    let algorithms: &[&str] = if state.has(Defect::AssertionAlgNoneAccepted) {
        &with_none
    } else {
        &ALGORITHMS
    };
    let assertion = if state.has(Defect::AssertionExtraSegmentsIgnored) {
        first_three_segments(assertion)
    } else {
        assertion
    };
    let jws = Jws::parse(assertion, algorithms).map_err(|e| reject(e.to_string()))?;
    let claims = &jws.claims;
    if state.has(Defect::AssertionUseChecked) && jws.usage.as_deref().is_some_and(|u| u != "sig") {
        return Err(reject("the key use of the assertion is not sig"));
    }
    if state.has(Defect::AssertionTypJwtRequired) && jws.typ.as_deref() != Some("JWT") {
        return Err(reject("the assertion's typ is not JWT"));
    }

    // With `assertion-sub-unchecked` the client is named by `iss`, and `sub` is not looked at.
    let named_by = if state.has(Defect::AssertionSubUnchecked) {
        "iss"
    } else {
        "sub"
    };
    let sub = claims
        .get(named_by)
        .and_then(Value::as_str)
        .ok_or_else(|| reject(format!("Token {named_by} claim is required")))?;
    let iss_checked =
        !state.has(Defect::AssertionSubUnchecked) && !state.has(Defect::AssertionIssUnchecked);
    if iss_checked && claims.get("iss").and_then(Value::as_str) != Some(sub) {
        return Err(reject("iss must equal sub, the client_id (OIDC Core §9)"));
    }
    if form.get("client_id").is_some_and(|id| id != sub)
        && !state.has(Defect::AssertionClientIdUnchecked)
    {
        return Err(reject("client_id parameter does not match sub claim"));
    }
    let client = state.client(sub).ok_or_else(|| reject("unknown client"))?;
    if client.client.auth_method != AuthMethod::PrivateKeyJwt {
        return Err(reject(format!(
            "the client authenticates with {}",
            client.client.auth_method
        )));
    }
    let unsigned_accepted = state.has(Defect::AssertionAlgNoneAccepted) && jws.alg() == "none";
    if !unsigned_accepted
        && !state.has(Defect::AssertionSignatureUnchecked)
        && !jws.verifies_with(&client.keys)
    {
        return Err(reject(
            "Client authentication with signed JWT failed: Signature on JWT token failed validation",
        ));
    }
    if !state.has(Defect::AssertionAudienceUnchecked) {
        check_audience(state, claims.get("aud"))?;
    }
    let exp = check_times(state, claims)?;
    let jti = claims
        .get("jti")
        .and_then(Value::as_str)
        .filter(|j| !j.is_empty());
    let jti = match jti {
        Some(jti) => jti,
        None if state.has(Defect::AssertionJtiOptional) => return Ok(client),
        None => return Err(reject("Token jti claim is required")),
    };
    if !state.has(Defect::AssertionReplayAccepted) {
        let key = format!("{sub}\u{0}{jti}");
        let ttl = Duration::from_secs(exp.saturating_sub(unix_now())) + state.lifetimes.clock_skew;
        if !state.assertion_ids.insert_new(key, (), ttl) {
            return Err(reject("Token reuse detected"));
        }
    }
    Ok(client)
}

/// The first three dot-separated parts: what a parser that does not insist on a single JWS
/// reads (the `assertion-extra-segments-ignored` defect).
fn first_three_segments(assertion: &str) -> &str {
    match assertion.match_indices('.').nth(2) {
        Some((third_dot, _)) => &assertion[..third_dot],
        None => assertion,
    }
}

/// RFC 10070: the issuer is the sole audience; the token endpoint URL, which RFC 7523 allowed
/// and the provider documents (checklist F3), is refused, except by the Keycloak flavour:
/// Keycloak still accepts it (a known departure of the keycloak profile).
fn check_audience(state: &AppState, aud: Option<&Value>) -> Result<(), OAuthError> {
    let token_endpoint_accepted =
        state.is_keycloak() || state.has(Defect::AssertionTokenEndpointAudAccepted);
    let accepted =
        |a: &str| a == state.issuer() || (a == state.endpoints.token && token_endpoint_accepted);
    let audience = match aud {
        Some(Value::String(a)) => a.as_str(),
        Some(Value::Array(items)) if items.len() == 1 => items[0].as_str().unwrap_or_default(),
        Some(Value::Array(items))
            if state.has(Defect::AssertionAudienceArrayAccepted)
                && items.iter().filter_map(Value::as_str).any(accepted) =>
        {
            return Ok(());
        }
        Some(Value::Array(items)) if items.len() > 1 => {
            return Err(reject("Multiple audiences not allowed"));
        }
        _ => return Err(reject("Invalid token audience")),
    };
    if accepted(audience) {
        Ok(())
    } else {
        Err(reject("Invalid token audience"))
    }
}

/// Checks `exp`, `nbf` and `iat` (RFC 7523 §3 items 4–6; RFC 7519 §2: numbers, not strings)
/// and returns `exp`.
fn check_times(state: &AppState, claims: &Value) -> Result<u64, OAuthError> {
    let now = unix_now() as f64;
    let skew = state.lifetimes.clock_skew.as_secs_f64();
    let max_age = state.lifetimes.assertion_max_age.as_secs_f64();
    let strings_accepted = state.has(Defect::StringTimestampsAccepted);
    let numeric = |name: &'static str| -> Result<Option<f64>, OAuthError> {
        match claims.get(name) {
            None => Ok(None),
            Some(Value::String(date)) if strings_accepted => {
                chrono::DateTime::parse_from_rfc3339(date)
                    .map(|d| Some(d.timestamp() as f64))
                    .map_err(|_| reject(format!("Token {name} claim is not a date")))
            }
            Some(v) => v
                .as_f64()
                .map(Some)
                .ok_or_else(|| reject(format!("Token {name} claim is not a NumericDate"))),
        }
    };
    let exp = match numeric("exp")? {
        Some(exp) => exp,
        None if state.has(Defect::AssertionExpOptional) => now + max_age,
        None => return Err(reject("Token exp claim is required")),
    };
    let expiry_checked = !state.has(Defect::ExpiredAssertionAccepted);
    if expiry_checked && exp + skew <= now {
        return Err(reject("Token is not active"));
    }
    if numeric("nbf")?.is_some_and(|nbf| nbf - skew > now)
        && !state.has(Defect::AssertionNbfIgnored)
    {
        return Err(reject("Token is not active"));
    }
    match numeric("iat")? {
        Some(iat) if iat - skew > now && !state.has(Defect::FutureAssertionAccepted) => {
            return Err(reject("Token was issued in the future"));
        }
        Some(iat) if expiry_checked && now - iat > max_age + skew => {
            return Err(reject(
                "Token was issued too far in the past to be used now",
            ));
        }
        None if exp - now > max_age => {
            return Err(reject(
                "Token expiration is too far in the future and iat claim not present in token",
            ));
        }
        _ => {}
    }
    Ok(exp as u64)
}
