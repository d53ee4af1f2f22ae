/// The endpoints scenarios can address as `{{ endpoints.NAME }}`, with the authorization server
/// metadata member that advertises each (OIDC Discovery 1.0 §3, RFC 8414 §2).
pub const ENDPOINTS: &[(&str, &str)] = &[
    ("authorization", "authorization_endpoint"),
    ("token", "token_endpoint"),
    ("userinfo", "userinfo_endpoint"),
    ("jwks", "jwks_uri"),
    ("revocation", "revocation_endpoint"),
    ("introspection", "introspection_endpoint"),
    ("end_session", "end_session_endpoint"),
    ("registration", "registration_endpoint"),
    ("discovery", ""),
    ("resource", ""),
];

/// The metadata member for an endpoint name, `None` for names that are not endpoints.
/// `discovery` and `resource` have no member: discovery is derived from the issuer, and a
/// protected resource (RFC 6750) is not the authorization server's to advertise, so the
/// environment names it (the embedded sandbox serves one).
pub fn endpoint_metadata_key(name: &str) -> Option<&'static str> {
    ENDPOINTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, key)| *key)
}

/// The members of a metadata document that name an endpoint, with their URLs: `*_endpoint`,
/// `jwks_uri`, `check_session_iframe`, and the mutual-TLS aliases (RFC 8705 §5) as
/// `mtls_endpoint_aliases.NAME`.
pub fn advertised_endpoints(d: &serde_json::Map<String, serde_json::Value>) -> Vec<(String, &str)> {
    use serde_json::Value;
    let mut out: Vec<(String, &str)> = d
        .iter()
        .filter(|(k, _)| {
            k.ends_with("_endpoint") || *k == "jwks_uri" || *k == "check_session_iframe"
        })
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?)))
        .collect();
    if let Some(aliases) = d.get("mtls_endpoint_aliases").and_then(Value::as_object) {
        out.extend(
            aliases
                .iter()
                .filter_map(|(k, v)| Some((format!("mtls_endpoint_aliases.{k}"), v.as_str()?))),
        );
    }
    out
}
