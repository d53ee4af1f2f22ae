//! Where each endpoint lives: paths under the issuer and their absolute URLs.

use super::flavour::Paths;

/// Paths relative to the issuer, as routed, whatever the flavour.
pub(crate) const DISCOVERY: &str = "/.well-known/openid-configuration";
/// At the server root, followed by the issuer path (RFC 8414 §3.1).
pub(crate) const AUTHORIZATION_SERVER_METADATA: &str = "/.well-known/oauth-authorization-server";
/// Where the login form posts (not advertised).
pub(crate) const LOGIN: &str = "/login";
/// Where the mutual-TLS aliases of the token, UserInfo, introspection and revocation endpoints
/// are nested (RFC 8705 §5), in front of the flavour's paths, when the sandbox serves TLS.
pub(crate) const MTLS: &str = "/mtls";
/// The protected resource, at the server root (the provider's resources live on another host
/// than its issuer): its staging mock's path.
pub(crate) const RESOURCE: &str = "/ap/trial/v1/customer-management/email-addresses/check";

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
    pub(crate) fn new(issuer: String, paths: &Paths) -> Self {
        let at = |path: &str| format!("{issuer}{path}");
        Self {
            jwks: at(paths.jwks),
            authorize: at(paths.authorize),
            token: at(paths.token),
            userinfo: at(paths.userinfo),
            introspect: at(paths.introspect),
            revoke: at(paths.revoke),
            logout: at(paths.logout),
            register: at(paths.register),
            mtls_token: at(&format!("{MTLS}{}", paths.token)),
            mtls_userinfo: at(&format!("{MTLS}{}", paths.userinfo)),
            mtls_introspect: at(&format!("{MTLS}{}", paths.introspect)),
            mtls_revoke: at(&format!("{MTLS}{}", paths.revoke)),
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
