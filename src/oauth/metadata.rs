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
];

/// The metadata member for an endpoint name, `None` for names that are not endpoints.
/// `discovery` has no member: it is derived from the issuer.
pub fn endpoint_metadata_key(name: &str) -> Option<&'static str> {
    ENDPOINTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, key)| *key)
}
