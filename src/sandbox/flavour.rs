//! How the sandbox presents itself: as the provider's own server, or as Keycloak, with Keycloak's
//! endpoint paths, token response members, error strings and its known departures from the RFCs.

use std::fmt;
use std::str::FromStr;

use super::client::{UnknownValue, from_str_by_name};

/// The server the sandbox stands in for, selected in
/// [`SandboxConfig::flavour`](super::SandboxConfig::flavour).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Flavour {
    /// The provider's documented server: `/token`, `/jwks.json`, the consumer and certificate
    /// token shapes, RFC error answers.
    #[default]
    Generic,
    /// A Keycloak realm: `{issuer}/protocol/openid-connect/…` paths, `refresh_expires_in`,
    /// `not-before-policy`, `session_state`, Keycloak's error strings, and the departures the
    /// keycloak profile grades as warnings (no `WWW-Authenticate` on a failed client
    /// authentication, 400 for a UserInfo request without a token).
    Keycloak,
}

impl Flavour {
    pub const ALL: &'static [Flavour] = &[Flavour::Generic, Flavour::Keycloak];

    pub fn as_str(self) -> &'static str {
        match self {
            Flavour::Generic => "generic",
            Flavour::Keycloak => "keycloak",
        }
    }

    /// The issuer path when none is configured: Keycloak's issuer is always a realm's.
    pub(crate) fn default_issuer_path(self) -> &'static str {
        match self {
            Flavour::Generic => "",
            Flavour::Keycloak => "/realms/grantspec",
        }
    }
}

from_str_by_name!(Flavour);

/// Where each endpoint lives under the issuer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Paths {
    pub(crate) jwks: &'static str,
    pub(crate) authorize: &'static str,
    pub(crate) token: &'static str,
    pub(crate) userinfo: &'static str,
    pub(crate) introspect: &'static str,
    pub(crate) revoke: &'static str,
    pub(crate) logout: &'static str,
    pub(crate) register: &'static str,
    /// `register` followed by `/{client_id}` (RFC 7592 §2).
    pub(crate) registered_client: &'static str,
}

impl Paths {
    pub(crate) const GENERIC: Paths = Paths {
        jwks: "/jwks.json",
        authorize: "/authorize",
        token: "/token",
        userinfo: "/userinfo",
        introspect: "/introspect",
        revoke: "/revoke",
        logout: "/logout",
        register: "/register",
        registered_client: "/register/{client_id}",
    };

    /// Keycloak's `OIDCLoginProtocolService` and client registration paths under a realm.
    pub(crate) const KEYCLOAK: Paths = Paths {
        jwks: "/protocol/openid-connect/certs",
        authorize: "/protocol/openid-connect/auth",
        token: "/protocol/openid-connect/token",
        userinfo: "/protocol/openid-connect/userinfo",
        introspect: "/protocol/openid-connect/token/introspect",
        revoke: "/protocol/openid-connect/revoke",
        logout: "/protocol/openid-connect/logout",
        register: "/clients-registrations/openid-connect",
        registered_client: "/clients-registrations/openid-connect/{client_id}",
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_unknown_ones_are_refused() {
        for f in Flavour::ALL {
            assert_eq!(f.as_str().parse::<Flavour>().ok(), Some(*f));
        }
        assert!("okta".parse::<Flavour>().is_err());
    }

    #[test]
    fn registered_clients_live_under_the_registration_path() {
        for p in [Paths::GENERIC, Paths::KEYCLOAK] {
            assert_eq!(p.registered_client, format!("{}/{{client_id}}", p.register));
        }
    }
}
