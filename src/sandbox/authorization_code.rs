//! Authorization codes: what each is bound to, and their single use (RFC 6749 §4.1.2, §10.5).

use std::time::{Duration, Instant};

use super::pkce::Challenge;
use super::shared_store::SharedStore;

/// What a code was issued for.
#[derive(Clone, Debug)]
pub(crate) struct AuthorizationCode {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    /// Whether the authorization request carried `redirect_uri` (then the token request must,
    /// RFC 6749 §4.1.3).
    pub(crate) redirect_uri_given: bool,
    pub(crate) scope: String,
    pub(crate) user: usize,
    pub(crate) nonce: Option<String>,
    pub(crate) challenge: Option<Challenge>,
    pub(crate) auth_time: u64,
    /// Shared by every token the code leads to, to revoke them together.
    pub(crate) grant_id: String,
}

/// The outcome of presenting a code at the token endpoint.
#[derive(Debug)]
pub(crate) enum Redemption {
    /// First use within its lifetime.
    Fresh(AuthorizationCode),
    /// Already used: whatever it issued must be revoked.
    Reused(AuthorizationCode),
    Expired,
    Unknown,
}

#[derive(Clone, Debug)]
struct StoredCode {
    code: AuthorizationCode,
    expires_at: Instant,
    used: bool,
}

/// Codes, remembered well past their lifetime so that a late reuse is still recognised.
pub(crate) struct CodeStore {
    codes: SharedStore<StoredCode>,
    lifetime: Duration,
}

impl CodeStore {
    pub(crate) fn new(capacity: usize, lifetime: Duration) -> Self {
        Self {
            codes: SharedStore::new(capacity),
            lifetime,
        }
    }

    pub(crate) fn insert(&self, value: String, code: AuthorizationCode) {
        let stored = StoredCode {
            code,
            expires_at: Instant::now() + self.lifetime,
            used: false,
        };
        let remembered = (self.lifetime * 10).max(Duration::from_secs(600));
        self.codes.insert(value, stored, remembered);
    }

    /// Marks the code used and says how it stood. With `allow_reuse` or `allow_expired` (the
    /// deliberate defects), the code is treated as fresh regardless.
    pub(crate) fn redeem(&self, code: &str, allow_reuse: bool, allow_expired: bool) -> Redemption {
        self.codes
            .update(code, |stored| {
                let was_used = std::mem::replace(&mut stored.used, true);
                if was_used && !allow_reuse {
                    Redemption::Reused(stored.code.clone())
                } else if stored.expires_at <= Instant::now() && !allow_expired {
                    Redemption::Expired
                } else {
                    Redemption::Fresh(stored.code.clone())
                }
            })
            .unwrap_or(Redemption::Unknown)
    }
}
