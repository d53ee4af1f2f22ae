//! The clients the sandbox knows: their metadata, how they authenticate, what they may ask for.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::mtls_auth::TlsSubject;
use crate::secret::Secret;

/// How a client authenticates at the token endpoint (RFC 7591 §2 `token_endpoint_auth_method`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    /// HTTP Basic with the form-urlencoded id and secret (RFC 6749 §2.3.1).
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the form body (RFC 6749 §2.3.1).
    ClientSecretPost,
    /// A JWT assertion signed with the client's private key (RFC 7523 §2.2, OIDC Core §9).
    PrivateKeyJwt,
    /// A certificate from a trusted CA whose subject is the registered one (RFC 8705 §2.1).
    TlsClientAuth,
    /// A self-signed certificate registered with the client (RFC 8705 §2.2).
    SelfSignedTlsClientAuth,
    /// A public client: `client_id` only (RFC 6749 §2.1).
    None,
}

impl AuthMethod {
    pub const ALL: &'static [AuthMethod] = &[
        AuthMethod::ClientSecretBasic,
        AuthMethod::ClientSecretPost,
        AuthMethod::PrivateKeyJwt,
        AuthMethod::TlsClientAuth,
        AuthMethod::SelfSignedTlsClientAuth,
        AuthMethod::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
            AuthMethod::TlsClientAuth => "tls_client_auth",
            AuthMethod::SelfSignedTlsClientAuth => "self_signed_tls_client_auth",
            AuthMethod::None => "none",
        }
    }

    /// Whether the client authenticates with a TLS certificate (RFC 8705 §2).
    pub fn uses_certificate(self) -> bool {
        matches!(
            self,
            AuthMethod::TlsClientAuth | AuthMethod::SelfSignedTlsClientAuth
        )
    }

    /// Whether the client holds a shared secret.
    pub fn uses_secret(self) -> bool {
        matches!(
            self,
            AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost
        )
    }
}

/// A grant type a client may use (RFC 7591 §2 `grant_types`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantType {
    AuthorizationCode,
    ClientCredentials,
    RefreshToken,
}

impl GrantType {
    pub const ALL: &'static [GrantType] = &[
        GrantType::AuthorizationCode,
        GrantType::ClientCredentials,
        GrantType::RefreshToken,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::ClientCredentials => "client_credentials",
            GrantType::RefreshToken => "refresh_token",
        }
    }
}

/// A name that is not one of the enum's values.
#[derive(Debug, thiserror::Error)]
#[error("unknown value `{0}`")]
pub struct UnknownValue(pub String);

macro_rules! from_str_by_name {
    ($ty:ty) => {
        impl FromStr for $ty {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <$ty>::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownValue(s.to_owned()))
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use from_str_by_name;
from_str_by_name!(AuthMethod);
from_str_by_name!(GrantType);

/// The token response a client gets: the two shapes the provider documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseStyle {
    /// Opaque `at-…` token, `expires_in` 3600, `refresh_credit` ("App credentials", "User login").
    Consumer,
    /// JWT access token, `expires_in` 300, `refresh_expires_in`, `not-before-policy` (the
    /// Keycloak-backed "App credentials with certificate").
    Certificate,
}

/// A client the sandbox knows, with the name scenarios use for it.
///
/// In a [`SandboxConfig`](super::SandboxConfig), a confidential client without a secret gets a
/// random one at start, and a `private_key_jwt` client without a key gets a fresh RSA key pair;
/// [`Sandbox::clients`](super::Sandbox::clients) returns them filled in.
#[derive(Clone, Debug)]
pub struct SandboxClient {
    pub name: String,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub auth_method: AuthMethod,
    pub grant_types: Vec<GrantType>,
    /// Registered redirect URIs, compared exactly (RFC 9700 §4.1.3).
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    /// The scopes the client may be granted; a request without `scope` gets all of them.
    pub scopes: Vec<String>,
    pub response_style: ResponseStyle,
    /// Refuse authorization requests without a PKCE challenge (RFC 9700 §2.1.1).
    pub require_pkce: bool,
    /// PKCS#8 PEM private key of a `private_key_jwt` client, for the harness to sign assertions.
    pub private_key_pem: Option<Secret>,
    /// The `kid` of that key in the client's key set.
    pub key_id: Option<String>,
    /// What the certificate of a `tls_client_auth` client must carry.
    pub tls_subject: Option<TlsSubject>,
    /// The DER certificates a `self_signed_tls_client_auth` client may present.
    pub tls_certificates: Vec<Vec<u8>>,
    /// Its own access-token lifetime (Keycloak's per-client Access Token Lifespan); `None`: the
    /// sandbox's, by response style.
    pub access_token_lifetime: Option<Duration>,
}

impl SandboxClient {
    fn new(name: &str, client_id: &str, auth_method: AuthMethod) -> Self {
        Self {
            name: name.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: None,
            auth_method,
            grant_types: vec![GrantType::ClientCredentials],
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            scopes: Vec::new(),
            response_style: ResponseStyle::Consumer,
            require_pkce: false,
            private_key_pem: None,
            key_id: None,
            tls_subject: None,
            tls_certificates: Vec::new(),
            access_token_lifetime: None,
        }
    }

    /// The built-in clients: `app_basic`, `app_post`, `app_cert`, `web_app`, `spa`, and
    /// `app_short_lived`, `app_basic` with access tokens of [`SHORT_LIVED_ACCESS_TOKEN`] (what
    /// an environment's `lifetimes.short_lived_access_token` sets).
    pub fn builtin() -> Vec<SandboxClient> {
        let app_scopes = words("PersonneConsult UserConsult");
        let user_scopes = words("openid profile roles identifiers ConsommationConsult");
        let user_grants = vec![GrantType::AuthorizationCode, GrantType::RefreshToken];
        vec![
            SandboxClient {
                scopes: app_scopes.clone(),
                ..Self::new("app_basic", "app-basic", AuthMethod::ClientSecretBasic)
            },
            SandboxClient {
                scopes: app_scopes,
                ..Self::new("app_post", "app-post", AuthMethod::ClientSecretPost)
            },
            SandboxClient {
                scopes: words("ENT_ContratServicesManage ENT_ContratServicesConsult"),
                response_style: ResponseStyle::Certificate,
                key_id: Some("apim-provisioner".to_owned()),
                ..Self::new("app_cert", "app-cc-jwt", AuthMethod::PrivateKeyJwt)
            },
            SandboxClient {
                grant_types: user_grants.clone(),
                redirect_uris: vec!["http://127.0.0.1:9/callback".to_owned()],
                post_logout_redirect_uris: vec!["http://127.0.0.1:9/logged-out".to_owned()],
                scopes: user_scopes.clone(),
                ..Self::new("web_app", "web-app", AuthMethod::ClientSecretBasic)
            },
            SandboxClient {
                grant_types: user_grants,
                redirect_uris: vec!["http://127.0.0.1:9/spa/callback".to_owned()],
                post_logout_redirect_uris: vec!["http://127.0.0.1:9/spa".to_owned()],
                scopes: user_scopes,
                require_pkce: true,
                ..Self::new("spa", "spa", AuthMethod::None)
            },
            SandboxClient {
                scopes: words("PersonneConsult UserConsult"),
                access_token_lifetime: Some(SHORT_LIVED_ACCESS_TOKEN),
                ..Self::new(
                    "app_short_lived",
                    "app-short-lived",
                    AuthMethod::ClientSecretBasic,
                )
            },
        ]
    }

    pub fn allows_grant(&self, grant: GrantType) -> bool {
        self.grant_types.contains(&grant)
    }

    pub fn allows_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// The access-token lifetime of the built-in `app_short_lived` client, unless set otherwise.
pub const SHORT_LIVED_ACCESS_TOKEN: Duration = Duration::from_secs(60);

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in AuthMethod::ALL {
            assert_eq!(m.as_str().parse::<AuthMethod>().ok(), Some(*m));
        }
        for g in GrantType::ALL {
            assert_eq!(g.as_str().parse::<GrantType>().ok(), Some(*g));
        }
        assert!("password".parse::<GrantType>().is_err());
    }

    #[test]
    fn builtin_clients_carry_no_secret_before_start() {
        let clients = SandboxClient::builtin();
        assert!(clients.iter().all(|c| c.client_secret.is_none()));
        let names: Vec<_> = clients.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "app_basic",
                "app_post",
                "app_cert",
                "web_app",
                "spa",
                "app_short_lived"
            ]
        );
    }
}
