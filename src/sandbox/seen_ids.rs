//! Identifiers already used once: client assertion `jti`s (RFC 7523 §3 item 7; OIDC Core §9:
//! "a jti MUST only be used once"), kept until the assertion expires.

use std::sync::Mutex;
use std::time::Duration;

use super::store::BoundedStore;

pub(crate) struct SeenIds {
    seen: Mutex<BoundedStore<()>>,
}

impl SeenIds {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            seen: Mutex::new(BoundedStore::new(capacity)),
        }
    }

    /// Records `id` for `ttl`; `false` if it was already recorded and has not expired.
    pub(crate) fn insert_new(&self, id: String, ttl: Duration) -> bool {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.get(&id).is_some() {
            return false;
        }
        seen.insert(id, (), ttl);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_new_only_once() {
        let ids = SeenIds::new(10);
        assert!(ids.insert_new("a".into(), Duration::from_secs(60)));
        assert!(!ids.insert_new("a".into(), Duration::from_secs(60)));
        assert!(ids.insert_new("b".into(), Duration::from_secs(60)));
    }
}
