//! Where each endpoint lives: paths under the issuer and their absolute URLs.

/// Paths relative to the issuer, as routed.
pub(crate) const DISCOVERY: &str = "/.well-known/openid-configuration";
/// At the server root, followed by the issuer path (RFC 8414 §3.1).
pub(crate) const AUTHORIZATION_SERVER_METADATA: &str = "/.well-known/oauth-authorization-server";
pub(crate) const JWKS: &str = "/jwks.json";
pub(crate) const AUTHORIZE: &str = "/authorize";
pub(crate) const LOGIN: &str = "/login";
pub(crate) const TOKEN: &str = "/token";
pub(crate) const USERINFO: &str = "/userinfo";
pub(crate) const INTROSPECT: &str = "/introspect";
pub(crate) const REVOKE: &str = "/revoke";
pub(crate) const LOGOUT: &str = "/logout";
pub(crate) const REGISTER: &str = "/register";
pub(crate) const REGISTERED_CLIENT: &str = "/register/{client_id}";
/// Where the mutual-TLS aliases of the token, UserInfo, introspection and revocation endpoints
/// are nested (RFC 8705 §5), when the sandbox serves TLS.
pub(crate) const MTLS: &str = "/mtls";

/// The absolute URL of every endpoint, computed once from the issuer.
#[derive(Debug)]
pub(crate) struct Endpoints {
    pub(crate) issuer: String,
    pub(crate) jwks: String,
    pub(crate) authorize: String,
    pub(crate) token: String,
    pub(crate) userinfo: String,
    pub(crate) introspect: String,
    pub(crate) revoke: String,
    pub(crate) logout: String,
    pub(crate) register: String,
    /// The mutual-TLS aliases (RFC 8705 §5), advertised only when the sandbox serves TLS.
    pub(crate) mtls_token: String,
    pub(crate) mtls_userinfo: String,
    pub(crate) mtls_introspect: String,
    pub(crate) mtls_revoke: String,
}

impl Endpoints {
    pub(crate) fn new(issuer: String) -> Self {
        let at = |path: &str| format!("{issuer}{path}");
        Self {
            jwks: at(JWKS),
            authorize: at(AUTHORIZE),
            token: at(TOKEN),
            userinfo: at(USERINFO),
            introspect: at(INTROSPECT),
            revoke: at(REVOKE),
            logout: at(LOGOUT),
            register: at(REGISTER),
            mtls_token: at(&format!("{MTLS}{TOKEN}")),
            mtls_userinfo: at(&format!("{MTLS}{USERINFO}")),
            mtls_introspect: at(&format!("{MTLS}{INTROSPECT}")),
            mtls_revoke: at(&format!("{MTLS}{REVOKE}")),
            issuer,
        }
    }
}

/// `/ap4` from `ap4`, `/ap4/` or `/ap4`; empty for an empty or `/` path.
pub(crate) fn normalize_path(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_paths_are_normalized() {
        assert_eq!(normalize_path(""), "");
        assert_eq!(normalize_path("/"), "");
        assert_eq!(normalize_path("ap4/"), "/ap4");
        assert_eq!(normalize_path("/ap4"), "/ap4");
    }
}
