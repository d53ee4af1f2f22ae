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
    pub(crate) grant_id: String,
    expires_at: Instant,
    used: bool,
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

/// Codes, remembered well past their lifetime so that a late reuse is still recognised.
pub(crate) struct CodeStore {
    codes: SharedStore<AuthorizationCode>,
    lifetime: Duration,
}

pub(crate) struct NewCode {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) redirect_uri_given: bool,
    pub(crate) scope: String,
    pub(crate) user: usize,
    pub(crate) nonce: Option<String>,
    pub(crate) challenge: Option<Challenge>,
    pub(crate) auth_time: u64,
}

impl CodeStore {
    pub(crate) fn new(capacity: usize, lifetime: Duration) -> Self {
        Self {
            codes: SharedStore::new(capacity),
            lifetime,
        }
    }

    pub(crate) fn insert(&self, code: String, new: NewCode, grant_id: String) {
        let record = AuthorizationCode {
            client_id: new.client_id,
            redirect_uri: new.redirect_uri,
            redirect_uri_given: new.redirect_uri_given,
            scope: new.scope,
            user: new.user,
            nonce: new.nonce,
            challenge: new.challenge,
            auth_time: new.auth_time,
            grant_id,
            expires_at: Instant::now() + self.lifetime,
            used: false,
        };
        let remembered = (self.lifetime * 10).max(Duration::from_secs(600));
        self.codes.insert(code, record, remembered);
    }

    /// Marks the code used and says how it stood. With `allow_reuse` or `allow_expired` (the
    /// deliberate defects), the code is treated as fresh regardless.
    pub(crate) fn redeem(&self, code: &str, allow_reuse: bool, allow_expired: bool) -> Redemption {
        self.codes
            .update(code, |record| {
                let was_used = std::mem::replace(&mut record.used, true);
                if was_used && !allow_reuse {
                    Redemption::Reused(record.clone())
                } else if record.expires_at <= Instant::now() && !allow_expired {
                    Redemption::Expired
                } else {
                    Redemption::Fresh(record.clone())
                }
            })
            .unwrap_or(Redemption::Unknown)
    }
}
