//! Access and refresh tokens the sandbox has issued, with what each grants.

use std::time::Duration;

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

/// The two token stores, each behind its own short-held lock.
pub(crate) struct TokenStore {
    access: SharedStore<IssuedToken>,
    refresh: SharedStore<IssuedToken>,
}

impl TokenStore {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            access: SharedStore::new(capacity),
            refresh: SharedStore::new(capacity),
        }
    }

    pub(crate) fn insert(
        &self,
        kind: TokenKind,
        token: String,
        issued: IssuedToken,
        ttl: Duration,
    ) {
        self.store(kind).insert(token, issued, ttl);
    }

    /// The unexpired token of `kind`, revoked or not.
    pub(crate) fn get(&self, kind: TokenKind, token: &str) -> Option<IssuedToken> {
        self.store(kind).get(token)
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
        self.store(kind).update(token, f)
    }

    /// Revokes every token that descends from `grant_id`.
    pub(crate) fn revoke_grant(&self, grant_id: &str) {
        for kind in [TokenKind::Access, TokenKind::Refresh] {
            self.store(kind).for_each_mut(|t| {
                if t.grant.grant_id.as_deref() == Some(grant_id) {
                    t.revoked = true;
                }
            });
        }
    }

    fn store(&self, kind: TokenKind) -> &SharedStore<IssuedToken> {
        match kind {
            TokenKind::Access => &self.access,
            TokenKind::Refresh => &self.refresh,
        }
    }
}
