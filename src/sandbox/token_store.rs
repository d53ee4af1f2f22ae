//! Access and refresh tokens the sandbox has issued, with what each grants.

use std::time::{Duration, Instant};

use super::shared_store::SharedStore;

/// What an issued token grants, shared by access and refresh tokens.
#[derive(Clone, Debug)]
pub(crate) struct TokenGrant {
    pub(crate) client_id: String,
    pub(crate) scope: String,
    /// Index of the end-user in the sandbox's users; `None` for client_credentials.
    pub(crate) user: Option<usize>,
    /// The authorization this token descends from, to revoke it all on code reuse
    /// (RFC 6749 §4.1.2) or with its refresh token (RFC 7009 §2.1).
    pub(crate) grant_id: Option<String>,
    /// When the user authenticated (OIDC Core §2 `auth_time`), kept across refreshes.
    pub(crate) auth_time: Option<u64>,
    /// The `x5t#S256` of the client certificate the access token is bound to (RFC 8705 §3).
    pub(crate) bound_to: Option<String>,
}

/// An issued token: its grant, times and whether it was revoked.
#[derive(Clone, Debug)]
pub(crate) struct IssuedToken {
    pub(crate) grant: TokenGrant,
    pub(crate) issued_at: u64,
    pub(crate) expires_at: u64,
    pub(crate) revoked: bool,
    /// Refresh tokens only: refreshes left (`refresh_credit`).
    pub(crate) refresh_credit: u32,
}

/// Which kind of token a lookup found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    Access,
    Refresh,
}

impl TokenKind {
    pub(crate) fn hint(self) -> &'static str {
        match self {
            TokenKind::Access => "access_token",
            TokenKind::Refresh => "refresh_token",
        }
    }

    /// The kind a registered `token_type_hint` names (RFC 7009 §4.1.2); `None` for others.
    pub(crate) fn from_hint(hint: &str) -> Option<Self> {
        [TokenKind::Access, TokenKind::Refresh]
            .into_iter()
            .find(|k| k.hint() == hint)
    }
}

/// How long an expired token is still recognised (and told apart from an unknown one).
const EXPIRED_KEPT: Duration = Duration::from_secs(600);

/// A token with the instant it expires: the store keeps it [`EXPIRED_KEPT`] longer.
#[derive(Clone, Debug)]
struct Stored {
    token: IssuedToken,
    expires: Instant,
}

impl Stored {
    fn live(&self) -> bool {
        self.expires > Instant::now()
    }
}

/// The two token stores, each behind its own short-held lock.
pub(crate) struct TokenStore {
    access: SharedStore<Stored>,
    refresh: SharedStore<Stored>,
}

impl TokenStore {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            access: SharedStore::new(capacity),
            refresh: SharedStore::new(capacity),
        }
    }

    /// Stores `token`, live for `ttl`.
    pub(crate) fn insert(
        &self,
        kind: TokenKind,
        token: String,
        issued: IssuedToken,
        ttl: Duration,
    ) {
        let stored = Stored {
            token: issued,
            expires: Instant::now() + ttl,
        };
        self.store(kind).insert(token, stored, ttl + EXPIRED_KEPT);
    }

    /// The unexpired token of `kind`, revoked or not.
    pub(crate) fn get(&self, kind: TokenKind, token: &str) -> Option<IssuedToken> {
        self.get_expired_too(kind, token)
            .filter(|(_, live)| *live)
            .map(|(t, _)| t)
    }

    /// The token of `kind`, revoked or not, and whether it is still live; `None` once it is
    /// unknown or long expired.
    pub(crate) fn get_expired_too(
        &self,
        kind: TokenKind,
        token: &str,
    ) -> Option<(IssuedToken, bool)> {
        self.store(kind).get(token).map(|s| {
            let live = s.live();
            (s.token, live)
        })
    }

    /// Looks `token` up in both stores, the `hint`ed one first; a wrong hint still finds it
    /// (RFC 7009 §2.1, RFC 7662 §2.1).
    pub(crate) fn find(&self, token: &str, hint: Option<&str>) -> Option<(TokenKind, IssuedToken)> {
        let order = if hint == Some("refresh_token") {
            [TokenKind::Refresh, TokenKind::Access]
        } else {
            [TokenKind::Access, TokenKind::Refresh]
        };
        order
            .into_iter()
            .find_map(|kind| self.get(kind, token).map(|t| (kind, t)))
    }

    /// Applies `f` to the live token; `None` if it is unknown or expired.
    pub(crate) fn update<R>(
        &self,
        kind: TokenKind,
        token: &str,
        f: impl FnOnce(&mut IssuedToken) -> R,
    ) -> Option<R> {
        self.store(kind)
            .update(token, |s| s.live().then(|| f(&mut s.token)))
            .flatten()
    }

    /// Revokes every token that descends from `grant_id`.
    pub(crate) fn revoke_grant(&self, grant_id: &str) {
        for kind in [TokenKind::Access, TokenKind::Refresh] {
            self.store(kind).for_each_mut(|s| {
                if s.token.grant.grant_id.as_deref() == Some(grant_id) {
                    s.token.revoked = true;
                }
            });
        }
    }

    fn store(&self, kind: TokenKind) -> &SharedStore<Stored> {
        match kind {
            TokenKind::Access => &self.access,
            TokenKind::Refresh => &self.refresh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issued() -> IssuedToken {
        IssuedToken {
            grant: TokenGrant {
                client_id: "c".into(),
                scope: String::new(),
                user: None,
                grant_id: None,
                auth_time: None,
                bound_to: None,
            },
            issued_at: 0,
            expires_at: 0,
            revoked: false,
            refresh_credit: 0,
        }
    }

    #[test]
    fn an_expired_token_is_gone_but_still_recognised() {
        let tokens = TokenStore::new(10);
        tokens.insert(TokenKind::Access, "old".into(), issued(), Duration::ZERO);
        tokens.insert(
            TokenKind::Access,
            "new".into(),
            issued(),
            Duration::from_secs(60),
        );
        assert!(tokens.get(TokenKind::Access, "old").is_none());
        assert!(tokens.find("old", None).is_none());
        assert_eq!(tokens.update(TokenKind::Access, "old", |_| ()), None);
        assert!(matches!(
            tokens.get_expired_too(TokenKind::Access, "old"),
            Some((_, false))
        ));
        assert!(matches!(
            tokens.get_expired_too(TokenKind::Access, "new"),
            Some((_, true))
        ));
        assert!(tokens.get_expired_too(TokenKind::Access, "other").is_none());
    }
}
