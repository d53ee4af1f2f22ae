//! Which access tokens the revocation endpoint revokes. RFC 7009 §2 makes refresh-token
//! revocation a MUST and access-token revocation a SHOULD: a server may leave some or all
//! access tokens out, and then answers 400 `unsupported_token_type` for them (§2.2.1).

use std::fmt;
use std::str::FromStr;

use super::client::{UnknownValue, from_str_by_name};

/// Set in [`SandboxConfig::access_token_revocation`](super::SandboxConfig::access_token_revocation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AccessTokenRevocation {
    /// Every access token can be revoked.
    #[default]
    All,
    /// Opaque (`at-…`) access tokens only: self-contained JWT access tokens (RFC 9068), which a
    /// resource may check by their signature alone, cannot be.
    Opaque,
    /// None: the sandbox revokes refresh tokens only.
    None,
}

impl AccessTokenRevocation {
    pub const ALL: &'static [AccessTokenRevocation] = &[
        AccessTokenRevocation::All,
        AccessTokenRevocation::Opaque,
        AccessTokenRevocation::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccessTokenRevocation::All => "all",
            AccessTokenRevocation::Opaque => "opaque",
            AccessTokenRevocation::None => "none",
        }
    }

    /// The values, for an error message: `all, opaque, none`.
    pub fn names() -> String {
        Self::ALL
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the access token `token` can be revoked.
    pub(crate) fn revokes(self, token: &str) -> bool {
        match self {
            AccessTokenRevocation::All => true,
            AccessTokenRevocation::Opaque => !is_jwt(token),
            AccessTokenRevocation::None => false,
        }
    }
}

from_str_by_name!(AccessTokenRevocation);

/// A JWS compact serialization: three dot-separated parts (the certificate style's tokens).
fn is_jwt(token: &str) -> bool {
    token.split('.').count() == 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_opaque_spares_only_jwts() {
        for r in AccessTokenRevocation::ALL {
            assert_eq!(r.as_str().parse::<AccessTokenRevocation>().ok(), Some(*r));
        }
        assert!("some".parse::<AccessTokenRevocation>().is_err());
        let opaque = AccessTokenRevocation::Opaque;
        assert!(opaque.revokes("at-abc"));
        assert!(!opaque.revokes("eyJh.eyJz.sig"));
        assert!(AccessTokenRevocation::All.revokes("eyJh.eyJz.sig"));
        assert!(!AccessTokenRevocation::None.revokes("at-abc"));
    }
}
