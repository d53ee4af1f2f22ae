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
